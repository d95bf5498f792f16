"""The objective of docs/contract.md "Decisions", recomputed from a plan without the solver.

shortfall = min(#wishes, #session slots the person can attend) - #wishes granted, where "can attend" means
available and not hosting in this plan, and a wish is granted when the person attends any run of that session.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import Event, Person
from scheduler.plan import Plan
from scheduler.validate.facts import hosting_slots, known_runs
from scheduler.validate.report import Score


def score(event: Event, plan: Plan) -> Score:
    """Fairness (the largest shortfall over participants) and satisfaction (the weights of granted wishes)."""
    attended: dict[str, set[str]] = defaultdict(set)
    for run in known_runs(event, plan):
        for person in run.attendees:
            attended[person].add(run.session)
    hosting = hosting_slots(event, plan)
    shortfall: dict[str, int] = {}
    granted: dict[str, tuple[int, ...]] = {}
    for p in event.participants:
        granted[p.id] = tuple(w.rank for w in p.wishes if w.session in attended[p.id])
        free = attendable_slots(event, p, hosting.get(p.id, set()))
        shortfall[p.id] = min(len(p.wishes), free) - len(granted[p.id])
    weighted = sum(event.weight(rank) for ranks in granted.values() for rank in ranks)
    return Score(max(shortfall.values(), default=0), weighted, shortfall, granted)


def attendable_slots(event: Event, person: Person, hosting: set[str]) -> int:
    """How many session slots the person can attend: available and not hosting."""
    return sum(1 for s in event.session_slots if s.id not in person.unavailable and s.id not in hosting)
