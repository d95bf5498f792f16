"""What the organiser hands out: main room link, descriptions, contact, hosts' lists, calendar file names and
their index, the day grid at 80 columns, the schedule JSON against the c3voc schema, the Zoom advice."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar
from rich.console import Console
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Event, Person
from scheduler.example import generate_event
from scheduler.export.agenda_html import agendas_html
from scheduler.export.frab import frab_document
from scheduler.export.ics import ics_name, write_ics
from scheduler.export.terminal import grid_table, print_agenda
from scheduler.io.planfile import read_plan, write_plan
from scheduler.io.workbook import read_event
from scheduler.problems import InputError
from scheduler.views import PersonAgenda, build_view
from tests.plan_fixtures import BERND, HANNA, KIM, sample_event, sample_plan
from tests.workbooks import minimal_sheets, write_workbook

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "c3voc-schedule-schema.json").read_text(encoding="utf-8"))
MAIN = "https://zoom.example/j/999"
CONTACT = "Orga-Team, orga@example.org, 030 123"


def handout_event() -> Event:
    """The sample event with what organisers add for the handouts: main room link and contact."""
    return dataclasses.replace(sample_event(), main_link=MAIN, contact=CONTACT, language="en")


def schema_errors(doc: dict) -> list[str]:  # type: ignore[type-arg]
    validator = jsonschema.Draft6Validator(SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


# -- reading the new fields ---------------------------------------------------------------------------------


def test_event_fields_and_plenary_links_are_read(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Veranstaltung"] += [
        ["Hauptraum-Link", MAIN],
        ["Kontakt", CONTACT],
        ["Sprache", "Englisch"],
        ["Betreff", "Ihre Agenda"],
        ["Absender", "Orga <orga@example.org>"],
    ]
    links = {"ID": "Link", "P2": "https://zoom.example/j/555", "T1": "https://zoom.example/j/601"}
    sheets["Zeitfenster"] = [[*row, links.get(row[0])] for row in sheets["Zeitfenster"]]
    event, warnings = read_event(write_workbook(tmp_path / "e.xlsx", sheets))
    assert (event.main_link, event.contact, event.language) == (MAIN, CONTACT, "en")
    assert (event.subject, event.sender) == ("Ihre Agenda", "Orga <orga@example.org>")
    assert [s.link for s in event.ordered_slots] == ["", "https://zoom.example/j/601", "", "https://zoom.example/j/555"]
    assert event.slot_link(event.slot("P1")) == MAIN and event.slot_link(event.slot("P2")).endswith("/555")
    assert warnings == []


def test_an_unknown_language_is_an_error_with_its_cell(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "e.xlsx", rows={"Veranstaltung": [["Sprache", "Klingonisch"]]})
    with pytest.raises(InputError) as caught:
        read_event(path)
    (problem,) = caught.value.problems
    assert problem.message.de == 'Die Sprache "Klingonisch" ist unbekannt.'
    assert (problem.sheet, problem.row, problem.column) == ("Veranstaltung", 5, "Wert")
    assert problem.hint is not None and "de oder en" in problem.hint.de


def test_plan_file_carries_the_fields(tmp_path: Path) -> None:
    event = dataclasses.replace(handout_event(), subject="Betreff", sender="Orga <orga@example.org>")
    slots = tuple(dataclasses.replace(s, link="https://zoom.example/j/7") if s.id == "P2" else s for s in event.slots)
    event = dataclasses.replace(event, slots=slots)
    write_plan(tmp_path / "plan.json", event, sample_plan())
    doc = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert {k: doc["event"][k] for k in ("main_link", "contact", "language", "subject", "sender")} == {
        "main_link": MAIN, "contact": CONTACT, "language": "en", "subject": "Betreff",
        "sender": "Orga <orga@example.org>",
    }  # fmt: skip
    assert doc["slots"][-1]["link"] == "https://zoom.example/j/7"
    assert read_plan(tmp_path / "plan.json")[0] == event


def test_bundled_example_has_main_link_contact_and_descriptions() -> None:
    event = generate_event()
    assert event.main_link.startswith("https://zoom.example.org/j/") and "@" in event.contact
    assert event.language == "de" and event.subject and "<" in event.sender
    assert all(s.description for s in event.sessions)
    example, _ = read_event(Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx")
    assert (example.main_link, example.contact, example.sender) == (event.main_link, event.contact, event.sender)


# -- agendas ------------------------------------------------------------------------------------------------


def _agenda(event: Event, person: str) -> PersonAgenda:
    return build_view(event, sample_plan()).agenda(person)


def test_html_agenda_has_main_link_description_contact_and_a_prominent_head() -> None:
    view = build_view(handout_event(), sample_plan())
    html = agendas_html(view, [view.agenda("anna.mueller@example.org")], "de")
    assert '<p class="event">Vernetzungstreffen</p>' in html and '<p class="date">Mittwoch, 6. Oktober 2021</p>' in html
    plenary = re.findall(r'<tr class="plenary">.*?</tr>', html)
    assert len(plenary) == 2 and all(f'<a href="{MAIN}">' in row and "Hauptraum" in row for row in plenary)
    assert '<div class="about">KI-Werkzeuge im Betrieb.</div>' in html
    assert f'<p class="foot">Kontakt bei Fragen: {CONTACT}</p>' in html
    assert re.search(r"\.event \{[^}]*font-size: 20pt", html) and re.search(r"td\.time \{[^}]*13\.5pt", html)


def test_long_descriptions_are_shortened_at_a_word_in_html_but_whole_in_calendars(tmp_path: Path) -> None:
    event = handout_event()
    long = "Wie erreichen wir kleine und mittlere Unternehmen? " * 8
    sessions = tuple(dataclasses.replace(s, description=long) if s.id == "S01" else s for s in event.sessions)
    event = dataclasses.replace(event, sessions=sessions)
    view = build_view(event, sample_plan())
    html = agendas_html(view, [view.agenda("anna.mueller@example.org")], "de")
    shown = re.search(r'<div class="about">(.*?)</div>', html).group(1)  # type: ignore[union-attr]
    assert len(shown) <= 160 and shown.endswith("…") and long.startswith(shown[:-1]) and shown[-2] != " "
    files = write_ics(view, tmp_path, "de", stamp=datetime(2021, 9, 1, tzinfo=UTC)).files
    anna = next(f for f in files if f.name.startswith("anna.mueller@"))
    entry = [
        e for e in Calendar.from_ical(anna.read_bytes()).walk("VEVENT") if str(e["SUMMARY"]) == "KI im Unternehmen"
    ]
    assert long.strip() in str(entry[0]["DESCRIPTION"])


def test_hosts_see_who_is_coming_in_html_and_terminal() -> None:
    view = build_view(handout_event(), sample_plan())
    html = agendas_html(view, [view.agenda(HANNA)], "de")
    lists = re.findall(r'<div class="coming"><h2>(.*?)</h2><ol>(.*?)</ol></div>', html)
    assert [h for h, _ in lists] == [
        "Wer kommt: KI im Unternehmen, 10:00–11:00 (2 Personen)",
        "Wer kommt: Weiterbildungsverbünde, 11:15–13:15 (3 Personen)",
    ]
    assert re.findall(r"<li>(.*?)</li>", lists[0][1]) == ["Anna Müller (ZAQS Sachsen)", "Deniz Yılmaz (KWW)"]
    assert re.findall(r"<li>(.*?)</li>", lists[1][1]) == [
        "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;) (@SUM(1))", "Deniz Yılmaz (KWW)", "Kim Ohne Mail (KWW)",
    ]  # fmt: skip
    console = Console(record=True, width=120)
    print_agenda(console, view.agenda(BERND), "en", CONTACT)
    text = console.export_text()
    assert "Who is coming: Lotsenberatung, 10:00–11:00 (2 people)" in text
    assert '=HYPERLINK("http://x","y") (@SUM(1))' in text and "Małgorzata Nowak (gsub)" in text
    assert f"Questions? Contact: {CONTACT}" in text
    assert "Main room" in text and MAIN in text  # the plenary blocks' link


def test_a_room_without_link_is_a_breakout_room_of_the_slot_meeting() -> None:
    """Runs in the linkless room R3 join the main room's meeting and are told which breakout room to choose."""
    view = build_view(handout_event(), sample_plan())
    kim = view.agenda(KIM)
    first = kim.blocks[1]
    assert (first.run.room.id if first.run else None, first.link) == ("R3", MAIN)
    html = agendas_html(view, [kim], "de")
    assert "Breakout-Raum: „Raum West: Digitale Lernangebote“" in html


