"""CP-SAT seats for a fixed timetable: the exact seat model, and the exact seats of the searched timetable.

The flow seats slot by slot; this model sees every slot at once, so it finds fairer seats or more weighted
wishes where the flow cannot (see `exact_seats`).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.objective import max_shortfall, weighted_wishes
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, Timetable
from scheduler.model.runner import MODEL_VARIABLES_PER_SECOND, Runner
from scheduler.model.score import evaluate, rank

FAIRER_SHARE = 0.3  # of the exact seats' work, for seats one shortfall fairer than the flow found


def exact_seats(event: Event, runner: Runner, timetable: Timetable, placed: list[Placed], work: float) -> list[Placed]:
    """CP-SAT seats for the final timetable: one shortfall fairer than the flow's if it finds such seats in
    FAIRER_SHARE of the work, else with the flow's largest shortfall; the flow plan if not better.

    The flow seats slot by slot and buys fairness with weighted wishes; CP-SAT sees every slot at once
    (1,000 people, greedy timetable: 9,270 by flow, 9,583 proven optimal in 4 work units; on the
    ConferenceScheduler timetable of 500 people the flow's largest shortfall is 3 where CP-SAT finds 2).
    Unhinted on purpose: hinted with the flow seats it stayed at them.
    """
    worst = evaluate(event, placed).max_shortfall
    if worst > 0:
        fairer = _seats_within(event, runner, timetable, worst - 1, FAIRER_SHARE * work)
        if fairer is not None:
            return fairer
    found = _seats_within(event, runner, timetable, worst, (1 - FAIRER_SHARE) * work)
    return placed if found is None else min((placed, found), key=lambda c: rank(event, c))


def seat_model(event: Event, timetable: Timetable, worst: int) -> tuple[cp_model.CpModel, PlanVars]:
    """The runs limited to `timetable` (rooms of a class still free to choose), every rule, nobody's shortfall
    above `worst`, the most weighted wishes wanted."""
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    model.add(max_shortfall(event, model, v) <= worst)
    model.maximize(weighted_wishes(event, v))
    return model, v


def _seats_within(event: Event, runner: Runner, timetable: Timetable, worst: int, work: float) -> list[Placed] | None:
    """The most weighted wishes CP-SAT finds for the timetable with nobody's shortfall above `worst`."""
    people_runs = len(event.participants) * sum(s.runs for s in event.sessions)
    if runner.stopped() or runner.out_of_time(people_runs / MODEL_VARIABLES_PER_SECOND):
        return None
    model, v = seat_model(event, timetable, worst)
    solver, status = runner.solve(f"exact seats, largest shortfall {worst}", model, work)
    return v.extract(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
