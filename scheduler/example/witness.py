"""A quick greedy timetable that keeps every timetable rule: the generator's proof that its example is feasible.

The example generator sizes room capacities against this timetable, so the CP-SAT model always has at least
one timetable with enough seats in every slot. The tests use it the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scheduler.domain import Event, Room, Session

UNLIMITED = 10**9


@dataclass(frozen=True)
class Placement:
    session: str
    run: int  # 1-based
    slots: tuple[str, ...]  # session slots covered, in time order
    room: str


def demand(event: Event) -> Counter[str]:
    """Session id -> how many people wish it (any rank)."""
    return Counter(w.session for p in event.participants for w in p.wishes)


def witness_timetable(event: Event) -> list[Placement] | None:
    """Place every run greedily (fixed and long runs first, then by demand) into the least loaded slot.

    Returns None when the greedy finds no place for some run; that does not prove that none exists.
    """
    wanted = demand(event)
    runs = [(s, r) for s in event.sessions for r in range(1, s.runs + 1)]
    runs.sort(key=lambda sr: _priority(sr[0], wanted))
    state = _State(event)
    placements = []
    for session, run in runs:
        placement = state.best_place(session, run)
        if placement is None:
            return None
        state.take(session, placement)
        placements.append(placement)
    return placements


def seats_per_slot(event: Event, placements: list[Placement]) -> dict[str, int]:
    """Session slot id -> seats of the runs placed there (min of session and room capacity)."""
    seats = dict.fromkeys((s.id for s in event.session_slots), 0)
    for p in placements:
        session, room = event.session(p.session), event.room(p.room)
        for t in p.slots:
            seats[t] += min(_cap(session.capacity), _cap(room.capacity))
    return seats


def _cap(capacity: int | None) -> int:
    return UNLIMITED if capacity is None else capacity


def _priority(session: Session, wanted: Counter[str]) -> tuple[bool, bool, int, int, int]:
    return (
        session.fixed_slot is None,
        session.fixed_room is None,
        -session.duration,
        -len(session.features),
        -wanted[session.id],
    )


class _State:
    """What the greedy has placed so far: room use, load per slot, host and session slots taken."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.order = {s.id: i for i, s in enumerate(event.session_slots)}
        self.load: Counter[str] = Counter()
        self.used: set[tuple[str, str]] = set()
        self.busy: dict[str, set[str]] = {}  # person or session id -> slots taken

    def best_place(self, session: Session, run: int) -> Placement | None:
        best: tuple[tuple[int, ...], Placement] | None = None
        for start in self.event.start_slots(session.duration):
            covered = self.event.covered_slots(start, session.duration)
            if not self._slots_allowed(session, start, covered):
                continue
            for rank, room in enumerate(self._rooms_for(session)):
                if any((t, room.id) in self.used for t in covered):
                    continue
                score = (max(self.load[t] for t in covered), self.order[start], rank)
                if best is None or score < best[0]:
                    best = (score, Placement(session.id, run, covered, room.id))
        return best[1] if best else None

    def take(self, session: Session, placement: Placement) -> None:
        for t in placement.slots:
            self.load[t] += 1
            self.used.add((t, placement.room))
        for who in (session.id, *session.hosts):
            self.busy.setdefault(who, set()).update(placement.slots)

    def _slots_allowed(self, session: Session, start: str, covered: tuple[str, ...]) -> bool:
        if session.fixed_slot is not None and start != session.fixed_slot:
            return False
        taken = set(covered)
        if taken & session.not_in or taken & self.busy.get(session.id, set()):
            return False
        return not any(taken & (self.busy.get(h, set()) | self.event.person(h).unavailable) for h in session.hosts)

    def _rooms_for(self, session: Session) -> list[Room]:
        """Rooms the session may use; rooms with features it does not need last, larger rooms first."""
        fitting = [
            r
            for r in self.event.rooms
            if session.features <= r.features
            and session.fixed_room in (None, r.id)
            and _cap(r.capacity) >= session.minimum
        ]
        return sorted(fitting, key=lambda r: (len(r.features - session.features), -_cap(r.capacity)))
