"""Re-plan an event from the plan that was sent out: every hard rule, then the fewest moved runs, then the fewest
changed agendas, then fairness and weighted wishes for everybody (Timefold's "responding to change",
ConferenceScheduler's number_of_changes, extended from the timetable to people's agendas).

The joint CP-SAT model (`PlanVars`, `rules`) is built with every room its own class, so that a run that keeps
its slot and room is one variable, and the previous plan is the hint. Each objective is one phase that fixes
its reached value before the next (`Runner`, so progress and Ctrl-C work as in `solve`). With `max_changes`
the order becomes: moved runs, fairness, wishes, changes, with at most max(N, the least possible) changed
agendas. Hand edits (`HandEdits`) are hard constraints.

Events too large for the joint model keep their timetable: only runs that cannot stay (room removed, host
newly unavailable, hand edit) may move, and CP-SAT re-seats everybody on that timetable with the same order of
objectives, so old seats are kept wherever they can be. When no plan exists that way (a dropped session whose
attendees find no free seat in its slot), runs are first moved greedily from slots with spare seats into free
rooms of slots short of seats (`replan_hint.rebalance`); that timetable is then kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.changes import NO_EDITS, Changes, compare
from scheduler.domain import Event
from scheduler.model import explain
from scheduler.model.counting import counting_reasons
from scheduler.model.cpsat.objective import max_shortfall, weighted_wishes
from scheduler.model.facts import Placed, RoomClass
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.replan_hint import rebalance
from scheduler.model.replan_model import Previous, build, hint_previous, previous_of, singleton_classes
from scheduler.model.runner import Progress, Runner, SolveOptions, State
from scheduler.model.score import evaluate, weighted_ceiling
from scheduler.model.solve import JOINT_LIMIT, NoPlanFound, attendance_count, solve
from scheduler.plan import HandEdits, Objective, Plan, SolverInfo
from scheduler.text import Text

SHARES = {"moves": 0.25, "changes": 0.3, "fairness": 0.15, "satisfaction": 0.3}  # work a phase leaves goes on
KEPT_SHARE = 0.2  # of the moves share, for the kept timetable tried first
TRADE_SHARE = 0.25  # of the satisfaction share, for the final fewest-changes phase under --max-changes


@dataclass(frozen=True)
class ReplanOptions:
    solve: SolveOptions = SolveOptions()
    keep_timetable: bool = False
    max_changes: int | None = None  # changed agendas allowed for better fairness or wishes


@dataclass(frozen=True)
class Replanned:
    plan: Plan
    changes: Changes
    least_changes: int | None  # the proven least number of changed agendas (given the fewest moved runs)
    least_moves: int | None  # the proven least number of moved runs
    kept_timetable: bool  # runs could only move where they had to (asked for, or a large event)
    traded: bool = False  # agendas could change for better fairness or wishes (`--max-changes` above the least)


def replan(
    event: Event,
    old_event: Event,
    old_plan: Plan,
    options: ReplanOptions = ReplanOptions(),
    edits: HandEdits = NO_EDITS,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    *,
    revision: int = 1,
) -> Replanned:
    """The new plan with the fewest changes; raises explain.Infeasible when no plan (or no plan keeping the hand
    edits) can exist, NoPlanFound when the time limit ends first. `revision` numbers the new plan (see Changes).

    Unless the timetable is kept anyway, the kept timetable is tried first on its own small model: a plan there
    has the least possible moved runs (only those that cannot stay) and hints the joint model; no plan there
    proves that at least one more run must move, which the joint model then knows as a bound.
    """
    reasons = counting_reasons(event)
    if reasons:
        raise explain.Infeasible(reasons)
    runner = Runner(options.solve, on_progress, stop)
    runner.ceiling = weighted_ceiling(event)
    classes = singleton_classes(event)
    old = previous_of(old_event, old_plan)
    keep = options.keep_timetable or attendance_count(event) > JOINT_LIMIT
    work = options.solve.budget
    state = State()
    m = build(event, classes, old, edits, "kept")
    hint_previous(event, m.v, old)
    planned = [SHARES["moves"] * work * (1 if keep else KEPT_SHARE)]
    status = runner.run("moves", m.model, m.v, state, planned[0])
    if options.keep_timetable and status == cp_model.INFEASIBLE:
        raise explain.Infeasible([*_pin_note(edits), KEPT_INFEASIBLE])
    large = keep and not options.keep_timetable
    rebalanced = False
    if large and status == cp_model.INFEASIBLE:
        runs = rebalance(event, classes, {s: p for s, p in old.runs.items() if s in {x.id for x in event.sessions}})
        if runs is None:
            raise explain.Infeasible([*_pin_note(edits), LARGE_KEPT_INFEASIBLE])
        m, rebalanced = build(event, classes, old, edits, "kept", runs), True
        hint_previous(event, m.v, Previous(runs, old.entries, old.slots))
        status = runner.run("moves", m.model, m.v, state, planned[0])
        if status == cp_model.INFEASIBLE:
            raise explain.Infeasible([*_pin_note(edits), LARGE_KEPT_INFEASIBLE])
    if not keep:
        m = build(event, classes, old, edits, "all")
        if state.placed is not None:
            m.v.hint(state.placed)
        else:
            hint_previous(event, m.v, old)
    model, v, moved, changed = m.model, m.v, m.moved, m.changed

    def score(placed: list[Placed]) -> Changes:
        return compare(old_event, old_plan, event, _plan_of(event, classes, placed, runner, state), groups=False)

    def phase(name: str, share: float) -> bool:
        """One phase; True when its optimum is proven."""
        planned[0] += share * work
        if state.interrupted and state.placed is not None:
            return False  # Ctrl-C: the best plan so far is the result
        status = runner.run(name, model, v, state, planned[0] - runner.work_used)
        if state.placed is None and not runner.stopped():
            status = runner.run(name, model, v, state, share * work)  # the first plan may take longer
        if status == cp_model.INFEASIBLE:
            reasons = explain.solver_reasons(event, runner)
            raise explain.Infeasible(_pin_note(edits) + reasons)
        if state.placed is None and not runner.stopped() and not keep:
            state.placed = _fresh(event, options.solve, stop)
            status = runner.run(name, model, v, state, share * work)
        if state.placed is None:
            raise NoPlanFound()
        return status == cp_model.OPTIMAL

    if keep:
        proven = [state.placed is not None and not rebalanced]  # only the runs that cannot stay have moved
        if state.placed is None:
            phase("moves", SHARES["moves"])
    else:
        model.minimize(moved)
        proven = [phase("moves", SHARES["moves"] * (1 - KEPT_SHARE))]
    least_moves = len(score(state.placed or []).runs_moved)
    model.add(moved <= least_moves)
    model.minimize(changed)
    proven.append(phase("changes", SHARES["changes"]))
    least = len(score(state.placed or []).agendas_changed)
    least_changes = least if all(proven) else None
    trade = options.max_changes is not None and options.max_changes > least
    model.add(changed <= (max(options.max_changes or 0, least) if trade else least))
    worst = max_shortfall(event, model, v)
    model.minimize(worst)
    proven.append(phase("fairness", SHARES["fairness"]))
    assert state.placed is not None
    model.add(worst <= evaluate(event, state.placed).max_shortfall)
    weighted = weighted_wishes(event, v)
    model.maximize(weighted)
    share = SHARES["satisfaction"] * ((1 - TRADE_SHARE) if trade else 1.0)
    proven.append(phase("satisfaction", share))
    bound = state.weighted_bound
    if trade:
        model.add(weighted >= evaluate(event, state.placed).weighted)
        model.minimize(changed)
        proven.append(phase("changes", SHARES["satisfaction"] * TRADE_SHARE))
    state.proven = {"all": all(proven)}
    state.weighted_bound = bound
    plan = _plan_of(event, classes, state.placed, runner, state)
    changes = compare(old_event, old_plan, event, plan, edits, revision=revision, traded=trade, groups=False)
    return Replanned(plan, changes, least_changes, least_moves if proven[0] else None, keep, trade)


KEPT_INFEASIBLE = Text(
    "Mit festem Zeitplan ist kein Plan möglich: die Sessions, die bleiben können, haben in ihren Zeitfenstern und "
    "Räumen nicht genug Plätze für alle (oder Mindestzahlen sind nicht erreichbar). Ohne --keep-timetable "
    "dürfen Sessions verschoben werden.",
    "No plan is possible with the timetable kept: the sessions that can stay do not have enough seats in their "
    "slots and rooms for everybody (or minimums cannot be met). Without --keep-timetable sessions may move.",
)

LARGE_KEPT_INFEASIBLE = Text(
    "Die Veranstaltung ist zu groß, um beim Neuplanen Sessions frei zu verschieben (nur einzelne in freie Räume "
    "von Zeitfenstern mit zu wenigen Plätzen); so ist kein Plan möglich (zu wenige Plätze in den Zeitfenstern, "
    "oder Mindestzahlen nicht erreichbar). Bitte ohne --previous neu planen.",
    "The event is too large to move sessions freely while re-planning (only single ones into free rooms of slots "
    "short of seats); no plan is possible that way (too few seats in the slots, or minimums cannot be met). "
    "Please plan afresh without --previous.",
)


def _fresh(event: Event, options: SolveOptions, stop: threading.Event | None) -> list[Placed] | None:
    """A fresh plan as the hint, when the previous plan did not lead the search to any plan."""
    plan = solve(event, SolveOptions(options.time_limit / 4, options.seed, options.workers), stop=stop)
    return [Placed(r.session, r.slots[0], r.room, r.attendees) for r in plan.runs]


def _plan_of(
    event: Event, classes: tuple[RoomClass, ...], placed: list[Placed] | None, runner: Runner, state: State
) -> Plan:
    assert placed is not None
    score = evaluate(event, placed)
    bounds = [b for b in (state.weighted_bound, runner.ceiling) if b is not None]
    options = runner.options
    optimal = bool(state.proven.get("all"))
    return Plan(
        runs=assign_rooms(event, classes, placed),
        solver=SolverInfo(
            "OPTIMAL" if optimal else "FEASIBLE",
            round(runner.elapsed(), 2),
            options.seed,
            options.time_limit,
            state.interrupted,
            ended_by=runner.ended_by(optimal),
        ),
        objective=Objective(score.max_shortfall, score.weighted, max(min(bounds), score.weighted)),
    )


def _pin_note(edits: HandEdits) -> list[Text]:
    if not edits.runs and not edits.seats:
        return []
    return [
        Text(
            "Mit den Handänderungen (fest) ist kein Plan möglich; ohne sie gilt:",
            "No plan is possible with the hand edits held; without them:",
        )
    ]
