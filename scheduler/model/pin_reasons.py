"""Why the organiser's pins (`Fest`, `Nicht parallel zu`) make a plan impossible, in the organiser's words.

Counting checks, part of `counting.counting_findings` (each reason with its own fix). The
sentences for the guarded rules `not_parallel`, `fixed_apart` and `fixed_attendance`, when the solver's evidence
names them, are the rules' own in `scheduler/rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.domain import Event, Person, Session
from scheduler.model.facts import RoomClass, allowed_starts, seat_limit, session_name
from scheduler.text import Text


def _coverings(event: Event, s: Session, classes: tuple[RoomClass, ...], person: Person | None = None) -> set[tuple]:
    """The slot sets a run of the session can cover (for `person`: only those the person can attend)."""
    found = {event.covered_slots(t, s.duration) for t, _ in allowed_starts(event, s, classes)}
    if person is not None:
        found = {c for c in found if not set(c) & person.unavailable}
    return found


def _always_together(a: set[tuple], b: set[tuple]) -> list[str]:
    """The slots two sessions share in every pair of their possible places; empty when they can lie apart."""
    if not a or not b or any(not set(x) & set(y) for x in a for y in b):
        return []
    return sorted({t for x in a for y in b for t in set(x) & set(y)})


Reason = tuple[Text, Text]  # what does not add up, and the change that would cure it ("Abhilfe: ...")


def pin_reasons(event: Event, classes: tuple[RoomClass, ...]) -> list[Reason]:
    """Every pin that cannot hold, found by counting alone, each with its fix."""
    return [*_full(event, classes), *_people(event, classes), *_apart(event, classes)]


def _full(event: Event, classes: tuple[RoomClass, ...]) -> Iterable[Reason]:
    """More people fixed to a session than all its runs can seat."""
    for session_id, people in sorted(event.fixed_people.items()):
        s = event.session(session_id)
        usable = {c for _, c in allowed_starts(event, s, classes)}
        per_run = max((seat_limit(event, s, c) for c in classes if c.id in usable), default=0)
        if len(people) > s.runs * per_run:
            de, en = session_name(s), session_name(s, "en")
            yield (
                Text(
                    f"Session {de}: {len(people)} Personen sind fest eingeteilt (Fest), sie hat aber nur "
                    f"{s.runs * per_run} Plätze ({s.runs} Durchlauf × {per_run}).",
                    f"Session {en}: {len(people)} people are fixed to it (Fixed), but it has only "
                    f"{s.runs * per_run} seats ({s.runs} run(s) × {per_run}).",
                ),
                Text(
                    f"Abhilfe: höchstens {s.runs * per_run} Personen in „Fest“ für {s.id} eintragen, oder {s.id} mehr "
                    f"Plätze geben (Kapazität der Session oder des Raums, mehr Durchläufe).",
                    f"Fix: fix at most {s.runs * per_run} people to {s.id} in “Fixed”, or give {s.id} more seats "
                    f"(capacity of the session or the room, more runs).",
                ),
            )


def _people(event: Event, classes: tuple[RoomClass, ...]) -> Iterable[Reason]:
    """A person fixed to a session they can never attend, to two that always clash, or to more than they have time."""
    for p in sorted((p for p in event.participants if p.fixed), key=lambda p: p.id):
        fixed = sorted(p.fixed)
        hosted = list(event.hosted_sessions.get(p.id, ()))
        places = {s: _coverings(event, event.session(s), classes, p) for s in fixed + hosted}
        for s in fixed:
            if not places[s]:
                de, en = session_name(event.session(s)), session_name(event.session(s), "en")
                yield (
                    Text(
                        f"{p.name} ist fest für Session {de} eingeteilt (Fest), ist aber in keinem Zeitfenster "
                        f"verfügbar, in dem sie liegen kann.",
                        f"{p.name} is fixed to session {en} (Fixed) but is available in no slot it can be in.",
                    ),
                    Text(
                        f"Abhilfe: {s} bei {p.name} aus „Fest“ streichen, oder {p.name} in einem Zeitfenster "
                        f"verfügbar machen, in dem {s} liegen kann.",
                        f"Fix: remove {s} from {p.name}'s “Fixed”, or make {p.name} available in a slot {s} can be in.",
                    ),
                )
        for i, a in enumerate(fixed):
            for b in [*fixed[i + 1 :], *hosted]:
                shared = _always_together(places[a], places[b])
                if shared and event.session(a).runs == 1 and event.session(b).runs == 1:
                    how_de = "leitet" if b in hosted else "ist auch fest für"
                    how_en = "hosts" if b in hosted else "is also fixed to"
                    drop = a if b in hosted else f"{a} oder {b}"
                    drop_en = a if b in hosted else f"{a} or {b}"
                    yield (
                        Text(
                            f"{p.name} ist fest für {a} eingeteilt (Fest) und {how_de} {b}, aber beide können nur "
                            f"in {', '.join(shared)} liegen.",
                            f"{p.name} is fixed to {a} (Fixed) and {how_en} {b}, but both can only be in "
                            f"{', '.join(shared)}.",
                        ),
                        Text(
                            f"Abhilfe: {drop} bei {p.name} aus „Fest“ streichen, oder {a} oder {b} ein anderes "
                            f"Zeitfenster erlauben (festes Zeitfenster, „Nicht in“, Verfügbarkeit).",
                            f"Fix: remove {drop_en} from {p.name}'s “Fixed”, or allow {a} or {b} another slot "
                            f"(fixed slot, “Not in”, availability).",
                        ),
                    )
        busy = sum(event.session(s).duration for s in fixed)
        busy += sum(event.session(s).runs * event.session(s).duration for s in hosted)
        free = sum(t.id not in p.unavailable for t in event.session_slots)
        if busy > free:
            yield (
                Text(
                    f"{p.name} ist fest für {', '.join(fixed)} eingeteilt (Fest)"
                    + (f" und leitet {', '.join(hosted)}" if hosted else "")
                    + f", das sind {busy} Zeitfenster, aber nur {free} sind frei.",
                    f"{p.name} is fixed to {', '.join(fixed)} (Fixed)"
                    + (f" and hosts {', '.join(hosted)}" if hosted else "")
                    + f", that is {busy} slots, but only {free} are free.",
                ),
                Text(
                    f"Abhilfe: bei {p.name} Sessions aus „Fest“ streichen ({busy - free} Zeitfenster weniger), oder "
                    f"{p.name} in mehr Zeitfenstern verfügbar machen.",
                    f"Fix: remove sessions from {p.name}'s “Fixed” ({busy - free} slot(s) fewer), or make {p.name} "
                    f"available in more slots.",
                ),
            )


def _apart(event: Event, classes: tuple[RoomClass, ...]) -> Iterable[Reason]:
    """Two sessions not to run in parallel that can only lie together, or a group of them needing more slots."""
    places = {s.id: _coverings(event, s, classes) for s in event.sessions}
    for a, b in event.not_parallel_pairs:
        shared = _always_together(places[a], places[b])
        if shared and event.session(a).runs == 1 and event.session(b).runs == 1:
            yield (
                Text(
                    f"Die Sessions {a} und {b} dürfen nicht parallel liegen (Nicht parallel zu), können aber nur "
                    f"in {', '.join(shared)} liegen.",
                    f"Sessions {a} and {b} must not run in parallel (Not parallel to) but can only be in "
                    f"{', '.join(shared)}.",
                ),
                Text(
                    f"Abhilfe: das Paar {a}, {b} aus „Nicht parallel zu“ streichen, oder {a} oder {b} ein anderes "
                    f"Zeitfenster erlauben (festes Zeitfenster, „Nicht in“, Verfügbarkeit).",
                    f"Fix: remove the pair {a}, {b} from “Not parallel to”, or allow {a} or {b} another slot "
                    f"(fixed slot, “Not in”, availability).",
                ),
            )
    slots = len(event.session_slots)
    for group in _groups(event):
        needed = sum(event.session(s).runs * event.session(s).duration for s in group)
        if needed > slots:
            yield (
                Text(
                    f"Die Sessions {', '.join(group)} dürfen paarweise nicht parallel liegen (Nicht parallel zu) "
                    f"und brauchen so {needed} Zeitfenster, es gibt aber nur {slots}.",
                    f"Sessions {', '.join(group)} must pairwise not run in parallel (Not parallel to), so they "
                    f"need {needed} slots, but there are only {slots}.",
                ),
                Text(
                    f"Abhilfe: in „Nicht parallel zu“ Paare dieser Sessions streichen, oder ihre Durchläufe oder "
                    f"Dauer senken ({needed - slots} Zeitfenster zu viel).",
                    f"Fix: remove pairs of these sessions from “Not parallel to”, or lower their runs or durations "
                    f"({needed - slots} slot(s) too many).",
                ),
            )


def _groups(event: Event) -> list[tuple[str, ...]]:
    """Groups of sessions that must pairwise not share a slot: a greedy clique around each session, each once."""
    apart: dict[str, set[str]] = {}
    for a, b in event.not_parallel_pairs:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    groups: set[tuple[str, ...]] = set()
    for start in sorted(apart):
        group = [start]
        for other in sorted(apart[start]):
            if all(other in apart[g] for g in group):
                group.append(other)
        if len(group) > 2:
            groups.add(tuple(sorted(group)))
    return sorted(groups)
