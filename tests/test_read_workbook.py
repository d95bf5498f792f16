"""Reading a valid event workbook: what comes out, and which tolerated oddities give which warning."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from scheduler.domain import Person, Room, Slot, Wish
from scheduler.io.records import Answer, RawRegistration
from scheduler.io.workbook import read_event
from scheduler.problems import InputError, Problem
from tests.workbooks import Sheets, minimal_sheets, write_workbook


def rendered(problems: list[Problem]) -> list[str]:
    return [p.render() for p in problems]


def test_minimal_workbook_is_read_completely(tmp_path: Path) -> None:
    event, warnings = read_event(write_workbook(tmp_path / "event.xlsx"))
    assert warnings == []
    assert (event.name, event.date, event.timezone, event.weights, event.wish_count) == (
        "Testtreffen", date(2021, 10, 6), "Europe/Berlin", None, 2,
    )  # fmt: skip
    assert event.slots == (
        Slot("P1", time(9, 0), time(9, 30), "plenary", "Eröffnung"),
        Slot("T1", time(9, 30), time(10, 30), "session", ""),
        Slot("T2", time(10, 45), time(11, 45), "session", ""),
        Slot("P2", time(12, 0), time(12, 30), "plenary", "Resümee"),
    )
    assert event.rooms == (
        Room("R1", "Raum 1", 10, "https://zoom.example/r1", frozenset({"Whiteboard"})),
        Room("R2", "Raum 2", 10, "https://zoom.example/r2"),
    )
    assert [(s.id, s.title, s.organisation, s.capacity) for s in event.sessions] == [
        ("S1", "KI im Unternehmen", "ZZ Nord", 8),
        ("S2", "KMU-Ansprache und -Beratung", "ZZ Süd", None),
        ("S3", "Digitale Lernangebote", "KWW", 6),
    ]
    assert event.person("dirk@d.example") == Person(
        "dirk@d.example", "Dirk Yılmaz", "dirk@d.example", "gsub", (Wish("S3", 1), Wish("S2", 2)), frozenset({"T2"})
    )


def test_hosts_host_only_by_name_and_by_email(tmp_path: Path) -> None:
    event, _ = read_event(write_workbook(tmp_path / "event.xlsx"))
    hosts = {s.id: s.hosts for s in event.sessions}
    assert hosts == {"S1": ("hanna@zz.example",), "S2": ("ben@b.example",), "S3": ("carla@kww.example",)}
    # Hanna did not register: she only hosts, with her session's organisation.
    assert event.person("hanna@zz.example") == Person(
        "hanna@zz.example", "Hanna Host", "hanna@zz.example", "ZZ Nord", participant=False
    )
    # Ben is matched by name, Carla by an e-mail in other case: both stay participants.
    assert event.person("ben@b.example").participant and event.person("carla@kww.example").participant
    assert [p.id for p in event.participants] == [
        "anna@a.example",
        "ben@b.example",
        "carla@kww.example",
        "dirk@d.example",
    ]


def test_one_host_only_person_hosting_two_sessions(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 3, "Gastgeber"): "Ben Berger; HANNA@zz.example"})
    event, _ = read_event(path)
    assert event.session("S2").hosts == ("ben@b.example", "hanna@zz.example")
    assert event.hosted_sessions["hanna@zz.example"] == ("S1", "S2")
    assert sum(p.id == "hanna@zz.example" for p in event.people) == 1


def test_wishes_by_id_exact_title_and_near_exact_title(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "event.xlsx",
        cells={
            ("Anmeldungen", 2, "Wunsch 1"): "s1",
            ("Anmeldungen", 2, "Wunsch 2"): "KMU-Ansprache und -Beratung",
            ("Anmeldungen", 3, "Wunsch 2"): "  digitale   lernangebote ",
            ("Anmeldungen", 4, "Wunsch 1"): "KMU Ansprache und Beratung",
        },
    )
    event, warnings = read_event(path)
    assert event.person("anna@a.example").wishes == (Wish("S1", 1), Wish("S2", 2))
    assert event.person("ben@b.example").wishes == (Wish("S1", 1), Wish("S3", 2))
    assert event.person("carla@kww.example").wishes == (Wish("S2", 1), Wish("S1", 2))
    assert rendered(warnings) == [
        'event.xlsx, Anmeldungen, Zeile 3, Spalte "Wunsch 2": "digitale lernangebote" als Session '
        '"Digitale Lernangebote" (S3) erkannt.',
        'event.xlsx, Anmeldungen, Zeile 4, Spalte "Wunsch 1": "KMU Ansprache und Beratung" als Session '
        '"KMU-Ansprache und -Beratung" (S2) erkannt.',
    ]


def test_duplicate_registration_later_row_wins(tmp_path: Path) -> None:
    row = [" Anna Mueller ", " ANNA@a.example ", "ZZ Nord", "S3", None, "T1"]
    event, warnings = read_event(write_workbook(tmp_path / "event.xlsx", rows={"Anmeldungen": [row]}))
    anna = event.person("anna@a.example")
    assert (anna.name, anna.wishes, anna.unavailable) == ("Anna Mueller", (Wish("S3", 1),), frozenset({"T1"}))
    assert len(event.participants) == 4
    assert rendered(warnings) == [
        'event.xlsx, Anmeldungen, Zeile 6, Spalte "E-Mail": anna@a.example ist doppelt angemeldet (Zeilen 2 und 6); '
        "es gilt Zeile 6. Löschen Sie Zeile 2, wenn das so richtig ist."
    ]


def test_times_as_excel_times_numbers_and_text(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "event.xlsx",
        cells={
            ("Zeitfenster", 2, "Beginn"): "9:00",
            ("Zeitfenster", 2, "Ende"): "09.30",
            ("Zeitfenster", 3, "Ende"): 0.4375,  # 10:30 as an unformatted Excel number
            ("Zeitfenster", 4, "Beginn"): " 10:45 ",
        },
    )
    event, _ = read_event(path)
    assert [(s.start, s.end) for s in event.ordered_slots] == [
        (time(9, 0), time(9, 30)),
        (time(9, 30), time(10, 30)),
        (time(10, 45), time(11, 45)),
        (time(12, 0), time(12, 30)),
    ]


def test_numbers_stored_as_text_and_settings(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Veranstaltung"] += [["Gewichte", "5, 3"]]
    sheets["Veranstaltung"][2][1] = "06.10.2021"
    path = write_workbook(
        tmp_path / "event.xlsx",
        sheets,
        cells={("Räume", 2, "Kapazität"): "12", ("Sessions", 2, "Minimum"): "3,0", ("Sessions", 3, "Durchläufe"): 2.0},
    )
    event, _ = read_event(path)
    assert (event.date, event.weights, event.weight(1), event.weight(2)) == (date(2021, 10, 6), (5, 3), 5, 3)
    assert event.room("R1").capacity == 12
    assert (event.session("S1").minimum, event.session("S2").runs) == (3, 2)


def english(sheets: Sheets) -> Sheets:
    """The same event with English sheet and column names, in odd case and with stray spaces."""
    names = {"Veranstaltung": " EVENT ", "Zeitfenster": "slots", "Räume": "Rooms ", "Sessions": "sessions"}
    names["Anmeldungen"] = "REGISTRATIONS"
    headers = {
        "Beginn": " start", "Ende": "END", "Art": "kind", "Titel": "Title ", "Kapazität": "capacity",
        "Merkmale": "Features", "Gastgeber": "HOSTS", "Dauer": "Duration", "Durchläufe": "Runs",
        "Zeitfenster": "Slot", "Raum": "Room", "Nicht in": "Not  in", "Beschreibung": "Description",
        "E-Mail": "email", "Wunsch 1": "Wish 1", "Wunsch 2": " wish 2 ", "Nicht verfügbar": "Unavailable",
    }  # fmt: skip
    result = {}
    for name, rows in sheets.items():
        header = [headers.get(h, h) for h in rows[0]] if name != "Veranstaltung" else ["Field", "Value"]
        result[names[name]] = [header, *rows[1:]]
    result[" EVENT "][1:] = [["name", "Test meeting"], ["Date", "2021-10-06"], ["Time zone", "Europe/London"]]
    return result


def test_english_names_any_case_and_spaces(tmp_path: Path) -> None:
    german, _ = read_event(write_workbook(tmp_path / "de.xlsx"))
    event, warnings = read_event(write_workbook(tmp_path / "en.xlsx", english(minimal_sheets())))
    assert warnings == []
    assert (event.name, event.date, event.timezone) == ("Test meeting", date(2021, 10, 6), "Europe/London")
    assert (event.slots, event.rooms, event.sessions, event.people) == (
        german.slots, german.rooms, german.sessions, german.people,
    )  # fmt: skip


def test_empty_rows_are_skipped_and_header_may_start_lower(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Räume"] = [[None], [None, "  "], *sheets["Räume"]]
    sheets["Anmeldungen"].insert(3, [None, None, None])
    event, warnings = read_event(write_workbook(tmp_path / "event.xlsx", sheets))
    assert warnings == []
    assert [r.id for r in event.rooms] == ["R1", "R2"]
    assert len(event.participants) == 4


def test_registration_without_email_and_unknown_column(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Anmeldungen"][0].append("Bemerkung")
    sheets["Anmeldungen"].append(["Eva  Engel", None, "gsub", "S2", None, None, "kommt später"])
    event, warnings = read_event(write_workbook(tmp_path / "event.xlsx", sheets))
    assert event.person("name:eva engel").name == "Eva Engel"
    assert rendered(warnings) == [
        'event.xlsx, Anmeldungen, Zeile 1, Spalte "Bemerkung": Die Spalte "Bemerkung" wird nicht verwendet. '
        "Prüfen Sie die Schreibweise der Überschrift.",
        'event.xlsx, Anmeldungen, Zeile 6, Spalte "E-Mail": Eva Engel hat keine E-Mail-Adresse. '
        "Ohne E-Mail gibt es keine Agenda per Mail und keine Zoom-Vorbelegung.",
    ]


def test_missing_event_sheet_defaults_to_file_name(tmp_path: Path) -> None:
    event, warnings = read_event(write_workbook(tmp_path / "sommertreffen.xlsx", drop=["Veranstaltung"]))
    assert (event.name, event.date, event.timezone) == ("sommertreffen", None, "Europe/Berlin")
    assert [p.severity for p in warnings] == ["warning"]


def test_host_who_wishes_own_session_is_warned(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 3, "Wunsch 2"): "S2"})
    _, warnings = read_event(path)
    assert rendered(warnings) == [
        'event.xlsx, Sessions, Zeile 3, Spalte "Gastgeber": Ben Berger leitet S2 und hat sich die Session auch '
        "gewünscht. Dieser Wunsch kann nicht erfüllt werden (die Person leitet die Session)."
    ]


def test_registrations_from_another_source(tmp_path: Path) -> None:
    """A form export's registrations replace the sheet and get the same matching and locations."""

    def raw(row: int, name: str, email: str, *wishes: str) -> RawRegistration:
        answers = {r: Answer(f"Frage [{r}]", w) for r, w in enumerate(wishes, start=1)}
        return RawRegistration(
            "forms.csv", "", row, Answer("Name", name), Answer("E-Mail", email), Answer("Org", ""), answers
        )

    raws = [raw(2, "Ben Berger", "ben@b.example", "KI im Unternehmen"), raw(3, "Zoe", "zoe@z.example", "KI im Betrieb")]
    with pytest.raises(InputError) as caught:
        read_event(write_workbook(tmp_path / "event.xlsx"), raws, wish_count=3)
    assert rendered(caught.value.errors) == [
        'forms.csv, Zeile 3, Spalte "Frage [1]": Session "KI im Betrieb" gibt es nicht. '
        'Meinten Sie "KI im Unternehmen" (S1)?'
    ]
    event, _ = read_event(write_workbook(tmp_path / "event.xlsx"), raws[:1], wish_count=3)
    assert (event.wish_count, [p.id for p in event.participants]) == (3, ["ben@b.example"])
