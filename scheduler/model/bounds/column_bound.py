"""An upper bound on the weighted wishes for events whose slot columns cannot be listed (`slot_bound`).

The slot LP ("each slot one column, each session its runs") sees which wishes of a person collide in a slot;
here its columns are generated instead of listed. For any prices π on the session rows, Lagrangian duality
gives a bound on every plan:

    Σ_s runs_s · π_s  +  Σ_t max_C [ value_t(C) − Σ_{s∈C} π_{s,t} ]  +  Σ λ

where C runs over the session sets a slot may hold and value_t(C) is an upper estimate of the wishes a plan
grants in slot t when it runs the sessions C there. It holds because a plan picks one set per slot and places
each session `runs` times; the prices may be anything, so every iteration's bound is valid and the smallest
is kept. The terms:

- value_t(C) is the best seating of the people present into C, each session in a room of a class it may use
  (no class holding more runs than it has rooms) and seating at most that room's seats, nobody seated who
  must be in another session of C (its hosts).
- A session that runs twice: a person may attend one run only, which slots one by one cannot see; each wish
  of such a session is counted at w − λ (λ = w/2) per run and λ once for the person (a plan seats the person
  in at most one run: (w − λ) + λ = w, or 0 + λ ≥ 0). This is the slot bound's start price.
- A session of two slots: each covered slot counts half its wish (a plan seats a person in both halves of one
  run, so the two halves sum to the wish); its rows are one per covered slot, tied to its starts by
  Σ_{start a} z_a = runs, which gives the term runs · max_a Σ_{t∈a} π_{s,t} instead of runs · π_s.
- max_C is a small mixed-integer program per slot (`pricing.py`, HiGHS through `highspy`, one thread): the
  sessions and their rooms binary, the seats continuous. The number used is HiGHS's proven dual bound after
  a node limit, an upper estimate of max_C whether or not it closed the problem.

- The ceiling's two limits (a person's wishes at most their attendable slots, a session's seats at most its
  runs times its largest room) hold in every plan, so they are relaxed too, with prices μ and ν ≥ 0: the
  bound adds μ · slots + ν · seats and counts each seat at its wish less μ and ν. At the ceiling's own prices
  (`ceiling_prices`) the bound is the ceiling; the rounds start from there.

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
from scheduler.model.bounds.ceiling_prices import ceiling_prices
from scheduler.model.bounds.pricing import SlotFacts, SlotPricing
from scheduler.model.facts import allowed_starts, bound_people, may_run_together, occupants, room_classes, seat_limit
from scheduler.model.heuristics.greedy import greedy_timetable

ITERATIONS = 40  # master rounds at most
PRICING_NODES = 200  # branch-and-bound nodes per pricing problem (500 people: SCIP closed them within 77)
PRICING_SECONDS = 0.2  # one pricing per slot, times size^1.5 (size: thousand people × sessions), one core;
# measured quiet 0.125 (500 people / 24 sessions: 5.2 s a slot) and 0.13 (1,000 / 40: 33 s, load 3), with a
# margin for the planner beside on the other core
SETUP_PER_SIZE = 0.4  # the seed columns' seatings per size (measured 0.19 at 500 people: 2.3 s; 0.27 at 1,000)
SECONDS_PER_SLOT = 0.05  # the least a pricing costs (40 people: about 0.05 s)
SAFETY = 1e-3  # wish-weight units added before rounding down, against the solvers' tolerances
SMOOTHING = 0.7  # weight of the best multipliers so far (at first the ceiling's) in those of the next round;
# first round, 500 people: 5,734 at 0.7, 5,716 at 0.5, 5,761 at 0 (the master's duals alone); 1,000 people:
# 11,002 at 0.7, 11,130 at 0.5, 11,539 at 0, ceiling 11,113
CLOSED = 0.5  # wish weights: the master and the bound this close, the bound cannot fall further


@dataclass(frozen=True)
class ColumnBoundResult:
    bound: int | None  # no plan has more weighted wishes; None when cancelled before the first iteration
    iterations: int  # master rounds made
    columns: int  # columns in the master at the end
    nodes: int  # branch-and-bound nodes over all pricing problems


class ColumnBound:
    """The master LP over generated slot columns and the pricing problems of its slots."""

    def __init__(self, event: Event, nodes: int = PRICING_NODES) -> None:
        self.event = event
        classes = room_classes(event)
        by_id = {c.id: c for c in classes}
        people = sorted(event.participants, key=lambda p: p.id)
        row = {p.id: r for r, p in enumerate(people)}
        self.slots = [t.id for t in event.session_slots]
        self.index = {s.id: j for j, s in enumerate(event.sessions)}
        self.duration = np.array([s.duration for s in event.sessions], dtype=np.float64)
        self.starts: dict[str, list[tuple[str, ...]]] = {}  # session -> the slots each allowed start covers
        seats: dict[tuple[str, str], dict[str, int]] = {}  # (session, slot) -> room class -> seats of a run
        for s in event.sessions:
            covers: dict[str, tuple[str, ...]] = {}
            for start, class_id in allowed_starts(event, s, classes):
                covers[start] = event.covered_slots(start, s.duration)
                for t in covers[start]:
                    seats.setdefault((s.id, t), {})[class_id] = seat_limit(event, s, by_id[class_id])
            self.starts[s.id] = sorted(covers.values())
        self.wish = np.zeros((len(people), len(event.sessions)))  # the wish weights, hosts' own left out
        busy = np.zeros((len(people), len(event.sessions)), dtype=bool)
        for s in event.sessions:
            for h in bound_people(event, s):
                if h in row:
                    busy[row[h], self.index[s.id]] = True
        for r, p in enumerate(people):
            for w in p.wishes:
                if p.id not in event.session(w.session).hosts:
                    self.wish[r, self.index[w.session]] = event.weight(w.rank)
        multi = np.array([s.runs > 1 for s in event.sessions])
        self.once = (self.wish > 0) & multi  # (person, session) pairs with a row "seated in one run at most"
        self.ceiling = ceiling_prices(event, self.wish)
        self.pricing: list[SlotPricing] = []
        self.columns_of: list[list[int]] = []  # per slot: the event's session indices its pricing sees
        for t in self.slots:
            sessions = sorted(s.id for s in event.sessions if (s.id, t) in seats)
            j = [self.index[s] for s in sessions]
            tokens = {s: occupants(event, event.session(s)) for s in sessions}
            facts = SlotFacts(
                sessions=sessions,
                present=np.array([t not in p.unavailable for p in people]),
                busy=busy[:, j],
                seats={s: seats[s, t] for s in sessions},
                classes=classes,
                apart=[
                    (a, b)
                    for a in range(len(sessions))
                    for b in range(a + 1, len(sessions))
                    if tokens[sessions[a]] & tokens[sessions[b]]
                ],
            )
            self.pricing.append(SlotPricing(facts, nodes))
            self.columns_of.append(j)
        self.columns: list[Column] = []
        self._seed()

    def _weights(self, k: int, once: np.ndarray) -> np.ndarray:
        """What a seat in each session of slot k counts at the prices `once` (people × sessions): the wish,
        less its price where the person may attend one run only, per slot of the run."""
        j = self.columns_of[k]
        return (self.wish[:, j] - once[:, j]) / self.duration[j]

    def _column(self, k: int, chosen: tuple[str, ...], once: np.ndarray) -> Column:
        """The set's best seating at the prices `once`, valued in the wishes themselves."""
        valued = self.pricing[k].value(self._weights(k, once), chosen)
        j = [self.index[s] for s in chosen]
        seats = np.zeros(self.wish.shape)
        seats[:, j] = valued.seats
        value = float((seats[:, j] * self.wish[:, j] / self.duration[j]).sum())
        return Column(k, chosen, value, seats[self.once] / self.duration[np.nonzero(self.once)[1]])

    def _seed(self) -> None:
        """The greedy timetable's sets and their neighbours (one session added, dropped or exchanged for one
        of another slot), so the master's first duals come from a real timetable and its alternatives."""
        empty = np.zeros(int(self.once.sum()))
        for k in range(len(self.pricing)):
            self.columns.append(Column(k, (), 0.0, empty))
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
            sets.append(frozenset(chosen & set(pricing.facts.sessions)))
        seen: set[tuple[int, frozenset[str]]] = set()
        for k, pricing in enumerate(self.pricing):
            here = sets[k]
            others = [s for s in pricing.facts.sessions if s not in here]
            order = sorted(here)  # not the set's own order, which changes with the process's string hashes
            variants = [here, *(here - {a} for a in order), *(here | {b} for b in others)]
            variants += [(here - {a}) | {b} for a in order for b in others]
            for variant in variants:
                too_many = len(variant) > len(self.event.rooms)
                if (k, variant) in seen or too_many or not may_run_together(self.event, variant):
                    continue
                seen.add((k, variant))
                self.columns.append(self._column(k, tuple(sorted(variant)), self.wish * self.once / 2))

    def run(
        self,
        iterations: int = ITERATIONS,
        cancelled: Callable[[], bool] = lambda: False,
        report: Callable[[int], None] = lambda bound: None,
    ) -> ColumnBoundResult:
        """The smallest bound of the iterations. Prices are smoothed (Wentges): each round prices at a mix of
        the master's duals and the multipliers of the best bound so far, which keeps the degenerate master's
        extreme duals from throwing the bound about; any multipliers give a valid bound. The first centre is
        the ceiling's multipliers (`ceiling_prices`): the bound is convex in the multipliers and equals the
        ceiling there, so a mix can be below both (1,000 people: 11,002 in the first round, where the master's
        duals alone gave 11,539 above the ceiling 11,113; its pricing problems also close sooner)."""
        best = math.inf
        nodes = 0
        done = 0
        seen = {(c.slot, c.sessions) for c in self.columns}
        half = self.wish[self.once] / 2  # λ = w/2, the slot bound's start price
        idle = (np.zeros(len(self.ceiling.person)), np.zeros(len(self.ceiling.session)))
        centre = self._ceiling_point()
        for _ in range(iterations):
            if cancelled():
                break
            master, master_value = self._master(half)
            point = centre.mix(Multipliers(master, half, *idle), SMOOTHING)
            total, used = self.round(point, seen)
            nodes += used
            done += 1
            if total < best:
                best, centre = total, point
                report(math.floor(best + SAFETY))
            if best - master_value < CLOSED:
                break
        bound = None if math.isinf(best) else math.floor(best + SAFETY)
        return ColumnBoundResult(bound, done, len(self.columns), nodes)

    def round(self, point: Multipliers, seen: set[tuple[int, tuple[str, ...]]]) -> tuple[float, int]:
        """The bound at `point` and the branch-and-bound nodes used; each pricing's best set not `seen` yet
        becomes a column (its seating chosen and valued at λ alone)."""
        once = np.zeros(self.wish.shape)
        once[self.once] = point.lam
        reduced = once + point.person[:, None] + point.session[None, :]
        total = float(point.lam.sum()) + self._session_term(point.prices)
        total += float(point.person @ self.ceiling.slots + point.session @ self.ceiling.seats)
        nodes = 0
        for k, pricing in enumerate(self.pricing):
            priced = pricing.price(self._weights(k, reduced), point.prices[self.columns_of[k], k])
            nodes += priced.nodes
            total += priced.upper
            if (k, priced.chosen) not in seen:
                seen.add((k, priced.chosen))
                self.columns.append(self._column(k, priced.chosen, once))
        return total, nodes

    def _ceiling_point(self) -> Multipliers:
        """The ceiling's multipliers in the column bound's terms, at which it gives the ceiling's LP value:
        μ and ν the ceiling's, λ of a pair the rest of its wish after them, and each single-run session's
        π the rest of its wishers' (spread over its slots and runs)."""
        c = self.ceiling
        runs = np.array([s.runs for s in self.event.sessions], dtype=np.float64)
        single = np.where(runs > 1, 0.0, c.remaining) / (runs * self.duration)
        rest = np.maximum(self.wish - c.person[:, None] - c.session[None, :], 0.0)
        return Multipliers(np.repeat(single[:, None], len(self.slots), axis=1), rest[self.once], c.person, c.session)

    def _session_term(self, prices: np.ndarray) -> float:
        """Σ_s runs_s · max over its starts of Σ_{t covered} π_{s,t}."""
        slot = {t: k for k, t in enumerate(self.slots)}
        total = 0.0
        for s in self.event.sessions:
            if self.starts[s.id]:
                j = self.index[s.id]
                total += s.runs * max(sum(prices[j, slot[t]] for t in cover) for cover in self.starts[s.id])
        return total

    def _master(self, lam: np.ndarray) -> tuple[np.ndarray, float]:
        """The duals π_{s,t} of the master LP over the columns so far (sessions × slots; π_s in every slot for
        one-slot sessions) and its value (the best fractional timetable of these columns, which no bound at
        these λ can go below). Each column is worth its value less λ · its seats in multi-run sessions."""
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
        for column in self.columns:
            x = lp.NumVar(0.0, inf, "")
            slot_rows[column.slot].SetCoefficient(x, 1.0)
            for session in column.sessions:
                row = one[session] if session in one else per_slot[session, self.slots[column.slot]]
                row.SetCoefficient(x, 1.0)
            objective.SetCoefficient(x, column.value - float(lam @ column.once))
        objective.SetMaximization()
        lp.Solve()
        duals = np.zeros((len(self.event.sessions), len(self.slots)))
        for s in self.event.sessions:
            for k, t in enumerate(self.slots):
                if s.id in one:
                    duals[self.index[s.id], k] = one[s.id].dual_value()
                elif (s.id, t) in per_slot:
                    duals[self.index[s.id], k] = per_slot[s.id, t].dual_value()
        return duals, objective.Value() + float(lam.sum())


