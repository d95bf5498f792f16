"""Zoom breakout-room pre-assignment: one CSV per session slot and per networking round (rooms `Gruppe 01` …).

Zoom takes one set per meeting.

Exactly the header Zoom expects, `Pre-assign Room Name,Email Address`; hosts are assigned to their own room.
Room names are neutralised against formula injection as OWASP recommends, since organisers open these in
Excel, and a room name with a comma or a quote is quoted as RFC 4180 says, so it stays one cell. E-mail
addresses are written letter for letter, since Zoom matches them exactly (`+info@…` stays as it is); only an
address that passes the e-mail check is written at all, and a person with another one is left out and named,
so no text of a registration reaches the file unchecked.

Zoom's limits, from its support article "Pre-assigning meeting participants to breakout rooms"
(support.zoom.com, KB0061353): at most 100 rooms and 1,000 participants can be pre-assigned per meeting.
`zoom_limit_warnings` names every slot over a limit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scheduler.domain import Person
from scheduler.export import describe, labels
from scheduler.io.emails import is_email
from scheduler.io.folder import FolderWritten, write_folder
from scheduler.problems import Problem
from scheduler.text import Text
from scheduler.views import PlanView, RunView

HEADER = ("Pre-assign Room Name", "Email Address")
MAX_ROOMS = 100  # pre-assigned breakout rooms per meeting (Zoom KB0061353)
MAX_PREASSIGNED = 1000  # pre-assigned participants per meeting (Zoom KB0061353)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ZoomFiles:
    files: list[Path]
    without_email: list[Person]  # assigned in a slot but missing from the lists
    invalid_email: list[Person]  # left out: the address fails the e-mail check
    folder: FolderWritten


def write_zoom(view: PlanView, directory: Path, *, inputs: Iterable[Path] = ()) -> ZoomFiles:
    """One CSV per session slot and networking round in `directory`, written whole or not at all (`write_folder`)."""
    files: dict[str, bytes] = {}
    missing: dict[str, Person] = {}
    invalid: dict[str, Person] = {}
    for slot in view.event.session_slots:
        rows: list[tuple[str, str]] = []
        for run in view.runs_in(slot.id):
            for person in (*run.hosts, *run.attendees):
                if not person.email:
                    missing.setdefault(person.id, person)
                elif not is_email(person.email):
                    invalid.setdefault(person.id, person)
                else:
                    rows.append((room_name(run), person.email))
        files[describe.slot_file_name("zoom", slot.id, "csv", files)] = zoom_csv(rows).encode("utf-8")
    for rnd in view.networking:
        rows = []
        for group in rnd.groups:
            for person in group.members:
                if not person.email:
                    missing.setdefault(person.id, person)
                elif not is_email(person.email):
                    invalid.setdefault(person.id, person)
                else:
                    rows.append((labels.group_room(group.number)("de"), person.email))
        files[describe.slot_file_name("zoom", rnd.slot.id, "csv", files)] = zoom_csv(rows).encode("utf-8")
    written = write_folder(directory, files, inputs=inputs)
    return ZoomFiles(written.files, list(missing.values()), list(invalid.values()), written)


def room_name(run: RunView) -> str:
    """The breakout room's name: the digital room and the session title."""
    return f"{run.room.name}: {run.title}"


def zoom_csv(rows: Iterable[tuple[str, str]]) -> str:
    """The CSV text of (room name, e-mail) rows; the e-mails must have passed `is_email`."""
    buffer = io.StringIO()
    buffer.write(",".join(HEADER) + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        room, email = row
        writer.writerow([neutralise(room), email])
    return buffer.getvalue()


def neutralise(cell: str) -> str:
    """OWASP CSV injection: a cell that a spreadsheet could read as a formula gets a leading apostrophe."""
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell


def zoom_limit_warnings(view: PlanView) -> list[Problem]:
    """The slots whose lists go beyond what Zoom pre-assigns in one meeting."""
    warnings = []
    for slot in view.event.session_slots:
        runs = view.runs_in(slot.id)
        people = {p.id for run in runs for p in (*run.hosts, *run.attendees) if is_email(p.email)}
        if len(runs) > MAX_ROOMS or len(people) > MAX_PREASSIGNED:
            warnings.append(
                Problem(
                    Text(
                        f"Zeitfenster {slot.id}: {len(runs)} Räume und {len(people)} Personen; Zoom teilt je Meeting "
                        f"höchstens {MAX_ROOMS} Räume und {MAX_PREASSIGNED} Personen vorab zu.",
                        f"Slot {slot.id}: {len(runs)} rooms and {len(people)} people; Zoom pre-assigns at most "
                        f"{MAX_ROOMS} rooms and {MAX_PREASSIGNED} people per meeting.",
                    ),
                    Text(
                        "Die Liste auf mehrere Meetings aufteilen oder die übrigen im Meeting zuteilen.",
                        "Split the list over several meetings or assign the rest during the meeting.",
                    ),
                    severity="warning",
                )
            )
    return warnings
