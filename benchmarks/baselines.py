"""Plans to measure ours against: what organisers do by hand, and PyconUK's ConferenceScheduler timetable.

Both baselines return a Plan; the benchmark scores every plan with the independent validator, so a baseline
cannot flatter itself.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from datetime import datetime
from datetime import time as clock

from scheduler.domain import Event, Session
from scheduler.plan import Objective, Plan, Run, SolverInfo


def hand_plan(event: Event) -> Plan:
    """Runs round-robin over slots and rooms, then seats first come, first served by registration order."""
    started = time.perf_counter()
    placed = _round_robin(event)
    runs = _first_come_first_served(event, placed)
    info = SolverInfo(status="HAND", seconds=time.perf_counter() - started, time_limit=0)
    return Plan(runs=runs, solver=info, objective=Objective(0, 0, 0))


def _round_robin(event: Event) -> list[tuple[Session, int, tuple[str, ...], str]]:
    """Deal runs in session order onto (slot, room) pairs, slot by slot, skipping pairs a run cannot use."""
    slots = [s.id for s in event.session_slots]
    busy: set[tuple[str, str]] = set()  # (slot, room) taken
    host_busy: set[tuple[str, str]] = set()  # (slot, person)
    placed = []
    cursor = 0
    pairs = [(t, r.id) for r in event.rooms for t in slots]  # slot changes fastest: deal across the day
    for session in sorted(event.sessions, key=lambda s: (s.fixed_slot is None and s.fixed_room is None, s.id)):
        used_slots: set[str] = set()
        for number in range(1, session.runs + 1):
            for step in range(len(pairs)):
                start, room = pairs[(cursor + step) % len(pairs)]
                if not _fits(event, session, start, room):
                    continue
                covered = event.covered_slots(start, session.duration)
                cells = {(t, room) for t in covered}
                hosts = {(t, h) for t in covered for h in session.hosts}
                if cells & busy or hosts & host_busy or used_slots & set(covered):
                    continue
                busy |= cells
                host_busy |= hosts
                used_slots |= set(covered)
                placed.append((session, number, covered, room))
                cursor = (cursor + step + 1) % len(pairs)
                break
    return placed


def _fits(event: Event, session: Session, start: str, room: str) -> bool:
    """What any organiser respects: fixed slot and room, `Nicht in`, room features, host availability."""
    if start not in event.start_slots(session.duration):
        return False
    covered = set(event.covered_slots(start, session.duration))
    return (
        session.fixed_slot in (None, start)
        and session.fixed_room in (None, room)
        and session.features <= event.room(room).features
        and not covered & (session.not_in | _host_unavailable(event, session))
    )


def _first_come_first_served(event: Event, placed: list[tuple[Session, int, tuple[str, ...], str]]) -> tuple[Run, ...]:
    seats = {
        (s.id, n): min(c for c in (s.capacity, event.room(room).capacity, len(event.people)) if c is not None)
        for s, n, _, room in placed
    }
    attendees: dict[tuple[str, int], list[str]] = {(s.id, n): [] for s, n, _, _ in placed}
    by_slot: dict[str, list[tuple[Session, int, tuple[str, ...], str]]] = {}
    for item in placed:
        for t in item[2]:
            by_slot.setdefault(t, []).append(item)
    hosting = {(t, h) for s, _, covered, _ in placed for t in covered for h in s.hosts}
    for person in event.participants:
        rank = {w.session: w.rank for w in person.wishes}
        attended: set[str] = set()
        for slot in event.session_slots:
            if slot.id in person.unavailable or (slot.id, person.id) in hosting:
                continue
            if any(slot.id in covered and person.id in attendees[(s.id, n)] for s, n, covered, _ in placed):
                continue  # already seated by a longer run
            options = [
                (s, n, covered)
                for s, n, covered, _ in by_slot.get(slot.id, [])
                if s.id not in attended
                and len(attendees[(s.id, n)]) < seats[(s.id, n)]
                and not set(covered) & person.unavailable
                and person.id not in s.hosts
            ]
            if not options:
                continue
            s, n, _ = min(options, key=lambda o: (rank.get(o[0].id, 99), -seats[(o[0].id, o[1])]))
            attendees[(s.id, n)].append(person.id)
            attended.add(s.id)
    return tuple(Run(s.id, n, covered, room, tuple(sorted(attendees[(s.id, n)]))) for s, n, covered, room in placed)


def conference_scheduler_timetable(event: Event) -> Event:
    """The event with every session pinned to the slots PyconUK's ConferenceScheduler gives it.

    ConferenceScheduler sees only aggregate demand (how many people wish each session) and places each run
    in a (slot, venue) pair, minimising the total of demand minus capacity. Solving our model on the pinned
    event then gives the best seat assignment for that timetable.
    """
    from conference_scheduler import resources, scheduler
    from conference_scheduler.lp_problem import objective_functions

    demand = Counter(w.session for p in event.participants for w in p.wishes)
    day = event.date or datetime(2021, 10, 6).date()
    cs_slots = [
        resources.Slot(
            venue=room.id,
            starts_at=datetime.combine(day, slot.start),
            duration=_minutes(slot.start, slot.end),
            capacity=room.capacity if room.capacity is not None else len(event.people),
            session=slot.id,
        )
        for room in event.rooms
        for slot in event.session_slots
    ]
    cs_events = []
    for session in sorted(event.sessions, key=lambda s: s.id):
        for number in range(session.runs):
            cs_events.append(resources.Event(name=f"{session.id}#{number}", duration=0, demand=demand[session.id]))
    by_host: dict[str, list[int]] = {}
    for i, cs_event in enumerate(cs_events):
        session = event.session(cs_event.name.split("#")[0])
        for host in session.hosts:
            by_host.setdefault(host, []).append(i)
        siblings = [j for j, other in enumerate(cs_events) if other.name.split("#")[0] == session.id and j != i]
        cs_event.add_unavailability(*(cs_events[j] for j in siblings))
        cs_event.add_unavailability(*(slot for slot in cs_slots if not _fits(event, session, slot.session, slot.venue)))
    for indexes in by_host.values():
        for i in indexes:
            cs_event = cs_events[i]
            cs_event.add_unavailability(
                *(cs_events[j] for j in indexes if j != i and cs_events[j] not in cs_event.unavailability)
            )
    items = scheduler.schedule(
        cs_events, cs_slots, objective_function=objective_functions.efficiency_capacity_demand_difference
    )
    chosen: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        chosen.setdefault(item.event.name.split("#")[0], []).append((item.slot.session, item.slot.venue))
    pinned = []
    for session in event.sessions:
        places = chosen[session.id]
        if session.runs == 1:
            slot_id, room_id = places[0]
            pinned.append(dataclasses.replace(session, fixed_slot=slot_id, fixed_room=room_id))
        else:
            keep = {slot_id for slot_id, _ in places}
            others = frozenset(s.id for s in event.session_slots if s.id not in keep)
            pinned.append(dataclasses.replace(session, not_in=session.not_in | others))
    return dataclasses.replace(event, sessions=tuple(pinned))


def _host_unavailable(event: Event, session: Session) -> set[str]:
    return {t for h in session.hosts for t in event.person(h).unavailable}


def _minutes(start: clock, end: clock) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
