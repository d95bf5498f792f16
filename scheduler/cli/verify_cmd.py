"""Command: verify — check a saved plan against the event workbook with the independent validator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_VIOLATIONS,
    LangOption,
    Language,
    app,
    console,
    fail,
    lang_of,
    print_problems,
)
from scheduler.cli.help_text import tr
from scheduler.io.planfile import read_plan
from scheduler.io.workbook import read_event
from scheduler.plan import Plan
from scheduler.problems import InputError, Problem
from scheduler.text import Lang, Text
from scheduler.validate import Report, validate
from scheduler.validate.report import rule_name

T = Text


@app.command(
    help=tr(
        "Eine Plandatei gegen jede feste Regel der Veranstaltung prüfen und ihre Zielwerte nachrechnen, ohne "
        "Solver.\n\n"
        "Exit-Code 0, wenn der Plan gültig ist, 1, wenn er eine Regel verletzt oder falsche Zielwerte nennt, 2, "
        "wenn eine Datei nicht lesbar ist.",
        "Check a plan file against every hard rule of the event and recompute its objective, without the solver."
        "\n\n"
        "Exit code 0 when the plan is valid, 1 when it breaks a rule or states a wrong objective, 2 when unreadable.",
    ),
    epilog=tr(
        "Beispiel: scheduler verify examples/vernetzungstreffen.xlsx plan.json",
        "Example: scheduler verify examples/vernetzungstreffen.xlsx plan.json --lang en",
    ),
)
def verify(
    event_file: Annotated[
        Path,
        typer.Argument(
            metavar="EVENT.xlsx",
            help=tr(
                "Die Veranstaltungsmappe, für die der Plan gemacht wurde.", "The event workbook the plan was made for."
            ),
            show_default=False,
        ),
    ],
    plan_file: Annotated[
        Path,
        typer.Argument(
            metavar="PLAN.json",
            help=tr("Die Plandatei, die geprüft wird.", "The plan file to check."),
            show_default=False,
        ),
    ],
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    problems: list[Problem] = []
    try:
        event, warnings = read_event(event_file)
    except InputError as err:
        problems += err.problems
    try:
        _, plan = read_plan(plan_file)
    except InputError as err:
        problems += err.problems
    if problems:
        fail(problems, language, EXIT_BAD_INPUT)
    print_problems(warnings, language)
    report = validate(event, plan, check_objective=True)
    print_report(report, language)
    print_objective(report, plan, language)
    print_networking(report, language)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


def print_report(report: Report, lang: Lang) -> None:
    """Every violation as a table row (rule, ids, message), or one green line when there is none."""
    if report.ok:
        console.print(f"[green]{escape(T('Plan ist gültig.', 'The plan is valid.')(lang))}[/]")
        return
    table = Table(title=T("Regelverstöße", "Rule violations")(lang), title_justify="left", title_style="bold")
    for header in (T("Regel", "Rule"), T("IDs", "IDs"), T("Meldung", "Message")):
        table.add_column(header(lang))
    for v in report.violations:
        table.add_row(escape(rule_name(v.rule, lang)), escape(", ".join(v.ids)), escape(v.message(lang)))
    console.print(table)
    count = len(report.violations)
    summary = T(f"{count} Regelverstoß." if count == 1 else f"{count} Regelverstöße.", f"{count} violation(s).")
    console.print(f"[red]{escape(summary(lang))}[/]")


def print_objective(report: Report, plan: Plan, lang: Lang) -> None:
    """The objective recomputed from the runs next to the one the plan file states."""
    table = Table(title=T("Zielwerte", "Objective")(lang), title_justify="left", title_style="bold")
    for header in (T("Ziel", "Goal"), T("nachgerechnet", "recomputed"), T("laut Plan", "stated"), T("", "")):
        table.add_column(header(lang))
    for goal, recomputed, stated in (
        (
            T("meiste fehlende Wünsche einer Person", "largest shortfall"),
            report.max_shortfall,
            plan.objective.max_shortfall,
        ),
        (T("gewichtete Wünsche", "weighted wishes"), report.weighted, plan.objective.weighted),
    ):
        same = recomputed == stated
        mark = T("stimmt", "matches") if same else T("weicht ab", "differs")
        table.add_row(goal(lang), str(recomputed), str(stated), f"[{'green' if same else 'red'}]{mark(lang)}[/]")
    console.print(table)


def print_networking(report: Report, lang: Lang) -> None:
    """The networking rounds' figures recomputed from the groups: repeats, same-organisation pairs and bound."""
    if report.networking is None:
        return
    from scheduler.export.terminal import networking_table

    console.print(networking_table(report.networking, lang))
