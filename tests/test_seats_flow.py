"""Seats by min-cost flow for a fixed timetable, and the large-event path (greedy timetable + flow seats)."""

from __future__ import annotations

import threading

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.model.facts import Placed, Timetable, room_classes
from scheduler.model.heuristics.fair_seats import fair_seats
from scheduler.model.heuristics.greedy import fitted_timetable, greedy_timetable, timetable_moves
from scheduler.model.heuristics.move_search import swap_search
from scheduler.model.heuristics.rooms import assign_rooms
from scheduler.model.heuristics.seat_polish import polish_seats
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.runner import Runner
from scheduler.model.score import Score, evaluate, rank, weighted_ceiling
from scheduler.model.solve import Progress, SolveOptions, solve
from scheduler.plan import Objective, Plan, SolverInfo
from scheduler.validate import validate
from tests.test_model_rules import event, person, pid, room, session

TIMETABLE: Timetable = {"A": (("T1", "R1"),), "B": (("T1", "R1"),), "C": (("T2", "R1"),), "D": (("T2", "R1"),)}


def small_event() -> Event:
    """K = 2 (weights 2, 1). T1: A (1 seat) and B; T2: C (2 seats) and D (at least 1 attendee)."""
    sessions = [session("A", capacity=1), session("B"), session("C", capacity=2), session("D", minimum=1)]
    people = [person("p1", "A", "C"), person("p2", "C", "A"), person("p3", "C"), person("p4", "B", "A")]
    return event(2, [room("R1"), room("R2")], sessions, people)


def as_plan(ev: Event, placed: list[Placed]) -> Plan:
    score = evaluate(ev, placed)
    objective = Objective(score.max_shortfall, score.weighted, score.weighted)
    return Plan(assign_rooms(ev, room_classes(ev), placed), SolverInfo("FLOW"), objective)


