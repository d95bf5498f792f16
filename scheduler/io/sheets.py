"""Open an .xlsx file safely and turn its sheets into rows keyed by column, with every problem located.

Whatever is wrong with the file (not an xlsx, corrupt, password-protected, empty, a sheet or column missing)
becomes a `Problem`, never a traceback. Every text is cleaned of invisible characters as it is read; a cell
holding an error value, a formula without a stored value or too much text is read as empty and kept in
`Book.odd`, so whichever reader uses that cell reports it at its place (`report_odd_cells`).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException

from scheduler.io.odd_cells import OddCell, clean_value, formula_without_value, odd_value
from scheduler.io.schema import SheetSpec, normalise_name
from scheduler.problems import Problems, unreadable
from scheduler.text import Text

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted OOXML and old .xls files are OLE compound files
ZIP_MAGIC = b"PK\x03\x04"

Values = tuple[Any, ...]


OddCells = dict[tuple[int, int], OddCell]  # (row index, column index), both from 0 -> why it is not read


@dataclass
class Book:
    """Every sheet's cell values, read once; sheet names as written in the file."""

    file: str
    sheets: dict[str, list[Values]]
    odd: dict[str, OddCells] = field(default_factory=dict)  # sheet -> cells read as empty, see `report_odd_cells`

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
        sheets = {ws.title: _rows(ws) for ws in workbook.worksheets}
        parts = {ws.title: getattr(ws, "_worksheet_path", "") for ws in workbook.worksheets}  # not public in openpyxl
        formulas = _formulas_without_value(handle, parts)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, TypeError, OSError, EOFError):
        problems.error(
            Text("Die Datei ist beschädigt und kann nicht gelesen werden.", "The file is corrupt and cannot be read."),
            hint=_SAVE_AS_XLSX,
        )
        return None
    finally:
        workbook.close()
    odd: dict[str, OddCells] = {}
    for title, rows in sheets.items():
        sheets[title], odd[title] = _honest(rows, formulas.get(title, {}))
    if not any(_non_empty(r) for rows in sheets.values() for r in rows):
        problems.error(
            Text("Die Arbeitsmappe ist leer.", "The workbook is empty."),
            hint=Text(
                "Legen Sie mit `scheduler template` eine Vorlage an und füllen Sie sie aus.",
                "Create a template with `scheduler template` and fill it in.",
            ),
        )
        return None
    return Book(path.name, sheets, odd)


def _rows(sheet: Any) -> list[Values]:
    """The sheet's rows as far as each has cells, whatever size the file claims for the sheet.

    The size a file states (its `dimension`, e.g. A1:XFD1048576 after one stray cell) would pad every row to
    16,384 columns; not trusting it keeps a small file with one far-away cell small to read.
    """
    sheet.reset_dimensions()
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
Formulas = dict[tuple[int, int], str]  # (row index, column index) -> formula text ("" for a shared formula)


def _formulas_without_value(handle: Any, parts: dict[str, str]) -> dict[str, Formulas]:
    """Sheet title -> every formula cell that holds no stored value (files written by scripts never hold one).

    `parts` maps each sheet's title to its part in the file. openpyxl reads a formula cell without a stored
    value as empty and hides the difference, so the parts holding a formula are read here once more, as XML.
    """
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        return {
            title: _unvalued(archive, part)
            for title, part in parts.items()
            if part in names and _FORMULA_TAG.search(archive.read(part))
        }


def _unvalued(archive: zipfile.ZipFile, part: str) -> Formulas:
    """The formula cells of one sheet part without a stored value.

    A stored value is a non-empty `<v>`, or any `<v>` of a text result (`t="str"`, Excel's empty text "").
    """
    found: Formulas = {}
    row = col = -1
    formula: str | None = None
    value = ""
    kind = ""
    for event, element in ElementTree.iterparse(archive.open(part), events=("start", "end")):
        tag = element.tag.rpartition("}")[2]
        if event == "start" and tag == "row":
            row = int(element.get("r") or row + 2) - 1
            col = -1
        elif event == "start" and tag == "c":
            ref = element.get("r")
            number, letter = coordinate_to_tuple(ref) if ref else (row + 1, col + 2)
            row, col = number - 1, letter - 1
            formula, value, kind = None, "", element.get("t", "n")
        elif event == "end" and tag == "f":
            formula = element.text or ""
        elif event == "end" and tag == "v":
            value = element.text or ("" if kind != "str" else "text")
        elif event == "end" and tag == "c":
            if formula is not None and not value:
                found[(row, col)] = f"={formula}" if formula else ""
            element.clear()
    return found


def _honest(rows: list[Values], formulas: Formulas) -> tuple[list[Values], OddCells]:
    """The rows with every text cleaned, and the cells that cannot be read honestly (then read as empty)."""
    odd: OddCells = {}
    result = []
    for r, values in enumerate(rows):
        cleaned = []
        for c, value in enumerate(values):
            value = clean_value(value)
            problem = odd_value(value)
            if problem is None and value is None and (r, c) in formulas:
                problem = formula_without_value(formulas[(r, c)])
            if problem is not None:
                odd[(r, c)] = problem
                value = None
            cleaned.append(value)
        result.append(tuple(cleaned))
    return result, odd


def report_odd_cells(
    odd: OddCells, problems: Problems, *, sheet: str = "", columns: dict[int, str] | None = None, first_row: int = 0
) -> None:
    """Report each odd cell that is read: in `columns` (index -> shown name) or, without it, any column.

    `first_row` is the index of the first row read; rows are shown as Excel numbers them.
    """
    for (r, c), cell in sorted(odd.items()):
        if r < first_row or (columns is not None and c not in columns):
            continue
        column = columns[c] if columns is not None and columns[c] else get_column_letter(c + 1)
        problems.error(cell.message, hint=cell.hint, sheet=sheet, row=r + 1, column=column)


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
    used = {i: headers[i] for i in table.columns.values()}
    report_odd_cells({k: v for k, v in book.odd.get(sheet, {}).items() if k[0] != first}, problems, sheet=sheet,
                     columns=used, first_row=first)  # fmt: skip
    report_odd_cells({k: v for k, v in book.odd.get(sheet, {}).items() if k[0] == first}, problems, sheet=sheet)
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
