"""One slot's pricing problem of the column bound: the session set with the most wishes net of its prices.

    max  Σ_{g,s} w_gs · x_gs  −  Σ_s π_s · y_s
         Σ_s x_gs ≤ m_g                    (a person sits in one session of the slot; a host in none but theirs)
         x_gs ≤ m_g · y_s                  (only in sessions that run)
         Σ_g x_gs ≤ Σ_c seats_sc · r_sc    (a run seats what its room holds)
         Σ_c r_sc = y_s,  Σ_s r_sc ≤ rooms_c   (each run in a room of a class it may use, no class over-full)
         y_a + y_b ≤ 1                     (no two sessions with a shared host or a `Nicht parallel zu` pair)

y binary, seats x and room shares r continuous: for a fixed set of sessions the seating is a transportation
problem over a fractional room assignment, so the continuous seats give its value exactly, and a plan, whose
rooms are whole, can only do worse. (With r binary too, a test's one large room can no longer be halved, but
on 500 people the bound stayed at its first round's 5,761 for 8 rounds, where with r continuous it fell to
5,640 in the second: docs/performance.md.)
People with the same net wishes (and the same hosted sessions) are one group g of size m_g. HiGHS
(`highspy`) solves it with one thread and a node limit, so it is deterministic; the number used is its proven
dual bound at that limit (`mip_dual_bound`), an upper estimate of the maximum whether or not it closed the
problem (pywraplp, which the bound used before, reports no status and no bound at the limit, so at 1,000
people there was no bound at all).
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

from scheduler.model.facts import RoomClass

INFINITY = highspy.kHighsInf


def _quiet_first_highs() -> None:
    """HiGHS writes its banner to standard output when the process makes its first model, before any option
    can turn it off; only the command line may write there, so that first model is made with it closed."""
    sys.stdout.flush()
    kept = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(kept, 1)
        os.close(kept)


_quiet_first_highs()


@dataclass(frozen=True)
class Priced:
    upper: float  # no set of sessions has more net value in this slot (math.inf: no estimate)
    chosen: tuple[str, ...]  # the best set found
    nodes: int  # branch-and-bound nodes used


@dataclass(frozen=True)
class Valued:
    value: float  # the set's best seating, in the weights given
    seats: np.ndarray  # people × sessions of the set: each person's seat (a share, 0 to 1)


@dataclass(frozen=True)
class SlotFacts:
    """What does not change between rounds: who is present, who hosts what, the rooms each session may use."""

    sessions: list[str]
    present: np.ndarray  # per person of the event
    busy: np.ndarray  # people × sessions: the person must be in that session when it runs (a host)
    seats: dict[str, dict[str, int]]  # session -> room class -> seats of one run there
    classes: tuple[RoomClass, ...]
    apart: list[tuple[int, int]]  # session index pairs that may not run together


class _Rows:
    """A sparse constraint matrix built row family by row family (numpy arrays), handed to HiGHS at once."""

    def __init__(self) -> None:
        self.row: list[np.ndarray] = []
        self.col: list[np.ndarray] = []
        self.val: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.count = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Entries (rows relative to this family), and the family's row bounds."""
        self.row.append(rows + self.count)
        self.col.append(cols)
        self.val.append(vals.astype(np.float64))
        self.lower.append(lower.astype(np.float64))
        self.upper.append(upper.astype(np.float64))
        self.count += len(lower)

    def into(self, h: highspy.Highs) -> None:
        row, col, val = np.concatenate(self.row), np.concatenate(self.col), np.concatenate(self.val)
        order = np.lexsort((col, row))
        row, col, val = row[order], col[order], val[order]
        starts = np.searchsorted(row, np.arange(self.count)).astype(np.int32)
        lower, upper = np.concatenate(self.lower), np.concatenate(self.upper)
        h.addRows(self.count, lower, upper, len(val), starts, col.astype(np.int32), val)


