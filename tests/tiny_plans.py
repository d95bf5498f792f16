"""A tiny hand-checkable event with a valid plan, and random small events with trivially valid plans.

Shared by the validator, plan file and solver property tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from hypothesis import strategies as st

from scheduler.domain import Event, Person, Room, Session, Slot, Wish
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.validate import Report, score, validate

# -- a tiny event and a valid plan for it ------------------------------------------------------------
#
#   T0 plenary; T1, T2 session slots. Rooms R1 (2 seats, video), R2 (unlimited), R3 (5 seats).
#   S1 hosted by host@x (only hosts), needs video; S2 hosted by anna (a participant); S3 runs twice.
#   T1: S1/R1 [anna, ben]   S3#1/R2 [cem, dan]
#   T2: S2/R2 [ben, cem, dan] (anna hosts)   S3#2/R3 []


def person(pid: str, *wishes: str, unavailable: frozenset[str] = frozenset(), participant: bool = True) -> Person:
    return Person(
        id=pid,
        name=pid.split("@")[0].title(),
        email=pid,
        organisation="KWW" if pid < "c" else "gsub",
        wishes=tuple(Wish(s, r) for r, s in enumerate(wishes, start=1)),
        unavailable=unavailable,
        participant=participant,
    )


def tiny_event(**session_changes: dict[str, object]) -> Event:
    """The tiny event; `S2={"fixed_slot": "T1"}` changes fields of one session."""
    sessions = {
        "S1": Session("S1", "Lernen", hosts=("host@x",), organisation="KWW", features=frozenset({"video"})),
        "S2": Session("S2", "Netzwerke", hosts=("anna@x",), organisation="gsub"),
        "S3": Session("S3", "KI im Betrieb", runs=2),
    }
    for sid, changes in session_changes.items():
        sessions[sid] = replace(sessions[sid], **changes)  # type: ignore[arg-type]
    return Event(
        name="Vernetzungstreffen",
        slots=(
            Slot("T0", time(9), time(10), "plenary", "Eröffnung"),
            Slot("T1", time(10), time(11)),
            Slot("T2", time(11), time(12)),
        ),
        rooms=(
            Room("R1", "Raum 1", 2, features=frozenset({"video"})),
            Room("R2", "Raum 2"),
            Room("R3", "Raum 3", 5),
        ),
        sessions=tuple(sessions.values()),
        people=(
            person("host@x", participant=False),
            person("anna@x", "S1", "S3"),
            person("ben@x", "S2", "S1"),
            person("cem@x", "S3", "S2"),
            person("dan@x", "S3", "S1"),
        ),
        wish_count=2,
    )


def with_people(event: Event, **changes: dict[str, object]) -> Event:
    """The event with fields of people changed: `ben={"unavailable": ...}`."""
    people = tuple(replace(p, **changes.get(p.id.split("@")[0], {})) for p in event.people)  # type: ignore[arg-type]
    return replace(event, people=people)


def tiny_runs() -> list[Run]:
    return [
        Run("S1", 1, ("T1",), "R1", ("anna@x", "ben@x")),
        Run("S3", 1, ("T1",), "R2", ("cem@x", "dan@x")),
        Run("S2", 1, ("T2",), "R2", ("ben@x", "cem@x", "dan@x")),
        Run("S3", 2, ("T2",), "R3", ()),
    ]


def plan_for(event: Event, runs: list[Run]) -> Plan:
    """A plan that states its true objective, so that only the broken rule under test shows."""
    draft = Plan(tuple(runs), SolverInfo("FEASIBLE"), Objective(0, 0, 0))
    s = score(event, draft)
    return replace(draft, objective=Objective(s.max_shortfall, s.weighted, s.weighted))


def change_run(runs: list[Run], session: str, number: int, **changes: object) -> list[Run]:
    return [replace(r, **changes) if (r.session, r.run) == (session, number) else r for r in runs]  # type: ignore[arg-type]


def check(event: Event, runs: list[Run]) -> Report:
    return validate(event, plan_for(event, runs), check_objective=True)


@st.composite
def events_with_plans(draw: st.DrawFn) -> tuple[Event, Plan]:
    """A random small event and a trivially valid plan: unlimited rooms, every session once, seats by lot."""
    n_slots = draw(st.integers(1, 3))
    n_sessions = draw(st.integers(n_slots, 6))
    n_people = draw(st.integers(1, 8))
    slot_ids = [f"T{i}" for i in range(n_slots)]
    slot_of = {f"S{j}": slot_ids[j % n_slots] for j in range(n_sessions)}
    room_of = {f"S{j}": f"R{j // n_slots}" for j in range(n_sessions)}
    people_ids = [f"p{i}@x" for i in range(n_people)]
    unavailable = {p: draw(st.frozensets(st.sampled_from(slot_ids), max_size=n_slots - 1)) for p in people_ids}
    hosts: dict[str, tuple[str, ...]] = {}
    hosting: dict[str, set[str]] = {p: set() for p in people_ids}
    for s, t in slot_of.items():
        host = draw(st.sampled_from([*people_ids, None]))
        if host is not None and t not in hosting[host] | unavailable[host]:
            hosts[s] = (host,)
            hosting[host].add(t)
    people = []
    attendees: dict[str, list[str]] = {s: [] for s in slot_of}
    for p in people_ids:
        wishes = draw(st.lists(st.sampled_from(sorted(slot_of)), unique=True, max_size=3))
        people.append(person(p, *wishes, unavailable=unavailable[p]))
        for t in slot_ids:
            if t not in unavailable[p] and t not in hosting[p]:
                choices = [s for s in sorted(slot_of) if slot_of[s] == t and p not in hosts.get(s, ())]
                attendees[draw(st.sampled_from(choices))].append(p)
    event = Event(
        name="Zufall",
        slots=tuple(Slot(t, time(9 + i), time(10 + i)) for i, t in enumerate(slot_ids)),
        rooms=tuple(Room(r, r) for r in sorted(set(room_of.values()))),
        sessions=tuple(Session(s, s, hosts=hosts.get(s, ())) for s in sorted(slot_of)),
        people=tuple(people),
    )
    runs = [Run(s, 1, (slot_of[s],), room_of[s], tuple(attendees[s])) for s in sorted(slot_of)]
    return event, plan_for(event, runs)
