"""`scheduler check --anmeldungen EXPORT [--mapping FILE]`: the mapping shown, unused columns listed, exit codes;
and the organiser's mapping (TOML file or `Zuordnung` sheet) overriding every guess."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.domain import Wish
from scheduler.io.forms import load_event
from scheduler.problems import InputError
from tests.workbooks import write_workbook

HERE = Path(__file__).parent / "fixtures" / "forms"
# Two wish questions that no guess recognises as ranked, and an "Ihr Name" column next to a misleading "Name"
HEADER = "Zeitstempel;E-Mail-Adresse;Name;Ihr Name;Firma;Am liebsten;Danach;Kann nicht um"
ROWS = [
    "01.10.2021 09:00:00;ben@b.example;x;Ben Berger;ZZ Süd;S1;S3;",
    "02.10.2021 09:00:00;anna@a.example;x;Anna Müller;ZZ Nord;S2;S1;T1",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["check", *args])


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def custom_export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join([HEADER, *ROWS]), encoding="utf-8")
    return path


MAPPING = """
name = "Ihr Name"
organisation = "Firma"
wishes = ["Am liebsten", "Danach"]
unavailable = "Kann nicht um"
"""


def test_check_prints_mapping_and_unused_columns() -> None:
    result = run(str(HERE / "event.xlsx"),
                 "--anmeldungen", str(HERE / "limesurvey_codes.csv"), "--lang", "en")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Column mapping (limesurvey_codes.csv, recognised as LimeSurvey (export with question codes))" in out
    assert "Wish 1 wishes[1] header names the rank" in out
    assert 'Submitted submitdate column "submitdate" of LimeSurvey (export with question codes)' in out
    assert "Columns not used" in out
    for column in ("id", "lastpage", "startlanguage", "seed", "startdate", "datestamp"):
        assert f"{column} bookkeeping column of LimeSurvey" in out
    assert "The workbook is valid: 12 participants" in out


def test_check_in_german_by_default() -> None:
    result = run(str(HERE / "event.xlsx"), "--anmeldungen", str(HERE / "google_de.csv"))
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Zuordnung der Spalten (google_de.csv, erkannt als Google Forms (deutscher Export))" in out
    assert "Alle Spalten werden verwendet." in out
    assert 'Warnung: event.xlsx, Anmeldungen: Das Blatt "Anmeldungen" hat 12 Anmeldungen' in out


def test_mapping_file_overrides_the_guesses(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    event_path = write_workbook(tmp_path / "event.xlsx")
    result = run(
        str(event_path), "--anmeldungen", str(custom_export(tmp_path)), "--mapping", str(mapping), "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Name Ihr Name set in the mapping" in out
    assert "Wish 1 Am liebsten set in the mapping" in out and "Wish 2 Danach set in the mapping" in out
    assert "Name not mapped to any field" in out  # the misleading column is listed, not dropped
    event, _, _ = load_event(event_path, custom_export(tmp_path), mapping)
    anna = event.person("anna@a.example")
    assert (anna.name, anna.organisation, anna.wishes, anna.unavailable) == (
        "Anna Müller", "ZZ Nord", (Wish("S2", 1), Wish("S1", 2)), frozenset({"T1"})
    )  # fmt: skip


def test_zuordnung_sheet_overrides_the_guesses(tmp_path: Path) -> None:
    event_path = write_workbook(tmp_path / "event.xlsx")
    book = openpyxl.load_workbook(event_path)
    sheet = book.create_sheet("Zuordnung")
    for row in (["Feld", "Spalte"], ["Name", "Ihr Name"], ["Organisation", "Firma"], ["Wunsch", "Am liebsten"],
                ["Wunsch", "Danach"], ["Nicht verfügbar", "Kann nicht um"]):  # fmt: skip
        sheet.append(row)
    book.save(event_path)
    event, _, columns = load_event(event_path, custom_export(tmp_path), None)
    assert columns is not None
    assert [(label.de, header) for label, header, _ in columns.lines()][:4] == [
        ("Name", "Ihr Name"), ("E-Mail", "E-Mail-Adresse"), ("Organisation", "Firma"), ("Wunsch 1", "Am liebsten"),
    ]  # fmt: skip
    assert event.person("anna@a.example").wishes == (Wish("S2", 1), Wish("S1", 2))


def test_mapping_naming_a_missing_column_is_an_error(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('name = "Vollständiger Name"\nwishes = ["Am liebsten"]\n', encoding="utf-8")
    result = run(str(write_workbook(tmp_path / "event.xlsx")), "--anmeldungen", str(custom_export(tmp_path)),
                 "--mapping", str(mapping), "--lang", "en")  # fmt: skip
    assert result.exit_code == 2
    assert (
        'Error: export.csv, row 1, column "Vollständiger Name": The mapping names the column "Vollständiger Name" '
        'for "Name", which the export does not have. Columns present: "Zeitstempel", "E-Mail-Adresse", "Name", '
        '"Ihr Name", "Firma", "Am liebsten", "Danach", "Kann nicht um".'
    ) in flat(result.output)


def test_bad_mapping_file_is_an_error(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('nme = "Ihr Name"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_event(write_workbook(tmp_path / "event.xlsx"), custom_export(tmp_path), mapping)
    assert [p.render("en") for p in caught.value.errors] == [
        'mapping.toml: The field "nme" is unknown. Known fields: name, first_name, last_name, '
        "email, organisation, wishes, wish_grid, wish_choices, unavailable, submitted, sheet."
    ]


def test_mapping_without_export_is_an_error(tmp_path: Path) -> None:
    result = run(str(write_workbook(tmp_path / "event.xlsx")), "--mapping", "m.toml", "--lang", "en")
    assert result.exit_code == 2
    assert "--mapping only applies together with --anmeldungen." in flat(result.output)


def test_export_errors_exit_2_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Name;E-Mail;1. Wahl\r\nBen Berger;ben@b.example;S1\r\nAnna;anna@a.example;S7\r\n", "utf-8")
    result = run(str(write_workbook(tmp_path / "event.xlsx")), "--anmeldungen", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert 'Error: export.csv, row 3, column "1. Wahl": There is no session "S7".' in flat(result.output)
