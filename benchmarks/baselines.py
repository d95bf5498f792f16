"""Plans to measure ours against: what organisers do by hand, and PyconUK's ConferenceScheduler timetable.

Both baselines keep every hard rule of the validator (a rule-breaking plan has no meaningful score); the
benchmark scores every plan with the independent validator, so a baseline cannot flatter itself. When a
baseline cannot make a plan at all it raises `NoBaseline` with the reason, and the benchmark row says so.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock
from typing import Any

from scheduler.domain import Event, Session
from scheduler.plan import Objective, Plan, Run, SolverInfo


class NoBaseline(Exception):
    """A baseline that cannot make a plan for this event: `status` names the baseline's failure, `reason` why."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(f"{status} ({reason})")
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Place:
    """One run of a session put into its slots and room by hand; `seats` is min(session, room)."""

    session: Session
    number: int
    slots: tuple[str, ...]
    room: str
    seats: int


# -- the hand plan -------------------------------------------------------------------------------------


def hand_plan(event: Event) -> Plan:
    """Runs round-robin over slots and rooms, then seats first come, first served by registration order."""
    started = time.perf_counter()
    places = round_robin(event)
    attendees = hand_seats(event, places)
    runs = tuple(Run(p.session.id, p.number, p.slots, p.room, tuple(sorted(attendees[p]))) for p in places)
    info = SolverInfo(status="HAND", seconds=time.perf_counter() - started, time_limit=0)
    return Plan(runs=runs, solver=info, objective=Objective(0, 0, 0))


def round_robin(event: Event) -> list[Place]:
    """Deal runs in session order onto (slot, room) pairs, slot by slot, each to the next pair it can use.

    A pair is skipped when the run may not be there (fixed slot or room, `Nicht in`, features, a host away or
    already hosting, the room taken, another run of the session in that slot), and also when taking it would
    leave some slot unable to seat everyone present even with the largest runs still to deal in its free rooms.
    """
    dealer = _Dealer(event)
    order = sorted(event.sessions, key=lambda s: (s.fixed_slot is None and s.fixed_room is None, s.id))
    pending = [(session, number) for session in order for number in range(1, session.runs + 1)]
    for index, (session, number) in enumerate(pending):
        dealer.deal(session, number, [s for s, _ in pending[index + 1 :]])
    for t in dealer.slots:
        if dealer.seats[t] < dealer.need[t]:
            raise NoBaseline("NO HAND PLAN", f"slot {t}: {dealer.seats[t]} seats for {dealer.need[t]} people")
    return dealer.places


