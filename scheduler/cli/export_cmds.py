"""Command: export (the plan workbook, printable agendas, calendars, Zoom lists, frab JSON from a plan file)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from scheduler.export.outputs import Outputs, describe_written, named_outputs, write_outputs
from scheduler.io.clash import Named, OutputError, PathClash, check_paths
from scheduler.io.plan_source import PlanSource, read_plan_source
from scheduler.plan import Plan
from scheduler.problems import InputError, unwritable
from scheduler.text import Lang, Text

PlanArgument = Annotated[
    Path,
    typer.Argument(
        metavar="PLAN.json|PLAN.xlsx",
        help=tr(
            "Die Plandatei von `scheduler plan --json` oder die (auch von Hand bearbeitete) Planmappe.",
            "The plan file written by `scheduler plan --json`, or the plan workbook (edited by hand or not).",
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
    refuse_clashes(
        named_outputs(xlsx, html, ics, zoom, json_schedule, bbb, teams),
        [Named("PLAN.json", plan_file), Named("--changed-since", changed_since) if changed_since else None],
        language,
    )
    event, plan = load_plan(plan_file, language)
    print_problems(list(plan.warnings), language)
    from scheduler.cli.replan_cmd import ChangedSince, calendar_sequence

    if changed_since is None:
        since = None
        calendar = calendar_sequence(plan_file, language)
    else:
        since = ChangedSince(changed_since, plan_file, event, plan, language)
        since.report(language)
        calendar = since.calendar
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
            inputs=[plan_file] if changed_since is None else [plan_file, changed_since],
            view=None if since is None else since.view,
            agendas=None if since is None else since.agendas,
            changes=None if since is None else since.sheet,
            calendar=calendar,
            bbb=bbb,
            teams=teams,
        ),
    )
    report_outputs(done, language)


def load_plan(path: Path, lang: Lang) -> tuple[Event, Plan]:
    """The event and the plan (as edited, for a plan workbook), or exit 2 with every problem."""
    source = load_source(path, lang)
    return source.event, source.plan


def load_source(path: Path, lang: Lang) -> PlanSource:
    """A plan file or plan workbook with what was edited by hand and its revision, or exit 2 with every problem."""
    try:
        return read_plan_source(path)
    except InputError as e:
        fail(e.problems, lang)


def refuse_clashes(outputs: Sequence[Named | None], inputs: Sequence[Named | None], lang: Lang) -> None:
    """Exit 2 before anything is written when an output would overwrite an input (or another output)."""
    try:
        check_paths(outputs, inputs)
    except PathClash as clash:
        for message in clash.messages:
            err_console.print(f"[red]{'Error' if lang == 'en' else 'Fehler'}:[/] {escape(message(lang))}")
        err_console.print(f"[red]{escape(Text('Nichts geschrieben.', 'Nothing written.')(lang))}[/]")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def write_or_exit(lang: Lang, write: Callable[[], Outputs]) -> Outputs:
    """Run `write`; a missing date, an output over an input or a disk error exits with code 2."""
    try:
        return write()
    except ExportError as e:
        exit_with(e.message, lang)
    except PathClash as e:
        exit_with(e.message, lang)
    except OutputError as e:
        exit_with(Text(f"Nicht geschrieben: {e.message.de}", f"Not written: {e.message.en}"), lang)
    except OSError as e:  # an error outside the writers' own handling still names a file
        reason = unwritable(e, e.filename or "?")
        exit_with(Text(f"Nicht geschrieben: {reason.de}", f"Not written: {reason.en}"), lang)


def report_outputs(done: Outputs, lang: Lang) -> None:
    for item in done.written:
        text = describe_written(item, lang)
        console.print(f"[green]✓[/] {escape(text[:1].upper() + text[1:])}")
    for item in done.written:
        if item.removed:
            note = Text(
                f"{item.directory}/: {len(item.removed)} Datei(en) eines früheren Exports entfernt, die nicht mehr "
                f"zum Plan gehören: {', '.join(item.removed)}",
                f"{item.directory}/: removed {len(item.removed)} file(s) of an earlier export that no longer belong "
                f"to the plan: {', '.join(item.removed)}",
            )
            console.print(escape(note(lang)))
        if item.foreign:
            warning = Text(
                f"Warnung: {item.directory}/ enthält Dateien, die nicht von scheduler stammen; sie bleiben "
                f"unverändert: {', '.join(item.foreign)}",
                f"Warning: {item.directory}/ holds files that scheduler did not write; they are left as they are: "
                f"{', '.join(item.foreign)}",
            )
            err_console.print(f"[yellow]{escape(warning(lang))}[/]")
    if done.invalid_email:
        names = ", ".join(f"{p.name} ({p.email})" for p in done.invalid_email)
        warning = Text(
            f"Warnung: keine gültige E-Mail-Adresse, daher nicht in den Zoom-Listen: {names}",
            f"Warning: not a valid e-mail address, so not in the Zoom lists: {names}",
        )
        err_console.print(f"[yellow]{escape(warning(lang))}[/]")
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
