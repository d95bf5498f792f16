"""Solve an event: fairness, then satisfaction, then the networking mix, each phase fixing the one before.

First a fast plan in two stages (a timetable from aggregate demand, then the seats solved exactly for it);
it hints the joint model, which then improves it. Events too large for the joint model keep the two-stage plan.

The search is deterministic: CP-SAT runs its workers interleaved in a fixed order, and each phase stops at a
deterministic work limit (`max_deterministic_time`), so the same input, options and seed give the same plan
also on a busy machine. The wall-clock time limit stays a cap on top.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model import explain
from scheduler.model.bound_process import BoundJob
from scheduler.model.fair_seats import BONUS_ROUNDS, FairSeats, fair_seats, rank
from scheduler.model.greedy import Move, fitted_timetable, greedy_timetable, timetable_moves
from scheduler.model.objective import evaluate, max_shortfall, networking_penalty, weighted_ceiling, weighted_wishes
from scheduler.model.rooms import assign_rooms
from scheduler.model.rules import Guard, build_rules
from scheduler.model.seat_polish import polish_seats
from scheduler.model.seats import assign_seats
from scheduler.model.timetable import build_timetable_model, extract_timetable
from scheduler.model.variables import Placed, PlanVars, Timetable, room_classes
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.problems import Problem
from scheduler.text import Text

log = logging.getLogger(__name__)

# One worker with the full LP relaxation: deterministic, and on 2 cores as good as 8 interleaved workers.
DEFAULT_WORKERS = 1
WORK_PER_SECOND = 0.6  # deterministic time units budgeted per second of the time limit (one worker: ~0.9-1.05/s)
FAIRNESS_SHARE = 0.35  # of a stage's work, at most; what fairness leaves goes to satisfaction
MIX_SHARE = 0.1  # of a stage's work, kept back for the networking mix
MIN_MIX_SHARE = 0.02  # of the whole work: below this the mix phase is skipped
TIMETABLE_SHARE = 0.05  # of the whole work, for the fast plan's timetable (large events: LARGE_TIMETABLE_SHARE)
SEATS_SHARE = 0.1  # of the whole work, for the fast plan's seats
LARGE_TIMETABLE_SHARE = 0.3
JOINT_LIMIT = 20_000  # attendance variables above which the joint model is not built (500 people: 48,000)
FLOW_PAIRS_PER_SECOND = 400_000  # (person, run) pairs one flow seating handles per second, conservatively
SEARCH_SHARE = 0.5  # of the time limit, for the move search of large events when CP-SAT seats the result
LARGE_SEARCH_SHARE = 0.8  # of the time limit, for the move search when the seat model is too large for CP-SAT
BOUND_SHARE = 0.4  # of the time limit, for the slot bound (it runs beside the first phases, on another core)
FAST_SEARCH_SHARE = 0.1  # of the time limit, for the swap search that improves the joint model's hint
EXACT_SEATS_SHARE = 0.25  # of the whole work, for CP-SAT seats of the searched timetable
FAIRER_SHARE = 0.3  # of that, for seats one shortfall fairer than the flow found
EXACT_SEATS_LIMIT = 150_000  # attendance variables of a fixed timetable up to which CP-SAT re-seats it (5,000: 615,000)
FITTED_MIN_SEATINGS = 20  # seating budget from which the room-fitted greedy timetable is tried
POLISH_PASSES = 2  # passes of slot-by-slot re-seating after the search (each costs about one seating)
SEED_BUDGET_FACTOR = 4  # the greedy timetable is seated too when the budget is this many times the first seed


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    workers: int | None = None


@dataclass(frozen=True)
class Progress:
    phase: str  # fairness | satisfaction | mix
    elapsed: float
    best: float | None
    bound: float | None


class NoPlanFound(Exception):
    """The time limit ended before any plan was found; the event is not proven infeasible."""

    message = Text(
        "Innerhalb des Zeitlimits wurde kein Plan gefunden. Bitte ein längeres --time-limit wählen.",
        "No plan was found within the time limit. Please choose a longer --time-limit.",
    )


@dataclass
class _State:
    """What the phases hand on: the best solution so far and how sure we are of it."""

    placed: list[Placed] | None = None
    candidates: list[list[Placed]] = field(default_factory=list)
    proven: dict[str, bool] = field(default_factory=dict)
    weighted_bound: int | None = None
    slot_bound: int | None = None
    infeasible: bool = False
    interrupted: bool = False


def solve(
    event: Event,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """The best plan found within the limits; raises explain.Infeasible when no plan can exist."""
    runner = _Runner(options, on_progress, stop)
    reasons = explain.counting_reasons(event)
    if reasons:
        raise explain.Infeasible(reasons)
    work = options.time_limit * WORK_PER_SECOND
    if attendance_count(event) > JOINT_LIMIT:
        return _two_stage_plan(event, runner, work)
    bound = BoundJob(event, BOUND_SHARE * options.time_limit)  # needs no plan: it runs while plans are made
    try:
        fast = _fast_plan(event, runner, work)
        model = cp_model.CpModel()
        v = PlanVars(event, model)
        build_rules(event, model, v, Guard(model))
        state = _State(placed=fast.placed, candidates=list(fast.candidates))
        _optimise(event, model, v, runner, state, work - runner.work_used, MIN_MIX_SHARE * work, bound.peek)
        state.slot_bound = bound.result(runner.stopped)
    finally:
        bound.cancel()
    if state.infeasible:
        raise explain.Infeasible(explain.solver_reasons(event, options.seed))
    if state.placed is None:
        raise NoPlanFound()
    return _plan(event, state, runner)


def attendance_count(event: Event) -> int:
    """How many attendance variables the joint model would have (an upper estimate)."""
    starts = sum(len(event.start_slots(s.duration)) for s in event.sessions)
    return len(event.participants) * starts


def _fast_plan(event: Event, runner: _Runner, work: float) -> _State:
    """Complete plans without search: the greedy and the CP-SAT demand timetables, each with min-cost-flow seats.

    The greedy one is improved by a short swap search first. The better of them (fairness first, then weighted
    wishes) is the complete hint of the joint model. Only when
    no flow seating exists (e.g. minimums that slot-by-slot seating cannot meet) does CP-SAT seat a timetable.
    """
    state = _State()
    greedy = greedy_timetable(event)
    for timetable in (greedy, _demand_timetable(event, runner, TIMETABLE_SHARE * work)):
        if timetable is None or runner.stopped():
            continue
        placed = assign_seats(event, timetable)
        if placed is None:
            placed = _cp_seats(event, runner, timetable, SEATS_SHARE * work)
        elif timetable is greedy:
            budget = _seatings(event, runner, FAST_SEARCH_SHARE)
            placed = _swap_search(event, runner, timetable, FairSeats(placed), budget)[1]
        if placed is not None:
            state.candidates.append(placed)
    if state.candidates:
        state.placed = min(state.candidates, key=lambda c: rank(event, c))
    return state


def _cp_seats(event: Event, runner: _Runner, timetable: Timetable, work: float) -> list[Placed] | None:
    """Seats for a fixed timetable by CP-SAT (fairness, then weighted wishes): the fallback to the flow."""
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    state = _State()
    runner.global_bounds = False  # bounds for one timetable say nothing about the event
    _optimise(event, model, v, runner, state, work, mix_floor=None)
    runner.global_bounds = True
    return state.placed


def _two_stage_plan(event: Event, runner: _Runner, work: float) -> Plan:
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
    exact = _pairs(event) <= EXACT_SEATS_LIMIT
    budget = _seatings(event, runner, SEARCH_SHARE if exact else LARGE_SEARCH_SHARE)
    timetable, seats = _seed(event, runner, timetable, budget)
    if seats.placed is None:
        seats.placed = _cp_seats(event, runner, timetable, work - runner.work_used)
    if seats.placed is None:
        raise NoPlanFound()
    timetable, placed = _swap_search(event, runner, timetable, seats, budget - seats.seatings - POLISH_PASSES)
    placed = polish_seats(event, placed, 0 if runner.stopped() else POLISH_PASSES)
    if exact:
        placed = _exact_seats(event, runner, timetable, placed, EXACT_SEATS_SHARE * work)
    state = _State(placed=placed, candidates=[placed], interrupted=runner.stopped())
    note = Text(
        f"Große Veranstaltung ({len(event.participants)} Personen): erst der Zeitplan nach der Gesamtnachfrage, "
        f"dann die Plätze. Die Schranke rechnet ohne Überschneidungen im Zeitplan (jede Person ihre besten Wünsche, "
        f"soweit die Räume reichen); der angezeigte Abstand ist daher größer als der zum besten möglichen Plan.",
        f"Large event ({len(event.participants)} people): the timetable from aggregate demand first, then the "
        f"seats. The bound ignores clashes in the timetable (everyone their best wishes as far as rooms allow), "
        f"so the gap shown is larger than the gap to the best possible plan.",
    )
    return _plan(event, state, runner, warnings=(Problem(note, severity="warning"),))


def _pairs(event: Event) -> int:
    """(person, run) pairs: the size of one flow seating, and of the seat model for a fixed timetable."""
    return len(event.participants) * sum(s.runs for s in event.sessions)


def _seatings(event: Event, runner: _Runner, share: float) -> int:
    """Flow seatings that fit in `share` of the time limit at the conservative speed: a count, so deterministic."""
    return int(share * runner.options.time_limit * FLOW_PAIRS_PER_SECOND / max(_pairs(event), 1))


def _seed(event: Event, runner: _Runner, greedy: Timetable, budget: int) -> tuple[Timetable, FairSeats]:
    """The timetable to search from, with fair flow seats, within the seating budget.

    The room-fitted greedy timetable first (its descent costs about ten seatings, so only with a budget of
    FITTED_MIN_SEATINGS), then the greedy one when the budget is SEED_BUDGET_FACTOR times what seeding took so
    far; the better one wins. Fitted seated better on all generated instances, 500 to 5,000 people.
    """
    starts = [greedy] if budget < FITTED_MIN_SEATINGS else [fitted_timetable(event, greedy), greedy]
    seeds: list[tuple[Timetable, FairSeats]] = []
    used = 0
    for timetable in starts:
        if seeds and budget - used < SEED_BUDGET_FACTOR * used:
            break
        seats = fair_seats(event, timetable, max(1, min(BONUS_ROUNDS, (budget - used - 1) // 2)), runner.stopped)
        used += seats.seatings
        seeds.append((timetable, seats))
    timetable, seats = min(seeds, key=lambda seed: seed[1].rank(event))
    seats.seatings = used
    return timetable, seats


def _exact_seats(
    event: Event, runner: _Runner, timetable: Timetable, placed: list[Placed], work: float
) -> list[Placed]:
    """CP-SAT seats for the final timetable: one shortfall fairer than the flow's if it finds such seats in
    FAIRER_SHARE of the work, else with the flow's largest shortfall; the flow plan if not better.

    The flow seats slot by slot and buys fairness with weighted wishes; CP-SAT sees every slot at once
    (1,000 people, greedy timetable: 9,270 by flow, 9,583 proven optimal in 4 work units; on the
    ConferenceScheduler timetable of 500 people the flow's largest shortfall is 3 where CP-SAT finds 2).
    Unhinted on purpose: hinted with the flow seats it stayed at them.
    """
    worst = evaluate(event, placed).max_shortfall
    if worst > 0:
        fairer = _seats_within(event, runner, timetable, worst - 1, FAIRER_SHARE * work)
        if fairer is not None:
            return fairer
    found = _seats_within(event, runner, timetable, worst, (1 - FAIRER_SHARE) * work)
    return placed if found is None else min((placed, found), key=lambda c: rank(event, c))


def _seats_within(event: Event, runner: _Runner, timetable: Timetable, worst: int, work: float) -> list[Placed] | None:
    """The most weighted wishes CP-SAT finds for the timetable with nobody's shortfall above `worst`."""
    if runner.stopped():
        return None
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    model.add(max_shortfall(event, model, v) <= worst)
    model.maximize(weighted_wishes(event, v))
    solver = runner.solver(work)
    status = solver.solve(model)
    runner.work_used += solver.deterministic_time
    runner.log(f"exact seats, largest shortfall {worst}", solver, status)
    return v.extract(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _swap_search(
    event: Event, runner: _Runner, timetable: Timetable, seats: FairSeats, budget: int
) -> tuple[Timetable, list[Placed]]:
    """Try timetable moves (see `timetable_moves`), re-seat by flow, keep a move when the plan is better; the
    first improvement wins. Seats for a move use the flow settings that seated the start best (its tolerated
    level and bonuses), so moves are judged alike.

    A move tried in vain is not tried again, so the search moves on to new moves after every improvement
    instead of re-trying the most promising ones. `budget` is the number of seatings (deterministic); the wall
    clock only stops the search early on a much slower machine.
    """
    assert seats.placed is not None
    placed = seats.placed
    one_seating = 2 * _pairs(event) / FLOW_PAIRS_PER_SECOND
    tried, improved = 0, True
    failed: set[Move] = set()
    runner.report("satisfaction", evaluate(event, placed).weighted)
    while improved:
        improved = False
        for move, candidate in timetable_moves(event, timetable):
            if move in failed:
                continue
            if tried >= budget or runner.stopped() or runner.seconds_left() < one_seating:
                return timetable, placed
            tried += 1
            failed.add(move)
            better = assign_seats(event, candidate, seats.tolerated, seats.bonus)
            if better is not None and rank(event, better) < rank(event, placed):
                timetable, placed, improved = candidate, better, True
                log.info("move search: %s after %d seatings", evaluate(event, placed), tried)
                runner.report("satisfaction", evaluate(event, placed).weighted)
                break
    return timetable, placed


def _demand_timetable(event: Event, runner: _Runner, work: float) -> Timetable | None:
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
    runner: _Runner,
    state: _State,
    work: float,
    mix_floor: float | None,
    ceiling: Callable[[], int | None] = lambda: None,
) -> None:
    """The three phases on one model; `mix_floor` None skips the mix, else it is the least work worth a mix.

    `ceiling` tells a proven upper bound on the weighted wishes once there is one (it never waits), to show
    in the progress. It changes nothing in the search: as a constraint in the model it slowed CP-SAT to half its
    pace on the bundled example, and stopping the search when a plan reaches it would make the plan depend
    on when the bound came.
    """
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
        runner.run("satisfaction", model, v, state, satisfaction, ceiling)
    left = work - (runner.work_used - start)
    if mix_floor is None or state.interrupted or left < mix_floor or runner.seconds_left() < mix_floor:
        return
    model.add(weighted >= evaluate(event, state.placed).weighted)
    model.minimize(networking_penalty(event, model, v))
    runner.run("mix", model, v, state, left)


def _plan(event: Event, state: _State, runner: _Runner, warnings: tuple[Problem, ...] = ()) -> Plan:
    assert state.placed is not None
    score = evaluate(event, state.placed)
    proven = dict(state.proven)
    if state.slot_bound is not None and score.weighted >= state.slot_bound:
        proven["satisfaction"] = True  # no plan has more weighted wishes
    optimal = all(proven.get(phase, False) for phase in ("fairness", "satisfaction", "mix"))
    bound = min(b for b in (state.weighted_bound, state.slot_bound, weighted_ceiling(event)) if b is not None)
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


class _Runner:
    """Runs one phase at a time with the shared limits, progress reports and the stop event."""

    def __init__(
        self, options: SolveOptions, on_progress: Callable[[Progress], None] | None, stop: threading.Event | None
    ) -> None:
        self.options = options
        self.on_progress = on_progress
        self.stop = stop
        self.started = time.monotonic()
        self.work_used = 0.0
        self.global_bounds = True

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def seconds_left(self) -> float:
        return self.options.time_limit - self.elapsed()

    def report(self, phase: str, best: float | None) -> None:
        """Progress from work outside CP-SAT (the swap search), which has no bound of its own to show."""
        if self.on_progress is not None:
            self.on_progress(Progress(phase, self.elapsed(), best, None))

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def solver(self, work: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = self.options.workers or DEFAULT_WORKERS
        if params.num_workers == 1:
            params.linearization_level = 2
        else:
            params.interleave_search = True
        params.random_seed = self.options.seed
        params.max_deterministic_time = max(work, 0.01)
        params.catch_sigint_signal = False  # Ctrl-C is ours: it sets the stop event and keeps the best plan
        params.max_time_in_seconds = max(self.seconds_left(), 0.01)
        return solver

    def log(self, phase: str, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> None:
        log.info(
            "%s: %s objective %s bound %s, %.2f s, work %.2f (total %.2f)",
            phase,
            solver.status_name(status),
            solver.objective_value,
            solver.best_objective_bound,
            solver.wall_time,
            solver.deterministic_time,
            self.work_used,
        )

    def run(
        self,
        phase: str,
        model: cp_model.CpModel,
        v: PlanVars,
        state: _State,
        work: float,
        ceiling: Callable[[], int | None] = lambda: None,
    ) -> cp_model.CpSolverStatus:
        """Solve the model as it stands; keep its solution in `state` when there is one.

        `ceiling` may tell a bound on the objective proven elsewhere; the progress shows the better one.
        """
        if state.placed is not None:
            v.hint(state.placed)
        solver = self.solver(work)
        callback = _Callback(self, phase, has_plan=state.placed is not None, ceiling=ceiling)
        solver.best_bound_callback = callback.on_bound
        done = threading.Event()
        watcher = threading.Thread(target=callback.watch, args=(solver, done), daemon=True)
        watcher.start()
        status = solver.solve(model, callback)
        done.set()
        watcher.join()
        self.work_used += solver.deterministic_time
        self.log(phase, solver, status)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found:
            state.placed = v.extract(solver)
            state.candidates.append(state.placed)
        state.proven[phase] = status == cp_model.OPTIMAL
        if phase == "satisfaction" and found:
            state.weighted_bound = int(solver.best_objective_bound + 1e-6)
        state.interrupted = self.stopped()
        return status


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and bound; stops the search once the stop event is set."""

    def __init__(self, runner: _Runner, phase: str, has_plan: bool, ceiling: Callable[[], int | None]) -> None:
        super().__init__()
        self.runner = runner
        self.phase = phase
        self.has_plan = has_plan
        self.ceiling = ceiling
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        self.has_plan = True
        self._report(self.best_objective_bound)
        if self.runner.stopped():
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        self._report(bound)

    def _report(self, bound: float) -> None:
        if self.runner.on_progress is not None:
            shown = bound if self.runner.global_bounds else None
            ceiling = self.ceiling()
            if shown is not None and ceiling is not None:
                shown = min(shown, ceiling)
            self.runner.on_progress(Progress(self.phase, self.runner.elapsed(), self.best, shown))

    def watch(self, solver: cp_model.CpSolver, done: threading.Event) -> None:
        """Stop the search when asked, as soon as some plan exists (this phase's or the one before)."""
        while not done.wait(0.05):
            if self.runner.stopped() and self.has_plan:
                solver.stop_search()
                return
