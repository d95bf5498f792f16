"""Facts of an event that every part of the planner uses: room classes, where a session may start, seats of a
run, and a run as the model sees it (`Placed`).

They depend on the event alone, not on CP-SAT, so the heuristics, the bounds and the CP-SAT model share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.domain import Event, Room, Session

Timetable = dict[str, tuple[tuple[str, str], ...]]  # session id -> (start slot, room class) of each run


@dataclass(frozen=True)
class RoomClass:
    """Rooms that no rule can tell apart: same capacity and features, and no session fixed to one of them.

    A class of n rooms holds at most n runs per slot; concrete rooms are assigned after solving.
    """

    id: str
    rooms: tuple[str, ...]
    capacity: int | None
    features: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.rooms)


def room_classes(event: Event) -> tuple[RoomClass, ...]:
    """Group interchangeable rooms; a room that a session is fixed to stays a class of its own."""
    fixed = {s.fixed_room for s in event.sessions if s.fixed_room is not None}
    groups: dict[tuple[object, ...], list[Room]] = {}
    for room in sorted(event.rooms, key=lambda r: r.id):
        key: tuple[object, ...] = (
            ("fixed", room.id) if room.id in fixed else ("free", room.capacity, tuple(sorted(room.features)))
        )
        groups.setdefault(key, []).append(room)
    classes = [
        RoomClass(
            id=rooms[0].id, rooms=tuple(r.id for r in rooms), capacity=rooms[0].capacity, features=rooms[0].features
        )
        for rooms in groups.values()
    ]
    return tuple(sorted(classes, key=lambda c: c.id))


def bound_people(event: Event, session: Session) -> tuple[str, ...]:
    """People who must be in every run of the session: its hosts, and the people fixed to it (`Fest`) when it
    runs once (with several runs a fixed person needs only one of them)."""
    fixed = event.fixed_people.get(session.id, ()) if session.runs == 1 else ()
    return (*session.hosts, *fixed)


def occupants(event: Event, session: Session) -> frozenset[str]:
    """What a run of the session ties up in the slots it covers, so that two sessions that share one never run
    in parallel: its bound people (`bound_people`) and one token per `Nicht parallel zu` pair it is in."""
    apart = {f"not-parallel:{a}|{b}" for a, b in event.not_parallel_pairs if session.id in (a, b)}
    return frozenset(bound_people(event, session)) | apart


def may_run_together(event: Event, sessions: Iterable[str]) -> bool:
    """No two of the sessions share a host, a person fixed to both, or a `Nicht parallel zu` pair."""
    tokens = [o for s in sessions for o in occupants(event, event.session(s))]
    return len(tokens) == len(set(tokens))


def allowed_starts(event: Event, session: Session, classes: Iterable[RoomClass]) -> list[tuple[str, str]]:
    """(start slot, room class) pairs where a run of the session may be placed, by the fixed facts alone."""
    blocked = set(session.not_in)
    for person in bound_people(event, session):
        blocked |= event.person(person).unavailable
    starts = event.start_slots(session.duration)
    if session.fixed_slot is not None:
        starts = tuple(t for t in starts if t == session.fixed_slot)
    pairs = []
    for t in starts:
        if blocked & set(event.covered_slots(t, session.duration)):
            continue
        for c in classes:
            if session.fixed_room is not None and session.fixed_room not in c.rooms:
                continue
            if session.features <= c.features:
                pairs.append((t, c.id))
    return pairs


def seat_limit(event: Event, session: Session, room_class: RoomClass) -> int:
    """Seats of one run: min(session capacity, room capacity); unlimited means every participant."""
    limits = [n for n in (session.capacity, room_class.capacity) if n is not None]
    return min([*limits, len(event.participants)])


@dataclass(frozen=True)
class Placed:
    """A run as the model sees it: in a room class, not yet in a concrete room."""

    session: str
    start: str
    room_class: str
    attendees: tuple[str, ...]


def session_name(s: Session, lang: str = "de") -> str:
    """`S01 „Titel“` in German, `S01 “Title”` in English: how every sentence about a session names it."""
    if not s.title:
        return s.id
    return f"{s.id} „{s.title}“" if lang == "de" else f"{s.id} “{s.title}”"
