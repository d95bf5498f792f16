"""The slot bound and the slot search (`slot_search`) beside the plan search, in a child process.

Both are mostly Python work; in a thread they would share the interpreter lock with the plan search and slow
it down. When the bound's rounds take under a second, bound and search are done here at once, within a
second's budget; otherwise they run as `python -m scheduler.model.bound_process JOB.pickle` in a session of
its own (so Ctrl-C in the terminal reaches only the planner, which then ends the child), which writes its
result next to the job. Either way the result depends only on the event, the seconds and the start plan, so
plans stay deterministic.
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
from scheduler.model.slot_bound import estimated_seconds
from scheduler.model.slot_search import SlotResult, slot_plan

log = logging.getLogger(__name__)

IN_PROCESS_SECONDS = 1.0  # bound and search estimated below this are done at once, without a child process
POLL_SECONDS = 0.05


class BoundJob:
    """The slot bound and search under way: `peek()` looks, `result()` waits for it, `cancel()` ends it.

    `fair` and `start` describe the plan the search starts from (its largest shortfall and weighted value);
    without `fair` only the bound is computed.
    """

    def __init__(self, event: Event, seconds: float, fair: int | None = None, start: int = 0) -> None:
        self._result = SlotResult(None, None)
        self._process: subprocess.Popen[str] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        rounds = estimated_seconds(event, seconds)
        if rounds is None:
            return
        if rounds < IN_PROCESS_SECONDS:
            self._result = slot_plan(event, min(seconds, IN_PROCESS_SECONDS), fair, start)
            return
        self._dir = tempfile.TemporaryDirectory(prefix="scheduler-bound-")
        job = Path(self._dir.name) / "job.pickle"
        job.write_bytes(pickle.dumps((event, seconds, fair, start)))
        separate: dict[str, Any] = (
            {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
            if os.name == "nt"
            else {"start_new_session": True}
        )
        command = [sys.executable, "-m", __name__, str(job)]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **separate)

    def peek(self) -> int | None:
        """The bound if it is there already, else None; never waits."""
        if self._process is not None and self._process.poll() is not None:
            return self.result().bound
        return self._result.bound

    def result(self, cancelled: Callable[[], bool] = lambda: False) -> SlotResult:
        """Bound and plan, waiting for the child; nothing at once when `cancelled()` turns true meanwhile."""
        if self._process is not None:
            while self._process.poll() is None:
                if cancelled():
                    self.cancel()
                    return SlotResult(None, None)
                time.sleep(POLL_SECONDS)
            _, err = self._process.communicate()
            if self._process.returncode == 0 and self._dir is not None:
                self._result = pickle.loads((Path(self._dir.name) / "result.pickle").read_bytes())
            else:
                log.warning("slot bound failed (exit %s): %s", self._process.returncode, err.strip()[-500:])
            self._process = None
            self._remove_files()
        return self._result

    def cancel(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.communicate()
            self._process = None
        self._remove_files()

    def _remove_files(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def main() -> None:
    """The child: read the job, write the result beside it."""
    job = Path(sys.argv[1])
    event, seconds, fair, start = pickle.loads(job.read_bytes())
    result = slot_plan(event, seconds, fair, start)
    (job.parent / "result.pickle").write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    main()
