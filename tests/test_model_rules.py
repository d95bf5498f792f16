"""Each hard rule of the model on a tiny event: a case it must allow (checked by the validator, with the
objective worked out by hand) and a case it must forbid (no plan can exist).

The small builders at the top are shared with test_solve.py and test_infeasible.py.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from scheduler.domain import Event, Person, Room, Session, Slot, Wish
from scheduler.model.explain import Infeasible
from scheduler.model.solve import SolveOptions, solve
from scheduler.plan import Plan, Run
from scheduler.validate import validate

OPTIONS = SolveOptions(time_limit=5.0, seed=0, workers=1)


def slots(count: int) -> tuple[Slot, ...]:
    """Session slots T1..Tn, one hour each from 9:00."""
    return tuple(Slot(f"T{i}", time(8 + i), time(8 + i, 50)) for i in range(1, count + 1))


def room(room_id: str, capacity: int | None = None, features: str = "") -> Room:
    return Room(room_id, f"Raum {room_id}", capacity, features=frozenset(filter(None, features.split(","))))


def person(name: str, *wishes: str, unavailable: str = "", org: str = "", participant: bool = True) -> Person:
    return Person(
        id=pid(name),
        name=name.title(),
        email=pid(name),
        organisation=org,
        wishes=tuple(Wish(s, r) for r, s in enumerate(wishes, start=1)),
        unavailable=frozenset(filter(None, unavailable.split(","))),
        participant=participant,
    )


def pid(name: str) -> str:
    return f"{name}@example.org"


def session(session_id: str, **fields: Any) -> Session:
    fields.setdefault("title", f"Thema {session_id}")
    return Session(session_id, **fields)


def event(slot_count: int, rooms: list[Room], sessions: list[Session], people: list[Person], **fields: Any) -> Event:
    return Event("Test", slots(slot_count), tuple(rooms), tuple(sessions), tuple(people), **fields)


def solved(ev: Event) -> Plan:
    """Solve and insist that the independent validator agrees with the plan and its objective."""
    plan = solve(ev, OPTIONS)
    report = validate(ev, plan)
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)
    return plan


def runs_of(plan: Plan, session_id: str) -> list[Run]:
    return [r for r in plan.runs if r.session == session_id]


def attended(plan: Plan, name: str) -> dict[str, str]:
    """Slot -> session the person attends."""
    return {t: r.session for r in plan.runs if pid(name) in r.attendees for t in r.slots}


# -- runs, rooms, durations ------------------------------------------------------------------------------


def test_every_run_gets_a_slot_and_a_room_one_run_per_room_and_slot() -> None:
    ev = event(2, [room("R1")], [session("A"), session("B")], [person("p1", "A", "B"), person("p2", "B", "A")])
    plan = solved(ev)
    assert sorted(r.slots for r in plan.runs) == [("T1",), ("T2",)]
    assert {r.room for r in plan.runs} == {"R1"}
    # K = 2: both get both wishes, 2 + 1 each
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 6)


def test_more_runs_than_rooms_and_slots_is_impossible() -> None:
    ev = event(2, [room("R1")], [session("A"), session("B"), session("C")], [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


def test_a_long_run_covers_consecutive_slots_in_one_room() -> None:
    sessions = [session("A", duration=2), session("B", not_in=frozenset({"T1"}))]
    ev = event(3, [room("R1")], sessions, [person("p1", "A", "B")])
    plan = solved(ev)
    assert [(r.slots, r.room) for r in runs_of(plan, "A")] == [(("T1", "T2"), "R1")]
    assert [r.slots for r in runs_of(plan, "B")] == [("T3",)]
    assert attended(plan, "p1") == {"T1": "A", "T2": "A", "T3": "B"}
    # K = 2: A (2) + B (1); target min(2 wishes, 3 slots) = 2 granted
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 3)


def test_a_long_run_cannot_start_in_the_last_slot() -> None:
    ev = event(2, [room("R1")], [session("A", duration=2, fixed_slot="T2")], [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


# -- fixed slots and rooms, Nicht in, features -------------------------------------------------------------


def test_fixed_slot_and_room_are_kept() -> None:
    sessions = [session("A", fixed_slot="T2", fixed_room="R2"), session("B")]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "A", "B")])
    plan = solved(ev)
    assert [(r.slots, r.room) for r in runs_of(plan, "A")] == [(("T2",), "R2")]
    assert plan.objective.weighted == 3  # K = 2: A (2) in T2, B (1) in T1


def test_two_sessions_fixed_to_one_room_and_slot_is_impossible() -> None:
    sessions = [session("A", fixed_slot="T1", fixed_room="R1"), session("B", fixed_slot="T1", fixed_room="R1")]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


def test_not_in_keeps_a_session_out_of_a_slot() -> None:
    ev = event(2, [room("R1")], [session("A", not_in=frozenset({"T1"})), session("B")], [person("p1", "A")])
    plan = solved(ev)
    assert [r.slots for r in runs_of(plan, "A")] == [("T2",)]


def test_not_in_every_slot_is_impossible() -> None:
    ev = event(2, [room("R1")], [session("A", not_in=frozenset({"T1", "T2"}))], [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


def test_required_features_choose_the_room() -> None:
    rooms = [room("R1", features="Beamer"), room("R2", features="Whiteboard,Beamer")]
    ev = event(1, rooms, [session("A", features=frozenset({"Whiteboard"})), session("B")], [person("p1", "A")])
    plan = solved(ev)
    assert [r.room for r in runs_of(plan, "A")] == ["R2"]
    assert [r.room for r in runs_of(plan, "B")] == ["R1"]


def test_missing_features_are_impossible() -> None:
    ev = event(1, [room("R1")], [session("A", features=frozenset({"Whiteboard"}))], [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


# -- several runs, never twice ------------------------------------------------------------------------------


def test_runs_lie_in_different_slots_and_nobody_attends_twice() -> None:
    # A runs twice, B once, in 2 slots: p1 wishes only A, so attends A once and B in the other slot.
    ev = event(2, [room("R1"), room("R2")], [session("A", runs=2), session("B")], [person("p1", "A")])
    plan = solved(ev)
    assert sorted(r.slots for r in runs_of(plan, "A")) == [("T1",), ("T2",)]
    assert sorted(attended(plan, "p1").values()) == ["A", "B"]
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 1)  # K = 1: A granted, weight 1


def test_attending_one_session_twice_is_impossible() -> None:
    # Only A exists in both slots, so a full agenda would need A twice.
    ev = event(2, [room("R1")], [session("A", runs=2)], [person("p1", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


# -- hosts ---------------------------------------------------------------------------------------------


def test_a_host_hosts_while_available_and_attends_otherwise() -> None:
    host = person("hanna", "B")
    sessions = [session("A", hosts=(host.id,)), session("B"), session("C")]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "A", "B"), host])
    plan = solved(ev)
    hosted_slot = runs_of(plan, "A")[0].slots[0]
    assert hosted_slot not in attended(plan, "hanna")
    assert len(attended(plan, "hanna")) == 1
    # K = 2: p1 gets A (2) and B (1); Hanna can attend 1 slot and gets B (2): max shortfall 0
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 5)


def test_a_host_unavailable_in_a_slot_hosts_in_the_other() -> None:
    host = person("hanna", participant=False, unavailable="T1")
    ev = event(2, [room("R1")], [session("A", hosts=(host.id,)), session("B")], [person("p1", "B"), host])
    plan = solved(ev)
    assert [r.slots for r in runs_of(plan, "A")] == [("T2",)]


def test_a_host_cannot_host_two_sessions_fixed_to_one_slot() -> None:
    host = person("hanna", participant=False)
    sessions = [session("A", hosts=(host.id,), fixed_slot="T1"), session("B", hosts=(host.id,), fixed_slot="T1")]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "A"), host])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


# -- participants: full agenda, unavailability ---------------------------------------------------------------


def test_full_agenda_except_where_unavailable() -> None:
    people = [person("p1", "A", "B"), person("p2", "B", unavailable="T1")]
    ev = event(2, [room("R1"), room("R2")], [session("A"), session("B"), session("C")], people)
    plan = solved(ev)
    assert len(attended(plan, "p1")) == 2
    assert list(attended(plan, "p2")) == ["T2"]
    # K = 2: p1 gets A and B (3), p2 gets B (2) in T2: B must be in T2
    assert [r.slots for r in runs_of(plan, "B")] == [("T2",)]
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 5)


# -- capacity and minimum --------------------------------------------------------------------------------


def test_capacity_is_the_smaller_of_session_and_room() -> None:
    sessions = [session("A", capacity=5), session("B")]
    people = [person("p1", "A"), person("p2", "A")]
    ev = event(1, [room("R1", capacity=1), room("R2", capacity=1)], sessions, people)
    plan = solved(ev)
    assert [len(r.attendees) for r in plan.runs] == [1, 1]
    # one of them gets A (weight 1), the other has shortfall 1
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (1, 1)


def test_more_people_than_seats_is_impossible() -> None:
    ev = event(1, [room("R1", capacity=1)], [session("A")], [person("p1", "A"), person("p2", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)


def test_minimum_attendance_takes_someone_away_from_their_wish() -> None:
    # A needs 2 attendees and must take place: p1 and one of p2/p3 attend it.
    people = [person("p1", "A"), person("p2", "B"), person("p3", "B")]
    ev = event(1, [room("R1"), room("R2")], [session("A", minimum=2), session("B")], people)
    plan = solved(ev)
    assert len(runs_of(plan, "A")[0].attendees) == 2
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (1, 2)


def test_a_minimum_above_the_people_is_impossible() -> None:
    ev = event(1, [room("R1")], [session("A", minimum=3)], [person("p1", "A"), person("p2", "A")])
    with pytest.raises(Infeasible):
        solve(ev, OPTIONS)
