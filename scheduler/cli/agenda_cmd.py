"""Command: agenda (one person's or everyone's day, in the terminal, as printable HTML or calendar files)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from scheduler.cli.app import EXIT_BAD_INPUT, LangOption, Language, app, console, err_console, lang_of
from scheduler.cli.export_cmds import (
    HtmlOption,
    IcsOption,
    PlanArgument,
    load_plan,
    refuse_clashes,
    report_outputs,
    write_or_exit,
)
from scheduler.cli.help_text import tr
from scheduler.export import labels
from scheduler.export.outputs import write_outputs
from scheduler.export.terminal import print_agenda
from scheduler.io.clash import Named
from scheduler.text import Lang, Text
from scheduler.views import PersonAgenda, PlanView, build_view, closest_names, find_agendas


@app.command(
    help=tr(
        "Persönliche Agenden zeigen: Zeiten, Plenum, Sessions mit Gastgeber*innen, Raum und Link, der erfüllte Wunsch.",
        "Show personal agendas: times, plenary blocks, sessions with hosts, room and link, the wish fulfilled.",
    ),
    epilog=tr(
        'Beispiel: scheduler agenda plan.json "Anna Müller"   (oder: scheduler agenda plan.json --html agenden.html)',
        'Example: scheduler agenda plan.json "Anna Müller"   (or: scheduler agenda plan.json --html agendas.html)',
    ),
)
def agenda(
    plan_file: PlanArgument,
    name_or_email: Annotated[
        str | None,
        typer.Argument(
            metavar=tr("NAME_ODER_EMAIL", "NAME_OR_EMAIL"),
            help=tr(
                "E-Mail-Adresse, Name oder Teil des Namens einer Person; ohne: alle.",
                "A person's e-mail, name or part of the name; without it, everyone.",
            ),
        ),
    ] = None,
    html: HtmlOption = None,
    ics: IcsOption = None,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    refuse_clashes(
        [Named("--html", html) if html else None, Named("--ics", ics, folder=True) if ics else None],
        [Named("PLAN.json", plan_file)],
        language,
    )
    event, plan = load_plan(plan_file, language)
    view = build_view(event, plan)
    chosen = list(view.agendas) if name_or_email is None else _choose(view, name_or_email, language)
    if html is None and ics is None:
        _print_agendas(view, chosen, language)
        return
    done = write_or_exit(
        language,
        lambda: write_outputs(
            event, plan, html=html, ics=ics, lang=language, inputs=[plan_file], view=view, agendas=chosen
        ),
    )
    report_outputs(done, language)


def _print_agendas(view: PlanView, agendas: list[PersonAgenda], lang: Lang) -> None:
    console.print(f"[bold]{escape(view.event.name)}[/] {labels.day(view.event.date, lang)}")
    for item in agendas:
        print_agenda(console, item, lang, view.event.contact)


def _choose(view: PlanView, query: str, lang: Lang) -> list[PersonAgenda]:
    """The one person meant, or exit 2 listing the candidates (several) or the closest names (none)."""
    found = find_agendas(view, query)
    if len(found) == 1:
        return found
    label = "Error" if lang == "en" else "Fehler"
    if found:
        message = Text(
            f'"{query}" passt auf {len(found)} Personen; bitte genauer angeben (z. B. die E-Mail-Adresse):',
            f'"{query}" matches {len(found)} people; please be more specific (e.g. the e-mail address):',
        )
        err_console.print(f"[red]{label}:[/] {escape(message(lang))}")
        for a in found:
            err_console.print(f"  {escape(a.person.name)} <{escape(a.person.email or a.person.id)}>")
        raise typer.Exit(EXIT_BAD_INPUT)
    close = closest_names(view, query)
    message = Text(f'Niemand im Plan heißt "{query}".', f'Nobody in the plan is called "{query}".')
    hint = (
        Text(f"Meinten Sie: {', '.join(close)}?", f"Did you mean: {', '.join(close)}?")
        if close
        else Text(
            "Ohne Namen zeigt `scheduler agenda` alle Agenden.",
            "Without a name, `scheduler agenda` shows every agenda.",
        )
    )
    err_console.print(f"[red]{label}:[/] {escape(message(lang))} {escape(hint(lang))}")
    raise typer.Exit(EXIT_BAD_INPUT)
