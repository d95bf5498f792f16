"""The slot search: branch and bound over slot assignments proves the most weighted wishes a plan can have."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.io.workbook import read_event
from scheduler.model.bounds.slot_bound import slot_bound
from scheduler.model.bounds.slot_search import SlotResult, slot_plan
from scheduler.model.cpsat.objective import max_shortfall, weighted_wishes
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, room_classes
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.score import evaluate
from scheduler.model.solve import SolveOptions, solve
from scheduler.networking.day import sessions_part
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.validate import validate

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "vernetzungstreffen.xlsx"


def most_weighted(ev: Event, fair: int) -> int:
    """The optimum by the joint CP-SAT model alone (no slot LP), for events small enough to prove it."""
    model = cp_model.CpModel()
    v = PlanVars(ev, model)
    build_rules(ev, model, v, Guard(model))
    model.add(max_shortfall(ev, model, v) <= fair)
    model.maximize(weighted_wishes(ev, v))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def as_plan(ev: Event, placed: list[Placed]) -> Plan:
    score = evaluate(ev, placed)
    return Plan(
        runs=assign_rooms(ev, room_classes(ev), placed),
        solver=SolverInfo("FEASIBLE", 0.0, 0, 1.0, False),
        objective=Objective(score.max_shortfall, score.weighted, score.weighted),
    )


def proven_by_the_slot_search(ev: Event, start: list[Placed], fair: int, best: int) -> SlotResult:
    """The slot search from `start` proves `best`, and its plan passes the validator with that value."""
    found = slot_plan(ev, 10, start)
    assert (found.bound, found.proven) == (best, True)
    assert found.placed is not None
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.weighted, report.max_shortfall <= fair) == (best, True)
    return found


def greedy_start(ev: Event) -> list[Placed]:
    timetable = greedy_timetable(ev)
    assert timetable is not None
    placed = assign_seats(ev, timetable)
    assert placed is not None
    return placed


@pytest.mark.parametrize(
    ("people", "sessions", "seed"), [(24, 6, 1), (30, 7, 7), (30, 7, 3), (30, 7, 5), (30, 7, 8), (36, 8, 4)]
)  # each with a slot bound above the optimum: the search has work to do
def test_the_search_finds_and_proves_the_optimum_of_small_events(people: int, sessions: int, seed: int) -> None:
    ev = generate_event(participants=people, sessions=sessions, slots=3, rooms=3, seed=seed)
    start = greedy_start(ev)
    fair = evaluate(ev, start).max_shortfall
    best = most_weighted(ev, fair)
    found = proven_by_the_slot_search(ev, start, fair, best)
    assert slot_plan(ev, 10, found.placed) == SlotResult(best, found.placed, proven=True)  # nothing better


def test_without_a_start_plan_only_the_bound() -> None:
    ev = generate_event(participants=30, sessions=7, slots=3, rooms=3, seed=7)
    found = slot_plan(ev, 10, None)
    assert found == SlotResult(slot_bound(ev, seconds=10))  # the slot bound, no search without a plan
    assert found.bound is not None and found.bound >= most_weighted(ev, 0) == 316


def test_the_bundled_example_is_solved_to_its_proven_optimum_within_the_default_time() -> None:
    ev = sessions_part(read_event(EXAMPLE)[0])  # the sessions; the networking rounds come after (test_networking)
    plan = solve(ev, SolveOptions(time_limit=120))  # two minutes: room for a machine two or three times slower
    assert (plan.solver.status, plan.objective.max_shortfall, plan.objective.weighted) == ("OPTIMAL", 1, 1386)
    assert plan.objective.weighted_bound == 1386  # 300 s of CP-SAT alone reached 1,386 without proving it
    report = validate(ev, plan, check_objective=True)
    assert report.violations == []
