"""The figures of networking groups, recomputed from ids alone: repeats, same-organisation pairs and their bound.

Shared by the group search (to report what it reached), the validator and every output, so all of them
count alike. People without an organisation form no same-organisation pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from scheduler.domain import Event
from scheduler.plan import Group, NetworkingRound, Run


def organisation_key(organisation: str) -> str:
    """Organisations compare without case and extra spaces; "" means none."""
    return " ".join(organisation.split()).casefold()


def pairs_of(members: Sequence[str]) -> Iterable[tuple[str, str]]:
    return (tuple(sorted(pair)) for pair in combinations(members, 2))  # type: ignore[misc]


def same_organisation_pairs(event: Event, group: Group) -> int:
    known = {p.id for p in event.people}
    counts = Counter(organisation_key(event.person(m).organisation) for m in group.members if m in known)
    return sum(n * (n - 1) // 2 for org, n in counts.items() if org)


def same_organisation_bound(organisation_sizes: Iterable[int], groups: int) -> int:
    """The fewest same-organisation pairs any split into `groups` groups can have.

    Each organisation spread as evenly as possible over the groups (q or q + 1 members in each) gives the
    fewest pairs of that organisation alone; the spreads of all organisations fit together into balanced
    group sizes (fill the extra members round-robin), so the sum is reached and the bound is exact for one round.
    """
    if groups <= 0:
        return 0
    total = 0
    for size in organisation_sizes:
        q, r = divmod(size, groups)
        total += (groups - r) * q * (q - 1) // 2 + r * (q + 1) * q // 2
    return total


def round_bound(event: Event, members: Iterable[str], groups: int) -> int:
    counts = Counter(organisation_key(event.person(m).organisation) for m in members)
    return same_organisation_bound((n for org, n in counts.items() if org), groups)


def shared_run_pairs(runs: Iterable[Run], hosts: dict[str, tuple[str, ...]]) -> set[tuple[str, str]]:
    """Pairs of people who were in one session run together that day (attending or hosting it)."""
    shared: set[tuple[str, str]] = set()
    for run in runs:
        shared.update(pairs_of(sorted({*run.attendees, *hosts.get(run.session, ())})))
    return shared


@dataclass(frozen=True)
class RoundFigures:
    """One round's groups in figures."""

    slot: str
    people: int
    sizes: tuple[int, ...]  # per group, in group order
    same_organisation: int
    bound: int  # the fewest same-organisation pairs possible in this round
    shared_run: int  # pairs in one group who already shared a session run
    moderators: int  # moderators in the round
    moderated_groups: int  # groups with at least one moderator

    @property
    def moderator_gaps(self) -> int:
        """Groups left without a moderator while another group has two: 0 when spread as far as they go."""
        return min(self.moderators, len(self.sizes)) - self.moderated_groups


@dataclass(frozen=True)
class NetworkingFigures:
    rounds: tuple[RoundFigures, ...]
    repeats: int  # over all pairs: how many times more than once they were in one group

    @property
    def same_organisation(self) -> int:
        return sum(r.same_organisation for r in self.rounds)

    @property
    def bound(self) -> int:
        return sum(r.bound for r in self.rounds)

    @property
    def shared_run(self) -> int:
        return sum(r.shared_run for r in self.rounds)

    @property
    def moderator_gaps(self) -> int:
        return sum(r.moderator_gaps for r in self.rounds)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Every group size that occurs, smallest first."""
        return tuple(sorted({s for r in self.rounds for s in r.sizes}))


def figures(event: Event, runs: Iterable[Run], rounds: Sequence[NetworkingRound]) -> NetworkingFigures:
    """Repeats, same-organisation pairs against the bound, shared-run pairs and moderators of `rounds`."""
    hosts = {s.id: s.hosts for s in event.sessions}
    shared = shared_run_pairs(runs, hosts)
    known = {p.id: p for p in event.people}
    together: Counter[tuple[str, str]] = Counter()
    result = []
    for rnd in rounds:
        members = [m for g in rnd.groups for m in g.members if m in known]
        same = shared_count = moderated = 0
        for group in rnd.groups:
            pairs = list(pairs_of([m for m in group.members if m in known]))
            together.update(pairs)
            same += same_organisation_pairs(event, group)
            shared_count += sum(pair in shared for pair in pairs)
            moderated += any(known[m].moderator for m in group.members if m in known)
        result.append(
            RoundFigures(
                slot=rnd.slot,
                people=len(members),
                sizes=tuple(len(g.members) for g in rnd.groups),
                same_organisation=same,
                bound=round_bound(event, members, len(rnd.groups)),
                shared_run=shared_count,
                moderators=sum(known[m].moderator for m in members),
                moderated_groups=moderated,
            )
        )
    repeats = sum(n - 1 for n in together.values() if n > 1)
    return NetworkingFigures(tuple(result), repeats)
