"""Benchmark: networking groups against a random shuffle, on three instances.

    python benchmarks/networking_bench.py                   # every instance
    python benchmarks/networking_bench.py --instances golfer --seconds 60

- `example`: the bundled workbook's two rounds, after a session plan of the sessions part (solved for 20 s);
  the groups get 5 s.
- `1000`: 1,000 people of 12 organisations (sizes skewed, the largest 190), 4 rounds of 4-6, shared runs from a
  random session day of 4 slots with 25 runs each.
- `golfer`: the social golfer instance, 32 people in 8 groups of 4: the most rounds found without a repeated pair,
  each round count searched on its own within `--seconds`.

Every figure is recomputed from the groups by `scheduler.networking.measure`; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.domain import Event, Person, Room, Session, Slot  # noqa: E402
from scheduler.networking.groups import make_groups  # noqa: E402
from scheduler.networking.measure import figures  # noqa: E402
from scheduler.networking.search import Instance, search  # noqa: E402
from scheduler.networking.sizes import group_count, group_sizes, present_in  # noqa: E402
from scheduler.plan import Group, NetworkingRound, Objective, Plan, Run, SolverInfo  # noqa: E402

HEADER = (
    "| instance | method | rounds | repeats | same-org pairs | lower bound | shared-run pairs | moderators | seconds |"
)


def shuffled(event: Event, seed: int) -> tuple[NetworkingRound, ...]:
    """The baseline: everyone present shuffled and cut into balanced groups, round by round."""
    rng = random.Random(seed)
    rounds = []
    for slot in event.networking_slots:
        people = [p.id for p in present_in(event, slot)]
        rng.shuffle(people)
        count = group_count(len(people), *slot.group_size) or 1
        groups, start = [], 0
        for number, size in enumerate(group_sizes(len(people), count), start=1):
            members = tuple(people[start : start + size])
            start += size
            moderator = next((m for m in members if event.person(m).moderator), None)
            groups.append(Group(f"G{number:02d}", members, moderator))
        rounds.append(NetworkingRound(slot.id, tuple(groups)))
    return tuple(rounds)


def row(name: str, method: str, event: Event, plan: Plan, rounds: tuple[NetworkingRound, ...], seconds: float) -> str:
    f = figures(event, plan.runs, rounds)
    moderated = sum(r.moderated_groups for r in f.rounds)
    possible = sum(min(r.moderators, len(r.sizes)) for r in f.rounds)
    cells = [name, method, len(rounds), f.repeats, f.same_organisation, f.bound, f.shared_run,
             f"{moderated}/{possible}", f"{seconds:.1f}"]  # fmt: skip
    return "| " + " | ".join(str(c) for c in cells) + " |"


EXAMPLE_SECONDS = 5.0  # the target of issue 13 for the bundled example


def example(seconds: float) -> list[str]:
    from scheduler.io.workbook import read_event
    from scheduler.model.solve import SolveOptions, solve
    from scheduler.networking.day import sessions_part

    event = read_event(ROOT / "examples" / "vernetzungstreffen.xlsx")[0]
    plan = solve(sessions_part(event), SolveOptions(time_limit=20))
    started = time.perf_counter()
    result = make_groups(event, plan, min(seconds, EXAMPLE_SECONDS))
    spent = time.perf_counter() - started
    return [
        row("example", "ours", event, plan, result.rounds, spent),
        row("example", "random shuffle", event, plan, shuffled(event, 0), 0.0),
    ]


def thousand(seconds: float) -> list[str]:
    rng = random.Random(7)
    weights = [1 / (1 + i) ** 0.8 for i in range(12)]
    organisations = rng.choices([f"Organisation {i + 1:02d}" for i in range(12)], weights=weights, k=1000)
    people = tuple(
        Person(f"p{i:04d}@x", f"Person {i:04d}", f"p{i:04d}@x", org, moderator=rng.random() < 0.1)
        for i, org in enumerate(organisations)
    )
    slots = [Slot(f"T{t}", clock(9 + 2 * t), clock(10 + 2 * t)) for t in range(4)]
    slots += [
        Slot(f"N{t}", clock(10 + 2 * t), clock(11 + 2 * t), "networking", "", group_size=(4, 6)) for t in range(4)
    ]
    event = Event("1000", tuple(slots), (Room("R", "Raum"),), (Session("S", "Session"),), people)
    runs = []
    for t in range(4):
        order = [p.id for p in people]
        rng.shuffle(order)
        runs += [Run("S", 25 * t + k + 1, (f"T{t}",), "R", tuple(order[k * 40 : (k + 1) * 40])) for k in range(25)]
    plan = Plan(tuple(runs), SolverInfo("BENCH"), Objective(0, 0, 0))
    started = time.perf_counter()
    result = make_groups(event, plan, seconds)
    spent = time.perf_counter() - started
    return [
        row("1,000 people", "ours", event, plan, result.rounds, spent),
        row("1,000 people", "random shuffle", event, plan, shuffled(event, 0), 0.0),
    ]


def golfer(seconds: float) -> list[str]:
    from scheduler.networking.groups import MOVES_PER_SECOND

    lines, best = [], 0
    for weeks in (8, 9, 10):
        n = 32
        instance = Instance(n, [-1 - i for i in range(n)], [False] * n, [set() for _ in range(n)],
                            [list(range(n))] * weeks, [(4,) * 8] * weeks, [0, 0, 0, 0])  # fmt: skip
        started = time.perf_counter()
        outcome = search(instance, int(MOVES_PER_SECOND * seconds), deadline=time.monotonic() + seconds)
        spent = time.perf_counter() - started
        rng = random.Random(0)
        shuffle_repeats = _shuffle_repeats(weeks, rng)
        lines.append(f"| golfer 8-4-{weeks} | ours | {weeks} | {outcome.values[0]} | – | – | – | – | {spent:.1f} |")
        lines.append(f"| golfer 8-4-{weeks} | random shuffle | {weeks} | {shuffle_repeats} | – | – | – | – | 0.0 |")
        if outcome.values[0] == 0:
            best = weeks
    lines.append(f"| golfer 8-4 | ours: most rounds without a repeat | {best} | 0 | – | – | – | – | – |")
    return lines


def _shuffle_repeats(weeks: int, rng: random.Random) -> int:
    met: dict[tuple[int, int], int] = {}
    for _ in range(weeks):
        order = list(range(32))
        rng.shuffle(order)
        for g in range(8):
            group = sorted(order[4 * g : 4 * g + 4])
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    met[(a, b)] = met.get((a, b), 0) + 1
    return sum(n - 1 for n in met.values() if n > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", default="example,1000,golfer")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the group search per instance")
    args = parser.parse_args()
    runs = {"example": example, "1000": thousand, "golfer": golfer}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    print(HEADER)
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.instances.split(","):
        for line in runs[name](args.seconds):
            print(line, flush=True)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
