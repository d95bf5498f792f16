"""The slot enumeration: every slot assignment above the start plan, listed from column values and seated best first."""

from __future__ import annotations

import itertools

import pytest

from scheduler.example import generate_event
from scheduler.model.bounds import slot_enumeration
from scheduler.model.bounds.slot_bound import SCALE, planned
from scheduler.model.score import evaluate
from scheduler.validate import validate
from tests.test_slot_search import as_plan, greedy_start, most_weighted


def listed_by_hand(lp, floor: int) -> list[slot_enumeration.Candidate]:  # type: ignore[no-untyped-def]
    """Every product of one column per slot with each session in exactly its runs, valued above `floor`."""
    slots = [t.id for t in lp.event.session_slots]
    runs = {s.id: s.runs for s in lp.event.sessions}
    per_slot = [[i for i, (t, _) in enumerate(lp.columns) if t == slot] for slot in slots]
    prices = sum(lp.price.values())
    found = []
    for columns in itertools.product(*per_slot):
        counts = dict.fromkeys(runs, 0)
        for i in columns:
            for s in lp.columns[i][1]:
                counts[s] += 1
        value = sum(lp.values[i] for i in columns) + prices
        if counts == runs and value // SCALE > floor:
            found.append(slot_enumeration.Candidate(value, tuple(columns)))
    return sorted(found, key=lambda c: (-c.value, c.columns))


@pytest.mark.parametrize(("people", "sessions", "seed"), [(24, 6, 1), (30, 7, 7), (30, 7, 5)])
def test_the_listing_is_every_assignment_above_the_floor(people: int, sessions: int, seed: int) -> None:
    ev = generate_event(participants=people, sessions=sessions, slots=3, rooms=3, seed=seed)
    plan = planned(ev, 10)
    assert plan is not None
    lp, rounds, _ = plan
    lp.run(rounds, lambda: False)
    floor = evaluate(ev, greedy_start(ev)).weighted - 20
    expected = listed_by_hand(lp, floor)
    assert expected  # the test has something to compare
    assert slot_enumeration.candidates(lp, floor, limit=10**6) == expected
    assert slot_enumeration.candidates(lp, floor, limit=len(expected) - 1) is None  # over the limit: nothing


@pytest.mark.parametrize(("people", "sessions", "seed"), [(30, 7, 7), (30, 7, 3), (36, 8, 4)])
def test_the_search_seats_its_way_to_the_optimum_and_does_so_again(people: int, sessions: int, seed: int) -> None:
    ev = generate_event(participants=people, sessions=sessions, slots=3, rooms=3, seed=seed)
    start = evaluate(ev, greedy_start(ev))
    best = most_weighted(ev, start.max_shortfall)  # the joint CP-SAT model alone, proven
    runs = []
    for _ in range(2):
        plan = planned(ev, 10)
        assert plan is not None
        lp, rounds, _ = plan
        lp.run(rounds, lambda: False)
        found = slot_enumeration.search(lp, start.max_shortfall, start.weighted, 10.0, limit=10**6)
        assert found is not None
        runs.append(found)
    first, second = runs
    assert (first.bound, first.proven) == (best, True)
    assert first == second  # same event, prices and start: the same plan, seat for seat
    if best > start.weighted:
        assert first.placed is not None and first.seated >= 1
        report = validate(ev, as_plan(ev, first.placed))
        assert report.violations == []
        assert (report.weighted, report.max_shortfall <= start.max_shortfall) == (best, True)
    else:
        assert first.placed is None  # nothing beats the start, and that is proven


def test_a_session_with_two_runs_is_listed_in_two_slots() -> None:
    ev = generate_event(participants=30, sessions=7, slots=3, rooms=3, seed=7)
    multi = [s.id for s in ev.sessions if s.runs > 1]
    assert multi  # the generator gives this event a session that runs twice
    plan = planned(ev, 10)
    assert plan is not None
    lp, rounds, _ = plan
    lp.run(rounds, lambda: False)
    listed = slot_enumeration.candidates(lp, 0, limit=10**6)
    assert listed
    for candidate in listed[:50]:
        slots = [lp.columns[i][0] for i in candidate.columns if multi[0] in lp.columns[i][1]]
        assert len(slots) == len(set(slots)) == 2
