"""Solve an event: the strategy, read top to bottom. Each path is a declared list of phases (`pipeline.Phase`:
name, what it runs, its share of the one budget, when it is skipped); what each phase runs is in `phases`.

Joint path (events the joint model can hold): a fast plan in two stages (greedy and demand timetables, seated
by min-cost flow) hints the joint model, which fixes fairness, then satisfaction, then the networking mix, each
phase fixing the one before. Beside it, in a child process, the slot bound and the slot search work from the
fast plan; a plan they prove best is taken. Two-stage path (events too large for the joint model): a timetable
without the joint model, improved by the move search with flow seats, seated exactly by CP-SAT when small.

The search is deterministic: the budget is counted in CP-SAT's deterministic work (`max_deterministic_time`),
the move search in seatings and the slot search in branches converted from it, so the same input, options and
seed give the same plan also on a busy machine. The wall-clock time limit stays a cap on top (`runner`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from scheduler.domain import Event
from scheduler.model import explain
from scheduler.model.counting import counting_reasons
from scheduler.model.facts import room_classes
from scheduler.model.heuristics import move_search
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.phases import (
    ANNEALING_SHARE,
    all_seated,
    anneal_timetable,
    annealed,
    cp_seats,
    demand_plan,
    demand_timetable_only,
    exact,
    fairness,
    greedy_found,
    greedy_plan,
    greedy_timetable_only,
    joint_model,
    mix,
    mix_after_proof,
    neighbourhoods,
    no_neighbourhoods,
    no_seed,
    no_timetable,
    rest_of_budget,
    satisfaction,
    search,
    seed,
    skip_after_fairness,
    skip_greedy_search,
    skip_slot_result,
    skip_slot_search,
    skip_slot_start,
    slot_value_seed,
    start_column_bound,
    start_slot_bound,
    start_slot_search,
    stopped,
    swap_search,
    take_column_bound,
    take_slot_search,
)
from scheduler.model.pipeline import Phase, Solving, run_path
from scheduler.model.runner import Progress, Runner, SolveOptions, State, seconds_of
from scheduler.model.score import evaluate, networking_terms, weighted_ceiling
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.problems import Problem
from scheduler.text import Text

__all__ = ["JOINT_PATH", "TWO_STAGE_PATH", "NoPlanFound", "Progress", "SolveOptions", "attendance_count", "solve"]

JOINT_LIMIT = 20_000  # attendance variables above which the joint model is not built (500 people: 48,000)
EXACT_SEATS_LIMIT = 150_000  # attendance variables of a fixed timetable up to which CP-SAT re-seats it (5,000: 615,000)
MIN_MIX_SHARE = 0.02  # of the whole budget: below this the mix phase is skipped
MIX_SHARE = 0.1  # of what the first phases left, plus what satisfaction left of its share
MIX_AFTER_PROOF = 0.03  # of the same, and nothing more, after a proof: 1.1 work units on the bundled example reach
# the mix that 3.4 reach (also with a session of two slots), and the user waits for it (docs/performance.md)


def _mix_share(s: Solving) -> float:
    return MIX_AFTER_PROOF if s.proven else MIX_SHARE


def _mix_too_small(s: Solving, work: float) -> bool:
    floor = MIN_MIX_SHARE * s.runner.options.budget
    return skip_after_fairness(s, work) or work < floor or s.runner.seconds_left() < seconds_of(floor)


def _anneals(s: Solving, work: float) -> bool:
    """The annealing runs where CP-SAT can seat its timetables (see `anneal_timetable`)."""
    return not no_seed(s, work) and _exact_fits(s)


def _searched(s: Solving, work: float) -> bool:
    """No seed, or the annealing's plan (already seated by CP-SAT) beat it: no move search, no exact seats."""
    return no_seed(s, work) or annealed(s, work)


def _exact_fits(s: Solving) -> bool:
    return move_search.pairs(s.event) <= EXACT_SEATS_LIMIT


# Shares are of the whole budget, or (`of_rest`) of what the phases before left. A share of a phase that counts
# seatings or branches stands for the same share of the time limit at the conservative speeds of those counts.
JOINT_PATH = (
    Phase("slot bound", start_slot_bound, share=0.5, skip=skip_slot_search, beside=True),  # second core, at once
    Phase("greedy", greedy_plan, skip=stopped),  # greedy timetable, flow seats: no search
    Phase("swap search", swap_search, share=0.1, skip=skip_greedy_search),  # improves the greedy plan, the hint
    Phase("demand timetable", demand_plan, share=0.05, skip=stopped),  # CP-SAT timetable, flow seats
    Phase("cp seats", cp_seats, share=0.1, skip=all_seated),  # where no flow seating exists (each timetable)
    Phase("slot search", start_slot_search, skip=skip_slot_start, beside=True),  # from the best fast plan
    Phase("joint model", joint_model),  # every rule, hinted with the best fast plan
    Phase("fairness", fairness, share=0.35, of_rest=True),  # at most; what it leaves goes on
    Phase("satisfaction", satisfaction, share=0.55, skip=skip_after_fairness, of_rest=True, carry=True),
    Phase("slot search result", take_slot_search, skip=skip_slot_result, beside=True),  # waits; a proof wins
    Phase("mix", mix, share=_mix_share, skip=_mix_too_small, of_rest=True, carry=mix_after_proof),  # ties only
)

