"""The solve loop: lexicographic objectives, determinism, stopping early, and `scheduler plan` end to end."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Wish
from scheduler.example import generate_event
from scheduler.io.planfile import read_plan
from scheduler.model.solve import Progress, SolveOptions, solve
from scheduler.validate import validate
from tests.test_model_rules import OPTIONS, event, person, pid, room, runs_of, session, solved
from tests.workbooks import write_workbook

SMALL = dict(participants=24, sessions=5, slots=2, rooms=3, seed=3)


def test_fairness_comes_before_satisfaction() -> None:
    # K = 3, weights 3, 2, 1. A (T1) and B (T2) have one seat each; C and D seat everyone else.
    # p2 wants only A (3), p3 only B (3), p1 wants A at rank 2 (2) and B at rank 3 (1), so p1's target is 2.
    # Most weight: p2 gets A, p3 gets B = 6, but p1 gets nothing (shortfall 2).
    # Fairest: shortfall at most 1 for everyone; best among those: p1 gets A, p3 gets B = 2 + 3 = 5.
    p1 = replace(person("p1"), wishes=(Wish("A", 2), Wish("B", 3)))
    sessions = [
        session("A", capacity=1, fixed_slot="T1"),
        session("B", capacity=1, fixed_slot="T2"),
        session("C", fixed_slot="T1"),
        session("D", fixed_slot="T2"),
    ]
    ev = event(2, [room("R1"), room("R2")], sessions, [p1, person("p2", "A"), person("p3", "B")], wish_count=3)
    plan = solved(ev)
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (1, 5)
    assert runs_of(plan, "A")[0].attendees == (pid("p1"),)
    assert runs_of(plan, "B")[0].attendees == (pid("p3"),)
    assert plan.solver.status == "OPTIMAL"
    assert plan.objective.weighted_bound == 5


def test_same_input_and_seed_give_the_same_plan() -> None:
    # An event the solver does not finish within the work limit, so the limit decides where it stops.
    # A small work budget under a generous wall clock: the deterministic limit, not the clock, ends the search.
    # No slot search: it would prove this event optimal.
    ev = generate_event(participants=60, sessions=8, slots=3, rooms=4, seed=2)
    options = SolveOptions(time_limit=20.0, seed=7, workers=1, work=1.0, slot_search=False)
    first, second = solve(ev, options), solve(ev, options)
    assert first.solver.status == "FEASIBLE"
    assert first.runs == second.runs
    assert first.objective == second.objective
    assert validate(ev, first).ok


def test_a_plan_proven_by_the_slot_search_is_the_same_every_time() -> None:
    # In a child process the proof ends the satisfaction phase at a moment that varies from run to run.
    ev = generate_event(participants=60, sessions=8, slots=3, rooms=4, seed=2)
    options = SolveOptions(time_limit=60.0, seed=7, workers=1, work=12.0, bound_in_child=True)  # the clock a far cap
    first, second = solve(ev, options), solve(ev, options)
    assert first.solver.status == "OPTIMAL"
    assert first.objective.weighted == first.objective.weighted_bound
    assert first.runs == second.runs
    assert first.objective == second.objective
    assert validate(ev, first).ok


def test_stop_event_keeps_the_best_plan_found_so_far() -> None:
    ev = generate_event(**SMALL)
    stop = threading.Event()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if progress.best is not None:
            stop.set()

    # Without the slot search no proof can come before the stop ends the satisfaction phase.
    options = SolveOptions(time_limit=20.0, seed=0, workers=1, slot_search=False)
    plan = solve(ev, options, on_progress=on_progress, stop=stop)
    assert plan.solver.interrupted is True
    assert plan.solver.status == "FEASIBLE"
    assert seen and {p.phase for p in seen} <= {"fairness", "satisfaction", "mix"}
    report = validate(ev, plan)
    assert report.violations == []
    assert plan.objective.weighted == report.weighted
    assert plan.objective.weighted_bound >= plan.objective.weighted


def test_plan_command_writes_a_plan_that_verify_accepts(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "event.xlsx")
    out = tmp_path / "plan.json"
    runner = CliRunner()
    args = ["plan", str(book), "--json", str(out), "--time-limit", "5", "--lang", "en", "--verbose"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Result: proven optimal. Largest shortfall: 0" in result.output
    assert "Phases of the search" in result.output and "fairness" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["solver"]["status"] == "OPTIMAL"
    _, plan = read_plan(out)
    assert plan.solver.status == "OPTIMAL"
    assert [p.name for p in plan.solver.phases if not p.skipped][:3] == ["slot bound", "greedy", "swap search"]
    assert [name for name, _ in plan.objective.terms] == ["organisation_over_half", "fill_spread"]
    verified = runner.invoke(app, ["verify", str(book), str(out)])
    assert verified.exit_code == 0, verified.output
    german = runner.invoke(app, ["plan", str(book), "--time-limit", "5", "-v"])
    assert german.exit_code == 0, german.output
    said = " ".join(german.output.split())
    assert "Ergebnis: bewiesen bestmöglich. Meiste fehlende Wünsche einer Person: 0" in said
    assert re.search(r"\(höchstens erreichbar: \d+, Abstand 0,0 %\); \d+,\d s, Zufallsstartwert 0\.", said), said
    assert "OPTIMAL" not in said and "Seed" not in said
    assert "Phasen der Suche" in german.output and "Vernetzung: " in german.output


def test_plan_command_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "event.xlsx")
    before = book.read_bytes()
    result = CliRunner().invoke(app, ["plan", str(book), "--json", str(book), "--lang", "en"])
    assert result.exit_code == 2
    assert f"Error: --json {book} is the input EVENT.xlsx {book}; inputs are never overwritten." in " ".join(
        result.output.split()
    )
    assert "Nothing written." in result.output
    assert book.read_bytes() == before


def test_solved_plan_for_a_host_only_event_has_every_host_busy_once() -> None:
    ev = event(1, [room("R1")], [session("A", hosts=(pid("hanna"),))], [person("p1", "A"), person("hanna")])
    plan = solve(ev, OPTIONS)
    assert runs_of(plan, "A")[0].attendees == (pid("p1"),)
