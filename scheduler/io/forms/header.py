"""Find the header of an export and give every column one name, also under title rows and merged cells.

Exports edited by hand often have a title row above the table, or a group header merged over several columns
("Wünsche" over "1. Wahl", "2. Wahl", …). The header row is the first row with two or more distinct values;
a merged group header with labels below it becomes `Group [Label]`, the form Google Forms uses for grids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.io.cells import cell_text
from scheduler.io.forms.source import Grid, Merge, cell_is_empty
from scheduler.io.sheets import Row


@dataclass
class Export:
    """The export's columns (`headers`, as written, one per column) and its data rows (empty rows left out)."""

    file: str
    sheet: str
    header_row: int  # the last header row, as Excel shows it
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    empty_rows: list[int] = field(default_factory=list)  # empty rows between data rows


def read_export(file: str, grid: Grid) -> Export | None:
    """Header and rows, or None when no row looks like a header (fewer than two named columns)."""
    values = [list(r) for r in grid.rows]
    first = next((i for i, r in enumerate(values) if len({cell_text(v) for v in r if not cell_is_empty(v)}) >= 2), None)
    if first is None:
        return None
    last = _last_header_row(values, first, grid.merges)
    _fill_merges(values, grid.merges, first, last)
    width = max(len(r) for r in values[first : last + 1])
    headers = [_header(values, first, last, column) for column in range(width)]
    export = Export(file, grid.sheet, last + 1, _numbered_repeats(headers, grid.merges, first))
    data = values[last + 1 :]
    filled = [i for i, r in enumerate(data) if any(not cell_is_empty(v) for v in r)]
    end = filled[-1] if filled else -1
    for i, row in enumerate(data[: end + 1]):
        number = last + 2 + i
        if any(not cell_is_empty(v) for v in row):
            export.rows.append(Row(number, tuple(row)))
        else:
            export.empty_rows.append(number)
    return export


def _last_header_row(values: list[list[object]], first: int, merges: list[Merge]) -> int:
    """The header continues below `first` when a header cell is merged downwards, or when a group header is merged
    across columns and the next row has labels under the groups only (a data row would fill other columns too)."""
    starting = [m for m in merges if m[0] - 1 == first]
    last = max([first, *(m[2] - 1 for m in starting)])
    groups = [m for m in starting if m[3] > m[1] and m[2] - 1 == first]
    if not groups or first + 1 >= len(values):
        return last
    covered = {c for m in starting for c in range(m[1] - 1, m[3])}
    below = values[first + 1]
    labels = {c for c, v in enumerate(below) if not cell_is_empty(v)}
    under_groups = all(not cell_is_empty(below[c]) for m in groups for c in range(m[1] - 1, min(m[3], len(below))))
    if labels and labels <= covered and under_groups:
        last = max(last, first + 1)
    return last


def _fill_merges(values: list[list[object]], merges: list[Merge], first: int, last: int) -> None:
    """Every cell of a merged header range carries the range's value (Excel keeps it in the top-left cell only)."""
    for min_row, min_col, max_row, max_col in merges:
        if not (first <= min_row - 1 <= last):
            continue
        value = values[min_row - 1][min_col - 1] if min_col - 1 < len(values[min_row - 1]) else None
        for r in range(min_row - 1, min(max_row, last + 1)):
            row = values[r]
            row.extend([None] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = value


def _header(values: list[list[object]], first: int, last: int, column: int) -> str:
    parts: list[str] = []
    for r in range(first, last + 1):
        text = cell_text(values[r][column]) if column < len(values[r]) else ""
        if text and text not in parts:
            parts.append(text)
    if len(parts) >= 2:
        return f"{parts[0]} [{' '.join(parts[1:])}]"
    return parts[0] if parts else ""


def _numbered_repeats(headers: list[str], merges: list[Merge], first: int) -> list[str]:
    """A header merged across several columns without labels below: `Wünsche [1]`, `Wünsche [2]`, …"""
    result = list(headers)
    for min_row, min_col, max_row, max_col in merges:
        if min_row - 1 != first or max_col == min_col or max_row - 1 > first:
            continue
        columns = range(min_col - 1, max_col)
        if len({result[c] for c in columns if c < len(result)}) == 1:
            for n, c in enumerate(columns, start=1):
                if c < len(result):
                    result[c] = f"{result[c]} [{n}]"
    return result
