"""The whole day's plan: the sessions first (`scheduler.model.solve`), then the networking groups.

The groups come second because goal (4), fewest pairs who already shared a session run, needs the session plan.
With networking slots, the sessions get `SESSION_SHARE` of the time limit and the groups what is left (at
least `MIN_GROUP_SHARE`), so the whole stays within the limit; a stop (Ctrl-C) during the sessions still
gives groups, from the greedy start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from scheduler.domain import Event
from scheduler.model.solve import Progress, SolveOptions, solve
from scheduler.networking.groups import with_groups
from scheduler.plan import Plan

SESSION_SHARE = 0.9  # of the time limit, for the sessions when the event has networking slots
MIN_GROUP_SHARE = 0.05  # of the time limit, for the groups even when the sessions used all of theirs


def solve_day(
    event: Event,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """The plan of sessions and networking groups within `options.time_limit`; raises as `solve` does, and
    `NoGroups` when a networking round cannot be split into its group size."""
    if not event.networking_slots:
        return solve(event, options, on_progress, stop)
    started = time.monotonic()
    sessions = solve(event, replace(options, time_limit=options.time_limit * SESSION_SHARE), on_progress, stop)
    elapsed = time.monotonic() - started
    left = max(options.time_limit - elapsed, MIN_GROUP_SHARE * options.time_limit)
    if on_progress is not None:
        on_progress(Progress("networking", elapsed, None, None))
    plan = with_groups(event, sessions, left, options.seed, stop)
    return replace(plan, solver=replace(plan.solver, time_limit=options.time_limit))


def sessions_part(event: Event) -> Event:
    """The event without its networking slots: what the session solver and its benchmarks plan and judge."""
    if not event.networking_slots:
        return event
    rounds = {s.id for s in event.networking_slots}
    people = tuple(replace(p, unavailable=p.unavailable - rounds) for p in event.people)
    return replace(event, slots=tuple(s for s in event.slots if s.id not in rounds), people=people)
