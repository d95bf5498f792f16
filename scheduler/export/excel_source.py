"""What makes the plan workbook an editor: the plan it was written from, hidden in it, and dropdowns.

A very hidden sheet holds the plan file's JSON (in chunks below Excel's 32,767 characters per cell) with what
the editable cells showed when written, so `scheduler.io.plan_source` can tell the organiser's edits from the
plan and needs nothing but the workbook. A second very hidden sheet holds the dropdown lists: per run the slots
it can start in, the rooms, and per session slot the sessions that run there. The dropdowns warn about other
values but accept them (a session id typed by hand is fine); the reader judges every cell.
"""

from __future__ import annotations

import json
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.export import labels
from scheduler.io.plan_source import CHUNK, FORMAT, LISTS_SHEET, SOURCE_SHEET
from scheduler.io.planfile import plan_document
from scheduler.io.xlsx_cells import put
from scheduler.text import Lang
from scheduler.views import PlanView


def add_source(book: Workbook, view: PlanView, lang: Lang, changes: dict[str, Any] | None = None) -> None:
    """The hidden plan and the dropdowns, for a workbook whose Sessions and Teilnehmende sheets are written;
    `changes` (after a re-plan) is kept with the plan, so that its revision is known when the workbook is read."""
    sessions, people = book[labels.SESSIONS(lang)], book[labels.PARTICIPANTS(lang)]
    columns = _columns(view, lang)
    lists = _Lists(book.create_sheet(LISTS_SHEET))
    lists.ws.sheet_state = "veryHidden"
    _session_dropdowns(sessions, lists, view, columns["sessions"])
    _participant_dropdowns(people, lists, view, columns["participants"])
    doc = {
        "format": FORMAT,
        "lang": lang,
        "sheets": {"sessions": sessions.title, "participants": people.title},
        "columns": columns,
        "words": _words(),
        "runs": _run_cells(sessions, view, columns["sessions"]),
        "people": _person_cells(people, view, columns["participants"]),
        "plan": plan_document(view.event, view.plan, changes),
    }
    text = json.dumps(doc, ensure_ascii=True, separators=(",", ":"))  # ASCII only: nothing a cell cannot hold
    hidden = book.create_sheet(SOURCE_SHEET)
    hidden.sheet_state = "veryHidden"
    put(hidden, 1, 1, FORMAT)
    for i in range(0, len(text), CHUNK):
        put(hidden, 2 + i // CHUNK, 1, text[i : i + CHUNK])


def _columns(view: PlanView, lang: Lang) -> dict[str, Any]:
    """The headers of the cells the reader needs, as the workbook writes them."""
    slots = {s.id: f"{s.id} {labels.SESSION(lang)}" for s in view.event.session_slots}
    return {
        "sessions": {
            "id": labels.ID(lang),
            "run": labels.RUN(lang),
            "slot": labels.SLOT(lang),
            "room": labels.ROOM(lang),
        },
        "participants": {"name": labels.NAME(lang), "email": labels.EMAIL(lang), "slots": slots},
    }


def _words() -> dict[str, list[str]]:
    """Cell texts that mean "no session here", and the prefix of a hosting cell, in both languages."""
    return {
        "none": [labels.FREE("de"), labels.FREE("en"), labels.UNAVAILABLE("de"), labels.UNAVAILABLE("en")],
        "hosting": [f"{labels.HOSTING('de')}:", f"{labels.HOSTING('en')}:"],
    }


def _header_index(ws: Worksheet, name: str) -> int:
    return next(c.column for c in ws[1] if c.value == name)


def _run_cells(ws: Worksheet, view: PlanView, columns: dict[str, str]) -> list[dict[str, Any]]:
    slot, room = _header_index(ws, columns["slot"]), _header_index(ws, columns["room"])
    return [
        {
            "session": run.session.id,
            "run": run.run,
            "row": row,
            "slot": ws.cell(row, slot).value,
            "room": ws.cell(row, room).value,
        }
        for row, run in enumerate(view.runs, start=2)
    ]


def _person_cells(ws: Worksheet, view: PlanView, columns: dict[str, Any]) -> list[dict[str, Any]]:
    index = {slot: _header_index(ws, header) for slot, header in columns["slots"].items()}
    return [
        {
            "person": agenda.person.id,
            "row": row,
            "cells": {slot: ws.cell(row, column).value for slot, column in index.items()},
        }
        for row, agenda in enumerate(view.agendas, start=2)
    ]


class _Lists:
    """The very hidden sheet of dropdown lists, one column per list."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.columns = 0

    def add(self, values: list[str]) -> str:
        """Write `values` into the next column; the range a dropdown refers to."""
        self.columns += 1
        for row, value in enumerate(values, start=1):
            put(self.ws, row, self.columns, value)
        letter = get_column_letter(self.columns)
        return f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${max(len(values), 1)}"


def _dropdown(ws: Worksheet, source: str, letter: str, rows: list[int]) -> None:
    """A list dropdown on the rows of one column (contiguous rows as one range, so the file stays small)."""
    if not rows:
        return
    validation = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning")
    validation.error = "Dieser Wert steht nicht in der Liste. / This value is not in the list."
    ws.add_data_validation(validation)
    first = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        validation.add(f"{letter}{first}:{letter}{previous}" if previous > first else f"{letter}{first}")
        if row is not None:
            first = previous = row


def _session_dropdowns(ws: Worksheet, lists: _Lists, view: PlanView, columns: dict[str, str]) -> None:
    """Per run the start slots its duration allows (written as the slots it then covers), and every room."""
    event = view.event
    slot_letter = get_column_letter(_header_index(ws, columns["slot"]))
    room_letter = get_column_letter(_header_index(ws, columns["room"]))
    by_duration: dict[int, list[int]] = {}
    for row, run in enumerate(view.runs, start=2):
        by_duration.setdefault(run.session.duration, []).append(row)
    for duration, rows in sorted(by_duration.items()):
        starts = [", ".join(event.covered_slots(t, duration)) for t in event.start_slots(duration)]
        _dropdown(ws, lists.add(starts), slot_letter, rows)
    _dropdown(ws, lists.add([r.name for r in event.rooms]), room_letter, list(range(2, len(view.runs) + 2)))


def _participant_dropdowns(ws: Worksheet, lists: _Lists, view: PlanView, columns: dict[str, Any]) -> None:
    """Per session slot the titles of the sessions that run in it."""
    for slot, header in columns["slots"].items():
        titles = list(dict.fromkeys(run.title for run in view.runs if any(s.id == slot for s in run.slots)))
        letter = get_column_letter(_header_index(ws, header))
        _dropdown(ws, lists.add(titles), letter, list(range(2, len(view.agendas) + 2)))
