"""Event workbooks for tests, built from Python lists; keyword overrides break exactly one thing.

`write_workbook(path)` writes a small valid event; `cells={("Räume", 2, "Kapazität"): "viele"}` changes one cell
(row as Excel shows it, column by its header in row 1; row 1 renames a header), `rows={"Sessions": [[...]]}`
appends rows, `drop=["Räume"]` leaves a sheet out, `drop_columns=[("Zeitfenster", "Ende")]` a column.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

import openpyxl

Sheets = dict[str, list[list[Any]]]

SESSION_HEADER = [
    "ID", "Titel", "Gastgeber", "Organisation", "Kapazität", "Minimum", "Dauer", "Durchläufe", "Merkmale",
    "Zeitfenster", "Raum", "Nicht in", "Beschreibung",
]  # fmt: skip

_SHEETS: Sheets = {
    "Veranstaltung": [
        ["Feld", "Wert"],
        ["Name", "Testtreffen"],
        ["Datum", date(2021, 10, 6)],
        ["Zeitzone", "Europe/Berlin"],
    ],
    "Zeitfenster": [
        ["ID", "Beginn", "Ende", "Art", "Titel"],
        ["P1", time(9, 0), time(9, 30), "Plenum", "Eröffnung"],
        ["T1", time(9, 30), time(10, 30), "Session", None],
        ["T2", time(10, 45), time(11, 45), "Session", None],
        ["P2", time(12, 0), time(12, 30), "Plenum", "Resümee"],
    ],
    "Räume": [
        ["ID", "Name", "Kapazität", "Link", "Merkmale"],
        ["R1", "Raum 1", 10, "https://zoom.example/r1", "Whiteboard"],
        ["R2", "Raum 2", 10, "https://zoom.example/r2", None],
    ],
    "Sessions": [
        SESSION_HEADER,
        ["S1", "KI im Unternehmen", "Hanna Host <hanna@zz.example>", "ZZ Nord", 8] + [None] * 8,
        ["S2", "KMU-Ansprache und -Beratung", "Ben Berger", "ZZ Süd", None] + [None] * 8,
        ["S3", "Digitale Lernangebote", "carla@kww.example", "KWW", 6] + [None] * 8,
    ],
    "Anmeldungen": [
        ["Name", "E-Mail", "Organisation", "Wunsch 1", "Wunsch 2", "Nicht verfügbar"],
        ["Anna Müller", "anna@a.example", "ZZ Nord", "S1", "S2", None],
        ["Ben Berger", "ben@b.example", "ZZ Süd", "S1", "S3", None],
        ["Carla Kurz", "Carla@KWW.example", "KWW", "S2", "S1", None],
        ["Dirk Yılmaz", "dirk@d.example", "gsub", "S3", "S2", "T2"],
    ],
}


def minimal_sheets() -> Sheets:
    """A fresh copy of the valid event: 2 plenary + 2 session slots, 2 rooms, 3 sessions, 4 registrations.

    Hosts: Hanna (host-only, by e-mail), Ben (registered, matched by name), Carla (registered, by e-mail).
    """
    return copy.deepcopy(_SHEETS)


def write_workbook(
    path: Path,
    sheets: Sheets | None = None,
    *,
    cells: Mapping[tuple[str, int, str], Any] | None = None,
    rows: Mapping[str, list[list[Any]]] | None = None,
    drop: Iterable[str] = (),
    drop_columns: Iterable[tuple[str, str]] = (),
) -> Path:
    data = minimal_sheets() if sheets is None else copy.deepcopy(sheets)
    for (sheet, row, header), value in (cells or {}).items():
        table = data[sheet]
        column = table[0].index(header)
        while len(table) < row:
            table.append([None] * len(table[0]))
        table[row - 1] += [None] * (column + 1 - len(table[row - 1]))
        table[row - 1][column] = value
    for sheet, extra in (rows or {}).items():
        data[sheet] += extra
    for sheet, header in drop_columns:
        column = data[sheet][0].index(header)
        data[sheet] = [r[:column] + r[column + 1 :] for r in data[sheet]]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    dropped = set(drop)
    for name, table in data.items():
        if name in dropped:
            continue
        sheet = workbook.create_sheet(name)
        for values in table:
            sheet.append(values)
    workbook.save(path)
    return path