class _Dealer:
    """The timetable while runs are dealt: rooms and hosts taken, seats per slot, people still to seat."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.slots = [s.id for s in event.session_slots]
        self.pairs = [(t, r.id) for r in event.rooms for t in self.slots]  # slot changes fastest: across the day
        self.need = Counter({t: sum(t not in p.unavailable for p in event.participants) for t in self.slots})
        self.seats: Counter[str] = Counter()
        self.taken: set[tuple[str, str]] = set()  # (slot, room)
        self.busy: set[tuple[str, str]] = set()  # (slot, host) and (slot, session)
        self.places: list[Place] = []
        self.cursor = 0

    def deal(self, session: Session, number: int, rest: list[Session]) -> None:
        """Put the run at the next pair from the cursor that it can use and that keeps every slot seatable."""
        turn = [self.pairs[(self.cursor + step) % len(self.pairs)] for step in range(len(self.pairs))]
        fitting = [(step, start, room) for step, (start, room) in enumerate(turn) if self._free(session, start, room)]
        if not fitting:
            raise NoBaseline("NO HAND PLAN", f"no free slot and room for run {number} of {session.id}")
        biggest = sorted((_seats(self.event, s, None) for s in rest), reverse=True)
        step, start, room = next((f for f in fitting if self._seatable(session, f[1], f[2], biggest)), fitting[0])
        covered = self.event.covered_slots(start, session.duration)
        place = Place(session, number, covered, room, _seats(self.event, session, room))
        for t in place.slots:
            self.taken.add((t, room))
            self.busy |= {(t, x) for x in (session.id, *session.hosts)}
            self.seats[t] += place.seats
            self.need[t] -= _hosting(self.event, session, t)
        self.places.append(place)
        self.cursor = (self.cursor + step + 1) % len(self.pairs)

    def _free(self, session: Session, start: str, room: str) -> bool:
        """The run may start at (start, room): it fits there and its room, hosts and session are free then."""
        if not _fits(self.event, session, start, room):
            return False
        covered = self.event.covered_slots(start, session.duration)
        rooms_free = not any((t, room) in self.taken for t in covered)
        return rooms_free and not any((t, x) in self.busy for t in covered for x in (session.id, *session.hosts))

    def _seatable(self, session: Session, start: str, room: str, biggest: list[int]) -> bool:
        """With the run at (start, room), every slot can still reach its seats: the largest runs still to deal,
        matched with the largest free rooms of the slot, fill what is missing (an optimistic bound)."""
        covered = self.event.covered_slots(start, session.duration)
        for t in self.slots:
            seats, need = self.seats[t], self.need[t]
            if t in covered:
                seats, need = seats + _seats(self.event, session, room), need - _hosting(self.event, session, t)
            free = sorted(
                (_seats(self.event, None, r.id) for r in self.event.rooms if (t, r.id) not in self.taken),
                reverse=True,
            )
            if t in covered:
                free.remove(_seats(self.event, None, room))
            if seats + sum(min(a, b) for a, b in zip(free, biggest, strict=False)) < need:
                return False
        return True


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


def _seats(event: Event, session: Session | None, room: str | None) -> int:
    """Seats of a run: min(session, room), either left out when None; unlimited counts as everyone."""
    session_limit = session.capacity if session is not None else None
    room_limit = event.room(room).capacity if room is not None else None
    return min((c for c in (session_limit, room_limit) if c is not None), default=len(event.participants))


def hand_seats(event: Event, places: list[Place]) -> dict[Place, list[str]]:
    """Attendees per run, as organisers seat a list of registrations.

    First come, first served: in registration order each person gets their wishes by rank where a run has a
    seat. Then every gap in a person's day is filled with a run of that slot with a free seat, runs below their
    minimum first, then the emptiest; when none fits, someone in the slot moves over to free a seat. Last,
    runs still below their minimum get people from fuller runs of the same slots.
    """
    seating = _Seating(event, places)
    for person in event.participants:
        for wish in sorted(person.wishes, key=lambda w: w.rank):
            options = [p for p in places if p.session.id == wish.session and seating.fits(person.id, p)]
            if options:
                seating.seat(person.id, max(options, key=seating.free))
    for person in event.participants:
        for slot in event.session_slots:
            if slot.id not in seating.busy[person.id]:
                seating.fill(person.id, slot.id)
    for place in places:
        seating.reach_minimum(place)
    return seating.attendees


class _Seating:
    """Who sits where while the hand plan is made, and what each person may still take."""

    def __init__(self, event: Event, places: list[Place]) -> None:
        self.places = places
        self.attendees: dict[Place, list[str]] = {p: [] for p in places}
        self.busy = {p.id: set(p.unavailable) for p in event.participants}  # unavailable, hosting or seated
        self.taken: dict[str, set[str]] = {p.id: set() for p in event.participants}  # sessions attended
        self.wishes = {p.id: {w.session for w in p.wishes} for p in event.participants}
        for place in places:
            for host in place.session.hosts:
                if host in self.busy:
                    self.busy[host] |= set(place.slots)

    def free(self, place: Place) -> int:
        return place.seats - len(self.attendees[place])

    def fits(self, person: str, place: Place) -> bool:
        return self.free(place) > 0 and self.may_take(person, place)

    def may_take(self, person: str, place: Place) -> bool:
        """The person could attend the run if it had a free seat."""
        return (
            place.session.id not in self.taken[person]
            and person not in place.session.hosts
            and not self.busy[person] & set(place.slots)
        )

    def seat(self, person: str, place: Place) -> None:
        self.attendees[place].append(person)
        self.busy[person] |= set(place.slots)
        self.taken[person].add(place.session.id)

    def unseat(self, person: str, place: Place) -> None:
        self.attendees[place].remove(person)
        self.busy[person] -= set(place.slots)
        self.taken[person].discard(place.session.id)

    def fill(self, person: str, slot: str) -> None:
        """Seat the person somewhere in this slot: a free seat, else one freed by moving someone over."""
        here = [p for p in self.places if slot in p.slots]
        options = [p for p in here if self.fits(person, p)]
        if options:
            self.seat(person, min(options, key=self._emptiest))
            return
        for full in (p for p in here if self.may_take(person, p)):
            for other in list(self.attendees[full]):
                self.unseat(other, full)
                spare = [p for p in self.places if p.slots == full.slots and p != full and self.fits(other, p)]
                if spare:
                    self.seat(other, min(spare, key=self._emptiest))
                    self.seat(person, full)
                    return
                self.seat(other, full)
        raise NoBaseline("NO HAND PLAN", f"no seat for {person} in slot {slot}")

    def _emptiest(self, place: Place) -> tuple[bool, float]:
        """Sort key: runs below their minimum first, then by the share of seats taken."""
        count = len(self.attendees[place])
        return count >= place.session.minimum, count / max(place.seats, 1)

    def reach_minimum(self, place: Place) -> None:
        """Move people into a run below its minimum from fuller runs of the same slots, wishers first."""
        while len(self.attendees[place]) < place.session.minimum:
            donors = [
                (person, other)
                for other in self.places
                if other.slots == place.slots and other != place and len(self.attendees[other]) > other.session.minimum
                for person in self.attendees[other]
                if place.session.id not in self.taken[person] and person not in place.session.hosts
            ]
            if not donors or self.free(place) == 0:
                raise NoBaseline("NO HAND PLAN", f"{place.session.id} cannot reach its minimum")
            person, other = min(
                donors,
                key=lambda d: (
                    place.session.id not in self.wishes[d[0]],
                    d[1].session.id in self.wishes[d[0]],
                    -len(self.attendees[d[1]]),
                ),
            )
            self.unseat(person, other)
            self.seat(person, place)


# -- the ConferenceScheduler timetable -----------------------------------------------------------------


def conference_scheduler_timetable(event: Event) -> Event:
    """The event with every session pinned to the slots PyconUK's ConferenceScheduler gives it.

    ConferenceScheduler sees only aggregate demand (how many people wish each session) and places each run
    in a (slot, venue) pair, minimising the total of demand minus capacity. Its own model knows runs of one
    slot only, so our hard rules are added to it: a run of several slots keeps its room and its hosts for all
    of them, and every slot seats everyone present. Solving our model on the pinned event then gives the best
    seat assignment for that timetable. Raises NoBaseline("NO TIMETABLE", reason) when no timetable exists.
    """
    lp = _CsProblem(event)
    chosen = lp.solve(with_seats=True)
    if chosen is None:
        reason = (
            "no timetable of ConferenceScheduler seats everyone present in every slot"
            if lp.solve(with_seats=False) is not None
            else "no timetable of ConferenceScheduler fits rooms, hosts and fixed places"
        )
        raise NoBaseline("NO TIMETABLE", reason)
    pinned = []
    for session in event.sessions:
        places = chosen[session.id]
        if session.runs == 1:
            slot_id, room_id = places[0]
            pinned.append(dataclasses.replace(session, fixed_slot=slot_id, fixed_room=room_id))
        else:
            keep = {t for slot_id, _ in places for t in event.covered_slots(slot_id, session.duration)}
            others = frozenset(s.id for s in event.session_slots if s.id not in keep)
            pinned.append(dataclasses.replace(session, not_in=session.not_in | others))
    return dataclasses.replace(event, sessions=tuple(pinned))


class _CsProblem:
    """ConferenceScheduler's integer program (its resources, constraints and objective) plus our rules."""

    def __init__(self, event: Event) -> None:
        from conference_scheduler import resources

        self.event = event
        demand = Counter(w.session for p in event.participants for w in p.wishes)
        day = event.date or datetime(2021, 10, 6).date()
        self.slots = [
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
        self.runs = [s for s in sorted(event.sessions, key=lambda s: s.id) for _ in range(s.runs)]
        self.events = [
            resources.Event(name=f"{s.id}#{i}", duration=0, demand=demand[s.id]) for i, s in enumerate(self.runs)
        ]
        self.allowed = {
            (i, k): event.covered_slots(slot.session, s.duration)
            for i, s in enumerate(self.runs)
            for k, slot in enumerate(self.slots)
            if _fits(event, s, slot.session, slot.venue)
        }
        for i, cs_event in enumerate(self.events):
            clash = [j for j in range(len(self.runs)) if j != i and self._share_people(i, j)]
            cs_event.add_unavailability(*(self.events[j] for j in clash))
            cs_event.add_unavailability(*(slot for k, slot in enumerate(self.slots) if (i, k) not in self.allowed))

    def _share_people(self, i: int, j: int) -> bool:
        """Two runs of one session, or of sessions with a common host, may not overlap."""
        a, b = self.runs[i], self.runs[j]
        return a.id == b.id or bool(set(a.hosts) & set(b.hosts))

    def solve(self, with_seats: bool) -> dict[str, list[tuple[str, str]]] | None:
        """Session id -> (start slot, room) of each run; None when the program has no solution."""
        import pulp
        from conference_scheduler.lp_problem import constraints, objective_functions, utils
        from conference_scheduler.resources import Shape

        x = utils.variables(Shape(len(self.events), len(self.slots)))
        beta = pulp.LpVariable("upper_bound")
        problem = pulp.LpProblem("conference_scheduler", pulp.LpMinimize)
        for constraint in constraints.all_constraints(self.events, self.slots, x, beta, "lpsum"):
            problem += constraint.condition
        for condition in self._our_rules(x, with_seats):
            problem += condition
        problem += objective_functions.efficiency_capacity_demand_difference(
            events=self.events, slots=self.slots, X=x, beta=beta
        )
        if problem.solve(pulp.PULP_CBC_CMD(msg=False)) != pulp.LpStatusOptimal:
            return None
        chosen: dict[str, list[tuple[str, str]]] = {}
        for (i, k), variable in x.items():
            if variable.value() > 0.5:
                chosen.setdefault(self.runs[i].id, []).append((self.slots[k].session, self.slots[k].venue))
        return chosen

    def _our_rules(self, x: dict[tuple[int, int], Any], with_seats: bool) -> list[Any]:
        """A room holds one run per slot and the people of a run are busy in every slot it covers (runs of
        several slots, which ConferenceScheduler cannot express); with `with_seats`, each slot seats everyone
        present: seats of its runs plus the participants hosting then reach the participants available."""
        from conference_scheduler.lp_problem.utils import lpsum

        rules = []
        groups = self._people_groups()
        for slot in self.event.session_slots:
            covering = [(i, k) for (i, k), covered in self.allowed.items() if slot.id in covered]
            for room in self.event.rooms:
                rules.append(lpsum(x[i, k] for i, k in covering if self.slots[k].venue == room.id) <= 1)
            for group in groups:
                rules.append(lpsum(x[i, k] for i, k in covering if i in group) <= 1)
            if with_seats:
                present = sum(slot.id not in p.unavailable for p in self.event.participants)
                rules.append(lpsum(self._seats_and_hosts(i, k, slot.id) * x[i, k] for i, k in covering) >= present)
        return rules

    def _people_groups(self) -> list[set[int]]:
        """Runs that share people: the runs of one session, and the runs of all sessions of one host."""
        groups: dict[str, set[int]] = {}
        for i, session in enumerate(self.runs):
            for key in (f"session {session.id}", *(f"host {h}" for h in session.hosts)):
                groups.setdefault(key, set()).add(i)
        return [g for g in groups.values() if len(g) > 1]

    def _seats_and_hosts(self, i: int, k: int, slot: str) -> int:
        session = self.runs[i]
        return _seats(self.event, session, self.slots[k].venue) + _hosting(self.event, session, slot)


def _hosting(event: Event, session: Session, slot: str) -> int:
    """Participants who host a run of this session in the slot and so need no seat then."""
    hosts = [event.person(h) for h in session.hosts]
    return sum(h.participant and slot not in h.unavailable for h in hosts)


def _host_unavailable(event: Event, session: Session) -> set[str]:
    return {t for h in session.hosts for t in event.person(h).unavailable}


def _minutes(start: clock, end: clock) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
