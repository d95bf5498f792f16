"""Open a form export as a grid of cell values: .xlsx (any form tool's Excel export) or .csv in whatever
encoding and separator the tool or German Excel wrote.

Every reason the file cannot be read becomes a located `Problem`, never a traceback.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from scheduler.io.odd_cells import clean, odd_value
from scheduler.io.sheets import OLE_MAGIC, ZIP_MAGIC, Book, OddCells, Values, open_book
from scheduler.problems import Problems, unreadable
from scheduler.text import Text

Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based, as openpyxl counts)


@dataclass
class Grid:
    """One sheet (or the CSV file) as rows of values; `sheet` is "" for a CSV file."""

    sheet: str
    rows: list[Values]
    merges: list[Merge]
    encoding: str = ""  # CSV only: the encoding it was read with
    delimiter: str = ""  # CSV only
    odd: OddCells = field(default_factory=dict)  # cells read as empty, reported where they are used


def load_grid(path: Path, problems: Problems, sheet: str | None = None) -> Grid | None:
    """The export's first non-empty sheet (or `sheet`), or None when the file cannot be read."""
    try:
        start = path.read_bytes()[:8]
    except OSError as error:
        problems.error(unreadable(error))
        return None
    if start.startswith(ZIP_MAGIC) or start.startswith(OLE_MAGIC):
        book = open_book(path, problems)
        return None if book is None else _pick_sheet(path, book, problems, sheet)
    return read_csv(path, problems)


def _pick_sheet(path: Path, book: Book, problems: Problems, wanted: str | None) -> Grid | None:
    names = list(book.sheets)
    if wanted is not None:
        name = next((n for n in names if n.strip().casefold() == wanted.strip().casefold()), None)
        if name is None:
            problems.error(
                Text(f'Das Blatt "{wanted}" fehlt.', f'The sheet "{wanted}" is missing.'),
                hint=Text(f"Vorhanden: {', '.join(names)}.", f"Present: {', '.join(names)}."),
            )
            return None
    else:
        name = next(n for n in names if any(_filled(r) for r in book.sheets[n]))  # open_book refuses empty books
    return Grid(name, book.sheets[name], _merges(path, name), odd=book.odd.get(name, {}))


def _filled(values: Values) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _merges(path: Path, sheet: str) -> list[Merge]:
    """Merged cell ranges; the fast read-only reading used for values does not keep them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(path, data_only=True)
        except Exception:  # the values were read already; without merges the header is still usable
            return []
    try:
        ranges = workbook[sheet].merged_cells.ranges
        return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ranges]
    finally:
        workbook.close()


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DELIMITERS = (";", ",", "\t")


MAX_CSV_BYTES = 200 * 1024 * 1024  # far beyond any registrations export; a larger file is most likely not one


def read_csv(path: Path, problems: Problems) -> Grid | None:
    """A CSV file: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), else cp1252; `;`, `,` or tab.

    Any size of field is read (Python's csv module stops at 128 KB by default); a field longer than Excel
    keeps in a cell is a located problem, as is a file too large to be a registrations export.
    """
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        problems.error(
            Text(f"Die Datei ist mit {size // 2**20} MB zu groß für einen Anmeldungs-Export.",
                 f"The file is too large for a registrations export ({size // 2**20} MB)."),
            hint=Text("Prüfen Sie, ob es die richtige Datei ist.", "Check that it is the right file."),
        )  # fmt: skip
        return None
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(
            Text("Die Datei ist weder eine Excel-Arbeitsmappe (.xlsx) noch eine CSV-Datei.",
                 "The file is neither an Excel workbook (.xlsx) nor a CSV file."),
            hint=Text("Exportieren Sie die Antworten als .xlsx oder .csv.", "Export the responses as .xlsx or .csv."),
        )  # fmt: skip
        return None
    text, encoding = _decode(data)
    csv.field_size_limit(max(len(text) + 1, 131072))  # any field of this file, however long, is read
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)
    try:
        raw = list(reader)
    except csv.Error as error:
        problems.error(
            Text(f"Die CSV-Datei ist in Zeile {reader.line_num} nicht lesbar ({error}).",
                 f"The CSV file cannot be read in line {reader.line_num} ({error})."),
            hint=Text("Exportieren Sie die Antworten neu.", "Export the responses again."),
        )  # fmt: skip
        return None
    odd: OddCells = {}
    rows: list[Values] = []
    for r, fields in enumerate(raw):
        row = []
        for c, value in enumerate(fields):
            value = clean(value)
            problem = odd_value(value)
            if problem is not None:
                odd[(r, c)] = problem
                value = ""
            row.append(value)
        rows.append(tuple(row))
    if not any(_filled(r) for r in rows):
        problems.error(Text("Die Datei ist leer.", "The file is empty."))
        return None
    return Grid("", rows, [], encoding, delimiter, odd)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the most, and most even, columns."""
    sample = text.splitlines()[:20]

    def score(delimiter: str) -> tuple[int, int]:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            return (0, 0)
        return (sum(w == widths[0] for w in widths) if widths[0] > 1 else 0, widths[0])

    return max(_DELIMITERS, key=score)


def cell_is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
