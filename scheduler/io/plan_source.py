"""A plan from a plan file or from a plan workbook the organiser edited, with the edits found.

The plan workbook carries the plan it was written from in a very hidden sheet (`scheduler.export.excel_source`),
with what its editable cells showed. Reading compares the cells with that: a run's slot or room changed in
`Sessions` is a `RunPin` (its attendees move with it), a session changed in a `Teilnehmende` slot cell is a
`SeatPin`. Edits are applied to the plan as written, so `verify` judges the edited plan and can point each
broken rule back to the cell (`PlanSource.locate`); `plan --previous` keeps the edits as pins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.domain import Event, Person
from scheduler.io.cells import cell_text
from scheduler.io.json_reader import JsonReader
from scheduler.io.matching import SessionMatcher, match_slot
from scheduler.io.planfile import FORMAT as PLAN_FORMAT
from scheduler.io.planfile import plan_from_document, read_plan, read_revision, revision_of
from scheduler.io.registrations import name_key
from scheduler.io.sheets import ZIP_MAGIC, Book, open_book
from scheduler.plan import HandEdits, Objective, Plan, Run, RunPin, SeatPin
from scheduler.problems import InputError, Problems, unreadable
from scheduler.text import Lang, Text
from scheduler.validate import Violation, score

SOURCE_SHEET = "scheduler_plan"
LISTS_SHEET = "scheduler_lists"
FORMAT = "scheduler-plan-workbook/1"
CHUNK = 30_000  # characters per cell of the hidden sheet, below Excel's limit of 32,767

# Rules whose violation points at a person's slot cell in `Teilnehmende`; every other one at a run in `Sessions`.
PERSON_RULES = frozenset(
    {
        "attendee_double_booked",
        "session_twice",
        "attendee_unavailable",
        "agenda_incomplete",
        "host_attending",
        "not_a_participant",
        "unknown_person",
        "fixed_attendance",
    }
)
# Run rules about the room; the others point at the run's slot cell.
ROOM_RULES = frozenset(
    {"room_double_booked", "fixed_room", "room_features", "over_capacity", "under_minimum", "unknown_room"}
)


@dataclass(frozen=True)
class Cell:
    """Where something is in the plan workbook, as Excel shows it."""

    sheet: str
    row: int
    column: str

    def text(self, lang: Lang = "de") -> str:
        row, column = ("row", "column") if lang == "en" else ("Zeile", "Spalte")
        return f'{self.sheet}, {row} {self.row}, {column} "{self.column}"'


@dataclass(frozen=True)
class CellMap:
    """Rows of the runs and the people, and the headers of the editable columns, as found in the workbook."""

    sessions_sheet: str
    participants_sheet: str
    slot_column: str
    room_column: str
    name_column: str
    slot_columns: dict[str, str]  # session slot id -> header of its session column in Teilnehmende
    run_rows: dict[tuple[str, int], int] = field(default_factory=dict)
    person_rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanSource:
    """The event and plan read from a plan file or a plan workbook; `plan` is as edited, `written` as written."""

    file: str
    event: Event
    plan: Plan
    written: Plan
    edits: HandEdits = field(default_factory=HandEdits)
    cells: CellMap | None = None
    revision: int = 0  # how often the plan was re-planned (`changes.revision`): calendar entries carry it

    def locate(self, violation: Violation) -> Cell | None:
        """The workbook cell a rule violation is about (None for a plan file or when nothing fits)."""
        if self.cells is None:
            return None
        if violation.rule in PERSON_RULES:
            return self._person_cell(violation.ids)
        return self._run_cell(violation.rule, violation.ids)

    def _person_cell(self, ids: tuple[str, ...]) -> Cell | None:
        cells = self.cells
        assert cells is not None
        person = next((i for i in ids if i in cells.person_rows), None)
        if person is None:
            return None
        slots = [i for i in ids if i in cells.slot_columns]
        named = set(ids)
        if not slots:  # the slot where the person attends a session named, else where one of them runs
            slots = [t for r in self.plan.runs if r.session in named and person in r.attendees for t in r.slots]
        if not slots:
            slots = [t for r in self.plan.runs if r.session in named for t in r.slots if t in cells.slot_columns]
        column = cells.slot_columns[slots[0]] if slots else cells.name_column
        return Cell(cells.participants_sheet, cells.person_rows[person], column)

    def _run_cell(self, rule: str, ids: tuple[str, ...]) -> Cell | None:
        cells = self.cells
        assert cells is not None
        named = set(ids)
        runs = [r for r in self.plan.runs if r.session in named and (r.session, r.run) in cells.run_rows]
        for narrower in (
            [r for r in runs if named & set(r.slots)],
            [r for r in runs if r.room in named],
        ):
            runs = narrower or runs
        moved = {(p.session, p.run) for p in self.edits.runs}
        runs.sort(key=lambda r: (r.session, r.run) not in moved)
        if not runs:
            return None
        column = cells.room_column if rule in ROOM_RULES else cells.slot_column
        return Cell(cells.sessions_sheet, cells.run_rows[runs[0].session, runs[0].run], column)


def read_plan_source(path: Path) -> PlanSource:
    """A plan file (.json) or a plan workbook (.xlsx), told apart by content; InputError with every problem."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            workbook = handle.read(4) == ZIP_MAGIC
    except OSError as error:
        problems = Problems(file=path.name)
        problems.error(unreadable(error))
        raise InputError(problems.items) from None
    if not workbook:
        event, plan = read_plan(path)
        return PlanSource(path.name, event, plan, plan, revision=read_revision(path))
    return _Workbook(path).read()


