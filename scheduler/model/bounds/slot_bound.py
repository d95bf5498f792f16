"""An upper bound on the weighted wishes from the slot structure: which sessions share a slot.

The joint model's LP relaxation spreads every session over all slots, so it never sees two wishes of one person
collide; its bound stays far above the best plans. Here a timetable is a choice of one column per session slot,
a column being a set of sessions that may run there together (rooms with the right features for all, no host
twice). Its value is the best seating of the people present into those sessions: a max-weight flow in which a
session seats at most its largest room and the rooms of a class hold their total capacity (a session may take
a fraction of several rooms: a relaxation, so still a bound). The LP over all columns ("each session exactly
its runs, each slot one column") bounds every plan. Its dual gives the bound as a number that does not rely on
the LP solver's tolerances: any dual vector, made feasible column by column, is a valid bound.

A person may attend only one run of a session, which a slot-by-slot column cannot see. That coupling is
relaxed with Lagrange multipliers (a price per person and multi-run session, improved by subgradient steps);
every step gives a valid bound and the smallest one is kept.

A session of two slots is in the columns of both slots it covers, each with half its wish weight (rounded up,
so the sum stays a bound); the LP counts it in `runs · duration` columns. That its slots are consecutive is left
to the listing (`slot_enumeration`), which gives such a session only the slots of whole runs, and that the
same people sit in both halves to each slot assignment's own bound (`SlotLP.assignment_bound`).

Only the columns some timetable can fill are kept: every run fills its slots, so a slot's column holds at least
what the other slots cannot (the bundled example, 15 runs in 3 slots of 5 rooms: full columns only, 4,081 of
7,439). Only for events whose columns are few enough to list (the model case); otherwise `slot_bound` returns
None.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
from ortools.linear_solver import pywraplp

from scheduler.domain import Event, Session
from scheduler.model.facts import RoomClass, allowed_starts, may_run_together, room_classes, seat_limit

COLUMN_LIMIT = 20_000  # columns over all slots above which no bound is computed
ROUNDS = 4  # subgradient steps at most, when some session has several runs (one LP solve when none has); few,
# since each listed slot assignment gets its own prices before it is seated (measured in docs/performance.md)
SECONDS_PER_COLUMN_PERSON = 3e-6  # one column's flow per person in the event, measured on the bundled example
FIRST_STEP = 1.5  # wish-weight units; each later step is STEP_DECAY times the one before
STEP_DECAY = 0.8
ASSIGNMENT_STEP = 1.0  # first step of the prices of one slot assignment, from the event's (see assignment_bound)
SCALE = 1000  # prices are kept in thousandths of a wish weight, so every flow cost is an exact integer

Column = tuple[str, tuple[str, ...]]  # (slot, sessions)
Seated = tuple[np.ndarray, str, np.ndarray]  # people (rows of SlotLP.people), a session in SlotLP.moving, share of each


def slot_bound(event: Event, seconds: float, cancelled: Callable[[], bool] = lambda: False) -> int | None:
    """The bound, or None when the event does not fit the method or it was cancelled (checked every round).

    `seconds` sets how many rounds are made, by an estimate of their cost (never by the clock, so the same
    event and time give the same bound); when even the first round would take longer, there is no bound.
    """
    plan = planned(event, seconds)
    if plan is None:
        return None
    lp, rounds, _ = plan
    return lp.run(rounds, cancelled)


def estimated_seconds(event: Event, seconds: float) -> float | None:
    """About how long `slot_bound(event, seconds)` takes on one core; None when it gives no bound at all."""
    plan = planned(event, seconds)
    return None if plan is None else plan[2]


def planned(event: Event, seconds: float) -> tuple[SlotLP, int, float] | None:
    """The bound's state, its number of rounds and their estimated seconds; None when no bound fits."""
    columns = _columns(event)
    if columns is None:
        return None
    bound = SlotLP(event, columns)
    first = len(columns) * len(event.participants) * SECONDS_PER_COLUMN_PERSON
    changing = sum(1 for _, sessions in columns if bound.multi & set(sessions))  # recomputed every round
    later = changing * len(event.participants) * SECONDS_PER_COLUMN_PERSON
    if first > seconds:
        return None
    rounds = min(ROUNDS, 1 + int((seconds - first) / later)) if later else 1
    return bound, rounds, first + (rounds - 1) * later


