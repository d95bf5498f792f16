"""The large-neighbourhood search on the two-stage path, and what the plan says ended the search."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app
from scheduler.example import generate_event
from scheduler.io.planfile import read_plan, write_plan
from scheduler.model.cpsat.seat_model import exact_seats
from scheduler.model.heuristics import lns, move_search
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.runner import Runner
from scheduler.model.score import evaluate, rank, weighted_ceiling
from scheduler.model.solve import SolveOptions, solve
from scheduler.plan import SolverInfo
from scheduler.problems import InputError
from scheduler.validate import validate
from tests.test_planfile import edited
from tests.test_seats_flow import as_plan
from tests.tiny_plans import plan_for, tiny_event, tiny_runs
from tests.workbooks import write_workbook

LONG = 600.0  # a time limit far above what the work budget takes: the work limit ends these searches


def test_neighbourhood_search_improves_on_the_move_search_and_the_plan_is_valid() -> None:
    ev = generate_event(participants=150, sessions=12, slots=3, rooms=5, seed=1)
    runner = Runner(SolveOptions(time_limit=LONG), None, None)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    timetable, seats = move_search.seed(ev, runner, greedy, 100)
    moved, placed, _ = move_search.swap_search(ev, runner, timetable, seats, budget=10**6)  # until no move helps
    searched = exact_seats(ev, runner, moved, placed, 2.0)  # the move search's plan, seated exactly
    found = lns.search(ev, runner, searched, 3.0, 0)
    assert rank(ev, found.placed) < rank(ev, searched)
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == tuple(vars(evaluate(ev, found.placed)).values())
    assert report.weighted <= weighted_ceiling(ev)


def test_each_step_keeps_a_valid_plan_never_worse_and_the_same_seed_gives_the_same_plan() -> None:
    ev = generate_event(participants=150, sessions=12, slots=3, rooms=5, seed=1)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    start = assign_seats(ev, timetable)
    assert start is not None
    found = [lns.search(ev, Runner(SolveOptions(time_limit=LONG), None, None), start, 3.0, 0) for _ in range(2)]
    assert found[0].placed == found[1].placed
    assert found[0].steps > 0
    assert rank(ev, found[0].placed) <= rank(ev, start)
    report = validate(ev, as_plan(ev, found[0].placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == tuple(vars(evaluate(ev, found[0].placed)).values())


def test_on_a_tiny_event_the_two_stage_path_reaches_the_proven_optimum_and_runs_out_of_moves() -> None:
    ev = generate_event(participants=20, sessions=4, slots=2, rooms=2, seed=0)
    proven = solve(ev, SolveOptions(time_limit=LONG))
    assert (proven.solver.status, proven.solver.ended_by) == ("OPTIMAL", "proof")
    two_stage = solve(ev, SolveOptions(time_limit=LONG, path="two_stage"))
    assert validate(ev, two_stage).violations == []
    assert (two_stage.objective.max_shortfall, two_stage.objective.weighted) == (
        proven.objective.max_shortfall,
        proven.objective.weighted,
    )
    assert two_stage.solver.ended_by == "moves"


def test_a_small_work_budget_ends_the_search_and_gives_the_same_plan_twice() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    options = SolveOptions(time_limit=LONG, work=0.3, slot_search=False)
    plans = [solve(ev, options) for _ in range(2)]
    assert [(p.solver.status, p.solver.ended_by) for p in plans] == [("FEASIBLE", "work")] * 2
    assert plans[0].runs == plans[1].runs


def test_two_stage_runs_ended_by_work_give_the_same_plan() -> None:
    ev = generate_event(participants=300, sessions=12, slots=3, rooms=6, seed=1)
    options = SolveOptions(time_limit=LONG, work=3.0, path="two_stage")
    plans = [solve(ev, options) for _ in range(2)]
    assert [p.solver.ended_by for p in plans] == ["work", "work"]
    assert plans[0].runs == plans[1].runs
    assert validate(ev, plans[0]).violations == []


def test_a_time_limit_far_below_the_work_ends_the_search_by_time() -> None:
    ev = generate_event(participants=300, sessions=12, slots=3, rooms=6, seed=1)
    plan = solve(ev, SolveOptions(time_limit=1.0, work=100.0, path="two_stage"))
    assert plan.solver.ended_by == "time"
    assert validate(ev, plan).violations == []


def test_ctrl_c_is_what_ended_the_search() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    stop = threading.Event()
    stop.set()
    plan = solve(ev, SolveOptions(time_limit=10.0, path="two_stage"), stop=stop)
    assert (plan.solver.interrupted, plan.solver.ended_by) == (True, "stop")


def test_the_plan_file_keeps_what_ended_the_search(tmp_path: Path) -> None:
    event = tiny_event()
    plan = plan_for(event, tiny_runs())
    plan = replace(plan, solver=SolverInfo("FEASIBLE", ended_by="time"))
    path = tmp_path / "plan.json"
    write_plan(path, event, plan)
    assert json.loads(path.read_text(encoding="utf-8"))["solver"]["ended_by"] == "time"
    assert read_plan(path)[1].solver.ended_by == "time"


def test_an_older_plan_file_without_it_still_reads(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["solver"].pop("ended_by", None)

    assert read_plan(edited(tmp_path, edit))[1].solver.ended_by is None


def test_an_unknown_value_is_named_with_the_allowed_ones(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["solver"]["ended_by"] = "luck"

    with pytest.raises(InputError) as caught:
        read_plan(edited(tmp_path, edit))
    assert [p.render("en") for p in caught.value.problems] == [
        'plan.json, column "solver.ended_by": Unknown value “luck”; allowed: proof, work, time, moves, stop.'
    ]


def test_the_summary_says_what_ended_the_search_in_both_languages(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "event.xlsx")
    runner = CliRunner()
    english = runner.invoke(app, ["plan", str(book), "--time-limit", "600", "--work", "0.05", "--lang", "en", "-v"])
    assert english.exit_code == 0, english.output
    said = " ".join(english.output.split())
    assert "The search ended " in said
    german = runner.invoke(app, ["plan", str(book), "--time-limit", "5"])
    assert german.exit_code == 0, german.output
    assert "Die Suche endete mit dem Beweis, dass kein Plan besser ist." in " ".join(german.output.split())
