"""The capacity ceiling's prices, for the column bound to start from.

The ceiling (`score.weighted_ceiling`) is the max-weight flow from people to wished sessions: each person
granted at most as many wishes as they have attendable slots, each session at most its runs times its largest
usable room. Both limits hold in every plan, so the column bound may relax them too, with prices μ (per person)
and ν (per session) ≥ 0: it then counts μ · slots + ν · seats and every seat at the wish less μ and ν. At the
ceiling's own optimal prices, with the session prices the ceiling's remaining value, the column bound is about
the ceiling; between those prices and the master's duals it is convex, so a mix can be below both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.domain import Event
from scheduler.model.facts import allowed_starts, room_classes, seat_limit
from scheduler.model.score import attendable_slots


@dataclass(frozen=True)
class CeilingPrices:
    person: np.ndarray  # μ per person (people sorted by id)
    session: np.ndarray  # ν per session (the event's order)
    remaining: np.ndarray  # per session: Σ over its wishers of the wish less μ and ν where positive
    slots: np.ndarray  # per person: the attendable slots (the limit μ prices)
    seats: np.ndarray  # per session: runs times its largest usable room (the limit ν prices)
    value: float  # the ceiling's LP value: μ · slots + ν · seats + Σ remaining


def ceiling_prices(event: Event, wish: np.ndarray) -> CeilingPrices:
    """The ceiling's LP and its duals; `wish` is people (sorted by id) × sessions, hosts' own left out."""
    people = sorted(event.participants, key=lambda p: p.id)
    classes = room_classes(event)
    slots = np.array([max(0, attendable_slots(event, p)) for p in people], dtype=np.float64)
    seats = np.zeros(len(event.sessions))
    for j, s in enumerate(event.sessions):
        usable = {c for _, c in allowed_starts(event, s, classes)}
        seats[j] = s.runs * max((seat_limit(event, s, c) for c in classes if c.id in usable), default=0)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    person_rows = [lp.Constraint(0.0, float(n)) for n in slots]
    session_rows = [lp.Constraint(0.0, float(n)) for n in seats]
    objective = lp.Objective()
    rows, cols = np.nonzero(wish > 0)
    for r, j in zip(rows.tolist(), cols.tolist(), strict=True):
        x = lp.NumVar(0.0, 1.0, "")
        person_rows[r].SetCoefficient(x, 1.0)
        session_rows[j].SetCoefficient(x, 1.0)
        objective.SetCoefficient(x, float(wish[r, j]))
    objective.SetMaximization()
    lp.Solve()
    mu = np.maximum(np.array([row.dual_value() for row in person_rows]), 0.0)
    nu = np.maximum(np.array([row.dual_value() for row in session_rows]), 0.0)
    left = np.where(wish > 0, np.maximum(wish - mu[:, None] - nu[None, :], 0.0), 0.0)
    remaining = left.sum(axis=0)
    return CeilingPrices(mu, nu, remaining, slots, seats, float(mu @ slots + nu @ seats + remaining.sum()))
