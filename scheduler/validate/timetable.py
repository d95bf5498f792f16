"""Hard rules about where runs are: ids, run numbers, slots, rooms, fixed places, features, capacity.

Each check is a small generator of `Violation`s named by its rule, in the style of PyconUK's labelled
constraints; `validate` runs them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations

from scheduler.domain import Event
from scheduler.plan import Plan, Run
from scheduler.text import Lang, Text
from scheduler.validate.facts import known_runs, run_name, slot_order
from scheduler.validate.report import Violation


def unknown_ids(event: Event, plan: Plan) -> Iterator[Violation]:
    """Every session, room, slot and person the plan names must exist in the event."""
    slots = {s.id for s in event.slots}
    rooms = {r.id for r in event.rooms}
    sessions = {s.id for s in event.sessions}
    people = {p.id for p in event.people}
    for run in plan.runs:
        name = run_name(run)
        if run.session not in sessions:
            yield Violation(
                "unknown_session",
                (run.session,),
                Text(f"Session {run.session} gibt es nicht.", f"There is no session {run.session}."),
            )
        if run.room not in rooms:
            yield Violation(
                "unknown_room",
                (run.room, run.session),
                Text(f"{name('de')}: Raum {run.room} gibt es nicht.", f"{name('en')}: there is no room {run.room}."),
            )
        for slot in run.slots:
            if slot not in slots:
                yield Violation(
                    "unknown_slot",
                    (slot, run.session),
                    Text(
                        f"{name('de')}: Zeitfenster {slot} gibt es nicht.",
                        f"{name('en')}: there is no slot {slot}.",
                    ),
                )
        for person in run.attendees:
            if person not in people:
                yield Violation(
                    "unknown_person",
                    (person, run.session),
                    Text(
                        f"{name('de')}: Person {person} gibt es nicht.",
                        f"{name('en')}: there is no person {person}.",
                    ),
                )


def not_a_participant(event: Event, plan: Plan) -> Iterator[Violation]:
    """Only registered participants attend; a person who only hosts is never an attendee."""
    people = {p.id: p for p in event.people}
    for run in plan.runs:
        for person in run.attendees:
            if person in people and not people[person].participant:
                name = run_name(run)
                yield Violation(
                    "not_a_participant",
                    (person, run.session),
                    Text(
                        f"{name('de')}: {person} ist nicht angemeldet und kann nicht teilnehmen.",
                        f"{name('en')}: {person} is not registered and cannot attend.",
                    ),
                )


def run_count(event: Event, plan: Plan) -> Iterator[Violation]:
    """Every session has exactly its `Durchläufe` runs, numbered 1 to that number, each once."""
    numbers: dict[str, Counter[int]] = {s.id: Counter() for s in event.sessions}
    for run in known_runs(event, plan):
        numbers[run.session][run.run] += 1
    for session in event.sessions:
        have = numbers[session.id]
        expected = range(1, session.runs + 1)
        missing = [n for n in expected if n not in have]
        extra = sorted(n for n, count in have.items() if n not in expected or count > 1)
        if missing or extra:
            yield Violation(
                "run_count",
                (session.id,),
                Text(
                    f"Session {session.id} braucht die Durchläufe 1 bis {session.runs};"
                    f" fehlend: {_numbers(missing)}, überzählig: {_numbers(extra)}.",
                    f"Session {session.id} needs runs 1 to {session.runs};"
                    f" missing: {_numbers(missing)}, extra: {_numbers(extra)}.",
                ),
            )


def _numbers(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers)) or "–"


def run_slots(event: Event, plan: Plan) -> Iterator[Violation]:
    """A run starts in a session slot and covers exactly `Dauer` consecutive session slots."""
    starts = {s.id for s in event.session_slots}
    slots = {s.id for s in event.slots}
    for run in known_runs(event, plan):
        if not slots.issuperset(run.slots):
            continue  # reported as unknown_slot
        duration = event.session(run.session).duration
        expected: tuple[str, ...] = ()
        if run.slots and run.slots[0] in starts:
            expected = event.covered_slots(run.slots[0], duration)
        if len(expected) != duration or run.slots != expected:
            name = run_name(run)
            given = ", ".join(run.slots) or "–"
            yield Violation(
                "run_slots",
                (run.session, *run.slots),
                Text(
                    f"{name('de')} liegt in {given}, braucht aber {duration} aufeinanderfolgende Session-Zeitfenster.",
                    f"{name('en')} is in {given} but needs {duration} consecutive session slots.",
                ),
            )


def room_double_booked(event: Event, plan: Plan) -> Iterator[Violation]:
    """A room holds at most one run per slot."""
    by_place: dict[tuple[str, str], list[Run]] = defaultdict(list)
    for run in plan.runs:
        for slot in dict.fromkeys(run.slots):
            by_place[run.room, slot].append(run)
    order = slot_order(event)
    for (room, slot), runs in sorted(by_place.items(), key=lambda item: (item[0][0], order.get(item[0][1], -1))):
        if len(runs) > 1:
            names = [run_name(r) for r in runs]
            yield Violation(
                "room_double_booked",
                (room, slot, *(r.session for r in runs)),
                Text(
                    f"Raum {room} ist in Zeitfenster {slot} mehrfach belegt: {_join(names, 'de')}.",
                    f"Room {room} is double-booked in slot {slot}: {_join(names, 'en')}.",
                ),
            )


def _join(names: list[Text], lang: Lang) -> str:
    return ", ".join(n(lang) for n in names)


def fixed_slot(event: Event, plan: Plan) -> Iterator[Violation]:
    """A session with a fixed `Zeitfenster` starts every run there."""
    for run in known_runs(event, plan):
        fixed = event.session(run.session).fixed_slot
        if fixed is not None and run.slots[:1] != (fixed,):
            name = run_name(run)
            yield Violation(
                "fixed_slot",
                (run.session, fixed),
                Text(
                    f"{name('de')} muss in Zeitfenster {fixed} beginnen.",
                    f"{name('en')} must start in slot {fixed}.",
                ),
            )


def fixed_room(event: Event, plan: Plan) -> Iterator[Violation]:
    """A session with a fixed `Raum` runs only there."""
    for run in known_runs(event, plan):
        fixed = event.session(run.session).fixed_room
        if fixed is not None and run.room != fixed:
            name = run_name(run)
            yield Violation(
                "fixed_room",
                (run.session, fixed),
                Text(f"{name('de')} muss in Raum {fixed} liegen.", f"{name('en')} must be in room {fixed}."),
            )


def not_in(event: Event, plan: Plan) -> Iterator[Violation]:
    """No run covers a slot listed in its session's `Nicht in`."""
    for run in known_runs(event, plan):
        for slot in run.slots:
            if slot in event.session(run.session).not_in:
                name = run_name(run)
                yield Violation(
                    "not_in",
                    (run.session, slot),
                    Text(
                        f"{name('de')} darf nicht in Zeitfenster {slot} liegen.",
                        f"{name('en')} must not be in slot {slot}.",
                    ),
                )


