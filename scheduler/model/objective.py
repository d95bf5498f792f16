"""The three objectives of SPEC "Decisions", in lexicographic order: fairness, satisfaction, networking mix.

solve.py optimises them one after another, fixing each reached value before the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from scheduler.domain import Event, Person
from scheduler.model.variables import Placed, PlanVars, allowed_starts, room_classes, seat_limit

LinearExpr = cp_model.LinearExpr


def attendable_slots(event: Event, person: Person) -> int:
    """Session slots the person can attend: available and not hosting.

    Hosts host every run of their sessions and only in slots where they are available, so the count does not
    depend on the timetable.
    """
    available = sum(s.id not in person.unavailable for s in event.session_slots)
    hosting = sum(event.session(s).runs * event.session(s).duration for s in event.hosted_sessions.get(person.id, ()))
    return available - hosting


def shortfall_target(event: Event, person: Person) -> int:
    """min(#wishes, #attendable slots): the number of granted wishes that means no shortfall."""
    return max(0, min(len(person.wishes), attendable_slots(event, person)))


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


def networking_penalty(event: Event, model: cp_model.CpModel, v: PlanVars) -> LinearExpr:
    """Tie-break: attendees over half of a run from one organisation, then the spread of run sizes.

    For each run and organisation, `over >= 2 * members - attendees` counts how far one organisation exceeds
    half of the run; the spread is the largest run minus the smallest run that takes place.
    """
    size = len(v.participants)
    penalties = []
    largest = model.new_int_var(0, size, "largest_run")
    smallest = model.new_int_var(0, size, "smallest_run")
    for s in v.sessions:
        for t in v.start_slots(s.id):
            attendees = LinearExpr.sum(v.attendees(s.id, t))
            model.add(largest >= attendees)
            model.add(LinearExpr.weighted_sum([smallest, v.starts(s.id, t), attendees], [1, size, -1]) <= size)
            by_org: dict[str, list[cp_model.IntVar]] = {}
            for p in v.participants:
                var = v.attends(p.id, s.id, t)
                if var is not None and p.organisation:
                    by_org.setdefault(p.organisation, []).append(var)
            for org, members in sorted(by_org.items()):
                over = model.new_int_var(0, len(members), f"over[{s.id},{t},{org}]")
                model.add(over >= 2 * LinearExpr.sum(members) - attendees)
                penalties.append(over)
    return (size + 1) * LinearExpr.sum(penalties) + largest - smallest


@dataclass(frozen=True)
class Score:
    max_shortfall: int
    weighted: int


def evaluate(event: Event, placed: Iterable[Placed]) -> Score:
    """Fairness and satisfaction of a solution, counted from the runs (not read back from the solver)."""
    granted: dict[str, set[str]] = {}
    for run in placed:
        for person in run.attendees:
            granted.setdefault(person, set()).add(run.session)
    worst, weighted = 0, 0
    for p in event.participants:
        mine = granted.get(p.id, set())
        got = [w for w in p.wishes if w.session in mine]
        worst = max(worst, shortfall_target(event, p) - len(got))
        weighted += sum(event.weight(w.rank) for w in got)
    return Score(worst, weighted)


def weighted_ceiling(event: Event) -> int:
    """A bound no plan can beat, whatever the timetable: everyone gets wishes in at most the slots they can
    attend, and a session seats at most its runs times the largest room it may use.

    A max-weight flow from people to wished sessions (collisions in the timetable ignored), so it is a valid
    bound for the event and tighter than "everyone their best wishes" where popular sessions are capped.
    """
    people = sorted(event.participants, key=lambda p: p.id)
    sessions = sorted(event.sessions, key=lambda s: s.id)
    node = {s.id: len(people) + i for i, s in enumerate(sessions)}
    sink = len(people) + len(sessions)
    flow = min_cost_flow.SimpleMinCostFlow()
    total = 0
    for i, p in enumerate(people):
        slots = max(0, attendable_slots(event, p))
        total += slots
        flow.set_node_supply(i, slots)
        flow.add_arc_with_capacity_and_unit_cost(i, sink, slots, 0)  # slots without a granted wish
        for w in p.wishes:
            if p.id not in event.session(w.session).hosts and event.weight(w.rank) > 0:
                flow.add_arc_with_capacity_and_unit_cost(i, node[w.session], 1, -event.weight(w.rank))
    classes = room_classes(event)
    for s in sessions:
        usable = {c for _, c in allowed_starts(event, s, classes)}
        seats = max((seat_limit(event, s, c) for c in classes if c.id in usable), default=0)
        flow.add_arc_with_capacity_and_unit_cost(node[s.id], sink, s.runs * seats, 0)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the bound's flow has no solution")  # cannot happen: every person may bypass to the sink
    return -flow.optimal_cost()
