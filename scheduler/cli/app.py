"""The typer application and what every command shares: language, console, problem output, exit codes.

The CLI is the only layer that prints or exits; library code raises typed errors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from scheduler import __version__
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
    help="Plan virtual networking events: sessions into slots and rooms, participants into sessions.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


class Language(StrEnum):
    de = "de"
    en = "en"


LangOption = Annotated[Language, typer.Option("--lang", help="Output language: de (default) or en.")]


def lang_of(option: Language) -> Lang:
    return "en" if option == Language.en else "de"


def _version(value: bool) -> None:
    if value:
        console.print(f"scheduler {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Plan virtual networking events (sessions and participants in one CP-SAT model)."""


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
