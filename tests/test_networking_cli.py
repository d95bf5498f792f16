"""Networking rounds from the workbook to every output: bad input located (exit 2), a small day end to end."""

from __future__ import annotations

import csv
import json
from datetime import time
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.example import generate_event
from scheduler.io.planfile import read_plan
from scheduler.io.workbook import read_event
from scheduler.io.write_workbook import write_event_workbook
from scheduler.networking.measure import figures
from scheduler.validate import validate
from tests.workbooks import Sheets, minimal_sheets, write_workbook


def words(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(result.output.split())


def with_round(size: object = None, unavailable: dict[str, str] | None = None, moderator: object = None) -> Sheets:
    """The minimal workbook with a networking round N1 after T2 (5 people present: 4 registered, 1 host)."""
    sheets = minimal_sheets()
    slots = sheets["Zeitfenster"]
    slots[0].append("Gruppengröße")
    for row in slots[1:]:
        row.append(None)
    slots.append(["N1", time(11, 45), time(12, 0), "Vernetzung", "Kennenlernen", size])
    people = sheets["Anmeldungen"]
    people[0].append("Moderation")
    for row in people[1:]:
        row.append(None)
        row[5] = (unavailable or {}).get(row[1], row[5])
    people[1][-1] = moderator
    return sheets


def check(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", str(path), *args])
    assert "Traceback" not in result.output
    return result.exit_code, words(result)


def test_a_range_the_wrong_way_round(tmp_path: Path) -> None:
    code, out = check(write_workbook(tmp_path / "e.xlsx", with_round("6-4")))
    assert code == 2
    assert (
        'Zeitfenster, Zeile 6, Spalte "Gruppengröße": Die Gruppengröße 6-4: das Kleinste (6) ist größer als das '
        "Größte (4)." in out
    )
    assert "Meinten Sie 4-6?" in out


def test_a_size_that_is_no_number(tmp_path: Path) -> None:
    code, out = check(write_workbook(tmp_path / "e.xlsx", with_round("viele")), "--lang", "en")
    assert code == 2
    assert '"viele" is not a group size.' in out
    assert "Write a number from 2 (e.g. 5) or a range from-to (e.g. 4-6); empty: 4-6." in out


def test_a_size_that_the_people_present_cannot_meet(tmp_path: Path) -> None:
    away = {"anna@a.example": "N1", "ben@b.example": "N1"}  # Carla, Dirk and the host Hanna remain: 3 people
    code, out = check(write_workbook(tmp_path / "e.xlsx", with_round("4-6", unavailable=away)))
    assert code == 2
    assert (
        'Zeitfenster, Zeile 6, Spalte "Gruppengröße": Vernetzungsrunde N1: 3 Personen lassen sich nicht in Gruppen '
        "von 4–6 Personen teilen." in out
    )


def test_a_round_nobody_attends(tmp_path: Path) -> None:
    sheets = with_round("2-3", unavailable=dict.fromkeys(("anna@a.example", "ben@b.example", "Carla@KWW.example",
                                                          "dirk@d.example"), "N1"))  # fmt: skip
    sheets["Sessions"][1][2] = "Ben Berger"  # the host-only person gone too: nobody is left in N1
    code, out = check(write_workbook(tmp_path / "e.xlsx", sheets), "--lang", "en")
    assert code == 2
    assert "Networking round N1: nobody is present (everybody is unavailable there)." in out


def test_an_unreadable_moderation(tmp_path: Path) -> None:
    code, out = check(write_workbook(tmp_path / "e.xlsx", with_round(None, moderator="vielleicht")))
    assert code == 2
    assert 'Anmeldungen, Zeile 2, Spalte "Moderation": "vielleicht" ist als Moderation nicht lesbar.' in out


def test_a_good_round_is_shown_by_check(tmp_path: Path) -> None:
    code, out = check(write_workbook(tmp_path / "e.xlsx", with_round("2-3", moderator="ja")))
    assert code == 0, out
    assert "│ N1 │ 11:45–12:00 │ Vernetzung │ Kennenlernen · 5 Personen in 2 Gruppen zu" in out  # … 2–3, wrapped
    event, _ = read_event(tmp_path / "e.xlsx")
    assert event.networking_slots[0].group_size == (2, 3)
    assert [p.id for p in event.people if p.moderator] == ["anna@a.example"]


def test_a_small_day_end_to_end(tmp_path: Path) -> None:
    event_file = tmp_path / "tag.xlsx"
    write_event_workbook(generate_event(40, 6, 3, 3, seed=2, networking=2), event_file)
    plan_file, workbook = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    result = CliRunner().invoke(
        app, ["plan", str(event_file), "--json", str(plan_file), "-o", str(workbook), "--time-limit", "10"]
    )
    out = words(result)
    assert result.exit_code == 0, out
    assert "Vernetzungsrunden (Paare je Runde) · wiederholte Paare: 0" in out
    event, _ = read_event(event_file)
    _, plan = read_plan(plan_file)
    report = validate(event, plan, check_objective=True)
    assert report.violations == []
    f = figures(event, plan.runs, plan.networking)
    assert f.repeats == 0 and f.same_organisation == f.bound
    assert [r["slot"] for r in json.loads(plan_file.read_text(encoding="utf-8"))["networking"]] == ["N1", "N2"]
    verified = CliRunner().invoke(app, ["verify", str(event_file), str(plan_file), "--lang", "en"])
    assert verified.exit_code == 0 and "Networking rounds (pairs per round) · repeated pairs: 0" in words(verified)

    sheet = openpyxl.load_workbook(workbook)["Vernetzung"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Zeitfenster", "Beginn", "Ende", "Gruppe", "Personen", "Moderation", "Mitglieder")
    assert len(rows) - 1 == sum(len(r.sizes) for r in f.rounds)
    first_group = plan.networking[0].groups[0]
    members = [event.person(m) for m in first_group.members]
    assert rows[1][3:5] == ("Gruppe 01", len(members))
    assert rows[1][6].startswith(f"{members[0].name} ({members[0].organisation})")

    zoom, html, bbb = tmp_path / "zoom", tmp_path / "agenden.html", tmp_path / "bbb"
    args = ["export", str(plan_file), "--zoom", str(zoom), "--html", str(html), "--bbb", str(bbb)]
    exported = CliRunner().invoke(app, args)
    assert exported.exit_code == 0, words(exported)
    rooms = json.loads((bbb / "bbb-n1.json").read_text(encoding="utf-8"))
    assert rooms[0] == {"id": "1", "name": "Gruppe 01", "roster": list(plan.networking[0].groups[0].members)}
    assert sorted(f.name for f in bbb.glob("bbb-*.json")) == [
        "bbb-n1.json",
        "bbb-n2.json",
        "bbb-t1.json",
        "bbb-t2.json",
        "bbb-t3.json",
    ]
    assert (bbb / ".scheduler-manifest.json").is_file()  # the folder is written whole, as every folder output
    with (zoom / "zoom-n1.csv").open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Pre-assign Room Name", "Email Address"]
    first = plan.networking[0].groups[0]
    assert [row[1] for row in lines[1:] if row[0] == "Gruppe 01"] == [event.person(m).email for m in first.members]
    person = event.person(first.members[0])
    agenda = CliRunner().invoke(app, ["agenda", str(plan_file), person.email])
    other = event.person(first.members[1])
    assert "Gruppe 01" in words(agenda) and other.name in words(agenda)
    assert f"{other.name} ({other.organisation})" in html.read_text(encoding="utf-8")
