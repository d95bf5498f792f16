"""`Fest`, `Nicht parallel zu` and `Status` in the event workbook: read, located when wrong, written back.

The workbook of tests/workbooks.py: S1 (Hanna, host only), S2 (Ben), S3 (Carla); Anna (row 2), Ben (3),
Carla (4), Dirk (5, not available in T2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.io.planfile import read_plan, write_plan
from scheduler.io.workbook import read_event
from scheduler.io.write_workbook import write_event_workbook
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.problems import InputError
from scheduler.validate import validate
from tests.workbooks import Sheets, minimal_sheets, write_workbook


def _with(sheets: Sheets, sheet: str, header: str, values: dict[int, Any]) -> Sheets:
    """Add a column to a sheet, with values by row as Excel shows it."""
    table = sheets[sheet]
    table[0].append(header)
    for number, row in enumerate(table[1:], start=2):
        row += [None] * (len(table[0]) - 1 - len(row))
        row.append(values.get(number))
    return sheets


def _book(tmp_path: Path, *columns: tuple[str, str, dict[int, Any]]) -> Path:
    sheets = minimal_sheets()
    for sheet, header, values in columns:
        _with(sheets, sheet, header, values)
    return write_workbook(tmp_path / "event.xlsx", sheets)


def _problems(path: Path, severity: str = "error") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_event(path)
    return [p.render("de") for p in caught.value.problems if p.severity == severity]


def _warnings(path: Path) -> list[str]:
    return [p.render("de") for p in read_event(path)[1]]


def test_fest_by_id_and_title_and_not_parallel_by_id(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        ("Anmeldungen", "Fest", {2: "S3", 4: "KMU-Ansprache und -Beratung; S1", 5: "S1, S3"}),
        ("Sessions", "Nicht parallel zu", {2: "S2"}),
    )
    event, warnings = read_event(path)
    assert event.person("anna@a.example").fixed == {"S3"}
    assert event.person("carla@kww.example").fixed == {"S1", "S2"}
    assert event.person("dirk@d.example").fixed == {"S1", "S3"}
    assert event.session("S1").not_parallel == {"S2"}
    assert event.not_parallel_pairs == (("S1", "S2"),)
    assert warnings == []


def test_english_headers(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Fixed", {3: "S3"}), ("Sessions", "Not parallel to", {3: "S3"}))
    event, _ = read_event(path)
    assert event.person("ben@b.example").fixed == {"S3"}
    assert event.not_parallel_pairs == (("S2", "S3"),)


def test_bad_fest_and_not_parallel_entries_are_located(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        ("Anmeldungen", "Fest", {2: "S9", 3: "S2"}),
        ("Sessions", "Nicht parallel zu", {2: "S1", 3: "Yoga"}),
    )
    assert _problems(path) == [
        'event.xlsx, Sessions, Zeile 2, Spalte "Nicht parallel zu": Session S1 steht bei sich selbst. '
        "Nennen Sie hier andere Sessions.",
        'event.xlsx, Sessions, Zeile 3, Spalte "Nicht parallel zu": Session "Yoga" gibt es nicht. Geben Sie eine '
        "Session-ID (S1, S2, S3) oder einen Titel aus dem Blatt Sessions an.",
        'event.xlsx, Anmeldungen, Zeile 2, Spalte "Fest": Session "S9" gibt es nicht. Geben Sie eine Session-ID '
        "(S1, S2, S3) oder einen Titel aus dem Blatt Sessions an.",
        'event.xlsx, Anmeldungen, Zeile 3, Spalte "Fest": Ben Berger leitet S2 und kann nicht zugleich daran '
        'teilnehmen. Nehmen Sie S2 aus "Fest" heraus.',
    ]


def test_cancelled_session_is_dropped_a_wish_for_it_warned(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Sessions", "Status", {3: "abgesagt", 4: "bestätigt"}))
    event, _ = read_event(path)
    assert [s.id for s in event.sessions] == ["S1", "S3"]
    assert [w.session for w in event.person("anna@a.example").wishes] == ["S1"]
    assert _warnings(path) == [
        'event.xlsx, Anmeldungen, Zeile 2, Spalte "Wunsch 2": Session "KMU-Ansprache und -Beratung" (S2) ist '
        "abgesagt; dieser Wunsch entfällt.",
        'event.xlsx, Anmeldungen, Zeile 4, Spalte "Wunsch 1": Session "KMU-Ansprache und -Beratung" (S2) ist '
        "abgesagt; dieser Wunsch entfällt.",
        'event.xlsx, Anmeldungen, Zeile 5, Spalte "Wunsch 2": Session "KMU-Ansprache und -Beratung" (S2) ist '
        "abgesagt; dieser Wunsch entfällt.",
    ]


def test_fest_for_a_cancelled_session_is_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Sessions", "Status", {4: "storniert"}), ("Anmeldungen", "Fest", {2: "S3"}))
    assert _problems(path) == [
        'event.xlsx, Anmeldungen, Zeile 2, Spalte "Fest": Session "Digitale Lernangebote" (S3) ist abgesagt, die '
        'Person ist aber fest dafür eingeteilt. Nehmen Sie S3 aus "Fest" heraus oder heben Sie die Absage auf.',
    ]


def test_not_parallel_to_a_cancelled_session_is_left_out(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Sessions", "Status", {4: "abgesagt"}), ("Sessions", "Nicht parallel zu", {2: "S3"}))
    event, _ = read_event(path)
    assert event.not_parallel_pairs == ()


def test_cancelled_registration_is_dropped(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Status", {2: "abgesagt", 5: "bestätigt"}))
    event, warnings = read_event(path)
    assert [p.id for p in event.participants] == ["ben@b.example", "carla@kww.example", "dirk@d.example"]
    assert warnings == []


def test_a_host_who_cancelled_is_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Status", {3: "Cancelled"}))
    assert _problems(path) == [
        'event.xlsx, Sessions, Zeile 3, Spalte "Gastgeber": Ben Berger leitet S2, hat die Anmeldung aber abgesagt '
        "(Anmeldungen, Zeile 3). Setzen Sie den Status von S2 auf abgesagt oder tragen Sie andere Gastgeber*innen "
        "ein."
    ]
    both = _book(tmp_path, ("Anmeldungen", "Status", {3: "Cancelled"}), ("Sessions", "Status", {3: "abgesagt"}))
    assert [s.id for s in read_event(both)[0].sessions] == ["S1", "S3"]


def test_unknown_status_is_a_warning_and_the_row_counts(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Status", {2: "vielleicht"}), ("Sessions", "Status", {2: "offen"}))
    event, _ = read_event(path)
    assert "anna@a.example" in {p.id for p in event.participants}
    assert [s.id for s in event.sessions] == ["S1", "S2", "S3"]
    assert _warnings(path) == [
        'event.xlsx, Sessions, Zeile 2, Spalte "Status": Den Status "offen" kennt das Programm nicht; die Zeile '
        'gilt. Schreiben Sie "abgesagt", damit die Zeile entfällt, sonst "bestätigt" oder nichts.',
        'event.xlsx, Anmeldungen, Zeile 2, Spalte "Status": Den Status "vielleicht" kennt das Programm nicht; die '
        'Anmeldung gilt. Schreiben Sie "abgesagt", damit die Anmeldung entfällt, sonst "bestätigt" oder nichts.',
    ]
    assert [p.code for p in read_event(path)[1]] == ["unknown_status", "unknown_status"]


def test_bad_pin_exits_2_in_the_cli(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Fest", {2: "S9"}))
    result = CliRunner().invoke(app, ["plan", str(path), "--json", str(tmp_path / "plan.json")])
    assert result.exit_code == 2
    assert 'Anmeldungen, Zeile 2, Spalte "Fest": Session "S9" gibt es nicht.' in " ".join(result.output.split())
    assert not (tmp_path / "plan.json").exists()


def test_impossible_pin_exits_3_with_a_german_sentence(tmp_path: Path) -> None:
    # S3 has 6 seats (Kapazität); with one run, seven people fixed to it cannot all attend
    sheets = minimal_sheets()
    sheets["Anmeldungen"] += [[f"P{i}", f"p{i}@x.example", "X", "S1", "S2", None] for i in range(6)]
    _with(sheets, "Anmeldungen", "Fest", dict.fromkeys(range(2, 12), "S3") | {3: None, 4: None})
    result = CliRunner().invoke(app, ["plan", str(write_workbook(tmp_path / "e.xlsx", sheets)), "--time-limit", "5"])
    assert result.exit_code == 3, result.output
    assert (
        "Session S3 „Digitale Lernangebote“: 8 Personen sind fest eingeteilt (Fest), sie hat aber nur 6 Plätze "
        "(1 Durchlauf × 6)." in " ".join(result.output.split())
    )


def test_pins_survive_the_plan_file_and_a_written_event_workbook(tmp_path: Path) -> None:
    path = _book(tmp_path, ("Anmeldungen", "Fest", {2: "S3"}), ("Sessions", "Nicht parallel zu", {2: "S2"}))
    event, _ = read_event(path)
    write_plan(tmp_path / "plan.json", event, Plan((), SolverInfo("FEASIBLE"), Objective(0, 0, 0)))
    again, _ = read_plan(tmp_path / "plan.json")
    assert again.person("anna@a.example").fixed == {"S3"}
    assert again.session("S1").not_parallel == {"S2"}
    write_event_workbook(event, tmp_path / "written.xlsx")
    written, _ = read_event(tmp_path / "written.xlsx")
    assert written.person("anna@a.example").fixed == {"S3"}
    assert written.not_parallel_pairs == (("S1", "S2"),)


def test_plan_keeps_the_pins_and_verify_agrees(tmp_path: Path) -> None:
    # Anna fixed to S3 (she wished S1, S2); S1 must not run beside S3; two slots, two rooms
    path = _book(tmp_path, ("Anmeldungen", "Fest", {2: "S3"}), ("Sessions", "Nicht parallel zu", {2: "S3"}))
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["plan", str(path), "--json", str(tmp_path / "p.json"), "-o", str(tmp_path / "p.xlsx"), "--time-limit", "5"],
    )
    assert result.exit_code == 0, result.output
    event, _ = read_event(path)
    _, plan = read_plan(tmp_path / "p.json")
    report = validate(event, plan)
    assert report.ok and (report.max_shortfall, report.weighted) == (
        plan.objective.max_shortfall,
        plan.objective.weighted,
    )
    slots = {r.session: r.slots for r in plan.runs}
    assert slots["S1"] != slots["S3"]
    assert "anna@a.example" in next(r.attendees for r in plan.runs if r.session == "S3")
    for written in ("p.json", "p.xlsx"):
        check = runner.invoke(app, ["verify", str(path), str(tmp_path / written)], env={"COLUMNS": "200"})
        assert check.exit_code == 0, check.output
        assert "Plan ist gültig." in check.output
