"""What Windows needs of the program, checked where it can be checked on any system.

Output in UTF-8 whatever the code page, files written byte for byte as on Linux (no newline translation), and
generated file names Windows accepts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.io.planfile import write_plan
from tests.plan_fixtures import sample_event, sample_plan

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def test_output_is_utf8_on_a_legacy_code_page() -> None:
    """A Windows pipe gets cp1252; names like Yılmaz do not fit it and used to end in a traceback."""
    env = {k: v for k, v in os.environ.items() if k != "SCHEDULER_LANG"} | {"PYTHONIOENCODING": "cp1252"}
    command = [sys.executable, "-m", "scheduler", "check", str(ROOT / "examples" / "vernetzungstreffen.xlsx")]
    done = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")
    assert "Räume" in out and "Die Arbeitsmappe ist gültig" in out
    assert "ı" in out or "ş" in out  # characters cp1252 cannot hold


def test_text_outputs_keep_their_line_ends_and_names_windows_accepts(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    write_plan(plan_file, sample_event(), sample_plan())
    args = ["export", str(plan_file), "--xlsx", str(tmp_path / "p.xlsx"), "--html", str(tmp_path / "a.html")]
    args += [
        "--ics",
        str(tmp_path / "ics"),
        "--zoom",
        str(tmp_path / "zoom"),
        "--json-schedule",
        str(tmp_path / "s.json"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert b"\r" not in plan_file.read_bytes()
    for csv_file in (tmp_path / "zoom").glob("*.csv"):
        data = csv_file.read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n") > 0 and b"\r\r" not in data
    names = [p.name for p in tmp_path.rglob("*")]
    assert len(names) > 10
    for name in names:
        assert not FORBIDDEN.search(name), name
        assert not RESERVED.match(name), name
        assert name == name.rstrip(". "), name
