"""Command: export (the plan workbook, printable agendas, calendars, Zoom lists, frab JSON from a plan file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from scheduler.cli.app import (
    EXIT_BAD_INPUT,
    LangOption,
    Language,
    app,
    console,
    err_console,
    fail,
    lang_of,
    print_problems,
)
from scheduler.cli.help_text import tr
from scheduler.domain import Event
from scheduler.export.errors import ExportError
from scheduler.export.outputs import Outputs, describe_written, write_outputs
from scheduler.io.atomic import OutputError
from scheduler.io.planfile import read_plan
from scheduler.plan import Plan
from scheduler.problems import InputError, unwritable
from scheduler.text import Lang, Text

PlanArgument = Annotated[
    Path,
    typer.Argument(
        metavar="PLAN.json",
        help=tr(
            "Die Plandatei, die `scheduler plan --json` geschrieben hat.",
            "The plan file written by `scheduler plan --json`.",
        ),
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar=tr("AGENDEN.html", "AGENDAS.html"),
        help=tr(
            "Druckbare Agenden: eine HTML-Datei, eine A4-Seite je Person.",
            "Printable agendas: one HTML file, one A4 page per person.",
        ),
    ),
]
IcsOption = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar=tr("ORDNER", "FOLDER"),
        help=tr(
            "Ordner für eine Kalenderdatei (.ics) je Person.", "Directory for one calendar file (.ics) per person."
        ),
    ),
]


@app.command(
    help=tr(
        "Die Ausgaben schreiben, die Organisierende verteilen, alle aus einer gespeicherten Plandatei.",
        "Write the outputs organisers hand out, all from one saved plan.",
    ),
    epilog=tr(
        "Beispiel: scheduler export plan.json --xlsx plan.xlsx --html agenden.html --ics kalender --zoom zoom",
        "Example: scheduler export plan.json --xlsx plan.xlsx --html agendas.html --ics calendars --zoom zoom",
    ),
)
def export(
    plan_file: PlanArgument,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", metavar="PLAN.xlsx", help=tr("Die Plan-Mappe (.xlsx).", "The plan workbook (.xlsx).")),
    ] = None,
    html: HtmlOption = None,
    ics: IcsOption = None,
    zoom: Annotated[
        Path | None,
        typer.Option(
            "--zoom",
            metavar=tr("ORDNER", "FOLDER"),
            help=tr(
                "Ordner für die Zoom-Breakout-Listen (CSV zur Vorab-Zuweisung), eine je Zeitfenster.",
                "Directory for the Zoom breakout pre-assignment CSVs, one per slot.",
            ),
        ),
    ] = None,
    json_schedule: Annotated[
        Path | None,
        typer.Option(
            "--json-schedule",
            metavar=tr("PROGRAMM.json", "SCHEDULE.json"),
            help=tr(
                "Das Programm als frab/c3voc-JSON (wie pretalx es exportiert).",
                "The schedule as frab/c3voc JSON (as pretalx exports).",
            ),
        ),
    ] = None,
    bbb: Annotated[
        Path | None,
        typer.Option(
            "--bbb",
            help=tr(
                "Ordner für die BigBlueButton-Gruppen (Parameter groups), eine JSON-Datei je Zeitfenster.",
                "Directory for the BigBlueButton groups (parameter groups), one JSON file per slot.",
            ),
        ),
    ] = None,
    teams: Annotated[
        Path | None,
        typer.Option(
            "--teams",
            help=tr(
                "Raumlisten für Teams zum Drucken: eine HTML-Datei, eine Seite je Zeitfenster.",
                "Printable room lists for Teams: one HTML file, one page per slot.",
            ),
        ),
    ] = None,
    changed_since: Annotated[
        Path | None,
        typer.Option(
            "--changed-since",
            metavar=tr("ALT.json", "OLD.json"),
            help=tr(
                "Agenden und Kalender nur für Personen, deren Agenda sich seit diesem Plan geändert hat oder die neu "
                "sind; weggefallene Termine werden storniert. Zoom-Listen immer vollständig.",
                "Agendas and calendars only for people whose agenda changed since this plan or who are new; "
                "entries that no longer exist are cancelled. Zoom lists always whole.",
            ),
        ),
    ] = None,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    if not any((xlsx, html, ics, zoom, json_schedule, bbb, teams)):
        exit_with(
            Text(
                "Nichts zu tun: bitte eine Ausgabe angeben (--xlsx, --html, --ics, --zoom, --json-schedule, --bbb, "
                "--teams).",
                "Nothing to do: give at least one output (--xlsx, --html, --ics, --zoom, --json-schedule, --bbb, "
                "--teams).",
            ),
            language,
        )
    event, plan = load_plan(plan_file, language)
    print_problems(list(plan.warnings), language)
    from scheduler.cli.replan_cmd import ChangedSince, calendar_sequence

    if changed_since is None:
        calendar = calendar_sequence(plan_file)
        done = write_or_exit(
            language,
            lambda: write_outputs(
                event,
                plan,
                xlsx,
                html,
                ics,
                zoom,
                json_schedule,
                language,
                inputs=[plan_file],
                calendar=calendar,
                bbb=bbb,
                teams=teams,
            ),
        )
    else:
        since = ChangedSince(changed_since, plan_file, event, plan, language)
        since.report(language)
        done = write_or_exit(
            language,
            lambda: write_outputs(
                event,
                plan,
                xlsx,
                html,
                ics,
                zoom,
                json_schedule,
                language,
                inputs=[plan_file, changed_since],
                view=since.view,
                agendas=since.agendas,
                changes=since.sheet,
                calendar=since.calendar,
                bbb=bbb,
                teams=teams,
            ),
        )
    report_outputs(done, language)


def load_plan(path: Path, lang: Lang) -> tuple[Event, Plan]:
    try:
        return read_plan(path)
    except InputError as e:
        fail(e.problems, lang)


def write_or_exit(lang: Lang, write: Callable[[], Outputs]) -> Outputs:
    """Run `write`; a missing date, an output over the plan file or a disk error exits with code 2."""
    try:
        return write()
    except ExportError as e:
        exit_with(e.message, lang)
    except OutputError as e:
        exit_with(Text(f"Nicht geschrieben: {e}", f"Not written: {e}"), lang)
    except OSError as e:
        reason = unwritable(e, e.filename)
        exit_with(Text(f"Nicht geschrieben: {reason.de}", f"Not written: {reason.en}"), lang)


def report_outputs(done: Outputs, lang: Lang) -> None:
    for item in done.written:
        text = describe_written(item, lang)
        console.print(f"[green]✓[/] {escape(text[:1].upper() + text[1:])}")
    if done.without_email:
        names = ", ".join(f"{p.name} ({p.email})" if p.email else p.name for p in done.without_email)
        warning = Text(
            f"Warnung: ohne brauchbare E-Mail-Adresse, daher nicht in den Zoom-Listen: {names}",
            f"Warning: no usable e-mail address, so not in the Zoom lists: {names}",
        )
        err_console.print(f"[yellow]{escape(warning(lang))}[/]")
    for advice in done.advice:
        console.print(f"[bold]{'Note' if lang == 'en' else 'Hinweis'}:[/] {escape(advice(lang))}")
    print_problems(done.warnings, lang)


def exit_with(message: Text, lang: Lang) -> NoReturn:
    label = "Error" if lang == "en" else "Fehler"
    err_console.print(f"[red]{label}:[/] {escape(message(lang))}")
    raise typer.Exit(EXIT_BAD_INPUT)
