"""Networking groups for a solved plan: who is present, how many groups, the search, and ids back out.

Runs after the session plan, so the pairs who already shared a run are known. Raises `NoGroups` with the
reasons in the organiser's words when a round cannot be formed (too few people for the group size).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from scheduler.domain import Event
from scheduler.networking.measure import organisation_key, round_bound, shared_run_pairs
from scheduler.networking.search import Instance, search
from scheduler.networking.sizes import group_count, group_sizes, present_in, size_reasons
from scheduler.plan import Group, NetworkingRound, Plan
from scheduler.text import Text

__all__ = ["GroupsResult", "NoGroups", "group", "make_groups", "size_reasons", "with_groups"]

MOVES_PER_SECOND = 25_000  # per second given; the example did 47,000 a second at load 10: the clock seldom cuts in


class NoGroups(Exception):
    """No groups can be formed for some round; `reasons` says which and why."""

    def __init__(self, reasons: list[Text]) -> None:
        super().__init__("; ".join(r.en for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class GroupsResult:
    rounds: tuple[NetworkingRound, ...]
    moves: int
    seconds: float
    stopped: bool


def make_groups(
    event: Event, plan: Plan, seconds: float, seed: int = 0, stop: threading.Event | None = None
) -> GroupsResult:
    """Groups for every networking slot of the event, searched for about `seconds` at most."""
    started = time.monotonic()
    reasons = size_reasons(event)
    if reasons:
        raise NoGroups(reasons)
    slots = event.networking_slots
    if not slots:
        return GroupsResult((), 0, 0.0, False)
    instance = _instance(event, plan)
    moves = int(MOVES_PER_SECOND * seconds)
    outcome = search(instance, moves, seed, deadline=started + seconds, stop=stop)
    order = {p.id: i for i, p in enumerate(event.people)}
    ids = [p.id for p in event.people]
    rounds = []
    for slot, groups in zip(slots, outcome.groups, strict=True):
        made = []
        for number, members in enumerate(groups, start=1):
            made.append(group(event, f"G{number:02d}", [ids[i] for i in members], order))
        rounds.append(NetworkingRound(slot.id, tuple(made)))
    return GroupsResult(tuple(rounds), outcome.moves, time.monotonic() - started, outcome.stopped)


def group(event: Event, group_id: str, members: list[str], order: dict[str, int]) -> Group:
    """A group with its members in event order (`order`: person id -> position) and its first moderator."""
    people = tuple(sorted(members, key=order.__getitem__))
    return Group(group_id, people, next((m for m in people if event.person(m).moderator), None))


def with_groups(event: Event, plan: Plan, seconds: float, seed: int = 0, stop: threading.Event | None = None) -> Plan:
    """The plan with its networking groups (unchanged for an event without networking slots)."""
    if not event.networking_slots:
        return plan
    result = make_groups(event, plan, seconds, seed, stop)
    solver = replace(plan.solver, seconds=plan.solver.seconds + result.seconds)
    return replace(plan, networking=result.rounds, solver=solver)


def _instance(event: Event, plan: Plan) -> Instance:
    index = {p.id: i for i, p in enumerate(event.people)}
    organisations: dict[str, int] = {}
    organisation = []
    for i, p in enumerate(event.people):
        key = organisation_key(p.organisation)
        organisation.append(organisations.setdefault(key, len(organisations)) if key else -1 - i)
    shared: list[set[int]] = [set() for _ in event.people]
    hosts = {s.id: s.hosts for s in event.sessions}
    for a, b in shared_run_pairs(plan.runs, hosts):
        if a in index and b in index:
            shared[index[a]].add(index[b])
            shared[index[b]].add(index[a])
    rounds, sizes, bound = [], [], 0
    for slot in event.networking_slots:
        people = present_in(event, slot)
        count = group_count(len(people), *slot.group_size)
        assert count is not None  # size_reasons ran first
        rounds.append([index[p.id] for p in people])
        sizes.append(group_sizes(len(people), count))
        bound += round_bound(event, (p.id for p in people), count)
    return Instance(
        people=len(event.people),
        organisation=organisation,
        moderator=[p.moderator for p in event.people],
        shared=shared,
        rounds=rounds,
        sizes=sizes,
        bounds=[0, bound, 0, 0],
    )