class SlotPricing:
    """Builds and solves the slot's problem for the weights and prices of one round."""

    def __init__(self, facts: SlotFacts, nodes: int) -> None:
        self.facts = facts
        self.nodes = nodes

    def price(self, weights: np.ndarray, dual: np.ndarray) -> Priced:
        """`weights`: people × sessions, the wish counted in this slot; `dual`: π per session."""
        h, _ = self._model(weights, dual, None)
        h.setOptionValue("mip_max_nodes", self.nodes)
        h.run()
        info = h.getInfo()
        upper = info.mip_dual_bound
        nodes = max(int(info.mip_node_count), 0)
        if not math.isfinite(upper):
            return Priced(math.inf, (), nodes)
        n = len(self.facts.sessions)
        chosen: tuple[str, ...] = ()
        if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible.value:
            y = np.asarray(h.getSolution().col_value[:n])
            chosen = tuple(s for s, v in zip(self.facts.sessions, y, strict=True) if v > 0.5)
        return Priced(float(upper), chosen, nodes)

    def value(self, weights: np.ndarray, chosen: tuple[str, ...]) -> Valued:
        """The set's best seating in `weights` (an LP over the chosen sessions only) and each person's seats."""
        f = self.facts
        index = [f.sessions.index(s) for s in chosen]
        seats = np.zeros((weights.shape[0], len(chosen)))
        if not chosen:
            return Valued(0.0, seats)
        within = {j: k for k, j in enumerate(index)}
        part = SlotFacts(
            sessions=list(chosen),
            present=f.present,
            busy=f.busy[:, index],
            seats={s: f.seats[s] for s in chosen},
            classes=f.classes,
            apart=[(within[a], within[b]) for a, b in f.apart if a in within and b in within],
        )
        h, pairs = SlotPricing(part, 0)._model(weights[:, index], np.zeros(len(chosen)), np.ones(len(chosen)))
        h.run()
        x = np.asarray(h.getSolution().col_value)[len(chosen) : len(chosen) + len(pairs.group)]
        share = x / pairs.size
        for k in range(len(chosen)):
            arcs = pairs.session == k
            per_group = np.zeros(pairs.groups)
            per_group[pairs.group[arcs]] = share[arcs]
            seats[pairs.rows, k] = per_group[pairs.inverse]
        return Valued(float(h.getInfo().objective_function_value), seats)

    def _model(self, weights: np.ndarray, dual: np.ndarray, fixed: np.ndarray | None) -> tuple[highspy.Highs, _Pairs]:
        """The problem as a HiGHS model; `fixed` given: the sessions' y fixed to it, an LP."""
        f = self.facts
        n = len(f.sessions)
        pairs = _Pairs(weights, f.present, f.busy)
        k = len(pairs.group)
        places = [
            (j, c)
            for j, s in enumerate(f.sessions)
            for c, room_class in enumerate(f.classes)
            if room_class.id in f.seats[s]
        ]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        r0 = n + k
        costs = np.concatenate([-dual, pairs.weight, np.zeros(len(places))])
        lower = np.zeros(n + k + len(places))
        upper = np.concatenate([np.ones(n) if fixed is None else fixed, pairs.size, np.ones(len(places))])
        if fixed is not None:
            lower[:n] = fixed
        h.addVars(len(costs), lower, upper)
        h.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rows = _Rows()
        arcs = np.arange(k)
        busy_g, busy_j = np.nonzero(pairs.busy)
        rows.add(  # a group's seats in the slot; a host group none when its session runs
            np.concatenate([pairs.group, busy_g]),
            np.concatenate([n + arcs, busy_j]),
            np.concatenate([np.ones(k), pairs.counts[busy_g]]),
            np.full(pairs.groups, -INFINITY),
            pairs.counts.astype(np.float64),
        )
        rows.add(  # seats only in sessions that run
            np.concatenate([arcs, arcs]),
            np.concatenate([n + arcs, pairs.session]),
            np.concatenate([np.ones(k), -pairs.size]),
            np.full(k, -INFINITY),
            np.zeros(k),
        )
        place_j = np.array([j for j, _ in places], dtype=np.int64)
        place_c = np.array([c for _, c in places], dtype=np.int64)
        place_seats = np.array([f.seats[f.sessions[j]][f.classes[c].id] for j, c in places], dtype=np.float64)
        rows.add(  # a run seats at most its room's seats
            np.concatenate([pairs.session, place_j]),
            np.concatenate([n + arcs, r0 + np.arange(len(places))]),
            np.concatenate([np.ones(k), -place_seats]),
            np.full(n, -INFINITY),
            np.zeros(n),
        )
        rows.add(  # a running session has one room
            np.concatenate([place_j, np.arange(n)]),
            np.concatenate([r0 + np.arange(len(places)), np.arange(n)]),
            np.concatenate([np.ones(len(places)), -np.ones(n)]),
            np.zeros(n),
            np.zeros(n),
        )
        rows.add(  # no class holds more runs than it has rooms
            place_c,
            r0 + np.arange(len(places)),
            np.ones(len(places)),
            np.full(len(f.classes), -INFINITY),
            np.array([c.size for c in f.classes], dtype=np.float64),
        )
        if f.apart:
            a = np.array(f.apart, dtype=np.int64)
            rows.add(
                np.repeat(np.arange(len(a)), 2),
                a.reshape(-1),
                np.ones(2 * len(a)),
                np.full(len(a), -INFINITY),
                np.ones(len(a)),
            )
        rows.into(h)
        if fixed is None:
            h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
        return h, pairs


class _Pairs:
    """The people of the slot in groups of equal net wishes and hosted sessions, and each (group, session) pair
    with a positive wish: the seat variables."""

    def __init__(self, weights: np.ndarray, present: np.ndarray, busy: np.ndarray) -> None:
        positive = np.where(weights > 0, weights, 0.0)
        self.rows = np.flatnonzero(present & (positive.any(axis=1) | busy.any(axis=1)))
        keys, inverse, counts = np.unique(
            np.hstack([positive[self.rows], busy[self.rows]]), axis=0, return_inverse=True, return_counts=True
        )
        n = weights.shape[1]
        self.inverse = inverse.reshape(-1)
        self.counts = counts
        self.groups = len(counts)
        self.busy = keys[:, n:] > 0
        self.group, self.session = np.nonzero(keys[:, :n])
        self.weight = keys[self.group, self.session]
        self.size = counts[self.group].astype(np.float64)