def test_calendar_entries_carry_links_description_contact_and_who_is_coming(tmp_path: Path) -> None:
    view = build_view(handout_event(), sample_plan())
    files = write_ics(view, tmp_path, "de", stamp=datetime(2021, 9, 1, tzinfo=UTC)).files
    hanna = next(f for f in files if f.name.startswith("hanna.kww@example.org-"))
    events = list(Calendar.from_ical(hanna.read_bytes()).walk("VEVENT"))
    opening = events[0]
    assert str(opening["SUMMARY"]) == "Eröffnung"
    assert (str(opening["LOCATION"]), str(opening["URL"])) == (MAIN, MAIN)
    assert f"Kontakt bei Fragen: {CONTACT}" in str(opening["DESCRIPTION"])
    hosting = str(events[1]["DESCRIPTION"])
    assert "KI-Werkzeuge im Betrieb." in hosting
    assert "Wer kommt (2 Personen):\n- Anna Müller (ZAQS Sachsen)\n- Deniz Yılmaz (KWW)" in hosting


# -- calendar file names and their index ----------------------------------------------------------------------


def test_calendar_files_are_named_by_email_with_an_index(tmp_path: Path) -> None:
    view = build_view(sample_event(), sample_plan())
    files = write_ics(view, tmp_path, "de", stamp=datetime(2021, 9, 1, tzinfo=UTC)).files
    names = sorted(f.name for f in files)
    assert "index.csv" in names and len(names) == 9
    assert any(re.fullmatch(r"anna\.mueller@example\.org-[0-9a-f]{8}\.ics", n) for n in names)
    assert any(re.fullmatch(r"kim-ohne-mail-[0-9a-f]{8}\.ics", n) for n in names)  # no e-mail: the name
    raw = (tmp_path / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfName;E-Mail;Datei\r\n")  # a BOM and ; for German Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 9 and {r[2] for r in rows[1:]} == {n for n in names if n.endswith(".ics")}
    assert rows[1][:2] == ["Anna Müller", "anna.mueller@example.org"]
    assert rows[5][:2] == ["'" + '=HYPERLINK("http://x","y")', "inj@example.org"]  # neutralised like Zoom lists
    assert all((tmp_path / r[2]).is_file() for r in rows[1:])
    english = tmp_path / "en"
    write_ics(view, english, "en", stamp=datetime(2021, 9, 1, tzinfo=UTC))
    assert (english / "index.csv").read_bytes().startswith(b"\xef\xbb\xbfName,E-mail,File\r\n")


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("con@example.org", "Con"),
        ("nul.x@example.org", "Nul"),
        ('a"b:c?d*e|f<g>h@example.org.', "X"),
        ("", "Jürgen Groß."),
        ("", "..."),
        ("łukasz.żółć@example.pl", "Łukasz"),
    ],
)
def test_calendar_file_names_are_safe_on_windows(email: str, name: str) -> None:
    agenda = PersonAgenda(Person(email or f"name:{name}", name, email), (), (), None, None)
    file = ics_name(agenda)
    stem = file.split(".", 1)[0].lower()
    assert re.fullmatch(r"[A-Za-z0-9._@+-]+", file) and not re.search(r'[:?"<>|*\\/]', file)
    assert not file.startswith((".", " ")) and not file[: -len(".ics")].endswith((".", " "))
    assert stem not in {"con", "prn", "aux", "nul"} and file.endswith(".ics")
    assert re.search(r"-[0-9a-f]{8}\.ics$", file)


