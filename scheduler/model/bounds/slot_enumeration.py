"""Every slot assignment worth seating, from the slot bound's column values: a bound and a search at once.

A timetable chooses one column (a set of sessions) per session slot, each session in exactly `runs` columns.
The sum of its columns' values (with the Lagrange prices of the slot bound, `SlotLP`) bounds every plan with
that slot assignment. Listing all assignments whose sum is above the best plan known, best first, and seating
them exactly by CP-SAT (rooms, seats, nobody's shortfall above `fair`) until the next sum is not above the best
plan, proves that plan optimal. A session of several slots gets only consecutive slots where its runs may
start (see `_Codes`). This replaces the branch and bound of `slot_search` where the list is short
enough: the LP per branch (3 ms each, hundreds to thousands of them) is gone, the bound per assignment is the
integer one (at most the LP's), and the first assignments seated are the most promising ones, so the best plan
comes early and few others need seats.

An assignment's sum uses the prices of the whole event; before it is seated it gets a bound of its own
(`SlotLP.assignment_bound`, a few price steps on its own columns), which on the bundled example is below the
optimum for every assignment but the optimal ones: one seating instead of twenty, and fewer rounds of prices
needed beforehand.

The listing is vectorised: a session's count is a bit field of a column's code (wide enough that summing the
codes of all slots never carries), the last slot's column is looked up by the code still needed, and the slot
before it is done for all its columns at once with numpy. Every count here (assignments listed, CP-SAT work
per seating) is deterministic, so the same event, prices and start give the same result.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.bounds.slot_bound import SCALE, Column, SlotLP
from scheduler.model.cpsat.seat_model import seat_model
from scheduler.model.facts import Placed, allowed_starts, room_classes
from scheduler.model.runner import deterministic_solver

WALKS = 20_000  # lookups of the last slot at most (bundled example: 2,002); beyond, the branch and bound is better
CODE_BITS = 62  # a column's code must fit a signed 64-bit integer
LEAF_WORK = 1.0  # CP-SAT work units at most for the seats of one slot assignment (bundled example: about 0.03)
SECONDS_PER_SEATING = 0.1  # one core, one slot assignment seated by CP-SAT on the bundled example (0.03 work units)
SEATING_CELLS = 5_670  # its people × sessions × slots: a seating's cost is mostly CP-SAT's work per variable
ASSIGNMENT_STEPS = 5  # price steps of one slot assignment's own bound
SECONDS_PER_FLOW_PERSON = 7.5e-6  # one core, one column's flow in such a bound, per person in the event (bundled
# example: 0.01 s for 5 steps of two flows; 36 people, 2 flows: 3.4 ms)


@dataclass(frozen=True)
class Enumerated:
    bound: int  # no plan with largest shortfall at most `fair` has more weighted wishes (when `proven`: exact)
    placed: list[Placed] | None  # the best plan seated, None when none beat the start
    proven: bool  # every assignment above the best plan was seated to its optimum within the work
    seated: int  # slot assignments seated by CP-SAT
    bounded: int  # slot assignments given a bound of their own (`SlotLP.assignment_bound`)
    listed: int  # slot assignments listed above the start plan
    work: float  # CP-SAT work units used
    seconds: float  # the estimated one-core seconds of seatings and bounds (a count, for the ledger)


@dataclass(frozen=True)
class Candidate:
    value: int  # Σ column values + Σ prices, thousandths: a bound on every plan with this slot assignment
    columns: tuple[int, ...]  # one column index of `SlotLP.columns` per session slot, in slot order


def candidates(lp: SlotLP, floor: int, limit: int) -> list[Candidate] | None:
    """Slot assignments whose bound is above `floor` (weighted wishes), best first (ties by columns).

    None when there would be more than `limit` of them, or the event's sessions do not fit the codes.
    """
    codes = _Codes(lp)
    if codes.bits > CODE_BITS:
        return None
    per_slot = []
    for slot in codes.slots:
        chosen = [i for i, (t, _) in enumerate(lp.columns) if t == slot]
        order = sorted(chosen, key=lambda i: (-lp.values[i], i))
        index = np.array(order, dtype=np.int64)
        code = np.array([codes.of(lp.columns[i]) for i in order], dtype=np.int64)
        values = np.array([lp.values[i] for i in order], dtype=np.int64)
        per_slot.append((index, code, values))
    prices = sum(lp.price.values())
    threshold = (floor + 1) * SCALE - prices  # a sum of column values must reach this to bound above `floor`
    found: list[Candidate] = []
    for value, columns in _assignments(per_slot, codes.targets(), threshold - 1):
        if columns is None:
            return None  # the walk itself is too long (4 slots of thousands of columns)
        found.append(Candidate(value + prices, columns))
        if len(found) > limit:
            return None
    found.sort(key=lambda c: (-c.value, c.columns))
    return found


class _Codes:
    """A column's code, and the codes a whole slot assignment must sum to.

    A session of one slot has a bit field that counts its columns (wide enough never to carry): the assignment
    must count its runs. A session of several slots has one bit per slot instead, so that the sum says which
    slots hold it: the assignment must give it one of the sets its runs can cover (consecutive slots, each run
    starting where it may).
    """

    def __init__(self, lp: SlotLP) -> None:
        event = lp.event
        self.slots = [t.id for t in event.session_slots]
        width = len(self.slots).bit_length()
        self.field: dict[str, int] = {}
        self.bits = 0
        for session in event.sessions:
            self.field[session.id] = self.bits
            self.bits += width if session.duration == 1 else len(self.slots)
        self.fixed = sum(s.runs << self.field[s.id] for s in event.sessions if s.duration == 1)
        classes = room_classes(event)
        self.masks = []  # per session of several slots: every code its runs can give
        for session in event.sessions:
            if session.duration == 1:
                continue
            starts = sorted({t for t, _ in allowed_starts(event, session, classes)}, key=self.slots.index)
            masks = set()
            for chosen in itertools.combinations(starts, session.runs):
                covered = [t for start in chosen for t in event.covered_slots(start, session.duration)]
                if len(set(covered)) == len(covered):
                    masks.add(sum(self._bit(session.id, t) for t in covered))
            self.masks.append(sorted(masks))
        self.long = {s.id for s in event.sessions if s.duration > 1}

    def _bit(self, session: str, slot: str) -> int:
        return 1 << (self.field[session] + self.slots.index(slot))

    def of(self, column: Column) -> int:
        slot, sessions = column
        return sum(self._bit(s, slot) if s in self.long else 1 << self.field[s] for s in sessions)

    def targets(self) -> list[int]:
        return sorted(self.fixed + sum(chosen) for chosen in itertools.product(*self.masks))


def _assignments(
    per_slot: list[tuple[np.ndarray, np.ndarray, np.ndarray]], targets: list[int], above: int
) -> Iterator[tuple[int, tuple[int, ...] | None]]:
    """(Σ values, columns) of every assignment whose codes sum to one of the `targets` and values to more than
    `above`; (0, None) once the walk has looked up the last slot more than WALKS times."""
    walks = 0
    best_rest = [0] * (len(per_slot) + 1)  # the largest value the slots from k on can add
    for k in range(len(per_slot) - 1, -1, -1):
        values = per_slot[k][2]
        best_rest[k] = best_rest[k + 1] + (int(values[0]) if len(values) else -(10**18))
    if len(per_slot) == 1:
        index, codes, values = per_slot[0]
        hit = np.isin(codes, targets) & (values > above)
        for i in np.flatnonzero(hit):
            yield int(values[i]), (int(index[i]),)
        return
    last_index, last_codes, last_values = per_slot[-1]
    order = np.argsort(last_codes, kind="stable")
    sorted_codes = last_codes[order]

    def tail(code: int, value: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, tuple[int, ...] | None]]:
        nonlocal walks
        walks += 1
        if walks > WALKS:
            yield 0, None
            return
        index, codes, values = per_slot[-2]
        keep = values + value + best_rest[len(per_slot) - 1] > above  # the last slot at its best
        if not keep.any():
            return
        for target in targets:
            need = target - code - codes[keep]
            at = np.searchsorted(sorted_codes, need)
            at[at >= len(sorted_codes)] = 0
            match = sorted_codes[at] == need
            if not match.any():
                continue
            last = order[at[match]]
            total = values[keep][match] + last_values[last] + value
            good = total > above
            for i, j, t in zip(index[keep][match][good], last_index[last][good], total[good], strict=True):
                yield int(t), (*prefix, int(i), int(j))

    def walk(k: int, code: int, value: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, tuple[int, ...] | None]]:
        if k == len(per_slot) - 2:
            yield from tail(code, value, prefix)
            return
        index, codes, values = per_slot[k]
        for i in range(len(index)):
            if value + int(values[i]) + best_rest[k + 1] <= above:
                return  # sorted by value: no later column of this slot can do better
            yield from walk(k + 1, code + int(codes[i]), value + int(values[i]), (*prefix, int(index[i])))

    yield from walk(0, 0, 0, ())


def search(lp: SlotLP, fair: int, start: int, seconds: float, limit: int) -> Enumerated | None:
    """The best plan with largest shortfall at most `fair` and more than `start` weighted wishes, if any.

    Works best bound first: an assignment's bound is first the sum of its column values, then its own tighter
    bound (`SlotLP.assignment_bound`, a few flows), then it is seated by CP-SAT; each time it goes back into the
    queue, until the best bound left is not above the best plan. As many seatings and bounds as `seconds` allow
    by their estimates (a count, not the clock). None when more than `limit` assignments are above `start` (the
    branch and bound is then the better tool). `proven` when the queue was worked off: the bound is then the
    best plan's value (or `start`).
    """
    listed = candidates(lp, start, limit)
    if listed is None:
        return None
    event = lp.event
    everywhere = {s.id: tuple(allowed_starts(event, s, room_classes(event))) for s in event.sessions}
    whole, v = seat_model(event, everywhere, fair)  # built once; each assignment fixes its slots in a copy
    best, placed, used, seated, bounded, bounding = start, None, 0.0, 0, 0, 0.0
    cells = len(event.participants) * len(event.sessions) * len(event.session_slots)
    per_seating = SECONDS_PER_SEATING * cells / SEATING_CELLS
    tight = not lp.moving  # without such sessions the sum of column values is the assignment's own bound already
    queue = [(-c.value, c.columns, tight) for c in listed]  # sorted: already a heap
    unsettled = start  # the largest bound of assignments not seated to their optimum
    while queue and -queue[0][0] // SCALE > best:
        value, columns, tightened = heapq.heappop(queue)
        bound = -value // SCALE  # values are exact integers in thousandths
        if seated * per_seating + bounding >= seconds:
            unsettled = max(unsettled, bound)  # the later ones are not above it: a heap
            break
        if not tightened:
            bounded += 1
            flows = ASSIGNMENT_STEPS * sum(1 for i in columns if lp.moving & set(lp.columns[i][1]))
            bounding += flows * len(event.participants) * SECONDS_PER_FLOW_PERSON
            heapq.heappush(queue, (-lp.assignment_bound(columns, ASSIGNMENT_STEPS), columns, True))
            continue
        model = whole.clone()
        slots = _slots(lp, columns)
        for (session, slot, _), var in v.placements():  # `slot` is where the run starts
            if not set(event.covered_slots(slot, event.session(session).duration)) <= slots[session]:
                model.add(model.get_bool_var_from_proto_index(var.index) == 0)
        solver = deterministic_solver(LEAF_WORK)
        status = solver.solve(model)
        used += solver.deterministic_time
        seated += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) > best:
            best, placed = round(solver.objective_value), v.extract(solver)
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            unsettled = max(unsettled, min(bound, math.floor(solver.best_objective_bound + 1e-6)))
    final = max(best, unsettled)
    spent = seated * per_seating + bounding
    return Enumerated(final, placed, final == best, seated, bounded, len(listed), used, spent)


def _slots(lp: SlotLP, columns: tuple[int, ...]) -> dict[str, set[str]]:
    """Session -> the slots the assignment's columns put it in."""
    slots: dict[str, set[str]] = {s.id: set() for s in lp.event.sessions}
    for column in columns:
        slot, sessions = lp.columns[column]
        for s in sessions:
            slots[s].add(slot)
    return slots
