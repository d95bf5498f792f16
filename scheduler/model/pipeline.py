"""A solve path as data: a list of phases, each with its name, what it runs, its share of one budget and when it
is skipped. `run_path` runs them in order, hands each its work units and records what it spent and improved.

One budget in one unit: CP-SAT's deterministic work (`SolveOptions.budget`). A phase whose search counts flow
seatings or branches converts its work units (`runner.seconds_of`) and reports back what it spent in work units.
The ledger:

- a phase gets `share` × the budget, or with `of_rest` × what was left of the budget when the first `of_rest`
  phase began (the joint model's phases share what the fast plan left);
- with `carry` it also gets what the phase before it left unused (a chain of carrying phases passes it on);
- a phase `beside` the others runs on the second core: its spending is recorded, not taken from the budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.bounds.bound_process import BoundJob
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, Timetable
from scheduler.model.heuristics.fair_seats import FairSeats
from scheduler.model.runner import Runner, State
from scheduler.model.score import evaluate, rank
from scheduler.plan import PhaseRecord


@dataclass
class Joint:
    """The joint model and the two objective terms the phases fix one after another."""

    model: cp_model.CpModel
    v: PlanVars
    worst: cp_model.IntVar
    weighted: cp_model.LinearExprT


@dataclass
class Solving:
    """What the phases of one solve hand on to each other."""

    event: Event
    runner: Runner
    state: State = field(default_factory=State)
    fast: dict[str, list[Placed] | None] = field(default_factory=dict)  # the fast plans by timetable, in order
    timetables: dict[str, Timetable] = field(default_factory=dict)
    seats: FairSeats | None = None  # two-stage: the seed timetable's flow seats
    joint: Joint | None = None
    bound: BoundJob | None = None
    fair: int = 0  # the largest shortfall fixed by the fairness phase
    proven: bool = False  # the slot search proved its plan best among plans as fair
    records: list[PhaseRecord] = field(default_factory=list)

    def best(self) -> list[Placed] | None:
        """The best plan so far: the state's, else the best fast plan."""
        if self.state.placed is not None:
            return self.state.placed
        plans = [p for p in self.fast.values() if p is not None]
        return min(plans, key=lambda c: rank(self.event, c)) if plans else None


def _never(solving: Solving, work: float) -> bool:
    return False


@dataclass(frozen=True)
class Phase:
    """One step of a solve path. `run(solving, work)` does it within `work` units and returns the units spent
    (None when that amount depends on timing, see PhaseRecord); `skip(solving, work)` says when it is left out."""

    name: str
    run: Callable[[Solving, float], float | None]
    share: float | Callable[[Solving], float] = 0.0
    skip: Callable[[Solving, float], bool] = _never
    of_rest: bool = False
    carry: bool | Callable[[Solving], bool] = False
    beside: bool = False


def run_path(solving: Solving, path: Sequence[Phase], budget: float) -> None:
    """Run the phases in order within `budget` work units; `solving.records` gets one record per phase."""
    runner = solving.runner
    start = runner.work_used
    rest: float | None = None
    unused = 0.0  # what the phase before left of its work, for a phase that carries it on
    for phase in path:
        if phase.of_rest and rest is None:
            rest = budget - (runner.work_used - start)
        share = phase.share(solving) if callable(phase.share) else phase.share
        carry = phase.carry(solving) if callable(phase.carry) else phase.carry
        whole = rest if phase.of_rest and rest is not None else budget
        work = share * whole + (unused if carry else 0.0)
        if phase.skip(solving, work):
            solving.records.append(PhaseRecord(phase.name, 0.0, skipped=True))
            continue  # what was unused passes on
        before = solving.best()
        used = runner.work_used
        extra = phase.run(solving, work)
        spent = None if extra is None else runner.work_used - used + extra
        if not phase.beside:
            runner.spend(extra or 0.0)
            unused = max(work - (runner.work_used - used), 0.0)
        solving.records.append(_record(solving, phase.name, spent, before))


def _record(solving: Solving, name: str, spent: float | None, before: list[Placed] | None) -> PhaseRecord:
    rounded = None if spent is None else round(spent, 3)
    after = solving.best()
    if after is None:
        return PhaseRecord(name, rounded)
    score = evaluate(solving.event, after)
    improvement = None
    if before is not None:
        old, new = rank(solving.event, before), rank(solving.event, after)
        improvement = (old[0] - new[0], old[1] - new[1])
    return PhaseRecord(name, rounded, False, score.max_shortfall, score.weighted, improvement)
