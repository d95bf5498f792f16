"""The blank event workbook (`scheduler template`): every sheet and column, explained, with dropdowns.

It is built from the same pieces as a written event (`scheduler.io.write_workbook`), so a template filled in
by hand reads exactly like an example written by the program.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.io.atomic import write_atomic
from scheduler.io.schema import REGISTRATIONS, ROOMS, SESSIONS, SLOTS, SheetSpec
from scheduler.io.write_workbook import (
    FIXED_STAMP,
    add_validations,
    column_names,
    event_fields_sheet,
    header_sheet,
    new_workbook,
    registration_columns,
    save_reproducibly,
)
from scheduler.text import Lang

WISHES = 5  # wish columns in the template; organisers add or delete columns as they need
ROWS = 500  # rows that carry dropdowns and checks

# Column widths for a blank sheet, where there is no content to fit the width to.
WIDTHS = {
    "title": 36,
    "hosts": 44,
    "organisation": 28,
    "name": 26,
    "email": 32,
    "link": 36,
    "features": 18,
    "description": 44,
    "not_in": 14,
    "unavailable": 18,
}
WISH_WIDTH = 30


def write_template(path: Path, lang: Lang = "de") -> None:
    """Write the blank event workbook; the same language always gives the same bytes."""
    workbook = template_workbook(lang)
    write_atomic(path, lambda tmp: save_reproducibly(workbook, tmp, FIXED_STAMP))


def template_workbook(lang: Lang = "de") -> Workbook:
    workbook = new_workbook()
    event = event_fields_sheet(workbook, {"timezone": "Europe/Berlin", "language": "de"}, lang)
    event.column_dimensions["A"].width, event.column_dimensions["B"].width = 14, 44
    event["B3"].number_format = "yyyy-mm-dd"
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True)
    dates.add("B3")
    event.add_data_validation(dates)
    for spec in (SLOTS, ROOMS, SESSIONS):
        _blank_sheet(workbook, spec, column_names(spec, lang), lang)
    _blank_sheet(workbook, REGISTRATIONS, registration_columns(WISHES, lang), lang)
    add_validations(workbook, lang, WISHES, rows=ROWS)
    return workbook


def _blank_sheet(workbook: Workbook, spec: SheetSpec, headers: list[str], lang: Lang) -> None:
    ws = header_sheet(workbook, spec, headers, lang)
    keys = {name: c.key for c in spec.columns for name in c.names}
    for i, header in enumerate(headers, start=1):
        key = keys.get(header, "wish")
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = WISH_WIDTH if key == "wish" else WIDTHS.get(key, max(10, len(header) + 4))
        if key in ("start", "end"):
            dimension.number_format = "hh:mm"
