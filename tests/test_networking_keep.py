"""Networking groups through a re-plan: kept where people stay, changed only around those who came or went, and
every changed group told (the agenda names the group and its members)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from scheduler.changes import compare
from scheduler.cli import app
from scheduler.domain import Event, Person, Wish
from scheduler.io.planfile import read_plan, write_plan
from scheduler.io.write_workbook import write_event_workbook
from scheduler.networking.groups import with_groups
from scheduler.networking.keep import kept_groups
from scheduler.networking.measure import figures
from scheduler.plan import Plan
from scheduler.validate import validate
from tests.test_networking import networking_event, session_plan


def sent() -> tuple[Event, Plan]:
    """30 people of three organisations in three rounds of 4-6 (six groups of five), groups made by the search;
    everyone but its host wishes the one session (a workbook needs a wish column)."""
    event = replace(networking_event(30, 3, 2, (4, 6)), date=date(2026, 12, 1))
    wish = (Wish("S1", 1),)
    event = replace(event, people=tuple(p if p.id == "p00@x" else replace(p, wishes=wish) for p in event.people))
    plan = with_groups(event, session_plan(event), seconds=5, seed=0)
    assert validate(event, plan).violations == []
    assert figures(event, plan.runs, plan.networking).repeats == 0
    return event, plan


def late(i: int, organisation: str) -> Person:
    return Person(f"p{i:02d}@x", f"P{i:02d}", f"p{i:02d}@x", organisation, wishes=(Wish("S1", 1),))


def changed(event: Event, old: Plan, new: Plan) -> set[str]:
    """People present in both plans whose group id or fellow members differ in some round (counted here)."""
    found = set()
    for before, after in zip(old.networking, new.networking, strict=True):
        was = {m: (g.id, set(g.members) - {m}) for g in before.groups for m in g.members}
        now = {m: (g.id, set(g.members) - {m}) for g in after.groups for m in g.members}
        found |= {m for m in was.keys() & now.keys() if was[m] != now[m]}
    return found & {p.id for p in event.people}


def group_of(plan: Plan, r: int, person: str) -> str:
    return next(g.id for g in plan.networking[r].groups if person in g.members)


def test_late_registrations_and_cancellations_change_only_the_groups_they_touch() -> None:
    old_event, old = sent()
    gone = {"p05@x", "p17@x", "p23@x"}  # three leave, two come: one group that lost someone gains no one
    event = replace(old_event, people=(*(p for p in old_event.people if p.id not in gone), late(30, "Org 0")))
    event = replace(event, people=(*event.people, late(31, "Org 1")))
    rounds = kept_groups(event, session_plan(event), old.networking)
    assert rounds is not None
    plan = replace(session_plan(event), networking=rounds)
    report = validate(event, plan)
    assert report.violations == []
    assert figures(event, plan.runs, plan.networking).repeats == 0  # the late ones join where they meet nobody twice
    stayed = [p.id for p in event.people if p.id in {q.id for q in old_event.people}]
    for r in range(3):  # everyone who stayed is in the group they were told, round by round
        assert [group_of(plan, r, p) for p in stayed] == [group_of(old, r, p) for p in stayed]
    touched = {  # the groups someone left or joined, per round
        (r, g.id) for r, rnd in enumerate(plan.networking) for g in rnd.groups if set(g.members) & {"p30@x", "p31@x"}
    } | {(r, group_of(old, r, p)) for r in range(3) for p in gone}
    expected = {
        m for r, rnd in enumerate(plan.networking) for g in rnd.groups if (r, g.id) in touched for m in g.members
    }
    changes = compare(old_event, old, event, plan)
    assert set(changes.affected(event)) == expected | {"p30@x", "p31@x"}
    assert {c.person for c in changes.agendas_changed} == changed(event, old, plan)
    reasons = {c.person: c.reason for c in changes.agendas_changed}
    mates_of_late = {m for g in plan.networking[0].groups if "p30@x" in g.members for m in g.members} - {
        "p30@x",
        "p31@x",
    }
    assert {reasons[m] for m in mates_of_late} == {"late_registration"}
    assert "group_changed" in reasons.values()  # the mates of a cancellation only: no one joined there
    remade = with_groups(event, session_plan(event), seconds=5, seed=0)
    assert len(expected) < len(changed(event, old, remade))  # made anew, more people would have to be told


def test_cancellations_from_one_group_move_the_fewest_people_to_even_the_sizes() -> None:
    old_event, old = sent()
    first = old.networking[0].groups[0]  # five people; three of them cancel
    gone = set(first.members[:3])
    event = replace(old_event, people=tuple(p for p in old_event.people if p.id not in gone))
    rounds = kept_groups(event, session_plan(event), old.networking)
    assert rounds is not None
    plan = replace(session_plan(event), networking=rounds)
    assert validate(event, plan).violations == []  # 27 people: sizes 5, 5, 5, 4, 4, 4 (2 left alone is too few)
    assert sorted(len(g.members) for g in plan.networking[0].groups) == [4, 4, 4, 5, 5, 5]
    stayed = [p.id for p in event.people]
    moved = [p for p in stayed if group_of(plan, 0, p) != group_of(old, 0, p)]
    assert len(moved) == 2  # 5 5 5 5 5 2: two moves into the small group even them out
    assert {group_of(plan, 0, p) for p in moved} == {first.id}


def test_a_round_whose_group_count_no_longer_fits_is_not_kept() -> None:
    old_event, old = sent()
    gone = {f"p{i:02d}@x" for i in range(1, 8)}  # 23 people cannot fill six groups of at least four
    event = replace(old_event, people=tuple(p for p in old_event.people if p.id not in gone))
    assert kept_groups(event, session_plan(event), old.networking) is None


def test_plan_previous_keeps_the_groups_and_tells_only_those_in_changed_groups(tmp_path: Path) -> None:
    old_event, old = sent()
    previous = tmp_path / "plan.json"
    write_plan(previous, old_event, old)
    event = replace(old_event, people=(*(p for p in old_event.people if p.id != "p09@x"), late(30, "Org 2")))
    book = tmp_path / "neu.xlsx"
    write_event_workbook(event, book)
    out, xlsx = tmp_path / "neu.json", tmp_path / "neu-plan.xlsx"
    args = ["plan", str(book), "--previous", str(previous), "--json", str(out), "-o", str(xlsx), "--time-limit", "10"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stdout + result.stderr
    new_event, plan = read_plan(out)
    assert validate(new_event, plan).violations == []
    told = changed(new_event, old, plan)
    touched = {(r, group_of(old, r, "p09@x")) for r in range(3)} | {(r, group_of(plan, r, "p30@x")) for r in range(3)}
    mates = {m for r, rnd in enumerate(plan.networking) for g in rnd.groups if (r, g.id) in touched for m in g.members}
    assert told == mates - {"p30@x"}  # only the groups p09 left and p30 joined changed
    doc = json.loads(out.read_text(encoding="utf-8"))["changes"]
    assert {c["person"] for c in doc["agendas_changed"]} == told
    a_group = next(s for c in doc["agendas_changed"] for s in c["slots"] if s["slot"] == "N1")
    assert set(a_group["old"]) == {"group", "with"} and a_group["old"]["group"].startswith("G")
    summary = f"{len(told)} von 29 Agenden ändern sich, 0 Sessions verschoben; 1 neu angemeldet, 1 abgemeldet"
    assert summary in " ".join(result.stdout.split())
    rows = [[c.value for c in row] for row in load_workbook(xlsx)["Änderungen"].iter_rows()]
    groups = [r for r in rows if r[0] == "Agenda geändert" and "N1: G" in str(r[3])]
    assert groups and all(" (mit " in r[3] and "P" in r[3] for r in groups)
