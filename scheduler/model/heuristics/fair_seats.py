"""Flow seats that are fair at little cost: personal bonuses for the people a seating leaves furthest short.

The flow seats slot by slot, and its own fairness device (a bonus once a person's shortfall is sure to grow)
acts late, when the popular runs are already full, so it buys fairness with many weighted wishes (5,000
people: largest shortfall 4 at 43,773 weighted). Instead, seat with shortfalls up to a target tolerated, give
every person still above the target one more unit of weight on each of their wishes, and seat again: a
subgradient step on the constraint "nobody above the target". A few rounds bring everyone to the target
(5,000 people: largest shortfall 3 at 45,883 weighted, seven seatings). Every seating is a complete, valid
plan, so the best one seen is kept whether or not the target is reached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.domain import Event
from scheduler.model.facts import Placed, Timetable
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.score import evaluate, rank, shortfall_target

BONUS_ROUNDS = 8  # seatings per target at most


@dataclass
class FairSeats:
    """The best seating found, the flow settings that made it (to seat similar timetables alike), and the cost."""

    placed: list[Placed] | None = None
    tolerated: int = 0
    bonus: dict[str, int] = field(default_factory=dict)
    seatings: int = 0

    def keep(self, placed: list[Placed] | None, tolerated: int, bonus: dict[str, int], event: Event) -> None:
        self.seatings += 1
        if placed is not None and rank(event, placed) < self.rank(event):
            self.placed, self.tolerated, self.bonus = placed, tolerated, dict(bonus)

    def rank(self, event: Event) -> tuple[int, int]:
        """The objective key of the seating; no seating ranks last."""
        return rank(event, self.placed) if self.placed is not None else (event.rank_count + 1, 0)


def fair_seats(
    event: Event, timetable: Timetable, rounds: int = BONUS_ROUNDS, stopped: Callable[[], bool] = lambda: False
) -> FairSeats:
    """The best flow seating over targets: one below the protective seating's largest shortfall, else that
    largest shortfall itself (for more weighted wishes at equal fairness). `stopped` ends the rounds early."""
    best = FairSeats()
    best.keep(assign_seats(event, timetable), 0, {}, event)
    if best.placed is None:
        return best
    first = evaluate(event, best.placed).max_shortfall
    if first == 0 or not _bonus_rounds(event, timetable, first - 1, rounds, best, stopped):
        _bonus_rounds(event, timetable, first, rounds, best, stopped)  # nothing fairer: more wishes, equal fairness
    return best


def _bonus_rounds(
    event: Event, timetable: Timetable, target: int, rounds: int, best: FairSeats, stopped: Callable[[], bool]
) -> bool:
    """Seat with rising bonuses for the people above `target` into `best`; True when the target was reached."""
    bonus: Counter[str] = Counter()
    for _ in range(rounds):
        if stopped():
            return False
        placed = assign_seats(event, timetable, target, bonus)
        best.keep(placed, target, bonus, event)
        if placed is None:
            return False
        above = [p for p, short in _shortfalls(event, placed).items() if short > target]
        if not above:
            return True
        bonus.update(above)
    return False


def _shortfalls(event: Event, placed: list[Placed]) -> dict[str, int]:
    granted: dict[str, set[str]] = {}
    for run in placed:
        for person in run.attendees:
            granted.setdefault(person, set()).add(run.session)
    return {
        p.id: shortfall_target(event, p) - sum(w.session in granted.get(p.id, ()) for w in p.wishes)
        for p in event.participants
    }
