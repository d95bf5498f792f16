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
class PhaseRecord:
    """One phase of the solve as it ran: the work it spent and the best plan after it.

    `spent` is in deterministic work units (seatings and branches converted), None when a proof found beside
    cut the phase short at a moment that varies from run to run. `max_shortfall` and `weighted` are the best
    plan's after the phase (None: no plan yet); `improvement` is how much fairer (shortfall) and better (weighted
    wishes) it made the best plan, None for the phase that found the first plan.
    """

    name: str
    spent: float | None = 0.0
    skipped: bool = False
    max_shortfall: int | None = None
    weighted: int | None = None
    improvement: tuple[int, int] | None = None


@dataclass(frozen=True)
class SolverInfo:
    status: str  # OPTIMAL | FEASIBLE (| the name of a baseline for benchmark plans)
    seconds: float = 0.0
    seed: int = 0
    time_limit: float = 60.0
    interrupted: bool = False  # stopped by the user before the time limit
    phases: tuple[PhaseRecord, ...] = ()  # what the solve ran, in order (empty for plans not solved here)
    # What ended the search (ENDED_BY); None for plans not solved here and for plan files written before it existed.
    ended_by: str | None = None


# What can end a search: a proof of the optimum, the deterministic work budget, the wall-clock time limit, the
# search had nothing left to try, or the user's Ctrl-C.
ENDED_BY = ("proof", "work", "time", "moves", "stop")


@dataclass(frozen=True)
class Objective:
    max_shortfall: int
    weighted: int
    weighted_bound: int
    terms: tuple[tuple[str, int], ...] = ()  # the networking mix's soft terms by name (see scheduler/rules.py)


@dataclass(frozen=True)
class Group:
    """One group of a networking round: who meets, and who moderates (a member, or None)."""

    id: str  # G01, G02, … within the round
    members: tuple[str, ...]  # person ids, participants and hosts alike
    moderator: str | None = None


@dataclass(frozen=True)
class NetworkingRound:
    """The groups of one networking slot (`Vernetzung`): everyone present is in exactly one group."""

    slot: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Plan:
    runs: tuple[Run, ...]
    solver: SolverInfo
    objective: Objective
    warnings: tuple[Problem, ...] = ()
    networking: tuple[NetworkingRound, ...] = ()  # one entry per networking slot, in time order
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
