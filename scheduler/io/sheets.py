"""Open an .xlsx file safely and turn its sheets into rows keyed by column, with every problem located.

Whatever is wrong with the file (not an xlsx, corrupt, password-protected, empty, a sheet or column missing)
becomes a `Problem`, never a traceback.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from scheduler.io.schema import SheetSpec, normalise_name
from scheduler.problems import Problems, unreadable
from scheduler.text import Text

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted OOXML and old .xls files are OLE compound files
ZIP_MAGIC = b"PK\x03\x04"

Values = tuple[Any, ...]


@dataclass
class Book:
    """Every sheet's cell values, read once; sheet names as written in the file."""

    file: str
    sheets: dict[str, list[Values]]

    def find(self, spec: SheetSpec) -> str | None:
        """The sheet's name as written in the file, matched on the German or English name."""
        wanted = {normalise_name(n) for n in spec.names}
        return next((name for name in self.sheets if normalise_name(name) in wanted), None)


@dataclass
class Row:
    number: int  # as Excel shows it
    values: Values

    def get(self, index: int | None) -> Any:
        if index is None or index >= len(self.values):
            return None
        return self.values[index]


@dataclass
class Table:
    """One sheet as header and data rows; `columns` maps a known column key to its index."""

    sheet: str
    header_row: int
    headers: list[str]  # as written in the file, "" for an empty header cell
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.headers[self.columns[key]]

    def unknown_headers(self) -> list[tuple[int, str]]:
        """(index, header) of every named column that is not one of the sheet's known columns."""
        known = set(self.columns.values())
        return [(i, h) for i, h in enumerate(self.headers) if h and i not in known]


def open_book(path: Path, problems: Problems) -> Book | None:
    """Read every sheet's values, or report why the file cannot be read and return None."""
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
            if start.startswith(OLE_MAGIC):
                problems.error(
                    Text(
                        "Die Datei ist passwortgeschützt oder im alten Excel-Format (.xls).",
                        "The file is password-protected or in the old Excel format (.xls).",
                    ),
                    hint=Text(
                        "Entfernen Sie den Kennwortschutz bzw. speichern Sie die Datei als .xlsx.",
                        "Remove the password or save the file as .xlsx.",
                    ),
                )
                return None
            if not start.startswith(ZIP_MAGIC):
                problems.error(_NOT_XLSX, hint=_SAVE_AS_XLSX)
                return None
            handle.seek(0)
            return _read_all(path, handle, problems)
    except OSError as error:
        problems.error(unreadable(error))
    return None


_NOT_XLSX = Text("Die Datei ist keine Excel-Arbeitsmappe (.xlsx).", "The file is not an Excel workbook (.xlsx).")
_SAVE_AS_XLSX = Text(
    'Öffnen Sie sie in Excel oder LibreOffice und speichern Sie sie als "Excel-Arbeitsmappe (.xlsx)".',
    'Open it in Excel or LibreOffice and save it as "Excel Workbook (.xlsx)".',
)


def _read_all(path: Path, handle: Any, problems: Problems) -> Book | None:
    with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips; they do not matter here
        warnings.simplefilter("ignore")
        return _read_sheets(path, handle, problems)


def _read_sheets(path: Path, handle: Any, problems: Problems) -> Book | None:
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError):
        problems.error(
            Text("Die Datei ist beschädigt und kann nicht gelesen werden.", "The file is corrupt and cannot be read."),
            hint=_SAVE_AS_XLSX,
        )
        return None
    try:
        sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        problems.error(
            Text("Die Datei ist beschädigt und kann nicht gelesen werden.", "The file is corrupt and cannot be read."),
            hint=_SAVE_AS_XLSX,
        )
        return None
    finally:
        workbook.close()
    if not any(_non_empty(r) for rows in sheets.values() for r in rows):
        problems.error(
            Text("Die Arbeitsmappe ist leer.", "The workbook is empty."),
            hint=Text(
                "Legen Sie mit `scheduler template` eine Vorlage an und füllen Sie sie aus.",
                "Create a template with `scheduler template` and fill it in.",
            ),
        )
        return None
    return Book(path.name, sheets)


def _non_empty(values: Values) -> bool:
    return any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)


def find_sheet(book: Book, spec: SheetSpec, problems: Problems, *, required: bool = True) -> str | None:
    name = book.find(spec)
    if name is None and required:
        present = ", ".join(f'"{n}"' for n in book.sheets)
        de_alias = f' (oder "{spec.en}")' if spec.en != spec.de else ""
        en_alias = f' (or "{spec.de}")' if spec.en != spec.de else ""
        problems.error(
            Text(f'Das Blatt "{spec.de}" fehlt.', f'The sheet "{spec.en}"{en_alias} is missing.'),
            hint=Text(
                f'Legen Sie ein Blatt "{spec.de}"{de_alias} an. Vorhanden: {present}.',
                f'Add a sheet "{spec.en}"{en_alias}. Present: {present}.',
            ),
            sheet=spec.de,
        )
    return name


def read_table(book: Book, sheet: str, spec: SheetSpec, problems: Problems) -> Table | None:
    """Header (the first non-empty row) mapped to the spec's columns, then the non-empty data rows.

    Returns None when a required column is missing: the sheet's rows cannot be read without it.
    """
    rows = book.sheets[sheet]
    first = next((i for i, r in enumerate(rows) if _non_empty(r)), None)
    if first is None:
        return Table(sheet, 1, [])
    headers = ["" if v is None else " ".join(str(v).split()) for v in rows[first]]
    table = Table(sheet, first + 1, headers)
    by_name = {normalise_name(n): c.key for c in spec.columns for n in c.names}
    for index, header in enumerate(headers):
        key = by_name.get(normalise_name(header)) if header else None
        if key is None:
            continue
        if key in table.columns:
            problems.error(
                Text(f'Die Spalte "{header}" kommt doppelt vor.', f'The column "{header}" appears twice.'),
                hint=Text("Löschen oder benennen Sie eine der beiden um.", "Delete or rename one of them."),
                sheet=sheet,
                row=table.header_row,
                column=header,
            )
            continue
        table.columns[key] = index
    complete = True
    for column in spec.columns:
        if column.required and column.key not in table.columns:
            complete = False
            problems.error(
                Text(f'Die Pflichtspalte "{column.de}" fehlt.', f'The required column "{column.en}" is missing.'),
                hint=Text(
                    f'Fügen Sie in Zeile {table.header_row} eine Spalte "{column.de}" (oder "{column.en}") hinzu.',
                    f'Add a column "{column.en}" (or "{column.de}") in row {table.header_row}.',
                ),
                sheet=sheet,
                row=table.header_row,
                column=column.de,
            )
    if not complete:
        return None
    table.rows = [Row(first + 2 + i, r) for i, r in enumerate(rows[first + 1 :]) if _non_empty(r)]
    return table


def warn_unknown_columns(table: Table, problems: Problems, *, allowed: Collection[int] = ()) -> None:
    """A column nobody reads is most likely a typo in its header; say so instead of dropping it silently."""
    for index, header in table.unknown_headers():
        if index in allowed:
            continue
        problems.warn(
            Text(f'Die Spalte "{header}" wird nicht verwendet.', f'The column "{header}" is not used.'),
            hint=Text("Prüfen Sie die Schreibweise der Überschrift.", "Check the spelling of the header."),
            sheet=table.sheet,
            row=table.header_row,
            column=header,
            code="unused_column",
        )
