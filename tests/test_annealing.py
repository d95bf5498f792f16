"""The annealing of the timetable on per-slot wish flows, seated by CP-SAT (two-stage path, where exact seats fit)."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.model.cpsat.seat_model import exact_seats
from scheduler.model.facts import Placed, Timetable, room_classes, seat_limit
from scheduler.model.heuristics import annealing, move_search
from scheduler.model.heuristics.greedy import Moves, greedy_timetable
from scheduler.model.runner import Runner
from scheduler.model.score import evaluate, rank
from scheduler.model.solve import SolveOptions, solve
from scheduler.validate import validate
from tests.test_seats_flow import as_plan

LONG = 600.0  # a time limit far above what the work budget takes: the work limit ends these searches


def _seeded(participants: int, sessions: int, slots: int, rooms: int, seed: int):  # type: ignore[no-untyped-def]
    ev = generate_event(participants=participants, sessions=sessions, slots=slots, rooms=rooms, seed=seed)
    runner = Runner(SolveOptions(time_limit=LONG), None, None)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    timetable, seats = move_search.seed(ev, runner, greedy, 100)
    assert seats.placed is not None
    return ev, runner, timetable, seats


def test_the_annealing_finds_a_better_plan_than_the_move_search_with_exact_seats() -> None:
    ev, runner, timetable, seats = _seeded(300, 16, 4, 6, 1)
    assert seats.placed is not None
    moved, placed, _ = move_search.swap_search(ev, runner, timetable, seats, budget=10**6)  # until no move helps
    searched = exact_seats(ev, runner, moved, placed, 4.0)
    found = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 3.0, seed=1)
    assert rank(ev, found.placed) < rank(ev, searched) < rank(ev, seats.placed)
    assert found.moves > 0
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == tuple(vars(evaluate(ev, found.placed)).values())


@pytest.mark.parametrize(
    "participants, sessions, slots, rooms, seed", [(150, 12, 3, 5, 1), (200, 12, 4, 5, 2), (250, 14, 4, 5, 2)]
)
def test_the_annealing_beats_its_start_on_generated_events(
    participants: int, sessions: int, slots: int, rooms: int, seed: int
) -> None:
    """Several generated events, each with a session of two runs and one of two slots (measured, work 3: +51,
    +63, +115 weighted; 300 people +251 and 250 people, generator seed 1, fairness 3 -> 2 as well)."""
    ev, runner, timetable, seats = _seeded(participants, sessions, slots, rooms, seed)
    assert seats.placed is not None
    found = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 3.0, seed=0)
    assert rank(ev, found.placed) < rank(ev, seats.placed)
    report = validate(ev, as_plan(ev, found.placed))
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == tuple(vars(evaluate(ev, found.placed)).values())


def test_the_same_seed_gives_the_same_plan_and_the_start_is_kept_when_nothing_beats_it() -> None:
    ev, runner, timetable, seats = _seeded(150, 12, 3, 5, 1)
    assert seats.placed is not None
    found = [annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 1.5, seed=3) for _ in range(2)]
    assert found[0].placed == found[1].placed and found[0].moves == found[1].moves > 0
    assert rank(ev, found[0].placed) < rank(ev, seats.placed)
    none = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 0.0, seed=3)
    assert none.moves == 0 and rank(ev, none.placed) <= rank(ev, seats.placed)


def test_on_the_two_stage_path_the_annealed_plan_replaces_the_move_search_and_is_valid() -> None:
    ev = generate_event(participants=250, sessions=14, slots=4, rooms=5, seed=1)
    plan = solve(ev, SolveOptions(time_limit=LONG, work=8.0, path="two_stage"))
    report = validate(ev, plan)
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)
    phases = {p.name: p for p in plan.solver.phases}
    seed, annealed = phases["seed"], phases["annealing"]
    assert seed.max_shortfall is not None and seed.weighted is not None
    assert annealed.improvement is not None and annealed.improvement > (0, 0)
    assert phases["swap search"].skipped and phases["exact seats"].skipped
    assert plan.solver.ended_by in ("work", "moves")  # not the wall clock: the same plan on every run


def test_with_every_session_pinned_nothing_is_annealed_and_the_exact_seats_run() -> None:
    """Nothing to move: the annealing must neither spend the budget nor stand in for the exact seats (the
    benchmark's pinned ConferenceScheduler timetable lost fairness and ran past its limit that way)."""
    ev = generate_event(participants=250, sessions=14, slots=4, rooms=5, seed=1)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    pinned = tuple(
        dataclasses.replace(s, fixed_slot=greedy[s.id][0][0]) if s.runs == 1 and s.duration == 1 else s
        for s in ev.sessions
    )
    ev = dataclasses.replace(ev, sessions=pinned)
    runner = Runner(SolveOptions(time_limit=LONG), None, None)
    none = annealing.search(ev, runner, greedy, [], {}, 2.0, seed=1)
    assert (none.placed, none.moves, none.building) == ([], 0, 0.0)
    plan = solve(ev, SolveOptions(time_limit=LONG, work=4.0, path="two_stage"))
    report = validate(ev, plan)
    assert report.violations == []
    phases = {p.name: p for p in plan.solver.phases}
    assert phases["annealing"].improvement in (None, (0, 0))
    assert not phases["exact seats"].skipped
    exact = phases["exact seats"]
    assert (exact.max_shortfall, exact.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)


def test_moving_the_runs_of_a_session_that_runs_twice_or_lasts_two_slots_finds_better_plans() -> None:
    """The generated event has a session of two runs and one of two slots; the seed places them where the
    greedy timetable put them. With their runs movable the annealing finds a better plan for every seed tried
    (300 people, measured for seeds 0-3: 3,267-3,284 weighted against 3,235-3,248 at work 5)."""
    ev, runner, timetable, seats = _seeded(300, 16, 4, 6, 1)
    assert seats.placed is not None
    others = Moves(ev, timetable).others()
    assert {(ev.session(s).runs, ev.session(s).duration) for s in others} == {(2, 1), (1, 2)}
    for seed in (0, 1):
        moving = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 3.0, seed=seed)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Moves, "others", lambda self: [])
            fixed = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 3.0, seed=seed)
        assert rank(ev, moving.placed) < rank(ev, fixed.placed) < rank(ev, seats.placed)
        moved = {r.session: r.start for r in moving.placed if r.session in others}
        kept = {r.session: r.start for r in seats.placed if r.session in others}
        assert moved != kept or _runs(moving.placed, others) != _runs(seats.placed, others)
        report = validate(ev, as_plan(ev, moving.placed))
        assert report.violations == []
        assert (report.max_shortfall, report.weighted) == tuple(vars(evaluate(ev, moving.placed)).values())


