"""Branch and bound over slot assignments: the proven optimum of the weighted wishes at the model-case size.

The slot LP (`slot_bound`) bounds every plan; restricted to the columns that agree with some sessions fixed to
some slots, it bounds every plan that does so too (its dual bound holds for any prices). The search fixes one
session after another, most wished first, trying its slots in the order the LP solution prefers, and drops
every branch whose bound is not above the best plan known. A complete assignment of sessions to slots is
seated exactly by CP-SAT (rooms, seats, nobody's shortfall above `fair`). When the search ends, the best plan
it knows is optimal for the weighted wishes among plans with largest shortfall at most `fair`.

Measured on the bundled example: the bound after 12 rounds of Lagrange prices is 1,390; from a plan of 1,344
the search visits 1,387 branches and seats 73 assignments (12 s), finds 1,386 and proves it optimal. With the
prices of the first round only (bound 1,432) it needed more than 30,000 branches: the prices are what make it
work.

Its size is fixed by a count of branches from `seconds` by estimate, never by the clock, so the same event,
seconds and start give the same result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.bounds import slot_enumeration as enumeration
from scheduler.model.bounds.slot_bound import SlotLP, planned
from scheduler.model.cpsat.seat_model import seat_model
from scheduler.model.facts import Placed, allowed_starts, room_classes
from scheduler.model.runner import deterministic_solver
from scheduler.model.score import evaluate

SECONDS_PER_BRANCH_COLUMN = 5e-7  # one branch's LP, per column of the event (bundled example: 3.2 ms, 7,439)
LEAF_WORK = 1.0  # CP-SAT work units at most for the seats of one slot assignment (bundled example: about 0.1)
SECONDS_PER_WORK = 1.0  # wall seconds per CP-SAT work unit on one core, to count leaves against the branches
LISTED = 200_000  # slot assignments above the start plan up to which they are listed instead of branched on


@dataclass(frozen=True)
class SlotResult:
    bound: int | None  # no plan as fair as the start plan has more weighted wishes; None: no bound
    placed: list[Placed] | None = None  # the best plan known, when the search found one or proved the start's
    proven: bool = False  # `placed` has the most weighted wishes of all plans as fair as the start plan
    spent: float = field(default=0.0, compare=False)  # estimated one-core seconds bound and search took (a count)


Start = list[Placed] | None | Callable[[], list[Placed] | None]  # the start plan, or what waits for it


def slot_plan(event: Event, seconds: float, start: Start, cancelled: Callable[[], bool] = lambda: False) -> SlotResult:
    """The slot bound, then the search from the `start` plan (no search without one): plans whose largest
    shortfall is at most the start's. None as the bound when the event does not fit the method.

    `start` may be a function that waits for the plan: it is called once the bound's rounds are done, so the
    rounds can run while the plan is still being made."""
    plan = planned(event, seconds)
    if plan is None:
        return SlotResult(None)
    lp, rounds, cost = plan
    bound = lp.run(rounds, cancelled)
    if callable(start):
        start = start()
    if bound is None or start is None:
        return SlotResult(bound, spent=cost)
    first = evaluate(event, start)
    if bound <= first.weighted:
        return SlotResult(bound, start, proven=True, spent=cost)
    listed = enumeration.search(lp, first.max_shortfall, first.weighted, seconds - cost, LISTED)
    if listed is not None:
        spent = cost + listed.seconds
        return SlotResult(listed.bound, listed.placed or start, proven=listed.proven, spent=spent)
    if any(s.duration > 1 for s in event.sessions):
        return SlotResult(bound, spent=cost)  # the branches below fix a session to single slots
    per_branch = len(lp.columns) * SECONDS_PER_BRANCH_COLUMN
    branches = (seconds - cost) / per_branch
    search = _Search(event, lp, first.max_shortfall, first.weighted, branches, cancelled)
    search.node({}, list(range(len(lp.columns))), 0)
    spent = cost + (branches - max(search.left, 0)) * per_branch
    if search.complete:
        return SlotResult(search.best, search.placed or start, proven=True, spent=spent)
    return SlotResult(bound, search.placed, spent=spent)


class _Search:
    def __init__(
        self, event: Event, lp: SlotLP, fair: int, start: int, branches: float, cancelled: Callable[[], bool]
    ) -> None:
        self.event = event
        self.lp = lp
        self.fair = fair
        self.best = start
        self.placed: list[Placed] | None = None
        self.left = branches
        self.cancelled = cancelled
        self.complete = True
        self.classes = room_classes(event)
        wishers = {s.id: 0 for s in event.sessions}
        for p in event.participants:
            for w in p.wishes:
                wishers[w.session] += 1
        self.order = sorted(wishers, key=lambda s: (-wishers[s], s))
        slots = [t.id for t in event.session_slots]
        self.options = {}
        for s in event.sessions:
            usable = sorted({t for t, _ in allowed_starts(event, s, self.classes)}, key=slots.index)
            self.options[s.id] = [frozenset(c) for c in itertools.combinations(usable, s.runs)]

    def node(self, fixed: dict[str, frozenset[str]], allowed: list[int], depth: int) -> None:
        """Bound the plans that agree with `fixed` (their columns are `allowed`); branch or seat them."""
        if self.left <= 0 or self.cancelled():
            self.complete = False
            return
        self.left -= 1
        solved = self.lp.solve_lp(allowed)
        if solved is None or math.floor(solved[1] + 1e-6) <= self.best:
            return
        if depth == len(self.order):
            self._seat(fixed)
            return
        shares = solved[0]
        session = self.order[depth]
        columns = self.lp.columns

        def preferred(option: frozenset[str]) -> float:
            return -sum(x for i, x in shares.items() if columns[i][0] in option and session in columns[i][1])

        for option in sorted(self.options[session], key=preferred):
            agree = [i for i in allowed if (columns[i][0] in option) == (session in columns[i][1])]
            self.node({**fixed, session: option}, agree, depth + 1)

    def _seat(self, fixed: dict[str, frozenset[str]]) -> None:
        """The best seats for this slot assignment, rooms included, nobody's shortfall above `fair`."""
        timetable = {
            s: tuple((t, c) for t, c in allowed_starts(self.event, self.event.session(s), self.classes) if t in slots)
            for s, slots in fixed.items()
        }
        model, v = seat_model(self.event, timetable, self.fair)
        solver = deterministic_solver(LEAF_WORK)
        status = solver.solve(model)
        self.left -= solver.deterministic_time * SECONDS_PER_WORK / (len(self.lp.columns) * SECONDS_PER_BRANCH_COLUMN)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value > self.best:
            self.best = round(solver.objective_value)
            self.placed = v.extract(solver)
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and solver.best_objective_bound > self.best:
            self.complete = False  # this assignment might hold a better plan that the work limit did not reach
