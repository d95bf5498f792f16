"""The large events' timetable search by slot values (heuristics/pair_swaps.py) and the slot re-seating it
shares with the polish (heuristics/seat_polish.py)."""

from __future__ import annotations

import pytest

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.model import phases
from scheduler.model.facts import Placed, Timetable
from scheduler.model.heuristics import move_search, pair_swaps, slot_annealing
from scheduler.model.heuristics.fair_seats import fair_seats
from scheduler.model.heuristics.greedy import fitted_timetable, greedy_timetable
from scheduler.model.heuristics.seat_polish import polish_seats, reseat_slot
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.phases import MIN_PAIR_SHARE, slot_value_seed
from scheduler.model.pipeline import Solving
from scheduler.model.runner import Runner
from scheduler.model.score import Score, evaluate
from scheduler.model.solve import SolveOptions
from scheduler.validate import validate
from tests.test_model_rules import event, person, pid, room, session
from tests.test_seats_flow import ROOM_SWAP, as_plan, popular_in_small_room

COLLIDING: Timetable = {
    "A": (("T1", "R1"),),
    "B": (("T1", "R1"),),
    "C": (("T2", "R1"),),
    "D": (("T2", "R1"),),
}


def colliding_wishes() -> Event:
    """Two slots, two like rooms (one class, R1); both people wish A (rank 1) and B (rank 2), which share T1;
    nobody wishes C or D in T2."""
    people = [person("p1", "A", "B"), person("p2", "A", "B")]
    sessions = [session("A"), session("B"), session("C"), session("D")]
    return event(2, [room("R1"), room("R2")], sessions, people)


def runner() -> Runner:
    return Runner(SolveOptions(time_limit=60.0), None, None)


def test_slot_value_is_the_best_seating_of_the_slot_for_single_run_sessions() -> None:
    ev = colliding_wishes()  # weights 2 (rank 1) and 1 (rank 2)
    values = pair_swaps.SlotValues(ev)
    assert values.scale == 1
    assert (values.of(COLLIDING, "T1"), values.of(COLLIDING, "T2")) == (4, 0)  # both take A; B collides
    placed = assign_seats(ev, COLLIDING, tolerated=2)
    assert placed is not None and evaluate(ev, placed).weighted == 4


def test_search_moves_a_colliding_session_to_the_other_slot() -> None:
    # A and B together in T1 grant 4 (A for both); B moved to T2 (in a swap or into a free room) grants 6.
    ev = colliding_wishes()
    found = pair_swaps.search(ev, runner(), COLLIDING, budget=100)
    slot = {s: places[0][0] for s, places in found.timetable.items()}
    assert slot["A"] != slot["B"]
    assert found.value == 6
    seats = fair_seats(ev, found.timetable)
    assert seats.placed is not None and evaluate(ev, seats.placed) == Score(0, 6)
    assert validate(ev, as_plan(ev, seats.placed)).violations == []


def test_search_swaps_rooms_when_the_popular_session_lacks_seats() -> None:
    ev = popular_in_small_room()  # A, wished by three, in the 1-seat room; B, wished by nobody, in 3 seats
    found = pair_swaps.search(ev, runner(), ROOM_SWAP, budget=100)
    assert found.timetable == {"A": (("T1", "R2"),), "B": (("T1", "R1"),)}
    assert found.value == 3


def test_search_stops_at_its_budget_of_slot_values() -> None:
    ev = colliding_wishes()
    found = pair_swaps.search(ev, runner(), COLLIDING, budget=2)  # the two slots' values at the start: no move
    assert (found.timetable, found.value, found.flows) == (COLLIDING, 4, 2)


def test_a_session_that_runs_twice_counts_half_its_wish_in_each_run() -> None:
    # A runs in T1 and T2; p1 wishes A (weight 1). Counted in full per run, the slot values would say 2 wishes.
    ev = event(2, [room("R1")], [session("A", runs=2)], [person("p1", "A")])
    values = pair_swaps.SlotValues(ev)
    timetable: Timetable = {"A": (("T1", "R1"), ("T2", "R1"))}
    assert values.scale == 2
    assert values.of(timetable, "T1") + values.of(timetable, "T2") == 2  # one wish of weight 1, in halves


def test_reseating_a_slot_keeps_people_out_of_a_session_they_attend_elsewhere() -> None:
    # A runs in T1 and T2, p1 and p2 attend it in T1. Re-seating T2, p1 (wishing A first) may not take A again;
    # the seats without a wish (the shared node) must not put p1 there either: p1 goes to B, p2 too.
    ev = event(2, [room("R1"), room("R2")], [session("A", runs=2), session("B")], [person("p1", "A"), person("p2")])
    placed = [
        Placed("A", "T1", "R1", (pid("p1"), pid("p2"))),
        Placed("A", "T2", "R1", ()),
        Placed("B", "T2", "R1", (pid("p1"), pid("p2"))),
    ]
    seated = reseat_slot(ev, placed, "T2", worst=0)
    assert seated is not None
    assert {r.start: r.attendees for r in seated if r.session == "A"}["T2"] == ()
    assert validate(ev, as_plan(ev, seated)).violations == []


