"""The independent validator: one passing and one failing case per hard rule, the objective by hand, and a
property test that injects one violation into a valid random plan."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scheduler.domain import Event, Room, Session, Slot
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.validate import score, validate
from tests.test_networking import NETWORKING_RULES
from tests.tiny_plans import change_run, check, events_with_plans, person, plan_for, tiny_event, tiny_runs, with_people


def test_the_tiny_plan_is_valid() -> None:
    report = check(tiny_event(), tiny_runs())
    assert report.ok, report.violations
    assert report.violations == []


# -- paired cases: each rule holds in one case and is the only rule broken in the other ----------------

Case = Callable[[], tuple[Event, list[Run]]]
E, R = tiny_event, tiny_runs

PAIRS: dict[str, tuple[Case, Case]] = {
    "unknown_session": (
        lambda: (E(), R()),
        lambda: (E(), [*R(), Run("S9", 1, ("T2",), "R1", ())]),
    ),
    "unknown_room": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S3", 1, room="R9")),
    ),
    "unknown_slot": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S1", 1, slots=("T1", "T9"))),
    ),
    "unknown_person": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S2", 1, attendees=("ben@x", "cem@x", "dan@x", "zoe@x"))),
    ),
    "not_a_participant": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S2", 1, attendees=("ben@x", "cem@x", "dan@x", "host@x"))),
    ),
    "run_count": (
        lambda: (E(S2={"runs": 1}), R()),
        lambda: (E(), change_run(R(), "S3", 1, run=3)),
    ),
    "run_slots": (
        lambda: (E(S3={"duration": 1}), R()),
        lambda: (E(S1={"duration": 2}), R()),
    ),
    "room_double_booked": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S3", 1, room="R1")),
    ),
    "fixed_slot": (
        lambda: (E(S2={"fixed_slot": "T2"}), R()),
        lambda: (E(S2={"fixed_slot": "T1"}), R()),
    ),
    "fixed_room": (
        lambda: (E(S2={"fixed_room": "R2"}), R()),
        lambda: (E(S2={"fixed_room": "R1"}), R()),
    ),
    "not_in": (
        lambda: (E(S2={"not_in": frozenset({"T1"})}), R()),
        lambda: (E(S2={"not_in": frozenset({"T2"})}), R()),
    ),
    "room_features": (
        lambda: (E(), R()),
        lambda: (E(), change_run(change_run(R(), "S1", 1, room="R2"), "S3", 1, room="R1")),
    ),
    "runs_overlap": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S3", 2, slots=("T1",))),
    ),
    "over_capacity": (
        lambda: (E(S2={"capacity": 3}), R()),
        lambda: (E(S2={"capacity": 2}), R()),
    ),
    "under_minimum": (
        lambda: (E(S2={"minimum": 3}), R()),
        lambda: (E(S2={"minimum": 4}), R()),
    ),
    "host_double_booked": (
        lambda: (E(S2={"hosts": ("anna@x", "host@x")}), R()),
        lambda: (E(S3={"hosts": ("host@x",)}), R()),
    ),
    "host_attending": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S3", 2, attendees=("anna@x",))),
    ),
    "host_unavailable": (
        lambda: (with_people(E(), anna={"unavailable": frozenset({"T0"})}), R()),
        lambda: (with_people(E(), anna={"unavailable": frozenset({"T2"})}), R()),
    ),
    "attendee_double_booked": (
        lambda: (E(), R()),
        lambda: (E(), change_run(R(), "S3", 1, attendees=("cem@x", "dan@x", "ben@x"))),
    ),
    "session_twice": (
        lambda: (E(), R()),
        lambda: (
            E(),
            change_run(change_run(R(), "S2", 1, attendees=("ben@x", "dan@x")), "S3", 2, attendees=("cem@x",)),
        ),
    ),
    "attendee_unavailable": (
        lambda: (with_people(E(), ben={"unavailable": frozenset({"T0"})}), R()),
        lambda: (with_people(E(), ben={"unavailable": frozenset({"T1"})}), R()),
    ),
    "agenda_incomplete": (
        lambda: (
            with_people(E(), dan={"unavailable": frozenset({"T2"})}),
            change_run(R(), "S2", 1, attendees=("ben@x", "cem@x")),
        ),
        lambda: (E(), change_run(R(), "S2", 1, attendees=("ben@x", "cem@x"))),
    ),
}


@pytest.mark.parametrize("rule", sorted(PAIRS))
def test_rule_holds(rule: str) -> None:
    event, runs = PAIRS[rule][0]()
    report = check(event, runs)
    assert report.violations == []


@pytest.mark.parametrize("rule", sorted(PAIRS))
def test_rule_broken(rule: str) -> None:
    event, runs = PAIRS[rule][1]()
    report = check(event, runs)
    assert [v.rule for v in report.violations] == [rule]
    assert not report.ok


def test_every_rule_in_the_validator_has_a_pair() -> None:
    """A rule added to the validator without a paired test fails here."""
    import scheduler.validate as package

    sources = [p.read_text(encoding="utf-8") for p in Path(package.__file__).parent.glob("*.py")]
    labels = {label for source in sources for label in re.findall(r'Violation\(\s*"(\w+)"', source)}
    assert labels == set(PAIRS) | {"objective_mismatch"} | NETWORKING_RULES  # those paired in test_networking


def test_objective_mismatch_is_a_violation() -> None:
    event = tiny_event()
    good = plan_for(event, tiny_runs())
    bad = replace(good, objective=Objective(0, good.objective.weighted + 1, 99))
    report = validate(event, bad, check_objective=True)
    assert [(v.rule, v.ids) for v in report.violations] == [
        ("objective_mismatch", ("max_shortfall",)),
        ("objective_mismatch", ("weighted",)),
    ]
    assert report.violations[1].message("de") == "Der Plan nennt gewichtete Wünsche = 11, nachgerechnet ergibt sich 10."
    assert validate(event, bad).ok  # by default only the hard rules count


# -- messages name the ids -------------------------------------------------------------------------------


def test_room_double_booked_names_room_slot_and_runs() -> None:
    report = check(tiny_event(), change_run(tiny_runs(), "S3", 1, room="R1"))
    (v,) = report.violations
    assert v.ids == ("R1", "T1", "S1", "S3")
    assert v.message("de") == "Raum R1 ist in Zeitfenster T1 mehrfach belegt: S1 (Durchlauf 1), S3 (Durchlauf 1)."
    assert v.message("en") == "Room R1 is double-booked in slot T1: S1 (run 1), S3 (run 1)."


def test_agenda_incomplete_names_person_and_slots() -> None:
    runs = change_run(tiny_runs(), "S2", 1, attendees=("ben@x", "cem@x"))
    (v,) = check(tiny_event(), runs).violations
    assert v.ids == ("dan@x", "T2")
    assert v.message("en") == "dan@x is available but placed in no session in slot(s) T2."
    assert v.message("de") == "dan@x ist verfügbar, aber in Zeitfenster T2 keiner Session zugeteilt."


def test_over_capacity_counts_seats_of_the_smaller_limit() -> None:
    runs = change_run(tiny_runs(), "S1", 1, attendees=("anna@x", "ben@x", "dan@x"))
    runs = change_run(runs, "S3", 1, attendees=("cem@x",))
    (v,) = check(tiny_event(S1={"capacity": 10}), runs).violations
    assert (v.rule, v.ids) == ("over_capacity", ("S1", "R1"))
    assert v.message("de") == "S1 (Durchlauf 1) hat 3 Teilnehmende, aber nur 2 Plätze."


def test_run_count_lists_missing_and_extra_numbers() -> None:
    runs = [r for r in tiny_runs() if (r.session, r.run) != ("S3", 2)]
    runs.append(Run("S3", 1, ("T2",), "R3", ()))
    (v,) = check(tiny_event(), runs).violations
    assert v.message("en") == "Session S3 needs runs 1 to 2; missing: 2, extra: 1."


def test_unknown_ids_do_not_crash_the_other_rules() -> None:
    runs = [
        Run("S9", 1, ("T7",), "R9", ("zoe@x",)),
        *change_run(tiny_runs(), "S1", 1, room="R8", slots=("T6",)),
    ]
    report = validate(tiny_event(), Plan(tuple(runs), SolverInfo("FEASIBLE"), Objective(0, 0, 0)))
    assert {"unknown_session", "unknown_room", "unknown_slot", "unknown_person", "agenda_incomplete"} <= report.rules
    assert ("unknown_slot", ("T6", "S1")) in [(v.rule, v.ids) for v in report.violations]


# -- the objective by hand ---------------------------------------------------------------------------------


def test_objective_of_the_tiny_plan() -> None:
    # K = 2 wish columns: weight of rank 1 is 2, of rank 2 is 1.
    # anna hosts S2 in T2, so she can attend 1 slot: min(2, 1) = 1; gets S1 (rank 1): shortfall 0, weight 2.
    # ben gets S2 (rank 1) and S1 (rank 2): shortfall 0, weight 3.   cem gets S3 and S2: shortfall 0, weight 3.
    # dan gets S3 (rank 1) but not S1: min(2, 2) - 1 = 1, weight 2.   Total 2 + 3 + 3 + 2 = 10, max shortfall 1.
    s = score(tiny_event(), plan_for(tiny_event(), tiny_runs()))
    assert (s.max_shortfall, s.weighted) == (1, 10)
    assert s.shortfall == {"anna@x": 0, "ben@x": 0, "cem@x": 0, "dan@x": 1}
    assert s.granted == {"anna@x": (1,), "ben@x": (1, 2), "cem@x": (1, 2), "dan@x": (1,)}


def test_objective_with_weights_unavailability_and_a_host_who_wished_their_session() -> None:
    # 3 people, 2 session slots, 3 sessions, Gewichte 10,5,1 (K = 3).
    # ada wishes A, B, C; unavailable in U2, so min(3, 1) = 1; attends B: granted rank 2, weight 5, shortfall 0.
    # bo hosts C (in U2) and wished C first: can attend U1 only, min(3, 1) = 1; attends A (rank 3): weight 1,
    #   shortfall 0 (the wish for C is never granted to its host).
    # cy wishes C, A; attends A in U1 and C in U2: ranks 1 and 2, weight 10 + 5 = 15, shortfall 0.
    # weighted = 5 + 1 + 15 = 21; then move cy from A to B: cy has only C, shortfall min(2, 2) - 1 = 1, weighted 16.
    event = Event(
        name="Hand",
        slots=(Slot("U1", time(10), time(11)), Slot("U2", time(11), time(12))),
        rooms=(Room("R1", "Eins"), Room("R2", "Zwei")),
        sessions=(Session("A", "A"), Session("B", "B"), Session("C", "C", hosts=("bo@x",))),
        people=(
            person("ada@x", "A", "B", "C", unavailable=frozenset({"U2"})),
            person("bo@x", "C", "B", "A"),
            person("cy@x", "C", "A"),
        ),
        weights=(10, 5, 1),
    )
    runs = [
        Run("A", 1, ("U1",), "R1", ("bo@x", "cy@x")),
        Run("B", 1, ("U1",), "R2", ("ada@x",)),
        Run("C", 1, ("U2",), "R1", ("cy@x",)),
    ]
    report = check(event, runs)
    assert report.ok
    assert (report.max_shortfall, report.weighted) == (0, 21)
    assert report.score.granted == {"ada@x": (2,), "bo@x": (3,), "cy@x": (1, 2)}
    moved = change_run(change_run(runs, "A", 1, attendees=("bo@x",)), "B", 1, attendees=("ada@x", "cy@x"))
    assert (score(event, plan_for(event, moved)).max_shortfall, score(event, plan_for(event, moved)).weighted) == (
        1,
        16,
    )


# -- property: a valid random plan passes, and every injected violation is caught --------------------------


def inject(data: st.DataObject, event: Event, plan: Plan) -> tuple[Event, list[Run], str] | None:
    """One random violation and the rule that must report it, or None when this plan offers no such chance."""
    runs = list(plan.runs)
    kind = data.draw(st.sampled_from(["move", "double_book", "drop", "capacity", "unavailable"]))
    seated = [(i, a) for i, r in enumerate(runs) for a in r.attendees]
    if kind == "double_book":
        pairs = [(a, b) for a in runs for b in runs if a != b and a.slots == b.slots]
        if not pairs:
            return None
        a, b = data.draw(st.sampled_from(pairs))
        runs[runs.index(b)] = replace(b, room=a.room)
        return event, runs, "room_double_booked"
    if not seated:
        return None
    i, who = data.draw(st.sampled_from(seated))
    if kind == "drop":
        runs[i] = replace(runs[i], attendees=tuple(a for a in runs[i].attendees if a != who))
        return event, runs, "agenda_incomplete"
    if kind == "capacity":
        room = event.room(runs[i].room)
        rooms = tuple(replace(r, capacity=len(runs[i].attendees) - 1) if r == room else r for r in event.rooms)
        return replace(event, rooms=rooms), runs, "over_capacity"
    if kind == "unavailable":
        people = tuple(
            replace(p, unavailable=p.unavailable | set(runs[i].slots)) if p.id == who else p for p in event.people
        )
        return replace(event, people=people), runs, "attendee_unavailable"
    others = [j for j, r in enumerate(runs) if r.slots != runs[i].slots and who in r.attendees]
    if not others:
        return None
    j = data.draw(st.sampled_from(others))
    target = data.draw(st.sampled_from([k for k, r in enumerate(runs) if r.slots == runs[j].slots and k != j] or [j]))
    runs[i] = replace(runs[i], attendees=tuple(a for a in runs[i].attendees if a != who))
    if target != j:
        runs[target] = replace(runs[target], attendees=(*runs[target].attendees, who))
        return event, runs, "attendee_double_booked"
    return event, runs, "agenda_incomplete"


@settings(max_examples=60, deadline=None)
@given(events_with_plans(), st.data())
def test_random_valid_plan_passes_and_injected_violation_is_caught(
    case: tuple[Event, Plan], data: st.DataObject
) -> None:
    event, plan = case
    assert validate(event, plan, check_objective=True).violations == []
    injected = inject(data, event, plan)
    assume(injected is not None)
    assert injected is not None
    bad_event, runs, rule = injected
    assert rule in validate(bad_event, plan_for(bad_event, runs)).rules
