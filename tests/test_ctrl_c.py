"""A real Ctrl-C (SIGINT) during `scheduler plan` stops the search and keeps the best plan found so far."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from scheduler.io.planfile import read_plan
from scheduler.io.workbook import read_event
from scheduler.validate import validate

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "vernetzungstreffen.xlsx"


def _as_from_a_terminal() -> None:
    """The child gets Ctrl-C as a terminal's program does, however the tests were started: a test run started in
    the background of a non-interactive shell (`... &`) has SIGINT ignored and hands that on, and our program
    rightly leaves an ignored Ctrl-C alone (`scheduler example` then ran to the end with exit 0)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_as_from_a_terminal
    )


def test_sigint_keeps_the_best_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    command = [sys.executable, "-m", "scheduler", "plan", str(EXAMPLE), "--json", str(out), "--time-limit", "300"]
    process = _start(command)
    time.sleep(6)  # reading takes about a second; the search would run for minutes
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Abgebrochen (Strg-C)" in stdout + stderr
    assert "Traceback" not in stderr
    event, _ = read_event(EXAMPLE)
    _, plan = read_plan(out)
    assert plan.solver.interrupted
    assert plan.solver.seconds < 60
    report = validate(event, plan, check_objective=True)
    assert report.violations == []


def test_sigint_outside_the_search_ends_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "gross.xlsx"
    command = [sys.executable, "-m", "scheduler", "example", str(out), "--participants", "20000"]
    process = _start(command)
    time.sleep(1.0)  # making and writing 20,000 registrations takes about 25 s
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "\nAbgebrochen (Strg-C).\n"
    assert list(tmp_path.iterdir()) == []  # neither the workbook nor a temporary file


def test_ctrl_c_inside_a_finaliser_still_ends_the_program(tmp_path: Path) -> None:
    """Python ignores an exit raised while a finaliser runs; ours is raised again after it, so Ctrl-C still
    ends the program with 130 and one message (a finaliser that runs while the signal comes is made here)."""
    script = tmp_path / "finaliser.py"
    script.write_text(
        "import os, signal, sys, threading, time\n"
        "from scheduler import __main__ as entry\n"
        "signal.signal(signal.SIGINT, entry._interrupted)\n"
        "sys.unraisablehook = entry._again_if_interrupted\n"
        "class Slow:\n"
        "    def __del__(self):\n"
        "        end = time.monotonic() + 1.0\n"
        "        while time.monotonic() < end:\n"
        "            pass\n"
        "threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "slow = Slow()\n"
        "del slow\n"
        "time.sleep(5)\n"
        "print('went on')\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("Abgebrochen (Strg-C).") == 1


def test_ctrl_c_during_the_imports_is_not_lost_in_a_library_s_except(tmp_path: Path) -> None:
    """A Ctrl-C while the commands are imported once could be lost in an imported library's own `except` (or
    come out as a RuntimeError from a class's `__set_name__`); now it is noted there and ends the program after
    the imports, with 130 and nothing written. The Ctrl-C is raised here inside the import of the commands, under
    an `except BaseException` as a library might have: with the handler of before, the example was written."""
    out = tmp_path / "beispiel.xlsx"
    script = tmp_path / "start.py"
    script.write_text(
        "import builtins, signal, sys\n"
        "from scheduler import __main__ as entry\n"
        "real_import = builtins.__import__\n"
        "def importing(name, *args, **kwargs):\n"
        "    if name == 'scheduler.cli':\n"
        "        try:\n"
        "            signal.raise_signal(signal.SIGINT)\n"
        "        except BaseException:\n"
        "            pass\n"
        "    return real_import(name, *args, **kwargs)\n"
        "builtins.__import__ = importing\n"
        f"sys.argv = ['scheduler', 'example', {str(out)!r}]\n"
        "entry.main()\n"
    )
    process = _start([sys.executable, str(script)])
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (130, "\nAbgebrochen (Strg-C).\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["start.py"]
