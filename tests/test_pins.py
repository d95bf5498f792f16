"""The organiser's pins in the planner: `Fest` (a person must attend a session) and `Nicht parallel zu`.

Each pin kind on a tiny event solved by the joint model (validated, objective worked out by hand), in the
heuristics alone (greedy timetable, flow seats), on an event large enough for the two-stage path, and
explained when it cannot hold.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scheduler.domain import Event, Person
from scheduler.model.explain import Infeasible
from scheduler.model.heuristics.greedy import greedy_timetable
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.solve import JOINT_LIMIT, SolveOptions, attendance_count, solve
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.validate import validate
from tests.test_model_rules import OPTIONS, attended, event, person, pid, room, runs_of, session, solved


def fixed(p: Person, *sessions: str) -> Person:
    return replace(p, fixed=frozenset(sessions))


def apart(ev: Event, a: str, b: str) -> Event:
    """The event with `a` not parallel to `b` (named on a's row only, as an organiser would)."""
    sessions = tuple(replace(s, not_parallel=frozenset({b})) if s.id == a else s for s in ev.sessions)
    return replace(ev, sessions=sessions)


def _crossed() -> Event:
    """Two slots, two rooms, A B C D once each. p1 wishes A C, p2 A D, p3 B C, p4 B D (K = 2)."""
    people = [person("p1", "A", "C"), person("p2", "A", "D"), person("p3", "B", "C"), person("p4", "B", "D")]
    return event(2, [room("R1"), room("R2")], [session(s) for s in "ABCD"], people)


def _slot_of(plan: Plan, session_id: str) -> tuple[str, ...]:
    return runs_of(plan, session_id)[0].slots


# -- Nicht parallel zu ---------------------------------------------------------------------------------------


def test_without_the_pin_a_and_b_share_a_slot() -> None:
    plan = solved(_crossed())
    assert _slot_of(plan, "A") == _slot_of(plan, "B")  # {A, B} | {C, D}: everyone gets both wishes
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 12)


def test_not_parallel_keeps_two_sessions_apart() -> None:
    plan = solved(apart(_crossed(), "A", "B"))
    assert _slot_of(plan, "A") != _slot_of(plan, "B")
    # {A, C} | {B, D} or {A, D} | {B, C}: two people get both wishes (3 each), two only their first (2 each)
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (1, 10)


def test_greedy_timetable_keeps_not_parallel_sessions_apart() -> None:
    ev = apart(_crossed(), "A", "B")
    timetable = greedy_timetable(ev)
    assert timetable is not None
    assert {t for t, _ in timetable["A"]}.isdisjoint({t for t, _ in timetable["B"]})


def test_validator_names_sessions_that_run_in_parallel() -> None:
    ev = apart(_crossed(), "A", "B")
    runs = (
        Run("A", 1, ("T1",), "R1", (pid("p1"), pid("p2"))),
        Run("B", 1, ("T1",), "R2", (pid("p3"), pid("p4"))),
        Run("C", 1, ("T2",), "R1", (pid("p1"), pid("p3"))),
        Run("D", 1, ("T2",), "R2", (pid("p2"), pid("p4"))),
    )
    report = validate(ev, Plan(runs, SolverInfo("FEASIBLE"), Objective(0, 12, 12)))
    assert [(v.rule, v.ids, v.message("de")) for v in report.violations] == [
        (
            "not_parallel",
            ("A", "B", "T1"),
            "Die Sessions A und B dürfen nicht parallel liegen (Nicht parallel zu), liegen aber beide in "
            "Zeitfenster T1.",
        )
    ]
    assert report.violations[0].message("en") == (
        "Sessions A and B must not run in parallel (Not parallel to), but both are in slot T1."
    )


# -- Fest ----------------------------------------------------------------------------------------------------


def _fest() -> Event:
    """Two slots, two unlimited rooms, A B C D once each; p1 wishes A B and is fixed to C; p2 wishes C D."""
    people = [fixed(person("p1", "A", "B"), "C"), person("p2", "C", "D")]
    return event(2, [room("R1"), room("R2")], [session(s) for s in "ABCD"], people)


def test_fest_puts_the_person_into_the_session() -> None:
    plan = solved(_fest())
    assert "C" in attended(plan, "p1").values()
    # p1: C and one wish (A, 2), target min(2 wishes, 2 slots - 1 fixed) = 1; p2: C and D (3)
    assert (plan.objective.max_shortfall, plan.objective.weighted) == (0, 5)


def test_without_fest_the_person_gets_both_wishes() -> None:
    ev = _fest()
    plan = solved(replace(ev, people=tuple(replace(p, fixed=frozenset()) for p in ev.people)))
    assert sorted(attended(plan, "p1").values()) == ["A", "B"]
    assert plan.objective.weighted == 6


