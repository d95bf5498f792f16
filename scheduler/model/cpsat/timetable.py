"""A timetable from aggregate demand: place runs so that few people's wishes collide in one slot.

This is the first stage of the fast plan (then the seats are solved exactly for this timetable). Its plan hints
the joint model, and for events too large for the joint model it is the timetable of the final plan.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.rules import TIMETABLE_RULES, Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Timetable, seat_limit
from scheduler.model.score import shortfall_target

LinearExpr = cp_model.LinearExpr


def collision_weights(event: Event) -> Counter[tuple[str, str]]:
    """(s1, s2) -> weight lost when both lie in one slot: per person the smaller weight of the two wishes.

    A collision with one run of a session that runs more than once costs less, since the other run remains.
    """
    weights: Counter[tuple[str, str]] = Counter()
    for p in event.participants:
        wished = sorted(
            (w for w in p.wishes if p.id not in event.session(w.session).hosts and event.weight(w.rank) > 0),
            key=lambda w: w.session,
        )
        for w1, w2 in combinations(wished, 2):
            runs = event.session(w1.session).runs * event.session(w2.session).runs
            weights[w1.session, w2.session] += min(event.weight(w1.rank), event.weight(w2.rank)) // runs
    return weights


def build_timetable_model(event: Event, model: cp_model.CpModel) -> tuple[PlanVars, LinearExpr]:
    """Timetable rules, enough seats per slot, and what to minimise: first the largest shortfall that the
    timetable alone forces (wishes only in too few slots), then the weighted collisions."""
    v = PlanVars(event, model, seats=False)
    build_rules(event, model, v, Guard(model), only=TIMETABLE_RULES)
    _enough_seats(event, model, v)
    terms, weights = [], []
    for (s1, s2), weight in sorted(collision_weights(event).items()):
        if weight == 0:
            continue
        for t in v.slot_ids:
            both = model.new_bool_var(f"collide[{s1},{s2},{t}]")
            model.add(both + 1 >= LinearExpr.sum([v.covers(s1, t), v.covers(s2, t)]))
            terms.append(both)
            weights.append(weight)
    worst = _forced_shortfall(event, model, v)
    return v, LinearExpr.weighted_sum([worst, *terms], [sum(weights) + 1, *weights])


def _forced_shortfall(event: Event, model: cp_model.CpModel, v: PlanVars) -> cp_model.IntVar:
    """The largest shortfall when seats were unlimited: a person gets at most one wish per slot that holds one."""
    targets = {p.id: shortfall_target(event, p) for p in v.participants}
    worst = model.new_int_var(0, max(targets.values(), default=0), "forced_shortfall")
    for p in v.participants:
        wished = sorted({w.session for w in p.wishes if p.id not in event.session(w.session).hosts})
        if targets[p.id] == 0:
            continue
        served = []
        for t in v.slot_ids:
            if t in p.unavailable:
                continue
            served_t = model.new_bool_var(f"served[{p.id},{t}]")
            model.add(served_t <= LinearExpr.sum([v.covers(s, t) for s in wished]))
            served.append(served_t)
        model.add(worst + LinearExpr.sum(served) >= targets[p.id])
    return worst


def _enough_seats(event: Event, model: cp_model.CpModel, v: PlanVars) -> None:
    """In every slot the runs offer a seat to each participant present who is not hosting."""
    hosting_participants = [p for p in v.participants if p.id in event.hosted_sessions]
    for t in v.slot_ids:
        seats = []
        for s in v.sessions:
            for (_, start, c), var in v.placements_of(s.id):
                if t in v.covered(s.id, start):
                    seats.append(seat_limit(event, s, v.class_by_id[c]) * var)
        present = sum(t not in p.unavailable for p in v.participants)
        hosting = [
            v.covers(s, t) for p in hosting_participants if t not in p.unavailable for s in event.hosted_sessions[p.id]
        ]
        model.add(LinearExpr.sum([*seats, *hosting]) >= present)


def extract_timetable(v: PlanVars, solver: cp_model.CpSolver) -> Timetable:
    chosen: dict[str, list[tuple[str, str]]] = {}
    for (s, t, c), var in v.placements():
        if solver.boolean_value(var):
            chosen.setdefault(s, []).append((t, c))
    return {s: tuple(pairs) for s, pairs in chosen.items()}