TWO_STAGE_PATH = (  # large events: no joint model; the bound beside is the column bound, else the capacity ceiling
    Phase("column bound", start_column_bound, share=0.9, skip=skip_slot_search, beside=True),  # second core
    Phase("greedy", greedy_timetable_only),
    Phase("demand timetable", demand_timetable_only, share=0.3, skip=greedy_found),  # when greedy gets stuck
    Phase("seed", seed, share=0.5, skip=lambda s, work: no_timetable(s, work) or not _exact_fits(s)),  # + search
    Phase("slot values", slot_value_seed, share=0.9, skip=lambda s, work: no_timetable(s, work) or _exact_fits(s)),
    Phase("annealing", anneal_timetable, share=ANNEALING_SHARE, carry=True, skip=lambda s, w: not _anneals(s, w)),
    Phase("swap search", search, carry=True, skip=_searched),  # what the seed left of the seatings, then polish
    Phase("exact seats", exact, share=0.25, skip=lambda s, work: _searched(s, work) or not _exact_fits(s)),
    Phase("neighbourhoods", neighbourhoods, share=rest_of_budget, skip=no_neighbourhoods),  # until the budget is used
    Phase("column bound result", take_column_bound, skip=skip_slot_start, beside=True),  # waits, never past the limit
)


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
    runner = Runner(options, on_progress, stop)  # the limit counts the checks too (5,000 people, busy: 0.5 s)
    reasons = counting_reasons(event) if options.counting_checks else []
    if reasons:
        raise explain.Infeasible(reasons)
    runner.ceiling = weighted_ceiling(event)
    joint = options.path == "joint" or (options.path == "auto" and attendance_count(event) <= JOINT_LIMIT)
    solving = Solving(event, runner)
    try:
        run_path(solving, JOINT_PATH if joint else TWO_STAGE_PATH, options.budget)
    finally:
        if solving.bound is not None:
            solving.bound.cancel()
    if solving.state.infeasible:
        raise explain.Infeasible(explain.solver_reasons(event, runner))
    best = solving.best()
    if best is None:
        raise NoPlanFound()
    if joint:
        return _plan(event, solving, runner)
    bound = solving.state.slot_bound
    solving.state = State(placed=best, candidates=[best], interrupted=runner.stopped(), slot_bound=bound)
    clashes = bound is not None and runner.ceiling is not None and bound < runner.ceiling
    return _plan(event, solving, runner, warnings=(Problem(_large_event_note(event, clashes), severity="warning"),))


def attendance_count(event: Event) -> int:
    """How many attendance variables the joint model would have (an upper estimate)."""
    starts = sum(len(event.start_slots(s.duration)) for s in event.sessions)
    return len(event.participants) * starts


def _large_event_note(event: Event, clashes: bool = False) -> Text:
    """What the plan's bound is: with `clashes` the column bound (slot by slot, collisions seen), else the
    capacity ceiling (collisions ignored)."""
    people = len(event.participants)
    if clashes:
        return Text(
            f"Große Veranstaltung ({people} Personen): erst der Zeitplan nach der Gesamtnachfrage, dann die Plätze. "
            f"Die Schranke rechnet Zeitfenster für Zeitfenster mit den Überschneidungen der Wünsche, lässt aber "
            f"Bruchteile von Zeitplänen zu; der beste mögliche Plan kann darunter liegen.",
            f"Large event ({people} people): the timetable from aggregate demand first, then the seats. The bound "
            f"counts clashing wishes slot by slot but allows fractions of timetables; the best possible plan may "
            f"lie below it.",
        )
    return Text(
        f"Große Veranstaltung ({people} Personen): erst der Zeitplan nach der Gesamtnachfrage, "
        f"dann die Plätze. Die Schranke rechnet ohne Überschneidungen im Zeitplan (jede Person ihre besten Wünsche, "
        f"soweit die Räume reichen); der angezeigte Abstand ist daher größer als der zum besten möglichen Plan.",
        f"Large event ({people} people): the timetable from aggregate demand first, then the "
        f"seats. The bound ignores clashes in the timetable (everyone their best wishes as far as rooms allow), "
        f"so the gap shown is larger than the gap to the best possible plan.",
    )


def _plan(event: Event, solving: Solving, runner: Runner, warnings: tuple[Problem, ...] = ()) -> Plan:
    state = solving.state
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
            tuple(solving.records),
            runner.ended_by(optimal),
        ),
        objective=Objective(
            score.max_shortfall, score.weighted, max(bound, score.weighted), networking_terms(event, state.placed)
        ),
        warnings=warnings,
    )
