"""How good a plan is, counted from its runs: each person's shortfall target, the score of a plan, its rank in
the lexicographic order (fairness, then satisfaction), and the ceiling no plan can beat.

Plain counting and one flow, no CP-SAT model: the heuristics, the bounds and the pipeline judge plans alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from scheduler.domain import Event, Person
from scheduler.model.facts import Placed, allowed_starts, room_classes, seat_limit


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


def rank(event: Event, placed: list[Placed]) -> tuple[int, int]:
    """Lexicographic objective as a key to minimise: largest shortfall, then minus the weighted wishes."""
    score = evaluate(event, placed)
    return score.max_shortfall, -score.weighted


def networking_terms(event: Event, placed: Iterable[Placed]) -> tuple[tuple[str, int], ...]:
    """The soft terms of the networking mix, counted from the runs: attendees above half of a run from one
    organisation (`organisation_over_half`), and the largest minus the smallest run (`fill_spread`)."""
    organisation = {p.id: p.organisation for p in event.participants}
    over, sizes = 0, []
    for run in placed:
        sizes.append(len(run.attendees))
        members = Counter(organisation[p] for p in run.attendees if organisation.get(p))
        over += sum(max(0, 2 * n - len(run.attendees)) for n in members.values())
    spread = max(sizes) - min(sizes) if sizes else 0
    return (("organisation_over_half", over), ("fill_spread", spread))


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
