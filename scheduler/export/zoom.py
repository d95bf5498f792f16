"""Zoom breakout-room pre-assignment: one CSV per session slot and per networking round (rooms `Gruppe 01` …).

Zoom takes one set per meeting.

Exactly the header Zoom expects, `Pre-assign Room Name,Email Address`; hosts are assigned to their own room.
Cells are neutralised against formula injection as OWASP recommends, since organisers open these in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scheduler.domain import Person
from scheduler.export import describe, labels
from scheduler.io.atomic import write_text_atomic
from scheduler.views import PlanView, RunView

HEADER = ("Pre-assign Room Name", "Email Address")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ZoomFiles:
    files: list[Path]
    without_email: list[Person]  # assigned in a slot but missing from the lists


def write_zoom(view: PlanView, directory: Path, *, inputs: Iterable[Path] = ()) -> ZoomFiles:
    files = []
    missing: dict[str, Person] = {}
    for slot in view.event.session_slots:
        rows: list[tuple[str, str]] = []
        for run in view.runs_in(slot.id):
            for person in (*run.hosts, *run.attendees):
                if person.email:
                    rows.append((room_name(run), person.email))
                else:
                    missing.setdefault(person.id, person)
        path = directory / f"zoom-{describe.safe_slug(slot.id, 'slot')}.csv"
        write_text_atomic(path, zoom_csv(rows), inputs=inputs)
        files.append(path)
    for rnd in view.networking:
        rows = []
        for group in rnd.groups:
            for person in group.members:
                if person.email:
                    rows.append((labels.group_room(group.number)("de"), person.email))
                else:
                    missing.setdefault(person.id, person)
        path = directory / f"zoom-{describe.safe_slug(rnd.slot.id, 'slot')}.csv"
        write_text_atomic(path, zoom_csv(rows), inputs=inputs)
        files.append(path)
    return ZoomFiles(files, list(missing.values()))


def room_name(run: RunView) -> str:
    """The breakout room's name: the digital room and the session title."""
    return f"{run.room.name}: {run.title}"


def zoom_csv(rows: Iterable[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    buffer.write(",".join(HEADER) + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def neutralise(cell: str) -> str:
    """OWASP CSV injection: a cell that a spreadsheet could read as a formula gets a leading apostrophe."""
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell
