"""`scheduler verify EVENT.xlsx PLAN.json`: exit 0 for a valid plan, 1 for violations, 2 for unreadable input."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.domain import Event
from scheduler.io.planfile import write_plan
from scheduler.io.workbook import read_event
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.rules import CODE_SENTENCES, rule_name
from scheduler.validate import score
from tests.workbooks import write_workbook

ROOT = Path(__file__).resolve().parent.parent

# The workbook of tests/workbooks.py: T1, T2 session slots; S1 hosted by Hanna (host only), S2 by Ben,
# S3 by Carla; Dirk is not available in T2.
VALID_RUNS = (
    Run("S1", 1, ("T1",), "R1", ("anna@a.example", "carla@kww.example")),
    Run("S2", 1, ("T1",), "R2", ("dirk@d.example",)),
    Run("S3", 1, ("T2",), "R1", ("anna@a.example", "ben@b.example")),
)


def files(tmp_path: Path, runs: tuple[Run, ...] = VALID_RUNS, objective: Objective | None = None) -> list[str]:
    """The event workbook and a plan file with these runs; the plan states its true objective unless given."""
    workbook = write_workbook(tmp_path / "event.xlsx")
    event, _ = read_event(workbook)
    plan = Plan(runs, SolverInfo("OPTIMAL", 0.5), objective or Objective(0, 0, 0))
    if objective is None:
        plan = true_objective(event, plan)
    write_plan(tmp_path / "plan.json", event, plan)
    return [str(workbook), str(tmp_path / "plan.json")]


def true_objective(event: Event, plan: Plan) -> Plan:
    s = score(event, plan)
    return replace(plan, objective=Objective(s.max_shortfall, s.weighted, s.weighted))


def verify(*args: str) -> Result:
    return CliRunner().invoke(app, ["verify", *args], env={"COLUMNS": "200"})


def words(result: Result) -> str:
    return " ".join(result.output.split())


def test_valid_plan_exits_0(tmp_path: Path) -> None:
    result = verify(*files(tmp_path))
    assert result.exit_code == 0, result.output
    text = words(result)
    assert "Plan ist gültig." in text
    # anna: S1 (rank 1) + S3 (not wished); ben: S3 (rank 2); carla: S1 (rank 2); dirk: S2 (rank 2). K = 2.
    assert "meiste fehlende Wünsche einer Person │ 1 │ 1 │ stimmt" in text
    assert "gewichtete Wünsche │ 5 │ 5 │ stimmt" in text


def test_valid_plan_in_english(tmp_path: Path) -> None:
    result = verify(*files(tmp_path), "--lang", "en")
    assert result.exit_code == 0
    assert "The plan is valid." in words(result)
    assert "weighted wishes │ 5 │ 5 │ matches" in words(result)


def test_violations_exit_1_with_rule_ids_and_message(tmp_path: Path) -> None:
    runs = (*VALID_RUNS[:2], replace(VALID_RUNS[2], attendees=("ben@b.example",)))
    result = verify(*files(tmp_path, runs))
    assert result.exit_code == 1
    text = words(result)
    assert (
        "│ Wer verfügbar ist, hat in jedem Zeitfenster eine Session (agenda_incomplete) │ anna@a.example, T2 │"
        " anna@a.example ist verfügbar, aber in Zeitfenster T2 keiner Session zugeteilt. │"
    ) in text
    assert "1 Regelverstoß." in text
    assert "gültig" not in text


def test_double_booked_room_exits_1(tmp_path: Path) -> None:
    runs = (VALID_RUNS[0], replace(VALID_RUNS[1], room="R1"), VALID_RUNS[2])
    result = verify(*files(tmp_path, runs), "--lang", "en")
    assert result.exit_code == 1
    assert (
        "│ A room holds one run per slot (room_double_booked) │ R1, T1, S1, S2 │ Room R1 is double-booked in slot T1:"
    ) in words(result)


def test_wrong_stated_objective_exits_1(tmp_path: Path) -> None:
    result = verify(*files(tmp_path, objective=Objective(0, 9, 9)))
    assert result.exit_code == 1
    text = words(result)
    assert (
        "│ Die Zielwerte im Plan stimmen mit den nachgerechneten überein (objective_mismatch) │ max_shortfall │ "
        "Der Plan nennt meiste fehlende Wünsche einer Person = 0, "
        "nachgerechnet ergibt sich 1." in text
    )
    assert "gewichtete Wünsche │ 5 │ 9 │ weicht ab" in text


def test_unreadable_plan_exits_2(tmp_path: Path) -> None:
    event_file, plan_file = files(tmp_path)
    Path(plan_file).write_text("kein JSON", encoding="utf-8")
    result = verify(event_file, plan_file)
    assert result.exit_code == 2
    text = words(result)
    assert "Fehler: plan.json, Zeile 1: Die Datei ist kein gültiges JSON: Expecting value (Zeichen 1)." in text
    assert "1 Problem(e) gefunden" in text
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_both_files_bad_reports_both_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "event.xlsx").write_text("no workbook", encoding="utf-8")
    (tmp_path / "plan.json").write_text('{"format": "anders"}', encoding="utf-8")
    result = verify(str(tmp_path / "event.xlsx"), str(tmp_path / "plan.json"), "--lang", "en")
    assert result.exit_code == 2
    text = words(result)
    assert "event.xlsx" in text
    assert 'plan.json, column "format": This is not a scheduler plan file: format "anders"' in text
    assert "2 problem(s) found" in text


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["verify", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "scheduler verify examples/vernetzungstreffen.xlsx plan.json" in words(result)


def test_every_rule_code_has_a_sentence_in_both_languages() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scheduler" / "validate").glob("*.py"))
    codes = set(re.findall(r'Violation\(\s*"([a-z_]+)"', source))
    assert len(codes) >= 20
    assert codes == set(CODE_SENTENCES)
    assert all(name.de and name.en and name.de != name.en for name in CODE_SENTENCES.values())
    assert rule_name("over_capacity", "de") == "Nicht mehr Teilnehmende als Plätze (over_capacity)"
