"""Outputs are written whole or not at all, and never over the input (plan) file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.export import ics
from scheduler.export.excel import write_plan_workbook
from scheduler.io.clash import OutputError
from scheduler.io.planfile import write_plan
from scheduler.views import build_view
from tests.plan_fixtures import sample_event, sample_plan

runner = CliRunner()


def _broken_save(self: Workbook, filename: str) -> None:
    """Write half a file, then fail, like a full disk."""
    Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
    raise OSError(28, "No space left on device", filename)


def test_failing_workbook_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.xlsx"
    monkeypatch.setattr(Workbook, "save", _broken_save)
    with pytest.raises(OSError):
        write_plan_workbook(build_view(sample_event(), sample_plan()), target, "de")
    assert list(tmp_path.iterdir()) == []


def test_failing_workbook_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the previous workbook")
    monkeypatch.setattr(Workbook, "save", _broken_save)
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, sample_event(), sample_plan())
    result = runner.invoke(app, ["export", str(plan_file), "--xlsx", str(target)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert f"Nicht geschrieben: {target}: Der Datenträger ist voll" in result.output
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "plan.xlsx"]


def test_failing_calendar_leaves_no_partial_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = 0
    real = Path.write_bytes

    def broken(self: Path, data: bytes) -> int:
        nonlocal written
        written += 1
        if written == 3:  # the third calendar fails, like a full disk
            raise OSError(5, "I/O error")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", broken)
    with pytest.raises(OutputError) as caught:
        ics.write_ics(build_view(sample_event(), sample_plan()), tmp_path / "ics", "de")
    assert str(tmp_path / "ics") in caught.value.message.de
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one beside it


def test_export_never_writes_over_the_plan_file(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, sample_event(), sample_plan())
    before = plan_file.read_bytes()
    html = tmp_path / "agendas.html"
    args = ["export", str(plan_file), "--html", str(html), "--json-schedule", str(plan_file)]
    result = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert (
        f"Fehler: --json-schedule {plan_file} ist die Eingabe PLAN.json {plan_file}; Eingaben werden nie"
        in result.output
    )
    assert plan_file.read_bytes() == before
    assert not html.exists()  # checked before anything is written


def test_missing_date_writes_nothing(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, dataclasses.replace(sample_event(), date=None), sample_plan())
    xlsx = tmp_path / "plan.xlsx"
    args = ["export", str(plan_file), "--xlsx", str(xlsx), "--ics", str(tmp_path / "ics")]
    result = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Die Veranstaltung hat kein Datum" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_export_writes_every_output_and_says_where(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, sample_event(), sample_plan())
    args = ["export", str(plan_file), "--xlsx", str(tmp_path / "p.xlsx"), "--html", str(tmp_path / "a.html")]
    args += ["--ics", str(tmp_path / "ics"), "--zoom", str(tmp_path / "zoom")]
    args += ["--json-schedule", str(tmp_path / "s.json"), "--lang", "en"]
    result = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Warning: vernetzungstreffen.xlsx, Anmeldungen, row 7")  # the plan's, again
    lines = [line for line in result.output.splitlines() if line.startswith("✓")]
    assert f"✓ Plan workbook: {tmp_path / 'p.xlsx'} (" in lines[0]
    assert f"✓ Calendar files: {tmp_path / 'ics'}/ (8 files, who has which: index.csv, " in lines[2]
    assert f"✓ Zoom pre-assignments: {tmp_path / 'zoom'}/ (3 files, " in lines[3]
    assert "Warning: no usable e-mail address, so not in the Zoom lists: Kim Ohne Mail" in result.output
    assert len(list((tmp_path / "ics").glob("*.ics"))) == 8 and (tmp_path / "ics" / "index.csv").is_file()


def test_export_without_outputs_is_an_error(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, sample_event(), sample_plan())
    result = runner.invoke(app, ["export", str(plan_file)])
    assert result.exit_code == 2
    assert "Nichts zu tun" in result.output
