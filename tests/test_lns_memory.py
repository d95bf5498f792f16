"""The large-neighbourhood search builds a CP-SAT model of the whole event per step; the model sits in reference
cycles, so unless the step frees it, only the cyclic collector does, late (1,000 people: 16 steps held 824 MiB
where one model needs about 100)."""

from __future__ import annotations

import gc

from ortools.sat.python import cp_model

from scheduler.example import generate_event
from scheduler.model.heuristics import lns
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.runner import Runner
from scheduler.model.solve import SolveOptions


def live_models() -> int:
    return sum(isinstance(o, cp_model.CpModel) for o in gc.get_objects())


def test_no_step_model_outlives_its_step() -> None:
    ev = generate_event(participants=60, sessions=8, slots=3, rooms=4, seed=1)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    placed = assign_seats(ev, timetable)
    assert placed is not None
    gc.collect()
    before = live_models()
    gc.disable()  # as between the collector's rare full runs
    try:
        found = lns.search(ev, Runner(SolveOptions(time_limit=60), None, None), placed, 4.0, 0)
        assert found.steps >= 3
        assert live_models() - before <= 1  # at most the last step's, freed at the next
    finally:
        gc.enable()
