"""Timetable search outside the joint model: fair flow seats for a seed timetable, and the move search.

The search is counted in flow seatings, not seconds, so it is deterministic; the wall clock only stops it
early on a much slower machine.
"""

from __future__ import annotations

import logging

from scheduler.domain import Event
from scheduler.model.facts import Placed, Timetable
from scheduler.model.heuristics.fair_seats import BONUS_ROUNDS, FairSeats, fair_seats
from scheduler.model.heuristics.greedy import Move, fitted_timetable, timetable_moves
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.runner import Runner, seconds_of, work_of
from scheduler.model.score import evaluate, rank

log = logging.getLogger(__name__)

FLOW_PAIRS_PER_SECOND = 400_000  # (person, run) pairs one flow seating handles per second, conservatively
FITTED_MIN_SEATINGS = 20  # seating budget from which the room-fitted greedy timetable is tried
SEED_BUDGET_FACTOR = 4  # the greedy timetable is seated too when the budget is this many times the first seed


def pairs(event: Event) -> int:
    """(person, run) pairs: the size of one flow seating, and of the seat model for a fixed timetable."""
    return len(event.participants) * sum(s.runs for s in event.sessions)


def seatings(event: Event, work: float) -> int:
    """Flow seatings that `work` units stand for at the conservative speed: a count, so deterministic."""
    return int(seconds_of(work) * FLOW_PAIRS_PER_SECOND / max(pairs(event), 1) + 1e-9)


def seatings_work(event: Event, count: int) -> float:
    """The work units `count` flow seatings stand for (the inverse of `seatings`)."""
    return work_of(count * max(pairs(event), 1) / FLOW_PAIRS_PER_SECOND)


def seed(event: Event, runner: Runner, greedy: Timetable, budget: int) -> tuple[Timetable, FairSeats]:
    """The timetable to search from, with fair flow seats, within the seating budget.

    The room-fitted greedy timetable first (its descent costs about ten seatings, so only with a budget of
    FITTED_MIN_SEATINGS), then the greedy one when the budget is SEED_BUDGET_FACTOR times what seeding took so
    far; the better one wins. Fitted seated better on all generated instances, 500 to 5,000 people.
    """
    starts = [greedy] if budget < FITTED_MIN_SEATINGS else [fitted_timetable(event, greedy), greedy]
    seeds: list[tuple[Timetable, FairSeats]] = []
    used = 0
    one_seating = _seconds_per_seating(event)
    for timetable in starts:
        if seeds and (budget - used < SEED_BUDGET_FACTOR * used or runner.out_of_time(one_seating)):
            break
        rounds = max(1, min(BONUS_ROUNDS, (budget - used - 1) // 2))
        seats = fair_seats(event, timetable, rounds, lambda: runner.stopped() or runner.out_of_time(one_seating))
        used += seats.seatings
        seeds.append((timetable, seats))
    timetable, seats = min(seeds, key=lambda seed: seed[1].rank(event))
    seats.seatings = used
    return timetable, seats


def swap_search(
    event: Event, runner: Runner, timetable: Timetable, seats: FairSeats, budget: int
) -> tuple[Timetable, list[Placed], int]:
    """Try timetable moves (see `timetable_moves`), re-seat by flow, keep a move when the plan is better; the
    first improvement wins. Seats for a move use the flow settings that seated the start best (its tolerated
    level and bonuses), so moves are judged alike.

    A move tried in vain is not tried again, so the search moves on to new moves after every improvement
    instead of re-trying the most promising ones. `budget` is the number of seatings (deterministic); the wall
    clock only stops the search early on a much slower machine. Returns the timetable, its seats and the number
    of seatings tried.
    """
    assert seats.placed is not None
    placed = seats.placed
    one_seating = _seconds_per_seating(event)
    tried, improved = 0, True
    failed: set[Move] = set()
    runner.report("satisfaction", evaluate(event, placed).weighted)
    while improved:
        improved = False
        for move, candidate in timetable_moves(event, timetable):
            if move in failed:
                continue
            if tried >= budget:
                runner.ended("work")
                return timetable, placed, tried
            if runner.stopped() or runner.out_of_time(one_seating):
                return timetable, placed, tried
            tried += 1
            failed.add(move)
            better = assign_seats(event, candidate, seats.tolerated, seats.bonus)
            if better is not None and rank(event, better) < rank(event, placed):
                timetable, placed, improved = candidate, better, True
                log.info("move search: %s after %d seatings", evaluate(event, placed), tried)
                runner.report("satisfaction", evaluate(event, placed).weighted)
                break
    runner.ended("moves")
    return timetable, placed, tried


def _seconds_per_seating(event: Event) -> float:
    """Wall-clock seconds one flow seating may take on a busy machine (twice the conservative speed)."""
    return 2 * pairs(event) / FLOW_PAIRS_PER_SECOND
