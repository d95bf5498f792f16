"""Hand edits of a plan workbook as rules of the event, so that any planner keeps them without knowing them.

A moved run of a session that runs once becomes its fixed `Zeitfenster` and `Raum`; a seat set by hand becomes a
`Fest` entry of the person (the person attends that session; where it runs is the planner's, unless the run is
pinned too); a seat cleared by hand makes the person unavailable in that slot. The planner then
keeps them like the organiser's own rules: in the CP-SAT model, in the heuristics, in the validator and in the
explanations. What cannot be said that way (a run of a session with several runs, a session or room no longer
in the event, a seat in a session the person hosts) is handed back for the caller to keep otherwise.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.domain import Event
from scheduler.plan import HandEdits, RunPin, SeatPin


def pinned_event(event: Event, edits: HandEdits) -> tuple[Event, HandEdits]:
    """The event with the edits as fixed slots and rooms, `Fest` entries and unavailability; and the edits left."""
    sessions = {s.id: s for s in event.sessions}
    rooms = {r.id for r in event.rooms}
    left_runs: list[RunPin] = []
    for pin in edits.runs:
        session = sessions.get(pin.session)
        if (
            session is None
            or session.runs != 1
            or pin.room not in rooms
            or pin.slot not in event.start_slots(session.duration)
        ):
            left_runs.append(pin)
            continue
        sessions[pin.session] = replace(session, fixed_slot=pin.slot, fixed_room=pin.room)
    people = {p.id: p for p in event.people}
    left_seats: list[SeatPin] = []
    slots = {s.id for s in event.session_slots}
    for seat in edits.seats:
        person = people.get(seat.person)
        if person is None or not person.participant or seat.slot not in slots:
            left_seats.append(seat)
        elif seat.session is None:
            people[seat.person] = replace(person, unavailable=person.unavailable | {seat.slot})
        elif seat.session in sessions and seat.person not in sessions[seat.session].hosts:
            people[seat.person] = replace(person, fixed=person.fixed | {seat.session})
        else:
            left_seats.append(seat)
    pinned = replace(event, sessions=tuple(sessions.values()), people=tuple(people.values()))
    return pinned, HandEdits(tuple(left_runs), tuple(left_seats))
