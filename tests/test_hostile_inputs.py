"""Hostile inputs found beyond issue 8's kinds: each one gave a traceback, a hang or a lost file before."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.export.zoom import write_zoom
from scheduler.io.forms import load_event
from scheduler.io.planfile import write_plan
from scheduler.io.sheets import open_book
from scheduler.io.workbook import read_event
from scheduler.problems import InputError, Problems
from scheduler.views import build_view
from tests.plan_fixtures import sample_event, sample_plan
from tests.workbooks import write_workbook


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_huge_capacity_is_a_located_problem(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Räume", 2, "Kapazität"): 10**30})
    with pytest.raises(InputError) as caught:
        read_event(path)
    assert [p.render("de") for p in caught.value.problems] == [
        'event.xlsx, Räume, Zeile 2, Spalte "Kapazität": 1000000000000000019884624838656 ist zu groß '
        "(höchstens 1000000). Tragen Sie eine kleinere Zahl ein."
    ]


def test_one_far_away_cell_does_not_pad_every_row(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx")
    book = openpyxl.load_workbook(path)
    book["Räume"]["XFD1048576"] = "x"  # the file now claims a sheet of A1:XFD1048576
    book.save(path)
    read = open_book(path, Problems())
    assert read is not None
    rows = read.sheets["Räume"]
    assert len(rows) == 1_048_576
    assert [len(r) for r in rows[:3]] == [5, 5, 4] and len(rows[-1]) == 16_384 and rows[5] == ()


def test_a_plan_file_nested_too_deeply_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("export", str(path), "--xlsx", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 2
    assert "plan.json: Die Datei ist keine Plan-Datei: zu tief verschachtelt oder mit einer riesigen Zahl." in (
        flat(result.output)
    )


def test_a_huge_number_in_a_plan_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan(path, sample_event(), sample_plan())
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["sessions"][0]["run"] = 10**400
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("export", str(path), "--xlsx", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 2
    assert 'plan.json, Spalte "sessions[0].run": Erwartet eine ganze Zahl bis 1000000000' in flat(result.output)


def test_a_plan_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan(path, sample_event(), sample_plan())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Windows Notepad saves it
    result = run("export", str(path), "--xlsx", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0, result.output


def test_slot_ids_that_read_alike_as_file_names_keep_one_zoom_list_each(tmp_path: Path) -> None:
    names = {"T1": "T 1", "T2": "T-1"}
    event, plan = sample_event(), sample_plan()
    event = dataclasses.replace(
        event, slots=tuple(dataclasses.replace(s, id=names.get(s.id, s.id)) for s in event.slots)
    )
    runs = tuple(dataclasses.replace(r, slots=tuple(names.get(t, t) for t in r.slots)) for r in plan.runs)
    result = write_zoom(build_view(event, dataclasses.replace(plan, runs=runs)), tmp_path / "zoom")
    assert [f.name for f in result.files] == ["zoom-t-1.csv", "zoom-t-1-2.csv", "zoom-t3.csv"]


def test_a_csv_with_a_utf8_mark_and_a_windows_byte_is_read(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    export = tmp_path / "export.csv"
    export.write_bytes(b"\xef\xbb\xbfName;E-Mail;Wunsch 1\r\nBen Berger;ben@b.example;S1\r\nJ\xf6rg;j@x.de;S2\r\n")
    event, _, _ = load_event(workbook, export, None)
    assert [p.name for p in event.participants] == ["Ben Berger", "J\ufffdrg"]
