"""Every command is documented: help with an example, and a mention in the README and docs/outputs.md."""

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from scheduler.cli import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_all_commands_are_known() -> None:
    assert COMMANDS == ["agenda", "check", "diff", "example", "export", "plan", "send", "template", "verify"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "-h"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"scheduler {command} " in result.output
    assert "Example" in result.output or "Beispiel" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_readme_or_docs(command: str) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "docs" / "commands.md").read_text(
        encoding="utf-8"
    )
    assert f"scheduler {command}" in text


def test_readme_starts_with_the_two_commands_for_linux_and_windows() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines[:12] if line.startswith("python3 -m venv .venv")]
    assert len(commands) == 2
    assert "scheduler plan examples/vernetzungstreffen.xlsx" in commands[0]
    assert commands[1].endswith(".venv/bin/python -m pytest")
    windows = [line for line in lines[:20] if line.startswith("py -m venv .venv; ")]
    assert len(windows) == 2
    assert windows[0].endswith(
        r".venv\Scripts\scheduler plan examples\vernetzungstreffen.xlsx --json plan.json -o plan.xlsx"
    )
    assert windows[1].endswith(r".venv\Scripts\python -m pytest")
    assert lines[2].startswith("`scheduler` plant Online-Vernetzungstreffen")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in ci
    assert "pip install --quiet '.[test]'" in ci
