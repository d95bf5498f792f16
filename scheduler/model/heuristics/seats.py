"""Seats for a fixed timetable without search: one min-cost flow per session slot, in time order.

In each slot the people present (available, not hosting, not already seated by a longer run) flow to the runs
that start there; a run's seats are min(session, room) and its minimum is a demand of the run node, so every
flow that exists is a complete, valid agenda for that slot. The cost of a seat is minus the weight of the
wish it grants, plus a large bonus when missing that wish would raise the person's shortfall for good (their
remaining wished slots no longer reach their target): people with the largest risk get their wish first.

With single-run sessions the slots are independent apart from fairness, so this is exact for the weighted
value; otherwise it is a good plan that CP-SAT may improve (a complete hint is what CP-SAT uses best).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.domain import Event, Person
from scheduler.model.facts import Placed, Timetable, room_classes, seat_limit
from scheduler.model.score import shortfall_target

RISK_BASE = 64  # how much more one level of forced shortfall weighs than the level below
MAX_RISK = 5  # levels above this weigh like this one (keeps the costs far inside 64-bit integers)


@dataclass
class _Run:
    session: str
    start: str
    room_class: str
    covered: tuple[str, ...]
    seats: int
    minimum: int
    attendees: list[str] = field(default_factory=list)


def assign_seats(
    event: Event, timetable: Timetable, tolerated: int = 0, bonus: Mapping[str, int] | None = None
) -> list[Placed] | None:
    """Runs of the timetable with attendees; None when some slot has no complete seating (seats or minimums).

    `tolerated`: forced shortfalls up to this level get no bonus. Protecting everyone from any shortfall costs
    many weighted wishes when the largest shortfall must be larger anyway (5,000 people: 43,773 weighted at
    tolerated 0, 46,223 at 4, both with largest shortfall 4). `bonus`: person id -> extra weight on each of
    their wishes, for people whom earlier seatings left short (see `fair_seats`).
    """
    return _Seating(event, timetable, tolerated, bonus or {}).run()


class _Seating:
    def __init__(self, event: Event, timetable: Timetable, tolerated: int, bonus: Mapping[str, int]) -> None:
        self.event = event
        self.tolerated = tolerated
        self.bonus = bonus
        self.slot_ids = [s.id for s in event.session_slots]
        classes = {c.id: c for c in room_classes(event)}
        self.runs: list[_Run] = []
        for session_id in sorted(timetable):
            s = event.session(session_id)
            for start, class_id in timetable[session_id]:
                seats = seat_limit(event, s, classes[class_id])
                covered = event.covered_slots(start, s.duration)
                self.runs.append(_Run(session_id, start, class_id, covered, seats, s.minimum))
        self.busy: dict[str, set[str]] = {p.id: set(p.unavailable) for p in event.participants}
        for run in self.runs:
            for host in event.session(run.session).hosts:
                if host in self.busy:
                    self.busy[host] |= set(run.covered)
        self.people = sorted(event.participants, key=lambda p: p.id)
        self.weights = {p.id: _wish_weights(event, p) for p in self.people}
        self.target = {p.id: shortfall_target(event, p) for p in self.people}
        self.attended: dict[str, set[str]] = {p.id: set() for p in self.people}
        self.granted = dict.fromkeys(self.weights, 0)
        self.starts: dict[str, list[str]] = {}
        for run in self.runs:
            self.starts.setdefault(run.session, []).append(run.start)
        self.top_weight = max((w for ws in self.weights.values() for w in ws.values()), default=0) + 1
        self.pinned: dict[str, dict[str, int]] = {}  # person -> session -> index of the run they are fixed to
        self.reserved: dict[str, set[str]] = {}  # person -> slots their pinned runs cover
        self.pins_hold = self._pin_fixed()

    def run(self) -> list[Placed] | None:
        if not self.pins_hold:
            return None
        for i, t in enumerate(self.slot_ids):
            if not self._seat_slot(t, set(self.slot_ids[i + 1 :])):
                return None
        return [Placed(r.session, r.start, r.room_class, tuple(sorted(r.attendees))) for r in self.runs]

    def _seat_slot(self, slot: str, later: set[str]) -> bool:
        starting = [r for r in self.runs if r.start == slot]
        present = [p for p in self.people if slot not in self.busy[p.id]]
        if not present:
            return not any(r.minimum for r in starting)
        n, m = len(present), len(starting)
        allowed, gain = self._arcs(present, starting, slot, later)
        people, runs = np.nonzero(allowed)  # person-major, as the arcs were always added
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.set_nodes_supplies(np.arange(n), np.ones(n, dtype=np.int64))
        flow.add_arcs_with_capacity_and_unit_cost(
            people, n + runs, np.ones(len(people), dtype=np.int64), -gain[people, runs]
        )
        sink = n + m
        for j, r in enumerate(starting):
            flow.set_node_supply(n + j, -r.minimum)
            flow.add_arc_with_capacity_and_unit_cost(n + j, sink, r.seats - r.minimum, 0)
        flow.set_node_supply(sink, -(n - sum(r.minimum for r in starting)))
        if any(r.seats < r.minimum for r in starting) or flow.solve() != flow.OPTIMAL:
            return False
        used = np.nonzero(flow.flows(np.arange(len(people))))[0]
        for i, j in zip(people[used].tolist(), runs[used].tolist(), strict=True):
            self._seat(present[i], starting[j])
        return True

    def _arcs(
        self, present: list[Person], starting: list[_Run], slot: str, later: set[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Which person may take which run (a boolean matrix), and what a seat there is worth (wish weight plus
        risk and bonus for a wished run, else 0). Only the few exceptions are looked at one by one: people fixed
        to runs, sessions already attended, runs over several slots."""
        column = {r.session: j for j, r in enumerate(starting)}
        allowed = np.ones((len(present), len(starting)), dtype=bool)
        gain = np.zeros((len(present), len(starting)), dtype=np.int64)
        long_runs = [j for j, r in enumerate(starting) if len(r.covered) > 1]
        for i, p in enumerate(present):
            if p.id in self.pinned:
                allowed[i] = [self._can_attend(p, r) for r in starting]
            else:
                for session in self.attended[p.id]:
                    if session in column:
                        allowed[i, column[session]] = False
                busy = self.busy[p.id]
                for j in long_runs:
                    if not busy.isdisjoint(starting[j].covered):
                        allowed[i, j] = False
            risk = self._risk(p, slot, later) + self.bonus.get(p.id, 0)
            for session, weight in self.weights[p.id].items():
                if session in column:
                    gain[i, column[session]] = weight + risk
        return allowed, gain

    def _can_attend(self, person: Person, run: _Run) -> bool:
        pinned = self.pinned.get(person.id)
        if pinned is not None:
            if run.session in pinned:
                return self.runs[pinned[run.session]] is run and self.busy[person.id].isdisjoint(run.covered)
            if not self.reserved[person.id].isdisjoint(run.covered):
                return False  # the slot belongs to a run the person is fixed to
        return run.session not in self.attended[person.id] and self.busy[person.id].isdisjoint(run.covered)

    def _pin_fixed(self) -> bool:
        """Choose for each `Fest` entry the run the person attends: slots apart from each other and from what
        the person hosts or cannot attend, the least pinned run first; False when some person has no choice."""
        load = [0] * len(self.runs)
        by_session: dict[str, list[int]] = {}
        for i, run in enumerate(self.runs):
            by_session.setdefault(run.session, []).append(i)
        for p in self.people:
            if not p.fixed:
                continue
            chosen = self._choose(sorted(p.fixed), by_session, self.busy[p.id], load, {})
            if chosen is None:
                return False
            self.pinned[p.id] = chosen
            self.reserved[p.id] = {t for i in chosen.values() for t in self.runs[i].covered}
            for i in chosen.values():
                load[i] += 1
        return True

    def _choose(
        self, sessions: list[str], by_session: dict[str, list[int]], busy: set[str], load: list[int], chosen: dict
    ) -> dict[str, int] | None:
        """A run for each of `sessions` (a small depth-first search: people are fixed to a few sessions)."""
        if not sessions:
            return dict(chosen)
        session, rest = sessions[0], sessions[1:]
        for i in sorted(by_session.get(session, []), key=lambda i: (load[i], i)):
            covered = set(self.runs[i].covered)
            if busy.isdisjoint(covered):
                chosen[session] = i
                found = self._choose(rest, by_session, busy | covered, load, chosen)
                del chosen[session]
                if found is not None:
                    return found
        return None

    def _seat(self, person: Person, run: _Run) -> None:
        run.attendees.append(person.id)
        self.attended[person.id].add(run.session)
        self.busy[person.id] |= set(run.covered)
        if run.session in self.weights[person.id]:
            self.granted[person.id] += 1

    def _risk(self, person: Person, slot: str, later: set[str]) -> int:
        """Bonus for a wish now: positive when without it the person's shortfall is sure to grow."""
        wished = self.weights[person.id].keys() - self.attended[person.id]
        busy = self.busy[person.id]
        chances = {t for s in wished for t in self.starts.get(s, ()) if t in later and t not in busy}
        level = min(self.target[person.id] - self.granted[person.id] - len(chances), MAX_RISK)
        return self.top_weight * RISK_BASE ** (level - 1) if level > self.tolerated else 0


def _wish_weights(event: Event, person: Person) -> dict[str, int]:
    """Session -> weight of the person's wish for it (hosts' wishes for their own session do not count)."""
    return {w.session: event.weight(w.rank) for w in person.wishes if person.id not in event.session(w.session).hosts}