def test_reseating_a_slot_fails_when_the_guard_cannot_hold() -> None:
    # p1 wishes only B, which has no seat for them in T1 (capacity 1, p2 must take it too): worst 0 cannot hold.
    ev = event(
        1, [room("R1"), room("R2")], [session("A"), session("B", capacity=1)], [person("p1", "B"), person("p2", "B")]
    )
    placed = [Placed("A", "T1", "R1", (pid("p1"),)), Placed("B", "T1", "R1", (pid("p2"),))]
    assert reseat_slot(ev, placed, "T1", worst=0) is None
    assert reseat_slot(ev, placed, "T1", worst=1) is not None


def test_slot_values_search_then_fair_seats_beat_fair_seats_alone_on_a_generated_event() -> None:
    ev = generate_event(participants=300, sessions=12, slots=3, rooms=6, seed=1)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    fitted = fitted_timetable(ev, greedy)
    found = pair_swaps.search(ev, runner(), fitted, budget=400)
    before, after = fair_seats(ev, fitted).placed, fair_seats(ev, found.timetable).placed
    assert before is not None and after is not None
    plain, searched = evaluate(ev, polish_seats(ev, before)), evaluate(ev, polish_seats(ev, after))
    assert (searched.max_shortfall, -searched.weighted) < (plain.max_shortfall, -plain.weighted)
    assert validate(ev, as_plan(ev, polish_seats(ev, after))).violations == []


def test_the_slot_values_phase_seats_its_timetable_fairly_within_its_work() -> None:
    # The phase that replaces `seed` where exact seats do not fit, run on a small event: it spends what it
    # counts (slot values plus seatings). Its search stalls long before its budget, so the annealing goes on
    # from the search's timetable; the plan is the better one of both timetables' fair seats, above the fair
    # seats of the timetable it starts from.
    ev = generate_event(participants=300, sessions=12, slots=3, rooms=6, seed=1)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    s = Solving(ev, runner(), timetables={"greedy": greedy})
    spent = slot_value_seed(s, 3.0)
    placed = s.fast["greedy"]
    assert s.seats is not None and placed is s.seats.placed and placed is not None
    assert 0 < spent <= 3.0
    full_rounds = move_search.seatings_work(ev, 17)
    budget = pair_swaps.flows_of(ev, max(3.0 - full_rounds, MIN_PAIR_SHARE * 3.0))
    searched = pair_swaps.search(ev, runner(), fitted_timetable(ev, greedy), budget)
    assert searched.stalled
    annealed = slot_annealing.anneal(
        ev, runner(), searched, budget - searched.flows - pair_swaps.flows_of(ev, full_rounds), 0
    )
    assert annealed.value > searched.value
    both = [fair_seats(ev, t).placed for t in (searched.timetable, annealed.timetable)]
    assert s.timetables["greedy"] in (searched.timetable, annealed.timetable)
    assert evaluate(ev, placed) == min((evaluate(ev, p) for p in both if p is not None), key=rank_of)
    assert validate(ev, as_plan(ev, placed)).violations == []
    unsearched = fair_seats(ev, fitted_timetable(ev, greedy)).placed
    assert unsearched is not None
    assert rank_of(evaluate(ev, placed)) < rank_of(evaluate(ev, unsearched))


def test_the_annealing_after_a_stalled_search_finds_better_plans_on_generated_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The slot values phase with 8 work units on three generated events, where the search stalls after about
    # 1 unit: with the annealing (and both timetables seated) the plan is better on each (+4 to +38 weighted
    # wishes at fairness 2) than with the search's timetable alone (`anneal` returning its start).
    for seed in range(3):
        ev = generate_event(participants=300, sessions=24, slots=4, rooms=8, seed=seed)
        greedy = greedy_timetable(ev)
        assert greedy is not None
        scores = []
        for anneals in (False, True):
            with monkeypatch.context() as patch:
                if not anneals:
                    patch.setattr(slot_annealing, "anneal", lambda event, runner, start, *_: start)
                s = Solving(ev, runner(), timetables={"greedy": greedy})
                assert slot_value_seed(s, 8.0) <= 8.0
            placed = s.fast["greedy"]
            assert placed is not None and validate(ev, as_plan(ev, placed)).violations == []
            scores.append(evaluate(ev, placed))
        plain, annealed = scores
        assert rank_of(annealed) < rank_of(plain)