class _Workbook:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = Problems(file=path.name)

    def read(self) -> PlanSource:
        book = open_book(self.path, self.problems)
        if book is None:
            raise InputError(self.problems.items)
        doc = self._hidden_document(book)
        reader = JsonReader(self.path.name)
        try:
            event, written = plan_from_document(reader, doc["plan"])
        except InputError as err:
            self.problems.error(_DAMAGED, hint=_WRITE_AGAIN)
            raise InputError(self.problems.items + err.problems) from None
        return _Edits(self.path.name, book, doc, event, written, self.problems).read()

    def _hidden_document(self, book: Book) -> dict[str, Any]:
        rows = book.sheets.get(SOURCE_SHEET)
        if rows is None or not rows or not rows[0] or rows[0][0] != FORMAT:
            self.problems.error(
                Text(
                    "Diese Arbeitsmappe ist keine Planmappe von scheduler: ihr fehlt der mitgespeicherte Plan.",
                    "This workbook is not a scheduler plan workbook: it lacks the plan stored with it.",
                ),
                hint=Text(
                    "Geben Sie die Plandatei (.json) an oder eine Planmappe, die `scheduler plan -o` oder "
                    "`scheduler export --xlsx` geschrieben hat (ältere Planmappen enthalten den Plan noch nicht).",
                    "Give the plan file (.json) or a plan workbook written by `scheduler plan -o` or "
                    "`scheduler export --xlsx` (older plan workbooks do not contain the plan yet).",
                ),
            )
            raise InputError(self.problems.items)
        text = "".join(str(r[0]) for r in rows[1:] if r and r[0] is not None)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None
        if (
            not isinstance(doc, dict)
            or not isinstance(doc.get("plan"), dict)
            or doc["plan"].get("format") != PLAN_FORMAT
        ):
            self.problems.error(_DAMAGED, hint=_WRITE_AGAIN, sheet=SOURCE_SHEET)
            raise InputError(self.problems.items)
        return doc


_DAMAGED = Text(
    "Der in der Planmappe mitgespeicherte Plan ist beschädigt.",
    "The plan stored in the plan workbook is damaged.",
)
_WRITE_AGAIN = Text(
    "Schreiben Sie die Planmappe neu: `scheduler export plan.json --xlsx plan.xlsx`.",
    "Write the plan workbook again: `scheduler export plan.json --xlsx plan.xlsx`.",
)


