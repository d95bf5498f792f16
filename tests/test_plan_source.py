"""The plan workbook as an editor: written, edited as an organiser would (openpyxl, LibreOffice), read back.

The sample plan (tests/plan_fixtures.py) in the Sessions sheet, rows 2-7: S01 T1 Raum Nord, S02 T1 Raum Süd,
S04/1 T1 Raum West, S03 T2 Raum Nord, S05 T2-T3 Raum Süd, S04/2 T3 Raum Nord. Teilnehmende rows follow the
event's people: 2 Anna, 3 Bernd, 4 Deniz, 5 Małgorzata, 6 inj, 7 Kim, 8 Hanna, 9 Carla; T1, T2, T3 Session are
columns D, E, F (the link columns come last).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.example.generate import generate_event
from scheduler.export.excel import write_plan_workbook
from scheduler.hand_pins import pinned_event
from scheduler.io.plan_source import LISTS_SHEET, SOURCE_SHEET, read_plan_source
from scheduler.io.planfile import write_plan
from scheduler.io.workbook import read_event
from scheduler.model.facts import room_classes
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.solve import SolveOptions, solve
from scheduler.plan import HandEdits, Objective, Plan, RunPin, SeatPin, SolverInfo
from scheduler.problems import InputError
from scheduler.validate import validate
from scheduler.views import build_view
from tests.plan_fixtures import ANNA, DENIZ, KIM, MALGO, sample_event, sample_plan
from tests.test_verify_cli import VALID_RUNS, true_objective
from tests.workbooks import write_workbook as write_event_workbook


def _plan_workbook(tmp_path: Path, lang: str = "de") -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(build_view(sample_event(), sample_plan()), path, lang)  # type: ignore[arg-type]
    return path


def _edit(path: Path, cells: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Set cells (sheet, A1 address) as an organiser would in Excel, and save under `out` (or in place)."""
    book = openpyxl.load_workbook(path)
    for (sheet, address), value in cells.items():
        book[sheet][address] = value
    target = out or path
    book.save(target)
    return target


def _run(plan: Plan, session: str, number: int = 1) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    run = next(r for r in plan.runs if r.session == session and r.run == number)
    return run.slots, run.room, run.attendees


def test_plan_file_and_unedited_workbook_give_the_same_plan(tmp_path: Path) -> None:
    write_plan(tmp_path / "plan.json", sample_event(), sample_plan())
    from_file = read_plan_source(tmp_path / "plan.json")
    from_book = read_plan_source(_plan_workbook(tmp_path))
    for source in (from_file, from_book):
        assert source.event == sample_event()
        assert source.plan == source.written == sample_plan()
        assert source.edits.runs == () and source.edits.seats == ()
    assert from_file.cells is None and from_book.cells is not None


def test_hidden_sheets_and_dropdowns(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_plan_workbook(tmp_path))
    assert book[SOURCE_SHEET].sheet_state == "veryHidden"
    assert book[LISTS_SHEET].sheet_state == "veryHidden"
    lists = {str(v.sqref): v.formula1 for v in book["Sessions"].data_validations.dataValidation}
    # one-slot runs may start in T1, T2, T3; S05 (two slots) in T1 or T2; every run's room from the room names
    assert lists == {
        "F2:F5 F7": "'scheduler_lists'!$A$1:$A$3",
        "F6": "'scheduler_lists'!$B$1:$B$2",
        "I2:I7": "'scheduler_lists'!$C$1:$C$3",
    }
    column = [book[LISTS_SHEET].cell(row, 1).value for row in (1, 2, 3)]
    assert column == ["T1", "T2", "T3"]
    assert [book[LISTS_SHEET]["B1"].value, book[LISTS_SHEET]["B2"].value] == ["T1, T2", "T2, T3"]
    assert [book[LISTS_SHEET].cell(row, 3).value for row in (1, 2, 3)] == ["Raum Nord", "Raum Süd", "Raum West"]
    people = {str(v.sqref): v.formula1 for v in book["Teilnehmende"].data_validations.dataValidation}
    assert people == {
        "D2:D9": "'scheduler_lists'!$D$1:$D$3",
        "E2:E9": "'scheduler_lists'!$E$1:$E$2",
        "F2:F9": "'scheduler_lists'!$F$1:$F$2",
    }
    t1 = [book[LISTS_SHEET].cell(row, 4).value for row in (1, 2, 3)]
    assert t1 == ["KI im Unternehmen", "Lotsenberatung", "Digitale Lernangebote"]
    assert book[LISTS_SHEET]["E1"].data_type == "s" and book[LISTS_SHEET]["E1"].value == "@SUM(1)"  # text stays text


