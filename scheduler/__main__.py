"""The `scheduler` command and `python -m scheduler`.

Importing the commands (OR-Tools, openpyxl, rich) takes about a second; a Ctrl-C meanwhile, or while a workbook is
read or written, ends the program with a short message instead of a traceback (exit code 130). `plan` puts
its own handler in place while it solves, so that Ctrl-C there keeps the best plan found so far.
"""

import itertools
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main() -> None:
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # left alone where Ctrl-C is ignored
        signal.signal(signal.SIGINT, _interrupted)
    from scheduler.cli import app

    app()


def _interrupted(signum: int, frame: FrameType | None) -> None:
    args = sys.argv[1:]
    english = "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in itertools.pairwise(args))
    sys.stderr.write("\nInterrupted (Ctrl-C).\n" if english else "\nAbgebrochen (Strg-C).\n")
    raise SystemExit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
