"""`scheduler check` says whether a plan can exist: the counting checks of `plan`, each with its fix, exit 3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.io.workbook import read_event
from tests.workbooks import minimal_sheets, write_workbook

MORE_PEOPLE = [
    ["Eva Ernst", "eva@e.example", "ZZ Ost", "S1", "S2", None],
    ["Fritz Fink", "f@f.example", "", "S2", "S1", None],
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def said(result: Result) -> str:
    return " ".join(result.output.split())


def test_too_few_rooms_exits_3_with_the_fix(tmp_path: Path) -> None:
    book = write_workbook(
        tmp_path / "event.xlsx",
        rows={"Sessions": [["S4", "Vierte", None, None, None, None, None, 2] + [None] * 5]},
    )
    result = run("check", str(book))
    assert result.exit_code == 3, result.output
    out = said(result)
    assert "Kein Plan möglich, das zeigt schon das Zählen:" in out
    assert (
        "• Die Sessions brauchen 5 Raum-Zeitfenster (Durchläufe × Dauer), es gibt aber nur 4 (2 Räume × 2 "
        "Zeitfenster). Abhilfe: 1 Raum mehr, oder 1 Durchlauf weniger (z. B. 1 Session weniger), oder ein "
        "Session-Zeitfenster mehr."
    ) in out
    assert "ist gültig" not in out
    english = said(run("check", str(book), "--lang", "en"))
    assert "Fix: 1 room more, or 1 run fewer (e.g. 1 session fewer), or one more session slot." in english


def test_too_few_seats_names_the_capacity_that_cures_it(tmp_path: Path) -> None:
    book = write_workbook(
        tmp_path / "event.xlsx",
        cells={("Räume", 2, "Kapazität"): 2, ("Räume", 3, "Kapazität"): 1},
        rows={"Anmeldungen": MORE_PEOPLE},
    )
    result = run("check", str(book))
    assert result.exit_code == 3, result.output
    assert (
        "• Zeitfenster T1: 4 Personen, aber nur 3 Plätze. Abhilfe: Kapazität von Raum R1 auf mindestens 3 oder "
        "Kapazität von Raum R2 auf mindestens 2; oder allgemein 1 Platz mehr in T1 (ein Raum oder eine Session "
        "mehr, oder höhere Kapazitäten)."
    ) in said(result)
    planned = run("plan", str(book), "--time-limit", "5")
    assert planned.exit_code == 3
    assert "Kapazität von Raum R1 auf mindestens 3" in said(planned)


def test_the_fix_is_true(tmp_path: Path) -> None:
    """The capacity that check names is enough: with it, check passes."""
    cured = write_workbook(
        tmp_path / "event.xlsx",
        cells={("Räume", 2, "Kapazität"): 2, ("Räume", 3, "Kapazität"): 2},
        rows={"Anmeldungen": MORE_PEOPLE},
    )
    result = run("check", str(cured))
    assert result.exit_code == 0, result.output
    assert "Das Zählen findet keinen Widerspruch" in said(result)


def test_empty_wish_columns_beyond_the_sessions_are_a_warning(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Anmeldungen"][0] += ["Wunsch 3", "Wunsch 4", "Wunsch 5"]
    book = write_workbook(tmp_path / "event.xlsx", sheets)
    result = run("check", str(book))
    assert result.exit_code == 0, result.output
    assert (
        'Warnung: event.xlsx, Anmeldungen, Zeile 1, Spalte "Wunsch 4": Es gibt 5 Wunschspalten, aber nur 3 '
        'Sessions; die Spalten "Wunsch 4" bis "Wunsch 5" sind leer und werden nicht verwendet.'
    ) in said(result)
    event, warnings = read_event(book)
    assert event.rank_count == 3 and len(warnings) == 1


def test_check_does_not_load_the_solver(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "event.xlsx", cells={("Räume", 2, "Kapazität"): 2, ("Räume", 3, "Kapazität"): 1},
                          rows={"Anmeldungen": MORE_PEOPLE})  # fmt: skip
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from scheduler.cli import app\n"
        f"result = CliRunner().invoke(app, ['check', {str(book)!r}])\n"
        "print(result.exit_code, sorted({m for m in sys.modules if m.startswith('ortools.sat')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "[]"]


def test_the_bundled_example_can_be_planned() -> None:
    result = run("check", str(Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx"))
    assert result.exit_code == 0, result.output
    assert "Das Zählen findet keinen Widerspruch" in said(result)
