"""Benchmark: late changes re-planned (`plan --previous`) against a fresh plan from scratch.

    python benchmarks/replan_bench.py                          # bundled example and 500 people, 60 s each
    python benchmarks/replan_bench.py --instances example --limit 30

For each instance the event is planned once (the plan "sent out"); then each late-change scenario of
scheduler.example.late_changes is applied and planned (a) fresh and (b) from the previous plan. Per scenario:
changed agendas and moved runs against the plan sent out, weighted wishes, seconds, the proven least number of
changed agendas where the solver proved it, whether the hand edits held and whether the validator accepts the
plan. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

from scheduler.changes import compare
from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.example import late_changes as late
from scheduler.io.workbook import read_event
from scheduler.model.replan import ReplanOptions, replan
from scheduler.model.solve import SolveOptions, solve
from scheduler.plan import HandEdits, Plan, RunPin, SeatPin
from scheduler.validate import validate

ROOT = Path(__file__).resolve().parent.parent
INSTANCES: dict[str, Callable[[], Event]] = {
    "example": lambda: read_event(ROOT / "examples" / "vernetzungstreffen.xlsx")[0],
    "500": lambda: generate_event(participants=500, sessions=24, slots=4, rooms=8, seed=1),
}
SCENARIOS: dict[str, Callable[[Event], Event]] = {
    "10 late registrations": lambda e: late.late_registrations(e, 10),
    "8 cancellations": lambda e: late.cancellations(e, 8),
    "host gone, session dropped": late.host_gone,
    "room removed": late.room_removed,
    "all at once": late.all_at_once,
    "hand edits": lambda e: e,
}


def hand_edits(event: Event, plan: Plan) -> HandEdits:
    """A run moved to a free room of another slot, and one person put into another run of her first slot."""
    first = event.session_slots[0].id
    run = next(r for r in plan.runs if r.slots[0] != first and event.session(r.session).duration == 1)
    used = {(r.slots[0], r.room) for r in plan.runs}
    room = next(
        (r.id for r in event.rooms if (first, r.id) not in used and event.session(run.session).features <= r.features),
        None,
    )
    runs = (RunPin(run.session, run.run, first, room),) if room is not None else ()
    here = [r for r in plan.runs if r.slots[0] == first and r.attendees and r.session != run.session]
    person = here[0].attendees[0]
    other = next(r.session for r in here[1:] if person not in event.session(r.session).hosts)
    return HandEdits(runs=runs, seats=(SeatPin(person, first, other),))


def held(edits: HandEdits, plan: Plan) -> bool:
    runs = all(
        any(r.session == p.session and r.slots[0] == p.slot and r.room == p.room for r in plan.runs) for p in edits.runs
    )
    seats = all(
        any(r.session == p.session and p.slot in r.slots and p.person in r.attendees for r in plan.runs)
        for p in edits.seats
    )
    return runs and seats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", default=",".join(INSTANCES))
    parser.add_argument("--limit", type=float, default=60.0, help="time limit per plan, seconds")
    args = parser.parse_args()
    options = SolveOptions(time_limit=args.limit)
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    print(f"Time limit {args.limit:g} s per plan.\n")
    print(
        "| instance | scenario | fresh: agendas changed | fresh: runs moved | fresh: weighted | fresh: s "
        "| --previous: agendas changed | --previous: runs moved | --previous: weighted | --previous: s "
        "| proven least agendas | hand edits kept | valid |"
    )
    print("|" + "---|" * 13)
    for instance in args.instances.split(","):
        event = INSTANCES[instance]()
        sent = solve(event, options)
        for name, change in SCENARIOS.items():
            new = change(event)
            edits = hand_edits(event, sent) if name == "hand edits" else HandEdits()
            started = time.monotonic()
            fresh = solve(new, options)
            fresh_s = time.monotonic() - started
            a = compare(event, sent, new, fresh)
            started = time.monotonic()
            done = replan(new, event, sent, ReplanOptions(options), edits)
            again_s = time.monotonic() - started
            b = done.changes
            valid = not validate(new, done.plan).violations and not validate(new, fresh).violations
            least = "—" if done.least_changes is None else str(done.least_changes)
            kept = ("yes" if held(edits, done.plan) else "NO") if edits.runs or edits.seats else "—"
            print(
                f"| {instance} | {name} | {len(a.agendas_changed)} of {a.people_before} | {len(a.runs_moved)} "
                f"| {fresh.objective.weighted} | {fresh_s:.0f} | {len(b.agendas_changed)} of {b.people_before} "
                f"| {len(b.runs_moved)} | {done.plan.objective.weighted} | {again_s:.0f} | {least} | {kept} "
                f"| {'yes' if valid else 'NO'} |",
                flush=True,
            )
    print(f"\nLoad after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
