"""Help texts in the language the user asked for, decided once before the commands are declared.

typer reads every help text when a command is declared, so the language cannot come from the parsed
`--lang` option: it is read from the raw arguments (`--lang en` or `--lang=en`, before or after the command)
or from the environment variable `SCHEDULER_LANG`. German is the default.
"""

from __future__ import annotations

import itertools
import os
import sys

from scheduler.text import Lang


def help_lang(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Lang:
    """The language of help texts: `--lang` in the arguments wins over `SCHEDULER_LANG`."""
    args = sys.argv[1:] if argv is None else argv
    for a, b in itertools.pairwise([*args, ""]):
        if a == "--lang":
            return "en" if b == "en" else "de"
        if a.startswith("--lang="):
            return "en" if a.removeprefix("--lang=") == "en" else "de"
    env = os.environ if environ is None else environ
    return "en" if env.get("SCHEDULER_LANG", "").strip().lower() == "en" else "de"


HELP_LANG: Lang = help_lang()


def tr(de: str, en: str) -> str:
    """One help text (command, argument or option) in the help language."""
    return en if HELP_LANG == "en" else de
