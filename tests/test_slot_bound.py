"""The slot bound: exact where only collisions separate plans from the simple ceiling, never below a plan."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.example import generate_event
from scheduler.model.bounds import bound_process
from scheduler.model.bounds.slot_bound import slot_bound
from scheduler.model.bounds.slot_search import SlotResult, slot_plan
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.score import weighted_ceiling
from scheduler.model.solve import SolveOptions, solve
from scheduler.validate import validate
from tests.test_model_rules import event, person, room, session, solved


def test_the_bound_sees_that_two_of_three_sessions_must_share_a_slot() -> None:
    # 2 slots, 2 rooms, 3 sessions: one slot holds two of them, so someone's two wishes collide.
    # Weights 2 (1st wish) and 1 (2nd). Without collisions everyone gets both: 9 (the simple ceiling).
    # Every timetable loses at least one 2nd wish: A+B together costs p1 B, A+C costs p3 C, B+C costs p2 C.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("A"), session("B"), session("C")],
        [person("p1", "A", "B"), person("p2", "B", "C"), person("p3", "A", "C")],
    )
    assert weighted_ceiling(ev) == 9
    assert slot_bound(ev, seconds=10) == 8
    plan = solved(ev)
    assert (plan.solver.status, plan.objective.weighted, plan.objective.weighted_bound) == ("OPTIMAL", 8, 8)


def test_a_person_counts_once_for_a_session_with_two_runs() -> None:
    # A runs twice (T1 and T2), B once. Both people wish A first (weight 2) and B second (1).
    # Slot by slot each could attend A twice (2 + 2 + 1 ...); the prices per person and run remove that:
    # the best plan gives both A in one slot and B in the other: 2 * (2 + 1) = 6.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("A", runs=2), session("B")],
        [person("p1", "A", "B"), person("p2", "A", "B")],
    )
    bound = slot_bound(ev, seconds=10)
    assert bound is not None and 6 <= bound < 8
    plan = solved(ev)
    assert plan.objective.weighted == 6


def test_no_bound_for_too_many_columns() -> None:
    assert slot_bound(generate_event(participants=200, sessions=30, slots=4, rooms=10, seed=0), seconds=10) is None


def test_no_bound_when_the_time_is_too_short_for_one_round() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    assert slot_bound(ev, seconds=0.01) is None


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_no_plan_beats_the_bound(seed: int) -> None:
    ev = generate_event(participants=14, sessions=5, slots=2, rooms=3, seed=seed)
    bound = slot_bound(ev, seconds=10)
    assert bound is not None
    plan = solve(ev, SolveOptions(time_limit=10, seed=0, workers=1))
    report = validate(ev, plan)
    assert report.violations == []
    assert report.weighted <= bound
    assert plan.objective.weighted_bound <= bound


def test_no_bound_when_no_timetable_exists() -> None:
    # Two sessions fixed to the one slot and the one room: no column holds both.
    ev = event(1, [room("R1")], [session("A", fixed_slot="T1"), session("B", fixed_slot="T1")], [person("p1", "A")])
    assert slot_bound(ev, seconds=10) is None


def test_the_child_process_gives_the_same_result_as_this_one() -> None:
    ev = generate_event(participants=30, sessions=6, slots=2, rooms=4, seed=3)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    start = assign_seats(ev, timetable)
    here = slot_plan(ev, 10, start)
    assert here.bound is not None and here.proven
    job = bound_process.BoundJob(ev, 10, start, always_child=True)
    assert job.result() == here
    cancelled = bound_process.BoundJob(ev, 10, start, always_child=True)
    assert cancelled.result(cancelled=lambda: True) == SlotResult(None)  # Ctrl-C while waiting: child ended


def test_a_deferred_job_starts_its_rounds_at_once_and_searches_from_the_plan_handed_later() -> None:
    ev = generate_event(participants=30, sessions=6, slots=2, rooms=4, seed=3)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    start = assign_seats(ev, timetable)
    here = slot_plan(ev, 10, start)
    for always_child in (True, False):
        job = bound_process.BoundJob(ev, 10, always_child=always_child, deferred=True)
        if always_child:
            assert job.ready() is None  # the child waits for its start plan
        job.begin(start)
        assert job.result() == here