class _Edits:
    """Reads the editable cells, compares them with what was written, and applies the edits to the plan."""

    def __init__(
        self, file: str, book: Book, doc: dict[str, Any], event: Event, written: Plan, problems: Problems
    ) -> None:
        self.file = file
        self.book = book
        self.doc = doc
        self.event = event
        self.written = written
        self.problems = problems
        self.words = doc.get("words", {})
        self.runs: dict[tuple[str, int], Run] = {(r.session, r.run): r for r in written.runs}

    def read(self) -> PlanSource:
        columns = self.doc["columns"]
        sheets = self.doc["sheets"]
        run_pins, run_rows = self._run_edits(sheets["sessions"], columns["sessions"])
        for pin in run_pins:
            run = self.runs[pin.session, pin.run]
            duration = self.event.session(pin.session).duration
            self.runs[pin.session, pin.run] = replace(
                run, slots=self.event.covered_slots(pin.slot, duration), room=pin.room
            )
        seat_pins, person_rows = self._seat_edits(sheets["participants"], columns["participants"])
        self.problems.raise_if_errors()
        self._seat(seat_pins)
        edits = HandEdits(tuple(run_pins), tuple(seat_pins))
        cells = CellMap(
            sheets["sessions"],
            sheets["participants"],
            columns["sessions"]["slot"],
            columns["sessions"]["room"],
            columns["participants"]["name"],
            dict(columns["participants"]["slots"]),
            run_rows,
            person_rows,
        )
        plan = self.written
        if edits.runs or edits.seats:
            runs = tuple(self.runs[r.session, r.run] for r in self.written.runs)
            edited = replace(self.written, runs=runs, stated_agendas=None)  # the agendas follow the edited runs
            recomputed = score(self.event, edited)
            bound = max(self.written.objective.weighted_bound, recomputed.weighted)
            plan = replace(edited, objective=Objective(recomputed.max_shortfall, recomputed.weighted, bound))
        return PlanSource(self.file, self.event, plan, self.written, edits, cells, revision_of(self.doc["plan"]))

    # -- reading the sheets --------------------------------------------------------------------------

    def _sheet(self, name: str) -> tuple[list[tuple[Any, ...]], dict[str, int]] | None:
        """The sheet's rows and its header -> column index, or None (reported) when it is missing."""
        rows = self.book.sheets.get(name)
        if rows is None:
            self.problems.error(
                Text(f'Das Blatt "{name}" fehlt in der Planmappe.', f'The sheet "{name}" is missing.'),
                hint=Text("Benennen Sie das Blatt nicht um.", "Do not rename the sheet."),
                sheet=name,
            )
            return None
        header = {cell_text(v): i for i, v in enumerate(rows[0] if rows else ()) if v is not None}
        return rows, header

    def _index(self, sheet: str, header: dict[str, int], name: str) -> int | None:
        if name not in header:
            self.problems.error(
                Text(f'Die Spalte "{name}" fehlt.', f'The column "{name}" is missing.'),
                hint=Text("Benennen Sie Spalten nicht um und löschen Sie keine.", "Do not rename or delete columns."),
                sheet=sheet,
                row=1,
                column=name,
            )
        return header.get(name)

    def _run_edits(self, sheet: str, columns: dict[str, str]) -> tuple[list[RunPin], dict[tuple[str, int], int]]:
        found = self._sheet(sheet)
        if found is None:
            return [], {}
        rows, header = found
        index = {key: self._index(sheet, header, name) for key, name in columns.items()}
        if None in index.values():
            return [], {}
        written = {(w["session"], w["run"]): w for w in self.doc["runs"]}
        pins: list[RunPin] = []
        run_rows: dict[tuple[str, int], int] = {}
        for number, values in enumerate(rows[1:], start=2):

            def value(key: str, values: tuple[Any, ...] = values) -> str:
                i = index[key]
                return cell_text(values[i]) if i is not None and i < len(values) else ""

            if not value("id") and not value("run"):
                continue
            key = (value("id"), int(value("run"))) if value("run").isdigit() else (value("id"), 0)
            if key not in written or key in run_rows:
                self.problems.error(
                    Text(
                        f"Den Durchlauf {key[0]} / {value('run')} gibt es im Plan nicht"
                        + (" (oder er steht doppelt da)." if key in run_rows else "."),
                        f"There is no run {key[0]} / {value('run')} in the plan"
                        + (" (or it is listed twice)." if key in run_rows else "."),
                    ),
                    hint=Text(
                        f'Die Spalten "{columns["id"]}" und "{columns["run"]}" nennen den Durchlauf; '
                        "ändern Sie sie nicht.",
                        f'The columns "{columns["id"]}" and "{columns["run"]}" name the run; do not change them.',
                    ),
                    sheet=sheet,
                    row=number,
                    column=columns["id"],
                )
                continue
            run_rows[key] = number
            slot_text, room_text = value("slot"), value("room")
            if slot_text == cell_text(written[key]["slot"]) and room_text == cell_text(written[key]["room"]):
                continue
            run = self.runs[key]
            for text, column in ((slot_text, columns["slot"]), (room_text, columns["room"])):
                if not text:
                    self._empty(sheet, number, column)
            start = self._slot(slot_text, sheet, number, columns["slot"]) if slot_text else None
            room = self._room(room_text, sheet, number, columns["room"]) if room_text else None
            if start is not None and room is not None and (start, room) != (run.slots[0], run.room):
                pins.append(RunPin(key[0], key[1], start, room))
        return pins, run_rows

    def _empty(self, sheet: str, row: int, column: str) -> None:
        self.problems.error(
            Text("Die Zelle ist leer.", "The cell is empty."),
            hint=Text("Wählen Sie einen Wert aus der Liste.", "Choose a value from the list."),
            sheet=sheet,
            row=row,
            column=column,
        )

    def _slot(self, text: str, sheet: str, row: int, column: str) -> str | None:
        """The start slot a run's slot cell names: its first entry (`T2, T3` starts in T2)."""
        first = re.split(r"\s*[,;]\s*", text)[0]
        slot = match_slot(first, self.event.slots)
        starts = ", ".join(s.id for s in self.event.session_slots)
        hint = Text(f"Session-Zeitfenster: {starts}.", f"Session slots: {starts}.")
        if slot is None:
            message = Text(f'Das Zeitfenster "{first}" gibt es nicht.', f'There is no slot "{first}".')
        elif slot.kind != "session":
            message = Text(f"Das Zeitfenster {slot.id} ist ein Plenum.", f"Slot {slot.id} is a plenary slot.")
        else:
            return slot.id
        self.problems.error(message, hint=hint, sheet=sheet, row=row, column=column)
        return None

    def _room(self, text: str, sheet: str, row: int, column: str) -> str | None:
        room = next((r for r in self.event.rooms if text.casefold() in (r.id.casefold(), r.name.casefold())), None)
        if room is not None:
            return room.id
        known = ", ".join(f"{r.name} ({r.id})" for r in self.event.rooms)
        self.problems.error(
            Text(f'Den Raum "{text}" gibt es nicht.', f'There is no room "{text}".'),
            hint=Text(f"Räume: {known}.", f"Rooms: {known}."),
            sheet=sheet,
            row=row,
            column=column,
        )
        return None

    def _seat_edits(self, sheet: str, columns: dict[str, Any]) -> tuple[list[SeatPin], dict[str, int]]:
        found = self._sheet(sheet)
        if found is None:
            return [], {}
        rows, header = found
        name_i = self._index(sheet, header, columns["name"])
        email_i = self._index(sheet, header, columns["email"])
        slot_i = {slot: self._index(sheet, header, name) for slot, name in columns["slots"].items()}
        if name_i is None or email_i is None or None in slot_i.values():
            return [], {}
        written = {w["person"]: w for w in self.doc["people"]}
        by_row = {w["row"]: w["person"] for w in self.doc["people"]}
        finder = _PersonFinder(self.event.people)
        pins: list[SeatPin] = []
        person_rows: dict[str, int] = {}
        for number, values in enumerate(rows[1:], start=2):

            def value(i: int | None, values: tuple[Any, ...] = values) -> str:
                return cell_text(values[i]) if i is not None and i < len(values) else ""

            if not any(value(i) for i in range(len(values))):
                continue
            person = finder.find(value(email_i), value(name_i)) or by_row.get(number)
            if person is None or person not in written or person in person_rows:
                self.problems.warn(
                    Text(
                        "Diese Zeile gehört zu keiner Person im Plan (oder die Person steht doppelt da); "
                        "sie wird nicht gelesen.",
                        "This row belongs to no person in the plan (or the person is listed twice); it is not read.",
                    ),
                    hint=Text(
                        "Neue Anmeldungen kommen in die Veranstaltungsmappe, dann `scheduler plan --previous`.",
                        "New registrations go into the event workbook, then `scheduler plan --previous`.",
                    ),
                    sheet=sheet,
                    row=number,
                    column=columns["email"],
                    code="row_not_in_plan",
                )
                continue
            person_rows[person] = number
            for slot, i in slot_i.items():
                text = value(i)
                if text == cell_text(written[person]["cells"].get(slot)):
                    continue
                known, session = self._session(text, slot, sheet, number, columns["slots"][slot])
                if known and session != self._attends(person, slot):
                    pins.append(SeatPin(person, slot, session))
        return pins, person_rows

    def _attends(self, person: str, slot: str) -> str | None:
        return next((r.session for r in self.written.runs if slot in r.slots and person in r.attendees), None)

    def _session(self, text: str, slot: str, sheet: str, row: int, column: str) -> tuple[bool, str | None]:
        """(read, session) for a person's slot cell: a session id or title, None for none; (False, None) when
        the cell names no session of the slot (reported)."""
        if not text or text.casefold() in {w.casefold() for w in self.words.get("none", [])}:
            return True, None
        for prefix in self.words.get("hosting", []):
            if text.casefold().startswith(prefix.casefold()):
                text = text[len(prefix) :].strip()
        here = [self.event.session(r.session) for r in self.runs.values() if slot in r.slots]
        found = SessionMatcher(here).match(text)
        if found.session is not None:
            return True, found.session.id
        anywhere = SessionMatcher(self.event.sessions).match(text)
        listed = ", ".join(f"{s.id} {s.title}" for s in sorted(here, key=lambda s: s.id)) or "–"
        hint = Text(f"In {slot} laufen: {listed}.", f"Running in {slot}: {listed}.")
        if anywhere.session is not None:
            s = anywhere.session
            message = Text(
                f'Session "{s.title}" ({s.id}) findet in Zeitfenster {slot} nicht statt.',
                f'Session "{s.title}" ({s.id}) does not take place in slot {slot}.',
            )
        elif found.how == "ambiguous" or anywhere.how == "ambiguous":
            message = Text(f'"{text}" passt zu mehreren Sessions.', f'"{text}" matches several sessions.')
            hint = Text("Tragen Sie die Session-ID ein.", "Enter the session id.")
        else:
            message = Text(f'Session "{text}" gibt es nicht.', f'There is no session "{text}".')
        self.problems.error(message, hint=hint, sheet=sheet, row=row, column=column)
        return False, None

    # -- applying seat edits -------------------------------------------------------------------------

    def _seat(self, pins: Iterable[SeatPin]) -> None:
        """Each pinned person leaves the runs in the pinned slots and joins the run named there (for all its
        slots, leaving runs it overlaps that are not named too)."""
        pins = list(pins)
        for pin in pins:
            for key, run in self.runs.items():
                if pin.slot in run.slots and pin.person in run.attendees:
                    self.runs[key] = replace(run, attendees=tuple(a for a in run.attendees if a != pin.person))
        targets: dict[str, set[tuple[str, int]]] = {}
        for pin in pins:
            if pin.session is None:
                continue
            key = next(k for k, r in self.runs.items() if r.session == pin.session and pin.slot in r.slots)
            targets.setdefault(pin.person, set()).add(key)
        for person, keys in targets.items():
            covered = {t for k in keys for t in self.runs[k].slots}
            for key, run in self.runs.items():
                if key in keys and person not in run.attendees:
                    self.runs[key] = replace(run, attendees=(*run.attendees, person))
                elif key not in keys and person in run.attendees and covered & set(run.slots):
                    self.runs[key] = replace(run, attendees=tuple(a for a in run.attendees if a != person))


class _PersonFinder:
    """A person by e-mail (case ignored), else by a name only one person has."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by_email = {p.email.casefold(): p.id for p in people if p.email}
        names: dict[str, list[str]] = {}
        for p in people:
            names.setdefault(name_key(p.name), []).append(p.id)
        self.by_name = {k: v[0] for k, v in names.items() if len(v) == 1}

    def find(self, email: str, name: str) -> str | None:
        return self.by_email.get(email.casefold()) or self.by_name.get(name_key(name))