def _columns(event: Event) -> list[Column] | None:
    """Every set of sessions that may share each session slot, or None when there are more than the limit."""
    classes = room_classes(event)
    allowed = {s.id: allowed_starts(event, s, classes) for s in event.sessions}
    columns: list[Column] = []
    for slot in event.session_slots:
        places = {s.id: _classes_covering(event, s, allowed[s.id], slot.id) for s in event.sessions}
        candidates = sorted(s for s, c in places.items() if c)
        sizes = range(min(len(event.rooms), len(candidates)) + 1)
        if len(columns) + sum(math.comb(len(candidates), k) for k in sizes) > COLUMN_LIMIT:
            return None
        for k in sizes:
            for sessions in itertools.combinations(candidates, k):
                if may_run_together(event, sessions) and _rooms_fit(sessions, places, classes):
                    columns.append((slot.id, sessions))
    return _filled(event, columns)


def _filled(event: Event, columns: list[Column]) -> list[Column]:
    """The columns some timetable can use: every run fills its slots, so a slot's column must hold at least
    what the other slots cannot (on the bundled example, 15 runs in 3 slots of 5 rooms: only full columns)."""
    largest = dict.fromkeys((t.id for t in event.session_slots), 0)
    for slot, sessions in columns:
        largest[slot] = max(largest[slot], len(sessions))
    occupied = sum(s.runs * s.duration for s in event.sessions)
    room = sum(largest.values())
    return [(slot, sessions) for slot, sessions in columns if len(sessions) >= occupied - room + largest[slot]]


def _classes_covering(event: Event, session: Session, starts: list[tuple[str, str]], slot: str) -> list[str]:
    """The room classes the session may use in `slot`: those of its allowed runs that cover it."""
    return sorted({c for t, c in starts if slot in event.covered_slots(t, session.duration)})


def _rooms_fit(sessions: tuple[str, ...], places: dict[str, list[str]], classes: tuple[RoomClass, ...]) -> bool:
    """Each session gets a room of a class it may use in the slot, no room twice (a bipartite matching)."""
    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    node = {c.id: 2 + len(sessions) + i for i, c in enumerate(classes)}
    for i, s in enumerate(sessions):
        flow.add_arc_with_capacity(source, 2 + i, 1)
        for class_id in places[s]:
            flow.add_arc_with_capacity(2 + i, node[class_id], 1)
    for room_class in classes:
        flow.add_arc_with_capacity(node[room_class.id], sink, room_class.size)
    return flow.solve(source, sink) == flow.OPTIMAL and flow.optimal_flow() == len(sessions)