def room_features(event: Event, plan: Plan) -> Iterator[Violation]:
    """The room of a run has every feature its session requires."""
    rooms = {r.id: r for r in event.rooms}
    for run in known_runs(event, plan):
        if run.room not in rooms:
            continue
        missing = sorted(event.session(run.session).features - rooms[run.room].features)
        if missing:
            name = run_name(run)
            yield Violation(
                "room_features",
                (run.session, run.room),
                Text(
                    f"{name('de')}: Raum {run.room} fehlen die Merkmale {', '.join(missing)}.",
                    f"{name('en')}: room {run.room} lacks the features {', '.join(missing)}.",
                ),
            )


def runs_overlap(event: Event, plan: Plan) -> Iterator[Violation]:
    """Runs of one session are in different slots."""
    by_session: dict[str, list[Run]] = defaultdict(list)
    for run in known_runs(event, plan):
        by_session[run.session].append(run)
    for session, runs in by_session.items():
        for a, b in combinations(runs, 2):
            shared = [t for t in a.slots if t in b.slots]
            if shared:
                yield Violation(
                    "runs_overlap",
                    (session, *shared),
                    Text(
                        f"Session {session}: Durchläufe {a.run} und {b.run} liegen beide in {', '.join(shared)}.",
                        f"Session {session}: runs {a.run} and {b.run} are both in {', '.join(shared)}.",
                    ),
                )


def capacity(event: Event, plan: Plan) -> Iterator[Violation]:
    """Attendance of a run is at most min(session capacity, room capacity) and at least the session minimum."""
    rooms = {r.id: r for r in event.rooms}
    for run in known_runs(event, plan):
        session = event.session(run.session)
        room_capacity = rooms[run.room].capacity if run.room in rooms else None
        limits = [c for c in (session.capacity, room_capacity) if c is not None]
        count = len(run.attendees)
        name = run_name(run)
        if limits and count > min(limits):
            yield Violation(
                "over_capacity",
                (run.session, run.room),
                Text(
                    f"{name('de')} hat {count} Teilnehmende, aber nur {min(limits)} Plätze.",
                    f"{name('en')} has {count} attendees but only {min(limits)} seats.",
                ),
            )
        if count < session.minimum:
            yield Violation(
                "under_minimum",
                (run.session,),
                Text(
                    f"{name('de')} hat {count} Teilnehmende, mindestens {session.minimum} sind nötig.",
                    f"{name('en')} has {count} attendees, at least {session.minimum} are needed.",
                ),
            )


def not_parallel(event: Event, plan: Plan) -> Iterator[Violation]:
    """Sessions named in `Nicht parallel zu` never share a slot."""
    slots: dict[str, set[str]] = defaultdict(set)
    for run in known_runs(event, plan):
        slots[run.session] |= set(run.slots)
    order = slot_order(event)
    for a, b in event.not_parallel_pairs:
        for slot in sorted(slots[a] & slots[b], key=lambda t: order.get(t, -1)):
            yield Violation(
                "not_parallel",
                (a, b, slot),
                Text(
                    f"Die Sessions {a} und {b} dürfen nicht parallel liegen (Nicht parallel zu), liegen aber beide "
                    f"in Zeitfenster {slot}.",
                    f"Sessions {a} and {b} must not run in parallel (Not parallel to), but both are in slot {slot}.",
                ),
            )
