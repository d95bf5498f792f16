"""`scheduler check` on valid workbooks: the summary, the demand table, warnings, both languages."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.example import generate_event
from scheduler.io.workbook import read_event
from scheduler.io.write_workbook import write_event_workbook
from tests.workbooks import write_workbook

EXAMPLE = Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["check", *args])


def table_rows(output: str) -> list[list[str]]:
    """The header and body rows of every rich table in the output, as lists of cell texts."""
    lines = [line.replace("┃", "│").strip() for line in output.splitlines()]
    return [[c.strip() for c in line.strip("│").split("│")] for line in lines if line.startswith("│")]


def test_summary_and_demand_in_german(tmp_path: Path) -> None:
    result = run(str(write_workbook(tmp_path / "event.xlsx")))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Testtreffen  06.10.2021  (Europe/Berlin)" in out
    for title in ("Zeitfenster", "Räume", "Sessions", "Personen nach Organisation", "Nachfrage nach Sessions"):
        assert f"\n{title}" in out
    rows = table_rows(out)
    assert ["P1", "09:00–09:30", "Plenum", "Eröffnung"] in rows
    assert ["R1", "Raum 1", "10", "https://zoom.example/r1", "Whiteboard"] in rows
    assert ["S1", "KI im Unternehmen", "ZZ Nord", "Hanna Host", "max. 8"] in rows
    assert ["ZZ Nord", "1", "0", "1"] in rows  # Anna participates, Hanna only hosts
    assert ["KWW", "1", "1", "0"] in rows  # Carla participates and hosts
    assert ["Summe", "4", "2", "1"] in rows
    # demand: wishes at rank 1, rank 2, total, places
    assert ["S1", "KI im Unternehmen", "2", "1", "3", "8"] in rows
    assert ["S2", "KMU-Ansprache und -Beratung", "1", "2", "3", "10"] in rows
    assert ["S3", "Digitale Lernangebote", "1", "1", "2", "6"] in rows
    assert "Die Arbeitsmappe ist gültig: 4 Teilnehmende, 3 Sessions, 2 Session-Zeitfenster, 2 Räume." in " ".join(
        out.split()
    )


def test_summary_in_english(tmp_path: Path) -> None:
    result = run(str(write_workbook(tmp_path / "event.xlsx")), "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = table_rows(result.output)
    assert ["ID", "Title", "1.", "2.", "Total", "Places"] in rows
    assert "1.–2.: how often wished as 1st, 2nd, … choice" in result.output
    assert ["P2", "12:00–12:30", "Plenary", "Resümee"] in rows
    assert ["Total", "4", "2", "1"] in rows
    assert "Demand per session" in result.output
    assert "The workbook is valid: 4 participants, 3 sessions, 2 session slots, 2 rooms." in " ".join(
        result.output.split()
    )


def test_places_follow_runs_and_the_largest_room(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "event.xlsx", cells={("Sessions", 3, "Durchläufe"): 2, ("Räume", 3, "Kapazität"): 7}
    )
    rows = table_rows(run(str(path)).output)
    assert ["S2", "KMU-Ansprache und -Beratung", "1", "2", "3", "20"] in rows  # 2 runs × room R1 (10)
    assert ["S2", "KMU-Ansprache und", "ZZ Süd", "Ben Berger", "2 Durchläufe"] in rows  # the title wraps


def test_warnings_are_shown_and_still_valid(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 2, "Wunsch 1"): "ki im unternehmen"})
    result = run(str(path), "--lang", "en")
    assert result.exit_code == 0
    out = " ".join(result.output.split())
    assert (
        'Warning: event.xlsx, Anmeldungen, row 2, column "Wunsch 1": "ki im unternehmen" read as session '
        '"KI im Unternehmen" (S1).'
    ) in out
    assert "1 warning(s), see above." in out


def test_help_has_an_example() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "scheduler check examples/vernetzungstreffen.xlsx" in " ".join(result.output.split())


def test_generated_example_workbook_reads_back_the_same_event(tmp_path: Path) -> None:
    event = generate_event(participants=40, sessions=8, slots=3, rooms=3, seed=1)
    path = tmp_path / "generated.xlsx"
    write_event_workbook(event, path)
    back, _ = read_event(path)
    assert (back.slots, back.rooms, back.sessions, back.wish_count) == (
        event.slots, event.rooms, event.sessions, event.wish_count,
    )  # fmt: skip
    assert set(back.people) == set(event.people)
    assert run(str(path)).exit_code == 0


def test_bundled_example_is_valid() -> None:
    result = run(str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Fehler" not in result.output
