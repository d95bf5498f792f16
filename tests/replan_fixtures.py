"""A small event with a hand-made plan that was "sent out", and the late changes the re-planning tests apply.

    T1: A/R1 [p1, p2, p3]   B/R2 [p4, p5, p6]        (R3 free; every room unlimited unless a test says so)
    T2: C/R1 [p1, p4, p5]   D/R2 [p2, p3, p6]
Hosts ha, hb, hc, hd only host. Every participant has both wishes granted, so the old plan is optimal.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.domain import Event, Person, Room, Session
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.validate import validate
from tests.test_model_rules import event, person, pid, room, session

WISHES = {"p1": "AC", "p2": "AD", "p3": "AD", "p4": "BC", "p5": "BC", "p6": "BD"}
SEATS = {("A", "T1", "R1"): "p1 p2 p3", ("B", "T1", "R2"): "p4 p5 p6", ("C", "T2", "R1"): "p1 p4 p5"}
SEATS[("D", "T2", "R2")] = "p2 p3 p6"


def base_event(rooms: list[Room] | None = None, sessions: list[Session] | None = None) -> Event:
    hosts = [person(f"h{s.lower()}", participant=False) for s in "ABCD"]
    people = [person(name, *wishes) for name, wishes in WISHES.items()]
    sessions = sessions or [session(s, hosts=(pid(f"h{s.lower()}"),)) for s in "ABCD"]
    return event(2, rooms or [room("R1"), room("R2"), room("R3")], sessions, [*hosts, *people])


def old_plan(ev: Event) -> Plan:
    runs = tuple(Run(s, 1, (t,), r, tuple(sorted(pid(n) for n in names.split()))) for (s, t, r), names in SEATS.items())
    plan = Plan(runs, SolverInfo("OPTIMAL"), Objective(0, 0, 0))
    report = validate(ev, plan)
    assert report.violations == []
    return replace(plan, objective=Objective(report.max_shortfall, report.weighted, report.weighted))


def without(ev: Event, *names: str) -> Event:
    gone = {pid(n) for n in names}
    return replace(ev, people=tuple(p for p in ev.people if p.id not in gone))


def drop_session(ev: Event, session_id: str) -> Event:
    """The session removed, its host gone, nobody wishing it any more."""
    host = ev.session(session_id).hosts
    people = tuple(
        replace(p, wishes=tuple(w for w in p.wishes if w.session != session_id)) for p in ev.people if p.id not in host
    )
    return replace(ev, sessions=tuple(s for s in ev.sessions if s.id != session_id), people=people)


def with_person(ev: Event, p: Person) -> Event:
    return replace(ev, people=(*ev.people, p))
