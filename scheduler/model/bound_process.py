"""The slot bound beside the search, in a child process.

The bound is pure Python work; in a thread it would share the interpreter lock with the plan search and
slow it down. A bound that takes under a second is computed here at once; a longer one runs as
`python -m scheduler.model.bound_process EVENT.pickle SECONDS` in a session of its own (so Ctrl-C in the
terminal reaches only the planner, which then ends the child) and prints the bound. Either way the number is
the same, so plans stay deterministic.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scheduler.domain import Event
from scheduler.model.slot_bound import estimated_seconds, slot_bound

log = logging.getLogger(__name__)

IN_PROCESS_SECONDS = 1.0  # bounds estimated below this are computed at once, without a child process
POLL_SECONDS = 0.05


class BoundJob:
    """A slot bound under way: `peek()` looks, `result()` waits for it, `cancel()` ends it."""

    def __init__(self, event: Event, seconds: float) -> None:
        self._value: int | None = None
        self._process: subprocess.Popen[str] | None = None
        self._file: Path | None = None
        cost = estimated_seconds(event, seconds)
        if cost is None:
            return
        if cost < IN_PROCESS_SECONDS:
            self._value = slot_bound(event, seconds)
            return
        handle, name = tempfile.mkstemp(prefix="scheduler-event-", suffix=".pickle")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(event, out)
        self._file = Path(name)
        separate: dict[str, Any] = (
            {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
            if os.name == "nt"
            else {"start_new_session": True}
        )
        command = [sys.executable, "-m", __name__, name, repr(seconds)]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **separate)

    def peek(self) -> int | None:
        """The bound if it is there already, else None; never waits."""
        if self._process is not None and self._process.poll() is not None:
            return self.result()
        return self._value

    def result(self, cancelled: Callable[[], bool] = lambda: False) -> int | None:
        """The bound, waiting for the child; None at once when `cancelled()` turns true meanwhile."""
        if self._process is not None:
            while self._process.poll() is None:
                if cancelled():
                    self.cancel()
                    return None
                time.sleep(POLL_SECONDS)
            out, err = self._process.communicate()
            if self._process.returncode == 0 and out.strip() != "None":
                self._value = int(out)
            elif self._process.returncode != 0:
                log.warning("slot bound failed (exit %s): %s", self._process.returncode, err.strip()[-500:])
            self._process = None
            self._remove_file()
        return self._value

    def cancel(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.communicate()
            self._process = None
        self._remove_file()

    def _remove_file(self) -> None:
        if self._file is not None:
            self._file.unlink(missing_ok=True)
            self._file = None


def main() -> None:
    """The child: read the event, print its bound (or None)."""
    event = pickle.loads(Path(sys.argv[1]).read_bytes())
    print(slot_bound(event, float(sys.argv[2])))


if __name__ == "__main__":
    main()
