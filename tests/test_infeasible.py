"""Why no plan can exist: one test per kind of explanation, asserting the organiser's sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Event
from scheduler.model.explain import Infeasible
from scheduler.model.solve import solve
from tests.test_model_rules import OPTIONS, event, person, pid, room, session
from tests.workbooks import write_workbook


def reasons(ev: Event, lang: str = "de") -> list[str]:
    with pytest.raises(Infeasible) as caught:
        solve(ev, OPTIONS)
    return [r(lang) for r in caught.value.reasons]  # type: ignore[arg-type]


def test_more_people_in_a_slot_than_seats() -> None:
    people = [person("p1", "A"), person("p2", "A"), person("p3")]
    ev = event(
        1,
        [room("R1", capacity=1), room("R2", capacity=3)],
        [session("A", capacity=1), session("B", capacity=1)],
        people,
    )
    assert reasons(ev) == [
        "Zeitfenster T1: 3 Personen, aber nur 2 Plätze. Abhilfe: Kapazität von Session A auf mindestens 2 oder "
        "Kapazität von Session B auf mindestens 2; oder allgemein 1 Platz mehr in T1 (ein Raum oder eine Session "
        "mehr, oder höhere Kapazitäten)."
    ]
    assert reasons(ev, "en") == [
        "Slot T1: 3 people but only 2 seats. Fix: capacity of session A to at least 2 or capacity of session B to "
        "at least 2; or in general 1 more seat in T1 (one more room or session, or higher capacities)."
    ]


def test_more_runs_than_room_slots() -> None:
    ev = event(2, [room("R1")], [session("A", runs=2), session("B")], [person("p1", "A")])
    assert reasons(ev) == [
        "Die Sessions brauchen 3 Raum-Zeitfenster (Durchläufe × Dauer), es gibt aber nur 2 (1 Räume × 2 Zeitfenster)."
        " Abhilfe: 1 Raum mehr, oder 1 Durchlauf weniger (z. B. 1 Session weniger), oder ein Session-Zeitfenster mehr."
    ]


def test_a_host_with_more_runs_than_free_slots() -> None:
    hanna = person("hanna", participant=False, unavailable="T2")
    sessions = [session("A", hosts=(hanna.id,)), session("B", hosts=(hanna.id,))]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "A"), hanna])
    assert reasons(ev) == [
        "Hanna leitet A, B und ist damit 2 Zeitfenster beschäftigt, aber nur in 1 Zeitfenstern verfügbar. Abhilfe: "
        "Hanna für 1 weiteres Zeitfenster verfügbar machen, oder 1 Durchlauf einer anderen Person geben."
    ]


def test_a_minimum_above_the_people_who_can_come() -> None:
    people = [person("p1", "A"), person("p2", "A", unavailable="T1"), person("p3", "B")]
    sessions = [session("A", minimum=3, fixed_slot="T1"), session("B")]
    ev = event(2, [room("R1"), room("R2")], sessions, people)
    assert reasons(ev) == [
        "Session A „Thema A“ braucht 1 × mindestens 3 Teilnehmende, aber nur 2 Personen können teilnehmen. "
        "Abhilfe: das Minimum von A auf höchstens 2 senken."
    ]


def test_a_session_without_a_room_with_its_features() -> None:
    ev = event(1, [room("R1", features="Beamer")], [session("A", features=frozenset({"Whiteboard"}))], [])
    assert reasons(ev, "en") == [
        "Session A “Thema A” needs a room with the features “Whiteboard”, but no room has all of them. "
        "Fix: give one room the features “Whiteboard”, or drop them from A."
    ]


def test_a_session_without_a_free_slot_names_each_slot() -> None:
    hanna = person("hanna", participant=False, unavailable="T2")
    ev = event(2, [room("R1")], [session("A", hosts=(hanna.id,), not_in=frozenset({"T1"}))], [hanna])
    assert reasons(ev) == [
        "Session A „Thema A“ findet kein Zeitfenster (T1: steht in „Nicht in“; T2: Hanna nicht verfügbar). "
        "Abhilfe: für A ein Zeitfenster freigeben („Nicht in“, festes Zeitfenster oder die Verfügbarkeit der "
        "Gastgeber*innen ändern)."
    ]


def test_more_runs_than_possible_slots() -> None:
    ev = event(2, [room("R1"), room("R2")], [session("A", runs=3)], [])
    assert reasons(ev) == [
        "Session A „Thema A“ hat 3 Durchläufe, kann aber nur 2-mal stattfinden (mögliche Beginn-Zeitfenster: T1, T2)."
        " Abhilfe: Durchläufe von A auf 2 senken, oder mehr Zeitfenster für A freigeben."
    ]


def test_solver_names_the_rules_in_conflict_two_sessions_in_one_fixed_room() -> None:
    sessions = [
        session("A", fixed_slot="T1", fixed_room="R1"),
        session("B", fixed_slot="T1", fixed_room="R1"),
        session("C"),
    ]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "C")])
    assert reasons(ev, "en") == [
        "No plan is possible: these rules cannot all hold at once:",
        "Session A “Thema A” takes place 1 time(s) (possible in: T1, room R1).",
        "Session B “Thema B” takes place 1 time(s) (possible in: T1, room R1).",
        "Slot T1: each room holds only one run (rooms: R1, R2).",
    ]


def test_solver_names_a_host_who_would_be_in_two_places() -> None:
    hanna = person("hanna", participant=False)
    sessions = [
        session("A", hosts=(hanna.id,), fixed_slot="T1"),
        session("B", hosts=(hanna.id,), fixed_slot="T1"),
        session("C"),
        session("D"),
    ]
    ev = event(2, [room("R1"), room("R2")], sessions, [person("p1", "C"), hanna])
    found = reasons(ev)
    assert found[0] == "Kein Plan möglich: diese Regeln lassen sich nicht zugleich erfüllen:"
    assert "Hanna leitet A, B und kann nicht zwei Sessions zugleich leiten." in found
    assert pid("hanna") not in " ".join(found)


def test_plan_command_explains_and_exits_with_3(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 2, "Minimum"): 5})
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(app, ["plan", str(book), "--json", str(out)])
    assert result.exit_code == 3, result.output
    output = " ".join(result.output.split())
    assert "Kein Plan möglich." in output
    assert "Session S1 „KI im Unternehmen“ braucht 1 × mindestens 5 Teilnehmende, aber nur 4 Personen" in output
    assert not out.exists()
