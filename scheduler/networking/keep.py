"""Networking groups kept through a re-plan: everyone stays in their group where the rules allow.

Made afresh, the groups of a re-planned event would change for nearly everybody, and everybody would have to be
told (a person's agenda names their group and its members). So a re-plan starts from the groups sent out: people
who left a round (cancelled, newly unavailable there) are taken out, people new to it (late registrations,
newly available) join the smallest group where they add the fewest repeated, same-organisation and shared-run
pairs (and where no moderator is yet, if they moderate), and only where cancellations left the sizes more than
one apart does one person at a time move from a largest group to a smallest one, the one whose move costs least.
Groups keep their ids and their order, so their breakout rooms keep their numbers.

Where a round cannot be kept (a networking slot the sent plan has no groups for, or a number of groups that
no longer fits the people present), `kept_groups` gives None and the caller makes all groups anew.
"""

from __future__ import annotations

from scheduler.domain import Event
from scheduler.networking.groups import group
from scheduler.networking.measure import organisation_key, shared_run_pairs
from scheduler.networking.sizes import present_in, size_reasons
from scheduler.plan import NetworkingRound, Plan

Cost = tuple[int, int, int, int]  # repeated pairs, same-organisation pairs, shared-run pairs, unmoderated groups


def kept_groups(event: Event, plan: Plan, sent: tuple[NetworkingRound, ...]) -> tuple[NetworkingRound, ...] | None:
    """The groups of `sent` for `event`, changed only where people came or went; None if a round cannot stay."""
    previous = {r.slot: r for r in sent}
    slots = event.networking_slots
    if size_reasons(event) or any(s.id not in previous for s in slots):
        return None
    rounds: list[list[list[str]]] = []
    for slot in slots:
        present = {p.id for p in present_in(event, slot)}
        groups = [[m for m in g.members if m in present] for g in previous[slot.id].groups]
        fewest, most = slot.group_size
        if not fewest * len(groups) <= len(present) <= most * len(groups):
            return None
        rounds.append(groups)
    pairs = _Pairs(event, plan, rounds)
    for r, slot in enumerate(slots):
        for person in (p.id for p in present_in(event, slot) if p.id not in pairs.where[r]):
            pairs.join(r, person, min(range(len(rounds[r])), key=lambda g: pairs.join_order(r, person, g)))
        while (spread := _spread(rounds[r])) is not None:
            *_, person = min(pairs.moves(r, *spread))
            pairs.move(r, person, *spread)
    return tuple(
        NetworkingRound(
            slot.id,
            tuple(
                group(event, old.id, members, pairs.order)
                for old, members in zip(previous[slot.id].groups, groups, strict=True)
            ),
        )
        for slot, groups in zip(slots, rounds, strict=True)
    )


def _spread(groups: list[list[str]]) -> tuple[int, int] | None:
    """A largest and a smallest group (the first of each) when their sizes differ by more than one."""
    sizes = [len(g) for g in groups]
    big, small = sizes.index(max(sizes)), sizes.index(min(sizes))
    return (big, small) if sizes[big] - sizes[small] > 1 else None


class _Pairs:
    """The groups of every round with who is where, and what a person adds to a group."""

    def __init__(self, event: Event, plan: Plan, rounds: list[list[list[str]]]) -> None:
        self.rounds = rounds
        self.where = [{m: g for g, members in enumerate(groups) for m in members} for groups in rounds]
        self.organisation = {p.id: organisation_key(p.organisation) for p in event.people}
        self.moderator = {p.id for p in event.people if p.moderator}
        self.shared = shared_run_pairs(plan.runs, {s.id: s.hosts for s in event.sessions})
        self.order = {p.id: i for i, p in enumerate(event.people)}

    def added(self, r: int, person: str, members: list[str]) -> tuple[int, int, int]:
        """The repeated, same-organisation and shared-run pairs `person` forms with `members` in round `r`."""
        repeats = sum(
            any(where.get(person) is not None and where.get(person) == where.get(m) for where in self._others(r))
            for m in members
        )
        organisation = self.organisation[person]
        same = sum(bool(organisation) and self.organisation[m] == organisation for m in members)
        shared = sum(tuple(sorted((person, m))) in self.shared for m in members)
        return repeats, same, shared

    def _others(self, r: int) -> list[dict[str, int]]:
        return [where for k, where in enumerate(self.where) if k != r]

    def _unmoderated(self, members: list[str]) -> int:
        return int(not any(m in self.moderator for m in members))

    def join_order(self, r: int, person: str, g: int) -> tuple[int, Cost, int]:
        """Smallest group first, then the fewest pairs added, then the first group."""
        members = self.rounds[r][g]
        unmoderated = self._unmoderated([*members, person]) - self._unmoderated(members)
        return len(members), (*self.added(r, person, members), unmoderated), g

    def join(self, r: int, person: str, g: int) -> None:
        self.rounds[r][g].append(person)
        self.where[r][person] = g

    def moves(self, r: int, big: int, small: int) -> list[tuple[Cost, int, str]]:
        """Each member of group `big` moved to group `small`, with its cost (what it adds less what it removes)."""
        source, target = self.rounds[r][big], self.rounds[r][small]
        found = []
        for person in source:
            rest = [m for m in source if m != person]
            gained = self.added(r, person, target)
            lost = self.added(r, person, rest)
            unmoderated = (
                self._unmoderated(rest)
                + self._unmoderated([*target, person])
                - self._unmoderated(source)
                - self._unmoderated(target)
            )
            cost = (gained[0] - lost[0], gained[1] - lost[1], gained[2] - lost[2], unmoderated)
            found.append((cost, self.order[person], person))
        return found

    def move(self, r: int, person: str, big: int, small: int) -> None:
        self.rounds[r][big].remove(person)
        self.join(r, person, small)
