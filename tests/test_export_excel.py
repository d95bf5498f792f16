"""The plan workbook, opened again with openpyxl: sheets, headers, known cells, charts, text kept as text."""

from __future__ import annotations

import zipfile
from datetime import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from scheduler.export import labels
from scheduler.export.excel import write_plan_workbook
from scheduler.views import build_view
from tests.plan_fixtures import FORMULA_NAME, FORMULA_TITLE, sample_event, sample_plan

GERMAN_SHEETS = ["Übersicht", "Sessions", "Teilnehmende", "Raumlisten", "Statistik", "Hinweise"]
ENGLISH_SHEETS = ["Overview", "Sessions", "Participants", "Room lists", "Statistics", "Notes"]


def _write(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / f"plan-{lang}.xlsx"
    write_plan_workbook(build_view(sample_event(), sample_plan()), path, lang)  # type: ignore[arg-type]
    return path


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workbook]:
    path = _write(tmp_path_factory.mktemp("xlsx"), "de")
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return openpyxl.load_workbook(_write(tmp_path_factory.mktemp("xlsx"), "en"))


def _rows(book: Workbook, sheet: str) -> list[tuple[object, ...]]:
    return list(book[sheet].iter_rows(values_only=True))


def test_sheets_in_order(german: tuple[Path, Workbook], english: Workbook) -> None:
    assert [ws.title for ws in german[1].worksheets if ws.sheet_state == "visible"] == GERMAN_SHEETS
    assert [ws.title for ws in english.worksheets if ws.sheet_state == "visible"] == ENGLISH_SHEETS


def test_sessions_sheet_one_row_per_run(german: tuple[Path, Workbook]) -> None:
    book = german[1]
    rows = _rows(book, "Sessions")
    assert rows[0] == (
        "ID", "Durchlauf", "Titel", "Organisation", "Gastgeber*innen", "Zeitfenster", "Beginn", "Ende", "Raum",
        "Link", "Teilnehmende", "Kapazität", "Auslastung", "Wunsch 1", "Wunsch 2", "Wunsch 3", "Beschreibung",
    )  # fmt: skip
    assert [r[:2] for r in rows[1:]] == [("S01", 1), ("S02", 1), ("S04", 1), ("S03", 1), ("S05", 1), ("S04", 2)]
    s05 = rows[5]
    assert s05[2:6] == ("Weiterbildungsverbünde", "KWW", "Hanna Berg", "T2, T3")
    assert s05[6:8] == (time(11, 15), time(13, 15))
    assert s05[8:13] == ("Raum Süd", "https://zoom.example/j/222", 3, 3, 1.0)
    assert s05[13:16] == (1, 1, 1)  # wished first by Deniz, second by inj, third by Kim
    assert rows[1][16] == "KI-Werkzeuge im Betrieb." and s05[16] is None  # the description, where there is one
    s04 = rows[3]
    assert s04[9:13] == (None, 1, "unbegrenzt", None)  # no link, unlimited room
    sheet = book["Sessions"]
    assert sheet["G6"].number_format == "HH:MM"
    assert sheet["J6"].hyperlink is not None and sheet["J6"].hyperlink.target == "https://zoom.example/j/222"
    assert sheet["M6"].number_format == "0%"


def test_participants_sheet_is_ready_for_a_mail_merge(german: tuple[Path, Workbook]) -> None:
    rows = _rows(german[1], "Teilnehmende")
    assert rows[0] == (
        "Name", "E-Mail", "Organisation", "T1 Session", "T2 Session", "T3 Session", "Erfüllte Wünsche",
        "Fehlende Wünsche", "T1 Link", "T2 Link", "T3 Link",
    )  # fmt: skip
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Bernd Schulz"][3:] == (
        "Sie leiten: Lotsenberatung", FORMULA_TITLE, "Digitale Lernangebote", "2, 3", 0,
        "https://zoom.example/j/222", "https://zoom.example/j/111", "https://zoom.example/j/111",
    )  # fmt: skip
    assert (
        by_name["Małgorzata Nowak"][5:8] == ("nicht verfügbar", "1, 3", 0) and by_name["Małgorzata Nowak"][10] is None
    )
    assert by_name["Anna Müller"][6:8] == ("1, 2", 1)
    assert by_name["Hanna Berg"][6:8] == (None, None)  # hosts only: no wishes, no shortfall
    assert len(by_name) == 8
    assert german[1]["Teilnehmende"].print_area == "'Teilnehmende'!$A$1:$H$9"  # the print leaves out the links


