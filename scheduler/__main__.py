"""The `scheduler` command and `python -m scheduler`.

Importing the commands (openpyxl, rich) takes a moment; a Ctrl-C meanwhile, or while a workbook is read or
written, ends the program with a short message instead of a traceback (exit code 130). `plan` puts its own
handler in place while it solves, so that Ctrl-C there keeps the best plan found so far.

Output is UTF-8 even where the system says otherwise: on Windows a redirected or piped output gets the legacy
code page (cp1252), which has no room for names like "Yılmaz" or for the tables' lines, and printing them
would end in a traceback.
"""

import io
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main() -> None:
    _utf8_output()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # left alone where Ctrl-C is ignored
        signal.signal(signal.SIGINT, _interrupted)
    from scheduler.cli import app

    app()


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


def _interrupted(signum: int, frame: FrameType | None) -> None:
    from scheduler.cli.help_text import help_lang

    english = help_lang() == "en"
    sys.stderr.write("\nInterrupted (Ctrl-C).\n" if english else "\nAbgebrochen (Strg-C).\n")
    raise SystemExit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
