"""Help and typer's own words in German by default, English with `--lang en` or SCHEDULER_LANG=en.

Help texts are fixed when the commands are declared, so English help is asked of a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from scheduler.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
WIDE = {"COLUMNS": "200"}

ENGLISH_WORDS = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Error|Show|Try|Example|Write|Read|Missing|Invalid|default|required|"
    r"the|and|with|for|from|file|this|message|exit)\b"
)
GERMAN_WORDS = re.compile(r"\b(Aufruf|Optionen|Argumente|Befehle|Beispiel|Standard|Pflicht|Hilfe|und|die|der)\b")
RAW_TYPE = re.compile(r"<[a-z][a-z ]*>|\[x[<>]=")


def german_help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "-h"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_german_with_an_example_and_no_type_labels(command: str) -> None:
    out = german_help(*([command] if command else []))
    assert ENGLISH_WORDS.findall(out) == []
    assert RAW_TYPE.findall(out) == []
    for word in ("Aufruf: scheduler", "Optionen", "Diese Hilfe zeigen und beenden.", "Beispiel"):
        assert word in out
    if command:
        assert "Sprache der Ausgaben" in out


def _english_help(args_before: list[str], env: dict[str, str]) -> dict[str, str]:
    """Every command's help from one fresh interpreter, as {command: output}."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['scheduler', *{args_before!r}]\n"
        "from typer.main import get_command\n"
        "from typer.testing import CliRunner\n"
        "from scheduler.cli import app\n"
        "names = sorted(get_command(app).commands)\n"
        f"out = {{c: CliRunner().invoke(app, [*{args_before!r}, *([c] if c else []), '-h'],"
        " env={'COLUMNS': '200'}).output for c in ['', *names]}\n"
        "print(json.dumps(out))\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "SCHEDULER_LANG"} | env
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environ, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("args", "env"), [(["--lang", "en"], {}), ([], {"SCHEDULER_LANG": "en"})])
def test_help_in_english(args: list[str], env: dict[str, str]) -> None:
    helps = _english_help(args, env)
    assert sorted(helps) == ["", *COMMANDS]
    for command, out in helps.items():
        assert "Usage: scheduler" in out, command
        assert "Show this help and exit." in out, command
        assert "Example" in out, command
        assert GERMAN_WORDS.findall(out) == [], (command, GERMAN_WORDS.findall(out))
        assert RAW_TYPE.findall(out) == [], command


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["plan"], "Es fehlt das Argument 'EVENT.xlsx'."),
        (["plan", "x.xlsx", "--seed", "a"], "Ungültiger Wert für '--seed': 'a' ist keine ganze Zahl."),
        (["plan", "x.xlsx", "--time-limit", "0"], "'0' ist zu klein; erlaubt ist mindestens 1."),
        (["plan", "x.xlsx", "--lang", "fr"], "'fr' ist nicht erlaubt; möglich: 'de', 'en'."),
        (["plan", "x.xlsx", "--jsn", "p.json"], "Die Option --jsn gibt es nicht. Meinten Sie --json?"),
        (["plan", "x.xlsx", "--json"], "Die Option '--json' braucht einen Wert."),
        (["plan", "x.xlsx", "y.xlsx"], "Zu viele Argumente: y.xlsx"),
        (["plon"], "Den Befehl 'plon' gibt es nicht. Meinten Sie 'plan'?"),
        (["--lang", "fr", "check", "x.xlsx"], "'fr' ist nicht erlaubt; möglich: 'de', 'en'."),
    ],
)
def test_usage_errors_in_german(args: list[str], german: str) -> None:
    result = CliRunner().invoke(app, args, env=WIDE)
    assert result.exit_code == 2
    text = " ".join(result.output.replace("│", " ").split())
    assert german in text
    assert "Fehler" in text
    assert ENGLISH_WORDS.findall(text) == []


def test_lang_before_the_command_sets_the_output_language(tmp_path: object) -> None:
    target = f"{tmp_path}/vorlage.xlsx"
    english = CliRunner().invoke(app, ["--lang", "en", "template", target])
    assert english.exit_code == 0 and "Template written" in english.output
    german = CliRunner().invoke(app, ["--lang", "en", "template", target, "--force", "--lang", "de"])
    assert german.exit_code == 0 and "Vorlage geschrieben" in german.output
    from_env = CliRunner().invoke(app, ["template", target, "--force"], env={"SCHEDULER_LANG": "en"})
    assert from_env.exit_code == 0 and "Template written" in from_env.output
