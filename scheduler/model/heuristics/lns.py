"""Large-neighbourhood search for large events: free a part of the plan, re-solve it exactly, keep what improves.

The move search changes one or two sessions at a time and judges each change by a flow seating, so it stops in
a local optimum long before the limit (500 people: after 13 s of 300). Here a step frees a pair of slots and a
group of sessions in them that share many wishers (a pivot session chosen at random and those in the two slots
whose wishers overlap its own most): those sessions may take any allowed place in either slot, and seats in the
two slots are re-chosen, while all other runs and seats stay. Two sizes alternate at random: a small group with
only the group's wishers and attendees re-seated (solved to optimality in a fraction of a work unit), and a
large group with everyone in the two slots re-seated (500 people, measured: the small steps alone found +7
weighted wishes in 25 work units, the large ones +9 in 16; see docs/performance.md). CP-SAT solves the part
with every rule, in a model built from the part alone (`lns_part`: the rest of the plan enters as constants, so
a step costs the same at 500 and at 10,000 people), with nobody's shortfall above the plan's largest one and the
most weighted wishes wanted; the current plan is its hint and one solution of it, so a step never makes the
plan worse. A step is kept when
the plan ranks better (fairness first, then weighted wishes); a part solved to optimality is not tried again
until the plan changes.

Deterministic: parts come from `random.Random(seed)`, each step's CP-SAT stops at a deterministic work limit,
and the building of each model is counted in work units by its size. The wall clock only stops early.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass

from scheduler.domain import Event
from scheduler.model.facts import Placed
from scheduler.model.heuristics.lns_part import Part, solve_part
from scheduler.model.runner import MODEL_VARIABLES_PER_SECOND, Runner, seconds_of, work_of
from scheduler.model.score import evaluate, rank

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Size:
    """One kind of step: how many sessions it frees, whether everyone in the two slots is re-seated, its work."""

    sessions: int
    everyone: bool
    work: float


SMALL = Size(3, everyone=False, work=0.5)
LARGE = Size(10, everyone=True, work=1.5)
DRAWS = 20  # draws for a part not yet solved to optimality before the step is given up


@dataclass(frozen=True)
class Outcome:
    """The plan after the search, the steps tried, and the work spent outside CP-SAT (building the models)."""

    placed: list[Placed]
    steps: int
    building: float


def search(event: Event, runner: Runner, placed: list[Placed], work: float, seed: int) -> Outcome:
    """Steps until `work` units are spent (CP-SAT's work plus the building of the models), the user stops, or
    the wall clock leaves less than one step's estimated time."""
    rng = random.Random(seed)
    slots = [s.id for s in event.session_slots]
    movable = {s.id for s in event.sessions if s.runs == 1 and s.duration == 1 and s.fixed_slot is None}
    wishers: dict[str, set[str]] = {s.id: set() for s in event.sessions}
    for p in event.participants:
        for w in p.wishes:
            wishers[w.session].add(p.id)
    registered = {p.id for p in event.participants}  # hosts who do not attend have no seats
    build = {SMALL: 0.0, LARGE: 0.0}  # the largest model of each size so far: a step's building counts by its size
    building = 0.0
    done: set[tuple[tuple[str, str], tuple[str, ...], bool]] = set()  # parts solved to optimality for this plan
    spent, steps = 0.0, 0
    while len(slots) >= 2 and not runner.stopped():
        size = rng.choice((SMALL, LARGE))
        if spent + size.work + build[size] > work:
            runner.ended("work")
            break
        if runner.out_of_time(seconds_of(size.work + build[size])):
            break
        part = _draw(placed, movable, wishers, slots, size, done, rng)
        if part is None:
            runner.ended("moves")
            break
        pair, free = part
        people = _everyone_in(event, placed, pair) if size.everyone else _concerned(event, placed, free)
        chosen = Part(pair, tuple(free), frozenset(people & registered), evaluate(event, placed).max_shortfall)
        used = runner.work_used
        result = solve_part(event, runner, placed, chosen, size.work)
        made = work_of(result.variables / MODEL_VARIABLES_PER_SECOND)
        build[size], building = max(build[size], made), building + made
        spent += runner.work_used - used + made
        steps += 1
        found, optimal = result.placed, result.optimal
        if found is not None and rank(event, found) < rank(event, placed):
            placed = found
            done.clear()
            log.info("lns: %s after %d steps (slots %s, %s; %d free)", evaluate(event, placed), steps, *pair, len(free))
            runner.report("satisfaction", evaluate(event, placed).weighted)
        elif optimal:
            done.add((pair, tuple(free), size.everyone))
    return Outcome(placed, steps, building)


def _draw(
    placed: list[Placed],
    movable: set[str],
    wishers: dict[str, set[str]],
    slots: list[str],
    size: Size,
    done: set[tuple[tuple[str, str], tuple[str, ...], bool]],
    rng: random.Random,
) -> tuple[tuple[str, str], list[str]] | None:
    """A slot pair and a group in it (a random pivot and the sessions sharing most wishers with it) not yet
    solved to optimality for this plan; None after DRAWS tries."""
    for _ in range(DRAWS):
        a, b = sorted(rng.sample(slots, 2), key=slots.index)
        here = sorted(r.session for r in placed if r.start in (a, b) and r.session in movable)
        if not here:
            continue
        pivot = rng.choice(here)
        shared = Counter({s: len(wishers[s] & wishers[pivot]) for s in here if s != pivot})
        free = sorted([pivot, *sorted(shared, key=lambda s: (-shared[s], s))[: size.sessions - 1]])
        if ((a, b), tuple(free), size.everyone) not in done:
            return (a, b), free
    return None


def _concerned(event: Event, placed: list[Placed], free: list[str]) -> set[str]:
    """The people a small step re-seats: the wishers, attendees and hosts of the sessions it frees."""
    chosen = set(free)
    people = {p.id for p in event.participants if any(w.session in chosen for w in p.wishes)}
    hosts = {h for s in chosen for h in event.session(s).hosts}
    return people | hosts | {p for r in placed if r.session in chosen for p in r.attendees}


def _everyone_in(event: Event, placed: list[Placed], pair: tuple[str, str]) -> set[str]:
    """The people a large step re-seats: everyone seated in, or hosting a run in, the two slots."""
    runs = [r for r in placed if set(event.covered_slots(r.start, event.session(r.session).duration)) & set(pair)]
    return {p for r in runs for p in r.attendees} | {h for r in runs for h in event.session(r.session).hosts}
