"""Finding a person's agenda by what an organiser types: an e-mail, a full name, or part of a name."""

from __future__ import annotations

import difflib

from scheduler.views.records import PersonAgenda, PlanView


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def find_agendas(view: PlanView, query: str) -> list[PersonAgenda]:
    """Exact e-mail or id first, then the exact name, then names or e-mails containing the query."""
    wanted = normalise(query)
    if not wanted:
        return []
    for test in (
        lambda a: wanted in (a.person.id, normalise(a.person.email)),
        lambda a: normalise(a.person.name) == wanted,
        lambda a: wanted in normalise(a.person.name) or wanted in normalise(a.person.email),
    ):
        found = [a for a in view.agendas if test(a)]
        if found:
            return found
    return []


def closest_names(view: PlanView, query: str, count: int = 3) -> list[str]:
    """The names most like the query, for a "did you mean" hint."""
    names = {normalise(a.person.name): a.person.name for a in view.agendas}
    return [names[n] for n in difflib.get_close_matches(normalise(query), list(names), n=count, cutoff=0.6)]
