"""Each hard rule the model builds, on a tiny event in which only that rule stands between the solver and a better
plan that breaks it: with the rule, the plan passes the validator at the objective worked out by hand; with the
rule left out of the model, the solver takes the better plan and the validator reports exactly that rule.

Parametrised over every built rule of scheduler/rules.py, so a rule whose removal no test notices fails here
(`test_every_built_rule_has_a_case`). The events pass the counting checks: the model decides them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from scheduler.domain import Event
from scheduler.model.explain import Infeasible
from scheduler.model.solve import SolveOptions, solve
from scheduler.rules import BY_NAME, HARD_RULES
from scheduler.validate import validate
from tests.test_model_rules import event, person, pid, room, session

# The joint model alone: the slot search beside would prove the best plan that keeps every rule, and take it.
OPTIONS = SolveOptions(time_limit=10.0, seed=0, workers=1, path="joint", slot_search=False)


@dataclass(frozen=True)
class Case:
    event: Event
    kept: tuple[int, int]  # (largest shortfall, weighted wishes) of the best plan that keeps the rule
    broken: tuple[int, int]  # the same, better, of the best plan without it


def _runs_placed() -> Case:
    # B must run and have someone (minimum 1); without the rule it is dropped and both get A.
    sessions = [session("A"), session("B", minimum=1)]
    return Case(event(1, [room("R1"), room("R2")], sessions, [person("p1", "A"), person("p2", "A")]), (1, 1), (0, 2))


def _runs_apart() -> Case:
    # A lasts two slots and runs twice: apart, its runs start in T1 and T3, and p2 (T2, T3) misses it; overlapping
    # (T1 and T2) both get it.
    sessions = [session("A", duration=2, runs=2, capacity=1), session("B"), session("C")]
    people = [person("p1", "A", unavailable="T3,T4"), person("p2", "A", unavailable="T1,T4")]
    return Case(event(4, [room("R1"), room("R2")], sessions, people), (1, 1), (0, 2))


def _one_run_per_room() -> Case:
    # One room, two slots, both people only in T1: A and B share the room in T1 when the rule is left out.
    people = [person("p1", "A", unavailable="T2"), person("p2", "B", unavailable="T2")]
    return Case(event(2, [room("R1")], [session("A"), session("B")], people), (1, 1), (0, 2))


def _hosts_in_one_place() -> Case:
    # Hanna hosts A and B; the people who want them are there only in T1.
    host = person("hanna", participant=False)
    sessions = [session("A", hosts=(pid("hanna"),)), session("B", hosts=(pid("hanna"),))]
    people = [person("p1", "A", unavailable="T2"), person("p2", "B", unavailable="T2"), host]
    return Case(event(2, [room("R1"), room("R2")], sessions, people), (1, 1), (0, 2))


def _full_agenda() -> Case:
    # One slot: p1 may attend A or B (weights 2 and 1); both at once without the rule.
    return Case(
        event(1, [room("R1"), room("R2")], [session("A"), session("B")], [person("p1", "A", "B")]), (0, 2), (0, 3)
    )


def _once_per_session() -> Case:
    # C has one seat, which p2 needs; p1 (A, C) then has a shortfall of 1 - unless attending both runs of A
    # counts as two granted wishes, which only this rule forbids. The plan's true shortfall stays 1.
    sessions = [session("A", runs=2), session("B"), session("C", capacity=1)]
    people = [person("p1", "A", "C"), person("p2", "C")]
    return Case(event(2, [room("R1"), room("R2")], sessions, people), (1, 4), (1, 4))


def _seat_capacity() -> Case:
    # A has one seat and both want it.
    sessions = [session("A", capacity=1), session("B")]
    return Case(event(1, [room("R1"), room("R2")], sessions, [person("p1", "A"), person("p2", "A")]), (1, 1), (0, 2))


def _minimum_attendance() -> Case:
    # B needs two attendees, so both must leave A, which both want.
    sessions = [session("A"), session("B", minimum=2)]
    return Case(event(1, [room("R1"), room("R2")], sessions, [person("p1", "A"), person("p2", "A")]), (1, 0), (0, 2))


CASES = {
    "runs_placed": _runs_placed,
    "runs_apart": _runs_apart,
    "one_run_per_room": _one_run_per_room,
    "hosts_in_one_place": _hosts_in_one_place,
    "full_agenda": _full_agenda,
    "once_per_session": _once_per_session,
    "seat_capacity": _seat_capacity,
    "minimum_attendance": _minimum_attendance,
}
IMPLIED = {r.name: r.implied_by for r in HARD_RULES if r.built and r.implied_by is not None}


def test_every_built_rule_has_a_case() -> None:
    built = {r.name for r in HARD_RULES if r.built}
    assert set(CASES) | set(IMPLIED) == built
    assert set(IMPLIED.values()) <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_rule_holds_in_the_solved_plan(name: str) -> None:
    case = CASES[name]()
    plan = solve(case.event, OPTIONS)
    report = validate(case.event, plan)
    assert report.violations == []
    assert (plan.objective.max_shortfall, plan.objective.weighted) == case.kept
    assert (report.max_shortfall, report.weighted) == case.kept


@pytest.mark.parametrize("name", sorted(CASES))
def test_leaving_the_rule_out_is_caught_by_the_validator(name: str) -> None:
    case = CASES[name]()
    plan = solve(case.event, replace(OPTIONS, leave_out=frozenset({name})))
    report = validate(case.event, plan)
    assert report.rules, f"{name} left out, yet the plan keeps it"
    assert report.rules <= set(BY_NAME[name].codes), report.violations
    assert (report.max_shortfall, -report.weighted) <= (case.broken[0], -case.broken[1])


@pytest.mark.parametrize("name", sorted(IMPLIED))
def test_a_redundant_rule_is_caught_with_the_rule_that_implies_it(name: str) -> None:
    implier = IMPLIED[name]
    case = CASES[implier]()
    alone = solve(case.event, replace(OPTIONS, leave_out=frozenset({name})))
    assert validate(case.event, alone).violations == []  # redundant: the other rule holds it
    both = solve(case.event, replace(OPTIONS, leave_out=frozenset({name, implier})))
    report = validate(case.event, both)
    assert report.rules and report.rules <= set(BY_NAME[name].codes) | set(BY_NAME[implier].codes)


IMPOSSIBLE = {
    # name: an event no plan fits, decided by the model once the counting checks are off
    "seat_capacity": lambda: event(1, [room("R1")], [session("A", capacity=1)], [person("p1"), person("p2")]),
    "minimum_attendance": lambda: event(
        1, [room("R1"), room("R2")], [session("A"), session("B", minimum=2)], [person("p1")]
    ),
    "hosts_in_one_place": lambda: event(
        1,
        [room("R1"), room("R2")],
        [session("A", hosts=(pid("hanna"),)), session("B", hosts=(pid("hanna"),))],
        [person("p1"), person("hanna", participant=False)],
    ),
    "one_run_per_room": lambda: event(1, [room("R1")], [session("A"), session("B")], [person("p1")]),
}


@pytest.mark.parametrize("name", sorted(IMPOSSIBLE))
def test_the_model_names_the_rule_when_no_plan_can_exist(name: str) -> None:
    ev = IMPOSSIBLE[name]()
    with pytest.raises(Infeasible) as counted:
        solve(ev, OPTIONS)  # the counting checks see it first
    with pytest.raises(Infeasible) as modelled:
        solve(ev, replace(OPTIONS, counting_checks=False))
    why = BY_NAME[name].why
    assert why is not None
    keys = [ev.sessions[-1].id, ev.session_slots[0].id, pid("hanna")]
    sentences = {why(ev, key)("en") for key in keys if _applies(ev, name, key)}
    assert sentences & {r("en") for r in modelled.value.reasons}, modelled.value.reasons
    assert counted.value.reasons != modelled.value.reasons


def _applies(ev: Event, name: str, key: str) -> bool:
    """Whether `key` is of the kind the rule is guarded by: a slot, a host, else a session."""
    if name == "one_run_per_room":
        return key in {s.id for s in ev.slots}
    if name == "hosts_in_one_place":
        return key in ev.hosted_sessions
    return key in {s.id for s in ev.sessions}