def test_room_lists_and_overview(german: tuple[Path, Workbook]) -> None:
    book = german[1]
    lists = _rows(book, "Raumlisten")
    assert lists[0] == (
        "ID",
        "Titel",
        "Zeitfenster",
        "Beginn",
        "Raum",
        "Gastgeber*innen",
        "Name",
        "Organisation",
        "E-Mail",
    )
    assert [r[6] for r in lists[1:] if r[0] == "S04-2"] == ["Anna Müller", "Bernd Schulz"]
    overview = book["Übersicht"]
    assert [c.value for c in overview[1]] == ["Zeitfenster", "Beginn", "Ende", "Raum Nord", "Raum Süd", "Raum West"]
    assert overview["D2"].value == "Eröffnung" and "D2:F2" in {str(r) for r in overview.merged_cells.ranges}
    assert overview["D3"].value == "S01 KI im Unternehmen\nHanna Berg (KWW)\n2/4"
    assert overview["F3"].value == "S04-1 Digitale Lernangebote\nCarla Weiß (gsub)\n1"
    assert overview["B3"].value == time(10, 0)
    setup = overview.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 1)
    assert overview.sheet_properties.pageSetUpPr.fitToPage is True
    for name in ("Sessions", "Raumlisten"):  # long tables: one page wide, as many down as needed, header repeated
        setup = book[name].page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), name
        assert book[name].print_title_rows == "$1:$1", name


def test_list_sheets_have_bold_frozen_filtered_headers(german: tuple[Path, Workbook]) -> None:
    for name in ("Sessions", "Teilnehmende", "Raumlisten", "Hinweise"):
        sheet = german[1][name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:"), name
        assert all(c.font.b for c in sheet[1]), name
        assert sheet.column_dimensions["A"].width >= 6, name


def test_statistics_with_native_charts(german: tuple[Path, Workbook]) -> None:
    sheet = german[1]["Statistik"]
    rows = _rows(german[1], "Statistik")
    assert rows[0][0] == "Erfüllte Wünsche nach Rang"
    assert rows[1][:4] == ("Rang", "gewünscht", "erfüllt", "Anteil")
    assert [r[:3] for r in rows[2:5]] == [(1, 6, 4), (2, 6, 4), (3, 4, 3)]
    values = [r[:2] for r in rows]
    shortfall_at = values.index(("Fehlende Wünsche je Person", None))
    assert values[shortfall_at + 2 : shortfall_at + 4] == [(0, 3), (1, 3)]
    assert ("meiste fehlende Wünsche einer Person", 1) in values and ("gewichtete Wünsche", 23) in values
    assert ("Ende der Suche", "Beweis: kein Plan ist besser") in values
    assert len(sheet._charts) == 2


def test_notes_list_every_warning(german: tuple[Path, Workbook]) -> None:
    rows = _rows(german[1], "Hinweise")
    assert rows[0] == ("Art", "Datei", "Blatt", "Zeile", "Spalte", "Meldung", "Hinweis")
    assert rows[1][:5] == ("Warnung", "vernetzungstreffen.xlsx", "Anmeldungen", 7, "Wunsch 1")
    assert rows[2][5] == "1 Person(en) ohne E-Mail-Adresse: Kim Ohne Mail."


def test_formula_text_stays_text(german: tuple[Path, Workbook]) -> None:
    path, book = german
    values = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert FORMULA_NAME in values and FORMULA_TITLE in values
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)


def test_english_workbook_shows_no_german_label(english: Workbook) -> None:
    german = {t.de for t in labels.all_labels() if t.de != t.en} | {labels.wish(r).de for r in (1, 2, 3)}
    texts = [
        c.value
        for sheet in english
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and not (sheet.title == "Notes" and c.column_letter == "E")  # input's column
    ]
    found = [t for t in texts if t in german or t.split(":")[0] in german]
    assert found == []
    assert set(english.sheetnames).isdisjoint(german)
    assert english["Participants"]["D3"].value == "You host: Lotsenberatung"
