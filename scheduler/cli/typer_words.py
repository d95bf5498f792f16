"""typer's own words (Usage, Options, the help option, its error messages) in the help language.

typer has no translation catalogue: its panel titles are module constants of `typer.rich_utils`, read when a
help page or an error is printed, and its parser's messages are English f-strings. So the constants are set
once, and `SchedulerGroup`, the class of the root command, gives every command a German usage line, a German
help option and a readable value label (no `<bool>`, `<path>` or `<float range>`), and turns each usage error
into German from the exception's own fields (the parameter, the option, the pydantic error behind a bad value)
before typer prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer.rich_utils as rich_utils
from typer._click import Command, Context, HelpFormatter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperGroup, TyperOption

from scheduler.cli.help_text import HELP_LANG, tr

GERMAN = HELP_LANG == "de"

# Every range (`min=`) is named in the option's help text instead of the raw `[x>=1.0]`.
rich_utils.RANGE_STRING = ""
if GERMAN:
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumente"
    rich_utils.OPTIONS_PANEL_TITLE = "Optionen"
    rich_utils.COMMANDS_PANEL_TITLE = "Befehle"
    rich_utils.ERRORS_PANEL_TITLE = "Fehler"
    rich_utils.DEFAULT_STRING = "[Standard: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[Pflicht]"
    rich_utils.ENVVAR_STRING = "[Umgebungsvariable: {}]"
    rich_utils.DEPRECATED_STRING = "(veraltet) "
    rich_utils.ABORTED_TEXT = "Abgebrochen."
    rich_utils.RICH_HELP = "Hilfe: [blue]{command_path} {help_option}[/]"

HELP_OPTION = tr("Diese Hilfe zeigen und beenden.", "Show this help and exit.")

# What the value of an option without its own metavar is called, by typer's type label.
_LABELS = {
    "<int>": tr("ZAHL", "NUMBER"),
    "<float>": tr("ZAHL", "NUMBER"),
    "<int range>": tr("ZAHL", "NUMBER"),
    "<float range>": tr("ZAHL", "NUMBER"),
    "<path>": tr("PFAD", "PATH"),
    "<str>": tr("TEXT", "TEXT"),
}


class _GermanFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Aufruf: " if prefix is None else prefix)


class _GermanContext(Context):
    formatter_class = _GermanFormatter


class _NamedArgument(TyperArgument):
    """An argument shown by its name alone (EVENT.xlsx), without typer's `<path>` beside it."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None


class SchedulerGroup(TyperGroup):
    """The root command: every command it hands out speaks the help language."""

    context_class = _GermanContext if GERMAN else Context

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _localise(command, ctx)
        return command

    def get_params(self, ctx: Context) -> list[Any]:
        _localise(self, ctx)
        return super().get_params(ctx)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        if GERMAN:
            self.options_metavar = "[OPTIONEN]"
        with _german_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with _german_errors():
            return super().invoke(ctx)


def _localise(command: Command, ctx: Context) -> None:
    """Usage line, help option and value labels of one command (idempotent: commands are handed out often)."""
    if GERMAN:
        command.context_class = _GermanContext
        command.options_metavar = "[OPTIONEN]"
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = HELP_OPTION
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if type(param) is TyperArgument:
            param.__class__ = _NamedArgument  # same fields, one method less verbose
        if param.metavar is not None:
            continue
        if isinstance(param, TyperOption) and (param.is_flag or param.count):
            param.metavar = ""
        elif isinstance(param, TyperOption):
            label = param.display_type(ctx)
            param.metavar = _LABELS.get(label, label.strip("<>"))


@contextmanager
def _german_errors() -> Iterator[None]:
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as err:
        if not GERMAN:
            raise
        german = UsageError(german_message(err), err.ctx)
        german.exit_code = err.exit_code
        raise german from None


