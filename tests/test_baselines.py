"""The benchmark baselines keep every hard rule: the hand plan (round-robin, first come first served) and the
ConferenceScheduler timetable, each on a tiny event where the naive version broke a rule.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from scheduler.domain import Event
from scheduler.validate import validate
from tests.test_model_rules import event, person, pid, room, session


def _load_baselines() -> ModuleType:
    """benchmarks/ is no package: load baselines.py by its path (as plan_bench.py imports it as a script)."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "baselines.py"
    spec = importlib.util.spec_from_file_location("baselines", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["baselines"] = module
    spec.loader.exec_module(module)
    return module


baselines = _load_baselines()


def places_by_name(ev: Event) -> dict[str, object]:
    """Hand-made places for seating tests: one per (session, run number), named like `M#2`."""
    return {f"{p.session.id}#{p.number}": p for p in baselines.round_robin(ev)}


def attendees(seating: dict[object, list[str]], places: dict[str, object], name: str) -> list[str]:
    return sorted(seating[places[name]])


# -- hand plan -------------------------------------------------------------------------------------


def test_hand_plan_never_seats_someone_twice_in_a_two_slot_run() -> None:
    # Round-robin: A R1/T1, B R1/T2, C R2/T1, L (two slots) R3/T1-T2. Ann gets A in T1; her second wish L also
    # covers T1, so her T2 seat must be B (the old hand plan put her into L as well: two runs in T1).
    ev = event(
        2,
        [room("R1"), room("R2"), room("R3")],
        [session("A"), session("B"), session("C"), session("L", duration=2)],
        [person("ann", "A", "L"), person("ben", "L")],
    )
    plan = baselines.hand_plan(ev)
    assert validate(ev, plan).violations == []
    agenda = {(r.session, r.slots) for r in plan.runs if pid("ann") in r.attendees}
    assert agenda == {("A", ("T1",)), ("B", ("T2",))}


def test_round_robin_skips_a_place_that_would_leave_a_slot_without_seats() -> None:
    # Dealt plainly, C would go to R2/T1 and D to R2/T2: T2 would have 1 + 1 seats for 10 people.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("A", capacity=10), session("B", capacity=1), session("C", capacity=10), session("D", capacity=1)],
        [person(f"p{i}") for i in range(10)],
    )
    places = [(p.session.id, p.slots, p.room) for p in baselines.round_robin(ev)]
    assert places == [("A", ("T1",), "R1"), ("B", ("T2",), "R1"), ("C", ("T2",), "R2"), ("D", ("T1",), "R2")]
    assert validate(ev, baselines.hand_plan(ev)).violations == []


def test_a_gap_is_filled_by_moving_someone_to_a_free_seat() -> None:
    # M runs in T1 and T2, Y (1 seat) in T1, Z (1 seat) in T2. Qi wishes Z and fills T1 with Y; Pia gets M in
    # T1. In T2 Pia may not take M again and Z is full: Qi moves from Z to M's second run, Pia takes Z.
    ev = event(
        2,
        [room("R1"), room("R2")],
        [session("M", runs=2), session("Y", capacity=1), session("Z", capacity=1)],
        [person("qi", "Z"), person("pia", "M")],
    )
    places = places_by_name(ev)
    assert [(n, places[n].slots) for n in ("M#1", "M#2", "Y#1", "Z#1")] == [  # type: ignore[attr-defined]
        ("M#1", ("T1",)),
        ("M#2", ("T2",)),
        ("Y#1", ("T1",)),
        ("Z#1", ("T2",)),
    ]
    seating = baselines.hand_seats(ev, list(places.values()))
    assert [attendees(seating, places, n) for n in ("M#1", "M#2", "Y#1", "Z#1")] == [
        [pid("pia")],
        [pid("qi")],
        [pid("qi")],
        [pid("pia")],
    ]


def test_a_run_below_its_minimum_takes_its_wishers_first_from_fuller_runs() -> None:
    # Everyone is seated in A by their first wish; B needs 2 people: Cem (who wished B second) moves first.
    ev = event(
        1,
        [room("R1"), room("R2")],
        [session("A"), session("B", minimum=2)],
        [person("ann", "A"), person("ben", "A"), person("cem", "A", "B")],
    )
    plan = baselines.hand_plan(ev)
    assert validate(ev, plan).violations == []
    assert {r.session: r.attendees for r in plan.runs} == {"A": (pid("ben"),), "B": (pid("ann"), pid("cem"))}


def test_hand_plan_names_the_slot_without_enough_seats() -> None:
    ev = event(1, [room("R1", 1)], [session("A")], [person("ann"), person("ben")])
    with pytest.raises(baselines.NoBaseline, match=r"NO HAND PLAN \(slot T1: 1 seats for 2 people\)"):
        baselines.hand_plan(ev)


# -- ConferenceScheduler timetable -----------------------------------------------------------------


def test_conference_scheduler_keeps_a_two_slot_run_in_its_room() -> None:
    # L (two slots) needs the video room R1. ConferenceScheduler alone knows one-slot runs only and fills the
    # largest cells first, so it puts another session into R1/T2, where L still runs. With our rules L holds
    # R1 in T1 and T2, and A-D take the other four cells.
    ev = event(
        2,
        [room("R1", 100, "video"), room("R2", 50), room("R3", 5)],
        [session("L", duration=2, features=frozenset({"video"}))] + [session(s) for s in "ABCD"],
        [person(f"p{i}", "A", "B") for i in range(5)],
    )
    pinned = baselines.conference_scheduler_timetable(ev)
    cells = Counter((t, s.fixed_room) for s in pinned.sessions for t in ev.covered_slots(str(s.fixed_slot), s.duration))
    assert (pinned.session("L").fixed_slot, pinned.session("L").fixed_room) == ("T1", "R1")
    assert cells == Counter({(t, r): 1 for t in ("T1", "T2") for r in ("R1", "R2", "R3")})


def test_conference_scheduler_says_when_no_timetable_seats_everyone() -> None:
    ev = event(1, [room("R1", 1)], [session("A")], [person("ann"), person("ben")])
    with pytest.raises(baselines.NoBaseline, match=r"NO TIMETABLE \(no timetable of ConferenceScheduler seats"):
        baselines.conference_scheduler_timetable(ev)