def _runs(placed: list[Placed], sessions: list[str]) -> set[tuple[str, str, str]]:
    return {(r.session, r.start, r.room_class) for r in placed if r.session in sessions}


def test_a_budget_too_short_for_a_run_is_left_to_the_move_search() -> None:
    """Below MIN_MOVES_PER_SESSION moves per movable session no run starts (1,000 people at 60 s: the run's best
    timetable could not be seated as fairly as the seed, and the seatings spent were missing in the move search)."""
    ev, runner, timetable, seats = _seeded(150, 12, 3, 5, 1)
    assert seats.placed is not None
    short = annealing.search(ev, runner, timetable, seats.placed, seats.bonus, 1.0, seed=3)
    assert (short.placed, short.moves, short.building) == (seats.placed, 0, 0.0)
    plan = solve(ev, SolveOptions(time_limit=LONG, work=4.0, path="two_stage"))
    report = validate(ev, plan)
    assert report.violations == []
    phases = {p.name: p for p in plan.solver.phases}
    assert phases["annealing"].spent == 0.0 and phases["annealing"].improvement == (0, 0)
    searched = phases["swap search"]
    assert not searched.skipped and searched.spent is not None and searched.spent > 0
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)


def test_a_move_of_a_session_of_two_slots_keeps_enough_seats_in_both_slots() -> None:
    """The generated event has a move of its two-slot session that leaves the slot its second half covers short
    of seats (the rule used to check the start slots only): the annealing may not make it."""
    ev = generate_event(participants=250, sessions=14, slots=4, rooms=5, seed=1)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    moves = Moves(ev, greedy)
    (two,) = [s for s in moves.others() if ev.session(s).duration == 2]
    here = moves.place(two)
    short = [to for to in moves.allowed(two) if to != here and _short_slots(ev, {**greedy, two: (to,)})]
    assert short
    for to in short:
        assert not moves.apply(((two, here, to),))
    assert moves.timetable() == greedy


def _short_slots(event: Event, timetable: Timetable) -> list[str]:
    """Slots with fewer seats than the participants there who are free and not hosting."""
    classes = {c.id: c for c in room_classes(event)}
    short = []
    for t in event.session_slots:
        runs = [
            (event.session(s), c)
            for s, places in timetable.items()
            for start, c in places
            if t.id in event.covered_slots(start, event.session(s).duration)
        ]
        seats = sum(seat_limit(event, s, classes[c]) for s, c in runs)
        hosting = {h for s, _ in runs for h in s.hosts}
        if seats < sum(1 for p in event.participants if t.id not in p.unavailable and p.id not in hosting):
            short.append(t.id)
    return short
