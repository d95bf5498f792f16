"""Facts about a plan that several rules and the objective need, derived from ids only."""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import Event
from scheduler.plan import Plan, Run
from scheduler.text import Text


def known_runs(event: Event, plan: Plan) -> list[Run]:
    """Runs of sessions the event knows; a run of an unknown session is reported once and checked no further."""
    sessions = {s.id for s in event.sessions}
    return [r for r in plan.runs if r.session in sessions]


def hosted_runs(event: Event, plan: Plan) -> dict[str, list[Run]]:
    """Person id -> the runs they host: every run of every session that names them as a host."""
    hosted: dict[str, list[Run]] = defaultdict(list)
    for run in known_runs(event, plan):
        for host in event.session(run.session).hosts:
            hosted[host].append(run)
    return hosted


def hosting_slots(event: Event, plan: Plan) -> dict[str, set[str]]:
    """Person id -> the slots in which they host a run in this plan."""
    return {person: {t for run in runs for t in run.slots} for person, runs in hosted_runs(event, plan).items()}


def run_name(run: Run) -> Text:
    """How a run is named in messages: `S01 (Durchlauf 2)`."""
    return Text(f"{run.session} (Durchlauf {run.run})", f"{run.session} (run {run.run})")


def slot_order(event: Event) -> dict[str, int]:
    """Slot id -> position in time, so that messages list slots as the day runs."""
    return {s.id: i for i, s in enumerate(event.ordered_slots)}
