"""Late changes to an event, as an organiser meets them after the agendas went out (benchmark and tests).

Each function returns a new event; the same event and seed give the same change.
"""

from __future__ import annotations

import random
from dataclasses import replace

from scheduler.domain import Event, Person, Wish


def late_registrations(event: Event, count: int, seed: int = 0) -> Event:
    """`count` new participants whose wishes copy those of random registered people (so demand stays skewed)."""
    rng = random.Random(seed)
    models = [p for p in event.participants if p.wishes]
    new = []
    for i in range(1, count + 1):
        model = rng.choice(models)
        pid = f"spaet{i}@spaet.example.org"
        new.append(Person(pid, f"Späte Anmeldung {i}", pid, model.organisation, model.wishes))
    return replace(event, people=event.people + tuple(new))


def cancellations(event: Event, count: int, seed: int = 0) -> Event:
    """`count` participants who host nothing cancel (their rows removed)."""
    rng = random.Random(seed)
    hosts = set(event.hosted_sessions)
    gone = set(rng.sample(sorted(p.id for p in event.participants if p.id not in hosts), count))
    return replace(event, people=tuple(p for p in event.people if p.id not in gone))


def host_gone(event: Event) -> Event:
    """The host of the least wished single-run session falls ill: her session is dropped, she is no longer there."""
    demand = {s.id: sum(any(w.session == s.id for w in p.wishes) for p in event.people) for s in event.sessions}
    single = [s for s in event.sessions if s.runs == 1 and len(s.hosts) == 1]
    session = min(single, key=lambda s: (demand[s.id], s.id))
    host = session.hosts[0]
    others = {s for s in event.hosted_sessions.get(host, ()) if s != session.id}
    people = tuple(_without_wish(p, session.id) for p in event.people if p.id != host or others)
    return replace(event, sessions=tuple(s for s in event.sessions if s.id != session.id), people=people)


def room_removed(event: Event) -> Event:
    """The largest room is lost; where the event then has fewer room-slots than runs, it is halved instead."""
    room = max(event.rooms, key=lambda r: (r.capacity or 0, r.id))
    runs = sum(s.runs * s.duration for s in event.sessions)
    if (len(event.rooms) - 1) * len(event.session_slots) >= runs:
        sessions = tuple(replace(s, fixed_room=None) if s.fixed_room == room.id else s for s in event.sessions)
        return replace(event, rooms=tuple(r for r in event.rooms if r.id != room.id), sessions=sessions)
    smaller = replace(room, capacity=(room.capacity or len(event.participants)) // 2)
    return replace(event, rooms=tuple(smaller if r.id == room.id else r for r in event.rooms))


def all_at_once(event: Event, seed: int = 0) -> Event:
    return room_removed(host_gone(cancellations(late_registrations(event, 10, seed), 8, seed)))


def _without_wish(person: Person, session: str) -> Person:
    kept = [w.session for w in person.wishes if w.session != session]
    return replace(person, wishes=tuple(Wish(s, rank) for rank, s in enumerate(kept, start=1)))
