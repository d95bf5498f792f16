"""What every output shows, as frozen records: runs, the grid, personal agendas, statistics.

The records hold domain objects and numbers, never text in a language: each exporter renders them with the
labels of `scheduler.export.labels`, so all outputs show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Literal

from scheduler.domain import Event, Person, Room, Session, Slot
from scheduler.networking.measure import NetworkingFigures
from scheduler.plan import Plan
from scheduler.problems import Problem

BlockKind = Literal["plenary", "session", "hosting", "networking", "unavailable", "free"]


@dataclass(frozen=True)
class RunView:
    """One run of a session in its slot(s) and room, with who hosts and who attends."""

    session: Session
    run: int
    runs: int  # how many runs the session has in the plan
    slots: tuple[Slot, ...]
    room: Room
    hosts: tuple[Person, ...]
    attendees: tuple[Person, ...]
    capacity: int | None  # min(session capacity, room capacity); None: unlimited
    wish_ranks: tuple[int, ...]  # [r - 1]: attendees for whom this session is wish r
    organisations: tuple[tuple[str, int], ...]  # attendees per organisation, largest first

    @property
    def key(self) -> str:
        """`S04` for a session with one run, `S04-2` for its second run when it has several."""
        return self.session.id if self.runs == 1 else f"{self.session.id}-{self.run}"

    @property
    def title(self) -> str:
        return self.session.title

    @property
    def start(self) -> time:
        return self.slots[0].start

    @property
    def end(self) -> time:
        return self.slots[-1].end

    @property
    def fill(self) -> int:
        return len(self.attendees)

    @property
    def fill_rate(self) -> float | None:
        return self.fill / self.capacity if self.capacity else None

    @property
    def largest_share(self) -> float:
        """The share of the attendees from the best represented organisation (0 for an empty run)."""
        return self.organisations[0][1] / self.fill if self.fill else 0.0


@dataclass(frozen=True)
class GroupView:
    """One group of a networking round: its number (Gruppe 01 …), its members and its moderator."""

    slot: Slot
    id: str  # G01 …
    number: int  # 1-based, as the room is named
    members: tuple[Person, ...]
    moderator: Person | None


@dataclass(frozen=True)
class RoundView:
    """The groups of one networking slot, in group order."""

    slot: Slot
    groups: tuple[GroupView, ...]


@dataclass(frozen=True)
class GridRow:
    """One slot of the day: a plenary block, or per room (in the event's order) the run there."""

    slot: Slot
    cells: tuple[RunView | None, ...]
    link: str = ""  # a plenary block's room link (its own, else the event's main room link)

    @property
    def plenary(self) -> bool:
        return self.slot.kind == "plenary"

    @property
    def networking(self) -> bool:
        return self.slot.kind == "networking"


@dataclass(frozen=True)
class AgendaBlock:
    """A block of one person's day: consecutive slots spent in the same way."""

    kind: BlockKind
    slots: tuple[Slot, ...]
    run: RunView | None = None  # the run attended or hosted
    wish_rank: int | None = None  # which wish an attended run fulfils
    link: str = ""  # where to join: the run's room link, else (and for plenary blocks) the main room link
    group: GroupView | None = None  # the networking group the person is in

    @property
    def start(self) -> time:
        return self.slots[0].start

    @property
    def end(self) -> time:
        return self.slots[-1].end

    @property
    def title(self) -> str:
        """The session title, the plenary block's title, or empty."""
        if self.run is not None:
            return self.run.title
        return self.slots[0].title if self.kind in ("plenary", "networking") else ""


@dataclass(frozen=True)
class PersonAgenda:
    """One person's whole day and how well their wishes were met (no figures for host-only people)."""

    person: Person
    blocks: tuple[AgendaBlock, ...]
    granted: tuple[int, ...]  # ranks of the wishes granted
    possible: int | None  # min(#wishes, #session slots the person can attend)
    shortfall: int | None

    @property
    def hosting(self) -> tuple[RunView, ...]:
        return tuple(b.run for b in self.blocks if b.kind == "hosting" and b.run is not None)

    def block_at(self, slot_id: str) -> AgendaBlock | None:
        return next((b for b in self.blocks if any(s.id == slot_id for s in b.slots)), None)


@dataclass(frozen=True)
class Statistics:
    """Figures about the whole plan, recomputed from the plan itself."""

    participants: int
    rank_count: int
    wished_by_rank: tuple[int, ...]  # [r - 1]: participants who gave an r-th wish
    granted_by_rank: tuple[int, ...]  # [r - 1]: participants whose r-th wish was granted
    granted_counts: tuple[tuple[int, int], ...]  # (wishes granted, participants), from 0 up
    shortfalls: tuple[tuple[int, int], ...]  # (shortfall, participants), from 0 up
    max_shortfall: int
    weighted: int
    violations: int  # hard-rule violations the validator found


@dataclass(frozen=True)
class PlanView:
    """Everything the outputs show for one (event, plan), computed once by `build_view`."""

    event: Event
    plan: Plan
    runs: tuple[RunView, ...]  # in time order, then room order
    grid: tuple[GridRow, ...]
    agendas: tuple[PersonAgenda, ...]  # in the event's order of people
    statistics: Statistics
    warnings: tuple[Problem, ...]  # from import and planning, then what the view found
    missing_email: tuple[Person, ...]  # people who cannot be pre-assigned or mailed
    networking: tuple[RoundView, ...] = ()  # the groups of each networking slot, in time order
    networking_figures: NetworkingFigures | None = None  # repeats, same-organisation pairs against the bound, …
    _agenda_index: dict[str, PersonAgenda] = field(default_factory=dict, repr=False, compare=False)

    def agenda(self, person_id: str) -> PersonAgenda:
        return self._agenda_index[person_id]

    def runs_in(self, slot_id: str) -> tuple[RunView, ...]:
        """The runs covering a session slot, in room order."""
        return tuple(r for r in self.runs if any(s.id == slot_id for s in r.slots))