def test_moved_run_is_a_run_pin_and_takes_its_attendees(tmp_path: Path) -> None:
    path = _edit(_plan_workbook(tmp_path), {("Sessions", "F4"): "T2", ("Sessions", "I4"): "Raum West"})
    source = read_plan_source(path)
    assert source.edits.runs == (RunPin("S04", 1, "T2", "R3"),)
    assert source.edits.seats == ()
    assert _run(source.plan, "S04") == (("T2",), "R3", (KIM,))
    assert _run(source.written, "S04") == (("T1",), "R3", (KIM,))
    report = validate(source.event, source.plan)
    # Kim now attends S04 and S05 in T2, and nobody in T1; Carla hosts S03 and S04/1, both in T2
    assert sorted(report.rules) == ["agenda_incomplete", "attendee_double_booked", "host_double_booked"]
    located = {v.rule: source.locate(v) for v in report.violations}
    assert located["host_double_booked"].text() == 'Sessions, Zeile 4, Spalte "Zeitfenster"'  # type: ignore[union-attr]
    assert located["attendee_double_booked"].text() == 'Teilnehmende, Zeile 7, Spalte "T2 Session"'  # type: ignore[union-attr]
    assert located["agenda_incomplete"].text() == 'Teilnehmende, Zeile 7, Spalte "T1 Session"'  # type: ignore[union-attr]


def test_changed_session_cell_is_a_seat_pin(tmp_path: Path) -> None:
    # Deniz from S01 to S04 in T1 (by title), Małgorzata from S02 to S04 in T1 (by id)
    path = _edit(
        _plan_workbook(tmp_path), {("Teilnehmende", "D4"): "Digitale Lernangebote", ("Teilnehmende", "D5"): "s04"}
    )
    source = read_plan_source(path)
    assert source.edits.seats == (SeatPin(DENIZ, "T1", "S04"), SeatPin(MALGO, "T1", "S04"))
    assert source.edits.runs == ()
    assert _run(source.plan, "S04")[2] == (KIM, DENIZ, MALGO)
    assert _run(source.plan, "S01")[2] == (ANNA,)
    report = validate(source.event, source.plan)
    assert report.ok  # S04/1 is in the unlimited room; neither of them attends S04/2
    assert source.plan.objective.weighted == report.weighted == 23 - 3 - 2 + 2 + 0  # Deniz loses wish 2, gains none


