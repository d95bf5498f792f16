"""The solver checked by the independent validator: random small events are solved into valid plans whose
stated objective is the one the validator recomputes, and a solved plan passes `scheduler verify`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Event
from scheduler.io.planfile import write_plan
from scheduler.io.workbook import read_event
from scheduler.model.solve import SolveOptions, solve
from scheduler.plan import Plan
from scheduler.validate import validate
from tests.tiny_plans import events_with_plans
from tests.workbooks import write_workbook

OPTIONS = SolveOptions(time_limit=5.0, seed=0, workers=2)


def with_tight_rooms(event: Event, plan: Plan) -> Event:
    """Room capacities just large enough for the known valid plan, so capacity rules bind but stay feasible."""
    fill: dict[str, int] = {}
    for run in plan.runs:
        fill[run.room] = max(fill.get(run.room, 0), len(run.attendees))
    return replace(event, rooms=tuple(replace(r, capacity=max(fill.get(r.id, 0), 1)) for r in event.rooms))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events_with_plans())
def test_solved_random_event_is_valid_and_states_its_objective(case: tuple[Event, Plan]) -> None:
    event = with_tight_rooms(*case)
    plan = solve(event, OPTIONS)
    report = validate(event, plan, check_objective=True)
    assert report.violations == []
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (report.max_shortfall, report.weighted)
    assert plan.objective.weighted_bound >= plan.objective.weighted


def test_solved_workbook_plan_passes_verify(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    event, _ = read_event(workbook)
    write_plan(tmp_path / "plan.json", event, solve(event, OPTIONS))
    result = CliRunner().invoke(app, ["verify", str(workbook), str(tmp_path / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "Plan ist gültig." in result.output
