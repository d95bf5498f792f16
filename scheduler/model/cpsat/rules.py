"""The model side of the hard rules: one small function per rule that the variables do not already hold.

Each function is registered under its rule's name in `scheduler/rules.py` (`@builds`), which holds the rule's
sentences, the validator's checks and explain's sentence; the rules held by construction are named there too.
Every function has the shape `build(event, model, vars, guard)`. `guard(rule, key)` returns the enforcement
literals for one rule and key (a session, slot or host): none in a normal solve, one assumption literal
when the model is asked why it is infeasible (see explain.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import seat_limit
from scheduler.rules import HARD_RULES

LinearExpr = cp_model.LinearExpr


class Guard:
    """Enforcement literals per (rule, key); disabled guards return none so the normal model stays plain."""

    def __init__(self, model: cp_model.CpModel, enabled: bool = False) -> None:
        self.model = model
        self.enabled = enabled
        self.literals: dict[tuple[str, str], cp_model.IntVar] = {}

    def __call__(self, rule: str, key: str) -> list[cp_model.IntVar]:
        if not self.enabled:
            return []
        if (rule, key) not in self.literals:
            self.literals[rule, key] = self.model.new_bool_var(f"guard[{rule},{key}]")
        return [self.literals[rule, key]]


Rule = Callable[[Event, cp_model.CpModel, PlanVars, Guard], None]
BUILDERS: dict[str, Rule] = {}


def builds(rule: Rule) -> Rule:
    """Register a model function under its name, which is its rule's name in `scheduler/rules.py`."""
    BUILDERS[rule.__name__] = rule
    return rule


def _enforce(constraint: cp_model.Constraint, literals: Sequence[cp_model.IntVar]) -> None:
    if literals:
        constraint.only_enforce_if(literals)


@builds
def runs_placed(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """Every session has exactly its number of runs, each with one start slot and one room."""
    for s in v.sessions:
        placed = [var for _, var in v.placements_of(s.id)]
        _enforce(model.add(LinearExpr.sum(placed) == s.runs), guard("runs_placed", s.id))


@builds
def runs_apart(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """Runs of one session lie in different slots (and never overlap when they last several slots)."""
    for s in v.sessions:
        if s.runs > 1:
            for t in v.slot_ids:
                _enforce(model.add(v.covers(s.id, t) <= 1), guard("runs_apart", s.id))


@builds
def one_run_per_room(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """A room holds one run per slot: a class of n interchangeable rooms holds at most n runs."""
    using: dict[tuple[str, str], list[cp_model.IntVar]] = {}
    for (s, start, class_id), var in v.placements():
        for t in v.covered(s, start):
            using.setdefault((t, class_id), []).append(var)
    for t in v.slot_ids:
        for c in v.classes:
            if len(using.get((t, c.id), [])) > c.size:
                _enforce(model.add(LinearExpr.sum(using[t, c.id]) <= c.size), guard("one_run_per_room", t))


@builds
def hosts_in_one_place(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """A host runs at most one session per slot (their availability is built into the variables)."""
    for host, sessions in sorted(event.hosted_sessions.items()):
        if len(sessions) > 1:
            for t in v.slot_ids:
                busy = LinearExpr.sum([v.covers(s, t) for s in sorted(sessions)])
                _enforce(model.add(busy <= 1), guard("hosts_in_one_place", host))


@builds
def full_agenda(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """A participant is in exactly one run, or hosting, in every session slot in which they are available."""
    hosted = event.hosted_sessions
    for p in v.participants:
        for t in v.slot_ids:
            if t in p.unavailable:
                continue
            hosting = [v.covers(s, t) for s in hosted.get(p.id, ())]
            _enforce(model.add(LinearExpr.sum([*v.present(p.id, t), *hosting]) == 1), guard("full_agenda", t))


@builds
def attend_placed_runs(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """Attend only a run that takes place (linear `a <= y`: the form whose LP relaxation is tight)."""
    for (_, s, t), var in v.attendances():
        model.add(var <= v.starts(s, t))


@builds
def once_per_session(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """Never twice in one session; redundant for single runs but it tightens the LP bound, so always added."""
    for p in v.participants:
        for s in v.sessions:
            runs = [var for t in v.start_slots(s.id) if (var := v.attends(p.id, s.id, t)) is not None]
            if len(runs) > 1:
                literals = guard("once_per_session", s.id) if s.runs > 1 else []
                _enforce(model.add(LinearExpr.sum(runs) <= 1), literals)


@builds
def seat_capacity(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """Attendance of a run is at most min(session capacity, room capacity)."""
    for s in v.sessions:
        for t in v.start_slots(s.id):
            seats = LinearExpr.weighted_sum(
                [var for _, var in v.placed_in_class(s.id, t)],
                [seat_limit(event, s, c) for c, _ in v.placed_in_class(s.id, t)],
            )
            _enforce(model.add(LinearExpr.sum(v.attendees(s.id, t)) <= seats), guard("seat_capacity", s.id))


@builds
def minimum_attendance(event: Event, model: cp_model.CpModel, v: PlanVars, guard: Guard) -> None:
    """A run that takes place has at least the session's minimum of attendees."""
    for s in v.sessions:
        if s.minimum > 0:
            for t in v.start_slots(s.id):
                needed = s.minimum * v.starts(s.id, t)
                _enforce(model.add(LinearExpr.sum(v.attendees(s.id, t)) >= needed), guard("minimum_attendance", s.id))


TIMETABLE_RULES: tuple[str, ...] = tuple(r.name for r in HARD_RULES if r.built and r.timetable)


def build_rules(
    event: Event,
    model: cp_model.CpModel,
    v: PlanVars,
    guard: Guard,
    only: tuple[str, ...] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> None:
    """Every rule built in the model, in the registry's order (`only` some of them); `leave_out` is for the tests
    that show each rule is needed."""
    for rule in HARD_RULES:
        if rule.built and (only is None or rule.name in only) and rule.name not in leave_out:
            BUILDERS[rule.name](event, model, v, guard)
