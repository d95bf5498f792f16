"""Validated, immutable domain objects of one event.

Every object refers to others by id, never by list position. `Event` checks every reference when it is
built, so code after the import can trust the ids it meets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from functools import cached_property
from itertools import pairwise
from typing import Literal

SlotKind = Literal["session", "plenary", "networking"]

DEFAULT_GROUP_SIZE = (4, 6)  # people per group of a networking round when the slot names no size


class EventError(ValueError):
    """An event whose parts do not fit together; `problems` lists every reason, in English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Slot:
    id: str
    start: time
    end: time
    kind: SlotKind = "session"
    title: str = ""
    link: str = ""  # the slot's meeting: a plenary block's room, or the meeting whose breakout rooms hold the runs
    group_size: tuple[int, int] = DEFAULT_GROUP_SIZE  # (fewest, most) people per group; networking slots only


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int | None = None  # None: unlimited
    link: str = ""
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    hosts: tuple[str, ...] = ()  # person ids
    organisation: str = ""
    capacity: int | None = None  # None: limited by the room only
    minimum: int = 0
    duration: int = 1  # consecutive session slots
    runs: int = 1
    features: frozenset[str] = frozenset()  # room features required
    fixed_slot: str | None = None  # start slot of every run
    fixed_room: str | None = None
    not_in: frozenset[str] = frozenset()  # slot ids no run may cover
    description: str = ""


@dataclass(frozen=True)
class Wish:
    session: str
    rank: int  # 1 is the strongest


@dataclass(frozen=True)
class Person:
    """A registered participant, a host, or both; `id` is the lower-case e-mail where there is one."""

    id: str
    name: str
    email: str = ""
    organisation: str = ""
    wishes: tuple[Wish, ...] = ()
    unavailable: frozenset[str] = frozenset()  # slot ids
    participant: bool = True  # False: a host who did not register and only hosts
    moderator: bool = False  # spread one per group in networking rounds (`Moderation`)


@dataclass(frozen=True)
class Event:
    name: str
    slots: tuple[Slot, ...]
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    people: tuple[Person, ...]
    date: date | None = None
    timezone: str = "Europe/Berlin"
    weights: tuple[int, ...] | None = None  # weight of wish rank r is weights[r - 1]
    wish_count: int = 0  # K: the number of wish columns; 0 means the longest wish list
    main_link: str = ""  # the main room's link, for plenary blocks without a link of their own
    contact: str = ""  # the organiser's e-mail or phone, printed at the foot of every agenda
    language: str = "de"  # the event's language (ISO 639-1), not the language of the outputs
    subject: str = ""  # subject line of the agenda e-mails
    sender: str = ""  # sender of the agenda e-mails, e.g. `Team <team@example.org>`

    def __post_init__(self) -> None:
        problems = _check(self)
        if problems:
            raise EventError(problems)

    # -- lookups -------------------------------------------------------------------------------------

    def slot(self, slot_id: str) -> Slot:
        return self._slots_by_id[slot_id]

    def room(self, room_id: str) -> Room:
        return self._rooms_by_id[room_id]

    def session(self, session_id: str) -> Session:
        return self._sessions_by_id[session_id]

    def person(self, person_id: str) -> Person:
        return self._people_by_id[person_id]

    def slot_link(self, slot: Slot) -> str:
        """The meeting of a slot: its own link, else the main room's (rooms with a link of their own come first)."""
        return slot.link or self.main_link

    @cached_property
    def _slots_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def _rooms_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def _sessions_by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def _people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    # -- derived facts -------------------------------------------------------------------------------

    @cached_property
    def ordered_slots(self) -> tuple[Slot, ...]:
        return tuple(sorted(self.slots, key=lambda s: (s.start, s.end, s.id)))

    @cached_property
    def session_slots(self) -> tuple[Slot, ...]:
        """Slots of kind session, in time order."""
        return tuple(s for s in self.ordered_slots if s.kind == "session")

    @cached_property
    def networking_slots(self) -> tuple[Slot, ...]:
        """Slots of kind networking, in time order: everyone present meets in small groups, no session runs."""
        return tuple(s for s in self.ordered_slots if s.kind == "networking")

    @cached_property
    def participants(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.participant)

    @cached_property
    def hosted_sessions(self) -> dict[str, tuple[str, ...]]:
        """Person id -> ids of the sessions they host."""
        hosted: dict[str, list[str]] = {}
        for s in self.sessions:
            for h in s.hosts:
                hosted.setdefault(h, []).append(s.id)
        return {k: tuple(v) for k, v in hosted.items()}

    @cached_property
    def rank_count(self) -> int:
        """K: the number of wish ranks that carry a weight."""
        longest = max((len(p.wishes) for p in self.people), default=0)
        return max(self.wish_count, longest, len(self.weights or ()))

    def weight(self, rank: int) -> int:
        """Weight of a granted wish of this rank: K - r + 1 unless the event sets `weights`."""
        if self.weights is not None:
            return self.weights[rank - 1] if rank <= len(self.weights) else 0
        return max(self.rank_count - rank + 1, 0)

    def start_slots(self, duration: int) -> tuple[str, ...]:
        """Session slots where a run of `duration` consecutive session slots can start."""
        return tuple(block[i].id for block in self.session_blocks for i in range(len(block) - duration + 1))

    def covered_slots(self, start_slot: str, duration: int) -> tuple[str, ...]:
        """The session slots a run starting in `start_slot` occupies."""
        for block in self.session_blocks:
            ids = [s.id for s in block]
            if start_slot in ids:
                i = ids.index(start_slot)
                return tuple(ids[i : i + duration])
        raise KeyError(start_slot)

    @cached_property
    def session_blocks(self) -> tuple[tuple[Slot, ...], ...]:
        """Maximal runs of consecutive session slots, split wherever a plenary or networking slot lies between."""
        return session_blocks(self.slots)


