"""Re-planning per kind of late change: the new plan keeps every rule (independent validator), the objective it
states is the one its runs give, and the changes are exactly the least ones, proven by the solver."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from scheduler.changes import Changes
from scheduler.domain import Event
from scheduler.model.explain import Infeasible
from scheduler.model.replan import KEPT_INFEASIBLE, Replanned, ReplanOptions, replan
from scheduler.model.replan_hint import rebalance
from scheduler.model.replan_model import singleton_classes
from scheduler.model.runner import SolveOptions
from scheduler.plan import HandEdits, Plan, RunPin, SeatPin
from scheduler.validate import validate
from tests.replan_fixtures import base_event, drop_session, old_plan, with_person, without
from tests.test_model_rules import person, pid, room, session

OPTIONS = ReplanOptions(SolveOptions(time_limit=20.0))


def again(new: Event, old: Event, plan: Plan, options: ReplanOptions = OPTIONS, **kw: object) -> Replanned:
    """Re-plan and insist that the validator accepts the plan and agrees with its objective."""
    done = replan(new, old, plan, options, **kw)  # type: ignore[arg-type]
    report = validate(new, done.plan)
    assert report.violations == []
    assert (report.max_shortfall, report.weighted) == (done.plan.objective.max_shortfall, done.plan.objective.weighted)
    return done


def changed(changes: Changes) -> set[str]:
    return {c.person for c in changes.agendas_changed}


def test_late_registration_changes_no_agenda_when_seats_are_free() -> None:
    old = base_event()
    new = with_person(old, person("p7", "A", "D"))
    done = again(new, old, old_plan(old))
    assert changed(done.changes) == set()
    assert done.changes.runs_moved == ()
    assert (done.least_moves, done.least_changes) == (0, 0)
    assert done.plan.solver.status == "OPTIMAL"
    got = {r.session for r in done.plan.runs if pid("p7") in r.attendees}
    assert got == {"A", "D"}  # the late registration gets the best of what is left: both wishes
    assert done.plan.objective.weighted == old_plan(old).objective.weighted + 3
    assert [(i.kind, i.id, i.reason) for i in done.changes.added] == [("person", pid("p7"), "registered")]


def test_dropped_session_changes_exactly_its_attendees_agendas_proven() -> None:
    old = base_event()
    new = drop_session(old, "B")
    done = again(new, old, old_plan(old))
    assert changed(done.changes) == {pid("p4"), pid("p5"), pid("p6")}
    assert done.least_changes == 3 and done.least_moves == 0
    assert {c.reason for c in done.changes.agendas_changed} == {"session_dropped"}
    assert ("session", "B", "session_dropped") in [(i.kind, i.id, i.reason) for i in done.changes.removed]
    assert ("person", pid("hb"), "cancelled") in [(i.kind, i.id, i.reason) for i in done.changes.removed]
    assert (done.plan.solver.status, done.plan.solver.ended_by) == ("OPTIMAL", "proof")


def test_cancellation_changes_nobody_else() -> None:
    old = base_event()
    done = again(without(old, "p5"), old, old_plan(old))
    assert changed(done.changes) == set() and done.changes.runs_moved == ()
    assert done.least_changes == 0
    assert [(i.kind, i.id, i.reason) for i in done.changes.removed] == [("person", pid("p5"), "cancelled")]


def test_room_removed_moves_its_runs_and_changes_only_their_people() -> None:
    old = base_event()
    new = replace(old, rooms=(room("R1"), room("R3")))
    done = again(new, old, old_plan(old))
    assert {(m.session, m.new_room, m.reason) for m in done.changes.runs_moved} == {
        ("B", "R3", "room_removed"),
        ("D", "R3", "room_removed"),
    }
    assert done.least_moves == 2
    assert changed(done.changes) == {pid(n) for n in ("p2", "p3", "p4", "p5", "p6", "hb", "hd")}
    assert done.least_changes == 7


def test_lowered_capacity_moves_the_fewest_people() -> None:
    """R1 shrinks to 2 seats: A and C each lose one attendee; p1 is in both, so one agenda changes."""
    old = base_event()
    new = replace(old, rooms=(room("R1", 2), room("R2"), room("R3")))
    done = again(new, old, old_plan(old))
    assert done.changes.runs_moved == ()
    assert changed(done.changes) == {pid("p1")}
    assert done.least_changes == 1


def test_new_unavailability_changes_only_that_agenda() -> None:
    old = base_event()
    people = tuple(replace(p, unavailable=frozenset({"T2"})) if p.id == pid("p6") else p for p in old.people)
    done = again(replace(old, people=people), old, old_plan(old))
    assert changed(done.changes) == {pid("p6")}
    assert [c.reason for c in done.changes.agendas_changed] == ["unavailable"]
    assert done.least_changes == 1


def test_host_replaced_by_a_participant_changes_her_agenda() -> None:
    old = base_event()
    sessions = tuple(replace(s, hosts=(pid("p6"),)) if s.id == "C" else s for s in old.sessions)
    new = without(replace(old, sessions=sessions), "hc")
    done = again(new, old, old_plan(old))
    assert changed(done.changes) == {pid("p6")}
    assert [c.reason for c in done.changes.agendas_changed] == ["host_changed"]
    assert done.changes.runs_moved == ()


def test_keep_timetable_forbids_a_needed_move_and_says_so() -> None:
    """B is dropped and A is full (R1 has 3 seats): p4-p6 need a seat in T1, which only a moved run can give."""
    rooms = [room("R1", 3), room("R2", 6), room("R3", 6)]
    old = base_event(rooms=rooms)
    new = drop_session(old, "B")
    with pytest.raises(Infeasible) as err:
        replan(new, old, old_plan(old), replace(OPTIONS, keep_timetable=True))
    assert KEPT_INFEASIBLE in err.value.reasons
    done = again(new, old, old_plan(old))
    assert len(done.changes.runs_moved) == 1 and done.least_moves == 1
    assert done.least_changes is not None and len(done.changes.agendas_changed) == done.least_changes


def test_max_changes_trades_an_agenda_for_a_better_wish() -> None:
    """A has one seat, taken by q who did not wish it; the late registration wishes A first."""
    sessions = [
        session("A", hosts=(pid("ha"),), capacity=1),
        *(session(s, hosts=(pid(f"h{s.lower()}"),)) for s in "BCD"),
    ]
    old = base_event(sessions=sessions)
    old = replace(old, people=tuple(replace(p, wishes=p.wishes[1:]) if p.id == pid("p1") else p for p in old.people))
    plan = old_plan(replace(old, sessions=tuple(replace(s, capacity=None) for s in old.sessions)))
    runs = tuple(
        replace(r, attendees=(pid("p1"),)) if r.session == "A" else
        replace(r, attendees=(*r.attendees, pid("p2"), pid("p3"))) if r.session == "B" else r
        for r in plan.runs
    )  # fmt: skip
    plan = replace(plan, runs=runs)
    assert validate(old, plan).violations == []
    new = with_person(old, person("late", "A", "C"))
    strict = again(new, old, plan)
    assert changed(strict.changes) == set()
    traded = again(new, old, plan, replace(OPTIONS, max_changes=1))
    assert changed(traded.changes) == {pid("p1")}
    assert traded.plan.objective.weighted > strict.plan.objective.weighted
    assert [c.reason for c in traded.changes.agendas_changed] == ["late_registration"]  # p1 made room in A


def test_hand_edits_hold_and_are_named_as_the_reason() -> None:
    old = base_event()
    edits = HandEdits(runs=(RunPin("C", 1, "T1", "R3"),), seats=(SeatPin(pid("p2"), "T1", "C"),))
    done = again(old, old, old_plan(old), edits=edits)
    c = next(r for r in done.plan.runs if r.session == "C")
    assert (c.slots, c.room) == (("T1",), "R3")
    assert pid("p2") in c.attendees
    assert [(m.session, m.reason) for m in done.changes.runs_moved] == [("C", "hand_edit")]
    assert {c.reason for c in done.changes.agendas_changed if c.person == pid("p2")} == {"hand_edit"}


def test_a_hand_edit_that_cannot_hold_is_explained() -> None:
    old = base_event()
    with pytest.raises(Infeasible) as err:
        replan(old, old, old_plan(old), OPTIONS, HandEdits(runs=(RunPin("X", 1, "T1", "R1"),)))
    assert "Session X" in err.value.reasons[0]("de")


def test_stop_keeps_the_first_valid_plan() -> None:
    """Ctrl-C (the stop event) during re-planning: the first plan found is kept, valid, marked interrupted."""
    old = base_event()
    stop = threading.Event()
    stop.set()
    done = again(drop_session(old, "B"), old, old_plan(old), stop=stop)
    assert done.plan.solver.interrupted
    assert (done.plan.solver.status, done.plan.solver.ended_by) == ("FEASIBLE", "stop")


def test_rebalance_moves_a_run_from_a_slot_with_spare_seats_into_one_short_of_seats() -> None:
    """Large events keep their timetable; when T1 is short of seats (3 for 6 people), one run of T2 (9 seats)
    moves into a free room of T1."""
    rooms = [room("R1", 3), room("R2", 3), room("R3", 3)]
    ev = base_event(rooms=rooms)
    runs = {"A": [("T1", "R1")], "C": [("T2", "R1")], "D": [("T2", "R2")], "B": [("T2", "R3")]}
    moved = rebalance(ev, singleton_classes(ev), runs)
    assert moved is not None
    assert moved["A"] == [("T1", "R1")] and moved["C"] == [("T2", "R1")]
    assert sorted(p[0][0] for s, p in moved.items() if s in "BD") == ["T1", "T2"]
    assert rebalance(ev, singleton_classes(ev), {"A": [("T1", "R1")], "C": [("T2", "R1")]}) is None


def test_progress_names_every_phase_the_live_display_knows() -> None:
    from scheduler.cli.plan_cmd import PHASE_NAMES

    old = base_event()
    seen: list[str] = []
    again(drop_session(old, "B"), old, old_plan(old), on_progress=lambda p: seen.append(p.phase))
    assert {"changes", "fairness", "satisfaction"} <= set(seen) <= set(PHASE_NAMES)
