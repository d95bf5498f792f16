"""One record per rule (scheduler/rules.py): each has its sentences, its model function or the reason it holds by
construction, its validator checks and codes, explain's sentence; nothing outside the registry names a rule."""

from __future__ import annotations

import inspect

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.rules import BUILDERS, Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.solve import SolveOptions, solve
from scheduler.rules import BY_NAME, HARD_RULES, SOFT_TERMS
from scheduler.validate import RULES as VALIDATOR_CHECKS
from tests.test_model_rules import event, person, pid, room, session


def _rich_event() -> Event:
    """Every guarded rule has something to guard: runs, a multi-run session, a host of two, minimums."""
    sessions = [
        session("A", runs=2, capacity=2, hosts=(pid("hanna"),)),
        session("B", minimum=1, hosts=(pid("hanna"),)),
        session("C"),
    ]
    people = [person("p1", "A", "B"), person("p2", "C", "A"), person("hanna", participant=False)]
    return event(3, [room("R1"), room("R2", capacity=3)], sessions, people)


def test_every_hard_rule_has_its_sentences_and_a_way_it_holds() -> None:
    assert len(BY_NAME) == len(HARD_RULES)
    for rule in HARD_RULES:
        assert rule.statement.de and rule.statement.en and rule.statement.de != rule.statement.en, rule.name
        if rule.built:
            assert rule.name in BUILDERS, f"{rule.name}: no model function registered under that name"
            assert rule.construction is None
        else:
            assert rule.construction is not None and rule.construction.de and rule.construction.en, rule.name
        if rule.implied_by is None:
            assert rule.checks and rule.codes, f"{rule.name}: the validator does not check it"
        else:
            assert BY_NAME[rule.implied_by].built


def test_the_model_builds_only_rules_the_registry_names() -> None:
    assert set(BUILDERS) == {r.name for r in HARD_RULES if r.built}


def test_every_validator_check_belongs_to_a_rule_and_reports_its_codes() -> None:
    checks = {check for rule in HARD_RULES for check in rule.checks}
    assert set(VALIDATOR_CHECKS) == checks
    for rule in HARD_RULES:
        source = "".join(inspect.getsource(check) for check in rule.checks)
        for code in rule.codes:
            assert f'"{code}"' in source, f"{rule.name}: no check reports {code}"


def test_every_guarded_rule_has_explains_sentence() -> None:
    ev = _rich_event()
    model = cp_model.CpModel()
    guard = Guard(model, enabled=True)
    build_rules(ev, model, PlanVars(ev, model), guard)
    guarded = {rule for rule, _ in guard.literals}
    assert guarded == {r.name for r in HARD_RULES if r.why is not None}
    for rule, key in sorted(guard.literals):
        why = BY_NAME[rule].why
        assert why is not None
        sentence = why(ev, key)
        assert sentence.de and sentence.en and sentence.de != sentence.en


def test_soft_terms_are_named_once_and_reported_with_their_values() -> None:
    names = [t.name for t in SOFT_TERMS]
    assert len(set(names)) == len(names)
    assert sorted(t.level for t in SOFT_TERMS) == list(range(1, len(SOFT_TERMS) + 1))
    ev = event(
        1,
        [room("R1"), room("R2")],
        [session("A"), session("B")],
        [person("p1", "A", org="X"), person("p2", "A", org="X")],
    )
    plan = solve(ev, SolveOptions(time_limit=5.0, workers=1))
    assert [name for name, _ in plan.objective.terms] == names[2:]
    # Both of X in A (one run over half from one organisation by 2 - 0 = 2), B empty: spread 2.
    assert dict(plan.objective.terms) == {"organisation_over_half": 2, "fill_spread": 2}
