"""The model of one neighbourhood step, built from the freed part only, so its size does not grow with the event.

A part is a pair of slots, the sessions freed in it (one run of one slot each, no fixed slot) and the people
re-seated in it. Only those people's seats in runs that lie wholly in the two slots get variables, and of those
only the runs of sessions the person wishes, attends now, is fixed to, or that are freed (hosts of a freed
session, whose agenda moves with it, may take any run there). Everything else stays as in the plan and enters
as constants: other people's seats fill the rooms (less capacity, more towards the minimum attendance), runs
that stay fill the room classes and tie up their hosts and `Nicht parallel zu` partners, and a person's
granted wishes elsewhere count towards the fairness shortfall. The rules of `scheduler/model/cpsat/rules.py`
are written here for the part with those constants, so every plan the part gives passes the validator; the
current plan is one solution and the hint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.facts import Placed, allowed_starts, room_classes, seat_limit
from scheduler.model.runner import Runner
from scheduler.model.score import shortfall_target

LinearExpr = cp_model.LinearExpr
Run = tuple[str, str]  # session, start


@dataclass(frozen=True)
class Part:
    """What a step frees: two slots, sessions in them, the people re-seated there; and the plan's largest
    shortfall, which nobody may exceed."""

    pair: tuple[str, str]
    free: tuple[str, ...]
    people: frozenset[str]
    worst: int


@dataclass(frozen=True)
class Result:
    """The plan the part gives (None when CP-SAT found none), whether it is proven best, and the model's size."""

    placed: list[Placed] | None
    optimal: bool
    variables: int


