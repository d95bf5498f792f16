"""The plan file: the contract's shape, an exact round trip, deterministic bytes, and clear problems for bad files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scheduler.domain import Event, Wish
from scheduler.io.atomic import OutputError
from scheduler.io.planfile import read_plan, write_plan
from scheduler.plan import Plan, SolverInfo
from scheduler.problems import InputError, Problem
from scheduler.text import Text
from tests.tiny_plans import plan_for, tiny_event, tiny_runs, with_people


def rich_event() -> Event:
    """The tiny event with every optional field set, so that the round trip has something to lose."""
    event = tiny_event(
        S1={"description": "Wie lernen Betriebe?", "capacity": 12, "minimum": 1},
        S2={"fixed_slot": "T2", "fixed_room": "R2", "not_in": frozenset({"T1"})},
    )
    event = with_people(
        event,
        dan={"wishes": (Wish("S3", 1), Wish("S1", 3)), "unavailable": frozenset({"T0"})},
        cem={"name": "Cem Yılmaz", "organisation": "ZAQS Sachsen"},
    )
    return replace(event, date=date(2021, 10, 6), timezone="Europe/Vienna", weights=(5, 3, 1), wish_count=3)


def rich_plan(event: Event) -> Plan:
    warning = Problem(
        Text("Session „KI“ ähnelt „KI im Betrieb“.", "Session “KI” resembles “KI im Betrieb”."),
        hint=Text("Bitte prüfen.", "Please check."),
        file="vernetzungstreffen.xlsx",
        sheet="Anmeldungen",
        row=17,
        column="Wunsch 2",
        severity="warning",
    )
    plan = plan_for(event, tiny_runs())
    return replace(plan, solver=SolverInfo("OPTIMAL", 1.25, 7, 30.5, True), warnings=(warning,))


def write(tmp_path: Path, event: Event, plan: Plan) -> Path:
    path = tmp_path / "plan.json"
    write_plan(path, event, plan)
    return path


def test_round_trip_gives_the_same_event_and_plan(tmp_path: Path) -> None:
    event = rich_event()
    plan = rich_plan(event)
    assert read_plan(write(tmp_path, event, plan)) == (event, plan)


def test_file_has_the_shape_spec_shows(tmp_path: Path) -> None:
    event = tiny_event()
    doc = json.loads(write(tmp_path, event, plan_for(event, tiny_runs())).read_text(encoding="utf-8"))
    assert list(doc)[:8] == ["format", "event", "solver", "objective", "slots", "rooms", "sessions", "participants"]
    assert doc["format"] == "scheduler-plan/1"
    assert doc["objective"] == {"max_shortfall": 1, "weighted": 10, "weighted_bound": 10}
    assert doc["solver"]["time_limit"] == 60
    assert doc["slots"][0] == {
        "id": "T0", "start": "09:00", "end": "10:00", "kind": "plenary", "title": "Eröffnung", "link": ""
    }  # fmt: skip
    first_run = doc["sessions"][0]
    assert list(first_run)[:7] == ["id", "run", "title", "slots", "room", "hosts", "attendees"]
    assert (first_run["id"], first_run["slots"], first_run["room"], first_run["hosts"]) == (
        "S1",
        ["T1"],
        "R1",
        ["host@x"],
    )
    anna = doc["participants"][0]
    assert anna["id"] == "anna@x"
    assert anna["wishes"] == ["S1", "S3"]
    assert anna["agenda"] == {"T1": "S1", "T2": None}  # hosting S2 in T2
    assert doc["hosts"] == [
        {"id": "host@x", "name": "Host", "email": "host@x", "organisation": "gsub", "unavailable": []}
    ]


def test_wish_ranks_left_empty_are_null(tmp_path: Path) -> None:
    event = rich_event()
    doc = json.loads(write(tmp_path, event, rich_plan(event)).read_text(encoding="utf-8"))
    dan = next(p for p in doc["participants"] if p["id"] == "dan@x")
    assert dan["wishes"] == ["S3", None, "S1"]


def test_output_is_deterministic_utf8_with_indent_2(tmp_path: Path) -> None:
    event = rich_event()
    first = write(tmp_path, event, rich_plan(event)).read_bytes()
    second = write(tmp_path, event, rich_plan(event)).read_bytes()
    assert first == second
    text = first.decode("utf-8")
    assert '  "format": "scheduler-plan/1",\n' in text
    assert "Cem Yılmaz" in text and "Eröffnung" in text


def test_never_overwrites_an_input(tmp_path: Path) -> None:
    source = tmp_path / "event.xlsx"
    source.write_bytes(b"workbook")
    event = tiny_event()
    with pytest.raises(OutputError):
        write_plan(source, event, plan_for(event, tiny_runs()), inputs=[source])
    assert source.read_bytes() == b"workbook"


def test_a_file_with_only_spec_keys_is_read(tmp_path: Path) -> None:
    doc = {
        "format": "scheduler-plan/1",
        "event": {"name": "Treffen", "date": "2021-10-06"},
        "solver": {"status": "OPTIMAL", "seconds": 0.0, "seed": 0, "time_limit": 60},
        "objective": {"max_shortfall": 0, "weighted": 2, "weighted_bound": 2},
        "slots": [{"id": "T1", "start": "10:30", "end": "11:30", "kind": "session", "title": ""}],
        "rooms": [{"id": "R1", "name": "Zoom 1", "capacity": 30, "link": "https://zoom.example/1"}],
        "sessions": [
            {"id": "S01", "run": 1, "title": "KI", "slots": ["T1"], "room": "R1", "hosts": [], "attendees": ["a@x"]}
        ],
        "participants": [{"id": "a@x", "name": "A", "email": "a@x", "organisation": "KWW", "wishes": ["S01"]}],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    event, plan = read_plan(path)
    assert event.date == date(2021, 10, 6)
    assert (event.session("S01").runs, event.session("S01").duration) == (1, 1)
    assert plan.runs[0].attendees == ("a@x",)
    assert event.person("a@x").wishes == (Wish("S01", 1),)


# -- bad files ---------------------------------------------------------------------------------------------


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_plan(path)
    return [p.render("de") for p in caught.value.problems]


def edited(tmp_path: Path, edit: Any) -> Path:
    """A valid plan file after `edit(doc)` changed its parsed JSON."""
    event = tiny_event()
    path = write(tmp_path, event, plan_for(event, tiny_runs()))
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"format": "scheduler-plan/1",\n  oops}', encoding="utf-8")
    assert problems_of(path) == [
        "plan.json, Zeile 2: Die Datei ist kein gültiges JSON: Expecting property name enclosed in double quotes"
        " (Zeichen 3)."
    ]


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "fehlt.json") == ["fehlt.json: Die Datei gibt es nicht."]  # no English OS text
    (tmp_path / "ordner.json").mkdir()
    assert problems_of(tmp_path / "ordner.json") == ["ordner.json: Das ist ein Ordner, keine Datei."]
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    assert problems_of(tmp_path / "binary.json") == ["binary.json: Die Datei ist kein UTF-8-Text."]


@pytest.mark.parametrize(
    ("content", "found"),
    [('{"format": "scheduler-plan/2"}', '"scheduler-plan/2"'), ("[1, 2]", "nothing"), ("{}", "nothing")],
)
def test_wrong_format_tag(tmp_path: Path, content: str, found: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    assert problems_of(path) == [
        f'plan.json, Spalte "format": Das ist keine Plan-Datei von scheduler: Format {found},'
        ' erwartet "scheduler-plan/1".'
    ]


def test_missing_keys_are_named_by_json_path(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        del doc["sessions"][1]["room"]
        del doc["objective"]["weighted"]
        del doc["participants"]

    assert problems_of(edited(tmp_path, edit)) == [
        'plan.json, Spalte "objective.weighted": Dieser Eintrag fehlt.',
        'plan.json, Spalte "sessions[1].room": Dieser Eintrag fehlt.',
        'plan.json, Spalte "participants": Dieser Eintrag fehlt.',
    ]


def test_wrong_types_are_named_by_json_path_in_file_order(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["rooms"][0]["capacity"] = "viele"
        doc["slots"][1]["start"] = "zehn Uhr"
        doc["slots"][0]["kind"] = "Pause"
        doc["sessions"][0]["attendees"] = "anna@x"
        doc["event"]["date"] = "6.10.2021"

    assert problems_of(edited(tmp_path, edit)) == [
        'plan.json, Spalte "event.date": "6.10.2021" ist kein Datum (JJJJ-MM-TT).',
        'plan.json, Spalte "slots[0].kind": Art "Pause" gibt es nicht (session, plenary oder networking).',
        'plan.json, Spalte "slots[1].start": "zehn Uhr" ist keine Uhrzeit (HH:MM).',
        'plan.json, Spalte "rooms[0].capacity": Erwartet eine ganze Zahl, gefunden "viele".',
        'plan.json, Spalte "sessions[0].attendees": Erwartet eine Liste, gefunden "anna@x".',
    ]


def test_references_that_do_not_fit_together(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["hosts"] = []

    assert problems_of(edited(tmp_path, edit)) == [
        "plan.json: Der Plan passt nicht zusammen: session S1: host 'host@x' is not a person."
    ]


def test_runs_of_one_session_must_agree(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["sessions"][3]["title"] = "Etwas anderes"

    assert problems_of(edited(tmp_path, edit)) == [
        'plan.json, Spalte "sessions[3]": Die Durchläufe von Session S3 beschreiben die Session verschieden.'
    ]
