"""The slot bound and the slot search (`slot_search`) beside the plan search, in a child process.

Both are mostly Python work; in a thread they would share the interpreter lock with the plan search and slow
it down. When the bound's rounds take under a second, bound and search are done here at once, within a
second's budget; otherwise they run as `python -m scheduler.model.bounds.bound_process JOB.pickle` in a session of
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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scheduler.domain import Event
from scheduler.model.bounds.column_bound import column_bound, column_fits
from scheduler.model.bounds.slot_bound import estimated_seconds
from scheduler.model.bounds.slot_search import SlotResult, slot_plan
from scheduler.model.facts import Placed

log = logging.getLogger(__name__)

IN_PROCESS_SECONDS = 1.0  # bound and search estimated below this are done at once, without a child process
POLL_SECONDS = 0.05
START = "start.pickle"  # a deferred job's start plan, next to the job
LATEST = "latest.pickle"  # a column bound job's best bound so far, next to the job


class BoundJob:
    """The slot bound and search under way: `ready()` looks, `result()` waits for it, `cancel()` ends it.

    The search starts from the `start` plan (without one only the bound is computed). The methods may be called
    from the solver's callback threads too, hence the lock.
    """

    def __init__(
        self,
        event: Event,
        seconds: float,
        start: list[Placed] | None = None,
        always_child: bool = False,
        deferred: bool = False,
    ) -> None:
        """`always_child` runs them in a child process even when their estimate is short. `deferred`: the start
        plan comes later, by `begin`; the bound's rounds start now (they do not need it)."""
        self._result = SlotResult(None)
        self._process: subprocess.Popen[str] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._pending: tuple[Event, float] | None = None  # a deferred job done in this process, once begun
        self._lock = threading.Lock()
        rounds = estimated_seconds(event, seconds)
        kind = "slot"
        if rounds is None:
            if not column_fits(event, seconds):
                return
            kind = "column"  # the slot columns cannot be listed: generated ones, always in a child
        if kind == "slot" and rounds is not None and rounds < IN_PROCESS_SECONDS and not always_child:
            if deferred:
                self._pending = (event, seconds)
            else:
                self._result = slot_plan(event, min(seconds, IN_PROCESS_SECONDS), start)
            return
        self._dir = tempfile.TemporaryDirectory(prefix="scheduler-bound-")
        job = Path(self._dir.name) / "job.pickle"
        job.write_bytes(pickle.dumps((event, seconds, start, deferred, kind)))
        separate: dict[str, Any] = (
            {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
            if os.name == "nt"
            else {"start_new_session": True}
        )
        command = [sys.executable, "-m", __name__, str(job)]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **separate)

    def begin(self, start: list[Placed] | None) -> None:
        """Hand a deferred job its start plan (written whole, then renamed, so the child never reads half)."""
        with self._lock:
            if self._pending is not None:
                event, seconds = self._pending
                self._pending = None
                self._result = slot_plan(event, min(seconds, IN_PROCESS_SECONDS), start)
            elif self._dir is not None:
                folder = Path(self._dir.name)
                (folder / "start.part").write_bytes(pickle.dumps(start))
                os.replace(folder / "start.part", folder / START)

    def ready(self) -> SlotResult | None:
        """The result if it is there already, else None; never waits."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return None
            return self._collect()

    def peek(self) -> int | None:
        """The bound if it is there already (a column bound's best so far), else None; never waits."""
        found = self.ready()
        return self.latest() if found is None else found.bound

    def latest(self) -> int | None:
        """The best bound a column bound job reported so far (each of its iterations gives a valid one)."""
        with self._lock:
            if self._dir is None or not (Path(self._dir.name) / LATEST).exists():
                return self._result.bound
            found: int = pickle.loads((Path(self._dir.name) / LATEST).read_bytes())
            return found

    def result(self, cancelled: Callable[[], bool] = lambda: False) -> SlotResult:
        """Bound and plan, waiting for the child; nothing at once when `cancelled()` turns true meanwhile."""
        while (found := self.ready()) is None:
            if cancelled():
                bound = self.latest()
                self.cancel()
                return SlotResult(bound)
            time.sleep(POLL_SECONDS)
        return found

    def cancel(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.kill()
                self._process.communicate()
                self._process = None
            self._remove_files()

    def _collect(self) -> SlotResult:
        """The result of a finished child, read once (the lock is held)."""
        if self._process is not None:
            _, err = self._process.communicate()
            if self._process.returncode == 0 and self._dir is not None:
                self._result = pickle.loads((Path(self._dir.name) / "result.pickle").read_bytes())
            else:
                log.warning("slot bound failed (exit %s): %s", self._process.returncode, err.strip()[-500:])
            self._process = None
            self._remove_files()
        return self._result

    def _remove_files(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def main() -> None:
    """The child: read the job, write the result beside it."""
    job = Path(sys.argv[1])
    event, seconds, start, deferred, kind = pickle.loads(job.read_bytes())
    planner = os.getppid()
    if kind == "column":

        def report(bound: int) -> None:
            (job.parent / "latest.part").write_bytes(pickle.dumps(bound))
            os.replace(job.parent / "latest.part", job.parent / LATEST)

        found = column_bound(event, seconds, report, lambda: os.getppid() != planner)
        (job.parent / "result.pickle").write_bytes(pickle.dumps(SlotResult(found)))
        return

    def wait_for_start() -> list[Placed] | None:
        while not (job.parent / START).exists():
            if os.getppid() != planner:
                sys.exit(1)  # the planner is gone without ending this process
            time.sleep(POLL_SECONDS)
        found: list[Placed] | None = pickle.loads((job.parent / START).read_bytes())
        return found

    result = slot_plan(event, seconds, wait_for_start if deferred else start)
    (job.parent / "result.pickle").write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    main()
