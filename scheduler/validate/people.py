"""Hard rules about people: hosts in one place and available, participants with a full agenda.

A host is busy for every run of every session that names them; in the other session slots a registered host
is a participant like everyone else.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from scheduler.domain import Event
from scheduler.plan import Plan, Run
from scheduler.text import Text
from scheduler.validate.facts import hosted_runs, hosting_slots, slot_order
from scheduler.validate.report import Violation


def attendance(plan: Plan) -> dict[str, list[Run]]:
    """Person id -> the runs they attend (once per listing, so a duplicate shows up)."""
    attends: dict[str, list[Run]] = defaultdict(list)
    for run in plan.runs:
        for person in run.attendees:
            attends[person].append(run)
    return attends


def _slot_counts(runs: list[Run]) -> Counter[str]:
    return Counter(t for run in runs for t in dict.fromkeys(run.slots))


def host_double_booked(event: Event, plan: Plan) -> Iterator[Violation]:
    """A host hosts at most one run per slot, across all the sessions they host."""
    order = slot_order(event)
    for host, runs in sorted(hosted_runs(event, plan).items()):
        for slot, count in sorted(_slot_counts(runs).items(), key=lambda item: order.get(item[0], -1)):
            if count > 1:
                sessions = sorted({r.session for r in runs if slot in r.slots})
                yield Violation(
                    "host_double_booked",
                    (host, slot, *sessions),
                    Text(
                        f"{host} leitet in Zeitfenster {slot} {count} Durchläufe: {', '.join(sessions)}.",
                        f"{host} hosts {count} runs in slot {slot}: {', '.join(sessions)}.",
                    ),
                )


def host_attending(event: Event, plan: Plan) -> Iterator[Violation]:
    """A host never attends a run in a slot in which they host."""
    hosting = hosting_slots(event, plan)
    attends = attendance(plan)
    for host in sorted(hosting):
        for run in attends.get(host, []):
            for slot in run.slots:
                if slot in hosting[host]:
                    yield Violation(
                        "host_attending",
                        (host, slot, run.session),
                        Text(
                            f"{host} leitet in Zeitfenster {slot} und nimmt zugleich an {run.session} teil.",
                            f"{host} hosts a session in slot {slot} and attends {run.session} at the same time.",
                        ),
                    )


def host_unavailable(event: Event, plan: Plan) -> Iterator[Violation]:
    """A host is available in every slot their runs cover."""
    for host, runs in sorted(hosted_runs(event, plan).items()):
        unavailable = event.person(host).unavailable
        for run in runs:
            for slot in run.slots:
                if slot in unavailable:
                    yield Violation(
                        "host_unavailable",
                        (host, slot, run.session),
                        Text(
                            f"{host} leitet {run.session} in Zeitfenster {slot}, ist da aber nicht verfügbar.",
                            f"{host} hosts {run.session} in slot {slot} but is not available then.",
                        ),
                    )


def attendee_double_booked(event: Event, plan: Plan) -> Iterator[Violation]:
    """A participant is in at most one run per slot."""
    order = slot_order(event)
    for person, runs in sorted(attendance(plan).items()):
        for slot, count in sorted(_slot_counts(runs).items(), key=lambda item: order.get(item[0], -1)):
            if count > 1:
                sessions = sorted({r.session for r in runs if slot in r.slots})
                yield Violation(
                    "attendee_double_booked",
                    (person, slot, *sessions),
                    Text(
                        f"{person} ist in Zeitfenster {slot} {count}-mal eingeteilt: {', '.join(sessions)}.",
                        f"{person} is placed {count} times in slot {slot}: {', '.join(sessions)}.",
                    ),
                )


def session_twice(event: Event, plan: Plan) -> Iterator[Violation]:
    """A participant attends each session at most once, whatever its number of runs."""
    for person, runs in sorted(attendance(plan).items()):
        for session, count in sorted(Counter(r.session for r in runs).items()):
            if count > 1:
                yield Violation(
                    "session_twice",
                    (person, session),
                    Text(
                        f"{person} ist {count}-mal in Session {session} eingeteilt.",
                        f"{person} is placed {count} times in session {session}.",
                    ),
                )


def attendee_unavailable(event: Event, plan: Plan) -> Iterator[Violation]:
    """A participant never attends a run covering a slot in which they are not available."""
    people = {p.id: p for p in event.people}
    for person, runs in sorted(attendance(plan).items()):
        if person not in people:
            continue
        for run in runs:
            for slot in run.slots:
                if slot in people[person].unavailable:
                    yield Violation(
                        "attendee_unavailable",
                        (person, slot, run.session),
                        Text(
                            f"{person} ist in Zeitfenster {slot} nicht verfügbar, aber in {run.session} eingeteilt.",
                            f"{person} is not available in slot {slot} but is placed in {run.session}.",
                        ),
                    )


def agenda_incomplete(event: Event, plan: Plan) -> Iterator[Violation]:
    """A participant attends a run in every session slot where they are available and not hosting."""
    hosting = hosting_slots(event, plan)
    attends = attendance(plan)
    for p in event.participants:
        placed = {t for run in attends.get(p.id, []) for t in run.slots}
        busy = hosting.get(p.id, set()) | p.unavailable | placed
        empty = [s.id for s in event.session_slots if s.id not in busy]
        if empty:
            yield Violation(
                "agenda_incomplete",
                (p.id, *empty),
                Text(
                    f"{p.id} ist verfügbar, aber in Zeitfenster {', '.join(empty)} keiner Session zugeteilt.",
                    f"{p.id} is available but placed in no session in slot(s) {', '.join(empty)}.",
                ),
            )


def fixed_attendance(event: Event, plan: Plan) -> Iterator[Violation]:
    """A participant fixed (`Fest`) to a session attends a run of it."""
    attends = attendance(plan)
    for p in event.participants:
        attended = {run.session for run in attends.get(p.id, [])}
        for session in sorted(p.fixed - attended):
            yield Violation(
                "fixed_attendance",
                (p.id, session),
                Text(
                    f"{p.id} ist fest in Session {session} eingeteilt (Fest), nimmt aber nicht daran teil.",
                    f"{p.id} is fixed to session {session} (Fixed) but does not attend it.",
                ),
            )


def agenda_mismatch(event: Event, plan: Plan) -> Iterator[Violation]:
    """Each agenda a plan file states names, per slot, the session the runs seat the person in."""
    if plan.stated_agendas is None:
        return
    seated: dict[str, dict[str, str]] = defaultdict(dict)
    for run in plan.runs:
        for person in run.attendees:
            for slot in run.slots:
                seated[person][slot] = run.session
    session_slots = [s.id for s in event.session_slots]
    for person, stated in sorted(plan.stated_agendas.items()):
        for slot in [*session_slots, *sorted(set(stated) - set(session_slots))]:
            says, runs = stated.get(slot), seated[person].get(slot)
            if says != runs:
                yield Violation(
                    "agenda_mismatch",
                    (person, slot),
                    Text(
                        f"Die Agenda von {person} nennt in Zeitfenster {slot} {says or 'keine Session'}, "
                        f"laut den Teilnehmendenlisten der Sessions ist es {runs or 'keine Session'}.",
                        f"The agenda of {person} names {says or 'no session'} in slot {slot}; "
                        f"the sessions' attendee lists give {runs or 'no session'}.",
                    ),
                )
