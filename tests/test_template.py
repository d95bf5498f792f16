"""`scheduler template`: the blank event workbook, its explanations and dropdowns, and that it reads back."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Slot
from scheduler.io.template import template_workbook, write_template
from scheduler.io.workbook import read_event
from scheduler.text import Lang

GERMAN = {
    "Veranstaltung": ["Feld", "Wert"],
    "Zeitfenster": ["ID", "Beginn", "Ende", "Art", "Titel", "Link", "Gruppengröße"],
    "Räume": ["ID", "Name", "Kapazität", "Link", "Merkmale"],
    "Sessions": [
        *("ID", "Titel", "Gastgeber", "Organisation", "Kapazität", "Minimum", "Dauer", "Durchläufe", "Merkmale"),
        *("Zeitfenster", "Raum", "Nicht in", "Beschreibung"),
    ],
    "Anmeldungen": [
        *("Name", "E-Mail", "Organisation", "Wunsch 1", "Wunsch 2", "Wunsch 3", "Wunsch 4", "Wunsch 5"),
        "Nicht verfügbar",
        "Moderation",
    ],
}
ENGLISH = {
    "Event": ["Field", "Value"],
    "Slots": ["ID", "Start", "End", "Kind", "Title", "Link", "Group size"],
    "Rooms": ["ID", "Name", "Capacity", "Link", "Features"],
    "Sessions": [
        *("ID", "Title", "Hosts", "Organisation", "Capacity", "Minimum", "Duration", "Runs", "Features"),
        *("Slot", "Room", "Not in", "Description"),
    ],
    "Registrations": [
        *("Name", "Email", "Organisation", "Wish 1", "Wish 2", "Wish 3", "Wish 4", "Wish 5"),
        "Unavailable",
        "Moderator",
    ],
}


def run(*args: str) -> tuple[int, str]:
    """Exit code and output with rich's line wrapping undone."""
    result = CliRunner().invoke(app, ["template", *args])
    return result.exit_code, " ".join(result.output.split())


def validations(book: Workbook, sheet: str) -> dict[str, tuple[str | None, str | None, bool]]:
    """Cell range -> (type, formula, shows an error) of every data validation on the sheet."""
    ws = book[sheet]
    return {str(v.sqref): (v.type, v.formula1, bool(v.showErrorMessage)) for v in ws.data_validations.dataValidation}


@pytest.mark.parametrize(("lang", "layout"), [("de", GERMAN), ("en", ENGLISH)])
def test_every_sheet_with_its_headers_frozen_and_explained(tmp_path: Path, lang: str, layout: dict) -> None:
    path = tmp_path / "vorlage.xlsx"
    assert run(str(path), "--lang", lang)[0] == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(layout)
    for sheet, headers in layout.items():
        ws = book[sheet]
        assert [c.value for c in ws[1]] == headers
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        assert all(c.comment is not None and c.comment.text for c in ws[1]), sheet
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
        assert ws.max_row == (10 if sheet in ("Veranstaltung", "Event") else 1)


def test_event_sheet_lists_the_fields() -> None:
    ws = template_workbook("de")["Veranstaltung"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["Name", None],
        ["Datum", None],
        ["Zeitzone", "Europe/Berlin"],
        ["Gewichte", None],
        ["Hauptraum-Link", None],
        ["Kontakt", None],
        ["Sprache", "de"],
        ["Betreff", None],
        ["Absender", None],
    ]
    assert "5,4,3,2,1" in ws["A5"].comment.text
    assert "Plenum" in ws["A6"].comment.text and "jeder Agenda" in ws["A7"].comment.text


