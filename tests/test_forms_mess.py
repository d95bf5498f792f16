"""Real-world mess in form exports: each case gives a sensible result and a warning, or an error with row and column.

The event is the small one of tests/workbooks.py (sessions S1 "KI im Unternehmen", S2 "KMU-Ansprache und
-Beratung", S3 "Digitale Lernangebote"; slots T1, T2; host Ben Berger must register, he is named without e-mail).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scheduler.domain import Event, Wish
from scheduler.io.forms import load_event
from scheduler.problems import InputError
from tests.workbooks import write_workbook

HEADER = "Zeitstempel;E-Mail-Adresse;Name;Organisation;1. Wahl;2. Wahl;Nicht verfügbar"
BEN = "01.10.2021 09:00:00;ben@b.example;Ben Berger;ZZ Süd;S1;S3;"


def export(tmp_path: Path, *lines: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join([header, BEN, *lines]).encode(encoding))
    return path


def load(tmp_path: Path, path: Path, mapping: Path | None = None) -> tuple[Event, list[str]]:
    event, warnings, _ = load_event(write_workbook(tmp_path / "event.xlsx"), path, mapping)
    return event, [w.render("en") for w in warnings if "Anmeldungen" not in w.sheet]


def errors(tmp_path: Path, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(tmp_path, path)
    return [p.render("en") for p in caught.value.errors if p.file != "event.xlsx"]  # the export's own errors


def test_duplicate_submission_latest_timestamp_wins(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        "03.10.2021 12:00:00;anna@a.example;Anna Müller;ZZ Nord;S2;;",  # row 3: sent last
        "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S1;S3;",  # row 4: sent earlier
    )
    event, warnings = load(tmp_path, path)
    assert event.person("anna@a.example").wishes == (Wish("S2", 1),)
    assert warnings == [
        'export.csv, row 3, column "E-Mail-Adresse": anna@a.example registered twice (rows 4 and 3); row 3 is used. '
        "Delete row 4 if that is right."
    ]


def test_emails_with_spaces_and_upper_case(tmp_path: Path) -> None:
    event, warnings = load(tmp_path, export(tmp_path, "02.10.2021 08:00:00; Anna@A.Example ;Anna Müller;ZZ Nord;S1;;"))
    assert event.person("anna@a.example").email == "anna@a.example"
    assert warnings == []


def test_one_person_under_two_spellings_with_one_email(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S1;;",
        "02.10.2021 09:00:00;ANNA@a.example;Anna Mueller;ZZ Nord;S2;S1;",
    )
    event, warnings = load(tmp_path, path)
    assert [p.name for p in event.participants if p.email == "anna@a.example"] == ["Anna Mueller"]
    assert warnings == [
        'export.csv, row 4, column "E-Mail-Adresse": anna@a.example registered twice (rows 3 and 4); row 4 is used. '
        "Delete row 3 if that is right."
    ]


def test_empty_rows_are_skipped_and_named(tmp_path: Path) -> None:
    path = export(tmp_path, ";;;;;;", "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S1;;", "", ";;")
    event, warnings = load(tmp_path, path)
    assert len(event.participants) == 2
    assert warnings == ["export.csv: Empty rows are skipped: 3."]


@pytest.mark.parametrize("total", ["Summe;;;;;;", "Gesamt: 2;;;;;;", "Total;;;;;;", "2;;;;;;", ";;2;;0,0;;"])
def test_trailing_totals_row(tmp_path: Path, total: str) -> None:
    path = export(tmp_path, "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S1;;", total)
    event, warnings = load(tmp_path, path)
    assert len(event.participants) == 2
    assert len(warnings) == 1 and warnings[0].startswith("export.csv, row 4: Row 4 looks like a totals row (")


def test_merged_header_cells_in_xlsx(tmp_path: Path) -> None:
    """A merged title row, `Name` merged over two header rows, `Wünsche` merged over its rank labels."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["Anmeldungen Vernetzungstreffen"])
    ws.merge_cells("A1:E1")
    ws.append(["Name", "E-Mail", "Wünsche", None, "Nicht verfügbar"])
    ws.append([None, None, "1. Wahl", "2. Wahl", None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:E3")
    ws.append(["Ben Berger", "ben@b.example", "S1", "S3", None])
    ws.append(["Anna Müller", "anna@a.example", "Digitale Lernangebote", "S1", "T2"])
    workbook.save(tmp_path / "merged.xlsx")
    event, warnings = load(tmp_path, tmp_path / "merged.xlsx")
    anna = event.person("anna@a.example")
    assert anna.wishes == (Wish("S3", 1), Wish("S1", 2)) and anna.unavailable == frozenset({"T2"})
    assert all("Wünsche [1. Wahl]" not in w for w in warnings)


def test_numbers_stored_as_text_in_a_rank_grid(tmp_path: Path) -> None:
    header = "Zeitstempel;E-Mail-Adresse;Name;Sessions [KI im Unternehmen];Sessions [Digitale Lernangebote]"
    path = tmp_path / "grid.csv"
    rows = [header, "01.10.2021 09:00:00;ben@b.example;Ben Berger;1;2", "02.10.2021 09:00:00;a@a.example;Anna;2,0;1.0"]
    path.write_text("\r\n".join(rows), encoding="utf-8")
    event, _ = load(tmp_path, path)
    assert event.person("a@a.example").wishes == (Wish("S3", 1), Wish("S1", 2))
    assert event.wish_count == 2


def test_a_session_wished_twice_keeps_the_first(tmp_path: Path) -> None:
    path = export(tmp_path, "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;KI im Unternehmen;S1;")
    event, warnings = load(tmp_path, path)
    assert event.person("anna@a.example").wishes == (Wish("S1", 1),)
    assert warnings == [
        'export.csv, row 3, column "2. Wahl": "S1" is already wished in column "1. Wahl"; the first wish counts.'
    ]


@pytest.mark.parametrize("answer", ["keine Präferenz", "egal", "No preference"])
def test_no_preference_is_no_wish(tmp_path: Path, answer: str) -> None:
    path = export(tmp_path, f"02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S2;{answer};")
    event, warnings = load(tmp_path, path)
    assert event.person("anna@a.example").wishes == (Wish("S2", 1),)
    assert warnings == [f'export.csv, row 3, column "2. Wahl": "{answer}" is taken as no wish.']


def test_cp1252_and_tab_separated(tmp_path: Path) -> None:
    path = export(
        tmp_path, "02.10.2021 08:00:00;anna@a.example;Anna Müller;Zukunftszentrum Süd;S1;;", encoding="cp1252"
    )
    path.write_bytes(path.read_bytes().replace(b";", b"\t"))
    event, _ = load(tmp_path, path)
    assert event.person("anna@a.example").organisation == "Zukunftszentrum Süd"


def test_unknown_session_is_an_error_with_row_column_and_hint(tmp_path: Path) -> None:
    path = export(tmp_path, "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;KI im Betrieb;;")
    assert errors(tmp_path, path) == [
        'export.csv, row 3, column "1. Wahl": There is no session "KI im Betrieb". '
        'Did you mean "KI im Unternehmen" (S1)?'
    ]


def test_unknown_slot_is_an_error_with_row_and_column(tmp_path: Path) -> None:
    path = export(tmp_path, "02.10.2021 08:00:00;anna@a.example;Anna Müller;ZZ Nord;S1;;T9")
    assert errors(tmp_path, path) == [
        'export.csv, row 3, column "Nicht verfügbar": There is no slot "T9". Known slots: P1, T1, T2, P2.'
    ]


def test_unreadable_timestamp_is_a_warning(tmp_path: Path) -> None:
    path = export(tmp_path, "gestern;anna@a.example;Anna Müller;ZZ Nord;S1;;")
    _, warnings = load(tmp_path, path)
    assert warnings == [
        'export.csv, row 3, column "Zeitstempel": "gestern" is no readable time. For duplicates the later row counts.'
    ]


def test_export_without_wishes_is_an_error_naming_the_columns(tmp_path: Path) -> None:
    path = export(tmp_path, header="Zeitstempel;E-Mail-Adresse;Name;Organisation;Lieblingsfarbe;Essen;Sonstiges")
    (message,) = errors(tmp_path, path)
    assert message.startswith("export.csv, row 1: No column with session wishes found. Set them with --mapping")
    assert '"Lieblingsfarbe", "Essen", "Sonstiges"' in message


def test_not_an_export_at_all(tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert errors(tmp_path, path) == [
        "bild.csv: The file is neither an Excel workbook (.xlsx) nor a CSV file. Export the responses as .xlsx or .csv."
    ]
