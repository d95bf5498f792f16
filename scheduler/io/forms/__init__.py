"""Registrations from form tools: Microsoft Forms, Google Forms, LimeSurvey and plain CSV/Excel exports.

`read_registrations` turns an export into `RawRegistration`s and shows how its columns were understood;
`load_event` reads the event workbook with the registrations from an export (or from its own `Anmeldungen`
sheet), so `check` and `plan` take the same paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scheduler.domain import Event
from scheduler.io.cells import cell_text
from scheduler.io.event_sheets import read_sessions
from scheduler.io.forms.guess import guess_mapping
from scheduler.io.forms.header import read_export
from scheduler.io.forms.layouts import detect_layout
from scheduler.io.forms.mapping import ColumnMapping, Overrides, read_mapping_file, read_mapping_sheet
from scheduler.io.forms.rows import read_rows
from scheduler.io.forms.source import load_grid
from scheduler.io.records import RawRegistration
from scheduler.io.schema import REGISTRATIONS
from scheduler.io.sheets import Book, open_book, report_odd_cells
from scheduler.io.workbook import read_event
from scheduler.problems import InputError, Problem, Problems
from scheduler.text import Text

__all__ = ["ColumnMapping", "load_event", "read_registrations"]


def read_registrations(
    path: Path,
    mapping: Path | None = None,
    *,
    overrides: Overrides | None = None,
    sessions: Sequence[tuple[str, str]] = (),
) -> tuple[list[RawRegistration], int, ColumnMapping, list[Problem]]:
    """Registrations, K (the number of wish ranks), the column mapping and the warnings of one export.

    `mapping` is a TOML file; `overrides` (e.g. from a `Zuordnung` sheet) apply under it. `sessions` as (id, title)
    help to split multi-select answers and to see a session named twice. Raises `InputError` on any error.
    """
    problems, result = _read(Path(path), mapping, overrides or {}, sessions)
    if problems.errors or result is None:
        raise InputError(problems.items)
    return (*result, problems.warnings)


def _read(
    path: Path, mapping: Path | None, overrides: Overrides, sessions: Sequence[tuple[str, str]]
) -> tuple[Problems, tuple[list[RawRegistration], int, ColumnMapping] | None]:
    if mapping is not None:
        from_file = Problems(file=Path(mapping).name)
        overrides = {**overrides, **read_mapping_file(Path(mapping), from_file)}
        if from_file.errors:
            return from_file, None
    problems = Problems(file=path.name)
    sheet = overrides.get("sheet", [None])[0]
    grid = load_grid(path, problems, sheet)
    if grid is None:
        return problems, None
    export = read_export(path.name, grid)
    if export is None:
        problems.error(
            Text("Keine Kopfzeile gefunden.", "No header row found."),
            hint=Text("Die erste Zeile braucht mindestens zwei Überschriften.", "The first row needs two headers."),
            sheet=grid.sheet,
        )
        return problems, None
    report_odd_cells(grid.odd, problems, sheet=grid.sheet, columns=dict(enumerate(export.headers)))
    layout = detect_layout(export.headers)
    columns = guess_mapping(export, layout, overrides, problems)
    if problems.errors:
        return problems, None
    raws, wish_count = read_rows(export, columns, layout, problems, sessions)
    if not raws:
        problems.error(
            Text("Der Export enthält keine Anmeldungen.", "The export holds no registrations."), sheet=export.sheet
        )
    if columns.wishes is not None and columns.wishes.kind == "choices":
        problems.warn(
            Text(
                f'Die Wünsche stammen aus der Mehrfachauswahl "{export.headers[columns.wishes.choices or 0]}": '
                "die gewählten Sessions zählen als Wünsche in der aufgeführten Reihenfolge, nicht nach Vorliebe.",
                f'The wishes come from the multiple-choice question "{export.headers[columns.wishes.choices or 0]}": '
                "the chosen sessions count as wishes in the listed order, not by preference.",
            ),
            hint=Text("Für echte Ränge fragen Sie 1. Wahl, 2. Wahl, … ab.", "For real ranks ask 1st choice, 2nd …."),
            sheet=export.sheet,
            code="wishes_from_choices",
        )
    return problems, (raws, wish_count, columns)


def load_event(
    event_path: Path, anmeldungen: Path | None, mapping: Path | None
) -> tuple[Event, list[Problem], ColumnMapping | None]:
    """The event, its warnings and, with `anmeldungen`, how the export's columns were understood.

    With an export the workbook's `Anmeldungen` sheet is optional and ignored. Raises `InputError` with every
    problem of the workbook, the export and the mapping at once.
    """
    event_path = Path(event_path)
    if anmeldungen is None:
        if mapping is not None:
            raise InputError([Problem(Text("--mapping gilt nur zusammen mit --anmeldungen.",
                                           "--mapping only applies together with --anmeldungen."))])  # fmt: skip
        event, warnings = read_event(event_path)
        return event, warnings, None
    own = Problems(file=event_path.name)
    book = open_book(event_path, own)
    if book is None:
        raise InputError(own.items)
    overrides, _ = read_mapping_sheet(book, own)
    _note_ignored_sheet(book, own)
    found, result = _read(Path(anmeldungen), mapping, overrides, _sessions(book))
    if result is None:  # without registrations every host would look unregistered: report the export first
        raise InputError(own.items + found.items)
    raws, wish_count, columns = result
    try:
        event, warnings = read_event(event_path, raws, wish_count or None, book)
    except InputError as err:
        raise InputError(own.items + found.items + err.problems) from None
    if own.errors or found.errors:
        raise InputError(own.items + found.items + warnings)
    return event, own.items + found.items + warnings, columns


def _note_ignored_sheet(book: Book, problems: Problems) -> None:
    sheet = book.find(REGISTRATIONS)
    if sheet is None:
        return
    rows = [r for r in book.sheets[sheet][1:] if any(cell_text(v) for v in r)]
    if rows:
        problems.warn(
            Text(
                f'Das Blatt "{sheet}" hat {len(rows)} Anmeldungen; sie werden nicht verwendet, weil --anmeldungen '
                "einen Export angibt.",
                f'The sheet "{sheet}" has {len(rows)} registrations; they are not used because --anmeldungen names '
                "an export.",
            ),
            sheet=sheet,
            code="sheet_registrations_ignored",
        )


def _sessions(book: Book) -> list[tuple[str, str]]:
    """(id, title) of each session, cancelled ones included, by the Sessions sheet's own reader; its problems are
    reported once, by `read_event`."""
    found = read_sessions(book, None, None, Problems(file=""))
    if found is None:
        return []
    sessions, _, dropped = found
    return [(s.id, s.title) for s in (*sessions, *dropped)]