def test_libreoffice_saved_edits_are_found_exactly(tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None, "LibreOffice is needed for this test"
    edited = _edit(
        _plan_workbook(tmp_path),
        {("Sessions", "F2"): "T3", ("Sessions", "I2"): "R3", ("Teilnehmende", "E6"): ""},
        tmp_path / "edited.xlsx",
    )
    out = tmp_path / "office"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(edited),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    saved = read_plan_source(out / "edited.xlsx")
    direct = read_plan_source(edited)
    assert saved.edits == direct.edits
    assert saved.edits.runs == (RunPin("S01", 1, "T3", "R3"),)
    assert saved.edits.seats == (SeatPin("inj@example.org", "T2", None),)
    assert saved.plan == direct.plan


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_plan_source(path)
    return [p.render("de") for p in caught.value.problems if p.severity == "error"]


def test_bad_edits_are_located_problems(tmp_path: Path) -> None:
    path = _edit(
        _plan_workbook(tmp_path),
        {
            ("Sessions", "F2"): "T9",
            ("Sessions", "F3"): "P1",
            ("Sessions", "I5"): "Raum Ost",
            ("Sessions", "I6"): None,
            ("Teilnehmende", "D2"): "Yoga am Morgen",
            ("Teilnehmende", "E3"): "Lotsenberatung",
        },
    )
    assert _problems(path) == [
        'plan.xlsx, Sessions, Zeile 2, Spalte "Zeitfenster": Das Zeitfenster "T9" gibt es nicht. '
        "Session-Zeitfenster: T1, T2, T3.",
        'plan.xlsx, Sessions, Zeile 3, Spalte "Zeitfenster": Das Zeitfenster P1 ist ein Plenum. '
        "Session-Zeitfenster: T1, T2, T3.",
        'plan.xlsx, Sessions, Zeile 5, Spalte "Raum": Den Raum "Raum Ost" gibt es nicht. '
        "Räume: Raum Nord (R1), Raum Süd (R2), Raum West (R3).",
        'plan.xlsx, Sessions, Zeile 6, Spalte "Raum": Die Zelle ist leer. Wählen Sie einen Wert aus der Liste.',
        'plan.xlsx, Teilnehmende, Zeile 2, Spalte "T1 Session": Session "Yoga am Morgen" gibt es nicht. '
        "In T1 laufen: S01 KI im Unternehmen, S02 Lotsenberatung, S04 Digitale Lernangebote.",
        'plan.xlsx, Teilnehmende, Zeile 3, Spalte "T2 Session": Session "Lotsenberatung" (S02) findet in '
        "Zeitfenster T2 nicht statt. In T2 laufen: S03 @SUM(1), S05 Weiterbildungsverbünde.",
    ]


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_cli_bad_edit_exit_2_nothing_written(tmp_path: Path) -> None:
    path = _edit(_plan_workbook(tmp_path), {("Teilnehmende", "D2"): "Yoga am Morgen"})
    result = _cli("export", str(path), "--json-schedule", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert 'Teilnehmende, Zeile 2, Spalte "T1 Session": Session "Yoga am Morgen" gibt es nicht.' in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "out.json").exists()


def test_workbook_without_the_hidden_plan_exit_2(tmp_path: Path) -> None:
    event = write_event_workbook(tmp_path / "event.xlsx")
    for command in (["agenda", str(event)], ["export", str(event), "--json-schedule", str(tmp_path / "x.json")]):
        result = _cli(*command)
        assert result.exit_code == 2, result.output
        assert (
            "event.xlsx: Diese Arbeitsmappe ist keine Planmappe von scheduler: ihr fehlt der mitgespeicherte Plan."
            in (" ".join(result.output.split()))
        )


def test_verify_names_the_cell_of_each_broken_rule(tmp_path: Path) -> None:
    event_file = write_event_workbook(tmp_path / "event.xlsx")
    event, _ = read_event(event_file)
    plan = true_objective(event, Plan(VALID_RUNS, sample_plan().solver, sample_plan().objective))
    write_plan_workbook(build_view(event, plan), tmp_path / "plan.xlsx", "de")
    # S2 (Dirk's run) into R1 in T1, where S1 is: the room is double-booked
    _edit(tmp_path / "plan.xlsx", {("Sessions", "I3"): "R1"})
    result = _cli("verify", str(event_file), str(tmp_path / "plan.xlsx"))
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert (
        "Ein Raum fasst je Zeitfenster einen Durchlauf (room_double_booked) │ R1, T1, S1, S2 │ Raum R1 ist in "
        "Zeitfenster T1 mehrfach belegt"
    ) in text
    assert 'Sessions, Zeile 3, Spalte "Raum"' in text
    assert "Von Hand geändert: 1 Durchlauf verschoben, 0 Plätze geändert." in text
    unedited = tmp_path / "clean.xlsx"
    write_plan_workbook(build_view(event, plan), unedited, "de")
    assert _cli("verify", str(event_file), str(unedited)).exit_code == 0


def test_agenda_and_export_read_the_edited_plan(tmp_path: Path) -> None:
    path = _edit(_plan_workbook(tmp_path), {("Teilnehmende", "D4"): "Digitale Lernangebote"})
    result = _cli("agenda", str(path), "Deniz")
    assert result.exit_code == 0, result.output
    assert "Digitale Lernangebote" in result.output
    assert "KI im Unternehmen" not in result.output.split("11:15")[0]


def test_a_large_plan_is_stored_in_chunks_below_the_cell_limit(tmp_path: Path) -> None:
    event = generate_event(participants=400, sessions=12, slots=3, rooms=6, seed=3)
    timetable = greedy_timetable(event)
    assert timetable is not None
    placed = assign_seats(event, timetable)
    assert placed is not None
    plan = Plan(tuple(assign_rooms(event, room_classes(event), placed)), SolverInfo("FEASIBLE"), Objective(0, 0, 0))
    write_plan_workbook(build_view(event, plan), tmp_path / "big.xlsx", "en")
    hidden = openpyxl.load_workbook(tmp_path / "big.xlsx")[SOURCE_SHEET]
    chunks = [c.value for (c,) in hidden.iter_rows(min_row=2, max_col=1)]
    assert len(chunks) > 3 and all(len(c) <= 30_000 for c in chunks)
    source = read_plan_source(tmp_path / "big.xlsx")
    assert (source.event, source.plan) == (event, plan)
    assert source.edits.runs == () and source.edits.seats == ()


def test_export_writes_from_an_edited_workbook(tmp_path: Path) -> None:
    path = _edit(_plan_workbook(tmp_path), {("Sessions", "F4"): "T2", ("Sessions", "I4"): "R3"})
    result = _cli("export", str(path), "--xlsx", str(tmp_path / "again.xlsx"))
    assert result.exit_code == 0, result.output
    again = read_plan_source(tmp_path / "again.xlsx")
    assert again.written == read_plan_source(path).plan  # the edited plan is the new workbook's plan
    assert _run(again.plan, "S04") == (("T2",), "R3", (KIM,))


def test_a_damaged_hidden_plan_or_a_renamed_sheet_is_a_located_problem(tmp_path: Path) -> None:
    damaged = _edit(_plan_workbook(tmp_path), {(SOURCE_SHEET, "A2"): '{"format": "scheduler-pl'})
    assert _problems(damaged) == [
        "plan.xlsx, scheduler_plan: Der in der Planmappe mitgespeicherte Plan ist beschädigt. Schreiben Sie die "
        "Planmappe neu: `scheduler export plan.json --xlsx plan.xlsx`."
    ]
    book = openpyxl.load_workbook(_plan_workbook(tmp_path))
    book["Teilnehmende"].title = "Personen"
    book["Sessions"]["I1"] = "Zoom-Raum"
    book.save(tmp_path / "renamed.xlsx")
    assert _problems(tmp_path / "renamed.xlsx") == [
        'renamed.xlsx, Sessions, Zeile 1, Spalte "Raum": Die Spalte "Raum" fehlt. Benennen Sie Spalten nicht um '
        "und löschen Sie keine.",
        'renamed.xlsx, Teilnehmende: Das Blatt "Teilnehmende" fehlt in der Planmappe. Benennen Sie das Blatt nicht um.',
    ]


def test_hand_edits_become_rules_of_the_event_that_the_planner_keeps(tmp_path: Path) -> None:
    # S02 to T2 in Raum West; Kim into S01 in T1; inj in nothing in T2; Deniz into S04 in T3 (kept as: attends S04)
    edits = {
        ("Sessions", "F3"): "T2",
        ("Sessions", "I3"): "Raum West",
        ("Teilnehmende", "D7"): "KI im Unternehmen",
        ("Teilnehmende", "E6"): "",
        ("Teilnehmende", "F4"): "S04",
        ("Sessions", "F4"): "T2",  # S04/1: a session with two runs, so this pin is handed back
    }
    source = read_plan_source(_edit(_plan_workbook(tmp_path), edits))
    event, left = pinned_event(source.event, source.edits)
    assert left == HandEdits((RunPin("S04", 1, "T2", "R3"),), ())
    assert event.person(DENIZ).fixed == {"S04"}
    assert (event.session("S02").fixed_slot, event.session("S02").fixed_room) == ("T2", "R3")
    assert event.person(KIM).fixed == {"S01"}
    assert event.person("inj@example.org").unavailable == {"T2"}
    plan = solve(event, SolveOptions(time_limit=5.0, seed=0, workers=1))
    report = validate(event, plan)
    assert report.ok and (report.max_shortfall, report.weighted) == (
        plan.objective.max_shortfall,
        plan.objective.weighted,
    )
    assert _run(plan, "S02")[:2] == (("T2",), "R3")
    assert KIM in _run(plan, "S01")[2]
    assert DENIZ in _run(plan, "S04", 1)[2] + _run(plan, "S04", 2)[2]
    assert all("inj@example.org" not in r.attendees for r in plan.runs if "T2" in r.slots)


def test_a_seat_edit_is_not_an_agenda_mismatch(tmp_path: Path) -> None:
    """The hidden plan's agendas are those as written; after a hand edit the agendas follow the edited runs."""
    path = _edit(_plan_workbook(tmp_path), {("Teilnehmende", "D4"): "Digitale Lernangebote"})
    source = read_plan_source(path)
    assert source.written.stated_agendas is not None and source.plan.stated_agendas is None
    assert validate(source.event, source.plan).violations == []
