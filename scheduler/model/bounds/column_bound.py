"""An upper bound on the weighted wishes for events whose slot columns cannot be listed (`slot_bound`).

The slot LP ("each slot one column, each session its runs") sees which wishes of a person collide in a slot;
here its columns are generated instead of listed. For any prices π on the session rows, Lagrangian duality
gives a bound on every plan:

    Σ_s runs_s · π_s  +  Σ_t max_C [ value_t(C) − Σ_{s∈C} π_{s,t} ]  +  Σ λ

where C runs over the session sets a slot may hold and value_t(C) is an upper estimate of the wishes a plan
grants in slot t when it runs the sessions C there. It holds because a plan picks one set per slot and places
each session `runs` times; the prices may be anything, so every iteration's bound is valid and the smallest
is kept. The terms:

- value_t(C) is the best seating of the people present into C with a session seating at most its largest
  room's seats, nobody seated who must be in another session of C (its hosts); room classes shared between
  sessions are relaxed (a plan can only do worse).
- A session that runs twice: a person may attend one run only, which slots one by one cannot see; each wish
  of such a session is counted at w − λ (λ = w/2) per run and λ once for the person (a plan seats the person
  in at most one run: (w − λ) + λ = w, or 0 + λ ≥ 0). This is the slot bound's start price.
- A session of two slots: each covered slot counts half its wish (a plan seats a person in both halves of one
  run, so the two halves sum to the wish); its rows are one per covered slot, tied to its starts by
  Σ_{start a} z_a = runs, which gives the term runs · max_a Σ_{t∈a} π_{s,t} instead of runs · π_s.
- max_C is a small mixed-integer program per slot (HiGHS, one thread): a binary per session, the seats
  continuous (for a fixed set C the seating is a transportation problem, so continuous seats give exactly
  value_t(C)), at most as many sessions as rooms, no two sessions with a shared host or fixed person. The
  number used is the solver's proven upper bound after a node limit, an upper estimate of max_C whether or
  not it closed the problem.

The prices come from the master LP over the columns generated so far (GLOP; seeded with the greedy timetable
and its neighbours, elastic rows so it always has a solution), each pricing's best set added as a new column,
until the bound meets the master's value or the iterations run out. Everything is counted (iterations,
branch-and-bound nodes), never clocked, so the same event gives the same bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.domain import Event
from scheduler.model.facts import allowed_starts, bound_people, may_run_together, occupants, room_classes, seat_limit
from scheduler.model.heuristics.greedy import greedy_timetable

ITERATIONS = 40  # master rounds at most
PRICING_NODES = 200  # branch-and-bound nodes per pricing problem (500 people: SCIP closed them within 77)
PRICING_SOLVER = "HIGHS"  # one thread, so deterministic; six times faster than SCIP on these problems
SECONDS_PER_SLOT_SIZE = 0.064  # one iteration's pricing per slot and (thousand people × sessions) squared, one
# core: 500 people / 24 sessions 37 s an iteration; 1,000 / 40 took 177 s (load 4-7), so this is cautious there
SETUP_PER_PERSON = 0.006  # the seed columns' seatings (500 people: 2.6 s)
SECONDS_PER_SLOT = 0.05  # the least a pricing costs (40 people: about 0.05 s)
SAFETY = 1e-3  # wish-weight units added before rounding down, against the solvers' tolerances
SMOOTHING = 0.7  # weight of the best prices so far in the prices of the next round
CLOSED = 0.5  # wish weights: the master and the bound this close, the bound cannot fall further


@dataclass(frozen=True)
class ColumnBoundResult:
    bound: int | None  # no plan has more weighted wishes; None when cancelled before the first iteration
    iterations: int  # master rounds made
    columns: int  # columns in the master at the end
    nodes: int  # branch-and-bound nodes over all pricing problems


class _Slot:
    """One slot's pricing problem: people with the same net wishes there merged, a binary per session."""

    def __init__(
        self,
        event: Event,
        slot: str,
        sessions: list[str],
        weights: np.ndarray,
        caps: dict[str, int],
        bound: np.ndarray,
    ):
        """`weights`: people × sessions, the wish counted here; `bound`: people × sessions, true where the
        person must be in the session (a host): then the person attends nothing else in its slot."""
        self.slot = slot
        self.sessions = sessions
        present = np.array([slot not in p.unavailable for p in sorted(event.participants, key=lambda p: p.id)])
        wanted = present & weights.any(axis=1)
        rows, counts = np.unique(np.hstack([weights[wanted], bound[wanted]]), axis=0, return_counts=True)
        keys, self.busy = rows[:, : len(sessions)], rows[:, len(sessions) :] > 0
        self.keys, self.counts = keys, counts
        self.caps = caps
        self.solver = pywraplp.Solver.CreateSolver(PRICING_SOLVER)
        solver = self.solver
        solver.SetSolverSpecificParametersAsString(
            f"mip_max_nodes = {PRICING_NODES}\nthreads = 1\noutput_flag = false\n"
        )
        self.y = [solver.BoolVar("") for _ in sessions]
        self.x: list[tuple[int, int, pywraplp.Variable]] = []  # (group, session index, seats)
        objective = solver.Objective()
        rows_g: list[pywraplp.Constraint] = [solver.Constraint(0.0, float(c)) for c in counts]
        rows_s = [solver.Constraint(-solver.infinity(), 0.0) for _ in sessions]
        for j, s in enumerate(sessions):
            rows_s[j].SetCoefficient(self.y[j], -float(caps[s]))
        for g, j in zip(*np.nonzero(self.busy), strict=True):
            rows_g[g].SetCoefficient(self.y[j], float(counts[g]))  # hosting j: no seat elsewhere when j runs
        for g, j in zip(*np.nonzero(keys), strict=True):
            var = solver.NumVar(0.0, float(counts[g]), "")
            self.x.append((int(g), int(j), var))
            rows_g[g].SetCoefficient(var, 1.0)
            rows_s[j].SetCoefficient(var, 1.0)
            link = solver.Constraint(-solver.infinity(), 0.0)
            link.SetCoefficient(var, 1.0)
            link.SetCoefficient(self.y[j], -float(counts[g]))
            objective.SetCoefficient(var, float(keys[g, j]))
        rooms = solver.Constraint(0.0, float(len(event.rooms)))
        for var in self.y:
            rooms.SetCoefficient(var, 1.0)
        tokens = {s: occupants(event, event.session(s)) for s in sessions}
        for a in range(len(sessions)):
            for b in range(a + 1, len(sessions)):
                if tokens[sessions[a]] & tokens[sessions[b]]:
                    apart = solver.Constraint(-solver.infinity(), 1.0)
                    apart.SetCoefficient(self.y[a], 1.0)
                    apart.SetCoefficient(self.y[b], 1.0)
        objective.SetMaximization()

    def price(self, dual: dict[str, float]) -> tuple[float, tuple[str, ...], float, int]:
        """An upper estimate of max_C value(C) − π(C), the best set found, its value, and the nodes used."""
        for j, s in enumerate(self.sessions):
            self.solver.Objective().SetCoefficient(self.y[j], -dual[s])
        status = self.solver.Solve()
        nodes = int(self.solver.nodes())
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return math.inf, (), 0.0, nodes  # no estimate: the bound of this round is not finite
        upper = self.solver.Objective().BestBound()
        chosen = tuple(s for j, s in enumerate(self.sessions) if self.y[j].solution_value() > 0.5)
        value = self.value(chosen)
        return upper, chosen, value, nodes

    def value(self, chosen: tuple[str, ...]) -> float:
        """value_t(C): the best seating into the chosen sessions (an LP; integral as a transportation problem)."""
        if not chosen:
            return 0.0
        index = [self.sessions.index(s) for s in chosen]
        keys = self.keys[:, index] * ~self.busy[:, index].any(axis=1, keepdims=True)
        lp = pywraplp.Solver.CreateSolver("GLOP")
        rows_g = [lp.Constraint(0.0, float(c)) for c in self.counts]
        rows_s = [lp.Constraint(0.0, float(self.caps[s])) for s in chosen]
        objective = lp.Objective()
        for g, j in zip(*np.nonzero(keys), strict=True):
            var = lp.NumVar(0.0, lp.infinity(), "")
            rows_g[g].SetCoefficient(var, 1.0)
            rows_s[j].SetCoefficient(var, 1.0)
            objective.SetCoefficient(var, float(keys[g, j]))
        objective.SetMaximization()
        lp.Solve()
        return float(objective.Value())


