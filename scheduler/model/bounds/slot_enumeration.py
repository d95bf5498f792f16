"""Every slot assignment worth seating, from the slot bound's column values: a bound and a search at once.

A timetable chooses one column (a set of sessions) per session slot, each session in exactly `runs` columns.
The sum of its columns' values (with the Lagrange prices of the slot bound, `SlotLP`) bounds every plan with
that slot assignment. Listing all assignments whose sum is above the best plan known, best first, and seating
them exactly by CP-SAT (rooms, seats, nobody's shortfall above `fair`) until the next sum is not above the best
plan, proves that plan optimal. This replaces the branch and bound of `slot_search` where the list is short
enough: the LP per branch (3 ms each, hundreds to thousands of them) is gone, the bound per assignment is the
integer one (at most the LP's), and the first assignments seated are the most promising ones, so the best plan
comes early and few others need seats.

The listing is vectorised: a session's count is a bit field of a column's code (wide enough that summing the
codes of all slots never carries), the last slot's column is looked up by the code still needed, and the slot
before it is done for all its columns at once with numpy. Every count here (assignments listed, CP-SAT work
per seating) is deterministic, so the same event, prices and start give the same result.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.bounds.slot_bound import SCALE, SlotLP
from scheduler.model.cpsat.seat_model import seat_model
from scheduler.model.facts import Placed, allowed_starts, room_classes
from scheduler.model.runner import deterministic_solver

CODE_BITS = 62  # a column's code must fit a signed 64-bit integer
LEAF_WORK = 1.0  # CP-SAT work units at most for the seats of one slot assignment (bundled example: about 0.03)
SECONDS_PER_SEATING = 0.1  # one core, one slot assignment seated by CP-SAT on the bundled example (0.03 work units)


@dataclass(frozen=True)
class Enumerated:
    bound: int  # no plan with largest shortfall at most `fair` has more weighted wishes (when `proven`: exact)
    placed: list[Placed] | None  # the best plan seated, None when none beat the start
    proven: bool  # every assignment above the best plan was seated to its optimum within the work
    seated: int  # slot assignments seated by CP-SAT
    listed: int  # slot assignments listed above the start plan
    work: float  # CP-SAT work units used

    @property
    def seconds(self) -> float:
        """The estimated one-core seconds of the seatings (a count, for the ledger)."""
        return self.seated * SECONDS_PER_SEATING


@dataclass(frozen=True)
class Candidate:
    value: int  # Σ column values + Σ prices, thousandths: a bound on every plan with this slot assignment
    columns: tuple[int, ...]  # one column index of `SlotLP.columns` per session slot, in slot order


def candidates(lp: SlotLP, floor: int, limit: int) -> list[Candidate] | None:
    """Slot assignments whose bound is above `floor` (weighted wishes), best first (ties by columns).

    None when there would be more than `limit` of them, or the event's sessions do not fit the codes.
    """
    slots = [t.id for t in lp.event.session_slots]
    width = len(slots).bit_length()
    if width * len(lp.event.sessions) > CODE_BITS:
        return None
    field = {s.id: width * i for i, s in enumerate(lp.event.sessions)}
    target = sum(s.runs << field[s.id] for s in lp.event.sessions)
    per_slot = []
    for slot in slots:
        chosen = [i for i, (t, _) in enumerate(lp.columns) if t == slot]
        order = sorted(chosen, key=lambda i: (-lp.values[i], i))
        index = np.array(order, dtype=np.int64)
        codes = np.array([sum(1 << field[s] for s in lp.columns[i][1]) for i in order], dtype=np.int64)
        values = np.array([lp.values[i] for i in order], dtype=np.int64)
        per_slot.append((index, codes, values))
    prices = sum(lp.price.values())
    threshold = (floor + 1) * SCALE - prices  # a sum of column values must reach this to bound above `floor`
    found: list[Candidate] = []
    for value, columns in _assignments(per_slot, target, threshold - 1):
        found.append(Candidate(value + prices, columns))
        if len(found) > limit:
            return None
    found.sort(key=lambda c: (-c.value, c.columns))
    return found


def _assignments(
    per_slot: list[tuple[np.ndarray, np.ndarray, np.ndarray]], target: int, above: int
) -> Iterator[tuple[int, tuple[int, ...]]]:
    """(Σ values, columns) of every assignment whose codes sum to `target` and values to more than `above`."""
    best_rest = [0] * (len(per_slot) + 1)  # the largest value the slots from k on can add
    for k in range(len(per_slot) - 1, -1, -1):
        values = per_slot[k][2]
        best_rest[k] = best_rest[k + 1] + (int(values[0]) if len(values) else -(10**18))
    if len(per_slot) == 1:
        index, codes, values = per_slot[0]
        hit = (codes == target) & (values > above)
        for i in np.flatnonzero(hit):
            yield int(values[i]), (int(index[i]),)
        return
    last_index, last_codes, last_values = per_slot[-1]
    order = np.argsort(last_codes, kind="stable")
    sorted_codes = last_codes[order]

    def tail(code: int, value: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, tuple[int, ...]]]:
        index, codes, values = per_slot[-2]
        keep = values + value + best_rest[len(per_slot) - 1] > above  # the last slot at its best
        if not keep.any():
            return
        need = target - code - codes[keep]
        at = np.searchsorted(sorted_codes, need)
        at[at >= len(sorted_codes)] = 0
        match = sorted_codes[at] == need
        if not match.any():
            return
        last = order[at[match]]
        total = values[keep][match] + last_values[last] + value
        good = total > above
        for i, j, t in zip(index[keep][match][good], last_index[last][good], total[good], strict=True):
            yield int(t), (*prefix, int(i), int(j))

    def walk(k: int, code: int, value: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, tuple[int, ...]]]:
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

    Seats the listed assignments best bound first while their bound is above the best plan so far, as many as
    `seconds` allow by SECONDS_PER_SEATING (a count, not the clock). None when more than `limit` assignments
    are above `start` (the branch and bound is then the better tool). `proven` when the list was worked off:
    the bound is then the best plan's value (or `start`).
    """
    listed = candidates(lp, start, limit)
    if listed is None:
        return None
    event = lp.event
    everywhere = {s.id: tuple(allowed_starts(event, s, room_classes(event))) for s in event.sessions}
    whole, v = seat_model(event, everywhere, fair)  # built once; each assignment fixes its slots in a copy
    best, placed, used, seated = start, None, 0.0, 0
    unsettled = start  # the largest bound of assignments not seated to their optimum
    for candidate in listed:
        bound = candidate.value // SCALE  # values are exact integers in thousandths
        if bound <= best:
            break
        if seated >= seconds / SECONDS_PER_SEATING:
            unsettled = max(unsettled, bound)  # the later ones are not above it: sorted
            break
        model = whole.clone()
        slots = _slots(lp, candidate)
        for (session, slot, _), var in v.placements():
            if slot not in slots[session]:
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
    return Enumerated(final, placed, final == best, seated, len(listed), used)


def _slots(lp: SlotLP, candidate: Candidate) -> dict[str, set[str]]:
    """Session -> the slots the candidate's columns put it in."""
    slots: dict[str, set[str]] = {s.id: set() for s in lp.event.sessions}
    for column in candidate.columns:
        slot, sessions = lp.columns[column]
        for s in sessions:
            slots[s].add(slot)
    return slots
