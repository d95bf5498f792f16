"""A realistic synthetic event, deterministic for a seed: the project's example and benchmark source.

Shaped like the model case (docs/contract.md "Who uses it"): opening and closing plenary, parallel session slots of
60–75 minutes, digital rooms with links, sessions hosted by the programme's partners, registrations with
ranked wishes whose popularity is skewed and correlated with the person's organisation. Capacities are sized
against a greedy timetable (`witness`) so that every example has a plan, tight but comfortable.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date, time

from scheduler.domain import Event, Person, Room, Session, Slot
from scheduler.example.data import (
    FORMATS,
    GUEST_ORGANISATIONS,
    HOST_ORGANISATIONS,
    ROOM_NAMES,
    THEMES,
    Organisation,
    Theme,
)
from scheduler.example.people import MailBox, full_names, ranked_wishes, wishes_of
from scheduler.example.witness import Placement, seats_per_slot, witness_timetable
from scheduler.text import Text

EVENT_NAME = "Vernetzungstreffen Zukunftszentren 2021"
EVENT_DATE = date(2021, 10, 6)
MAIN_LINK = "https://zoom.example.org/j/61006202110"  # the plenary's main room (fixed: the seed varies the rest)
CONTACT = "Team Vernetzungstreffen, vernetzung@gsub.example.org, 030 555 0123"
SUBJECT = "Ihre Agenda für das Vernetzungstreffen Zukunftszentren am 6. Oktober 2021"
SENDER = "Team Vernetzungstreffen <vernetzung@gsub.example.org>"
MAX_SLOTS = 8  # more session slots no longer fit into one day
MAX_NETWORKING = 2  # networking rounds: one before lunch, one after
ROUND, LUNCH = 30, 45  # minutes of a networking round and of the lunch break
NETWORKING_TITLE = "Kennenlernrunde"
MODERATOR_SHARE = 0.12  # of the host organisations' registered staff, who moderate networking groups
AWAY_SHARE = 0.04  # of the participants, who miss one networking round
SEAT_MARGIN = 1.15  # seats per slot in the witness timetable, relative to all participants


class ExampleError(ValueError):
    """Sizes for which no sensible example exists."""

    def __init__(self, message: Text) -> None:
        super().__init__(message("en"))
        self.message = message


@dataclass
class _Draft:
    """The sessions while they are being shaped, before people and capacities are final."""

    ids: list[str]
    themes: list[Theme]
    organisations: list[str]
    popularity: list[float]


def generate_event(
    participants: int = 135, sessions: int = 14, slots: int = 3, rooms: int = 5, seed: int = 0, networking: int = 0
) -> Event:
    """The example event for these sizes; the same arguments always give the same event.

    `networking` rounds (0, 1 or 2: before lunch, after lunch) leave the sessions part as it is without them:
    their times move, but nothing of the random draws, so the session plan and its optimum stay the same.
    """
    _check_sizes(participants, sessions, slots, rooms)
    if not 0 <= networking <= MAX_NETWORKING:
        raise ExampleError(
            Text(
                f"Höchstens {MAX_NETWORKING} Vernetzungsrunden (vor und nach dem Mittag), angefragt: {networking}.",
                f"At most {MAX_NETWORKING} networking rounds (before and after lunch), asked for {networking}.",
            )
        )
    rng = random.Random(seed)
    timetable = _slots(slots, rng, networking)
    draft = _draft_sessions(sessions, rng)
    hosts, people = _people(participants, draft, rng)
    _add_unavailability(people, {h for hs in hosts for h in hs}, [s.id for s in timetable if s.kind == "session"], rng)
    base_sessions = _sessions(draft, hosts, slots * rooms, [s.id for s in timetable if s.kind == "session"])
    event = Event(
        name=EVENT_NAME,
        date=EVENT_DATE,
        slots=tuple(timetable),
        rooms=tuple(_rooms(rooms, rng)),
        sessions=tuple(base_sessions),
        people=tuple(people),
        wish_count=min(5, sessions),
        main_link=MAIN_LINK,
        contact=CONTACT,
        language="de",
        subject=SUBJECT,
        sender=SENDER,
    )
    return _with_networking(_sized(_with_limits(event, rng)), seed)


def _check_sizes(participants: int, sessions: int, slots: int, rooms: int) -> None:
    if participants < 1 or sessions < 1 or slots < 1 or rooms < 1:
        raise ExampleError(Text("Alle Größen müssen mindestens 1 sein.", "Every size must be at least 1."))
    if slots > MAX_SLOTS:
        raise ExampleError(
            Text(
                f"Höchstens {MAX_SLOTS} Zeitfenster passen in einen Tag (angefragt: {slots}).",
                f"At most {MAX_SLOTS} slots fit into one day (asked for {slots}).",
            )
        )
    if not slots <= sessions <= slots * rooms:
        raise ExampleError(
            Text(
                f"{sessions} Sessions passen nicht zu {slots} Zeitfenstern × {rooms} Räumen: "
                f"nötig sind mindestens {slots} und höchstens {slots * rooms} Sessions.",
                f"{sessions} sessions do not fit {slots} slots × {rooms} rooms: "
                f"between {slots} and {slots * rooms} sessions are needed.",
            )
        )


def _hm(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _slots(count: int, rng: random.Random, networking: int = 0) -> list[Slot]:
    """Opening plenary, `count` session slots with short breaks (a lunch break after the second of four or
    more), closing plenary; networking rounds just before and just after the lunch break (which then comes
    after the middle session slot of fewer than four)."""
    result = [Slot("P1", time(9, 30), time(10, 15), "plenary", "Eröffnung")]
    start = 10 * 60 + 30
    lunch = 2 if count >= 4 else (max(1, (count + 1) // 2) if networking else 0)
    for i in range(1, count + 1):
        length = rng.choice((60, 75))
        result.append(Slot(f"T{i}", _hm(start), _hm(start + length)))
        start += length + 15
        if i == lunch:
            for n in range(1, networking + 1):
                result.append(Slot(f"N{n}", _hm(start), _hm(start + ROUND), "networking", NETWORKING_TITLE))
                start += ROUND + (LUNCH if n == 1 else 15)
            start += LUNCH - 15 if networking == 0 else 0
    result.append(Slot("P2", _hm(start), _hm(start + 45), "plenary", "Resümee"))
    return result


def _with_networking(event: Event, seed: int) -> Event:
    """Moderators from the host organisations and a few people away in one networking round, drawn from a
    generator of their own, so that the sessions part is the same as without networking rounds."""
    rounds = [s.id for s in event.networking_slots]
    if not rounds:
        return event
    rng = random.Random(f"networking-{seed}")
    staff = {o.name for o in HOST_ORGANISATIONS}
    hosts = set(event.hosted_sessions)
    people = []
    for p in event.people:
        if p.participant and p.organisation in staff and rng.random() < MODERATOR_SHARE:
            p = replace(p, moderator=True)
        if p.participant and p.id not in hosts and not p.unavailable and rng.random() < AWAY_SHARE:
            p = replace(p, unavailable=frozenset({rng.choice(rounds)}))
        people.append(p)
    return replace(event, people=tuple(people))


def _rooms(count: int, rng: random.Random) -> list[Room]:
    """Zoom rooms; capacities are placeholders until `_sized`. Every other room has a whiteboard."""
    result = []
    for i in range(count):
        river = ROOM_NAMES[i % len(ROOM_NAMES)]
        name = f"Zoom-Raum {river}" if i < len(ROOM_NAMES) else f"Zoom-Raum {river} {i // len(ROOM_NAMES) + 1}"
        features = {"Whiteboard"} if i % 2 == 0 else set()
        if i == 1:
            features.add("Aufzeichnung")
        link = f"https://zoom.example.org/j/{rng.randrange(10**10, 10**11)}"
        result.append(Room(f"R{i + 1}", name, None, link, frozenset(features)))
    return result


def _themes(count: int) -> list[Theme]:
    """The base themes first, then themes in further formats, then numbered repeats."""
    variants = [Theme(f"{t.title}: {f}", t.tag, f"{f}: {t.description}") for f in FORMATS for t in THEMES]
    pool = [*THEMES, *variants]
    return [
        pool[i]
        if i < len(pool)
        else replace(pool[i % len(pool)], title=f"{pool[i % len(pool)].title} ({i // len(pool) + 1})")
        for i in range(count)
    ]


def _draft_sessions(count: int, rng: random.Random) -> _Draft:
    """Themes, hosting organisations (round robin) and a skewed popularity (Zipf-like, KI the favourite)."""
    width = max(2, len(str(count)))
    organisations = list(HOST_ORGANISATIONS)
    rng.shuffle(organisations)
    ranks = list(range(count))
    rng.shuffle(ranks)
    popularity = [1.0 / (1 + r) ** 0.9 for r in ranks]
    favourite = min(3, count - 1)  # "KI in Unternehmen"
    top = popularity.index(max(popularity))
    popularity[favourite], popularity[top] = popularity[top], popularity[favourite]
    return _Draft(
        ids=[f"S{i + 1:0{width}d}" for i in range(count)],
        themes=_themes(count),
        organisations=[organisations[i % len(organisations)].name for i in range(count)],
        popularity=popularity,
    )


def _people(count: int, draft: _Draft, rng: random.Random) -> tuple[list[tuple[str, ...]], list[Person]]:
    """Hosts per session (staff of the session's organisation; about half of them also register) and the
    registrations (in registration order), followed by the hosts who did not register."""
    by_name = {o.name: o for o in HOST_ORGANISATIONS}
    host_counts = [1 + (rng.random() < 0.4) for _ in draft.ids]
    registering = [rng.random() < 0.5 for _ in range(sum(host_counts))]
    limit = count // 3
    registering = [r and i < limit for i, r in enumerate(registering)]
    guests = count - sum(registering)
    names = iter(full_names(sum(host_counts) + guests, rng))
    mail = MailBox()
    tags = [t.tag for t in draft.themes]
    k = min(5, len(draft.ids))

    def person(name: str, org: Organisation, registered: bool, own: set[int]) -> Person:
        email = mail.address(name, org)
        if not registered:
            return Person(email, name, email, org.name, participant=False)
        n = k if rng.random() < 0.93 else rng.randint(max(1, k - 2), max(1, k - 1))
        ranked = ranked_wishes(n, draft.popularity, tags, draft.organisations, org, own, rng)
        return Person(email, name, email, org.name, wishes_of(draft.ids, ranked))

    hosts: list[tuple[str, ...]] = []
    registered: list[Person] = []
    host_only: list[Person] = []
    flags = iter(registering)
    for i, n_hosts in enumerate(host_counts):
        ids = []
        for _ in range(n_hosts):
            p = person(next(names), by_name[draft.organisations[i]], next(flags), {i})
            (registered if p.participant else host_only).append(p)
            ids.append(p.id)
        hosts.append(tuple(ids))
    weights = [3.0] * len(HOST_ORGANISATIONS) + [2.5] * len(GUEST_ORGANISATIONS)
    orgs = rng.choices([*HOST_ORGANISATIONS, *GUEST_ORGANISATIONS], weights=weights, k=guests)
    registered += [person(next(names), o, True, set()) for o in orgs]
    rng.shuffle(registered)
    return hosts, registered + host_only


def _add_unavailability(people: list[Person], hosts: set[str], session_slots: list[str], rng: random.Random) -> None:
    """About one in twenty participants misses one session slot (hosts are always there)."""
    if len(session_slots) < 2:
        return
    for i, p in enumerate(people):
        if p.participant and p.id not in hosts and rng.random() < 0.05:
            people[i] = replace(p, unavailable=frozenset({rng.choice(session_slots)}))


def _sessions(draft: _Draft, hosts: list[tuple[str, ...]], room_slots: int, session_slots: list[str]) -> list[Session]:
    """Sessions with the organiser's typical extras: the favourite runs twice, a workshop spans two slots,
    the INQA session is fixed in the first slot, one session cannot take the last slot, workshops need a
    whiteboard."""
    by_popularity = sorted(range(len(draft.ids)), key=lambda i: -draft.popularity[i])
    free = room_slots - len(draft.ids)
    runs = dict.fromkeys(range(len(draft.ids)), 1)
    durations = dict.fromkeys(range(len(draft.ids)), 1)
    if len(session_slots) >= 3:
        for i in by_popularity[: max(1, len(draft.ids) // 40)]:
            if free >= 1:
                runs[i], free = 2, free - 1
    if len(session_slots) >= 4 and free >= 1:
        durations[by_popularity[len(by_popularity) // 2]] = 2
    result = []
    for i, sid in enumerate(draft.ids):
        theme = draft.themes[i]
        workshop = "Werkstatt" in theme.title or i == 10
        fixed = theme.title == "INQA-Netzwerkbüro" and len(session_slots) >= 2 and runs[i] == 1
        result.append(
            Session(
                id=sid,
                title=theme.title,
                hosts=hosts[i],
                organisation=draft.organisations[i],
                duration=durations[i],
                runs=runs[i],
                features=frozenset({"Whiteboard"}) if workshop and durations[i] == 1 else frozenset(),
                fixed_slot=session_slots[0] if fixed else None,
                not_in=frozenset({session_slots[-1]}) if i == 9 and len(session_slots) >= 2 else frozenset(),
                description=theme.description,
            )
        )
    return result


def _with_limits(event: Event, rng: random.Random) -> Event:
    """A few popular sessions get a capacity below their demand (small workshop format); a few unpopular ones
    a minimum attendance."""
    wanted = {s.id: 0 for s in event.sessions}
    strong = dict(wanted)
    for p in event.participants:
        for w in p.wishes:
            wanted[w.session] += 1
            strong[w.session] += w.rank <= 2
    order = sorted(event.sessions, key=lambda s: -wanted[s.id])
    capped = [s.id for s in order[1:] if s.runs == 1 and s.duration == 1][: max(1, len(order) // 7)]
    runs_per_slot = math.ceil(sum(s.runs * s.duration for s in event.sessions) / len(event.session_slots))
    minimum = min(8, len(event.participants) // (4 * runs_per_slot))
    with_minimum = [s.id for s in reversed(order) if s.id not in capped][: max(2, len(order) // 10)]
    sessions = []
    for s in event.sessions:
        if s.id in capped:
            s = replace(s, capacity=max(8, 5 * round(0.6 * strong[s.id] / 5)))
        if s.id in with_minimum and minimum >= 3:
            s = replace(s, minimum=minimum + rng.randint(-1, 1))
        sessions.append(s)
    return replace(event, sessions=tuple(sessions))


def _sized(event: Event) -> Event:
    """Room capacities around the average need, raised until the greedy timetable seats everybody in every
    session slot with a margin."""
    placements = witness_timetable(event)
    if placements is None:
        raise ExampleError(Text("Für diese Größen findet sich kein Zeitplan.", "No timetable fits these sizes."))
    runs_in_slot = min(sum(t in p.slots for p in placements) for t in (s.id for s in event.session_slots))
    need = math.ceil(SEAT_MARGIN * len(event.participants))
    base = 5 * math.ceil(need / max(runs_in_slot, 1) / 5)
    factors = (1.2, 1.0, 0.8, 1.0, 1.1, 0.9)
    rooms = [
        replace(r, capacity=max(5, 5 * round(base * factors[i % len(factors)] / 5))) for i, r in enumerate(event.rooms)
    ]
    for _ in range(1000):
        event = replace(event, rooms=tuple(rooms))
        placements = witness_timetable(event)
        if placements is None:
            break
        short = {t for t, n in seats_per_slot(event, placements).items() if n < need}
        if not short:
            return event
        event = _uncapped(event, placements, short)
        rooms = [replace(r, capacity=(r.capacity or 0) + 5) for r in rooms]
    raise ExampleError(Text("Für diese Größen reichen die Plätze nie.", "Seats never suffice for these sizes."))


def _uncapped(event: Event, placements: list[Placement], short: set[str]) -> Event:
    """Drop the session capacity where a slot holds only capped sessions: larger rooms could never help there."""
    lift: set[str] = set()
    for t in short:
        here = {p.session for p in placements if t in p.slots}
        if all(event.session(s).capacity is not None for s in here):
            lift |= here
    sessions = tuple(replace(s, capacity=None) if s.id in lift else s for s in event.sessions)
    return replace(event, sessions=sessions)
