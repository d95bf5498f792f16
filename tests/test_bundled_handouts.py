"""The bundled example's handouts end to end: printed with LibreOffice and Chromium as an organiser would.

Needs `libreoffice` (libreoffice-calc), `chromium` and poppler (`pdfinfo`, `pdftotext`); `.ci/run` installs them.
The plan comes from a short solve: the page counts depend on the event's size, not on the plan's quality.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from scheduler.domain import Event
from scheduler.export.agenda_html import write_agendas_html
from scheduler.export.excel import write_plan_workbook
from scheduler.export.frab import frab_document
from scheduler.io.workbook import read_event
from scheduler.model.runner import SolveOptions
from scheduler.networking.day import solve_day
from scheduler.plan import Plan
from scheduler.validate import validate
from scheduler.views import PlanView, build_view
from tests.test_handouts import schema_errors
from tests.tools import require_tools

EXAMPLE = Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx"
MAX_PAGES = 20  # issue 9: the plan workbook of the bundled example printed 57 pages before


def _tool(name: str) -> str:
    return require_tools(name)[name]


def _pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def example() -> tuple[Event, Plan, PlanView]:
    event, _ = read_event(EXAMPLE)
    plan = solve_day(event, SolveOptions(time_limit=4, seed=0, workers=1))  # sessions and networking groups
    assert validate(event, plan).violations == []
    return event, plan, build_view(event, plan)


def test_plan_workbook_prints_one_page_wide_on_at_most_20_pages(
    example: tuple[Event, Plan, PlanView], tmp_path: Path
) -> None:
    xlsx = tmp_path / "plan.xlsx"
    write_plan_workbook(example[2], xlsx, "de")
    book = openpyxl.load_workbook(xlsx)
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.fitToWidth, setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 9, True)  # 9: A4
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_margins.left == 0.5 and "&P" in ws.oddFooter.center.text
    orientations = {ws.title: ws.page_setup.orientation for ws in book.worksheets}
    assert orientations["Statistik"] == "portrait" and orientations["Teilnehmende"] == "landscape"
    profile = tmp_path / "lo-profile"  # a profile of its own: a LibreOffice already running elsewhere is no matter
    command = [_tool("libreoffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    pages = _pages(tmp_path / "plan.pdf")
    assert 6 <= pages <= MAX_PAGES
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(tmp_path / "plan.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert f"Seite 1 von {pages}" in text and "Vernetzungstreffen Zukunftszentren 2021 06.10.2021" in text
    participants = [p for p in text.split("\f") if "Fehlende Wünsche" in p and "T1 Session" in p]
    assert participants and all("T1 Link" not in page for page in participants)  # links left out of the print


def test_html_agendas_print_one_page_each_with_head_and_contact(
    example: tuple[Event, Plan, PlanView], tmp_path: Path
) -> None:
    event, _, view = example
    html, pdf = tmp_path / "agendas.html", tmp_path / "agendas.pdf"
    write_agendas_html(view, html, "de")
    command = [_tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += [f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]
    subprocess.run([*command, html.resolve().as_uri()], check=True, capture_output=True, timeout=180)
    pages = subprocess.run([_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    starts = [p for p in pages.split("\f") if p.startswith(f"{event.name}\nMittwoch, 6. Oktober 2021\n")]
    assert len(starts) == len(event.people)  # every agenda starts a page with the event's title and date
    hosts = {p.id for p in event.people if p.id in event.hosted_sessions}
    assert len(event.people) <= _pages(pdf) <= len(event.people) + len(hosts)  # only hosts' lists may run over
    assert pages.count(f"Kontakt bei Fragen: {event.contact}") == len(event.people)
    assert "Einsatz künstlicher Intelligenz im Mittelstand: Beispiele." in " ".join(pages.split())  # description
    assert "Wer kommt: KI in Unternehmen" in pages and event.main_link in pages


def test_schedule_json_of_the_bundled_example_validates(example: tuple[Event, Plan, PlanView]) -> None:
    event, _, view = example
    doc = frab_document(view, "en")
    assert schema_errors(doc) == []
    conference = doc["schedule"]["conference"]
    assert conference["acronym"] == "vernetzungstreffen_zukunftszentren_2021"
    events = [e for room in conference["days"][0]["rooms"].values() for e in room]
    assert {e["language"] for e in events} == {"de"}
    assert all(e["url"].startswith("https://zoom.example.org/j/") for e in events)
    assert [e["url"] for e in conference["days"][0]["rooms"]["Plenary"]] == [event.main_link] * 2