def german_message(err: UsageError) -> str:
    """The German sentence for one of typer's usage errors; its English one where none is known."""
    if isinstance(err, MissingParameter):
        kind = {"argument": "das Argument", "option": "die Option"}.get(_param_type(err), "der Wert")
        return f"Es fehlt {kind} {_hint(err)}."
    if isinstance(err, NoSuchOption):
        text = f"Die Option {err.option_name} gibt es nicht."
        if err.possibilities:
            text += f" Meinten Sie {' oder '.join(sorted(err.possibilities))}?"
        return text
    if isinstance(err, BadParameter):
        return f"Ungültiger Wert für {_hint(err)}: {_bad_value(err)}"
    if isinstance(err, BadOptionUsage):
        return _translate(err.message, _OPTION_USAGE)
    return _translate(err.message, _USAGE)


def _param_type(err: MissingParameter) -> str:
    if err.param_type is not None:
        return err.param_type
    return err.param.param_type_name if err.param is not None else ""


def _hint(err: BadParameter) -> str:
    hint: Sequence[str] | str | None = err.param_hint
    if hint is None and err.param is not None:
        hint = err.param.get_error_hint()
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(hint)


def _bad_value(err: BadParameter) -> str:
    """Why a value was refused, from the pydantic error typer raises it from, else from its message."""
    errors = getattr(err.__cause__, "errors", None)
    if callable(errors):
        for detail in errors():
            value = repr(detail.get("input"))
            limits = detail.get("ctx") or {}
            kind = detail.get("type", "")
            if kind in ("int_parsing", "int_from_float", "int_type"):
                return f"{value} ist keine ganze Zahl."
            if kind in ("float_parsing", "float_type"):
                return f"{value} ist keine Zahl."
            if kind in ("greater_than_equal", "greater_than"):
                word = "mindestens" if kind == "greater_than_equal" else "größer als"
                return f"{value} ist zu klein; erlaubt ist {word} {_number(limits.get('ge', limits.get('gt')))}."
            if kind in ("less_than_equal", "less_than"):
                word = "höchstens" if kind == "less_than_equal" else "kleiner als"
                return f"{value} ist zu groß; erlaubt ist {word} {_number(limits.get('le', limits.get('lt')))}."
    return _translate(err.message, _VALUES)


def _number(limit: object) -> str:
    """A limit as German writes it: 1 rather than 1.0, 0,5 rather than 0.5."""
    if isinstance(limit, float):
        return str(int(limit)) if limit.is_integer() else str(limit).replace(".", ",")
    return str(limit)


def _translate(message: str, table: list[tuple[str, str]]) -> str:
    for pattern, german in table:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return german.format(*match.groups())
    return message


_VALUES = [
    (r"(?:Value error, )?(.+) is not one of (.+)\.", "{0} ist nicht erlaubt; möglich: {1}."),
    (r"\w+ (.+) does not exist\.", "{0} gibt es nicht."),
    (r"\w+ (.+) is a file\.", "{0} ist eine Datei, kein Ordner."),
    (r"\w+ (.+) is a directory\.", "{0} ist ein Ordner, keine Datei."),
    (r"\w+ (.+) is not readable\.", "{0} darf nicht gelesen werden."),
    (r"\w+ (.+) is not writable\.", "{0} darf nicht geschrieben werden."),
]
_OPTION_USAGE = [
    (r"Option (.+) requires an argument\.", "Die Option {0} braucht einen Wert."),
    (r"Option (.+) requires (\d+) arguments\.", "Die Option {0} braucht {1} Werte."),
    (r"Option (.+) does not take a value\.", "Die Option {0} nimmt keinen Wert."),
]
_USAGE = [
    (r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)", "Zu viele Argumente: {0}"),
    (r"No such command (.+)\. Did you mean (.+)\?", "Den Befehl {0} gibt es nicht. Meinten Sie {1}?"),
    (r"No such command (.+)\.", "Den Befehl {0} gibt es nicht."),
    (r"Missing command\.", "Es fehlt der Befehl."),
]
