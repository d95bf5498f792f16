"""Large-neighbourhood search for large events: free a part of the plan, re-solve it exactly, keep what improves.

The move search changes one or two sessions at a time and judges each change by a flow seating, so it stops in
a local optimum long before the limit (500 people: after 13 s of 300). Here a step frees a pair of slots and a
group of sessions in them that share many wishers (a pivot session chosen at random and those in the two slots
whose wishers overlap its own most): those sessions may take any allowed place in either slot, and seats in the
two slots are re-chosen, while all other runs and seats stay. Two sizes alternate at random: a small group with
only the group's wishers and attendees re-seated (solved to optimality in a fraction of a work unit), and a
large group with everyone in the two slots re-seated (500 people, measured: the small steps alone found +7
weighted wishes in 25 work units, the large ones +9 in 16; see docs/performance.md). CP-SAT solves the part
with every rule of the joint model (the whole event's variables, the rest fixed by constraints, so presolve
removes it), with nobody's shortfall above the plan's largest one and the most weighted wishes wanted; the
current plan is its hint and one solution of it, so a step never makes the plan worse. A step is kept when
the plan ranks better (fairness first, then weighted wishes); a part solved to optimality is not tried again
until the plan changes.

Deterministic: parts come from `random.Random(seed)`, each step's CP-SAT stops at a deterministic work limit,
and the building of each model is counted in work units by its size. The wall clock only stops early.
"""

from __future__ import annotations

import gc
import logging
import random
from collections import Counter
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.objective import max_shortfall, weighted_wishes
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, Timetable, allowed_starts, room_classes
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
MAX_VARIABLES = 120_000  # attendance variables above which a step's model is too large to build often
DRAWS = 20  # draws for a part not yet solved to optimality before the step is given up


@dataclass(frozen=True)
class Outcome:
    """The plan after the search, the steps tried, and the work spent outside CP-SAT (building the models)."""

    placed: list[Placed]
    steps: int
    building: float


def fits(event: Event) -> bool:
    """Whether a step's model stays small enough to build many times (one variable per person, session and start
    left open: about one start per session)."""
    return _variables(event) <= MAX_VARIABLES


def _variables(event: Event) -> int:
    return len(event.participants) * (len(event.sessions) + LARGE.sessions)


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
    build = work_of(_variables(event) / MODEL_VARIABLES_PER_SECOND)
    done: set[tuple[tuple[str, str], tuple[str, ...], bool]] = set()  # parts solved to optimality for this plan
    spent, steps = 0.0, 0
    while len(slots) >= 2 and not runner.stopped():
        size = rng.choice((SMALL, LARGE))
        if spent + size.work + build > work:
            runner.ended("work")
            break
        if runner.out_of_time(seconds_of(size.work + build)):
            break
        part = _draw(placed, movable, wishers, slots, size, done, rng)
        if part is None:
            runner.ended("moves")
            break
        pair, free = part
        used = runner.work_used
        found, optimal = _solve_part(event, runner, placed, pair, free, size)
        gc.collect()  # the step's model sits in reference cycles: 1,000 people, 16 steps held 824 MiB, now 293
        spent += runner.work_used - used + build
        steps += 1
        if found is not None and rank(event, found) < rank(event, placed):
            placed = found
            done.clear()
            log.info("lns: %s after %d steps (slots %s, %s; %d free)", evaluate(event, placed), steps, *pair, len(free))
            runner.report("satisfaction", evaluate(event, placed).weighted)
        elif optimal:
            done.add((pair, tuple(free), size.everyone))
    return Outcome(placed, steps, steps * build)


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


def _solve_part(
    event: Event, runner: Runner, placed: list[Placed], pair: tuple[str, str], free: list[str], size: Size
) -> tuple[list[Placed] | None, bool]:
    """The best plan CP-SAT finds with the `free` sessions anywhere in the two slots and the seats there
    re-chosen (everyone's, or the group's wishers' and attendees'), the rest as in `placed`; and whether it is
    proven best for that part. None when CP-SAT finds no plan within the step's work."""
    classes = room_classes(event)
    timetable: Timetable = {}
    for r in placed:
        timetable[r.session] = (*timetable.get(r.session, ()), (r.start, r.room_class))
    for s in free:
        timetable[s] = tuple((t, c) for t, c in allowed_starts(event, event.session(s), classes) if t in pair)
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    people = {p.id for p in event.participants} if size.everyone else _concerned(event, placed, free)
    attending = {(p, r.session, r.start) for r in placed for p in r.attendees}
    for key, var in v.attendances():
        person, s, t = key
        if person not in people or not set(v.covered(s, t)) <= set(pair):
            model.add(var == int(key in attending))
    worst = max_shortfall(event, model, v)
    model.add(worst <= evaluate(event, placed).max_shortfall)
    model.maximize(weighted_wishes(event, v))
    v.hint(placed)
    model.add_hint(worst, evaluate(event, placed).max_shortfall)
    solver, status = runner.solve(f"lns {pair[0]}+{pair[1]}", model, size.work, probing=False)
    found = v.extract(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return found, status == cp_model.OPTIMAL


def _concerned(event: Event, placed: list[Placed], free: list[str]) -> set[str]:
    """The people a small step re-seats: the wishers and attendees of the sessions it frees."""
    chosen = set(free)
    people = {p.id for p in event.participants if any(w.session in chosen for w in p.wishes)}
    return people | {p for r in placed if r.session in chosen for p in r.attendees}
