"""Concrete rooms for the runs of a solution, and the runs numbered as the plan shows them.

The model only counts runs per room class and slot. Runs are intervals of consecutive session slots, and
intervals on a line whose overlap never exceeds n can always be given n labels (greedy by start), so the
labelling never fails and keeps one room for all slots of a run.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.domain import Event
from scheduler.model.facts import Placed, RoomClass
from scheduler.plan import Run


def assign_rooms(event: Event, classes: Iterable[RoomClass], placed: Iterable[Placed]) -> tuple[Run, ...]:
    """Runs with rooms, numbered per session in time order, sorted by slot and room."""
    placed = list(placed)
    index = {s.id: i for i, s in enumerate(event.session_slots)}
    by_class: dict[str, list[Placed]] = {}
    for p in placed:
        by_class.setdefault(p.room_class, []).append(p)
    rooms_of: dict[tuple[str, str], str] = {}
    for c in classes:
        free_from = dict.fromkeys(c.rooms, -1)  # room -> first slot index where it is free again
        for p in sorted(by_class.get(c.id, []), key=lambda p: (index[p.start], p.session)):
            start = index[p.start]
            # A room that is free; under `one_run_per_room` there always is one. A model that leaves that rule out
            # (the tests that show each rule is needed) shares the room that frees first, for the validator to see.
            room = next((r for r in c.rooms if free_from[r] <= start), min(c.rooms, key=free_from.__getitem__))
            free_from[room] = start + event.session(p.session).duration
            rooms_of[p.session, p.start] = room
    runs = []
    for session_id in sorted({p.session for p in placed}):
        mine = sorted((p for p in placed if p.session == session_id), key=lambda p: index[p.start])
        for number, p in enumerate(mine, start=1):
            slots = event.covered_slots(p.start, event.session(session_id).duration)
            runs.append(Run(session_id, number, slots, rooms_of[session_id, p.start], tuple(sorted(p.attendees))))
    room_order = {r.id: i for i, r in enumerate(event.rooms)}
    return tuple(sorted(runs, key=lambda r: (index[r.slots[0]], room_order[r.room], r.session)))