def test_fest_in_a_session_that_runs_twice_takes_one_run() -> None:
    sessions = [session("A", runs=2, capacity=1), session("B"), session("C")]
    people = [fixed(person("p1", "B", "C"), "A"), person("p2", "A", "B")]
    ev = event(2, [room("R1"), room("R2")], sessions, people)
    plan = solved(ev)
    runs = {r.run: r.attendees for r in runs_of(plan, "A")}
    assert sorted(p for a in runs.values() for p in a) == [pid("p1"), pid("p2")]  # one seat per run: one each
    # K = 2; T1 and T2 each hold a run of A and one of B, C. p1 and p2 take different runs of A, so p1 gets B
    # (2) and p2 only A (2), or p1 C (1) and p2 A and B (3): 4 either way, nobody short (p1's target is 1).
    # No organisations, and every one of the four runs holds one person: both networking terms are 0.
    assert plan.objective == Objective(0, 4, 4, (("organisation_over_half", 0), ("fill_spread", 0)))


def test_flow_seats_keep_fest_for_any_timetable() -> None:
    ev = _fest()
    timetable = {
        "A": (("T1", "R1"),),
        "B": (("T2", "R1"),),
        "C": (("T1", "R1"),),
        "D": (("T2", "R1"),),
    }  # one room class
    placed = assign_seats(ev, timetable)
    assert placed is not None
    by_session = {r.session: r.attendees for r in placed}
    assert pid("p1") in by_session["C"]  # although A (wish 1) is in the same slot
    assert pid("p1") in by_session["B"]


def test_flow_seats_give_up_when_a_fixed_run_is_full() -> None:
    ev = _fest()
    sessions = tuple(replace(s, capacity=1) if s.id == "C" else s for s in ev.sessions)
    people = (ev.people[0], fixed(ev.people[1], "C"))
    ev = replace(ev, sessions=sessions, people=people)
    timetable = {
        "A": (("T1", "R1"),),
        "B": (("T2", "R1"),),
        "C": (("T1", "R1"),),
        "D": (("T2", "R1"),),
    }  # one room class
    assert assign_seats(ev, timetable) is None


def test_validator_names_a_person_not_in_a_fixed_session() -> None:
    ev = _fest()
    runs = (
        Run("A", 1, ("T1",), "R1", (pid("p1"),)),
        Run("B", 1, ("T2",), "R1", (pid("p1"),)),
        Run("C", 1, ("T1",), "R2", (pid("p2"),)),
        Run("D", 1, ("T2",), "R2", (pid("p2"),)),
    )
    report = validate(ev, Plan(runs, SolverInfo("FEASIBLE"), Objective(0, 6, 6)))
    assert [(v.rule, v.ids, v.message("de")) for v in report.violations] == [
        (
            "fixed_attendance",
            (pid("p1"), "C"),
            "p1@example.org ist fest in Session C eingeteilt (Fest), nimmt aber nicht daran teil.",
        )
    ]
    # p1's target is 1 (two slots, one taken by C which p1 did not wish): both wishes leave no shortfall
    assert (report.max_shortfall, report.weighted) == (0, 6)


# -- the two-stage path of large events ----------------------------------------------------------------------


def _large() -> Event:
    """700 people, 10 sessions, 3 slots, 4 rooms of 250: above the joint model's limit of attendance variables."""
    rng = random.Random(7)
    ids = [f"S{i:02d}" for i in range(1, 11)]
    people = []
    for i in range(700):
        wishes = rng.sample(ids, 3)
        people.append(person(f"p{i:03d}", *wishes))
    for i in range(0, 40):  # 40 people fixed to S01, five of them to S02 as well
        people[i] = fixed(people[i], "S01", "S02") if i < 5 else fixed(people[i], "S01")
    sessions = [session(s, not_parallel=frozenset({"S03", "S04"}) if s == "S02" else frozenset()) for s in ids]
    return event(3, [room(f"R{i}", capacity=250) for i in range(1, 5)], sessions, people, wish_count=3)


def test_large_event_keeps_every_pin() -> None:
    ev = _large()
    assert attendance_count(ev) > JOINT_LIMIT
    plan = solve(ev, SolveOptions(time_limit=6.0, seed=0, workers=1))
    report = validate(ev, plan)
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (plan.objective.max_shortfall, plan.objective.weighted)
    assert all(pid(f"p{i:03d}") in {a for r in runs_of(plan, "S01") for a in r.attendees} for i in range(40))
    slots = {s: _slot_of(plan, s) for s in ("S02", "S03", "S04")}
    assert slots["S02"] != slots["S03"] and slots["S02"] != slots["S04"]


# -- explained when they cannot hold (exit 3 in the CLI) -----------------------------------------------------


def reasons(ev: Event, lang: str = "de") -> list[str]:
    with pytest.raises(Infeasible) as caught:
        solve(ev, OPTIONS)
    return [r(lang) for r in caught.value.reasons]  # type: ignore[arg-type]


