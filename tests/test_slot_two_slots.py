"""Sessions of two slots in the slot bound and search: in the columns of both slots, listed only as runs."""

from __future__ import annotations

import itertools

import pytest

from scheduler.domain import Event
from scheduler.example import generate_event
from scheduler.model.bounds import slot_enumeration
from scheduler.model.bounds.slot_bound import SCALE, planned, slot_bound
from scheduler.model.score import evaluate
from tests.test_model_rules import event, person, room, session, solved
from tests.test_slot_search import greedy_start, most_weighted, proven_by_the_slot_search

# people, sessions, slots, rooms, seed; the last was not proven within 10 s before the halves were tied
TWO_SLOT_EVENTS = [(30, 6, 4, 2, 3), (24, 6, 4, 2, 4), (30, 7, 4, 3, 1)]


def two_slot_event(people: int, sessions: int, slots: int, rooms: int, seed: int) -> Event:
    ev = generate_event(participants=people, sessions=sessions, slots=slots, rooms=rooms, seed=seed)
    assert [s.duration for s in ev.sessions].count(2) == 1  # the generator gives 4 slots one session of two
    assert any(s.runs == 2 for s in ev.sessions)  # and one that runs twice
    return ev


@pytest.mark.parametrize("size", TWO_SLOT_EVENTS)
def test_an_event_with_a_session_of_two_slots_is_proven_optimal_by_the_slot_search(
    size: tuple[int, int, int, int, int],
) -> None:
    ev = two_slot_event(*size)
    start = greedy_start(ev)
    fair = evaluate(ev, start).max_shortfall
    best = most_weighted(ev, fair)  # the joint CP-SAT model alone, proven
    bound = slot_bound(ev, seconds=10)
    assert bound is not None and bound >= best
    proven_by_the_slot_search(ev, start, fair, best)


def test_the_bound_counts_a_wish_for_two_slots_once() -> None:
    # A lasts both slots, B and C one each; two rooms. p1 wishes A first and B second, p2 A and C, p3 B and C.
    # A blocks both slots for whoever attends it, so p1 and p2 get A only, p3 both: 3 first wishes and 1 second.
    # Counted whole in each of its two columns, A would raise the bound by two first wishes.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("A", duration=2), session("B"), session("C")],
        [person("p1", "A", "B"), person("p2", "A", "C"), person("p3", "B", "C")],
    )
    best = 3 * ev.weight(1) + ev.weight(2)
    plan = solved(ev)
    assert (plan.solver.status, plan.objective.weighted) == ("OPTIMAL", best)
    assert slot_bound(ev, seconds=10) == best


def test_an_assignment_s_own_bound_ties_the_two_halves_of_a_session() -> None:
    # A lasts both slots and seats one person; B runs in the first slot, C in the second. p1 wishes A, then C;
    # p2 A, then B. Whoever attends A misses their second wish: one first wish and one second at best. The
    # columns alone seat p1 in A's first half with p2 in B, and p2 in A's second half with p1 in C: a second
    # wish too many. Tied, the halves must seat the same person.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("A", duration=2, capacity=1), session("B", fixed_slot="T1"), session("C", fixed_slot="T2")],
        [person("p1", "A", "C"), person("p2", "A", "B")],
    )
    best = ev.weight(1) + ev.weight(2)
    plan = solved(ev)
    assert (plan.solver.status, plan.objective.weighted) == ("OPTIMAL", best)
    found = planned(ev, 10)
    assert found is not None
    lp, rounds, _ = found
    lp.run(rounds, lambda: False)
    (assignment,) = slot_enumeration.candidates(lp, 0, limit=10)
    assert assignment.value == (ev.weight(1) + 2 * ev.weight(2)) * SCALE  # the columns' sum
    assert lp.assignment_bound(assignment.columns, steps=5) // SCALE == best


def test_the_listing_gives_a_session_of_two_slots_only_consecutive_slots() -> None:
    ev = two_slot_event(*TWO_SLOT_EVENTS[1])
    plan = planned(ev, 10)
    assert plan is not None
    lp, rounds, _ = plan
    lp.run(rounds, lambda: False)
    floor = evaluate(ev, greedy_start(ev)).weighted
    expected = listed_by_hand(lp, ev, floor)
    assert expected  # the test has something to compare
    assert slot_enumeration.candidates(lp, floor, limit=10**6) == expected


def listed_by_hand(lp, ev: Event, floor: int) -> list[slot_enumeration.Candidate]:  # type: ignore[no-untyped-def]
    """Every product of one column per slot in which each session fills whole runs, valued above `floor`."""
    slots = [t.id for t in ev.session_slots]
    per_slot = [[i for i, (t, _) in enumerate(lp.columns) if t == slot] for slot in slots]
    prices = sum(lp.price.values())
    found = []
    for columns in itertools.product(*per_slot):
        held = {s.id: [] for s in ev.sessions}
        for i in columns:
            for s in lp.columns[i][1]:
                held[s].append(lp.columns[i][0])
        value = sum(lp.values[i] for i in columns) + prices
        if value // SCALE > floor and all(_runs(ev, s, held[s.id]) for s in ev.sessions):
            found.append(slot_enumeration.Candidate(value, tuple(columns)))
    return sorted(found, key=lambda c: (-c.value, c.columns))


def _runs(ev: Event, s, held: list[str]) -> bool:  # type: ignore[no-untyped-def]
    """`held` is exactly the slots of `s.runs` runs of `s.duration` consecutive slots, none overlapping."""
    return any(
        sorted(t for start in starts for t in ev.covered_slots(start, s.duration)) == sorted(held)
        for starts in itertools.combinations(ev.start_slots(s.duration), s.runs)
    )