class SlotLP:
    def __init__(self, event: Event, columns: list[Column]) -> None:
        self.event = event
        self.columns = columns
        self.classes = room_classes(event)
        self.multi = {s.id for s in event.sessions if s.runs > 1}
        self.long = {s.id for s in event.sessions if s.duration > 1}
        self.moving = self.multi | self.long  # the sessions whose columns an assignment's own prices re-value
        self.weights = {
            p.id: {w.session: event.weight(w.rank) for w in p.wishes if p.id not in event.session(w.session).hosts}
            for p in sorted(event.participants, key=lambda p: p.id)
        }
        self.price = {  # (person, multi-run session) -> thousandths; half the wish is where they tend to settle
            (person, s): weights[s] * SCALE // 2
            for person, weights in self.weights.items()
            for s in self.multi & weights.keys()
        }
        self.people = list(self.weights)
        self.session_index = {s.id: j for j, s in enumerate(event.sessions)}
        # A run of d slots is in d columns: each counts 1/d of its wish weight (rounded up, so still a bound).
        self.duration = np.array([s.duration for s in event.sessions], dtype=np.int64)
        self.wish = np.zeros((len(self.people), len(event.sessions)), dtype=np.int64)  # wish weights, thousandths
        for r, person in enumerate(self.people):
            for s, w in self.weights[person].items():
                self.wish[r, self.session_index[s]] = w * SCALE
        self.matrix = -(-self.wish // self.duration)  # a column's share of each wish, thousandths
        self.price_matrix = np.zeros_like(self.matrix)
        row = {person: r for r, person in enumerate(self.people)}
        self.present = {
            t.id: np.array([t.id not in event.person(p).unavailable for p in self.people]) for t in event.session_slots
        }
        self.host_rows = {s.id: [row[h] for h in s.hosts if h in row] for s in event.sessions}
        self.values = [0] * len(columns)  # thousandths
        self.seated: list[list[Seated]] = [[] for _ in columns]
        by_id = {c.id: c for c in self.classes}
        self.places: dict[tuple[str, str], list[RoomClass]] = {}  # (session, slot) -> classes it may use there
        for session in event.sessions:
            starts = allowed_starts(event, session, self.classes)
            for slot in event.session_slots:
                covering = _classes_covering(event, session, starts, slot.id)
                if covering:
                    self.places[session.id, slot.id] = [by_id[c] for c in covering]
        self.limits = {  # (session, slot) -> seats of a run in each class it may use there
            key: {c.id: seat_limit(event, event.session(key[0]), c) for c in classes}
            for key, classes in self.places.items()
        }

    def run(self, rounds: int, cancelled: Callable[[], bool]) -> int | None:
        """The smallest bound of the rounds; afterwards the prices and column values are those of that round."""
        best: float | None = None
        kept = (dict(self.price), list(self.values), list(self.seated))
        step = FIRST_STEP
        for round_ in range(rounds):
            if cancelled():
                return None
            self._load_prices()
            for i, column in enumerate(self.columns):
                if round_ == 0 or self.multi & set(column[1]):
                    self.values[i], self.seated[i] = self._value(column)
            solved = self._solve_lp()
            if solved is None:
                return None
            used, bound = solved
            if best is None or bound < best:
                best, kept = bound, (dict(self.price), list(self.values), list(self.seated))
            self._step(used, step)
            step *= STEP_DECAY
        self.price, self.values, self.seated = kept
        return None if best is None else math.floor(best + 1e-6)

    def assignment_bound(self, columns: tuple[int, ...], steps: int) -> int:
        """A bound on every plan with this one column per slot, at most the sum of their values (thousandths).

        The sum uses the prices of the whole event; for one slot assignment, prices of its own (subgradient
        steps from those, only its columns with a multi-run session or a session of several slots re-valued)
        bound it more tightly. On the bundled example every assignment the event's prices put above the optimum
        falls below it, for about 2 % of a CP-SAT seating's cost. The steps are counted, so the result is
        deterministic.

        Here the slots of each run are known, so the halves of a session of two slots are tied as well: a person
        seated in its first slot is seated in its second. The columns cannot see that (each half may seat other
        people, each for half the wish), so a price per person and pair of consecutive slots of a run moves
        weight from one half to the other (+ in the earlier slot, − in the later: in a plan the two cancel, so
        any such price gives a bound), stepped against the difference of the two halves' seats.
        """
        fixed = sum(self.values[i] for i in columns if not self.moving & set(self.columns[i][1]))
        moving = [self.columns[i] for i in columns if self.moving & set(self.columns[i][1])]
        best = sum(self.values[i] for i in columns) + sum(self.price.values())
        if not moving:
            return best
        kept = self.price_matrix
        prices = self._price_array()
        wished = np.zeros(self.wish.shape, dtype=bool)
        for s in self.multi:
            wished[:, self.session_index[s]] = self.wish[:, self.session_index[s]] > 0
        pairs = self._halves(moving)
        ties = np.zeros((len(pairs), len(self.people)), dtype=np.int64)  # thousandths, + earlier half, − later
        tie_of = {}  # (column of `moving`, session) -> (pair, +1 earlier half or −1 later)
        for k, (session, earlier, later) in enumerate(pairs):
            tie_of[earlier, session], tie_of[later, session] = (k, 1), (k, -1)
        step = ASSIGNMENT_STEP
        for _ in range(steps):
            share = prices // self.duration
            total, used = fixed, np.zeros(self.wish.shape)
            halves = np.zeros(ties.shape)
            for c, column in enumerate(moving):
                self.price_matrix = share.copy()
                for s in column[1]:
                    if (c, s) in tie_of:
                        k, sign = tie_of[c, s]
                        self.price_matrix[:, self.session_index[s]] -= sign * ties[k]
                value, seated = self._value(column)
                total += value
                for rows, session, seated_share in seated:
                    if session in self.multi:
                        used[rows, self.session_index[session]] += seated_share
                    if (c, session) in tie_of:
                        k, sign = tie_of[c, session]
                        halves[k, rows] += sign * seated_share
            best = min(best, total + int(prices.sum()))
            moved = np.rint(prices + step * SCALE * (used / self.duration - 1)).astype(np.int64)
            prices = np.where(wished, np.clip(moved, 0, self.wish), 0)
            ties = np.rint(ties - step * SCALE * halves).astype(np.int64)
            for k, (session, _, _) in enumerate(pairs):
                half = self.matrix[:, self.session_index[session]]
                ties[k] = np.clip(ties[k], -half, half)
            step *= STEP_DECAY
        self.price_matrix = kept
        return best

    def _halves(self, moving: list[Column]) -> list[tuple[str, int, int]]:
        """(session, earlier column, later column) of `moving` for each two consecutive slots of one run."""
        slots = [t.id for t in self.event.session_slots]
        held: dict[str, list[int]] = {}
        for c, (_, sessions) in enumerate(moving):
            for s in sessions:
                if s in self.long:
                    held.setdefault(s, []).append(c)
        pairs: list[tuple[str, int, int]] = []
        for s, cs in held.items():
            ordered = sorted(cs, key=lambda c: slots.index(moving[c][0]))
            duration = self.event.session(s).duration
            for run in range(0, len(ordered) - duration + 1, duration):  # runs never overlap: whole blocks
                block = ordered[run : run + duration]
                pairs.extend((s, a, b) for a, b in itertools.pairwise(block))
        return pairs

    def _value(self, column: Column) -> tuple[int, list[Seated]]:
        """Best seating of the slot's people into the column's sessions, in thousandths of wish weight.

        People with the same wishes (and prices) among these sessions form one node, so the flow stays small.
        Also returns, per group and session of `moving`, the share of the group seated there. Built with numpy:
        in Python loops the grouping cost eight times the flow itself.
        """
        slot, sessions = column
        if not sessions:
            return 0, []
        j = [self.session_index[s] for s in sessions]
        net = np.maximum(self.matrix[:, j] - self.price_matrix[:, j], 0)
        net[~self.present[slot]] = 0
        for s in sessions:
            net[self.host_rows[s]] = 0
        rows = np.flatnonzero(net.any(axis=1))
        keys, inverse, counts = _alike(net[rows])
        k = len(sessions)
        room_node = {c.id: 2 * k + i for i, c in enumerate(self.classes)}
        sink = 2 * k + len(self.classes)
        groups = len(keys)
        nodes = sink + 1 + np.arange(groups)
        wanted_g, wanted_j = np.nonzero(keys)
        tails = np.concatenate([nodes, nodes[wanted_g]]).astype(np.int32)
        heads = np.concatenate([np.full(groups, sink), wanted_j]).astype(np.int32)
        capacities = np.concatenate([counts, counts[wanted_g]]).astype(np.int64)
        costs = np.concatenate([np.zeros(groups, dtype=np.int64), -keys[wanted_g, wanted_j]]).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        flow.set_nodes_supplies(nodes.astype(np.int32), counts.astype(np.int64))
        for i, s in enumerate(sessions):
            self._session_arcs(flow, self.event.session(s), slot, i, k + i, room_node)
        for c in self.classes:
            capacity = c.size * (c.capacity if c.capacity is not None else len(self.weights))
            flow.add_arc_with_capacity_and_unit_cost(room_node[c.id], sink, capacity, 0)
        flow.set_node_supply(sink, -len(rows))
        if flow.solve() != flow.OPTIMAL:
            raise RuntimeError("the column's flow has no solution")  # cannot happen: everyone may bypass
        flows = flow.flows(np.arange(groups, groups + len(wanted_g), dtype=np.int32))
        seated: list[Seated] = []
        for i, s in enumerate(sessions):
            if s in self.moving:
                share = np.zeros(groups)
                arcs = wanted_j == i
                share[wanted_g[arcs]] = flows[arcs] / counts[wanted_g[arcs]]
                seated.append((rows, s, share[inverse]))
        return -int(flow.optimal_cost()), seated

    def _load_prices(self) -> None:
        """The price dictionary as the matrix the flows read: a column's share of each price (rounded down, as
        the wish's share is rounded up, so that a column's value never falls below its share of a plan)."""
        self.price_matrix = self._price_array() // self.duration

    def _price_array(self) -> np.ndarray:
        """The price dictionary as a matrix of people by sessions, thousandths."""
        prices = np.zeros_like(self.wish)
        row = {person: r for r, person in enumerate(self.people)}
        for (person, s), price in self.price.items():
            prices[row[person], self.session_index[s]] = price
        return prices

    def _session_arcs(
        self,
        flow: min_cost_flow.SimpleMinCostFlow,
        session: Session,
        slot: str,
        entry: int,
        exit_: int,
        room_node: dict[str, int],
    ) -> None:
        limits = self.limits[session.id, slot]
        flow.add_arc_with_capacity_and_unit_cost(entry, exit_, max(limits.values()), 0)
        for class_id, seats in limits.items():
            flow.add_arc_with_capacity_and_unit_cost(exit_, room_node[class_id], seats, 0)

    def _solve_lp(self) -> tuple[dict[tuple[str, str], float], float] | None:
        """The master LP: how often each (person, multi-run session) is seated, and the dual bound.

        None when the LP has no solution: then no timetable exists, and the solver explains why.
        """
        solved = self.solve_lp(range(len(self.columns)))
        if solved is None:
            return None
        shares, bound = solved
        matrix = np.zeros(self.matrix.shape)
        for i, share in shares.items():
            for rows, session, seated in self.seated[i]:
                matrix[rows, self.session_index[session]] += share * seated
        matrix /= self.duration  # a run of d slots is seated in d columns
        used = {
            (person, s): float(matrix[r, self.session_index[s]])
            for r, person in enumerate(self.people)
            for s in self.multi & self.weights[person].keys()
        }
        return used, bound

    def solve_lp(self, allowed: Iterable[int]) -> tuple[dict[int, float], float] | None:
        """The master LP over the `allowed` columns: the share of each column used, and the dual bound on
        every plan whose columns are all allowed; None when the LP has no solution."""
        allowed = list(allowed)
        lp = pywraplp.Solver.CreateSolver("GLOP")
        x = {i: lp.NumVar(0.0, lp.infinity(), "") for i in allowed}
        slot_rows = {t.id: lp.Constraint(1.0, 1.0) for t in self.event.session_slots}
        session_rows = {  # a run of d slots is in d columns
            s.id: lp.Constraint(float(s.runs * s.duration), float(s.runs * s.duration)) for s in self.event.sessions
        }
        objective = lp.Objective()
        for i in allowed:
            slot, sessions = self.columns[i]
            slot_rows[slot].SetCoefficient(x[i], 1.0)
            for s in sessions:
                session_rows[s].SetCoefficient(x[i], 1.0)
            objective.SetCoefficient(x[i], float(self.values[i]))
        objective.SetMaximization()
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        shares = {i: share for i in allowed if (share := x[i].solution_value()) > 1e-9}
        return shares, self._dual_bound({s: r.dual_value() for s, r in session_rows.items()}, allowed)

    def _dual_bound(self, dual: dict[str, float], allowed: list[int]) -> float:
        """Σ runs · dual + for each slot its best allowed column at these prices, + the Lagrange prices; in wish
        weights. Valid for any dual vector: a plan uses one column per slot and each session in `runs` of them."""
        best: dict[str, float] = {t.id: -math.inf for t in self.event.session_slots}
        for i in allowed:
            slot, sessions = self.columns[i]
            best[slot] = max(best[slot], self.values[i] - sum(dual[s] for s in sessions))
        total = sum(best.values()) + sum(s.runs * s.duration * dual[s.id] for s in self.event.sessions)
        return (total + sum(self.price.values())) / SCALE

    def _step(self, used: dict[tuple[str, str], float], step: float) -> None:
        """Raise the price where a person is seated in more than one run of a session, lower it where in none."""
        for person, weights in self.weights.items():
            for s in self.multi & weights.keys():
                price = self.price.get((person, s), 0) + step * SCALE * (used.get((person, s), 0.0) - 1)
                self.price[person, s] = min(max(round(price), 0), weights[s] * SCALE)


def _alike(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows, each row's group and each group's size: np.unique(axis=0) by a lexsort, 4x faster."""
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(len(rows), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    counts = np.diff(np.append(np.flatnonzero(first), len(rows)))
    return ordered[first], inverse, counts