def test_fest_in_a_full_session() -> None:
    people = [fixed(person(f"p{i}"), "A") for i in range(3)] + [person("p3")]
    ev = event(2, [room("R1"), room("R2")], [session("A", capacity=2), session("B"), session("C")], people)
    assert reasons(ev) == [
        "Session A „Thema A“: 3 Personen sind fest eingeteilt (Fest), sie hat aber nur 2 Plätze (1 Durchlauf × 2). "
        "Abhilfe: höchstens 2 Personen in „Fest“ für A eintragen, oder A mehr Plätze geben (Kapazität der Session "
        "oder des Raums, mehr Durchläufe)."
    ]
    assert reasons(ev, "en") == [
        "Session A “Thema A”: 3 people are fixed to it (Fixed), but it has only 2 seats (1 run(s) × 2). "
        "Fix: fix at most 2 people to A in “Fixed”, or give A more seats (capacity of the session or the room, "
        "more runs)."
    ]


def test_two_fest_sessions_in_one_slot() -> None:
    sessions = [session("A", fixed_slot="T1"), session("B", fixed_slot="T1"), session("C")]
    ev = event(2, [room("R1"), room("R2")], sessions, [fixed(person("p1"), "A", "B"), person("p2")])
    assert reasons(ev) == [
        "P1 ist fest für A eingeteilt (Fest) und ist auch fest für B, aber beide können nur in T1 liegen. "
        "Abhilfe: A oder B bei P1 aus „Fest“ streichen, oder A oder B ein anderes Zeitfenster erlauben (festes "
        "Zeitfenster, „Nicht in“, Verfügbarkeit)."
    ]


def test_fest_for_more_sessions_than_free_slots() -> None:
    sessions = [session("A"), session("B"), session("C")]
    ev = event(2, [room("R1"), room("R2")], sessions, [fixed(person("p1", unavailable="T2"), "A", "B"), person("p2")])
    assert (
        "P1 ist fest für A, B eingeteilt (Fest), das sind 2 Zeitfenster, aber nur 1 sind frei. Abhilfe: bei P1 "
        "Sessions aus „Fest“ streichen (1 Zeitfenster weniger), oder P1 in mehr Zeitfenstern verfügbar machen."
    ) in reasons(ev)


def test_not_parallel_that_cannot_hold() -> None:
    sessions = [session("A", fixed_slot="T1", not_parallel=frozenset({"B"})), session("B", fixed_slot="T1")]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1"), person("p2")])
    assert reasons(ev) == [
        "Die Sessions A und B dürfen nicht parallel liegen (Nicht parallel zu), können aber nur in T1 liegen. "
        "Abhilfe: das Paar A, B aus „Nicht parallel zu“ streichen, oder A oder B ein anderes Zeitfenster erlauben "
        "(festes Zeitfenster, „Nicht in“, Verfügbarkeit)."
    ]


def test_not_parallel_group_needs_more_slots_than_there_are() -> None:
    sessions = [
        session("A", not_parallel=frozenset({"B", "C"})),
        session("B", not_parallel=frozenset({"C"})),
        session("C"),
        session("D"),
    ]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1"), person("p2")])
    assert reasons(ev) == [
        "Die Sessions A, B, C dürfen paarweise nicht parallel liegen (Nicht parallel zu) und brauchen so 3 "
        "Zeitfenster, es gibt aber nur 2. Abhilfe: in „Nicht parallel zu“ Paare dieser Sessions streichen, oder "
        "ihre Durchläufe oder Dauer senken (1 Zeitfenster zu viel)."
    ]


def test_solver_names_a_fest_that_cannot_hold_with_the_seats() -> None:
    # A runs twice with one seat per run; p1 and p2 are fixed to it and both can only come in T1. Counting sees
    # enough seats for the fixed people and a free slot for each; the solver's evidence names the pins.
    sessions = [session("A", runs=2, capacity=1), session("B")]
    people = [fixed(person("p1", unavailable="T2"), "A"), fixed(person("p2", unavailable="T2"), "A")]
    ev = event(2, [room("R1"), room("R2")], sessions, people)
    found = reasons(ev)
    assert found[0] == "Kein Plan möglich: diese Regeln lassen sich nicht zugleich erfüllen:"
    assert {
        "P1 nimmt an A teil (Fest).",
        "P2 nimmt an A teil (Fest).",
        "Session A „Thema A“ hat höchstens 1 Plätze je Durchlauf.",
    } <= set(found)


def test_pinned_people_wish_weights_are_unchanged() -> None:
    """A wished `Fest` session counts as a granted wish like any other."""
    people = [fixed(person("p1", "A", "B"), "A"), person("p2", "B", "A")]
    plan = solved(event(2, [room("R1")], [session("A"), session("B")], people))
    assert attended(plan, "p1") == {"T1": "A", "T2": "B"} or attended(plan, "p1") == {"T1": "B", "T2": "A"}
    # No organisations; both runs hold both people: the networking terms are 0.
    assert plan.objective == Objective(0, 6, 6, (("organisation_over_half", 0), ("fill_spread", 0)))
