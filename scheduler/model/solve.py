"""Solve an event: fairness, then satisfaction, then the networking mix, each phase fixing the one before.

First a fast plan in two stages (a timetable from aggregate demand, then the seats solved exactly for it);
it hints the joint model, which then improves it. Events too large for the joint model keep the two-stage plan,
improved by the move search (`move_search`). Beside the joint model, in a child process (`bound_process`), the
slot bound and the slot search (`slot_search`) work from the fast plan; a plan they prove best is taken.

The search is deterministic: each CP-SAT phase stops at a deterministic work limit (`max_deterministic_time`)
and the move search at a count of seatings, so the same input, options and seed give the same plan also on a
busy machine. The wall-clock time limit stays a cap on top (`runner`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model import explain
from scheduler.model.bounds.bound_process import BoundJob
from scheduler.model.bounds.slot_search import SlotResult
from scheduler.model.counting import counting_reasons
from scheduler.model.cpsat.objective import max_shortfall, networking_penalty, weighted_wishes
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.seat_model import exact_seats
from scheduler.model.cpsat.timetable import build_timetable_model, extract_timetable
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, Timetable, room_classes
from scheduler.model.heuristics import move_search
from scheduler.model.heuristics.fair_seats import FairSeats
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.heuristics.seat_polish import polish_seats
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.runner import Progress, Runner, SolveOptions, State
from scheduler.model.score import evaluate, rank, weighted_ceiling
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.problems import Problem
from scheduler.text import Text

__all__ = ["NoPlanFound", "Progress", "SolveOptions", "attendance_count", "solve"]

WORK_PER_SECOND = 0.6  # deterministic time units budgeted per second of the time limit (one worker: ~0.9-1.05/s)
FAIRNESS_SHARE = 0.35  # of a stage's work, at most; what fairness leaves goes to satisfaction
MIX_SHARE = 0.1  # of a stage's work, kept back for the networking mix
MIN_MIX_SHARE = 0.02  # of the whole work: below this the mix phase is skipped
TIMETABLE_SHARE = 0.05  # of the whole work, for the fast plan's timetable (large events: LARGE_TIMETABLE_SHARE)
SEATS_SHARE = 0.1  # of the whole work, for the fast plan's seats
LARGE_TIMETABLE_SHARE = 0.3
JOINT_LIMIT = 20_000  # attendance variables above which the joint model is not built (500 people: 48,000)
SEARCH_SHARE = 0.5  # of the time limit, for the move search of large events when CP-SAT seats the result
LARGE_SEARCH_SHARE = 0.8  # of the time limit, for the move search when the seat model is too large for CP-SAT
BOUND_SHARE = 0.5  # of the time limit, for the slot bound and search (beside the joint model, on another core)
FAST_SEARCH_SHARE = 0.1  # of the time limit, for the swap search that improves the joint model's hint
EXACT_SEATS_SHARE = 0.25  # of the whole work, for CP-SAT seats of the searched timetable
EXACT_SEATS_LIMIT = 150_000  # attendance variables of a fixed timetable up to which CP-SAT re-seats it (5,000: 615,000)
POLISH_PASSES = 2  # passes of slot-by-slot re-seating after the search (each costs about one seating)


class NoPlanFound(Exception):
    """The time limit ended before any plan was found; the event is not proven infeasible."""

    message = Text(
        "Innerhalb des Zeitlimits wurde kein Plan gefunden. Bitte ein längeres --time-limit wählen.",
        "No plan was found within the time limit. Please choose a longer --time-limit.",
    )


def solve(
    event: Event,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """The best plan found within the limits; raises explain.Infeasible when no plan can exist."""
    runner = Runner(options, on_progress, stop)
    reasons = counting_reasons(event)
    if reasons:
        raise explain.Infeasible(reasons)
    runner.ceiling = weighted_ceiling(event)
    work = options.time_limit * WORK_PER_SECOND
    if attendance_count(event) > JOINT_LIMIT:
        return _two_stage_plan(event, runner, work)
    fast = _fast_plan(event, runner, work)
    bound = BoundJob(event, BOUND_SHARE * options.time_limit, fast.placed)  # beside the joint model, from its hint
    try:
        model = cp_model.CpModel()
        v = PlanVars(event, model)
        build_rules(event, model, v, Guard(model))
        state = State(placed=fast.placed, candidates=list(fast.candidates))
        _optimise(event, model, v, runner, state, work - runner.work_used, MIN_MIX_SHARE * work, bound)
    finally:
        bound.cancel()
    if state.infeasible:
        raise explain.Infeasible(explain.solver_reasons(event, options.seed))
    if state.placed is None:
        raise NoPlanFound()
    return _plan(event, state, runner)


def _proven(found: SlotResult | None, event: Event, fair: int) -> bool:
    """The slot search proved its plan best among plans with largest shortfall at most `fair`."""
    return (
        found is not None
        and found.proven
        and found.placed is not None
        and evaluate(event, found.placed).max_shortfall <= fair
    )


def attendance_count(event: Event) -> int:
    """How many attendance variables the joint model would have (an upper estimate)."""
    starts = sum(len(event.start_slots(s.duration)) for s in event.sessions)
    return len(event.participants) * starts


def _fast_plan(event: Event, runner: Runner, work: float) -> State:
    """Complete plans without search: the greedy and the CP-SAT demand timetables, each with min-cost-flow seats.

    The greedy one is improved by a short swap search first. The better of them (fairness first, then weighted
    wishes) is the complete hint of the joint model. Only when
    no flow seating exists (e.g. minimums that slot-by-slot seating cannot meet) does CP-SAT seat a timetable.
    """
    state = State()
    greedy = greedy_timetable(event)
    for timetable in (greedy, _demand_timetable(event, runner, TIMETABLE_SHARE * work)):
        if timetable is None or runner.stopped():
            continue
        placed = assign_seats(event, timetable)
        if placed is None:
            placed = _cp_seats(event, runner, timetable, SEATS_SHARE * work)
        elif timetable is greedy:
            budget = move_search.seatings(event, runner, FAST_SEARCH_SHARE)
            placed = move_search.swap_search(event, runner, timetable, FairSeats(placed), budget)[1]
        if placed is not None:
            state.candidates.append(placed)
    if state.candidates:
        state.placed = min(state.candidates, key=lambda c: rank(event, c))
    return state


def _cp_seats(event: Event, runner: Runner, timetable: Timetable, work: float) -> list[Placed] | None:
    """Seats for a fixed timetable by CP-SAT (fairness, then weighted wishes): the fallback to the flow."""
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    state = State()
    runner.global_bounds = False  # bounds for one timetable say nothing about the event
    _optimise(event, model, v, runner, state, work, mix_floor=None)
    runner.global_bounds = True
    return state.placed


def _two_stage_plan(event: Event, runner: Runner, work: float) -> Plan:
    """For large events: a timetable without the joint model, improved by a search with flow seats.

    The greedy timetable (CP-SAT when greedy gets stuck) and its room-fitted variant are seated fairly by flow;
    the better one starts the move search; CP-SAT then seats the final timetable exactly when its seat model
    is small. The plan comes in seconds; its bound is the capacity-aware ceiling, valid for the event.
    """
    timetable = greedy_timetable(event)
    if timetable is None:
        timetable = _demand_timetable(event, runner, LARGE_TIMETABLE_SHARE * work)
    if timetable is None:
        raise NoPlanFound()
    exact = move_search.pairs(event) <= EXACT_SEATS_LIMIT
    budget = move_search.seatings(event, runner, SEARCH_SHARE if exact else LARGE_SEARCH_SHARE)
    timetable, seats = move_search.seed(event, runner, timetable, budget)
    if seats.placed is None:
        seats.placed = _cp_seats(event, runner, timetable, work - runner.work_used)
    if seats.placed is None:
        raise NoPlanFound()
    timetable, placed = move_search.swap_search(
        event, runner, timetable, seats, budget - seats.seatings - POLISH_PASSES
    )
    placed = polish_seats(event, placed, 0 if runner.stopped() else POLISH_PASSES)
    runner.report("satisfaction", evaluate(event, placed).weighted)
    if exact:
        placed = exact_seats(event, runner, timetable, placed, EXACT_SEATS_SHARE * work)
        runner.report("satisfaction", evaluate(event, placed).weighted)
    state = State(placed=placed, candidates=[placed], interrupted=runner.stopped())
    note = Text(
        f"Große Veranstaltung ({len(event.participants)} Personen): erst der Zeitplan nach der Gesamtnachfrage, "
        f"dann die Plätze. Die Schranke rechnet ohne Überschneidungen im Zeitplan (jede Person ihre besten Wünsche, "
        f"soweit die Räume reichen); der angezeigte Abstand ist daher größer als der zum besten möglichen Plan.",
        f"Large event ({len(event.participants)} people): the timetable from aggregate demand first, then the "
        f"seats. The bound ignores clashes in the timetable (everyone their best wishes as far as rooms allow), "
        f"so the gap shown is larger than the gap to the best possible plan.",
    )
    return _plan(event, state, runner, warnings=(Problem(note, severity="warning"),))


def _demand_timetable(event: Event, runner: Runner, work: float) -> Timetable | None:
    model = cp_model.CpModel()
    v, collisions = build_timetable_model(event, model)
    model.minimize(collisions)
    solver = runner.solver(work)
    status = solver.solve(model)
    runner.work_used += solver.deterministic_time
    runner.log("timetable", solver, status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return extract_timetable(v, solver)


def _optimise(
    event: Event,
    model: cp_model.CpModel,
    v: PlanVars,
    runner: Runner,
    state: State,
    work: float,
    mix_floor: float | None,
    bound: BoundJob | None = None,
) -> None:
    """The three phases on one model; `mix_floor` None skips the mix, else it is the least work worth a mix.

    `bound`, the slot bound and search beside, shows its bound in the progress once it is there; before the mix
    its result is taken (it is waited for), so that the mix phase polishes the better plan. The bound changes
    nothing in the search: as a constraint in the model it slowed CP-SAT to half its pace on the bundled
    example, and stopping the search when a plan reaches it would make the plan depend on when the bound came.
    """
    ceiling = bound.peek if bound is not None else lambda: None
    start = runner.work_used
    worst = max_shortfall(event, model, v)
    model.minimize(worst)
    status = runner.run("fairness", model, v, state, FAIRNESS_SHARE * work)
    if status == cp_model.INFEASIBLE:
        state.infeasible = True
        return
    if state.placed is None:
        return
    fair = min(evaluate(event, c).max_shortfall for c in state.candidates)
    model.add(worst <= fair)
    weighted = weighted_wishes(event, v)
    state.placed = max(
        (c for c in state.candidates if evaluate(event, c).max_shortfall <= fair),
        key=lambda c: evaluate(event, c).weighted,
    )
    if not state.interrupted:
        model.maximize(weighted)
        satisfaction = (1 - MIX_SHARE) * work - (runner.work_used - start)
        proof = (lambda: _proven(bound.ready(), event, fair)) if bound is not None else (lambda: False)
        runner.run("satisfaction", model, v, state, satisfaction, ceiling, until=proof)
    left = work - (runner.work_used - start)
    if bound is not None:
        found = bound.result(lambda: runner.stopped() or runner.seconds_left() <= 0)
        state.slot_bound = found.bound
        if found.placed is not None and _proven(found, event, fair):
            # The proven plan replaces whatever the satisfaction phase had when the proof ended it, and the mix gets
            # a fixed budget, so the result does not depend on when the proof came.
            state.placed, left = found.placed, MIX_SHARE * work
        elif found.placed is not None and rank(event, found.placed) < rank(event, state.placed):
            state.placed = found.placed
    if mix_floor is None or state.interrupted or left < mix_floor or runner.seconds_left() < mix_floor:
        return
    model.add(weighted >= evaluate(event, state.placed).weighted)
    model.minimize(networking_penalty(event, model, v))
    runner.run("mix", model, v, state, left)


def _plan(event: Event, state: State, runner: Runner, warnings: tuple[Problem, ...] = ()) -> Plan:
    assert state.placed is not None
    score = evaluate(event, state.placed)
    proven = dict(state.proven)
    if state.slot_bound is not None and score.weighted >= state.slot_bound:
        proven["satisfaction"] = True  # no plan has more weighted wishes
    optimal = proven.get("fairness", False) and proven.get("satisfaction", False)  # the mix only breaks ties
    bound = min(b for b in (state.weighted_bound, state.slot_bound, runner.ceiling) if b is not None)
    options = runner.options
    return Plan(
        runs=assign_rooms(event, room_classes(event), state.placed),
        solver=SolverInfo(
            "OPTIMAL" if optimal else "FEASIBLE",
            round(runner.elapsed(), 2),
            options.seed,
            options.time_limit,
            state.interrupted,
        ),
        objective=Objective(score.max_shortfall, score.weighted, max(bound, score.weighted)),
        warnings=warnings,
    )
