"""Personal agendas in the terminal: `scheduler agenda`, choosing a person, and the panel's content."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.export.terminal import print_agenda, print_plan_tables
from scheduler.io.planfile import write_plan
from scheduler.views import build_view
from tests.plan_fixtures import BERND, HANNA, sample_event, sample_plan

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    write_plan(path, sample_event(), sample_plan())
    return path


def _agenda_text(person_id: str, lang: str = "de") -> str:
    console = Console(record=True, width=160)
    print_agenda(console, build_view(sample_event(), sample_plan()).agenda(person_id), lang)  # type: ignore[arg-type]
    return console.export_text()


def test_participant_agenda_by_email(plan_file: Path) -> None:
    result = runner.invoke(app, ["agenda", str(plan_file), "ANNA.MUELLER@example.org"], env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Vernetzungstreffen 06.10.2021" in out
    assert "Anna Müller · ZAQS Sachsen" in out
    for text in ("09:30–10:00", "Eröffnung", "KI im Unternehmen", "Hanna Berg", "Raum Nord", "Resümee"):
        assert text in out
    assert "https://zoom.example/j/111" in out
    assert "Ihr 1. Wunsch" in out and "Ihr 2. Wunsch" in out and "kein Wunsch" in out
    assert "Erfüllte Wünsche: 1, 2 (2 von 3 möglichen)" in out
    assert "Bernd Schulz" not in out  # only Anna's agenda


def test_host_agenda_shows_the_hosting_block() -> None:
    bernd = _agenda_text(BERND)
    assert "10:00–11:00   Sie leiten: Lotsenberatung" in bernd
    assert "2/3 Teilnehmende" in bernd
    assert "Erfüllte Wünsche: 2, 3 (2 von 2 möglichen)" in bernd
    hanna = _agenda_text(HANNA, "en")
    assert "11:15–13:15   You host: Weiterbildungsverbünde" in hanna  # one block over T2 and T3
    assert "3/3 Attendees" in hanna
    assert "Wishes granted" not in hanna  # a host who did not register has no wishes


def test_agenda_by_name_is_case_and_space_insensitive(plan_file: Path) -> None:
    result = runner.invoke(app, ["agenda", str(plan_file), "  bernd   SCHULZ "], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Sie leiten: Lotsenberatung" in result.output


def test_without_a_name_every_agenda(plan_file: Path) -> None:
    result = runner.invoke(app, ["agenda", str(plan_file), "--lang", "en"], env=WIDE)
    assert result.exit_code == 0, result.output
    names = ["Anna Müller", "Bernd Schulz", "Deniz Yılmaz", "Małgorzata Nowak", "Kim Ohne Mail", "Hanna Berg"]
    for name in [*names, "Carla Weiß", '=HYPERLINK("http://x","y")']:
        assert name in result.output
    assert "your wish 1" in result.output and "not available" in result.output


def test_several_matches_are_listed(plan_file: Path) -> None:
    result = runner.invoke(app, ["agenda", str(plan_file), "@example.org"], env=WIDE)
    assert result.exit_code == 2
    assert '"@example.org" passt auf 6 Personen' in result.output
    assert "Anna Müller <anna.mueller@example.org>" in result.output
    assert "Hanna Berg <hanna.kww@example.org>" in result.output


def test_no_match_names_the_closest(plan_file: Path) -> None:
    result = runner.invoke(app, ["agenda", str(plan_file), "Ana Müler"], env=WIDE)
    assert result.exit_code == 2
    assert 'Niemand im Plan heißt "Ana Müler". Meinten Sie: Anna Müller' in result.output  # closest first
    result = runner.invoke(app, ["agenda", str(plan_file), "zzzz", "--lang", "en"], env=WIDE)
    assert result.exit_code == 2
    assert 'Nobody in the plan is called "zzzz". Without a name' in result.output


def test_unreadable_plan_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["agenda", str(bad)], env=WIDE)
    assert result.exit_code == 2
    assert "plan.json" in result.output and "Traceback" not in result.output


def test_plan_tables_grid_and_statistics() -> None:
    console = Console(record=True, width=160)
    print_plan_tables(console, sample_event(), sample_plan(), "en")
    out = console.export_text()
    assert "The day at a glance" in out
    assert "S05 Weiterbildungsverbünde" in out and "3/3" in out and "S04-1 Digitale Lernangebote" in out
    grid_rows = [line for line in out.splitlines() if line.strip().startswith("10:00–11:00")]
    assert grid_rows and grid_rows[0].split() == [
        "10:00–11:00", "S01", "KI", "im", "Unternehmen", "S02", "Lotsenberatung", "S04-1", "Digitale", "Lernangebote",
    ]  # fmt: skip
    rank_rows = [line.split() for line in out.split("Wishes granted by rank")[1].splitlines()[4:7]]
    assert rank_rows == [["1", "6", "4", "67%"], ["2", "6", "4", "67%"], ["3", "4", "3", "75%"]]
    shortfall = out.split("Shortfall per person")[1].splitlines()
    assert [line.split() for line in shortfall[4:6]] == [["0", "3"], ["1", "3"]]
    assert "ZAQS Sachsen 2, gsub 1" in out  # organisations of S03


def test_plan_tables_in_german_use_german_numbers_and_fit_a_narrow_terminal() -> None:
    wide, narrow = Console(record=True, width=160), Console(record=True, width=80)
    for console in (wide, narrow):
        print_plan_tables(console, sample_event(), sample_plan(), "de")
    out = narrow.export_text()
    rank_rows = [line.split() for line in out.split("Erfüllte Wünsche nach Rang")[1].splitlines()[4:7]]
    assert rank_rows == [["1", "6", "4", "67", "%"], ["2", "6", "4", "67", "%"], ["3", "4", "3", "75", "%"]]
    organisations = out.split("Organisationen je Durchlauf")[1]
    assert max(len(line) for line in organisations.splitlines()) <= 80
    assert "ZAQS Sachsen 2, gsub 1" in organisations  # the names keep their room; the titles make way
    assert "Titel" not in organisations and "Titel" in wide.export_text().split("Organisationen je Durchlauf")[1]
