"""Cell writing for every workbook the program writes (the event workbook, the template, the plan workbook):
text stays text, times and dates are formatted, links are links, header rows and column widths look alike.

Text from the input is data: a value such as `=HYPERLINK(...)` or `@SUM(1)` is written as a string cell,
never as a formula, and characters XML cannot hold are dropped instead of breaking the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
PLENARY_FILL = PatternFill("solid", fgColor="EEEEEE")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TIME_FORMAT = "HH:MM"
DATE_FORMAT = "YYYY-MM-DD"
PERCENT_FORMAT = "0%"
MIN_WIDTH, MAX_WIDTH = 6, 50


@dataclass(frozen=True)
class Link:
    """A hyperlink cell: shows `text` (the URL itself when empty) and opens `url`."""

    url: str
    text: str = ""


@dataclass(frozen=True)
class Percent:
    value: float | None


Value = str | int | float | time | date | Link | Percent | None


def put(ws: Worksheet, row: int, column: int, value: Value) -> Cell | MergedCell:
    """Write one value with the type Excel should see."""
    cell = ws.cell(row=row, column=column)
    write_cell(cell, value)
    return cell


def write_cell(cell: Cell | MergedCell, value: Value) -> None:
    """One value into one cell: text as a text cell, times and dates formatted, links clickable."""
    if value is None or value == "":
        return
    if isinstance(value, Link):
        _text(cell, value.text or value.url)
        if value.url.startswith(("https://", "http://")):
            cell.hyperlink = value.url
            cell.style = "Hyperlink"
    elif isinstance(value, Percent):
        cell.value = value.value
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, str):
        _text(cell, value)
    else:
        cell.value = value
        if isinstance(value, time):
            cell.number_format = TIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT


def _text(cell: Cell | MergedCell, text: str) -> None:
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"  # never a formula, whatever the text begins with


def header(ws: Worksheet, row: int, names: Sequence[str], column: int = 1) -> None:
    for i, name in enumerate(names):
        cell = put(ws, row, column + i, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)


def table(ws: Worksheet, names: Sequence[str], rows: Iterable[Sequence[Value]]) -> None:
    """A list sheet: bold frozen header row, rows below, autofilter over all of it, fitted column widths."""
    header(ws, 1, names)
    count = 1
    for count, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(ws, count, column, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(count, 1)}"
    fit_widths(ws)


def rows_below_header(ws: Worksheet, rows: Iterable[Sequence[Value]]) -> None:
    """The rows of a list sheet below its header row."""
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)


def fit_widths(ws: Worksheet, *, skip_rows: Iterable[int] = (), wrap_long: bool = False) -> None:
    """Each column as wide as its longest line (within bounds), so nothing important is cut off; with
    `wrap_long`, a column whose text is longer than the widest column wraps below its header."""
    skipped = set(skip_rows)
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in skipped or cell.value is None or not isinstance(cell.column, int):
                continue
            shown = "00:00" if isinstance(cell.value, time) else str(cell.value)
            longest = max(len(line) for line in shown.splitlines()) if shown else 0
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        if wrap_long and width + 2 > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.alignment = TOP_WRAP
