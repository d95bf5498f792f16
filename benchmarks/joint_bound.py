"""Benchmark: CP-SAT's own bound on the joint model of a large event, given time (issue 14 point 3).

    python benchmarks/joint_bound.py --instance 500 --seconds 600 --workers 2

First our plan (the two-stage path, `--plan-limit` seconds, no bound beside), then the joint model with every
rule, the largest shortfall at most that plan's, maximising the weighted wishes, hinted with the plan. Prints
the bound and the best objective as CP-SAT improves them, and one JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_bench import load


def main() -> None:
    from ortools.sat.python import cp_model

    from scheduler.model.cpsat.objective import max_shortfall, weighted_wishes
    from scheduler.model.cpsat.rules import Guard, build_rules
    from scheduler.model.cpsat.variables import PlanVars
    from scheduler.model.pipeline import Solving, run_path
    from scheduler.model.runner import Runner, SolveOptions
    from scheduler.model.score import evaluate
    from scheduler.model.solve import TWO_STAGE_PATH

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instance", default="500")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plan-limit", type=float, default=60.0)
    args = parser.parse_args()

    event = load(args.instance)
    options = SolveOptions(time_limit=args.plan_limit, slot_search=False)
    solving = Solving(event, Runner(options, None, None))
    run_path(solving, TWO_STAGE_PATH, options.budget)
    plan = solving.best()
    assert plan is not None
    score = evaluate(event, plan)
    print(f"hint: {score.max_shortfall} / {score.weighted}, load {os.getloadavg()[0]:.2f}", flush=True)

    started = time.perf_counter()
    model = cp_model.CpModel()
    v = PlanVars(event, model)
    build_rules(event, model, v, Guard(model))
    model.add(max_shortfall(event, model, v) <= score.max_shortfall)
    model.maximize(weighted_wishes(event, v))
    v.hint(plan)
    built = time.perf_counter() - started
    print(f"joint model built in {built:.1f} s", flush=True)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = args.workers
    solver.parameters.max_time_in_seconds = args.seconds
    solver.parameters.random_seed = 0

    def on_bound(bound: float) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  bound {bound:.0f}  load {os.getloadavg()[0]:.2f}", flush=True)

    class Solutions(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            print(f"{time.perf_counter() - started:7.1f} s  objective {self.objective_value:.0f}", flush=True)

    solver.best_bound_callback = on_bound
    status = solver.solve(model, Solutions())
    print(
        json.dumps(
            {
                "instance": args.instance,
                "status": solver.status_name(status),
                "objective": solver.objective_value,
                "bound": solver.best_objective_bound,
                "hint": [score.max_shortfall, score.weighted],
                "seconds": round(solver.wall_time, 1),
                "build_seconds": round(built, 1),
                "workers": args.workers,
                "load_after": round(os.getloadavg()[0], 2),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
