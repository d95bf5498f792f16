"""Reading warnings are kept: in the plan file (`warnings`), the plan workbook's Hinweise sheet, and `export`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.io.planfile import read_plan
from tests.workbooks import minimal_sheets, write_workbook

ROOT = Path(__file__).resolve().parent.parent
CODES = ["unused_column", "near_title", "duplicate_registration", "invalid_email"]


def workbook_with_warnings(path: Path) -> Path:
    sheets = minimal_sheets()
    sheets["Anmeldungen"][0].append("Notizen")
    sheets["Anmeldungen"][1][3] = "ki im unternehmen"
    sheets["Anmeldungen"] += [
        ["Anna Müller", "anna@a.example", "ZZ Nord", "S1", "S3", None, "zweite Anmeldung"],
        ["Eva Ernst", "eva-at-e.example", "ZZ Ost", "S2", "S1", None, None],
    ]
    return write_workbook(path, sheets)


def test_warnings_reach_the_plan_file_the_workbook_and_export(tmp_path: Path) -> None:
    book = workbook_with_warnings(tmp_path / "event.xlsx")
    plan_file, plan_book = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    runner = CliRunner()
    planned = runner.invoke(
        app, ["plan", str(book), "--json", str(plan_file), "-o", str(plan_book), "--time-limit", "5"]
    )
    assert planned.exit_code == 0, planned.output

    warnings = json.loads(plan_file.read_text(encoding="utf-8"))["warnings"]
    assert [w["code"] for w in warnings] == CODES
    near = warnings[1]
    assert near == {
        "severity": "warning",
        "code": "near_title",
        "text": {
            "de": '"ki im unternehmen" als Session "KI im Unternehmen" (S1) erkannt.',
            "en": '"ki im unternehmen" read as session "KI im Unternehmen" (S1).',
        },
        "hint": None,
        "file": "event.xlsx",
        "sheet": "Anmeldungen",
        "row": 2,
        "column": "Wunsch 1",
    }
    assert warnings[2]["row"] == 6 and warnings[3]["column"] == "E-Mail"
    _, plan = read_plan(plan_file)
    assert [w.code for w in plan.warnings] == CODES

    sheet = openpyxl.load_workbook(plan_book)["Hinweise"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert ["Warnung", "event.xlsx", "Anmeldungen", 2, "Wunsch 1", near["text"]["de"], None] in rows
    messages = " ".join(str(r[5]) for r in rows)
    assert "Keine Hinweise." not in messages
    assert "doppelt angemeldet" in messages and "eva-at-e.example" in messages and "Notizen" in messages

    exported = runner.invoke(app, ["export", str(plan_file), "--xlsx", str(tmp_path / "again.xlsx")])
    assert exported.exit_code == 0, exported.output
    said = " ".join(exported.output.split())
    assert said.count("Warnung:") == len(CODES)
    assert f'Warnung: event.xlsx, Anmeldungen, Zeile 2, Spalte "Wunsch 1": {near["text"]["de"]}' in said


def test_every_reading_warning_has_a_code() -> None:
    for path in (ROOT / "scheduler" / "io").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\.warn\(", source):
            if source[: call.start()].endswith("def"):
                continue
            depth, end = 1, call.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(source[end], 0)
                end += 1
            assert "code=" in source[call.start() : end], f"{path.name}: {source[call.start() : end][:80]}"


def test_unused_export_columns_are_kept_with_the_plan(tmp_path: Path) -> None:
    forms = ROOT / "tests" / "fixtures" / "forms"
    plan_file = tmp_path / "plan.json"
    args = ["plan", str(forms / "event.xlsx"), "--anmeldungen", str(forms / "msforms_de.xlsx")]
    planned = CliRunner().invoke(app, [*args, "--json", str(plan_file), "--time-limit", "5"])
    assert planned.exit_code == 0, planned.output
    unused = [
        w for w in json.loads(plan_file.read_text(encoding="utf-8"))["warnings"] if w["code"] == "unused_export_column"
    ]
    assert [w["column"] for w in unused][:2] == ["ID", "Startzeit"]
    assert unused[0]["file"] == "msforms_de.xlsx" and unused[0]["row"] == 1
    assert unused[0]["text"]["de"] == (
        'Die Spalte "ID" des Exports wird nicht verwendet (Verwaltungsspalte von Microsoft Forms (deutscher Export)).'
    )
