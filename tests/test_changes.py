"""scheduler.changes on hand-made plans (no solver): which runs moved, whose agenda changed, and why; the plan
file's `changes` and revision."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from scheduler.changes import changes_document, compare, foreign, pair_runs
from scheduler.io.planfile import read_plan, read_revision, write_plan
from scheduler.plan import Run
from tests.replan_fixtures import base_event, old_plan
from tests.test_model_rules import person, pid, room


def test_same_plan_has_no_changes() -> None:
    ev = base_event()
    c = compare(ev, old_plan(ev), ev, old_plan(ev))
    assert (c.runs_moved, c.agendas_changed, c.added, c.removed) == ((), (), (), ())
    assert c.people_before == 10 and c.summary("de").startswith("0 von 10 Agenden ändern sich, 0 Sessions verschoben")


def test_runs_of_one_session_pair_by_slot_and_room_first() -> None:
    old = [Run("S", 1, ("T1",), "R1", ()), Run("S", 2, ("T2",), "R1", ())]
    new = [Run("S", 1, ("T1",), "R2", ()), Run("S", 2, ("T2",), "R1", ())]
    pairs, lonely_old, lonely_new = pair_runs(old, new)
    assert [(o.run, n.run) for o, n in pairs] == [(2, 2), (1, 1)]
    assert lonely_old == [] and lonely_new == []


def test_a_room_that_got_smaller_is_the_reason_of_a_move_and_of_the_agendas() -> None:
    old = base_event()
    new = replace(old, rooms=(room("R1", 2), room("R2"), room("R3")))
    plan = old_plan(old)
    moved = replace(plan, runs=tuple(replace(r, room="R3") if r.session == "A" else r for r in plan.runs))
    c = compare(old, plan, new, moved)
    assert [(m.session, m.old_room, m.new_room, m.reason) for m in c.runs_moved] == [("A", "R1", "R3", "room_smaller")]
    assert {x.person for x in c.agendas_changed} == {pid(n) for n in ("p1", "p2", "p3", "ha")}
    assert {x.reason for x in c.agendas_changed} == {"run_moved"}
    slot = next(x for x in c.agendas_changed if x.person == pid("ha")).slots[0]
    assert slot.slot == "T1" and slot.old is not None and slot.new is not None
    assert (slot.old.room, slot.new.room, slot.new.hosting) == ("R1", "R3", True)


def test_a_host_newly_unavailable_is_the_reason_of_her_run_moving() -> None:
    old = base_event()
    hosts = tuple(replace(p, unavailable=frozenset({"T1"})) if p.id == pid("ha") else p for p in old.people)
    new = replace(old, people=hosts)
    plan = old_plan(old)
    swapped = tuple(replace(r, slots=("T2",), room="R3") if r.session == "A" else r for r in plan.runs)
    c = compare(old, plan, new, replace(plan, runs=swapped))
    assert [m.reason for m in c.runs_moved] == ["host_unavailable"]


def test_a_plan_of_another_event_or_other_people_does_not_belong() -> None:
    ev = base_event()
    assert foreign(ev, ev) is None
    assert foreign(replace(ev, name="Anders"), ev) is not None
    strangers = tuple(person(f"x{i}") for i in range(8))
    hosts = tuple(p for p in ev.people if not p.participant)
    message = foreign(ev, replace(ev, people=hosts + strangers))
    assert message is not None and "Von 10 Personen des vorigen Plans sind nur 4" in message("de")


def test_plan_file_carries_changes_and_revision(tmp_path: Path) -> None:
    ev = base_event()
    plan = old_plan(ev)
    first = tmp_path / "plan.json"
    write_plan(first, ev, plan)
    assert read_revision(first) == 0
    changes = compare(ev, plan, ev, plan, revision=3)
    second = tmp_path / "neu.json"
    write_plan(second, ev, plan, changes=changes_document(changes))
    assert read_revision(second) == 3
    assert json.loads(second.read_text(encoding="utf-8"))["changes"]["agendas_changed"] == []
    assert read_plan(second) == read_plan(first)  # `changes` is extra: the plan reads back the same
