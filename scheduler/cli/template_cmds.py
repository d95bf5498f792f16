"""Commands: template (a blank event workbook), example (a realistic synthetic event workbook)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from scheduler.cli.app import EXIT_BAD_INPUT, LangOption, Language, app, console, err_console, lang_of
from scheduler.cli.help_text import tr
from scheduler.example import ExampleError, generate_event
from scheduler.io.template import write_template
from scheduler.io.write_workbook import write_event_workbook
from scheduler.problems import unwritable
from scheduler.text import Lang, Text

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help=tr("Eine vorhandene Datei überschreiben.", "Overwrite the file if it exists."),
        show_default=False,
    ),
]


def _error(message: Text, lang: Lang) -> typer.Exit:
    label = "Error" if lang == "en" else "Fehler"
    err_console.print(f"[red]{label}:[/] {escape(message(lang))}")
    return typer.Exit(EXIT_BAD_INPUT)


def _check_target(path: Path, force: bool, lang: Lang) -> None:
    """Refuse a name that is not .xlsx, and an existing file unless --force."""
    if path.suffix.lower() != ".xlsx":
        raise _error(
            Text(f"{path}: Der Dateiname muss auf .xlsx enden.", f"{path}: the file name must end in .xlsx."), lang
        )
    if path.exists() and not force:
        raise _error(
            Text(
                f"{path} gibt es schon; nichts geschrieben. Mit --force wird die Datei überschrieben.",
                f"{path} already exists; nothing written. Use --force to overwrite it.",
            ),
            lang,
        )


def _write(path: Path, write: Callable[[], None], lang: Lang) -> None:
    """Run `write()`, turning a file system failure into one line and exit code 2."""
    try:
        write()
    except OSError as err:
        raise _error(unwritable(err, path), lang) from err


@app.command(
    help=tr(
        "Eine leere Veranstaltungsmappe zum Ausfüllen schreiben: jedes Blatt und jede Spalte erklärt, mit "
        "Auswahllisten.\n\n"
        "Mit --lang en bekommen Blätter und Spalten ihre englischen Namen (beide werden gelesen).",
        "Write a blank event workbook to fill in: every sheet and column, explained, with dropdowns.\n\n"
        "With --lang en the sheets and columns get their English names (both are read).",
    ),
    epilog=tr("Beispiel: scheduler template veranstaltung.xlsx", "Example: scheduler template event.xlsx"),
)
def template(
    file: Annotated[
        Path,
        typer.Argument(
            help=tr("Die Mappe, die angelegt wird (.xlsx).", "The workbook to create (.xlsx)."),
            metavar=tr("DATEI.xlsx", "FILE.xlsx"),
        ),
    ],
    force: ForceOption = False,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    _check_target(file, force, language)
    _write(file, lambda: write_template(file, language), language)
    console.print(
        Text(
            f"Vorlage geschrieben: {file}. Füllen Sie die Blätter aus und prüfen Sie sie mit scheduler check.",
            f"Template written: {file}. Fill in the sheets, then run scheduler check on it.",
        )(language),
        markup=False,
    )


COUNT = tr("ANZAHL", "COUNT")


@app.command(
    help=tr(
        "Eine realistische erfundene Veranstaltungsmappe schreiben (Vorbild: Vernetzungstreffen Zukunftszentren "
        "2021).\n\n"
        "Ungleich beliebte Sessions, Wünsche passend zur Organisation, manche Personen zeitweise nicht verfügbar, "
        "Gastgeber*innen, die sich auch anmelden. Die Plätze sind knapp, lassen aber immer einen Plan zu. Gleiche "
        "Optionen ergeben eine Byte für Byte gleiche Datei.",
        "Write a realistic synthetic event workbook (the model case: Vernetzungstreffen Zukunftszentren 2021).\n\n"
        "Skewed popularity, wishes that follow the organisation, some unavailability, hosts who also register. "
        "Capacities are tight but always leave a plan possible. The same options give a byte-identical file.",
    ),
    epilog=tr(
        "Beispiel: scheduler example beispiel.xlsx --participants 500 --sessions 24 --slots 4 --rooms 8 --seed 1",
        "Example: scheduler example example.xlsx --participants 500 --sessions 24 --slots 4 --rooms 8 --seed 1",
    ),
)
def example(
    out: Annotated[
        Path,
        typer.Argument(
            help=tr("Die Mappe, die geschrieben wird (.xlsx).", "The workbook to write (.xlsx)."),
            metavar=tr("DATEI.xlsx", "OUT.xlsx"),
        ),
    ],
    participants: Annotated[
        int, typer.Option("--participants", metavar=COUNT, help=tr("Anmeldungen.", "Registrations."))
    ] = 135,
    sessions: Annotated[int, typer.Option("--sessions", metavar=COUNT, help=tr("Sessions.", "Sessions."))] = 14,
    slots: Annotated[
        int,
        typer.Option(
            "--slots",
            metavar=COUNT,
            help=tr(
                "Session-Zeitfenster (neben Eröffnung und Abschluss).",
                "Session slots (besides the opening and closing).",
            ),
        ),
    ] = 3,
    rooms: Annotated[int, typer.Option("--rooms", metavar=COUNT, help=tr("Digitale Räume.", "Digital rooms."))] = 5,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            metavar=tr("ZAHL", "NUMBER"),
            help=tr(
                "Zufallsstartwert; derselbe Startwert ergibt dieselbe Datei.",
                "Random seed; the same seed gives the same file.",
            ),
        ),
    ] = 0,
    networking: Annotated[
        int,
        typer.Option(
            "--networking",
            metavar=COUNT,
            min=0,
            max=2,
            help=tr(
                "Vernetzungsrunden in kleinen, gemischten Gruppen: vor und nach der Mittagspause (0 bis 2).",
                "Networking rounds in small mixed groups: before and after lunch (0 to 2).",
            ),
        ),
    ] = 2,
    force: ForceOption = False,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    _check_target(out, force, language)
    try:
        event = generate_event(participants, sessions, slots, rooms, seed, networking)
    except ExampleError as err:
        raise _error(err.message, language) from err
    _write(out, lambda: write_event_workbook(event, out), language)
    hosts_only = len(event.people) - len(event.participants)
    console.print(
        Text(
            f"Beispiel geschrieben: {out} ({len(event.participants)} Anmeldungen, {hosts_only} weitere "
            f"Gastgeber*innen, {len(event.sessions)} Sessions, {len(event.session_slots)} Zeitfenster, "
            f"{len(event.rooms)} Räume).",
            f"Example written: {out} ({len(event.participants)} registrations, {hosts_only} further hosts, "
            f"{len(event.sessions)} sessions, {len(event.session_slots)} slots, {len(event.rooms)} rooms).",
        )(language),
        markup=False,
    )
