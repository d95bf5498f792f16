"""Networking rounds: group sizes, the organisation bound, the search goal by goal, the validator, plan files."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from scheduler.domain import Event, Person, Room, Session, Slot
from scheduler.io.planfile import read_plan, write_plan
from scheduler.networking.groups import NoGroups, make_groups, with_groups
from scheduler.networking.measure import figures, same_organisation_bound
from scheduler.networking.search import GroupSearch, Instance, search
from scheduler.networking.sizes import group_count, group_sizes
from scheduler.plan import Group, NetworkingRound, Objective, Plan, Run, SolverInfo
from scheduler.validate import validate

# -- sizes and the bound ---------------------------------------------------------------------------------------


def test_group_count_fits_the_range_and_prefers_the_middle() -> None:
    assert group_count(3, 4, 6) is None  # 3 people cannot make a group of 4 to 6
    assert group_count(7, 4, 5) is None  # 4 + 3 and 5 + 2 both miss the range
    assert group_count(25, 4, 6) == 5  # groups of 5, the middle of 4-6
    assert group_count(138, 4, 6) == 28  # 27 groups would average 5.11, 28 groups 4.93
    assert group_count(12, 5, 5) is None
    assert group_sizes(13, 3) == (5, 4, 4)
    assert group_sizes(12, 3) == (4, 4, 4)


def test_same_organisation_bound_spreads_each_organisation_evenly() -> None:
    assert same_organisation_bound([7, 3], 3) == 5  # 7 over 3 groups: 3 + 2 + 2 -> 3 + 1 + 1 pairs; 3 over 3: none
    assert same_organisation_bound([2, 2, 2], 3) == 0
    assert same_organisation_bound([10], 2) == 20  # 5 + 5 -> 10 + 10 pairs
    assert same_organisation_bound([], 4) == 0


# -- a small networking event ----------------------------------------------------------------------------------


def networking_event(people: int = 24, organisations: int = 3, moderators: int = 2, size: tuple[int, int] = (4, 4)):
    """Three networking rounds around one session slot; people of `organisations` in turn, some moderators."""
    slots = (
        Slot("N1", time(9), time(9, 30), "networking", "Kennenlernen", group_size=size),
        Slot("T1", time(9, 30), time(10, 30)),
        Slot("N2", time(10, 30), time(11), "networking", "", group_size=size),
        Slot("N3", time(11), time(11, 30), "networking", "", group_size=size),
    )
    members = tuple(
        Person(f"p{i:02d}@x", f"P{i:02d}", f"p{i:02d}@x", f"Org {i % organisations}", moderator=i < moderators)
        for i in range(people)
    )
    return Event("Netz", slots, (Room("R1", "Raum 1"),), (Session("S1", "Alles", hosts=("p00@x",)),), members)


def session_plan(event: Event) -> Plan:
    """Everybody but the host in the one session run."""
    attendees = tuple(p.id for p in event.people if p.id != "p00@x")
    return Plan((Run("S1", 1, ("T1",), "R1", attendees),), SolverInfo("FEASIBLE"), Objective(0, 0, 0))


def test_groups_keep_every_rule_and_reach_the_organisation_bound() -> None:
    event = networking_event()
    plan = with_groups(event, session_plan(event), seconds=5, seed=0)
    report = validate(event, plan)
    assert report.violations == []
    f = report.networking
    assert f is not None
    assert [r.sizes for r in f.rounds] == [(4,) * 6] * 3
    assert f.repeats == 0
    assert (f.same_organisation, f.bound) == (18, 18)  # 8 of an organisation over 6 groups: 2, 2, 1, 1, 1, 1 -> 2 pairs
    assert [r.moderated_groups for r in f.rounds] == [2, 2, 2]  # two moderators, in two different groups


def test_same_organisation_pairs_at_the_bound_when_an_organisation_is_large() -> None:
    people = [Person(f"a{i}@x", f"A{i}", f"a{i}@x", "Groß") for i in range(10)]
    people += [Person(f"b{i}@x", f"B{i}", f"b{i}@x", f"Klein {i % 5}") for i in range(10)]
    slots = (Slot("N1", time(9), time(10), "networking", "", group_size=(4, 6)), Slot("T1", time(10), time(11)))
    event = Event("Netz", slots, (Room("R1", "Raum 1"),), (Session("S1", "Alles"),), tuple(people))
    result = make_groups(event, Plan((), SolverInfo("X"), Objective(0, 0, 0)), seconds=5)
    f = figures(event, (), result.rounds)
    assert [len(g.members) for g in result.rounds[0].groups] == [5, 5, 5, 5]
    assert f.bound == 8 and f.same_organisation == 8  # 10 of "Groß" over 4 groups: 3 + 3 + 2 + 2 -> 3 + 3 + 1 + 1


def test_no_pair_meets_twice_when_the_rounds_allow_it() -> None:
    """16 people in groups of 4 can meet for 5 rounds without a repeat (the affine plane of order 4); 4 are asked."""
    n = 16
    instance = Instance(n, [-1 - i for i in range(n)], [False] * n, [set() for _ in range(n)],
                        [list(range(n))] * 4, [(4,) * 4] * 4, [0, 0, 0, 0])  # fmt: skip
    outcome = search(instance, moves=2_000_000, seed=1)
    assert outcome.values[0] == 0
    met = [{a, b} for rnd in outcome.groups for g in rnd for a in g for b in g if a < b]
    assert len(met) == len({frozenset(m) for m in met}) == 4 * 4 * 6


def test_pairs_who_shared_a_run_are_kept_apart_where_the_earlier_goals_allow() -> None:
    people = tuple(Person(f"p{i}@x", f"P{i}", f"p{i}@x", f"Org {i}") for i in range(8))
    slots = (Slot("T1", time(9), time(10)), Slot("N1", time(10), time(11), "networking", "", group_size=(4, 4)))
    sessions = (Session("S1", "Eins"), Session("S2", "Zwei"))
    event = Event("Netz", slots, (Room("R1", "Raum 1"), Room("R2", "Raum 2")), sessions, people)
    runs = (
        Run("S1", 1, ("T1",), "R1", tuple(f"p{i}@x" for i in range(4))),
        Run("S2", 1, ("T1",), "R2", tuple(f"p{i}@x" for i in range(4, 8))),
    )
    plan = with_groups(event, Plan(runs, SolverInfo("X"), Objective(0, 0, 0)), seconds=5)
    f = validate(event, plan).networking
    assert f is not None and f.shared_run == 4  # two groups of 4 from two runs of 4: 2 + 2 from each group at best


def test_moderators_spread_one_per_group_as_far_as_they_go() -> None:
    event = networking_event(people=24, organisations=24, moderators=9)  # 9 moderators, 6 groups
    plan = with_groups(event, session_plan(event), seconds=5, seed=3)
    f = validate(event, plan).networking
    assert f is not None
    assert [r.moderated_groups for r in f.rounds] == [6, 6, 6] and f.moderator_gaps == 0
    assert all(
        g.moderator is not None and event.person(g.moderator).moderator for r in plan.networking for g in r.groups
    )


def test_the_search_keeps_its_counts_right_swap_by_swap() -> None:
    rng = random.Random(5)
    n = 30
    shared = [set[int]() for _ in range(n)]
    for p in range(n):
        for q in rng.sample(range(n), 4):
            if q != p:
                shared[p].add(q)
                shared[q].add(p)
    instance = Instance(n, [rng.randrange(4) for _ in range(n)], [rng.random() < 0.2 for _ in range(n)], shared,
                        [list(range(n))] * 5, [(5,) * 6] * 5, [0, 0, 0, 0])  # fmt: skip
    state = GroupSearch(instance, random.Random(0))
    for _ in range(3000):
        r, (p, q) = rng.randrange(5), rng.sample(range(n), 2)
        if state.where[r][p] != state.where[r][q]:
            state.swap(r, p, q, state.delta(r, p, q))
    assert tuple(state.values) == state.recount()
    assert state.repeated == {(a, b) for a in range(n) for b, c in state.meet[a].items() if a < b and c > 1}


def test_same_seed_same_groups_and_the_stop_event_still_gives_groups() -> None:
    import threading

    event = networking_event(people=40, organisations=5)
    plan = session_plan(event)
    assert make_groups(event, plan, 2, seed=4).rounds == make_groups(event, plan, 2, seed=4).rounds
    stop = threading.Event()
    stop.set()
    stopped = with_groups(event, plan, 2, stop=stop)
    assert validate(event, stopped).violations == []  # the greedy start, complete and valid


def test_a_round_that_cannot_be_split_is_explained() -> None:
    event = networking_event(people=3, size=(4, 6))
    with pytest.raises(NoGroups) as err:
        make_groups(event, session_plan(event), 1)
    assert (
        err.value.reasons[0].de
        == "Vernetzungsrunde N1: 3 Personen lassen sich nicht in Gruppen von 4–6 Personen teilen."
    )
    everyone_away = replace(event, people=tuple(replace(p, unavailable=frozenset({"N2"})) for p in event.people))
    with pytest.raises(NoGroups) as err:
        make_groups(everyone_away, session_plan(everyone_away), 1)
    assert "Vernetzungsrunde N2: niemand ist anwesend (alle sind dort nicht verfügbar)." in [
        r.de for r in err.value.reasons
    ]


# -- the validator ---------------------------------------------------------------------------------------------


def test_validator_names_each_broken_rule_exactly() -> None:
    event = networking_event(people=12, organisations=3, moderators=1, size=(4, 4))
    people = [p.id for p in event.people]
    good = (
        Group("G01", tuple(people[0:4]), people[0]),
        Group("G02", tuple(people[4:8])),
        Group("G03", tuple(people[8:])),
    )
    bad_n2 = (Group("G01", tuple(people[0:6]), people[7]), Group("G02", tuple(people[6:8]), None))
    bad_n3 = (Group("G01", (*people[0:4], "nobody@x")), Group("G02", tuple(people[4:8]), people[5]))
    rounds = (NetworkingRound("N1", good), NetworkingRound("N2", bad_n2), NetworkingRound("N3", bad_n3),
              NetworkingRound("T1", good))  # fmt: skip
    plan = replace(session_plan(event), networking=rounds)
    messages = {(v.rule, v.message.de) for v in validate(event, plan).violations}
    assert messages == {
        ("networking_slot", "Gruppen für T1, aber T1 ist keine Vernetzungsrunde."),
        ("group_size", "N2 G01: 6 Personen, erlaubt sind 4 bis 4."),
        ("group_size", "N2 G02: 2 Personen, erlaubt sind 4 bis 4."),
        ("group_sizes_uneven", "N2: Gruppen von 2 bis 6 Personen; sie dürfen sich nur um 1 unterscheiden."),
        ("moderator_not_member", "N2 G01: p07@x moderiert, ist aber nicht in der Gruppe."),
        *{("networking_missing_person", f"N2: {p} ist anwesend, aber in keiner Gruppe.") for p in people[8:]},
        ("unknown_person", "N3: Person nobody@x gibt es nicht."),
        ("group_size", "N3 G01: 5 Personen, erlaubt sind 4 bis 4."),
        ("moderator_not_moderator", "N3 G02: p05@x ist nicht für die Moderation angemeldet."),
        *{("networking_missing_person", f"N3: {p} ist anwesend, aber in keiner Gruppe.") for p in people[8:]},
    }
    missing = replace(plan, networking=(NetworkingRound("N1", good),))
    assert {v.message.en for v in validate(event, missing).violations} == {
        "Networking round N2 has no groups.",
        "Networking round N3 has no groups.",
    }
    away = replace(event, people=tuple(replace(p, unavailable=frozenset({"N1"})) if p.id == people[1] else p
                                       for p in event.people))  # fmt: skip
    found = validate(away, replace(plan, networking=(NetworkingRound("N1", good),)))
    assert "N1: p01@x ist nicht verfügbar, steht aber in einer Gruppe." in {v.message.de for v in found.violations}


def test_validator_recomputes_repeats_and_same_organisation_pairs() -> None:
    event = networking_event(people=8, organisations=2, moderators=0, size=(4, 4))
    ids = [p.id for p in event.people]  # organisations alternate: 0, 1, 0, 1, …
    same = (Group("G01", tuple(ids[0:4])), Group("G02", tuple(ids[4:8])))
    rounds = tuple(NetworkingRound(s, same) for s in ("N1", "N2", "N3"))
    report = validate(event, replace(session_plan(event), networking=rounds))
    f = report.networking
    assert f is not None and report.violations == []
    assert f.repeats == 2 * 6 * 2  # 12 pairs, each together 3 times: 2 repeats each
    assert (f.same_organisation, f.bound) == (3 * 4, 3 * 4)  # per group 2 + 2 of one organisation: 1 + 1 pairs
    assert f.shared_run == 3 * 12  # everybody shared the one run (p00 hosted it)


# -- plan file -------------------------------------------------------------------------------------------------


def test_plan_file_round_trip_keeps_groups_sizes_and_moderators(tmp_path: Path) -> None:
    event = networking_event(size=(3, 5))
    plan = with_groups(event, session_plan(event), seconds=2)
    path = tmp_path / "plan.json"
    write_plan(path, event, plan)
    back_event, back_plan = read_plan(path)
    assert back_plan.networking == plan.networking
    assert [s.group_size for s in back_event.networking_slots] == [(3, 5)] * 3
    assert [p.moderator for p in back_event.people] == [p.moderator for p in event.people]
    text = path.read_text(encoding="utf-8")
    assert '"networking": [' in text and '"slot": "N1"' in text and '"moderator": "p00@x"' in text


def test_the_bundled_example_keeps_its_sessions_part() -> None:
    """Two networking rounds moved the times of T3 and P2, nothing else the session plan depends on."""
    from scheduler.example import generate_event
    from scheduler.io.workbook import read_event
    from scheduler.networking.day import sessions_part

    bundled, _ = read_event(Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx")
    without = generate_event()
    sessions = sessions_part(bundled)
    assert [s.id for s in bundled.networking_slots] == ["N1", "N2"]
    assert [s.id for s in sessions.session_slots] == [s.id for s in without.session_slots]
    assert [(s.start, s.end) for s in sessions.session_slots[:2]] == [
        (s.start, s.end) for s in without.session_slots[:2]
    ]
    assert (sessions.sessions, sessions.rooms) == (without.sessions, without.rooms)
    assert [replace(p, moderator=False) for p in sessions.people] == list(without.people)
    assert sum(p.moderator for p in bundled.people) == 11


# -- each hard rule of the validator: a plan it must accept and one it must reject for that rule alone ----------


def _rounds(*changes: tuple[int, Group]) -> tuple[NetworkingRound, ...]:
    """Three equal rounds of three groups of four; `(i, group)` replaces group i in round N1."""
    ids = [f"p{i:02d}@x" for i in range(12)]
    groups = [Group("G01", tuple(ids[0:4]), ids[0]), Group("G02", tuple(ids[4:8])), Group("G03", tuple(ids[8:12]))]
    first = list(groups)
    for i, group in changes:
        first[i] = group
    return (NetworkingRound("N1", tuple(first)), *(NetworkingRound(s, tuple(groups)) for s in ("N2", "N3")))


def _ids(*numbers: int) -> tuple[str, ...]:
    return tuple(f"p{i:02d}@x" for i in numbers)


NETWORKING_PAIRS = {
    "networking_slot": (*_rounds(), NetworkingRound("T1", _rounds()[1].groups)),
    "networking_missing": _rounds()[:2],
    "networking_twice": _rounds((1, Group("G02", _ids(4, 5, 6, 7, 1)))),
    "networking_missing_person": _rounds((2, Group("G03", _ids(8, 9, 10)))),
    "unknown_person": _rounds((2, Group("G03", (*_ids(8, 9, 10, 11), "nobody@x")))),
    "group_size": (
        NetworkingRound("N1", (Group("G01", _ids(*range(6))), Group("G02", _ids(*range(6, 12))))),
        *_rounds()[1:],
    ),
    "group_sizes_uneven": _rounds(
        (0, Group("G01", _ids(0, 1, 2, 3, 4))), (1, Group("G02", _ids(5, 6, 7, 8))), (2, Group("G03", _ids(9, 10, 11)))
    ),
    "moderator_not_member": _rounds((1, Group("G02", _ids(4, 5, 6, 7), "p00@x"))),
    "moderator_not_moderator": _rounds((1, Group("G02", _ids(4, 5, 6, 7), "p05@x"))),
}


def _pair_event() -> Event:
    return networking_event(people=12, organisations=3, moderators=1, size=(3, 5))


def test_the_paired_plan_is_valid() -> None:
    event = _pair_event()
    assert validate(event, replace(session_plan(event), networking=_rounds())).violations == []


@pytest.mark.parametrize("rule", sorted([*NETWORKING_PAIRS, "networking_unavailable"]))
def test_each_networking_rule_alone_is_broken(rule: str) -> None:
    event = _pair_event()
    rounds = NETWORKING_PAIRS.get(rule, _rounds())
    if rule == "networking_unavailable":
        event = replace(event, people=tuple(replace(p, unavailable=frozenset({"N1"})) if p.id == "p01@x" else p
                                            for p in event.people))  # fmt: skip
    assert {v.rule for v in validate(event, replace(session_plan(event), networking=rounds)).violations} == {rule}


NETWORKING_RULES = {*NETWORKING_PAIRS, "networking_unavailable"}
