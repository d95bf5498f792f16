"""One CP-SAT phase at a time under shared limits: the options, progress reports, the stop event (Ctrl-C).

Every solve is deterministic (one worker, or interleaved workers) and stops at a deterministic work limit;
the wall-clock time limit stays a cap on top. The budget is one number in one unit, CP-SAT's deterministic
work (`SolveOptions.budget`); a phase that counts flow seatings or branches converts its share (`seconds_of`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed

log = logging.getLogger(__name__)

# One worker with the full LP relaxation: deterministic, and on 2 cores as good as 8 interleaved workers.
DEFAULT_WORKERS = 1
WORK_PER_SECOND = 0.6  # deterministic work units budgeted per second of the time limit (one worker: ~0.9-1.05/s)
MODEL_VARIABLES_PER_SECOND = 40_000  # variables Python builds into a CP-SAT model per second, conservatively
FINISH_SHARE = 0.01  # of the time limit, kept for what follows the search (rooms, the summary, writing the files)

# What ended the search, as the plan states it (scheduler.plan.ENDED_BY, SolverInfo.ended_by).
EndedBy = Literal["proof", "work", "time", "moves", "stop"]


@dataclass(frozen=True)
class SolveOptions:
    """What the user chooses (time limit, seed, workers) and the strategy knobs a test or benchmark may set.

    `work`: the budget in deterministic work units (default: `time_limit` × WORK_PER_SECOND). `path`: the joint
    model, the two-stage plan for large events, or chosen by size ("auto"). `slot_search`: run the slot bound
    and search beside the joint model; `bound_in_child`: always in a child process (else by their estimated time).
    `leave_out`: hard rules (names in scheduler/rules.py) not built into the joint model, for the tests that
    show each rule is needed; `counting_checks` False lets the model, not the counting, find an infeasible event.
    """

    time_limit: float = 60.0
    seed: int = 0
    workers: int | None = None
    work: float | None = None
    path: Literal["auto", "joint", "two_stage"] = "auto"
    slot_search: bool = True
    bound_in_child: bool = False
    leave_out: frozenset[str] = frozenset()
    counting_checks: bool = True

    @property
    def budget(self) -> float:
        """The whole budget in deterministic work units."""
        return self.time_limit * WORK_PER_SECOND if self.work is None else self.work


def seconds_of(work: float) -> float:
    """Seconds on one core that `work` units stand for: the unit in which seatings and branches are estimated."""
    return work / WORK_PER_SECOND


def work_of(seconds: float) -> float:
    """Work units that `seconds` of estimated one-core time stand for (the inverse of `seconds_of`)."""
    return seconds * WORK_PER_SECOND


@dataclass(frozen=True)
class Progress:
    phase: str  # fairness | satisfaction | mix
    elapsed: float
    best: float | None
    bound: float | None


@dataclass
class State:
    """What the phases hand on: the best solution so far and how sure we are of it."""

    placed: list[Placed] | None = None
    candidates: list[list[Placed]] = field(default_factory=list)
    proven: dict[str, bool] = field(default_factory=dict)
    weighted_bound: int | None = None
    slot_bound: int | None = None
    infeasible: bool = False
    interrupted: bool = False


def deterministic_solver(work: float, workers: int = DEFAULT_WORKERS, seed: int = 0) -> cp_model.CpSolver:
    """CP-SAT stopping at `work` deterministic time units: one worker with the full LP, or interleaved workers."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    if workers == 1:
        params.linearization_level = 2
    else:
        params.interleave_search = True
    params.random_seed = seed
    params.max_deterministic_time = max(work, 0.01)
    params.catch_sigint_signal = False  # Ctrl-C is ours: it sets the stop event and keeps the best plan
    return solver


