"""Plan files to send from: the hand-made sample (umlauts, a formula name, one person without e-mail) and the
bundled example's 144 people, seated by the greedy start so that no solver time is spent (its networking
rounds grouped)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler.io.planfile import write_plan
from scheduler.io.workbook import read_event
from scheduler.model.facts import room_classes
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.score import evaluate
from scheduler.networking.groups import with_groups
from scheduler.plan import Objective, Plan, SolverInfo
from tests.plan_fixtures import sample_event, sample_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "vernetzungstreffen.xlsx"


def write_sample_plan(directory: Path, **event_fields: str) -> Path:
    """The sample plan; `event_fields` set `Veranstaltung` fields such as `language`, `sender` or `contact`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "plan.json"
    write_plan(path, replace(sample_event(), **event_fields), sample_plan())
    return path


def write_example_plan(directory: Path) -> Path:
    event = read_event(EXAMPLE)[0]
    timetable = greedy_timetable(event)
    assert timetable is not None
    placed = assign_seats(event, timetable)
    assert placed is not None
    score = evaluate(event, placed)
    plan = Plan(
        runs=assign_rooms(event, room_classes(event), placed),
        solver=SolverInfo("FEASIBLE", 0.0, 0, 1.0, False),
        objective=Objective(score.max_shortfall, score.weighted, score.weighted),
    )
    path = directory / "plan.json"
    write_plan(path, event, with_groups(event, plan, seconds=5))  # the example's two networking rounds
    return path
