"""Groups for every networking round at once: a greedy start, then a search of swaps one goal at a time.

The goals, in order: (1) no pair twice, (2) fewest same-organisation pairs, (3) fewest pairs who shared a session
run, (4) moderators spread. A move swaps two people of one round between groups, so group sizes never change
(they are balanced from the start). Goal 1 is searched by a tabu walk, the others by simulated annealing, and no
move may worsen a goal before the one searched; a goal that
reaches its bound ends early and leaves its moves to the next. Everything works on list indices (the caller
maps ids), and every random choice comes from one seeded generator; the work limit is a count of moves, so the
result depends on the seed only, unless the wall-clock cap or the stop event ends the search first.

Why a search of swaps: every goal is a count over pairs in groups, which a swap changes by a few units computed
from two groups alone, so hundreds of thousands of swaps fit in a second of Python. On the events measured
(docs/performance.md) the greedy start already meets the organisation bound; the swaps remove the rest.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

GOALS = ("repeats", "same_organisation", "shared_run", "moderators")
START_TEMPERATURE = (1.2, 1.0, 0.8, 0.6)  # per goal: deltas are small integers, so about one unit
END_TEMPERATURE = 0.05
CYCLE = 60_000  # moves per cooling cycle; the search reheats after each (a restart from where it stands)
TARGETED_TRIES = 4  # draws of a person who adds to the current goal before taking any person
CHECK_EVERY = 512  # moves between looks at the clock and the stop event
TABU_PEOPLE = 16  # people in a repeated pair whose swaps a tabu step looks at, at most
TABU_PARTNERS = 64  # partners looked at per tabu step, at most (a sample in large rounds)
TABU_TENURE = (4, 14)  # steps for which a swap may not be undone
TABU_STABLE = 3_000  # steps without a new best before a shake
TABU_SHAKE = 3  # random swaps of a shake, which starts from the best groups found


@dataclass
class Instance:
    """A networking day in indices: who is present per round, their organisations, moderators, shared runs."""

    people: int
    organisation: list[int]  # per person; people without an organisation each get an id of their own
    moderator: list[bool]
    shared: list[set[int]]  # per person: the people they shared a session run with
    rounds: list[list[int]]  # per round: the people present
    sizes: list[tuple[int, ...]]  # per round: group sizes, larger groups first
    bounds: list[int] = field(default_factory=list)  # per goal: the value at which it cannot improve further


@dataclass(frozen=True)
class Outcome:
    groups: list[list[list[int]]]  # per round, per group, the members
    values: tuple[int, int, int, int]  # per goal, as GOALS
    moves: int
    stopped: bool  # the stop event or the wall clock ended the search before its work limit


class GroupSearch:
    """The current groups with the counts every move needs, kept up to date swap by swap."""

    def __init__(self, instance: Instance, rng: random.Random) -> None:
        self.inst = instance
        self.rng = rng
        self.meet: list[dict[int, int]] = [{} for _ in range(instance.people)]
        self.repeated: set[tuple[int, int]] = set()  # pairs (a < b) in one group more than once
        self.groups: list[list[list[int]]] = []
        self.where: list[dict[int, int]] = []
        self.orgs: list[list[dict[int, int]]] = []
        self.mods: list[list[int]] = []
        self.values = [0, 0, 0, 0]
        for r in range(len(instance.rounds)):
            self._construct(r)
        self.values = list(self.recount())

    # -- the greedy start ------------------------------------------------------------------------------

    def _construct(self, r: int) -> None:
        """Largest organisations first, each person into the open group where they add least, goal by goal."""
        inst, rng = self.inst, self.rng
        sizes = inst.sizes[r]
        count: dict[int, int] = {}
        for p in inst.rounds[r]:
            count[inst.organisation[p]] = count.get(inst.organisation[p], 0) + 1
        keys = {p: rng.random() for p in inst.rounds[r]}
        order = sorted(inst.rounds[r], key=lambda p: (-count[inst.organisation[p]], inst.organisation[p], keys[p]))
        groups: list[list[int]] = [[] for _ in sizes]
        orgs: list[dict[int, int]] = [{} for _ in sizes]
        mods = [0] * len(sizes)
        tie = list(range(len(sizes)))
        rng.shuffle(tie)
        for p in order:
            op, mp, met, shared = inst.organisation[p], inst.moderator[p], self.meet[p], inst.shared[p]
            best, best_key = -1, None
            for g in tie:
                members = groups[g]
                if len(members) >= sizes[g]:
                    continue
                key = (
                    sum(1 for a in members if a in met),
                    orgs[g].get(op, 0),
                    sum(1 for a in members if a in shared),
                    mods[g] if mp else 0,
                    len(members) - sizes[g],
                )
                if best_key is None or key < best_key:
                    best, best_key = g, key
            groups[best].append(p)
            orgs[best][op] = orgs[best].get(op, 0) + 1
            mods[best] += mp
        self.groups.append(groups)
        self.where.append({p: g for g, members in enumerate(groups) for p in members})
        self.orgs.append(orgs)
        self.mods.append(mods)
        for members in groups:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self._together(a, b)

    def _together(self, a: int, b: int) -> None:
        n = self.meet[a].get(b, 0) + 1
        self.meet[a][b] = self.meet[b][a] = n
        if n == 2:
            self.repeated.add((a, b) if a < b else (b, a))

    def _apart(self, a: int, b: int) -> None:
        n = self.meet[a][b] - 1
        if n:
            self.meet[a][b] = self.meet[b][a] = n
        else:
            del self.meet[a][b], self.meet[b][a]
        if n == 1:
            self.repeated.discard((a, b) if a < b else (b, a))

    # -- counts ----------------------------------------------------------------------------------------

    def recount(self) -> tuple[int, int, int, int]:
        """Every goal's value from scratch (the search keeps them by deltas; tests compare the two)."""
        inst = self.inst
        repeats = sum(n - 1 for a in range(inst.people) for b, n in self.meet[a].items() if a < b and n > 1)
        same = shared = gaps = 0
        for r, groups in enumerate(self.groups):
            for members in groups:
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        same += inst.organisation[a] == inst.organisation[b]
                        shared += b in inst.shared[a]
            moderators = sum(inst.moderator[p] for p in inst.rounds[r])
            gaps += min(moderators, len(groups)) - sum(1 for n in self.mods[r] if n)
        return repeats, same, shared, gaps

    def delta(self, r: int, p: int, q: int) -> tuple[int, int, int, int]:
        """What swapping p and q (in different groups of round r) changes, per goal."""
        inst = self.inst
        a_group, b_group = self.where[r][p], self.where[r][q]
        meet_p, meet_q = self.meet[p], self.meet[q]
        shared_p, shared_q = inst.shared[p], inst.shared[q]
        rep = shared = 0
        for a in self.groups[r][a_group]:
            if a != p:
                rep += (meet_q.get(a, 0) >= 1) - (meet_p[a] >= 2)
                shared += (a in shared_q) - (a in shared_p)
        for b in self.groups[r][b_group]:
            if b != q:
                rep += (meet_p.get(b, 0) >= 1) - (meet_q[b] >= 2)
                shared += (b in shared_p) - (b in shared_q)
        same = 0
        op, oq = inst.organisation[p], inst.organisation[q]
        if op != oq:
            orgs_a, orgs_b = self.orgs[r][a_group], self.orgs[r][b_group]
            same = orgs_a.get(oq, 0) + orgs_b.get(op, 0) - (orgs_a[op] - 1) - (orgs_b[oq] - 1)
        gaps = 0
        mp, mq = inst.moderator[p], inst.moderator[q]
        if mp != mq:
            source, target = (a_group, b_group) if mp else (b_group, a_group)
            mods = self.mods[r]
            gaps = (mods[source] == 1) - (mods[target] == 0)
        return rep, same, shared, gaps

    def repeat_delta(self, r: int, p: int, q: int) -> int:
        """The repeats part of `delta` alone: the tabu walk on repeats looks at many swaps and needs only this."""
        meet_p, meet_q = self.meet[p], self.meet[q]
        rep = 0
        for a in self.groups[r][self.where[r][p]]:
            if a != p:
                rep += (a in meet_q) - (meet_p[a] >= 2)
        for b in self.groups[r][self.where[r][q]]:
            if b != q:
                rep += (b in meet_p) - (meet_q[b] >= 2)
        return rep

    def swap(self, r: int, p: int, q: int, change: tuple[int, int, int, int]) -> None:
        inst = self.inst
        a_group, b_group = self.where[r][p], self.where[r][q]
        members_a, members_b = self.groups[r][a_group], self.groups[r][b_group]
        for x, old, new in ((p, members_a, members_b), (q, members_b, members_a)):
            for a in old:
                if a != x:
                    self._apart(x, a)
            for b in new:
                if b != p and b != q:
                    self._together(x, b)
        members_a[members_a.index(p)] = q
        members_b[members_b.index(q)] = p
        self.where[r][p], self.where[r][q] = b_group, a_group
        op, oq = inst.organisation[p], inst.organisation[q]
        orgs_a, orgs_b = self.orgs[r][a_group], self.orgs[r][b_group]
        for orgs, out, into in ((orgs_a, op, oq), (orgs_b, oq, op)):
            orgs[out] -= 1
            orgs[into] = orgs.get(into, 0) + 1
        mods = self.mods[r]
        mods[a_group] += inst.moderator[q] - inst.moderator[p]
        mods[b_group] += inst.moderator[p] - inst.moderator[q]
        for k in range(4):
            self.values[k] += change[k]

    # -- the annealing ---------------------------------------------------------------------------------

    def adds_to(self, goal: int, r: int, p: int) -> bool:
        """Whether p, where it stands, adds to the goal's value: the people a useful swap starts from."""
        inst = self.inst
        g = self.where[r][p]
        members = self.groups[r][g]
        if goal == 0:
            meet_p = self.meet[p]
            return any(meet_p[a] >= 2 for a in members if a != p)
        if goal == 1:
            return self.orgs[r][g][inst.organisation[p]] >= 2
        if goal == 2:
            return any(a in inst.shared[p] for a in members)
        return inst.moderator[p] and self.mods[r][g] >= 2

    def anneal(self, goal: int, moves: int, keep_going: Callable[[], bool]) -> tuple[int, bool]:
        """Lower the goal's value without worsening the goals before it; the moves used, and whether cut short."""
        inst, rng = self.inst, self.rng
        rounds = [r for r in range(len(inst.rounds)) if len(inst.sizes[r]) > 1]
        if not rounds or self.values[goal] <= inst.bounds[goal]:
            return 0, False
        best_values = tuple(self.values[: goal + 1])
        best = self.snapshot()
        cooling = (END_TEMPERATURE / START_TEMPERATURE[goal]) ** (1 / CYCLE)
        temperature = START_TEMPERATURE[goal]
        used = 0
        while used < moves:
            used += 1
            if used % CHECK_EVERY == 0 and not keep_going():
                self.restore(best)
                return used, True
            temperature = temperature * cooling if used % CYCLE else START_TEMPERATURE[goal]
            r = rounds[rng.randrange(len(rounds))]
            present = inst.rounds[r]
            p = present[rng.randrange(len(present))]
            for _ in range(TARGETED_TRIES):
                if self.adds_to(goal, r, p):
                    break
                p = present[rng.randrange(len(present))]
            q = present[rng.randrange(len(present))]
            if self.where[r][q] == self.where[r][p]:
                continue
            change = self.delta(r, p, q)
            if any(change[k] > 0 for k in range(goal)):
                continue
            gain = change[goal]
            if any(change[k] < 0 for k in range(goal)) or gain <= 0 or rng.random() < math.exp(-gain / temperature):
                self.swap(r, p, q, change)
                now = tuple(self.values[: goal + 1])
                if now < best_values:
                    best_values, best = now, self.snapshot()
                    if self.values[goal] <= inst.bounds[goal]:
                        return used, False
        self.restore(best)
        return used, False

    def tabu(self, moves: int, keep_going: Callable[[], bool]) -> tuple[int, bool]:
        """No pair twice: each step takes the best swap of a person in a repeated pair with someone of another group.

        The step is taken even when it worsens (a tabu walk, as Dotú and Van Hentenryck schedule social
        golfers): undoing a swap is forbidden for a few steps, unless it gives the best groups yet; after a long
        time without a new best, a few random swaps shake the groups. Each swap looked at counts as a move.
        """
        inst, rng = self.inst, self.rng
        if self.values[0] == 0:
            return 0, False
        best_value, best = self.values[0], self.snapshot()
        forbidden: dict[tuple[int, int, int], int] = {}
        used = step = since_best = checked = 0
        while used < moves:
            step += 1
            if used >= checked + CHECK_EVERY:
                checked = used
                if not keep_going():
                    self.restore(best)
                    return used, True
            positions = self.conflicts()
            if len(positions) > TABU_PEOPLE:
                positions = rng.sample(positions, TABU_PEOPLE)
            else:
                rng.shuffle(positions)
            chosen: tuple[int, int, int] | None = None
            chosen_change: int | None = None
            ties = 0
            for r, p in positions:
                present, home = inst.rounds[r], self.where[r][p]
                partners = present if len(present) <= TABU_PARTNERS else rng.sample(present, TABU_PARTNERS)
                for q in partners:
                    if self.where[r][q] == home:
                        continue
                    used += 1
                    change = self.repeat_delta(r, p, q)
                    if (chosen_change is not None and change > chosen_change) or (
                        forbidden.get((r, min(p, q), max(p, q)), 0) > step and self.values[0] + change >= best_value
                    ):
                        continue
                    ties = ties + 1 if change == chosen_change else 1
                    if ties == 1 or rng.randrange(ties) == 0:  # the best swaps drawn evenly, not the first one
                        chosen, chosen_change = (r, p, q), change
            if chosen is None or chosen_change is None:
                used += 1
                continue
            r, p, q = chosen
            self.swap(r, p, q, self.delta(r, p, q))
            forbidden[(r, min(p, q), max(p, q))] = step + rng.randint(*TABU_TENURE)
            if self.values[0] < best_value:
                best_value, best, since_best = self.values[0], self.snapshot(), 0
                if best_value == 0:
                    return used, False
            else:
                since_best += 1
            if since_best >= TABU_STABLE:
                since_best = 0
                self.restore(best)
                self.shake()
        self.restore(best)
        return used, False

    def conflicts(self) -> list[tuple[int, int]]:
        """(round, person) of everyone who sits with someone they meet more than once."""
        found = []
        for a, b in sorted(self.repeated):
            for r, where in enumerate(self.where):
                g = where.get(a)
                if g is not None and where.get(b) == g:
                    found += [(r, a), (r, b)]
        return found

    def shake(self) -> None:
        inst, rng = self.inst, self.rng
        rounds = [r for r in range(len(inst.rounds)) if len(inst.sizes[r]) > 1]
        for _ in range(TABU_SHAKE):
            r = rounds[rng.randrange(len(rounds))]
            p, q = rng.sample(inst.rounds[r], 2)
            if self.where[r][p] != self.where[r][q]:
                self.swap(r, p, q, self.delta(r, p, q))

    def snapshot(self) -> list[list[list[int]]]:
        return [[list(members) for members in groups] for groups in self.groups]

    def restore(self, groups: list[list[list[int]]]) -> None:
        """Go back to saved groups, rebuilding every count from them."""
        inst = self.inst
        self.groups = [[list(members) for members in rnd] for rnd in groups]
        self.where = [{p: g for g, members in enumerate(rnd) for p in members} for rnd in self.groups]
        self.orgs, self.mods = [], []
        self.meet = [{} for _ in range(inst.people)]
        self.repeated = set()
        for rnd in self.groups:
            orgs: list[dict[int, int]] = []
            for members in rnd:
                counts: dict[int, int] = {}
                for p in members:
                    counts[inst.organisation[p]] = counts.get(inst.organisation[p], 0) + 1
                orgs.append(counts)
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        self._together(a, b)
            self.orgs.append(orgs)
            self.mods.append([sum(inst.moderator[p] for p in members) for members in rnd])
        self.values = list(self.recount())


