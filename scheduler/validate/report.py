"""What the validator found: named rule violations and the objective recomputed from the plan alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.networking.measure import NetworkingFigures
from scheduler.text import Text


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: its short snake_case name, the ids involved and a sentence naming them."""

    rule: str
    ids: tuple[str, ...]
    message: Text


@dataclass(frozen=True)
class Score:
    """The objective of a plan as docs/contract.md defines it, with the per-person figures it is made of."""

    max_shortfall: int
    weighted: int
    shortfall: dict[str, int] = field(default_factory=dict)  # participant id -> shortfall
    granted: dict[str, tuple[int, ...]] = field(default_factory=dict)  # participant id -> granted wish ranks


@dataclass(frozen=True)
class Report:
    violations: list[Violation]
    score: Score
    networking: NetworkingFigures | None = None  # repeats, same-organisation pairs, …; None without networking slots

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def max_shortfall(self) -> int:
        return self.score.max_shortfall

    @property
    def weighted(self) -> int:
        return self.score.weighted

    @property
    def rules(self) -> set[str]:
        """The names of the rules broken, e.g. for a test or a summary line."""
        return {v.rule for v in self.violations}
