"""A plan: runs placed in slots and rooms with their attendees, plus how the solver got there.

Ids only, never list positions, so any plan (solved, loaded from a file, made by hand) can be validated and
rendered the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scheduler.problems import Problem


@dataclass(frozen=True)
class Run:
    session: str
    run: int  # 1-based number of this run of the session
    slots: tuple[str, ...]  # the session slots it covers, in time order
    room: str
    attendees: tuple[str, ...]  # participant ids, hosts not included


@dataclass(frozen=True)
class SolverInfo:
    status: str  # OPTIMAL | FEASIBLE (| the name of a baseline for benchmark plans)
    seconds: float = 0.0
    seed: int = 0
    time_limit: float = 60.0
    interrupted: bool = False  # stopped by the user before the time limit


@dataclass(frozen=True)
class Objective:
    max_shortfall: int
    weighted: int
    weighted_bound: int


@dataclass(frozen=True)
class Plan:
    runs: tuple[Run, ...]
    solver: SolverInfo
    objective: Objective
    warnings: tuple[Problem, ...] = ()
    # participant id -> slot id -> session, as a plan file states it (`participants[].agenda`); None when the
    # plan states none. Outputs use the runs; `verify` checks that the two agree (rule `agenda_mismatch`).
    stated_agendas: Mapping[str, Mapping[str, str | None]] | None = field(default=None, compare=False)

    def agenda(self, person_id: str, session_slots: tuple[str, ...]) -> dict[str, Run | None]:
        """Slot id -> the run the person attends there (None while hosting, unavailable or unplaced)."""
        agenda: dict[str, Run | None] = dict.fromkeys(session_slots)
        for run in self.runs:
            if person_id in run.attendees:
                for slot in run.slots:
                    agenda[slot] = run
        return agenda


@dataclass(frozen=True)
class RunPin:
    """A run the organiser placed by hand in the plan workbook (`Sessions` sheet); `plan --previous` keeps it."""

    session: str
    run: int
    slot: str  # start slot
    room: str


@dataclass(frozen=True)
class SeatPin:
    """A seat the organiser set by hand in the plan workbook (`Teilnehmende` sheet); `plan --previous` keeps it."""

    person: str
    slot: str
    session: str | None  # None: the person attends nothing in that slot


@dataclass(frozen=True)
class HandEdits:
    """What the organiser changed in a plan workbook against the plan it was written from."""

    runs: tuple[RunPin, ...] = ()
    seats: tuple[SeatPin, ...] = ()
