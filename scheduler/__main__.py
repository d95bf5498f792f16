"""The `scheduler` command and `python -m scheduler`.

Importing the commands (openpyxl, rich) takes a moment; a Ctrl-C meanwhile is noted and ends the program once
the imports are done (an exit raised inside an import may come out as another error, or be lost in a library's
own `except`); one while a workbook is read or written ends it at once. Both with a short message instead of a
traceback (exit code 130). `plan` puts its own
handler in place while it solves, so that Ctrl-C there keeps the best plan found so far. A Ctrl-C that lands
while Python runs a finaliser (a generator closed, an object collected) cannot end the program from there:
Python prints the exit as "ignored" and goes on, so it is raised again a moment later, outside the finaliser.

Output is UTF-8 even where the system says otherwise: on Windows a redirected or piped output gets the legacy
code page (cp1252), which has no room for names like "Yılmaz" or for the tables' lines, and printing them
would end in a traceback.
"""

import io
import signal
import sys
import threading
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
AGAIN_AFTER = 0.05  # seconds after an interrupt swallowed in a finaliser until it is raised again
_told: list[bool] = []  # the message is written once, also when the interrupt is raised again
_pending: list[bool] = []  # a Ctrl-C that came while the commands were imported


def main() -> None:
    _utf8_output()
    handled = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # left alone where Ctrl-C is ignored
    if handled:  # while importing only noted: an exit raised inside an import can turn into another error
        signal.signal(signal.SIGINT, _noted)
    from scheduler.cli import app

    if handled:
        signal.signal(signal.SIGINT, _interrupted)
        sys.unraisablehook = _again_if_interrupted
        if _pending:
            _interrupted(signal.SIGINT, None)
    app()


def _noted(signum: int, frame: FrameType | None) -> None:
    _pending.append(True)


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


def _interrupted(signum: int, frame: FrameType | None) -> None:
    from scheduler.cli.help_text import help_lang

    if not _told:
        english = help_lang() == "en"
        sys.stderr.write("\nInterrupted (Ctrl-C).\n" if english else "\nAbgebrochen (Strg-C).\n")
        _told.append(True)
    raise SystemExit(EXIT_INTERRUPTED)


def _again_if_interrupted(unraisable: "sys.UnraisableHookArgs") -> None:
    """Our exit, swallowed because it was raised inside a finaliser, is raised again once the finaliser is over;
    everything else goes to Python's own hook."""
    value = unraisable.exc_value
    if isinstance(value, SystemExit) and value.code == EXIT_INTERRUPTED:
        threading.Timer(AGAIN_AFTER, signal.raise_signal, (signal.SIGINT,)).start()
        return
    sys.__unraisablehook__(unraisable)


if __name__ == "__main__":
    main()
