"""Annealing of a large event's timetable on slot values, for the budget the slot-value search leaves.

`pair_swaps.search` keeps the first move that raises the sum of the slot values and stops when no move does,
often long before its budget at longer time limits. Here random moves go on from that local optimum: a run
of a single-slot session that is not fixed to a slot (runs of sessions that run twice included) moves to
another allowed place or swaps places with a run of another such session; the move is judged, as in the
search, by the slot values of the one or two slots it touches (`pair_swaps.SlotValues`), and a move that
loses value is still taken with probability exp(change / T), T falling geometrically from START_TEMPERATURE
to END_TEMPERATURE wish weights over the budget. The best timetable by value is kept, so the result is never
below the start. Slot values are cached by the slot's runs; a value from the cache costs no budget.
Deterministic: the moves come from `random.Random(seed)` and the budget counts slot values, not seconds.
"""

from __future__ import annotations

import logging
import math
import random

from scheduler.domain import Event
from scheduler.model.cpsat.timetable import collision_weights
from scheduler.model.facts import Timetable
from scheduler.model.heuristics.greedy import Move, Moves
from scheduler.model.heuristics.pair_swaps import SLOT_PAIRS_PER_SECOND, Found, SlotValues, slot_pairs
from scheduler.model.runner import Runner

log = logging.getLogger(__name__)

START_TEMPERATURE = 4.0  # wish weights a move may lose and still be taken with probability 1/e, at first
END_TEMPERATURE = 0.2  # ... at the end
SWAP_SHARE = 0.7  # of the moves drawn: swaps of two runs' places; the rest move one run elsewhere
DRAWS_PER_FLOW = 20  # draws at most per slot value of the budget (most draws break a rule where little can move)

Runs = tuple[tuple[str, str], ...]  # (session, room class) of the runs in one slot, by session


def anneal(event: Event, runner: Runner, start: Found, budget: int, seed: int, reserve: float = 0.0) -> Found:
    """The best timetable by slot values from annealing `start.timetable` within `budget` slot values more
    (`start` itself when nothing beats it); `flows` counts the start's and these. The wall clock stops it early
    when fewer than `reserve` seconds are left besides the next move."""
    state = Moves(event, start.timetable, collision_weights(event))
    movable = sorted(s.id for s in event.sessions if s.duration == 1 and s.fixed_slot is None)
    values = _CachedValues(event)
    timetable = start.timetable
    current = {t.id: values.of(timetable, t.id) for t in event.session_slots}  # from the cache after the first
    total, best = sum(current.values()), start
    rng = random.Random(seed)
    cooling = (END_TEMPERATURE / START_TEMPERATURE) ** (1 / max(budget, 1))
    temperature = START_TEMPERATURE * values.scale
    one_move = 2 * 2 * slot_pairs(event) / SLOT_PAIRS_PER_SECOND  # two slots, twice as slow as counted
    draws = 0
    while values.flows < budget and draws < DRAWS_PER_FLOW * budget and len(movable) >= 2:
        if runner.stopped() or runner.out_of_time(one_move + reserve):
            return _found(best, start, values.flows)
        draws += 1
        move = _draw(state, timetable, movable, rng)
        if move is None or not state.apply(move):
            continue
        candidate = state.timetable()
        slots = {place[0] for _, old, new in move for place in (old, new)}
        before = values.flows
        after = {t: values.of(candidate, t) for t in slots}
        temperature *= cooling ** (values.flows - before)
        change = sum(after.values()) - sum(current[t] for t in slots)
        if change >= 0 or rng.random() < math.exp(change / temperature):
            timetable, total = candidate, total + change
            current.update(after)
            if total > best.value:
                best = Found(timetable, total, 0)
                log.info("slot annealing: %d after %d flows", total, start.flows + values.flows)
        else:
            state.undo(move)
    runner.ended("work" if values.flows >= budget else "moves")
    return _found(best, start, values.flows)


def _found(best: Found, start: Found, flows: int) -> Found:
    return Found(best.timetable, best.value, start.flows + flows)


def _draw(state: Moves, timetable: Timetable, movable: list[str], rng: random.Random) -> Move | None:
    """A random swap of two runs' places, or a random move of one run to another allowed place."""
    a = rng.choice(movable)
    here = rng.choice(timetable[a])
    if rng.random() < SWAP_SHARE:
        b = rng.choice(movable)
        there = rng.choice(timetable[b])
        if a == b or there == here:
            return None
        return (a, here, there), (b, there, here)
    to = rng.choice(state.allowed(a))
    return None if to in timetable[a] else ((a, here, to),)


class _CachedValues:
    """`SlotValues` remembered by the slot's runs; `flows` counts the values computed, not those remembered."""

    def __init__(self, event: Event) -> None:
        self.values = SlotValues(event)
        self.scale = self.values.scale
        self.memory: dict[tuple[str, Runs], int] = {}
        self.flows = 0

    def of(self, timetable: Timetable, slot: str) -> int:
        key = (slot, self.values.runs(timetable, slot))
        if key not in self.memory:
            self.memory[key] = self.values.of(timetable, slot)
            self.flows += 1
        return self.memory[key]