class ColumnBound:
    """The master LP over generated slot columns and the pricing problems of its slots."""

    def __init__(self, event: Event) -> None:
        self.event = event
        classes = room_classes(event)
        by_id = {c.id: c for c in classes}
        people = sorted(event.participants, key=lambda p: p.id)
        self.slots = [t.id for t in event.session_slots]
        self.starts: dict[str, list[tuple[str, ...]]] = {}  # session -> the slots each allowed start covers
        caps: dict[tuple[str, str], int] = {}  # (session, slot) -> seats of its largest usable room there
        for s in event.sessions:
            covers: dict[str, tuple[str, ...]] = {}
            for start, class_id in allowed_starts(event, s, classes):
                covers[start] = event.covered_slots(start, s.duration)
                for t in covers[start]:
                    caps[s.id, t] = max(caps.get((s.id, t), 0), seat_limit(event, s, by_id[class_id]))
            self.starts[s.id] = sorted(covers.values())
        self.multi = {s.id for s in event.sessions if s.runs > 1}
        self.constant = 0.0  # Σ λ: the half wishes of multi-run sessions, counted once per person
        self.pricing: list[_Slot] = []
        for t in self.slots:
            sessions = sorted(s.id for s in event.sessions if (s.id, t) in caps)
            weights = np.zeros((len(people), len(sessions)))
            busy = np.zeros((len(people), len(sessions)))
            column = {s: j for j, s in enumerate(sessions)}
            row = {p.id: r for r, p in enumerate(people)}
            for sid in sessions:
                for h in bound_people(event, event.session(sid)):
                    if h in row:
                        busy[row[h], column[sid]] = 1.0
            for r, p in enumerate(people):
                for w in p.wishes:
                    session = event.session(w.session)
                    if p.id in session.hosts or w.session not in column:
                        continue
                    run_share = 0.5 if w.session in self.multi else 1.0  # w − λ with λ = w/2
                    weights[r, column[w.session]] = event.weight(w.rank) * run_share / session.duration
            self.pricing.append(_Slot(event, t, sessions, weights, {s: caps[s, t] for s in sessions}, busy))
        for p in people:
            for w in p.wishes:
                if w.session in self.multi and p.id not in event.session(w.session).hosts:
                    self.constant += event.weight(w.rank) / 2
        self.columns: list[tuple[int, tuple[str, ...], float]] = []  # (slot index, sessions, value)
        self._seed()

    def _seed(self) -> None:
        """The greedy timetable's sets and their neighbours (one session added, dropped or exchanged for one
        of another slot), so the master's first duals come from a real timetable and its alternatives."""
        for k in range(len(self.pricing)):
            self.columns.append((k, (), 0.0))
        timetable = greedy_timetable(self.event)
        if timetable is None:
            return
        sets = []
        for t, pricing in zip(self.slots, self.pricing, strict=True):
            chosen = set()
            for s, runs in timetable.items():
                duration = self.event.session(s).duration
                if any(t in self.event.covered_slots(start, duration) for start, _ in runs):
                    chosen.add(s)
            sets.append(frozenset(chosen & set(pricing.sessions)))
        seen: set[tuple[int, frozenset[str]]] = set()
        for k, pricing in enumerate(self.pricing):
            here = sets[k]
            others = [s for s in pricing.sessions if s not in here]
            order = sorted(here)  # not the set's own order, which changes with the process's string hashes
            variants = [here, *(here - {a} for a in order), *(here | {b} for b in others)]
            variants += [(here - {a}) | {b} for a in order for b in others]
            for variant in variants:
                too_many = len(variant) > len(self.event.rooms)
                if (k, variant) in seen or too_many or not may_run_together(self.event, variant):
                    continue
                seen.add((k, variant))
                chosen_t = tuple(sorted(variant))
                self.columns.append((k, chosen_t, pricing.value(chosen_t)))

    def run(
        self,
        iterations: int = ITERATIONS,
        cancelled: Callable[[], bool] = lambda: False,
        report: Callable[[int], None] = lambda bound: None,
    ) -> ColumnBoundResult:
        """The smallest bound of the iterations. Prices are smoothed (Wentges): each round prices at a mix of
        the master's duals and the prices of the best bound so far, which keeps the degenerate master's
        extreme duals from throwing the bound about; any prices give a valid bound."""
        best = math.inf
        nodes = 0
        done = 0
        seen = {(k, c) for k, c, _ in self.columns}
        centre: dict[tuple[str, str], float] | None = None
        for _ in range(iterations):
            if cancelled():
                break
            master, master_value = self._master()
            duals = (
                master
                if centre is None
                else {key: SMOOTHING * centre[key] + (1 - SMOOTHING) * master[key] for key in master}
            )
            total = self.constant + self._session_term(duals)
            for k, pricing in enumerate(self.pricing):
                dual = {s: duals[s, self.slots[k]] for s in pricing.sessions}
                upper, chosen, value, used = pricing.price(dual)
                nodes += used
                total += upper
                if (k, chosen) not in seen:
                    seen.add((k, chosen))
                    self.columns.append((k, chosen, value))
            done += 1
            if total < best:
                best, centre = total, duals
                report(math.floor(best + SAFETY))
            if best - master_value < CLOSED:
                break
        bound = None if math.isinf(best) else math.floor(best + SAFETY)
        return ColumnBoundResult(bound, done, len(self.columns), nodes)

    def _session_term(self, duals: dict[tuple[str, str], float]) -> float:
        """Σ_s runs_s · max over its starts of Σ_{t covered} π_{s,t}."""
        total = 0.0
        for s in self.event.sessions:
            if self.starts[s.id]:
                total += s.runs * max(sum(duals[s.id, t] for t in cover) for cover in self.starts[s.id])
        return total

    def _master(self) -> tuple[dict[tuple[str, str], float], float]:
        """The duals π_{s,t} of the master LP over the columns so far (π_s in every slot for one-slot sessions)
        and its value (the best fractional timetable of these columns, which no bound can go below)."""
        lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = lp.infinity()
        penalty = float(self.event.weight(1)) * len(self.event.participants)
        slot_rows = [lp.Constraint(1.0, 1.0) for _ in self.slots]
        one = {s.id: lp.Constraint(float(s.runs), float(s.runs)) for s in self.event.sessions if s.duration == 1}
        per_slot = {
            (s.id, t): lp.Constraint(0.0, 0.0)
            for s in self.event.sessions
            if s.duration > 1
            for t in sorted({t for cover in self.starts[s.id] for t in cover})
        }
        objective = lp.Objective()
        for s in self.event.sessions:
            if s.duration > 1 and self.starts[s.id]:
                starts = lp.Constraint(float(s.runs), float(s.runs))
                for cover in self.starts[s.id]:
                    z = lp.NumVar(0.0, inf, "")
                    starts.SetCoefficient(z, 1.0)
                    for t in cover:
                        per_slot[s.id, t].SetCoefficient(z, -1.0)
        for row in [*one.values(), *per_slot.values()]:
            for sign in (1.0, -1.0):
                slack = lp.NumVar(0.0, inf, "")
                row.SetCoefficient(slack, sign)
                objective.SetCoefficient(slack, -penalty)
        for k, chosen, value in self.columns:
            x = lp.NumVar(0.0, inf, "")
            slot_rows[k].SetCoefficient(x, 1.0)
            for session in chosen:
                row = one[session] if session in one else per_slot[session, self.slots[k]]
                row.SetCoefficient(x, 1.0)
            objective.SetCoefficient(x, value)
        objective.SetMaximization()
        lp.Solve()
        duals: dict[tuple[str, str], float] = {}
        for s in self.event.sessions:
            for t in self.slots:
                if s.id in one:
                    duals[s.id, t] = one[s.id].dual_value()
                elif (s.id, t) in per_slot:
                    duals[s.id, t] = per_slot[s.id, t].dual_value()
        return duals, objective.Value() + self.constant


def column_fits(event: Event, seconds: float) -> bool:
    """Whether `seconds` allow at least one iteration, by the estimate (a count, not the clock)."""
    return iterations_for(event, seconds) > 0


def iterations_for(event: Event, seconds: float) -> int:
    """Master rounds that fit `seconds` on one core by SECONDS_PER_SLOT_SIZE, at most ITERATIONS."""
    size = len(event.participants) * len(event.sessions) / 1000
    per_iteration = len(event.session_slots) * (SECONDS_PER_SLOT_SIZE * size**2 + SECONDS_PER_SLOT)
    setup = len(event.participants) * SETUP_PER_PERSON
    return max(0, min(ITERATIONS, int((seconds - setup) / per_iteration)))


def column_bound(
    event: Event,
    seconds: float,
    report: Callable[[int], None] = lambda bound: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int | None:
    """The bound after the iterations `seconds` allow (None when none does); `report` gets each better one."""
    iterations = iterations_for(event, seconds)
    if iterations == 0:
        return None
    return ColumnBound(event).run(iterations, cancelled, report).bound