def solve_part(event: Event, runner: Runner, placed: list[Placed], part: Part, work: float) -> Result:
    """The best plan CP-SAT finds within `work` for the part, nobody's shortfall above `part.worst`."""
    built = _PartModel(event, placed, part)
    solver, status = runner.solve(f"lns {part.pair[0]}+{part.pair[1]}", built.model, work, probing=False)
    found = built.extract(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return Result(found, status == cp_model.OPTIMAL, built.size)


class _PartModel:
    """Variables and rules of one part; constants from the runs and seats that stay."""

    def __init__(self, event: Event, placed: list[Placed], part: Part) -> None:
        self.event, self.placed, self.part = event, placed, part
        self.model = cp_model.CpModel()
        pair, free = set(part.pair), set(part.free)
        self.inside = lambda s, t: set(event.covered_slots(t, event.session(s).duration)) <= pair
        self.kept = [r for r in placed if r.session not in free]
        self.touching = [r for r in self.kept if set(self._covered(r.session, r.start)) & pair]
        classes = room_classes(event)
        self.classes = {c.id: c for c in classes}
        self.y: dict[tuple[str, str, str], cp_model.IntVar] = {}
        for s in sorted(free):
            for t, c in allowed_starts(event, event.session(s), classes):
                if t in pair:
                    self.y[s, t, c] = self.model.new_bool_var(f"y[{s},{t},{c}]")
        self.a: dict[tuple[str, str, str], cp_model.IntVar] = {}
        self._seats()
        self._rules()
        self._objective()
        self._hint()

    @property
    def size(self) -> int:
        return len(self.y) + len(self.a)

    def _covered(self, session: str, start: str) -> tuple[str, ...]:
        return self.event.covered_slots(start, self.event.session(session).duration)

    def _runs(self) -> list[Run]:
        """Runs whose seats are open: the kept runs wholly inside the pair and every start of a freed session."""
        kept = [(r.session, r.start) for r in self.touching if self.inside(r.session, r.start)]
        moving = sorted({(s, t) for s, t, _ in self.y})
        return [*kept, *moving]

    def _seats(self) -> None:
        event, part = self.event, self.part
        self.attending = {(p, r.session, r.start) for r in self.placed for p in r.attendees}
        self.seats_of: dict[str, list[Run]] = {}  # the re-seated people's seats in the plan
        for r in self.placed:
            for p in r.attendees:
                if p in part.people:
                    self.seats_of.setdefault(p, []).append((r.session, r.start))
        open_runs = set(self._runs())
        self.elsewhere = {  # sessions a re-seated person attends outside the open runs
            p: {s for s, t in seats if (s, t) not in open_runs} for p, seats in self.seats_of.items()
        }
        hosts_of_free = {h for s in part.free for h in event.session(s).hosts}
        for pid in sorted(part.people):
            person = event.person(pid)
            wanted = {w.session for w in person.wishes} | set(person.fixed) | set(part.free)
            wanted |= {s for s, _ in self.seats_of.get(pid, ())}
            for s, t in self._runs():
                if pid in event.session(s).hosts or person.unavailable & set(self._covered(s, t)):
                    continue
                if s in self.elsewhere.get(pid, ()) or (s not in wanted and pid not in hosts_of_free):
                    continue
                self.a[pid, s, t] = self.model.new_bool_var(f"a[{pid},{s},{t}]")

    def _starts(self, s: str, t: str) -> LinearExpr:
        """1 when the run of the freed session s starts in t."""
        return LinearExpr.sum([v for (s2, t2, _), v in self.y.items() if (s2, t2) == (s, t)])

    def _covers(self, s: str, t: str) -> LinearExpr | int:
        """1 when a run of s covers slot t of the pair."""
        if s in self.part.free:
            return LinearExpr.sum([v for (s2, t2, _), v in self.y.items() if s2 == s and t2 == t])
        return sum(1 for r in self.touching if r.session == s and t in self._covered(s, r.start))

    def _rules(self) -> None:
        event, model, pair = self.event, self.model, self.part.pair
        for s in self.part.free:  # runs_placed (a freed session runs once and lasts one slot)
            model.add(LinearExpr.sum([v for (s2, _, _), v in self.y.items() if s2 == s]) == 1)
        for t in pair:  # one_run_per_room
            for c in self.classes.values():
                used = sum(1 for r in self.touching if r.room_class == c.id and t in self._covered(r.session, r.start))
                fresh = [v for (_, t2, c2), v in self.y.items() if (t2, c2) == (t, c.id)]
                if fresh:
                    model.add(LinearExpr.sum(fresh) <= c.size - used)
        groups = [sessions for _, sessions in sorted(event.hosted_sessions.items()) if len(sessions) > 1]
        groups += [(a, b) for a, b in event.not_parallel_pairs]
        for p in event.participants:  # fixed_apart
            bound = sorted(s for s in p.fixed if event.session(s).runs == 1)
            if bound and len(bound) + len(event.hosted_sessions.get(p.id, ())) > 1:
                groups.append((*bound, *event.hosted_sessions.get(p.id, ())))
        for sessions in groups:  # hosts_in_one_place, not_parallel, fixed_apart
            if set(sessions) & set(self.part.free):
                for t in pair:
                    model.add(LinearExpr.sum([self._covers(s, t) for s in sessions]) <= 1)
        for (_, s, t), var in self.a.items():  # attend_placed_runs
            if s in self.part.free:
                model.add(var <= self._starts(s, t))
        self._people_rules()
        self._run_rules()

    def _people_rules(self) -> None:
        """fixed_attendance, full_agenda and once_per_session for each re-seated person."""
        event, model = self.event, self.model
        mine: dict[str, list[tuple[str, str, cp_model.IntVar]]] = {}
        for (p, s, t), var in self.a.items():
            mine.setdefault(p, []).append((s, t, var))
        for pid in sorted(self.part.people):
            person, seats = event.person(pid), mine.get(pid, [])
            for s in sorted({s for s, _, _ in seats}):
                runs = [var for s2, _, var in seats if s2 == s]
                if s in person.fixed:
                    model.add(LinearExpr.sum(runs) == 1 - int(s in self.elsewhere.get(pid, ())))
                elif len(runs) > 1:
                    model.add(LinearExpr.sum(runs) <= 1)
            for t in self.part.pair:
                if t in person.unavailable:
                    continue
                present = [var for s, start, var in seats if t in self._covered(s, start)]
                fixed_seat = sum(
                    1
                    for s, start in self.seats_of.get(pid, ())
                    if t in self._covered(s, start) and not self.inside(s, start)
                )
                hosting = [self._covers(s, t) for s in event.hosted_sessions.get(pid, ())]
                model.add(LinearExpr.sum([*present, *hosting]) == 1 - fixed_seat)

    def _run_rules(self) -> None:
        """seat_capacity and minimum_attendance of each open run, the seats that stay counted as constants."""
        event, model = self.event, self.model
        self.staying = {
            (r.session, r.start): [p for p in r.attendees if p not in self.part.people] for r in self.touching
        }
        by_run: dict[Run, list[cp_model.IntVar]] = {}
        for (_, s, t), var in self.a.items():
            by_run.setdefault((s, t), []).append(var)
        for s, t in self._runs():
            session = event.session(s)
            stay = len(self.staying.get((s, t), ()))
            seated = LinearExpr.sum(by_run.get((s, t), []))
            if s in self.part.free:
                places = [(c, v) for (s2, t2, c), v in self.y.items() if (s2, t2) == (s, t)]
                seats = LinearExpr.weighted_sum(
                    [v for _, v in places], [seat_limit(event, session, self.classes[c]) for c, _ in places]
                )
                model.add(seated <= seats)
                if session.minimum > 0:
                    model.add(seated >= session.minimum * self._starts(s, t))
            else:
                room = next(r.room_class for r in self.touching if (r.session, r.start) == (s, t))
                model.add(seated <= seat_limit(event, session, self.classes[room]) - stay)
                if session.minimum > 0:
                    model.add(seated >= session.minimum - stay)

    def _granted(self, pid: str, session: str) -> LinearExpr:
        return LinearExpr.sum(self.by_wish.get((pid, session), []))

    def _objective(self) -> None:
        """Nobody's shortfall above the plan's largest; the most weighted wishes among the re-seated people."""
        event, model = self.event, self.model
        self.by_wish: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        for (p, s, _), var in self.a.items():
            self.by_wish.setdefault((p, s), []).append(var)
        worst = self.part.worst
        terms, weights = [], []
        for pid in sorted(self.part.people):
            person = event.person(pid)
            away = self.elsewhere.get(pid, set())
            outside = sum(1 for w in person.wishes if w.session in away)
            inner = [self._granted(pid, w.session) for w in person.wishes if w.session not in away]
            target = shortfall_target(event, person)
            if target - outside - worst > 0:
                model.add(LinearExpr.sum(inner) >= target - outside - worst)
            for w in person.wishes:
                if event.weight(w.rank) > 0 and w.session not in self.elsewhere.get(pid, ()):
                    terms.append(self._granted(pid, w.session))
                    weights.append(event.weight(w.rank))
        model.maximize(LinearExpr.weighted_sum(terms, weights))

    def _hint(self) -> None:
        ys = {(r.session, r.start, r.room_class) for r in self.placed}
        for key, var in self.y.items():
            self.model.add_hint(var, key in ys)
        for key, var in self.a.items():
            self.model.add_hint(var, key in self.attending)

    def extract(self, solver: cp_model.CpSolver) -> list[Placed]:
        """The plan with the part's runs and seats from the solution, everything else as before."""
        seated: dict[Run, set[str]] = {}
        for (p, s, t), var in self.a.items():
            if solver.boolean_value(var):
                seated.setdefault((s, t), set()).add(p)
        open_runs = set(self._runs())
        runs: list[Placed] = []
        for r in self.kept:
            if (r.session, r.start) in open_runs:
                people = set(self.staying[r.session, r.start]) | seated.get((r.session, r.start), set())
                runs.append(Placed(r.session, r.start, r.room_class, _sorted(people)))
            else:
                runs.append(r)
        for (s, t, c), var in self.y.items():
            if solver.boolean_value(var):
                runs.append(Placed(s, t, c, _sorted(seated.get((s, t), set()))))
        return runs


def _sorted(people: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(people))
