"""Benchmark: our joint model against the hand plan and the ConferenceScheduler timetable.

    python benchmarks/plan_bench.py                      # every instance, limits 10, 60, 300 s
    python benchmarks/plan_bench.py --instances example --limits 10,60
    python benchmarks/plan_bench.py --instances example --limits 60 --beside 1   # also with 1 spinning process

Each measurement runs in a fresh child process so that its peak memory is its own. Every plan is scored by
the independent validator; a plan that breaks a rule is marked INVALID. A baseline that cannot make a plan
says why (NO HAND PLAN, NO TIMETABLE, NO PLAN and the reason). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = {  # name: (participants, sessions, slots, rooms); "example" is the bundled workbook
    "example": None,
    "500": (500, 24, 4, 8),
    "1000": (1000, 40, 4, 12),
    "5000": (5000, 120, 6, 24),
    "10000": (10000, 200, 8, 30),
}


def load(instance: str):  # type: ignore[no-untyped-def]
    from scheduler.example import generate_event
    from scheduler.io.workbook import read_event
    from scheduler.networking.day import sessions_part

    size = INSTANCES[instance]
    if size is None:  # the sessions: networking groups are measured by networking_bench.py
        return sessions_part(read_event(ROOT / "examples" / "vernetzungstreffen.xlsx")[0])
    people, sessions, slots, rooms = size
    return generate_event(participants=people, sessions=sessions, slots=slots, rooms=rooms, seed=1)


def measure(instance: str, method: str, limit: float) -> dict[str, object]:
    """One plan made and scored in this process."""
    from baselines import NoBaseline, conference_scheduler_timetable, hand_plan

    from scheduler.model.explain import Infeasible
    from scheduler.model.solve import NoPlanFound, SolveOptions, solve
    from scheduler.validate import validate

    event = load(instance)
    started = time.perf_counter()
    try:
        if method == "hand":
            plan = hand_plan(event)
        elif method == "conference-scheduler":
            plan = solve(conference_scheduler_timetable(event), SolveOptions(time_limit=limit))
        else:
            plan = solve(event, SolveOptions(time_limit=limit))
    except NoBaseline as error:
        return {"status": str(error), "seconds": round(time.perf_counter() - started, 1)}
    except (NoPlanFound, Infeasible) as error:
        in_time = "none found within the time limit"
        reasons = "; ".join(r("en") for r in error.reasons) if isinstance(error, Infeasible) else in_time
        return {"status": f"NO PLAN ({reasons})", "seconds": round(time.perf_counter() - started, 1)}
    seconds = time.perf_counter() - started
    report = validate(event, plan)
    ours = method == "ours"
    return {
        "status": plan.solver.status if report.ok else "INVALID",
        "violations": len(report.violations),
        "fairness": report.max_shortfall,
        "weighted": report.weighted,
        "bound": plan.objective.weighted_bound if ours else None,
        "seconds": round(seconds, 1),
        "peak_mib": round(peak_kib() / 1024),
    }


def peak_kib() -> int:
    """Peak memory of this process plus that of its largest finished child (the slot bound runs in one)."""
    return sum(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


SPIN = "while True: pass"  # a fixed CPU load: one core's worth per process


def run_child(instance: str, method: str, limit: float, beside: int = 0) -> dict[str, object]:
    """One measurement in a fresh process; with `beside` processes spinning on the CPU meanwhile."""
    command = [sys.executable, __file__, "--one", instance, method, str(limit)]
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(beside)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    if done.returncode != 0:
        return {"status": f"ERROR ({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})"}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table(instances: list[str], limits: list[float], cs_limit: float, beside: int = 0) -> str:
    lines = [
        "| instance | method | status | max shortfall | weighted | × hand | proven bound | gap | s | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for instance in instances:
        rows = [
            ("hand", "hand", 0.0, 0),
            ("conference-scheduler", f"ConferenceScheduler + our seats ({cs_limit:g} s)", cs_limit, 0),
        ]
        rows += [("ours", f"ours {limit:g} s", limit, 0) for limit in limits]
        if beside:
            rows += [("ours", f"ours {limit:g} s, {beside} spinning beside", limit, beside) for limit in limits]
        hand_value = None
        for method, label, limit, load in rows:
            r = run_child(instance, method, limit, load)
            weighted = r.get("weighted")
            if method == "hand" and isinstance(weighted, int):
                hand_value = weighted
            ratio = f"{weighted / hand_value:.2f}" if isinstance(weighted, int) and hand_value else "–"
            bound = r.get("bound")
            gap = (
                f"{(bound - weighted) / bound:.1%}"
                if isinstance(bound, int) and isinstance(weighted, int) and bound
                else "–"
            )
            cells = [
                instance,
                label,
                r.get("status"),
                r.get("fairness", "–"),
                weighted if weighted is not None else "–",
            ]
            cells += [ratio, bound if bound is not None else "–", gap, r.get("seconds", "–"), r.get("peak_mib", "–")]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", default=",".join(INSTANCES), help="comma-separated: " + ", ".join(INSTANCES))
    parser.add_argument("--limits", default="10,60,300", help="time limits for our solver, seconds")
    parser.add_argument("--cs-limit", type=float, default=60.0, help="time limit for seats on the CS timetable")
    parser.add_argument("--beside", type=int, default=0, help="also run ours with this many processes spinning")
    parser.add_argument("--one", nargs=3, metavar=("INSTANCE", "METHOD", "LIMIT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        instance, method, limit = args.one
        print(json.dumps(measure(instance, method, float(limit))))
        return
    limits = [float(x) for x in args.limits.split(",")]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, ", end="")
    print(f"{len(os.sched_getaffinity(0))} cores")
    print(f"load before: {os.getloadavg()[0]:.2f}")
    print(table(args.instances.split(","), limits, args.cs_limit, args.beside))


if __name__ == "__main__":
    main()
