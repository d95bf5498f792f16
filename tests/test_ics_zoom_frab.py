"""Calendar files, Zoom pre-assignment CSVs and the frab JSON schedule, each parsed back."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar

from scheduler.export.frab import frab_document, write_frab
from scheduler.export.ics import write_ics
from scheduler.export.zoom import neutralise, write_zoom
from scheduler.views import build_view
from tests.plan_fixtures import FORMULA_NAME, sample_event, sample_plan

BERLIN = "Europe/Berlin"


def _calendars(directory: Path, stamp: datetime) -> dict[str, Calendar]:
    files = write_ics(build_view(sample_event(), sample_plan()), directory, "de", stamp=stamp).files
    return {f.name: Calendar.from_ical(f.read_bytes()) for f in files if f.suffix == ".ics"}


def _events(cal: Calendar) -> list:  # type: ignore[type-arg]
    return [c for c in cal.walk("VEVENT")]


def test_one_calendar_per_person_with_a_vevent_per_block(tmp_path: Path) -> None:
    calendars = _calendars(tmp_path, datetime(2021, 9, 1, tzinfo=UTC))
    assert len(calendars) == 8
    assert all(re.fullmatch(r"[a-z0-9._@+-]+-[0-9a-f]{8}\.ics", n) for n in calendars)
    bernd = next(c for n, c in calendars.items() if n.startswith("bernd.schulz@example.org-"))
    events = _events(bernd)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Eröffnung", "Sie leiten: Lotsenberatung", "@SUM(1)", "Digitale Lernangebote", "Resümee",
    ]  # fmt: skip
    hosting = events[1]
    assert hosting["DTSTART"].dt == datetime(2021, 10, 6, 10, 0, tzinfo=hosting["DTSTART"].dt.tzinfo)
    assert str(hosting["DTSTART"].dt.tzinfo) == BERLIN and hosting["DTSTART"].params["TZID"] == BERLIN
    assert hosting["DTSTART"].dt.utcoffset().total_seconds() == 7200  # summer time on 6 Oct 2021
    assert (
        str(hosting["LOCATION"]) == "https://zoom.example/j/222" and str(hosting["URL"]) == "https://zoom.example/j/222"
    )
    assert [str(tz["TZID"]) for tz in bernd.walk("VTIMEZONE")] == [BERLIN]
    malgo = next(c for n, c in calendars.items() if n.startswith("m.nowak@example.org-"))
    assert len(_events(malgo)) == 4  # unavailable in T3: no calendar entry
    deniz = next(c for n, c in calendars.items() if n.startswith("deniz.yilmaz@example.org-"))
    s05 = _events(deniz)[2]
    assert (s05["DTSTART"].dt.hour, s05["DTEND"].dt.hour, s05["DTEND"].dt.minute) == (11, 13, 15)
    assert "Ihr 1. Wunsch" in str(s05["DESCRIPTION"])


def test_uids_are_stable_across_runs(tmp_path: Path) -> None:
    first = _calendars(tmp_path / "a", datetime(2021, 9, 1, tzinfo=UTC))
    second = _calendars(tmp_path / "b", datetime(2021, 9, 20, tzinfo=UTC))
    assert first.keys() == second.keys()
    for name in first:
        uids = [str(e["UID"]) for e in _events(first[name])]
        assert uids == [str(e["UID"]) for e in _events(second[name])]
        assert [e["DTSTAMP"].dt for e in _events(first[name])] != [e["DTSTAMP"].dt for e in _events(second[name])]
    all_uids = [str(e["UID"]) for cal in first.values() for e in _events(cal)]
    assert len(all_uids) == len(set(all_uids))


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_zoom_lists_one_csv_per_session_slot(tmp_path: Path) -> None:
    result = write_zoom(build_view(sample_event(), sample_plan()), tmp_path)
    assert [f.name for f in result.files] == ["zoom-t1.csv", "zoom-t2.csv", "zoom-t3.csv"]
    first = result.files[0].read_bytes()
    assert first.startswith(b"Pre-assign Room Name,Email Address\r\n")
    rows = _read_csv(result.files[0])
    assert rows[1:] == [
        ["Raum Nord: KI im Unternehmen", "hanna.kww@example.org"],
        ["Raum Nord: KI im Unternehmen", "anna.mueller@example.org"],
        ["Raum Nord: KI im Unternehmen", "deniz.yilmaz@example.org"],
        ["Raum Süd: Lotsenberatung", "bernd.schulz@example.org"],
        ["Raum Süd: Lotsenberatung", "m.nowak@example.org"],
        ["Raum Süd: Lotsenberatung", "inj@example.org"],
        ["Raum West: Digitale Lernangebote", "carla@gsub.example"],
    ]
    t3 = _read_csv(result.files[2])
    assert ["Raum Süd: Weiterbildungsverbünde", "deniz.yilmaz@example.org"] in t3  # a two-slot run is in both
    assert [p.name for p in result.without_email] == ["Kim Ohne Mail"]


def test_zoom_cells_are_neutralised_against_formulas(tmp_path: Path) -> None:
    event = sample_event()
    rooms = (
        dataclasses.replace(event.rooms[0], name=FORMULA_NAME),
        dataclasses.replace(event.rooms[1], name="@SUM(1)"),
    )
    event = dataclasses.replace(event, rooms=(*rooms, event.rooms[2]))
    rows = _read_csv(write_zoom(build_view(event, sample_plan()), tmp_path).files[0])
    assert rows[1] == ["'" + FORMULA_NAME + ": KI im Unternehmen", "hanna.kww@example.org"]
    assert rows[4] == ["'@SUM(1): Lotsenberatung", "bernd.schulz@example.org"]
    assert [neutralise(c) for c in ("=1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "")] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=b", "",
    ]  # fmt: skip


def test_frab_schedule_structure(tmp_path: Path) -> None:
    view = build_view(sample_event(), sample_plan())
    path = tmp_path / "schedule.json"
    write_frab(view, path, "de")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = doc["schedule"]
    assert isinstance(schedule["version"], str) and schedule["version"]
    conference = schedule["conference"]
    assert {k: conference[k] for k in ("title", "start", "end", "daysCount", "time_zone_name")} == {
        "title": "Vernetzungstreffen", "start": "2021-10-06", "end": "2021-10-06", "daysCount": 1,
        "time_zone_name": BERLIN,
    }  # fmt: skip
    assert re.fullmatch(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$", conference["acronym"])
    assert re.fullmatch(r"[0-9]{2}:[0-9]{2}", conference["timeslot_duration"])
    (day,) = conference["days"]
    assert (day["index"], day["date"]) == (1, "2021-10-06")
    assert (day["day_start"], day["day_end"]) == ("2021-10-06T09:30:00+02:00", "2021-10-06T14:00:00+02:00")
    assert list(day["rooms"]) == ["Plenum", "Raum Nord", "Raum Süd", "Raum West"]
    assert [e["title"] for e in day["rooms"]["Plenum"]] == ["Eröffnung", "Resümee"]
    s05 = day["rooms"]["Raum Süd"][1]
    assert {k: s05[k] for k in ("date", "start", "duration", "room", "title", "track", "type", "language")} == {
        "date": "2021-10-06T11:15:00+02:00", "start": "11:15", "duration": "02:00", "room": "Raum Süd",
        "title": "Weiterbildungsverbünde", "track": "KWW", "type": "Session", "language": "de",
    }  # fmt: skip
    assert s05["persons"][0]["name"] == "Hanna Berg"
    assert s05["persons"][0]["guid"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "acct:hanna.kww@example.org"))
    assert s05["links"] == [{"title": "Raum Süd", "url": "https://zoom.example/j/222", "type": "related"}]
    events = [e for room in day["rooms"].values() for e in room]
    required = {"guid", "id", "date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track"}
    required |= {"type", "language", "abstract", "persons", "links"}
    assert all(required <= e.keys() for e in events)
    assert sorted(e["id"] for e in events) == list(range(1, 9))
    assert all(re.fullmatch(r"^[a-z0-9_-]+[a-z0-9]$", e["slug"]) for e in events)
    assert all(str(uuid.UUID(e["guid"])) == e["guid"] for e in events)
    second_runs = [e for e in day["rooms"]["Raum Nord"] if e["title"] == "Digitale Lernangebote"]
    assert second_runs[0]["subtitle"] == "Durchlauf 2"


def test_frab_guids_are_stable() -> None:
    first = frab_document(build_view(sample_event(), sample_plan()), "de")
    second = frab_document(build_view(sample_event(), sample_plan()), "en")
    guids = [e["guid"] for r in first["schedule"]["conference"]["days"][0]["rooms"].values() for e in r]
    again = [e["guid"] for r in second["schedule"]["conference"]["days"][0]["rooms"].values() for e in r]
    assert guids == again and len(set(guids)) == len(guids)
    assert first["schedule"]["version"] == second["schedule"]["version"]