# -- terminal -------------------------------------------------------------------------------------------------


def test_day_grid_wraps_titles_at_80_columns() -> None:
    event = sample_event()
    long_titles = {"S05": "Weiterbildungsverbünde in der Zukunftszentrumsregion", "S01": "Zukunftszentrumsarbeit"}
    sessions = tuple(dataclasses.replace(s, title=long_titles.get(s.id, s.title)) for s in event.sessions)
    view = build_view(dataclasses.replace(event, sessions=sessions, main_link=MAIN), sample_plan())
    console = Console(record=True, width=80)
    console.print(grid_table(view, "de", 80))
    text = console.export_text()
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
    lines = text.splitlines()
    header = next(line for line in lines if "Raum Süd" in line)
    left, right = header.index("Raum Süd"), header.index("Raum West")
    column = "".join(line[left:right].strip() for line in lines)
    assert "Weiterbildungsverbündein der Zukunftszentrumsregion".replace(" ", "") in column.replace(" ", "")
    assert f"Plenum: {MAIN}" in " ".join(text.split())


# -- schedule JSON --------------------------------------------------------------------------------------------


def test_schedule_json_is_valid_c3voc_with_the_event_language_and_links() -> None:
    doc = frab_document(build_view(handout_event(), sample_plan()), "de")
    assert schema_errors(doc) == []
    conference = doc["schedule"]["conference"]
    assert conference["acronym"] == "vernetzungstreffen_2021"
    events = [e for room in conference["days"][0]["rooms"].values() for e in room]
    assert {e["language"] for e in events} == {"en"}  # the event's language, though the labels are German
    assert all(e["url"] for e in events) and '"url": ""' not in json.dumps(doc)
    plenary = conference["days"][0]["rooms"]["Plenum"]
    assert [e["url"] for e in plenary] == [MAIN, MAIN]
    west = conference["days"][0]["rooms"]["Raum West"]
    assert [e["url"] for e in west] == [MAIN]  # a linkless room: the main room's meeting
    rooms = {r["name"]: r for r in conference["rooms"]}
    assert rooms["Plenum"]["url"] == MAIN and rooms["Raum Nord"]["url"] == "https://zoom.example/j/111"


