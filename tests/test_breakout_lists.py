"""Breakout lists for the platforms: Zoom's limits and quoting, BigBlueButton's `groups`, Teams room lists."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
from datetime import date, time
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Event, Person, Room, Session, Slot
from scheduler.export.addresses import usable_email
from scheduler.export.bbb import ROOM_LIMIT, bbb_warnings, groups, write_bbb
from scheduler.export.teams import teams_html
from scheduler.export.zoom import MAX_PREASSIGNED, MAX_ROOMS, write_zoom, zoom_limit_warnings
from scheduler.io.planfile import read_plan, write_plan
from scheduler.mail.letter import address_of
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.views import build_view
from tests.plan_fixtures import ANNA, BERND, CARLA, DENIZ, HANNA, INJ, KIM, MALGO, sample_event, sample_plan
from tests.send_plans import write_example_plan
from tests.test_html_pdf import _print_to_pdf, _tool


def one_slot_event(rooms: int, people: int) -> tuple[Event, Plan]:
    """One session slot with `rooms` runs, `people` attendees spread over them (all with e-mail)."""
    slot = Slot("T1", time(10), time(11))
    room_list = tuple(Room(f"R{i}", f"Raum {i}") for i in range(rooms))
    sessions = tuple(Session(f"S{i}", f"Session {i}") for i in range(rooms))
    persons = tuple(Person(f"p{i}@example.org", f"Person {i}", f"p{i}@example.org") for i in range(people))
    runs = tuple(Run(f"S{r}", 1, ("T1",), f"R{r}", tuple(p.id for p in persons[r::rooms])) for r in range(rooms))
    event = Event("Test", (slot,), room_list, sessions, persons, date(2021, 10, 6))
    return event, Plan(runs, SolverInfo("FEASIBLE", 0.0, 0, 1.0), Objective(0, 0, 0))


# -- Zoom ----------------------------------------------------------------------------------------------------


def test_zoom_limits_are_checked_at_the_documented_numbers() -> None:
    assert (MAX_ROOMS, MAX_PREASSIGNED) == (100, 1000)
    assert zoom_limit_warnings(build_view(*one_slot_event(100, 1000))) == []
    [rooms] = zoom_limit_warnings(build_view(*one_slot_event(101, 101)))
    assert rooms.severity == "warning"
    assert rooms.render("de").startswith(
        "Zeitfenster T1: 101 Räume und 101 Personen; Zoom teilt je Meeting höchstens 100 Räume und 1000 Personen"
    )
    [people] = zoom_limit_warnings(build_view(*one_slot_event(3, 1001)))
    assert "3 rooms and 1001 people; Zoom pre-assigns at most 100 rooms and 1000 people" in people.render("en")


def test_room_names_with_commas_and_quotes_stay_one_cell(tmp_path: Path) -> None:
    event = sample_event()
    north = dataclasses.replace(event.rooms[0], name='Raum Nord, Etage 2 "Elbe"')
    event = dataclasses.replace(event, rooms=(north, *event.rooms[1:]))
    path = write_zoom(build_view(event, sample_plan()), tmp_path).files[0]
    raw = path.read_bytes().decode("utf-8")
    assert '"Raum Nord, Etage 2 ""Elbe"": KI im Unternehmen",hanna.kww@example.org\r\n' in raw
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[1] == ['Raum Nord, Etage 2 "Elbe": KI im Unternehmen', HANNA]
    assert all(len(row) == 2 for row in rows)


def test_unusable_addresses_are_left_out_and_named(tmp_path: Path) -> None:
    event = sample_event()
    people = tuple(dataclasses.replace(p, email="deniz at example") if p.id == DENIZ else p for p in event.people)
    event = dataclasses.replace(event, people=people)
    result = write_zoom(build_view(event, sample_plan()), tmp_path)
    assert [p.name for p in result.without_email] == ["Kim Ohne Mail"]
    assert [p.name for p in result.invalid_email] == ["Deniz Yılmaz"]  # named apart: an address that fails the check
    assert "deniz at example" not in "".join(f.read_text(encoding="utf-8") for f in result.files)


def test_export_prints_the_zoom_warnings(tmp_path: Path) -> None:
    event, plan = one_slot_event(101, 101)
    write_plan(tmp_path / "plan.json", event, plan)
    result = CliRunner().invoke(app, ["export", str(tmp_path / "plan.json"), "--zoom", str(tmp_path / "zoom")])
    output = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "Warnung: Zeitfenster T1: 101 Räume und 101 Personen" in output
    assert (tmp_path / "zoom" / "zoom-t1.csv").exists()


# -- BigBlueButton -------------------------------------------------------------------------------------------


def test_bbb_groups_per_slot(tmp_path: Path) -> None:
    view = build_view(sample_event(), sample_plan())
    result = write_bbb(view, tmp_path)
    assert [f.name for f in result.files] == ["bbb-t1.json", "bbb-t2.json", "bbb-t3.json"]
    t1 = json.loads(result.files[0].read_text(encoding="utf-8"))
    assert t1 == [
        {"id": "1", "name": "Raum Nord: KI im Unternehmen", "roster": [HANNA, ANNA, DENIZ]},
        {"id": "2", "name": "Raum Süd: Lotsenberatung", "roster": [BERND, MALGO, INJ]},
        {"id": "3", "name": "Raum West: Digitale Lernangebote", "roster": [CARLA, KIM]},
    ]
    t3 = groups(view, "T3")
    assert [g["name"] for g in t3] == ["Raum Süd: Weiterbildungsverbünde", "Raum Nord: Digitale Lernangebote"]
    assert t3[0]["roster"] == [HANNA, KIM, DENIZ, INJ]  # the two-slot run is in both of its slots
    assert result.warnings == []


def test_bbb_everyone_in_the_slot_is_in_exactly_one_group(tmp_path: Path) -> None:
    event, plan = read_plan(write_example_plan(tmp_path))
    view = build_view(event, plan)
    for slot in event.session_slots:
        roster = [member for group in groups(view, slot.id) for member in group["roster"]]  # type: ignore[attr-defined]
        expected = {p.id for run in view.runs_in(slot.id) for p in (*run.hosts, *run.attendees)}
        assert sorted(roster) == sorted(expected) and len(roster) == len(set(roster))


def test_bbb_warns_beyond_its_room_limit() -> None:
    assert ROOM_LIMIT == 16
    assert bbb_warnings(build_view(*one_slot_event(16, 32))) == []
    [warning] = bbb_warnings(build_view(*one_slot_event(17, 34)))
    assert warning.render("de") == (
        "Zeitfenster T1: 17 Breakout-Räume; BigBlueButton bietet ohne Anpassung höchstens 16 an. "
        "Die Serververwaltung kann breakoutRoomLimit in settings.yml erhöhen."
    )


# -- Teams ---------------------------------------------------------------------------------------------------


def test_teams_lists_one_section_per_slot_names_sorted_and_escaped() -> None:
    event = sample_event()
    people = tuple(dataclasses.replace(p, name="<b>Zora</b>") if p.id == ANNA else p for p in event.people)
    html = teams_html(build_view(dataclasses.replace(event, people=people), sample_plan()), "de")
    assert html.count('<section class="slot">') == 3
    assert "<b>Zora</b>" not in html and "&lt;b&gt;Zora&lt;/b&gt;" in html
    t2 = html.split('<section class="slot">')[2]
    assert "Zeitfenster T2 · 11:15–12:15" in t2
    names = re.findall(r"<li>(.*?) <span", t2.split("Weiterbildungsverbünde")[1])
    assert names == ["=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)", "Deniz Yılmaz", "Kim Ohne Mail"]
    assert "Gastgeber*innen: Hanna Berg · 3/3 Teilnehmende" in t2


def test_teams_list_prints_one_page_per_slot(tmp_path: Path) -> None:
    plan = write_example_plan(tmp_path)
    html, pdf = tmp_path / "teams.html", tmp_path / "teams.pdf"
    result = CliRunner().invoke(app, ["export", str(plan), "--teams", str(html)])
    assert result.exit_code == 0, result.output
    _print_to_pdf(html, pdf, tmp_path / "profile")
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages == 3  # the example's three session slots, 144 people each


def test_which_addresses_are_usable() -> None:
    usable = ["anna@example.org", "a.b+tag@sub.example.co", "info@müller-gmbh.de", " anna@example.org "]
    unusable = ["", "anna", "anna@", "anna at example.org", "a@b", "a@b.c", "a@b.de; c@d.de", "a..b@x.de", "jörg@x.de"]
    assert [usable_email(a) for a in usable] == [True] * len(usable)
    assert [usable_email(a) for a in unusable] == [False] * len(unusable)
    assert address_of("Jörg", "info@müller-gmbh.de").addr_spec == "info@xn--mller-gmbh-9db.de"