@dataclass(frozen=True)
class Multipliers:
    """One round's prices: π per session and slot, λ per pair of ColumnBound.once, and μ per person and ν per
    session (≥ 0) on the ceiling's limits (`ceiling_prices`)."""

    prices: np.ndarray
    lam: np.ndarray
    person: np.ndarray
    session: np.ndarray

    def mix(self, other: Multipliers, weight: float) -> Multipliers:
        """`weight` of these and the rest of `other`'s."""
        return Multipliers(
            weight * self.prices + (1 - weight) * other.prices,
            weight * self.lam + (1 - weight) * other.lam,
            weight * self.person + (1 - weight) * other.person,
            weight * self.session + (1 - weight) * other.session,
        )


@dataclass(frozen=True)
class Column:
    """A slot's set of sessions, the value of its seating and its seats in the "one run at most" rows."""

    slot: int
    sessions: tuple[str, ...]
    value: float
    once: np.ndarray  # per (person, multi-run session) pair of ColumnBound.once: the share of a run seated


def column_fits(event: Event, seconds: float) -> bool:
    """Whether `seconds` allow at least one iteration, by the estimate (a count, not the clock)."""
    return iterations_for(event, seconds) > 0


def iterations_for(event: Event, seconds: float) -> int:
    """Master rounds that fit `seconds` on one core by the estimate above, at most ITERATIONS. The pricing
    grows faster than people × sessions (more groups, weaker relaxations), hence the power 1.5."""
    size = len(event.participants) * len(event.sessions) / 1000
    per_iteration = len(event.session_slots) * (PRICING_SECONDS * size**1.5 + SECONDS_PER_SLOT)
    setup = SETUP_PER_SIZE * size
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
