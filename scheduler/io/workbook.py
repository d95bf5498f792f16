"""Read the event workbook into a validated `Event`, reporting every problem in every sheet at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scheduler.domain import Event, EventError
from scheduler.io.event_sheets import Settings, Slots, read_rooms, read_sessions, read_settings, read_slots
from scheduler.io.hosts import resolve_hosts
from scheduler.io.records import RawRegistration
from scheduler.io.registrations import RegistrationSheet, build_people, read_registration_sheet
from scheduler.io.schema import wish_header, wish_rank
from scheduler.io.sheets import Book, open_book
from scheduler.networking.sizes import size_reason
from scheduler.problems import InputError, Problem, Problems
from scheduler.text import Text


def read_event(
    path: Path,
    registrations: Sequence[RawRegistration] | None = None,
    wish_count: int | None = None,
    book: Book | None = None,
) -> tuple[Event, list[Problem]]:
    """The event and its warnings; raises `InputError` with every error and warning if anything is wrong.

    `registrations` (with the number of wish ranks `wish_count`) come from a form export instead of the
    `Anmeldungen` sheet, which is then not read. `book` is the workbook at `path` when the caller has opened
    it already (`load_event`), so it is read once.
    """
    path = Path(path)
    problems = Problems(file=path.name)
    if book is None:
        book = open_book(path, problems)
    if book is None:
        raise InputError(problems.items)
    settings = read_settings(book, problems)
    slots = read_slots(book, problems)
    rooms = read_rooms(book, problems)
    read = read_sessions(book, slots, rooms, problems)
    sessions, refs = read if read is not None else ([], [])
    if registrations is None:
        sheet = read_registration_sheet(book, problems)
        raws = sheet.raws if sheet else []
        wish_count = sheet.wish_count if sheet else 0
        if sheet is not None and read is not None:
            wish_count = _check_wish_columns(sheet, len(sessions), problems)
    else:
        raws = list(registrations)
        wish_count = wish_count or max((max(r.wishes, default=0) for r in raws), default=0)
    if slots is None or read is None:
        problems.raise_if_errors()  # without slots or sessions every wish or slot answer would fail as well
    people = build_people(raws, sessions, slots.slots if slots else [], problems)
    sessions, people = resolve_hosts(sessions, refs, people, problems)
    _check_weights(settings, wish_count, problems)
    problems.raise_if_errors()
    try:
        event = Event(
            settings.name, tuple(slots.slots if slots else ()), tuple(rooms or ()), tuple(sessions), tuple(people),
            settings.date, settings.timezone, settings.weights, wish_count,
            main_link=settings.main_link, contact=settings.contact, language=settings.language,
            subject=settings.subject, sender=settings.sender,
        )  # fmt: skip
    except EventError as err:
        for message in err.problems:
            problems.error(Text(message, message))
        raise InputError(problems.items) from None
    if slots is not None:
        _check_networking(event, slots, problems)
    return event, problems.warnings


def _check_networking(event: Event, slots: Slots, problems: Problems) -> None:
    """A networking round nobody attends, or whose people cannot be split into its group size."""
    for slot in event.networking_slots:
        reason = size_reason(event, slot)
        if reason is not None:
            problems.error(
                reason,
                hint=Text(
                    "Ändern Sie die Gruppengröße (z. B. 2-6) oder die Art des Zeitfensters, oder prüfen Sie die "
                    'Spalte "Nicht verfügbar" der Anmeldungen.',
                    "Change the group size (e.g. 2-6) or the slot's kind, or check the registrations' \"Unavailable\".",
                ),
                sheet=slots.sheet,
                row=slots.rows.get(slot.id),
                column=slots.group_size_column,
            )
    problems.raise_if_errors()


def _check_wish_columns(sheet: RegistrationSheet, sessions: int, problems: Problems) -> int:
    """The number of wish ranks: more wish columns than sessions cannot be filled without repeating a session.

    Columns beyond the sessions that nobody filled in (the template has five) only get a warning and do not count.
    """
    if sheet.wish_count <= sessions or sessions == 0:  # no sessions at all is reported on its own sheet
        return sheet.wish_count
    first, last = wish_header(sessions + 1), wish_header(sheet.wish_count)
    column = next((h for h in sheet.table.headers if wish_rank(h) == sessions + 1), first)
    if all(rank <= sessions for raw in sheet.raws for rank in raw.wishes):
        problems.warn(
            Text(
                f"Es gibt {sheet.wish_count} Wunschspalten, aber nur {sessions} Sessions; die Spalten "
                f'"{first}" bis "{last}" sind leer und werden nicht verwendet.',
                f"There are {sheet.wish_count} wish columns but only {sessions} sessions; the columns "
                f'"{first}" to "{last}" are empty and not used.',
            ),
            sheet=sheet.table.sheet,
            row=sheet.table.header_row,
            column=column,
            code="empty_wish_columns",
        )
        return sessions
    problems.error(
        Text(
            f"Es gibt {sheet.wish_count} Wunschspalten, aber nur {sessions} Sessions.",
            f"There are {sheet.wish_count} wish columns but only {sessions} sessions.",
        ),
        hint=Text(
            f'Löschen Sie die Spalten "{first}" bis "{last}" oder legen Sie weitere Sessions an.',
            f'Delete the columns "{first}" to "{last}" or add sessions.',
        ),
        sheet=sheet.table.sheet,
        row=sheet.table.header_row,
        column=column,
    )
    return sheet.wish_count


def _check_weights(settings: Settings, wish_count: int, problems: Problems) -> None:
    if settings.weights is None or len(settings.weights) == wish_count:
        return
    problems.warn(
        Text(
            f"Es gibt {len(settings.weights)} Gewichte, aber {wish_count} Wunschspalten.",
            f"There are {len(settings.weights)} weights but {wish_count} wish columns.",
        ),
        hint=Text("Wünsche ohne Gewicht zählen 0.", "Wishes without a weight count 0."),
        sheet=settings.sheet,
        row=settings.weights_row,
        column="Wert",
        code="weights_count",
    )