def test_a_run_of_a_session_that_runs_twice_moves_to_the_slot_where_it_collides_with_nothing() -> None:
    # A runs in T1 and T2, where B and C (fixed there) are wished more by both people; D and E, wished by
    # nobody, fill T3. No single-run move helps (B and C may not move); A's run swapped with D or E into T3
    # grants A as well: the slot values say 20 -> 22 (halves of A's weight 1, doubled), the seats 10 -> 12.
    ev = event(
        3,
        [room("R1"), room("R2")],
        [
            session("A", runs=2),
            session("B", fixed_slot="T1"),
            session("C", fixed_slot="T2"),
            session("D"),
            session("E"),
        ],
        [person("p1", "B", "C", "A"), person("p2", "B", "C", "A")],
    )
    timetable: Timetable = {
        "A": (("T1", "R1"), ("T2", "R1")),
        "B": (("T1", "R1"),),
        "C": (("T2", "R1"),),
        "D": (("T3", "R1"),),
        "E": (("T3", "R1"),),
    }
    before = fair_seats(ev, timetable).placed
    assert before is not None and evaluate(ev, before) == Score(1, 10)
    found = pair_swaps.search(ev, runner(), timetable, budget=100)
    assert "T3" in {start for start, _ in found.timetable["A"]}
    assert found.value == 22
    seats = fair_seats(ev, found.timetable)
    assert seats.placed is not None and evaluate(ev, seats.placed) == Score(0, 12)
    assert validate(ev, as_plan(ev, seats.placed)).violations == []


def test_moving_runs_of_sessions_that_run_twice_finds_better_plans_on_generated_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without the runs' moves (`run_moves` empty) the search leaves the session that runs twice where the
    # greedy put it. On four generated events the fair seats of the timetable found are better with them on
    # every one (fairness 3 -> 2 on the first; +44 to +66 weighted wishes on the others).
    for seed in range(4):
        ev = generate_event(participants=300, sessions=24, slots=4, rooms=8, seed=seed)
        assert any(s.runs == 2 for s in ev.sessions)
        greedy = greedy_timetable(ev)
        assert greedy is not None
        fitted = fitted_timetable(ev, greedy)
        moved = pair_swaps.search(ev, runner(), fitted, budget=10**6).timetable
        with monkeypatch.context() as patch:
            patch.setattr(pair_swaps, "run_moves", lambda *_: [])
            plain = pair_swaps.search(ev, runner(), fitted, budget=10**6).timetable
        scores = []
        for timetable in (plain, moved):
            placed = fair_seats(ev, timetable).placed
            assert placed is not None and validate(ev, as_plan(ev, placed)).violations == []
            scores.append(evaluate(ev, placed))
        assert rank_of(scores[1]) < rank_of(scores[0])


def test_the_search_keeps_at_each_checkpoint_the_timetable_a_search_with_that_budget_ends_with() -> None:
    ev = generate_event(participants=150, sessions=16, slots=4, rooms=4, seed=5)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    fitted = fitted_timetable(ev, greedy)
    found = pair_swaps.search(ev, runner(), fitted, budget=215, checkpoints=(41, 82))
    assert not found.stalled and found.flows <= 215
    short = [pair_swaps.search(ev, runner(), fitted, budget=count).timetable for count in (41, 82)]
    assert list(found.kept) == short
    assert found.timetable == pair_swaps.search(ev, runner(), fitted, budget=215).timetable


def test_a_longer_limit_keeps_the_fairer_timetable_of_a_checkpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    # 150 people, seed 5: the search's timetable after 41 slot values seats at largest shortfall 1, the one
    # after 215 at 2 (the slot values do not see fairness). With a limit four times the default (240 s), the
    # phase keeps the timetables at 41 and 82 values (the default budget's count and its double, full rounds
    # reserved for each) and takes the fairer plan; without the checkpoints it ends at shortfall 2.
    ev = generate_event(participants=150, sessions=16, slots=4, rooms=4, seed=5)
    greedy = greedy_timetable(ev)
    assert greedy is not None
    work = 0.4416
    full_rounds = move_search.seatings_work(ev, 17)
    long_limit = Runner(SolveOptions(time_limit=240.0), None, None)
    assert phases.search_checkpoints(Solving(ev, long_limit, timetables={}), work, full_rounds) == [41, 82]
    assert phases.search_checkpoints(Solving(ev, runner(), timetables={}), work, full_rounds) == []
    fitted = fitted_timetable(ev, greedy)
    early, deep = (fair_seats(ev, pair_swaps.search(ev, runner(), fitted, budget=n).timetable) for n in (41, 215))
    assert early.placed is not None and deep.placed is not None
    assert evaluate(ev, early.placed).max_shortfall == 1 and evaluate(ev, deep.placed).max_shortfall == 2
    scores = []
    for checkpoints in (True, False):
        with monkeypatch.context() as patch:
            if not checkpoints:
                patch.setattr(phases, "search_checkpoints", lambda *_: [])
            s = Solving(ev, Runner(SolveOptions(time_limit=240.0), None, None), timetables={"greedy": greedy})
            assert 0 < slot_value_seed(s, work) <= work
        placed = s.fast["greedy"]
        assert placed is not None and validate(ev, as_plan(ev, placed)).violations == []
        scores.append(evaluate(ev, placed))
    kept, plain = scores
    assert kept == evaluate(ev, early.placed)
    assert plain.max_shortfall == 2 and rank_of(kept) < rank_of(plain)


def rank_of(score: Score) -> tuple[int, int]:
    return score.max_shortfall, -score.weighted
