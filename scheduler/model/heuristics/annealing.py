"""Simulated annealing of the timetable on per-slot wish values, each result seated exactly by CP-SAT.

The move search judges each move by a whole flow seating (500 people: about 0.09 s), so it tries a few hundred
moves a minute, keeps only improvements and stops in the first local optimum; and the flow, seating slot by
slot, is itself a weak judge (500 people: 5,095 weighted by flow where CP-SAT seats the same timetable with
5,127). Here a move is judged by the slots it touches alone: what a slot can grant depends only on the sessions
(and their rooms) in it, so each slot's value is a small max-weight flow over the wish arcs of its sessions
(people to sessions, seats as capacities, anyone may stay unseated: the timetable keeps enough seats for all),
cached by the slot's sessions and rooms. Fairness enters as a penalty per person whom the slot flows grant
fewer wishes than the start's largest shortfall allows (large enough to act as a rule), and the wishes of the
people the start's fair seats favoured keep their bonus. A move that loses value is still taken with
probability exp(change / T), the temperature T falling geometrically over the moves. Each run
anneals from the start with its own random moves; its best timetable by value is seated by CP-SAT
(`exact_seats`: fairness, then weighted wishes) and the best plan of all runs is kept if it ranks above the
start. A longer budget buys more runs, not longer ones (500 people: runs of 7,000–10,000 moves reached
5,141–5,171 weighted, each seed a different timetable).

The moves swap two single-run, single-slot sessions' places or move one such session elsewhere; a session of
two runs or of two slots moves one run at a time to another allowed place (a run of one slot also swaps with a
single session). The seed leaves those sessions where the greedy timetable put them, and they hold many wishes
(500 people: the session of two runs is the most wished, 359 of 500): moving them lifted the plan at 60 s from
5,147 to 5,247 weighted (docs/performance.md). A budget of fewer than MIN_MOVES_PER_SESSION moves per movable
session starts no run (its best timetable at 1,000 people could not be seated as fairly as the start) and leaves
the work to the move search.

For single-run, single-slot sessions the slot flows together are a plan, so the value is what CP-SAT's seats
reach at least (less the bonuses); a session of several runs or slots is counted in each of its slots, so a
wish for it may count twice. Counting it once (in the value, the fairness or both) judged worse on 500 people
(docs/performance.md), so CP-SAT's seats, not the values, decide. Deterministic: the moves come from
`random.Random(seed)` and are counted, not timed, and CP-SAT stops at a work limit; the wall clock only stops
early.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.domain import Event
from scheduler.model.cpsat.seat_model import exact_seats
from scheduler.model.facts import Placed, Timetable, room_classes, seat_limit
from scheduler.model.heuristics.greedy import Move, Moves
from scheduler.model.runner import MODEL_VARIABLES_PER_SECOND, Runner, seconds_of, work_of
from scheduler.model.score import evaluate, rank, shortfall_target

log = logging.getLogger(__name__)

RUN_MOVES_PER_SESSION = 450  # moves of one annealing run per movable session (500 people: 22 sessions, 9,900)
MIN_MOVES_PER_SESSION = 200  # below this no run starts (1,000 people at 60 s: 100, and the run's best timetable
# could not be seated as fairly as the start; 500 people at 60 s: 313, +190 weighted)
MAX_RUNS = 1000  # runs per seed at most (they take seeds seed * MAX_RUNS + run)
EXACT_SHARE = 0.3  # of the work: CP-SAT's seats for each run's best timetable
ARCS_PER_SECOND = 1_000_000  # wish arcs of slot flows built and solved per second, conservatively
MOVE_SECONDS = 0.0003  # Python time of one move tried (drawn, checked, undone or taken), conservatively
START_TEMPERATURE = 6.0  # weighted wishes a move may lose and still be taken with probability 1/e, at first
END_TEMPERATURE = 0.3  # ... at the end
PENALTY = 30  # value lost per person whom the slot flows leave short of the start's fairness
CHECK_EVERY = 256  # moves between looks at the wall clock
SWAP_SHARE = 0.7  # of the moves drawn: swaps of two sessions' places; the rest move one session elsewhere

Slot = tuple[tuple[str, str], ...]  # sorted (session, room class) of the runs in one slot


@dataclass(frozen=True)
class Annealed:
    """The best plan (the start when no run's plan ranks above it), the moves tried, and the work spent outside
    CP-SAT (the moves and slot flows at their conservative speeds, and the building of the seat models)."""

    placed: list[Placed]
    moves: int
    building: float


def search(
    event: Event,
    runner: Runner,
    timetable: Timetable,
    start: list[Placed],
    bonus: Mapping[str, int],
    work: float,
    seed: int,
) -> Annealed:
    """Annealing runs from `timetable` (seated as `start`, with the fair seats' `bonus`) within `work` units,
    as many as fit with RUN_MOVES_PER_SESSION moves per movable session (at least one, with all the moves),
    each run's best timetable seated by CP-SAT; the best plan, `start` unless one ranks above it."""
    movable = len(Moves(event, timetable).movable())
    if movable < 2:  # nothing to anneal (every single-run, single-slot session pinned)
        return Annealed(start, 0, 0.0)
    values = _SlotValues(event, bonus)
    room = values.target - evaluate(event, start).max_shortfall  # granted wishes each person needs
    building = work_of(len(event.participants) * sum(s.runs for s in event.sessions) / MODEL_VARIABLES_PER_SECOND)
    per_move = MOVE_SECONDS + 2 * values.mean_arcs() / ARCS_PER_SECOND
    total = int(seconds_of((1 - EXACT_SHARE) * work) / per_move)
    if total < MIN_MOVES_PER_SESSION * movable:  # too short a run: the budget is better left to the move search
        return Annealed(start, 0, 0.0)
    runs = max(1, total // (RUN_MOVES_PER_SESSION * movable))
    best, moves, spent = start, 0, 0.0
    seated_already: list[Timetable] = []
    for run in range(runs):
        if runner.stopped():
            break
        found, tried = _anneal(event, runner, values, room, timetable, total // runs, seed * MAX_RUNS + run)
        moves += tried
        spent += tried * MOVE_SECONDS
        if runner.stopped() or runner.out_of_time() or found in seated_already:
            continue
        seated_already.append(found)
        seated = exact_seats(event, runner, found, start, EXACT_SHARE * work / runs)
        spent += building
        log.info("annealing run %d of %d: %s after %d moves", run + 1, runs, evaluate(event, seated), tried)
        if rank(event, seated) < rank(event, best):
            best = seated
    spent += values.arcs / ARCS_PER_SECOND
    return Annealed(best, moves, work_of(spent))


def _anneal(
    event: Event, runner: Runner, values: _SlotValues, room: np.ndarray, timetable: Timetable, steps: int, seed: int
) -> tuple[Timetable, int]:
    """One annealing run of `steps` moves: the best timetable by value, and the moves tried."""
    state = Moves(event, timetable)
    search = _Search(event, values, room, state.timetable())
    rng = random.Random(seed)
    movable, others = state.movable(), state.others()
    cooling = (END_TEMPERATURE / START_TEMPERATURE) ** (1 / max(steps, 1))
    temperature, tried = START_TEMPERATURE, 0
    while tried < steps and len(movable) >= 2:
        if tried % CHECK_EVERY == 0 and (runner.stopped() or runner.out_of_time()):
            break
        tried += 1
        temperature *= cooling
        move = _draw(state, movable, others, rng)
        if move is None or not state.apply(move):
            continue
        change = search.change(state.timetable(), _touched(event, move))
        if change >= 0 or rng.random() < math.exp(change / temperature):
            search.take(state.timetable())
        else:
            state.undo(move)
    return search.best, tried


class _Search:
    """One run's state: each slot's value and grants, everyone's grants, the total, and the best timetable."""

    def __init__(self, event: Event, values: _SlotValues, room: np.ndarray, timetable: Timetable) -> None:
        self.event, self.values, self.room = event, values, room
        self.value = {t: values.value(t, runs) for t, runs in _slots(event, timetable).items()}
        self.granted = sum((g for _, g in self.value.values()), np.zeros(values.people, dtype=np.int64))
        self.total = sum(v for v, _ in self.value.values()) - PENALTY * int((self.granted < room).sum())
        self.best, self.top = timetable, self.total

    def change(self, timetable: Timetable, touched: set[str]) -> int:
        """The change of the total by the move (already made on `timetable`); remembered for `take`."""
        self.after = {t: self.values.value(t, runs) for t, runs in _slots(self.event, timetable, touched).items()}
        self.moved = self.granted.copy()
        for t in touched:
            self.moved += self.after[t][1] - self.value[t][1]
        change = sum(self.after[t][0] - self.value[t][0] for t in touched)
        self.pending = change - PENALTY * (int((self.moved < self.room).sum()) - int((self.granted < self.room).sum()))
        return self.pending

    def take(self, timetable: Timetable) -> None:
        """Keep the move whose change was asked last."""
        self.total += self.pending
        self.granted = self.moved
        self.value.update(self.after)
        if self.total > self.top:
            self.best, self.top = timetable, self.total


def _draw(state: Moves, movable: list[str], others: list[str], rng: random.Random) -> Move | None:
    """A random swap of two sessions' places, or a random move of one session to another allowed place. A
    session of several runs or slots (`others`) moves one run at a time; a run of one slot may also swap with a
    single session."""
    a = rng.choice(movable + others)
    here = rng.choice(state.places(a)) if a in others else state.place(a)
    if rng.random() < SWAP_SHARE and (a in movable or state.duration(a) == 1):
        b = rng.choice(movable)
        there = state.place(b)
        return None if there == here else ((a, here, there), (b, there, here))
    to = rng.choice(state.allowed(a))
    return None if to == here else ((a, here, to),)


def _touched(event: Event, move: Move) -> set[str]:
    """The slots a move changes: every slot each moved run covers, before and after."""
    return {
        t
        for session, old, new in move
        for place in (old, new)
        for t in event.covered_slots(place[0], event.session(session).duration)
    }


def _slots(event: Event, timetable: Timetable, only: set[str] | None = None) -> dict[str, Slot]:
    """The runs in each slot (or in the slots `only`), as the cache key of the slot's value."""
    runs: dict[str, list[tuple[str, str]]] = {t: [] for t in only} if only else {}
    for session, places in timetable.items():
        duration = event.session(session).duration
        for start, class_id in places:
            for t in event.covered_slots(start, duration):
                if only is None or t in only:
                    runs.setdefault(t, []).append((session, class_id))
    return {t: tuple(sorted(r)) for t, r in runs.items()}


class _SlotValues:
    """The value of a slot's runs: the most weighted wishes (plus bonuses) a flow grants there, cached."""

    def __init__(self, event: Event, bonus: Mapping[str, int]) -> None:
        """`bonus`: extra weight per person on each of their wishes (the start's fair seats')."""
        self.event = event
        self.classes = {c.id: c for c in room_classes(event)}
        people = sorted(event.participants, key=lambda p: p.id)
        index = {p.id: i for i, p in enumerate(people)}
        self.people = len(people)
        wishers: dict[str, list[tuple[int, int]]] = {s.id: [] for s in event.sessions}
        for p in people:
            for w in p.wishes:
                if p.id not in event.session(w.session).hosts:
                    wishers[w.session].append((index[p.id], event.weight(w.rank)))
        self.wishers = {
            s: (np.array([i for i, _ in ws], dtype=np.int32), np.array([w for _, w in ws], dtype=np.int64))
            for s, ws in wishers.items()
        }
        self.bonus = np.array([bonus.get(p.id, 0) for p in people], dtype=np.int64)
        self.away = {t.id: np.array([t.id in p.unavailable for p in people], dtype=bool) for t in event.session_slots}
        self.hosts = {s.id: [index[h] for h in s.hosts if h in index] for s in event.sessions}
        self.target = np.array([shortfall_target(event, p) for p in people], dtype=np.int64)
        self.cache: dict[tuple[str, Slot], tuple[int, np.ndarray]] = {}
        self.arcs = 0

    def mean_arcs(self) -> float:
        return sum(len(i) for i, _ in self.wishers.values()) / max(len(self.event.session_slots), 1)

    def value(self, slot: str, runs: Slot) -> tuple[int, np.ndarray]:
        """The slot's value and how many wishes each person is granted there (an array over people)."""
        key = (slot, runs)
        if key not in self.cache:
            self.cache[key] = self._flow(slot, runs)
        return self.cache[key]

    def _flow(self, slot: str, runs: Slot) -> tuple[int, np.ndarray]:
        busy = self.away[slot].copy()
        for session, _ in runs:
            busy[self.hosts[session]] = True
        tails, heads, costs = [], [], []
        seats = []
        for j, (session, class_id) in enumerate(runs):
            who, weight = self.wishers[session]
            keep = ~busy[who]
            tails.append(who[keep])
            heads.append(np.full(int(keep.sum()), self.people + j, dtype=np.int32))
            costs.append(-(weight[keep] + self.bonus[who[keep]]))
            seats.append(seat_limit(self.event, self.event.session(session), self.classes[class_id]))
        if not runs:
            return 0, np.zeros(self.people, dtype=np.int8)
        tail = np.concatenate(tails)
        people = np.unique(tail)
        sink = self.people + len(runs)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate([tail, people, self.people + np.arange(len(runs), dtype=np.int32)]).astype(np.int32),
            np.concatenate(
                [*heads, np.full(len(people), sink, dtype=np.int32), np.full(len(runs), sink, dtype=np.int32)]
            ),
            np.concatenate(
                [
                    np.ones(len(tail), dtype=np.int64),
                    np.ones(len(people), dtype=np.int64),
                    np.array(seats, dtype=np.int64),
                ]
            ),
            np.concatenate([*costs, np.zeros(len(people) + len(runs), dtype=np.int64)]).astype(np.int64),
        )
        flow.set_nodes_supplies(people.astype(np.int32), np.ones(len(people), dtype=np.int64))
        flow.set_node_supply(sink, -len(people))
        if flow.solve() != flow.OPTIMAL:
            raise RuntimeError("a slot flow has no solution")  # cannot happen: everyone may stay unseated
        self.arcs += len(tail)
        seated = tail[flow.flows(np.arange(len(tail), dtype=np.int32)) > 0]
        # 0 or 1 per person, kept for every slot seen: int8, not bincount's int64 (1,000 people: 22,000 entries
        # in 86 s of annealing held 166 MiB)
        return -int(flow.optimal_cost()), np.bincount(seated, minlength=self.people).astype(np.int8)
