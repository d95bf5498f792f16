"""Every kind of bad event workbook: exit code 2, the problem named at its sheet, row and column, no traceback."""

from __future__ import annotations

import zipfile
from datetime import time
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from scheduler.cli import app
from tests.workbooks import minimal_sheets, write_workbook


def check(path: Path, *args: str) -> str:
    """Run `scheduler check`, assert it failed cleanly, return its output on one line."""
    result = CliRunner().invoke(app, ["check", str(path), *args])
    output = " ".join(result.output.split())
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return output


def test_not_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "event.xlsx"
    path.write_text("Name;E-Mail\nAnna;anna@a.example\n", encoding="utf-8")
    out = check(path)
    assert "event.xlsx: Die Datei ist keine Excel-Arbeitsmappe (.xlsx)." in out
    assert "Excel-Arbeitsmappe (.xlsx)" in out


def test_corrupt_xlsx(tmp_path: Path) -> None:
    whole = write_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "event.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "event.xlsx: Die Datei ist beschädigt und kann nicht gelesen werden." in check(path)


def test_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "event.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert "event.xlsx: Die Datei ist beschädigt" in check(path)


def test_password_protected(tmp_path: Path) -> None:
    path = tmp_path / "event.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    out = check(path, "--lang", "en")
    assert "event.xlsx: The file is password-protected or in the old Excel format (.xls)." in out
    assert "Remove the password or save the file as .xlsx." in out


def test_missing_file(tmp_path: Path) -> None:
    assert "nothere.xlsx: Die Datei gibt es nicht." in check(tmp_path / "nothere.xlsx")


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "event.xlsx"
    openpyxl.Workbook().save(path)
    assert "event.xlsx: Die Arbeitsmappe ist leer." in check(path)


def test_missing_sheet(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", drop=["Räume"]))
    assert 'event.xlsx, Räume: Das Blatt "Räume" fehlt. Legen Sie ein Blatt "Räume" (oder "Rooms") an.' in out


def test_missing_required_column(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", drop_columns=[("Zeitfenster", "Ende")]))
    assert 'Zeitfenster, Zeile 1, Spalte "Ende": Die Pflichtspalte "Ende" fehlt.' in out


def test_empty_required_cell(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 3, "Titel"): None}))
    assert 'Sessions, Zeile 3, Spalte "Titel": Die Zelle "Titel" ist leer. Dieser Wert ist Pflicht.' in out


def test_non_numeric_capacity(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Räume", 2, "Kapazität"): "viele"}))
    assert 'Räume, Zeile 2, Spalte "Kapazität": "viele" ist keine ganze Zahl.' in out


def test_end_before_start(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Zeitfenster", 3, "Ende"): time(9, 0)}))
    assert 'Zeitfenster, Zeile 3, Spalte "Ende": Das Ende 09:00 liegt nicht nach dem Beginn 09:30.' in out


def test_overlapping_slots(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Zeitfenster", 4, "Beginn"): "10:00"}))
    assert (
        'Zeitfenster, Zeile 4, Spalte "Beginn": Das Zeitfenster T2 (10:00–11:45) überschneidet sich mit T1 '
        "(09:30–10:30, Zeile 3)."
    ) in out


def test_duplicate_id(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Räume", 3, "ID"): "R1"}))
    assert 'Räume, Zeile 3, Spalte "ID": Die ID "R1" kommt doppelt vor. Der Raum in Zeile 2 hat dieselbe ID.' in out


def test_unknown_slot(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 2, "Nicht in"): "T1; T9"}))
    assert 'Sessions, Zeile 2, Spalte "Nicht in": Das Zeitfenster "T9" gibt es nicht. Bekannte Zeitfenster:' in out


def test_unknown_room(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 3, "Raum"): "R7"}))
    assert 'Sessions, Zeile 3, Spalte "Raum": Den Raum "R7" gibt es nicht. Bekannte Räume: R1, R2.' in out


def test_unknown_session(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 3, "Wunsch 2"): "KI im Betrieb"}))
    assert (
        'Anmeldungen, Zeile 3, Spalte "Wunsch 2": Session "KI im Betrieb" gibt es nicht. '
        'Meinten Sie "KI im Unternehmen" (S1)?'
    ) in out


def test_unknown_host(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 3, "Gastgeber"): "Bernd Berger"}))
    assert 'Sessions, Zeile 3, Spalte "Gastgeber": Gastgeber*in "Bernd Berger" ist nicht angemeldet.' in out
    assert 'Meinten Sie "Ben Berger"? Oder geben Sie die E-Mail-Adresse an' in out


def test_unknown_unavailable_slot(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 5, "Nicht verfügbar"): "T7"}))
    assert 'Anmeldungen, Zeile 5, Spalte "Nicht verfügbar": Das Zeitfenster "T7" gibt es nicht.' in out


def test_wish_repeated_by_one_person(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 2, "Wunsch 2"): "KI im Unternehmen"}))
    assert (
        'Anmeldungen, Zeile 2, Spalte "Wunsch 2": Session "KI im Unternehmen" (S1) ist schon in Spalte '
        '"Wunsch 1" gewünscht.'
    ) in out


def test_more_wish_columns_than_sessions(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Anmeldungen"][0] += ["Wunsch 3", "Wunsch 4"]
    out = check(write_workbook(tmp_path / "event.xlsx", sheets, cells={("Anmeldungen", 2, "Wunsch 4"): "S3"}))
    assert (
        'Anmeldungen, Zeile 1, Spalte "Wunsch 4": Es gibt 4 Wunschspalten, aber nur 3 Sessions. '
        'Löschen Sie die Spalten "Wunsch 4" bis "Wunsch 4"'
    ) in out


def test_fixed_slot_is_plenary(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 2, "Zeitfenster"): "P1"}))
    assert 'Sessions, Zeile 2, Spalte "Zeitfenster": Das Zeitfenster P1 ist ein Plenum.' in out


def test_session_longer_than_consecutive_session_slots(tmp_path: Path) -> None:
    out = check(write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 4, "Dauer"): 3}))
    assert (
        'Sessions, Zeile 4, Spalte "Dauer": Die Dauer 3 ist länger als die längste Folge aufeinanderfolgender '
        "Session-Zeitfenster (2)."
    ) in out


def test_every_problem_at_once_in_english(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "event.xlsx",
        cells={
            ("Zeitfenster", 3, "Beginn"): "halb zehn",
            ("Räume", 2, "Kapazität"): -3,
            ("Sessions", 2, "Durchläufe"): "zwei",
            ("Anmeldungen", 4, "Wunsch 1"): "S9",
        },
    )
    out = check(path, "--lang", "en")
    assert 'Zeitfenster, row 3, column "Beginn": "halb zehn" is not a time of day.' in out
    assert 'Räume, row 2, column "Kapazität": -3 is too small (at least 0).' in out
    assert 'Sessions, row 2, column "Durchläufe": "zwei" is not a whole number.' in out
    assert 'Anmeldungen, row 4, column "Wunsch 1": There is no session "S9".' in out
    assert "4 problem(s) found" in out
