"""The typer application and what every command shares: language, console, problem output, exit codes.

The CLI is the only layer that prints or exits; library code raises typed errors.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from scheduler import __version__
from scheduler.cli.help_text import tr
from scheduler.cli.typer_words import SchedulerGroup
from scheduler.problems import Problem
from scheduler.text import Lang

EXIT_OK = 0
EXIT_VIOLATIONS = 1  # verify: the plan breaks a rule
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

app = typer.Typer(
    name="scheduler",
    cls=SchedulerGroup,
    subcommand_metavar=tr("BEFEHL [ARGUMENTE]...", "COMMAND [ARGS]..."),
    help=tr(
        "Plant Online-Vernetzungstreffen: Sessions in Zeitfenster und Räume, Teilnehmende in Sessions. "
        "Hilfe zu einem Befehl: scheduler BEFEHL -h. English: --lang en.",
        "Plan virtual networking events: sessions into slots and rooms, participants into sessions. "
        "Help on one command: scheduler COMMAND -h. Deutsch: --lang de.",
    ),
    epilog=tr(
        "Beispiel: scheduler check mappe.xlsx, dann scheduler plan mappe.xlsx --json plan.json -o plan.xlsx",
        "Example: scheduler check event.xlsx, then scheduler plan event.xlsx --json plan.json -o plan.xlsx",
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


class Language(StrEnum):
    de = "de"
    en = "en"


LANG_HELP = tr(
    "Sprache der Ausgaben: de (Deutsch) oder en (Englisch).", "Output language: de (German) or en (English)."
)
LangOption = Annotated[Language, typer.Option("--lang", metavar="de|en", help=LANG_HELP)]


def lang_of(option: Language) -> Lang:
    return "en" if option == Language.en else "de"


def _version(value: bool) -> None:
    if value:
        console.print(f"scheduler {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=tr("Die Version zeigen und beenden.", "Show the version and exit."),
        ),
    ] = False,
    lang: Annotated[Language | None, typer.Option("--lang", metavar="de|en", help=LANG_HELP)] = None,
) -> None:
    """`--lang` before the command, or SCHEDULER_LANG, is every command's default language."""
    chosen = lang.value if lang is not None else os.environ.get("SCHEDULER_LANG", "").strip().lower()
    if chosen in ("de", "en"):
        ctx.default_map = {name: {"lang": chosen} for name in ctx.command.list_commands(ctx)}  # type: ignore[attr-defined]


def print_problems(problems: list[Problem], lang: Lang) -> None:
    """Every warning, then every error, one line each, in the organiser's language."""
    for p in problems:
        if p.severity == "warning":
            label = "Warning" if lang == "en" else "Warnung"
            err_console.print(f"[yellow]{label}:[/] {escape(p.render(lang))}")
    for p in problems:
        if p.severity == "error":
            label = "Error" if lang == "en" else "Fehler"
            err_console.print(f"[red]{label}:[/] {escape(p.render(lang))}")


def fail(problems: list[Problem], lang: Lang, code: int = EXIT_BAD_INPUT) -> NoReturn:
    print_problems(problems, lang)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        summary = (
            f"{errors} problem(s) found, nothing written."
            if lang == "en"
            else (f"{errors} Problem(e) gefunden, nichts geschrieben.")
        )
        err_console.print(f"[red]{summary}[/]")
    raise typer.Exit(code)