SHARES = (0.45, 0.35, 0.12, 0.08)  # of the moves, per goal still open; what a goal leaves goes to the next
TABU_LOOKS_PER_MOVE = 16  # swaps the tabu walk looks at for the time of one annealing move (measured: 15-20)


def search(
    instance: Instance,
    moves: int,
    seed: int = 0,
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> Outcome:
    """The best groups found within `moves` swaps (deterministic), `deadline` (monotonic clock) or `stop`."""
    rng = random.Random(seed)
    state = GroupSearch(instance, rng)

    def keep_going() -> bool:
        return not (stop is not None and stop.is_set()) and (deadline is None or time.monotonic() < deadline)

    used, stopped = 0, False
    for goal in range(4):
        if stopped:
            break
        open_goals = [k for k in range(goal, 4) if state.values[k] > instance.bounds[k]]
        if goal not in open_goals:
            continue
        budget = int((moves - used) * SHARES[goal] / sum(SHARES[k] for k in open_goals))
        if goal == 0:
            spent, stopped = state.tabu(budget * TABU_LOOKS_PER_MOVE, keep_going)
            used += spent // TABU_LOOKS_PER_MOVE
        else:
            spent, stopped = state.anneal(goal, budget, keep_going)
            used += spent
    values = state.values
    return Outcome(state.snapshot(), (values[0], values[1], values[2], values[3]), used, stopped)
