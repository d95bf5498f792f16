"""The slot search: branch and bound over slot assignments proves the most weighted wishes a plan can have."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.io.workbook import read_event
from scheduler.model.objective import evaluate, max_shortfall, weighted_wishes
from scheduler.model.rooms import assign_rooms
from scheduler.model.rules import Guard, build_rules
from scheduler.model.slot_search import SlotResult, slot_plan
from scheduler.model.variables import Placed, PlanVars, room_classes
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


@pytest.mark.parametrize(
    ("people", "sessions", "seed", "fair"),
    [(24, 6, 1, 9), (30, 7, 7, 0), (30, 7, 3, 0), (30, 7, 5, 1), (30, 7, 8, 0), (36, 8, 4, 0)],
)  # each with a slot bound above the optimum, most with fairness costing wishes: the search has work to do
def test_the_search_finds_and_proves_the_optimum_of_small_events(
    people: int, sessions: int, seed: int, fair: int
) -> None:
    ev = generate_event(participants=people, sessions=sessions, slots=3, rooms=3, seed=seed)
    best = most_weighted(ev, fair)
    found = slot_plan(ev, 10, fair=fair, start=0)
    assert found.bound == best
    assert found.placed is not None
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.weighted, report.max_shortfall <= fair) == (best, True)


def test_a_start_that_is_already_optimal_is_proven_without_a_plan() -> None:
    ev = generate_event(participants=24, sessions=6, slots=3, rooms=3, seed=1)
    best = most_weighted(ev, 9)
    assert slot_plan(ev, 10, fair=9, start=best) == SlotResult(best, None)


def test_the_bundled_example_is_solved_to_its_proven_optimum() -> None:
    ev, _ = read_event(EXAMPLE)
    found = slot_plan(ev, 40, fair=1, start=1344)  # the fast plan's largest shortfall and value
    assert found.bound == 1386  # the best plan of 300 s of CP-SAT, now proven: no plan has more
    assert found.placed is not None
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (1, 1386)
