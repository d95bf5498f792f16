"""What the validator found: named rule violations and the objective recomputed from the plan alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.networking.measure import NetworkingFigures
from scheduler.text import Lang, Text


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


# One sentence per rule code, what `verify` shows before the code; kept in one table so that it can become part
# of a registry of rules later.
RULE_NAMES: dict[str, Text] = {
    "unknown_session": Text("Jede Session im Plan gibt es in der Veranstaltung", "Every session in the plan exists"),
    "unknown_room": Text("Jeder Raum im Plan gibt es in der Veranstaltung", "Every room in the plan exists"),
    "unknown_slot": Text("Jedes Zeitfenster im Plan gibt es in der Veranstaltung", "Every slot in the plan exists"),
    "unknown_person": Text("Jede Person im Plan gibt es in der Veranstaltung", "Every person in the plan exists"),
    "not_a_participant": Text("Nur Angemeldete nehmen teil", "Only registered people attend"),
    "run_count": Text("Jede Session hat genau ihre Durchläufe", "Every session has exactly its runs"),
    "run_slots": Text(
        "Ein Durchlauf liegt in so vielen aufeinanderfolgenden Zeitfenstern, wie die Session dauert",
        "A run covers as many consecutive slots as the session lasts",
    ),
    "room_double_booked": Text("Ein Raum fasst je Zeitfenster einen Durchlauf", "A room holds one run per slot"),
    "fixed_slot": Text("Feste Zeitfenster werden eingehalten", "Fixed slots are kept"),
    "fixed_room": Text("Feste Räume werden eingehalten", "Fixed rooms are kept"),
    "not_in": Text("„Nicht in“ wird eingehalten", "“Not in” is kept"),
    "room_features": Text("Der Raum hat die nötigen Merkmale", "The room has the features needed"),
    "runs_overlap": Text(
        "Die Durchläufe einer Session liegen in verschiedenen Zeitfenstern",
        "The runs of a session are in different slots",
    ),
    "over_capacity": Text("Nicht mehr Teilnehmende als Plätze", "No more participants than seats"),
    "under_minimum": Text("Mindestens so viele Teilnehmende wie verlangt", "At least the minimum of participants"),
    "host_double_booked": Text("Gastgeber*innen leiten je Zeitfenster eine Session", "Hosts host one session per slot"),
    "host_attending": Text("Wer gerade leitet, nimmt nicht zugleich teil", "Hosts do not attend while they host"),
    "host_unavailable": Text("Gastgeber*innen leiten nur, wenn sie verfügbar sind", "Hosts host only when available"),
    "attendee_double_booked": Text(
        "Jede Person ist je Zeitfenster in einer Session", "Everyone is in one session per slot"
    ),
    "session_twice": Text("Niemand besucht eine Session zweimal", "Nobody attends a session twice"),
    "attendee_unavailable": Text(
        "Niemand ist eingeteilt, wenn er nicht verfügbar ist", "Nobody is placed when unavailable"
    ),
    "agenda_incomplete": Text(
        "Wer verfügbar ist, hat in jedem Zeitfenster eine Session", "Everyone available has a session in every slot"
    ),
    "networking_slot": Text(
        "Gruppen gibt es nur für Vernetzungsrunden, je Runde eine Einteilung",
        "Groups exist for networking rounds only, one split per round",
    ),
    "networking_missing": Text("Jede Vernetzungsrunde hat ihre Gruppen", "Every networking round has its groups"),
    "networking_missing_person": Text(
        "Wer in einer Vernetzungsrunde anwesend ist, ist in einer Gruppe", "Everyone present in a round is in a group"
    ),
    "networking_twice": Text("Niemand ist in zwei Gruppen einer Runde", "Nobody is in two groups of one round"),
    "networking_unavailable": Text(
        "Niemand ist in einer Gruppe, wenn er nicht verfügbar ist", "Nobody is in a group when unavailable"
    ),
    "group_size": Text("Jede Gruppe hat die erlaubte Größe", "Every group has an allowed size"),
    "group_sizes_uneven": Text(
        "Die Gruppen einer Runde unterscheiden sich um höchstens eine Person",
        "The groups of a round differ by one person at most",
    ),
    "moderator_not_member": Text("Wer moderiert, ist in der Gruppe", "The moderator is in the group"),
    "moderator_not_moderator": Text(
        "Nur Angemeldete mit Moderation moderieren", "Only people registered as moderators moderate"
    ),
    "objective_mismatch": Text(
        "Die Zielwerte im Plan stimmen mit den nachgerechneten überein",
        "The plan's objective matches the recomputed one",
    ),
}


def rule_name(rule: str, lang: Lang) -> str:
    """The rule as a sentence with its code in brackets, e.g. `Nicht mehr Teilnehmende als Plätze (over_capacity)`."""
    name = RULE_NAMES.get(rule)
    return f"{name(lang)} ({rule})" if name is not None else rule
