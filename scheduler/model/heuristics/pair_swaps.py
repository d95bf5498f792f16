"""The timetable search for large events: moves judged by the wishes the slots they touch can grant.

`move_search.swap_search` seats the whole timetable anew, fairly, for every move it tries (5,000 people: about
1.5 s a seating, so some twenty moves in the default minute). Here a move is judged by what bounds every
seating of the timetable: the most weighted wishes each slot can grant on its own (a max-weight assignment of
the people present to the runs there by min-cost flow, people with the same wishes among the slot's sessions
one node). For single-run, single-slot sessions this is exactly the best a seating reaches, fairness aside
(see `SlotValues` for the others), and a move changes it in the one or two slots it touches only: two small
flows per move instead of a seating (5,000 people: about 5 ms instead of 1.5 s). The fair seats are made once,
for the timetable found (`fair_seats`). The moves are those of `timetable_moves` plus moves of single runs of
sessions that run twice (`run_moves`), in the order of their change in collisions plus overflow; the first
improvement wins; a move tried in vain is not tried again. One move state (`Moves`) is kept and moved along,
instead of a new one per improvement (at 5,000 people half of the search's time went into those).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.domain import Event
from scheduler.model.cpsat.timetable import collision_weights
from scheduler.model.facts import Timetable, room_classes, seat_limit
from scheduler.model.heuristics.greedy import Move, Moves
from scheduler.model.runner import Runner, work_of

log = logging.getLogger(__name__)

SLOT_PAIRS_PER_SECOND = 10_000_000  # (person, run) pairs of one slot valued per second, conservatively: 100 slot
# values a second at 5,000 people / 20.5 runs a slot (measured 140-240 at load 3-4; counted at 150, the default
# minute ran 61.5 s at load 4.5), 39 at 10,000 people / 25.8
MIN_FLOW_SECONDS = 0.002  # what one slot value costs at least, with its move (300 people / 24 sessions: 0.9 ms)


@dataclass
class Found:
    timetable: Timetable
    value: int  # the sum of the slot values, in units of 1/`SlotValues.scale` wish weights
    flows: int  # slot values computed
    stalled: bool = False  # no move raised the value before the budget ended
    kept: tuple[Timetable, ...] = ()  # the timetables at the checkpoints the search passed, in their order


def slot_pairs(event: Event) -> int:
    """(person, run) pairs of an average slot: what one slot value costs."""
    return len(event.participants) * sum(s.runs for s in event.sessions) // max(len(event.session_slots), 1)


def flows_work(event: Event, count: int) -> float:
    """The work units `count` slot values stand for at the conservative speed, at least MIN_FLOW_SECONDS each."""
    return work_of(count * max(slot_pairs(event) / SLOT_PAIRS_PER_SECOND, MIN_FLOW_SECONDS))


def flows_of(event: Event, work: float) -> int:
    """Slot values that `work` units stand for (the inverse of `flows_work`): a count, so deterministic."""
    one = flows_work(event, 1)
    return int(work / one + 1e-9) if one > 0 else 0


def search(
    event: Event,
    runner: Runner,
    timetable: Timetable,
    budget: int,
    reserve: float = 0.0,
    checkpoints: Sequence[int] = (),
) -> Found:
    """Moves of `timetable` kept while they raise the sum of the slot values, within `budget` slot values
    (deterministic; the wall clock only stops the search early on a much slower machine, when fewer than
    `reserve` seconds are left besides the next move: the time kept for what follows). At each count of
    `checkpoints` (ascending, below `budget`) the timetable is kept as a search with that budget would have
    ended (`Found.kept`): the slot values do not see fairness, so a deeper timetable may seat less fairly."""
    values = SlotValues(event)
    collisions = collision_weights(event)
    state = Moves(event, timetable, collisions)
    current = {t.id: values.of(timetable, t.id) for t in event.session_slots}
    flows = len(current)
    one_move = 2 * 2 * slot_pairs(event) / SLOT_PAIRS_PER_SECOND  # two slots, twice as slow as counted
    failed: set[Move] = set()
    kept: list[Timetable] = []
    improved = True
    while improved:
        improved = False
        for _, move in sorted(state.scored() + run_moves(event, state, timetable, collisions)):
            if move in failed:
                continue
            slots = {place[0] for _, old, new in move for place in (old, new)}
            while len(kept) < len(checkpoints) and flows + len(slots) > checkpoints[len(kept)]:
                kept.append(timetable)
            if flows + len(slots) > budget:
                runner.ended("work")
                return Found(timetable, sum(current.values()), flows, kept=tuple(kept))
            if runner.stopped() or runner.out_of_time(one_move + reserve):
                return Found(timetable, sum(current.values()), flows, kept=tuple(kept))
            if not state.apply(move):
                continue
            failed.add(move)
            candidate = state.timetable()
            after = {t: values.of(candidate, t) for t in slots}
            flows += len(slots)
            if sum(after.values()) > sum(current[t] for t in slots):
                timetable, improved = candidate, True
                current.update(after)
                log.info("slot values: %d after %d flows", sum(current.values()), flows)
                break
            state.undo(move)
    runner.ended("moves")
    return Found(timetable, sum(current.values()), flows, stalled=True, kept=tuple(kept))


def run_moves(
    event: Event, state: Moves, timetable: Timetable, collisions: Mapping[tuple[str, str], int]
) -> list[tuple[float, Move]]:
    """Moves of one run of a single-slot session that runs more than once (not fixed to a slot): to another
    allowed place, or swapped with the place of a single-run, single-slot session; each with its change in
    collisions (`collision_weights` already counts a run of such a session at its share). `timetable_moves`
    leaves these sessions where the greedy put them, and at 5,000 people they hold a fifth of the wishes."""
    sessions = sorted(event.sessions, key=lambda s: s.id)
    single = [s.id for s in sessions if s.runs == 1 and s.duration == 1]
    found: list[tuple[float, Move]] = []
    for s in (s for s in sessions if s.runs > 1 and s.duration == 1 and s.fixed_slot is None):
        places = timetable[s.id]
        for here in places:
            before = state.collisions(s.id, here[0])
            found += [
                (state.collisions(s.id, to[0]) - before, ((s.id, here, to),))
                for to in state.allowed(s.id)
                if to not in places
            ]
            for other in single:
                there = timetable[other][0]
                if there[0] == here[0]:
                    change = 0
                else:
                    shared = collisions.get((min(s.id, other), max(s.id, other)), 0)
                    change = (
                        state.collisions(s.id, there[0])
                        - shared
                        - before
                        + state.collisions(other, here[0])
                        - shared
                        - state.collisions(other, there[0])
                    )
                found.append((change, ((s.id, here, there), (other, there, here))))
    return found


class SlotValues:
    """The most weighted wishes one slot of a timetable can grant (people with the same wishes there: one node).

    A session that runs twice or lasts two slots grants its wish once over its places, so each place counts its
    share of the weight (values in units of 1/`scale` wish weights); counted in full, the search would fill
    those sessions' slots with their wishers twice over. For such sessions the value is an estimate, not a
    bound: a person who attends one run of two gets the whole wish in a seating and half of it here, one
    seated in both runs gets it in full here and once in a seating. Measured at 5,000 people against keeping
    those sessions' attendees fixed (exact for the rest): the shares found +124 weighted wishes for the free
    seating where the fixed attendees lost 168; with the runs' moves, 1.5 and 2 times the share instead of the
    share judged worse on generated 300-person events (docs/performance.md)."""

    def __init__(self, event: Event) -> None:
        self.event = event
        people = sorted(event.participants, key=lambda p: p.id)
        self.index = {p.id: i for i, p in enumerate(people)}
        self.column = {s.id: j for j, s in enumerate(sorted(event.sessions, key=lambda s: s.id))}
        self.scale = math.lcm(*(s.runs * s.duration for s in event.sessions))
        self.weights = np.zeros((len(people), len(self.column)), dtype=np.int64)
        for i, p in enumerate(people):
            for w in p.wishes:
                s = event.session(w.session)
                self.weights[i, self.column[w.session]] = event.weight(w.rank) * self.scale // (s.runs * s.duration)
        self.available = {
            t.id: np.array([t.id not in p.unavailable for p in people], dtype=bool) for t in event.session_slots
        }
        classes = room_classes(event)
        self.order = sorted(self.column)
        slots = [t.id for t in event.session_slots]
        self.spans = {(s.id, t): event.covered_slots(t, s.duration) for s in event.sessions for t in slots}
        self.hosts = {
            s.id: np.array([self.index[h] for h in s.hosts if h in self.index], dtype=np.int64) for s in event.sessions
        }
        self.seats = {(s.id, c.id): seat_limit(event, s, c) for s in event.sessions for c in classes}
        self.minimum = {s.id: s.minimum for s in event.sessions}

    def runs(self, timetable: Timetable, slot: str) -> tuple[tuple[str, str], ...]:
        """(session, room class) of the runs in the slot, by session: all that its value depends on."""
        return tuple(
            (session, class_id)
            for session in self.order
            for start, class_id in timetable[session]
            if slot in self.spans[session, start]
        )

    def of(self, timetable: Timetable, slot: str) -> int:
        runs = self.runs(timetable, slot)
        present = self.available[slot].copy()
        for session, _ in runs:
            present[self.hosts[session]] = False
        columns = [self.column[session] for session, _ in runs]
        seats = [self.seats[run] for run in runs]
        minimum = [self.minimum[session] for session, _ in runs]
        groups, count = _grouped(self.weights[present][:, columns])
        return _best(groups, count, seats, minimum)


def _grouped(wishes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of `wishes` and how often each occurs. Each row is read as a few numbers whose digits
    are its weights (as many columns per number as fit 62 bits), and the rows sorted by those numbers."""
    base = int(wishes.max(initial=0)) + 1
    width = max(1, int(62 / math.log2(base))) if base > 1 else wishes.shape[1] or 1
    digits = base ** np.arange(width, dtype=np.int64)
    keys = [
        wishes[:, k : k + width] @ digits[: min(width, wishes.shape[1] - k)] for k in range(0, wishes.shape[1], width)
    ]
    if not keys:
        return np.zeros((1, 0), dtype=np.int64), np.array([len(wishes)], dtype=np.int64)
    order = np.lexsort(keys[::-1])
    key = np.stack(keys, axis=1)[order]
    starts = np.concatenate([[True], (key[1:] != key[:-1]).any(axis=1)])
    first = np.nonzero(starts)[0]
    count = np.diff(np.append(first, len(order)))
    return wishes[order[first]], count.astype(np.int64)


def _best(groups: np.ndarray, count: np.ndarray, seats: list[int], minimum: list[int]) -> int:
    """Max-weight assignment of groups (count people each, weight per run) to runs with seats and minimums."""
    g, m = groups.shape
    hub, sink = g + m, g + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.set_nodes_supplies(np.arange(g), count.astype(np.int64))
    for j in range(m):
        flow.set_node_supply(g + j, -minimum[j])
    flow.set_node_supply(sink, -(int(count.sum()) - sum(minimum)))
    tails, heads = np.nonzero(groups)
    flow.add_arcs_with_capacity_and_unit_cost(tails, g + heads, count[tails].astype(np.int64), -groups[tails, heads])
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(g), np.full(g, hub), count.astype(np.int64), np.zeros(g, dtype=np.int64)
    )
    for j in range(m):
        flow.add_arc_with_capacity_and_unit_cost(hub, g + j, seats[j], 0)
        flow.add_arc_with_capacity_and_unit_cost(g + j, sink, max(seats[j] - minimum[j], 0), 0)
    if flow.solve() != flow.OPTIMAL:
        return -(10**12)  # no seating of the slot: never better than a timetable that has one
    return -int(flow.optimal_cost())