def in_time_order(slots: Iterable[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda s: (s.start, s.end, s.id))


def overlapping(slots: Iterable[Slot]) -> list[tuple[Slot, Slot]]:
    """Neighbours in time order that overlap: (earlier, later). Checked once here for the reader and `Event`."""
    return [(a, b) for a, b in pairwise(in_time_order(slots)) if b.start < a.end]


def session_blocks(slots: Iterable[Slot]) -> tuple[tuple[Slot, ...], ...]:
    """Maximal runs of consecutive session slots in time order, split wherever another kind of slot lies between;
    their longest length bounds every session's `Dauer`."""
    blocks: list[list[Slot]] = []
    current: list[Slot] = []
    for s in in_time_order(slots):
        if s.kind == "session":
            current.append(s)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return tuple(tuple(b) for b in blocks)


def longest_block(slots: Iterable[Slot]) -> int:
    return max((len(b) for b in session_blocks(slots)), default=0)


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def _check(event: Event) -> list[str]:
    """Every broken reference and impossible value in the event, in English."""
    problems: list[str] = []
    for kind, ids in (
        ("slot", [s.id for s in event.slots]),
        ("room", [r.id for r in event.rooms]),
        ("session", [s.id for s in event.sessions]),
        ("person", [p.id for p in event.people]),
    ):
        problems += [f"duplicate {kind} id {i!r}" for i in _duplicates(ids)]
    slots = {s.id: s for s in event.slots}
    rooms = {r.id for r in event.rooms}
    sessions = {s.id for s in event.sessions}
    people = {p.id for p in event.people}
    for s in event.slots:
        if s.end <= s.start:
            problems.append(f"slot {s.id}: end {s.end:%H:%M} is not after start {s.start:%H:%M}")
    problems += [f"slots {a.id} and {b.id} overlap" for a, b in overlapping(event.slots)]
    for s in event.slots:
        fewest, most = s.group_size
        if s.kind == "networking" and not 2 <= fewest <= most:
            problems.append(f"slot {s.id}: group size {fewest}-{most} is not a range from 2 up")
    longest = longest_block(event.slots)
    for r in event.rooms:
        if r.capacity is not None and r.capacity < 0:
            problems.append(f"room {r.id}: capacity {r.capacity} is negative")
    for se in event.sessions:
        where = f"session {se.id}"
        problems += [f"{where}: host {h!r} is not a person" for h in se.hosts if h not in people]
        if se.capacity is not None and se.capacity < 0:
            problems.append(f"{where}: capacity {se.capacity} is negative")
        if se.minimum < 0:
            problems.append(f"{where}: minimum {se.minimum} is negative")
        if se.runs < 1 or se.duration < 1:
            problems.append(f"{where}: runs and duration must be at least 1")
        if se.duration > longest:
            problems.append(f"{where}: duration {se.duration} is longer than {longest} consecutive slots")
        if se.fixed_slot is not None:
            if se.fixed_slot not in slots:
                problems.append(f"{where}: unknown fixed slot {se.fixed_slot!r}")
            elif slots[se.fixed_slot].kind != "session":
                problems.append(f"{where}: fixed slot {se.fixed_slot!r} is a {slots[se.fixed_slot].kind} slot")
        if se.fixed_room is not None and se.fixed_room not in rooms:
            problems.append(f"{where}: unknown fixed room {se.fixed_room!r}")
        problems += [f"{where}: unknown slot {t!r} in not_in" for t in sorted(se.not_in - slots.keys())]
    for p in event.people:
        where = f"person {p.id}"
        problems += [f"{where}: wish for unknown session {w.session!r}" for w in p.wishes if w.session not in sessions]
        problems += [f"{where}: unknown unavailable slot {t!r}" for t in sorted(p.unavailable - slots.keys())]
        wished = [w.session for w in p.wishes]
        problems += [f"{where}: session {s!r} wished twice" for s in _duplicates(wished)]
        ranks = [w.rank for w in p.wishes]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks) or any(r < 1 for r in ranks):
            problems.append(f"{where}: wish ranks {ranks} are not distinct, ascending and positive")
    if event.weights is not None and any(w < 0 for w in event.weights):
        problems.append(f"weights {list(event.weights)} must not be negative")
    return problems
