"""The three objectives of docs/contract.md "Decisions", in lexicographic order: fairness, satisfaction, networking mix.

solve.py optimises them one after another, fixing each reached value before the next.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import Event, Person
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.score import shortfall_target

LinearExpr = cp_model.LinearExpr


def granted_count(v: PlanVars, person: Person) -> LinearExpr:
    return LinearExpr.sum([v.granted(person.id, w.session) for w in person.wishes])


def max_shortfall(event: Event, model: cp_model.CpModel, v: PlanVars) -> cp_model.IntVar:
    """M >= shortfall of every participant; minimising M is the fairness objective."""
    targets = {p.id: shortfall_target(event, p) for p in v.participants}
    worst = model.new_int_var(0, max(targets.values(), default=0), "max_shortfall")
    for p in v.participants:
        if targets[p.id] > 0:
            model.add(worst + granted_count(v, p) >= targets[p.id])
    return worst


def weighted_wishes(event: Event, v: PlanVars) -> LinearExpr:
    """Sum of the weights of granted wishes (weight of rank r: Event.weight)."""
    terms, weights = [], []
    for p in v.participants:
        for w in p.wishes:
            if event.weight(w.rank) > 0:
                terms.append(v.granted(p.id, w.session))
                weights.append(event.weight(w.rank))
    return LinearExpr.weighted_sum(terms, weights)


def organisation_over_half(event: Event, model: cp_model.CpModel, v: PlanVars) -> LinearExpr:
    """Soft term `organisation_over_half`: per run and organisation, `over >= 2 * members - attendees` counts how
    far one organisation exceeds half of the run."""
    penalties = []
    for s in v.sessions:
        for t in v.start_slots(s.id):
            attendees = LinearExpr.sum(v.attendees(s.id, t))
            by_org: dict[str, list[cp_model.IntVar]] = {}
            for p in v.participants:
                var = v.attends(p.id, s.id, t)
                if var is not None and p.organisation:
                    by_org.setdefault(p.organisation, []).append(var)
            for org, members in sorted(by_org.items()):
                over = model.new_int_var(0, len(members), f"over[{s.id},{t},{org}]")
                model.add(over >= 2 * LinearExpr.sum(members) - attendees)
                penalties.append(over)
    return LinearExpr.sum(penalties)


def fill_spread(event: Event, model: cp_model.CpModel, v: PlanVars) -> LinearExpr:
    """Soft term `fill_spread`: the largest run minus the smallest run that takes place."""
    size = len(v.participants)
    largest = model.new_int_var(0, size, "largest_run")
    smallest = model.new_int_var(0, size, "smallest_run")
    for s in v.sessions:
        for t in v.start_slots(s.id):
            attendees = LinearExpr.sum(v.attendees(s.id, t))
            model.add(largest >= attendees)
            model.add(LinearExpr.weighted_sum([smallest, v.starts(s.id, t), attendees], [1, size, -1]) <= size)
    return largest - smallest


def networking_penalty(event: Event, model: cp_model.CpModel, v: PlanVars) -> LinearExpr:
    """The tie-break, lexicographic in one sum: `organisation_over_half` first, then `fill_spread` (which is at
    most the number of participants, so one unit of the first outweighs it)."""
    spread = fill_spread(event, model, v)
    over = organisation_over_half(event, model, v)
    return (len(v.participants) + 1) * over + spread
