"""The decision variables of the joint model, and queries over them.

`y[s, t, c]`: a run of session s starts in slot t in a room of class c. `a[p, s, t]`: participant p attends the
run of s that starts in t. Only combinations that the fixed facts allow get a variable at all (fixed slot and
room, `Nicht in`, room features, hosts' and participants' unavailability), so those rules hold by construction
and the model stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.facts import Placed, RoomClass, Timetable, allowed_starts, room_classes

LinearExpr = cp_model.LinearExprT


class PlanVars:
    """Creates the variables in a fixed order (sorted ids) and answers questions about them."""

    def __init__(
        self,
        event: Event,
        model: cp_model.CpModel,
        timetable: Timetable | None = None,
        seats: bool = True,
        classes: tuple[RoomClass, ...] | None = None,
    ) -> None:
        """`timetable` restricts the runs to given (start, class) pairs; without `seats` no attendance exists.

        `classes` replaces the grouping of interchangeable rooms (re-planning gives every room its own class).
        """
        self.event = event
        self.model = model
        self.classes = room_classes(event) if classes is None else classes
        self.class_by_id = {c.id: c for c in self.classes}
        self.slot_ids = tuple(s.id for s in event.session_slots)
        self.sessions = tuple(sorted(event.sessions, key=lambda s: s.id))
        self.participants = tuple(sorted(event.participants, key=lambda p: p.id))
        self._y: dict[tuple[str, str, str], cp_model.IntVar] = {}
        for s in self.sessions:
            pairs = allowed_starts(event, s, self.classes) if timetable is None else timetable.get(s.id, ())
            for t, c in pairs:
                self._y[s.id, t, c] = model.new_bool_var(f"y[{s.id},{t},{c}]")
        self._a: dict[tuple[str, str, str], cp_model.IntVar] = {}
        for p in self.participants if seats else ():
            for s in self.sessions:
                if p.id in s.hosts:
                    continue
                for t in self.start_slots(s.id):
                    if not p.unavailable & set(self.covered(s.id, t)):
                        self._a[p.id, s.id, t] = model.new_bool_var(f"a[{p.id},{s.id},{t}]")

    # -- structure -----------------------------------------------------------------------------------

    def covered(self, session_id: str, start: str) -> tuple[str, ...]:
        return self.event.covered_slots(start, self.event.session(session_id).duration)

    @cached_property
    def _starts(self) -> dict[str, tuple[str, ...]]:
        starts: dict[str, list[str]] = {s.id: [] for s in self.sessions}
        for s, t, _ in self._y:
            if t not in starts[s]:
                starts[s].append(t)
        order = {t: i for i, t in enumerate(self.slot_ids)}
        return {s: tuple(sorted(ts, key=order.__getitem__)) for s, ts in starts.items()}

    def start_slots(self, session_id: str) -> tuple[str, ...]:
        """Slots where a run of the session may start, in time order."""
        return self._starts[session_id]

    def starts_covering(self, session_id: str, slot: str) -> tuple[str, ...]:
        """Start slots of the session whose run would cover `slot`."""
        return tuple(t for t in self.start_slots(session_id) if slot in self.covered(session_id, t))

    def placements(self) -> Iterable[tuple[tuple[str, str, str], cp_model.IntVar]]:
        """Every (session, start, class) with its variable."""
        return self._y.items()

    def attendances(self) -> Iterable[tuple[tuple[str, str, str], cp_model.IntVar]]:
        """Every (person, session, start) with its variable."""
        return self._a.items()

    # -- queries -------------------------------------------------------------------------------------

    def starts(self, session_id: str, slot: str) -> LinearExpr:
        """How many runs of the session start in `slot` (0 or 1 under the rules)."""
        return cp_model.LinearExpr.sum([v for (_, t, _), v in self.placements_of(session_id) if t == slot])

    def covers(self, session_id: str, slot: str) -> LinearExpr:
        """1 when a run of the session covers `slot`."""
        return cp_model.LinearExpr.sum(
            [v for (_, t, _), v in self.placements_of(session_id) if t in self.starts_covering(session_id, slot)]
        )

    def placed_in_class(self, session_id: str, slot: str) -> list[tuple[RoomClass, cp_model.IntVar]]:
        return [(self.class_by_id[c], v) for (_, t, c), v in self.placements_of(session_id) if t == slot]

    def attends(self, person_id: str, session_id: str, start: str) -> cp_model.IntVar | None:
        return self._a.get((person_id, session_id, start))

    def attendees(self, session_id: str, start: str) -> list[cp_model.IntVar]:
        """Attendance variables of the run of the session starting in `start`, in person order."""
        return [v for v in (self._a.get((p.id, session_id, start)) for p in self.participants) if v is not None]

    def granted(self, person_id: str, session_id: str) -> LinearExpr:
        """1 when the person attends some run of the session."""
        found = [self._a.get((person_id, session_id, t)) for t in self.start_slots(session_id)]
        return cp_model.LinearExpr.sum([v for v in found if v is not None])

    def present(self, person_id: str, slot: str) -> list[cp_model.IntVar]:
        """Attendance variables that would put the person into `slot`."""
        found = []
        for s in self.sessions:
            for t in self.starts_covering(s.id, slot):
                v = self._a.get((person_id, s.id, t))
                if v is not None:
                    found.append(v)
        return found

    def placements_of(self, session_id: str) -> list[tuple[tuple[str, str, str], cp_model.IntVar]]:
        """(session, start, class) keys and variables of one session."""
        return self._y_by_session.get(session_id, [])

    @cached_property
    def _y_by_session(self) -> dict[str, list[tuple[tuple[str, str, str], cp_model.IntVar]]]:
        grouped: dict[str, list[tuple[tuple[str, str, str], cp_model.IntVar]]] = {}
        for key, v in self._y.items():
            grouped.setdefault(key[0], []).append((key, v))
        return grouped

    # -- solutions -----------------------------------------------------------------------------------

    def extract(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> list[Placed]:
        """The runs of the solution: session, start, room class and attendees (sorted)."""
        placed = []
        for (s, t, c), v in self._y.items():
            if solver.boolean_value(v):
                people = tuple(
                    p.id
                    for p in self.participants
                    if (v2 := self._a.get((p.id, s, t))) is not None and solver.boolean_value(v2)
                )
                placed.append(Placed(s, t, c, people))
        return placed

    def hint(self, placed: Iterable[Placed]) -> None:
        """Hint every variable with a known solution (a complete hint is used best by CP-SAT)."""
        ys = {(r.session, r.start, r.room_class) for r in placed}
        attend = {(p, r.session, r.start) for r in placed for p in r.attendees}
        self.model.clear_hints()
        for key, v in self._y.items():
            self.model.add_hint(v, key in ys)
        for key, v in self._a.items():
            self.model.add_hint(v, key in attend)
