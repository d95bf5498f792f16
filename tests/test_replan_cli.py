"""`plan --previous`, `scheduler diff` and `export --changed-since` on the small event of replan_fixtures:
the summary, the plan file's `changes`, the `Änderungen` sheet, calendars only for the affected with SEQUENCE
and cancelled entries, and every bad input with its message and exit code 2."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.domain import Event
from scheduler.io.planfile import read_plan, write_plan
from scheduler.io.write_workbook import write_event_workbook
from scheduler.validate import validate
from tests.replan_fixtures import base_event, drop_session, old_plan, with_person
from tests.test_model_rules import person, pid

DAY = date(2026, 12, 1)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def words(result: Result) -> str:
    return " ".join((result.stdout + result.stderr).split())


def sent(tmp_path: Path, old: Event | None = None) -> tuple[Event, Path]:
    """The event as planned and sent out: its plan file."""
    old = old or replace(base_event(), date=DAY)
    path = tmp_path / "plan.json"
    write_plan(path, old, old_plan(old))
    return old, path


def workbook(tmp_path: Path, ev: Event, name: str = "neu.xlsx") -> Path:
    path = tmp_path / name
    write_event_workbook(ev, path)
    return path


def test_plan_previous_writes_changes_summary_and_sheet(tmp_path: Path) -> None:
    old, previous = sent(tmp_path)
    new = workbook(tmp_path, drop_session(old, "B"))
    out, xlsx = tmp_path / "neu.json", tmp_path / "neu-plan.xlsx"
    result = run(
        "plan", str(new), "--previous", str(previous), "--json", str(out), "-o", str(xlsx), "--time-limit", "10"
    )
    assert result.exit_code == 0, words(result)
    assert "3 von 9 Agenden ändern sich, 0 Sessions verschoben" in words(result)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["changes"]["revision"] == 1
    assert sorted(c["person"] for c in doc["changes"]["agendas_changed"]) == [pid("p4"), pid("p5"), pid("p6")]
    assert {"kind": "session", "id": "B", "reason": "session_dropped"} in doc["changes"]["removed"]
    event, plan = read_plan(out)
    assert validate(event, plan).violations == []
    sheet = load_workbook(xlsx)["Änderungen"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Art", "Kennung", "Name", "Vorher", "Jetzt", "Grund"]
    assert sum(r[0] == "Agenda geändert" for r in rows) == 3
    assert any(r[0] == "entfällt: Session" and r[1] == "B" and r[5] == "Session abgesagt" for r in rows)


def test_previous_plan_of_another_event_is_exit_2(tmp_path: Path) -> None:
    old, previous = sent(tmp_path, replace(base_event(), name="Sommerfest", date=DAY))
    new = workbook(tmp_path, replace(old, name="Test"))
    result = run("plan", str(new), "--previous", str(previous), "--json", str(tmp_path / "neu.json"))
    assert result.exit_code == 2
    assert 'anderen Veranstaltung ("Sommerfest", nicht "Test")' in words(result)
    assert not (tmp_path / "neu.json").exists()


def test_previous_plan_with_mostly_unknown_people_is_exit_2(tmp_path: Path) -> None:
    old, previous = sent(tmp_path)
    strangers = [person(f"x{i}", "A", "C") for i in range(12)]
    keep = [p for p in old.people if not p.participant]
    new = workbook(tmp_path, replace(old, people=(*keep, *strangers)))
    result = run("plan", str(new), "--previous", str(previous), "--lang", "en")
    assert result.exit_code == 2
    assert "Of the previous plan's 10 people only 4 are in the event" in words(result)


def test_unreadable_previous_plan_is_exit_2(tmp_path: Path) -> None:
    old, _ = sent(tmp_path)
    bad = tmp_path / "kaputt.json"
    bad.write_text("{", encoding="utf-8")
    result = run("plan", str(workbook(tmp_path, old)), "--previous", str(bad))
    assert result.exit_code == 2
    assert "kaputt.json" in words(result)


def test_replan_options_without_previous_are_exit_2(tmp_path: Path) -> None:
    old, _ = sent(tmp_path)
    result = run("plan", str(workbook(tmp_path, old)), "--keep-timetable")
    assert result.exit_code == 2
    assert "nur mit --previous" in words(result)


def test_keep_timetable_that_cannot_hold_is_exit_3(tmp_path: Path) -> None:
    from tests.test_model_rules import room

    old, previous = sent(tmp_path, replace(base_event(rooms=[room("R1", 3), room("R2", 6), room("R3", 6)]), date=DAY))
    new = workbook(tmp_path, drop_session(old, "B"))
    result = run("plan", str(new), "--previous", str(previous), "--keep-timetable", "--time-limit", "5")
    assert result.exit_code == 3
    assert "Mit festem Zeitplan ist kein Plan möglich" in words(result)


def test_diff_shows_any_two_plans_and_writes_a_workbook(tmp_path: Path) -> None:
    old, previous = sent(tmp_path)
    new_event = with_person(old, person("p7", "A", "D"))
    plan = old_plan(old)
    runs = tuple(replace(r, attendees=(*r.attendees, pid("p7"))) if r.session in "AD" else r for r in plan.runs)
    moved = tuple(replace(r, room="R3") if r.session == "C" else r for r in runs)
    newer = tmp_path / "neu.json"
    write_plan(newer, new_event, replace(plan, runs=moved))
    result = run("diff", str(previous), str(newer), "--xlsx", str(tmp_path / "d.xlsx"))
    assert result.exit_code == 0, words(result)
    text = words(result)
    assert "4 von 10 Agenden ändern sich, 1 Sessions verschoben; 1 neu angemeldet" in text  # C: p1, p4, p5, hc
    assert "T2 · R1" in text and "T2 · R3" in text
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "d.xlsx")["Änderungen"].iter_rows()]
    assert ["Session verschoben", "C #1", "Thema C", "T2 · R1", "T2 · R3", None] in rows  # no reason known


def test_export_changed_since_tells_only_the_affected(tmp_path: Path) -> None:
    old, previous = sent(tmp_path)
    full = tmp_path / "alt-ics"
    assert run("export", str(previous), "--ics", str(full)).exit_code == 0
    new = drop_session(old, "B")
    out = tmp_path / "neu.json"
    result = run("plan", str(workbook(tmp_path, new)), "--previous", str(previous), "--json", str(out))
    assert result.exit_code == 0, words(result)
    ics, zoom = tmp_path / "ics", tmp_path / "zoom"
    html = tmp_path / "agenden.html"
    result = run(
        "export",
        str(out),
        "--changed-since",
        str(previous),
        "--ics",
        str(ics),
        "--zoom",
        str(zoom),
        "--html",
        str(html),
    )
    assert result.exit_code == 0, words(result)
    assert "Betroffen (3): P4, P5, P6" in words(result)
    assert "Abgesagt (Kalender storniert): Hb" in words(result)
    calendars = {p.name: Calendar.from_ical(p.read_bytes()) for p in ics.glob("*.ics")}
    assert len(calendars) == 4  # p4, p5, p6 and the host who is gone
    assert (ics / "index.csv").read_text(encoding="utf-8-sig").count(".ics") == 4
    old_uids = {str(e["uid"]) for p in full.glob("*.ics") for e in Calendar.from_ical(p.read_bytes()).walk("VEVENT")}
    for cal in calendars.values():
        for entry in cal.walk("VEVENT"):
            assert str(entry["uid"]) in old_uids and int(entry["sequence"]) == 1
    host = next(c for name, c in calendars.items() if name.startswith("hb"))
    assert {str(e["status"]) for e in host.walk("VEVENT")} == {"CANCELLED"}
    everybody = {pid(n) for n in ("p1", "p2", "p3", "p4", "p5", "p6")}
    lists = sorted(zoom.iterdir())
    assert len(lists) == 2  # Zoom lists are written whole, one per slot, with everybody in it
    for f in lists:
        assert everybody <= {line.split(",")[1] for line in f.read_text(encoding="utf-8").splitlines()[1:]}
    assert html.read_text(encoding="utf-8").count("P4") >= 1 and "P1" not in html.read_text(encoding="utf-8")