class Runner:
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
        self.ceiling: int | None = None  # a bound for the event known before the search (see `weighted_ceiling`)
        self.clock_cut = False  # the wall clock cut some step short: the plan may differ from run to run
        self.last_end: EndedBy = "work"  # how the latest search step ended: its work limit, or nothing left to try

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def seconds_left(self) -> float:
        """Seconds of the time limit left for searching (a small share is kept for finishing the plan)."""
        return self.options.time_limit * (1 - FINISH_SHARE) - self.elapsed()

    def out_of_time(self, seconds: float = 0.0) -> bool:
        """Whether the wall clock leaves less than `seconds` (a step's estimated time); noted as what ended the
        search when it does."""
        if self.seconds_left() < seconds:
            self.clock_cut = True
            return True
        return False

    def ended(self, how: EndedBy) -> None:
        """A search step ended by its work limit ("work") or with nothing left to try ("moves")."""
        self.last_end = how

    def ended_by(self, optimal: bool) -> EndedBy:
        """What ended the whole search: Ctrl-C, a proof, the wall clock if it cut any step short (then the plan
        may vary between runs), else how the last search step ended."""
        if self.stopped():
            return "stop"
        if optimal:
            return "proof"
        return "time" if self.clock_cut else self.last_end

    def report(self, phase: str, best: float | None) -> None:
        """Progress from work outside CP-SAT (the swap search), which has no bound of its own: the ceiling."""
        if self.on_progress is not None:
            self.on_progress(Progress(phase, self.elapsed(), best, self.ceiling))

    @contextmanager
    def local_bounds(self) -> Iterator[None]:
        """Bounds found meanwhile hold for a part of the event only (one timetable): not shown as the event's."""
        self.global_bounds = False
        try:
            yield
        finally:
            self.global_bounds = True

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def solver(self, work: float) -> cp_model.CpSolver:
        solver = deterministic_solver(work, self.options.workers or DEFAULT_WORKERS, self.options.seed)
        solver.parameters.max_time_in_seconds = max(self.seconds_left(), 0.01)
        return solver

    def spend(self, work: float) -> None:
        """Count work done outside CP-SAT (seatings, converted) against the budget."""
        self.work_used += work

    def solve(
        self, label: str, model: cp_model.CpModel, work: float, probing: bool = True
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve without progress reports (a timetable, exact seats): within `work` units, counted. Without
        `probing` presolve skips its probing, which alone can spend a small step's work (see `lns`)."""
        solver = self.solver(work)
        if not probing:
            solver.parameters.cp_model_probing_level = 0
        status = solver.solve(model)
        self.work_used += solver.deterministic_time
        self.log(label, solver, status)
        self._note_end(solver, status)
        return solver, status

    def _note_end(self, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> None:
        """A solve that stopped without an answer ended at its work limit or at the wall clock."""
        if status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and not self.stopped():
            if solver.wall_time >= 0.99 * solver.parameters.max_time_in_seconds:
                self.clock_cut = True
            else:
                self.ended("work")

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
        state: State,
        work: float,
        ceiling: Callable[[], int | None] = lambda: None,
        until: Callable[[], bool] = lambda: False,
    ) -> cp_model.CpSolverStatus:
        """Solve the model as it stands; keep its solution in `state` when there is one.

        `ceiling` may tell a bound on the objective proven elsewhere; the progress shows the better one.
        `until` turning true ends the phase early (the caller then no longer needs its result).
        """
        if state.placed is not None:
            v.hint(state.placed)
        solver = self.solver(work)
        callback = _Callback(self, phase, has_plan=state.placed is not None, ceiling=ceiling, until=until)
        solver.best_bound_callback = callback.on_bound
        done = threading.Event()
        watcher = threading.Thread(target=callback.watch, args=(solver, done), daemon=True)
        watcher.start()
        status = solver.solve(model, callback)
        done.set()
        watcher.join()
        self.work_used += solver.deterministic_time
        self.log(phase, solver, status)
        if not callback.until():
            self._note_end(solver, status)
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

    def __init__(
        self,
        runner: Runner,
        phase: str,
        has_plan: bool,
        ceiling: Callable[[], int | None],
        until: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.runner = runner
        self.phase = phase
        self.has_plan = has_plan
        self.ceiling = ceiling
        self.until = until
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
            known = (bound if self.runner.global_bounds else None, self.ceiling(), self.runner.ceiling)
            shown = min((b for b in known if b is not None), default=None)
            self.runner.on_progress(Progress(self.phase, self.runner.elapsed(), self.best, shown))

    def watch(self, solver: cp_model.CpSolver, done: threading.Event) -> None:
        """Stop the search when asked or no longer needed, as soon as some plan exists (this phase's or the one
        before)."""
        while not done.wait(0.05):
            if (self.runner.stopped() or self.until()) and self.has_plan:
                solver.stop_search()
                return