def test_dropdowns_refer_to_the_id_and_title_columns() -> None:
    book = template_workbook("de")
    slots, rooms, titles = "'Zeitfenster'!$A$2:$A$500", "'Räume'!$A$2:$A$500", "'Sessions'!$B$2:$B$500"
    assert validations(book, "Zeitfenster") == {"D2:D500": ("list", '"Session,Plenum,Vernetzung"', True)}
    assert validations(book, "Räume") == {"C2:C500": ("whole", "0", True)}
    assert validations(book, "Sessions") == {
        "E2:E500": ("whole", "0", True),
        "F2:F500": ("whole", "0", True),
        "G2:G500": ("whole", "1", True),
        "H2:H500": ("whole", "1", True),
        "J2:J500": ("list", slots, True),
        "K2:K500": ("list", rooms, True),
        "L2:L500": ("list", slots, False),  # several ids allowed: a suggestion, not a rule
    }
    assert validations(book, "Anmeldungen") == {
        "I2:I500": ("list", slots, False),
        "J2:J500": ("list", '"ja,nein"', False),
        "D2:H500": ("list", titles, False),
    }
    assert validations(book, "Veranstaltung") == {"B3": ("date", "1", True)}


def test_english_dropdowns_use_the_english_names() -> None:
    book = template_workbook("en")
    assert validations(book, "Slots")["D2:D500"] == ("list", '"Session,Plenary,Networking"', True)
    assert validations(book, "Sessions")["K2:K500"] == ("list", "'Rooms'!$A$2:$A$500", True)
    assert validations(book, "Registrations")["D2:H500"] == ("list", "'Sessions'!$B$2:$B$500", False)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.xlsx"
    path.write_bytes(b"my own data")
    code, output = run(str(path))
    assert code == 2
    assert output == f"Fehler: {path} gibt es schon; nichts geschrieben. Mit --force wird die Datei überschrieben."
    assert path.read_bytes() == b"my own data"
    code, output = run(str(path), "--force")
    assert code == 0
    assert output.startswith(f"Vorlage geschrieben: {path}.")
    assert openpyxl.load_workbook(path).sheetnames[0] == "Veranstaltung"


def test_a_folder_in_the_way_is_named_in_the_organisers_words(tmp_path: Path) -> None:
    folder = tmp_path / "vorlage.xlsx"
    folder.mkdir()
    code, output = run(str(folder), "--force")
    assert code == 2
    assert output == f"Fehler: {folder}: Das ist ein Ordner, keine Datei."  # not the operating system's English
    assert folder.is_dir() and not any(folder.iterdir())


def test_refuses_other_file_types(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "vorlage.csv"), "--lang", "en")
    assert code == 2
    assert output.endswith("the file name must end in .xlsx.")
    assert not (tmp_path / "vorlage.csv").exists()


def test_same_template_same_bytes(tmp_path: Path) -> None:
    write_template(tmp_path / "a.xlsx")
    write_template(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_filled_in_template_reads_as_an_event(tmp_path: Path, lang: Lang) -> None:
    """What an organiser types below the template's headers is what `read_event` reads."""
    path = tmp_path / "vorlage.xlsx"
    write_template(path, lang)
    book = openpyxl.load_workbook(path)
    event, slots, rooms, sessions, registrations = book.worksheets
    event["B2"], event["B3"] = "Mein Treffen", date(2024, 5, 2)
    slots.append(["P1", time(9), time(9, 30), "Plenum" if lang == "de" else "Plenary", "Eröffnung"])
    slots.append(["T1", time(9, 45), time(10, 45), "Session"])
    rooms.append(["R1", "Raum 1", 20, "https://zoom.example.org/j/1"])
    sessions.append(["S1", "KI im Unternehmen", "Hanna Host <hanna@example.org>", "ZZ Nord"])
    for i in range(2, 6):  # as many sessions as wish columns
        sessions.append([f"S{i}", f"Thema {i}", "hanna@example.org"])
    registrations.append(["Anna Ahn", "anna@example.org", "KWW", "KI im Unternehmen"])
    book.save(path)
    read, warnings = read_event(path)
    assert warnings == []
    assert (read.name, read.date, read.rank_count) == ("Mein Treffen", date(2024, 5, 2), 5)
    assert read.slots == (
        Slot("P1", time(9), time(9, 30), "plenary", "Eröffnung"),
        Slot("T1", time(9, 45), time(10, 45)),
    )
    assert [s.title for s in read.sessions] == ["KI im Unternehmen", "Thema 2", "Thema 3", "Thema 4", "Thema 5"]
    assert [(p.id, p.participant, [w.session for w in p.wishes]) for p in read.people] == [
        ("anna@example.org", True, ["S1"]),
        ("hanna@example.org", False, []),
    ]