def test_schedule_json_without_any_link_still_validates() -> None:
    doc = frab_document(build_view(sample_event(), sample_plan()), "en")
    assert schema_errors(doc) == []
    plenary = doc["schedule"]["conference"]["days"][0]["rooms"]["Plenary"]
    assert all(e["url"] == f"urn:uuid:{e['guid']}" and e["links"] == [] for e in plenary)
    assert '"url": ""' not in json.dumps(doc)


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Vernetzungstreffen Zukunftszentren 2021", "vernetzungstreffen_zukunftszentren_2021"),
        ("Vernetzungstreffen", "vernetzungstreffen_2021"),
        (
            "Großes Treffen der Zukunftszentren aus allen ostdeutschen Ländern",
            "grosses_treffen_der_zukunftszentren_2021",
        ),
        ("KI", "ki_2021"),
        ("2021", "2021"),
        ("Treffen 2021 der Zentren", "treffen_der_zentren_2021"),
        (
            "Zukunftszentrumsvernetzungstreffenprogrammeröffnungsveranstaltung",
            "zukunftszentrumsvernetzungstreffenp_2021",
        ),
    ],
)
def test_acronym_is_a_clean_slug(name: str, acronym: str) -> None:
    event = dataclasses.replace(sample_event(), name=name)
    doc = frab_document(build_view(event, sample_plan()), "de")
    assert doc["schedule"]["conference"]["acronym"] == acronym
    assert schema_errors(doc) == []


# -- Zoom -----------------------------------------------------------------------------------------------------


def test_export_says_how_to_use_the_zoom_lists(tmp_path: Path) -> None:
    write_plan(tmp_path / "plan.json", sample_event(), sample_plan())
    result = CliRunner().invoke(app, ["export", str(tmp_path / "plan.json"), "--zoom", str(tmp_path / "zoom")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Hinweis: Zoom nimmt je Meeting nur eine Vorab-Zuteilung an." in out
    assert (
        "ein Zoom-Meeting je Zeitfenster (T1, T2, T3) mit seiner CSV-Datei (zoom-t1.csv für das Meeting von T1" in out
    )
    assert "Oder ein einziges Meeting (Hauptraum-Link) ohne Vorab-Zuteilung" in out
    assert "ihre Agenda nennt ihn" in out