def test_flow_seats_grant_the_wishes_at_risk_first_and_fill_the_minimum() -> None:
    # T1: A's one seat: p1 (rank 1, cost -(2 + 3)) beats p2 (rank 2, -(1 + 3)); the bonus 3 = top weight + 1
    # because each could still miss their target by one. p4 takes B (rank 1), everyone else fills B.
    # T2: p2 has no A, so missing C would cost a second wish (bonus 3 * 64): p2 and p3 get C's two seats,
    # p1 and p4 go to D, which meets its minimum of 1.
    # Weighted: p1 A 2 + p2 C 2 + p3 C 2 + p4 B 2 = 8 (the optimum); largest shortfall 1 (p1, p2, p4: 2 - 1).
    ev = small_event()
    placed = assign_seats(ev, TIMETABLE)
    assert placed is not None
    attendees = {p.session: p.attendees for p in placed}
    assert attendees == {
        "A": (pid("p1"),),
        "B": (pid("p2"), pid("p3"), pid("p4")),
        "C": (pid("p2"), pid("p3")),
        "D": (pid("p1"), pid("p4")),
    }
    report = validate(ev, as_plan(ev, placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (1, 8)


def test_flow_seats_give_up_when_a_minimum_cannot_be_met() -> None:
    ev = event(1, [room("R1")], [session("A", minimum=2)], [person("p1", "A")])
    assert assign_seats(ev, {"A": (("T1", "R1"),)}) is None


def test_greedy_timetable_with_flow_seats_is_valid_on_a_generated_event() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    placed = assign_seats(ev, timetable)
    assert placed is not None
    assert validate(ev, as_plan(ev, placed)).violations == []


def test_large_event_path_gives_a_valid_deterministic_plan() -> None:
    ev = generate_event(participants=300, sessions=12, slots=3, rooms=6, seed=1)
    options = SolveOptions(time_limit=600.0, work=3.0, seed=0, workers=1, path="two_stage")  # work ends it
    seen: list[Progress] = []
    plan = solve(ev, options, on_progress=seen.append)
    report = validate(ev, plan)
    assert seen and all(p.bound == weighted_ceiling(ev) for p in seen)  # the live display shows best, bound, gap
    assert seen[-1].best == report.weighted
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)
    assert plan.objective.weighted_bound >= plan.objective.weighted
    assert [w.message("en").startswith("Large event (300 people)") for w in plan.warnings] == [True]
    assert solve(ev, options).runs == plan.runs


def test_large_event_path_stopped_at_once_keeps_the_greedy_plan() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    stop = threading.Event()
    stop.set()
    plan = solve(ev, SolveOptions(time_limit=10.0, seed=0, workers=1, path="two_stage"), stop=stop)
    assert plan.solver.interrupted is True
    assert validate(ev, plan).violations == []


ROOM_SWAP: Timetable = {"A": (("T1", "R1"),), "B": (("T1", "R2"),)}


def popular_in_small_room() -> Event:
    """One slot; A (wished by all three) sits in the 1-seat room R1, B (wished by nobody) in the 3-seat R2."""
    people = [person("p1", "A"), person("p2", "A"), person("p3", "A")]
    return event(1, [room("R1", capacity=1), room("R2", capacity=3)], [session("A"), session("B")], people)


def test_moves_swap_the_rooms_of_two_runs_in_one_slot() -> None:
    # The only move: both rooms are taken, so A and B trade rooms; then all three wishes for A fit (1 each).
    ev = popular_in_small_room()
    moves = list(timetable_moves(ev, ROOM_SWAP))
    assert [move for move, _ in moves] == [(("A", ("T1", "R1"), ("T1", "R2")), ("B", ("T1", "R2"), ("T1", "R1")))]
    before, after = assign_seats(ev, ROOM_SWAP), assign_seats(ev, moves[0][1])
    assert before is not None and after is not None
    assert (evaluate(ev, before).weighted, evaluate(ev, after).weighted) == (1, 3)
    assert validate(ev, as_plan(ev, after)).violations == []


def test_moves_put_a_run_into_a_free_room_of_its_slot_or_another() -> None:
    # R3 is free in T1, R1 and R3 in T2 (C takes R2 there): A may move into each; every move keeps the rules.
    ev = event(
        2,
        [room("R1", capacity=1), room("R2", capacity=3), room("R3", capacity=3, features="Whiteboard")],
        [session("A"), session("B"), session("C")],
        [person("p1", "A", "C"), person("p2", "A"), person("p3", "A", "B")],
    )
    timetable: Timetable = {"A": (("T1", "R1"),), "B": (("T1", "R2"),), "C": (("T2", "R2"),)}
    moves = [move for move, _ in timetable_moves(ev, timetable)]
    single = {move[0][2] for move in moves if len(move) == 1 and move[0][0] == "A"}
    assert single == {("T1", "R3"), ("T2", "R1"), ("T2", "R3")}
    for _, candidate in timetable_moves(ev, timetable):
        placed = assign_seats(ev, candidate)
        assert placed is not None
        assert validate(ev, as_plan(ev, placed)).violations == []


def test_move_search_keeps_only_better_plans_and_stays_valid() -> None:
    ev = popular_in_small_room()
    runner = Runner(SolveOptions(time_limit=10.0), None, None)
    start = fair_seats(ev, ROOM_SWAP)
    assert start.placed is not None and evaluate(ev, start.placed) == Score(1, 1)  # one seat in A: two miss it
    timetable, placed, _ = swap_search(ev, runner, ROOM_SWAP, start, budget=10)
    assert timetable == {"A": (("T1", "R2"),), "B": (("T1", "R1"),)}
    assert evaluate(ev, placed) == Score(0, 3)
    assert validate(ev, as_plan(ev, placed)).violations == []


def test_fitted_timetable_fair_seats_and_polish_are_valid_and_never_worse() -> None:
    ev = generate_event(participants=135, sessions=14, slots=3, rooms=5, seed=0)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    fitted = fitted_timetable(ev, greedy)
    plain = assign_seats(ev, fitted)
    fair = fair_seats(ev, fitted)
    assert plain is not None and fair.placed is not None
    polished = polish_seats(ev, fair.placed)
    assert rank(ev, polished) <= rank(ev, fair.placed) <= rank(ev, plain)
    for placed in (fair.placed, polished):
        assert validate(ev, as_plan(ev, placed)).violations == []
