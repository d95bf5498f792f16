"""The plan file (`scheduler-plan/1`, docs/contract.md "Output: the plan file"), readable back without the workbook.

Besides the contract's keys the file carries what is needed to rebuild the `Event` from the file alone, so exporters
can work from a saved plan: event timezone, weights and number of wish columns, main room link, contact,
language, e-mail subject and sender; each slot's link; room features; per run the
session's organisation, description, capacity, minimum, duration, number of runs, features, fixed slot and
room and `Nicht in`; per participant the unavailable slots; a top-level `hosts` list of people who only host;
`unplaced_sessions` (only when a session has no run, which a complete plan never has); per networking slot
its `group_size` and, in `networking`, its groups (SPEC); `moderator: true` on people who moderate; `order`, the event's
order of sessions and people; and the plan's warnings. Wishes are listed by rank: `wishes[i]` is wish i + 1,
null where a rank was left empty. `read_plan(write_plan(event, plan))` gives back an equal event and plan.

Output is deterministic: keys in the contract's order, lists in the event's or the plan's order, no timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar

from scheduler.domain import DEFAULT_GROUP_SIZE, Event, EventError, Person, Room, Session, Slot, SlotKind, Wish
from scheduler.io.atomic import write_text_atomic
from scheduler.io.json_reader import JsonReader, at
from scheduler.plan import ENDED_BY, Group, NetworkingRound, Objective, PhaseRecord, Plan, Run, SolverInfo
from scheduler.problems import InputError, Problem
from scheduler.text import Text

FORMAT = "scheduler-plan/1"
EVENT_EXTRAS = ("main_link", "contact", "language", "subject", "sender")  # optional text fields of `event`

_Item = TypeVar("_Item", Session, Person)


# -- writing -----------------------------------------------------------------------------------------


def write_plan(
    path: Path, event: Event, plan: Plan, *, inputs: Iterable[Path] = (), changes: dict[str, Any] | None = None
) -> None:
    """Write the plan file whole or not at all (never over one of `inputs`); `changes`: see scheduler.changes."""
    write_text_atomic(path, plan_json(event, plan, changes), inputs=inputs)


def plan_json(event: Event, plan: Plan, changes: dict[str, Any] | None = None) -> str:
    return json.dumps(plan_document(event, plan, changes), ensure_ascii=False, indent=2) + "\n"


def read_revision(path: Path) -> int:
    """How often the plan in a (readable) plan file was re-planned: `changes.revision`, 0 for a first plan."""
    return revision_of(json.loads(Path(path).read_text(encoding="utf-8-sig")))


def revision_of(doc: object) -> int:
    """`changes.revision` of a plan document, 0 for a first plan."""
    changes = doc.get("changes") if isinstance(doc, dict) else None
    revision = changes.get("revision") if isinstance(changes, dict) else None
    return revision if isinstance(revision, int) and not isinstance(revision, bool) and revision >= 0 else 0


def plan_document(event: Event, plan: Plan, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    placed = {r.session for r in plan.runs}
    session_slots = [s.id for s in event.session_slots]
    agendas = _agendas(plan)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "event": {
            "name": event.name,
            "date": event.date.isoformat() if event.date else None,
            "timezone": event.timezone,
            "weights": list(event.weights) if event.weights is not None else None,
            "wish_count": event.wish_count,
            "main_link": event.main_link,
            "contact": event.contact,
            "language": event.language,
            "subject": event.subject,
            "sender": event.sender,
        },
        "solver": {
            "status": plan.solver.status,
            "seconds": plan.solver.seconds,
            "seed": plan.solver.seed,
            "time_limit": _number(plan.solver.time_limit),
            "interrupted": plan.solver.interrupted,
        },
        "objective": {
            "max_shortfall": plan.objective.max_shortfall,
            "weighted": plan.objective.weighted,
            "weighted_bound": plan.objective.weighted_bound,
        },
        "slots": [_slot(s) for s in event.ordered_slots],
        "rooms": [_room(r) for r in event.rooms],
        "sessions": [_run(event, r) for r in plan.runs],
        "participants": [_participant(p, agendas.get(p.id, {}), session_slots) for p in event.participants],
        "hosts": [_person(p) for p in event.people if not p.participant],
        "order": {"sessions": [s.id for s in event.sessions], "people": [p.id for p in event.people]},
    }
    if plan.solver.phases:  # what the solve ran (plans solved here; not baselines or hand plans)
        doc["solver"]["phases"] = [_phase(r) for r in plan.solver.phases]
    if plan.solver.ended_by is not None:
        doc["solver"]["ended_by"] = plan.solver.ended_by
    if plan.objective.terms:  # the networking mix's soft terms by name
        doc["objective"]["terms"] = dict(plan.objective.terms)
    unplaced = [_session(s) for s in event.sessions if s.id not in placed]
    if unplaced:
        doc["unplaced_sessions"] = unplaced
    doc["warnings"] = [_problem(p) for p in plan.warnings]
    if plan.networking or event.networking_slots:
        doc["networking"] = [_round(r) for r in plan.networking]
    if changes is not None:
        doc["changes"] = changes
    return doc


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _clock(t: time) -> str:
    return t.strftime("%H:%M") if t.second == 0 and t.microsecond == 0 else t.isoformat()


def _slot(s: Slot) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": s.id,
        "start": _clock(s.start),
        "end": _clock(s.end),
        "kind": s.kind,
        "title": s.title,
        "link": s.link,
    }
    if s.kind == "networking":
        entry["group_size"] = list(s.group_size)
    return entry


def _round(r: NetworkingRound) -> dict[str, Any]:
    groups = [{"id": g.id, "members": list(g.members), "moderator": g.moderator} for g in r.groups]
    return {"slot": r.slot, "groups": groups}


def _room(r: Room) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "capacity": r.capacity, "link": r.link, "features": sorted(r.features)}


def _session(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "hosts": list(s.hosts),
        "organisation": s.organisation,
        "description": s.description,
        "capacity": s.capacity,
        "minimum": s.minimum,
        "duration": s.duration,
        "runs": s.runs,
        "features": sorted(s.features),
        "fixed_slot": s.fixed_slot,
        "fixed_room": s.fixed_room,
        "not_in": sorted(s.not_in),
    } | ({"not_parallel": sorted(s.not_parallel)} if s.not_parallel else {})


def _run(event: Event, run: Run) -> dict[str, Any]:
    known = {s.id for s in event.sessions}
    session = _session(event.session(run.session) if run.session in known else Session(run.session, ""))
    where = {"id": run.session, "run": run.run, "title": session.pop("title"), "slots": list(run.slots)}
    placed = {"room": run.room, "hosts": session.pop("hosts"), "attendees": list(run.attendees)}
    del session["id"]
    return where | placed | session


def _wishes(p: Person) -> list[str | None]:
    by_rank = {w.rank: w.session for w in p.wishes}
    return [by_rank.get(rank) for rank in range(1, max(by_rank, default=0) + 1)]


def _person(p: Person) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "organisation": p.organisation,
        "unavailable": sorted(p.unavailable),
    }
    if p.moderator:
        entry["moderator"] = True
    return entry


def _agendas(plan: Plan) -> dict[str, dict[str, str]]:
    """Person id -> slot id -> session attended, for all people in one pass over the runs."""
    agendas: dict[str, dict[str, str]] = {}
    for run in plan.runs:
        for person in run.attendees:
            for slot in run.slots:
                agendas.setdefault(person, {})[slot] = run.session
    return agendas


def _participant(p: Person, agenda: dict[str, str], session_slots: list[str]) -> dict[str, Any]:
    entry = _person(p)
    unavailable = entry.pop("unavailable")
    entry["wishes"] = _wishes(p)
    entry["agenda"] = {slot: agenda.get(slot) for slot in session_slots}
    entry["unavailable"] = unavailable
    if p.fixed:
        entry["fixed"] = sorted(p.fixed)
    return entry


def _text(t: Text | None) -> dict[str, str] | None:
    return {"de": t.de, "en": t.en} if t is not None else None


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "severity": p.severity,
        "code": p.code,
        "text": _text(p.message),
        "hint": _text(p.hint),
        "file": p.file,
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
    }


# -- reading -----------------------------------------------------------------------------------------


def read_plan(path: Path) -> tuple[Event, Plan]:
    """The event and the plan from a plan file; InputError naming the file and the JSON path of every problem."""
    path = Path(path)
    reader = JsonReader(path.name)
    return plan_from_document(reader, reader.load(path, FORMAT))


def plan_from_document(reader: JsonReader, doc: dict[str, Any]) -> tuple[Event, Plan]:
    """The event and the plan from a parsed plan document (a plan file, or the one a plan workbook carries)."""
    event_doc = reader.obj(doc, "event", "")
    name = reader.text(event_doc, "name", "event")
    when = _read_date(reader, event_doc)
    timezone = reader.text(event_doc, "timezone", "event", default="Europe/Berlin", required=False)
    weights = reader.integers(event_doc, "weights", "event")
    wish_count = reader.integer(event_doc, "wish_count", "event", required=False)
    extra = {key: reader.text(event_doc, key, "event", required=False) for key in EVENT_EXTRAS}
    solver = _read_solver(reader, reader.obj(doc, "solver", ""))
    objective = _read_objective(reader, reader.obj(doc, "objective", ""))
    slots = [_read_slot(reader, s, f"slots[{i}]") for i, s in enumerate(reader.objs(doc, "slots", ""))]
    rooms = [_read_room(reader, r, f"rooms[{i}]") for i, r in enumerate(reader.objs(doc, "rooms", ""))]
    runs_doc = reader.objs(doc, "sessions", "")
    runs = tuple(_read_run(reader, r, f"sessions[{i}]") for i, r in enumerate(runs_doc))
    sessions = _read_sessions(reader, runs_doc, runs, reader.objs(doc, "unplaced_sessions", "", required=False))
    participants = reader.objs(doc, "participants", "")
    agendas = {
        reader.text(p, "id", f"participants[{i}]"): _read_agenda(reader, p, f"participants[{i}]")
        for i, p in enumerate(participants)
        if "agenda" in p
    }
    people = [_read_person(reader, p, f"participants[{i}]", participant=True) for i, p in enumerate(participants)] + [
        _read_person(reader, p, f"hosts[{i}]", participant=False)
        for i, p in enumerate(reader.objs(doc, "hosts", "", required=False))
    ]
    order = reader.obj(doc, "order", "", required=False)
    sessions = _ordered(sessions, reader.texts(order, "sessions", "order", required=False))
    people = _ordered(people, reader.texts(order, "people", "order", required=False))
    warnings = tuple(
        _read_problem(reader, w, f"warnings[{i}]")
        for i, w in enumerate(reader.objs(doc, "warnings", "", required=False))
    )
    networking = tuple(
        _read_round(reader, r, f"networking[{i}]")
        for i, r in enumerate(reader.objs(doc, "networking", "", required=False))
    )
    reader.raise_if_errors()
    try:
        event = Event(
            name, tuple(slots), tuple(rooms), tuple(sessions), tuple(people), when, timezone,
            tuple(weights) if weights is not None else None, wish_count, main_link=extra["main_link"],
            contact=extra["contact"], language=extra["language"] or "de", subject=extra["subject"],
            sender=extra["sender"],
        )  # fmt: skip
    except EventError as err:
        for problem in err.problems:
            reader.error(
                "", f"Der Plan passt nicht zusammen: {problem}.", f"The plan does not fit together: {problem}."
            )
        raise InputError(reader.problems) from None
    return event, Plan(runs, solver, objective, warnings, networking, stated_agendas=agendas)


def _read_agenda(reader: JsonReader, doc: dict[str, Any], path: str) -> dict[str, str | None]:
    """A participant's stated agenda, slot id -> session id or null; `verify` compares it with the runs."""
    agenda = reader.obj(doc, "agenda", path)
    for slot, session in agenda.items():
        if session is not None and not isinstance(session, str):
            reader.error(
                f"{at(path, 'agenda')}.{slot}",
                f"{session!r} ist keine Session-ID und nicht null.",
                f"{session!r} is no session id and not null.",
            )
    return {str(slot): session if isinstance(session, str) else None for slot, session in agenda.items()}


def _ordered(items: list[_Item], order: list[str]) -> list[_Item]:
    """Sessions or people in the event's own order, which the run and person lists alone do not keep."""
    position = {item_id: i for i, item_id in enumerate(order)}
    return sorted(items, key=lambda item: position.get(item.id, len(position)))


def _read_slot(reader: JsonReader, doc: dict[str, Any], path: str) -> Slot:
    kind = reader.text(doc, "kind", path)
    if isinstance(doc.get("kind"), str) and kind not in _KINDS:
        reader.error(
            at(path, "kind"),
            f'Art "{kind}" gibt es nicht (session, plenary oder networking).',
            f'There is no kind "{kind}" (session, plenary or networking).',
        )
    size = reader.integers(doc, "group_size", path)
    if size is not None and len(size) != 2:
        reader.error(
            at(path, "group_size"),
            "Die Gruppengröße ist eine Liste [kleinste, größte].",
            "The group size is a list [smallest, largest].",
        )
    return Slot(
        id=reader.text(doc, "id", path),
        start=reader.clock(doc, "start", path),
        end=reader.clock(doc, "end", path),
        kind=_KINDS.get(kind, "session"),
        title=reader.text(doc, "title", path, required=False),
        link=reader.text(doc, "link", path, required=False),
        group_size=(size[0], size[1]) if size is not None and len(size) == 2 else DEFAULT_GROUP_SIZE,
    )


_KINDS: dict[str, SlotKind] = {"session": "session", "plenary": "plenary", "networking": "networking"}


def _read_round(reader: JsonReader, doc: dict[str, Any], path: str) -> NetworkingRound:
    groups = []
    for i, group in enumerate(reader.objs(doc, "groups", path)):
        where = f"{path}.groups[{i}]"
        groups.append(
            Group(
                id=reader.text(group, "id", where),
                members=tuple(reader.texts(group, "members", where)),
                moderator=reader.optional_text(group, "moderator", where),
            )
        )
    return NetworkingRound(reader.text(doc, "slot", path), tuple(groups))


def _read_room(reader: JsonReader, doc: dict[str, Any], path: str) -> Room:
    return Room(
        id=reader.text(doc, "id", path),
        name=reader.text(doc, "name", path),
        capacity=reader.optional_integer(doc, "capacity", path),
        link=reader.text(doc, "link", path, required=False),
        features=frozenset(reader.texts(doc, "features", path, required=False)),
    )


def _read_run(reader: JsonReader, doc: dict[str, Any], path: str) -> Run:
    return Run(
        session=reader.text(doc, "id", path),
        run=reader.integer(doc, "run", path),
        slots=tuple(reader.texts(doc, "slots", path)),
        room=reader.text(doc, "room", path),
        attendees=tuple(reader.texts(doc, "attendees", path)),
    )


def _read_session(reader: JsonReader, doc: dict[str, Any], path: str, runs: int, duration: int) -> Session:
    """A session from a run entry (or an `unplaced_sessions` entry); counts the contract does not list are inferred."""
    return Session(
        id=reader.text(doc, "id", path),
        title=reader.text(doc, "title", path),
        hosts=tuple(reader.texts(doc, "hosts", path)),
        organisation=reader.text(doc, "organisation", path, required=False),
        capacity=reader.optional_integer(doc, "capacity", path),
        minimum=reader.integer(doc, "minimum", path, required=False),
        duration=reader.integer(doc, "duration", path, default=duration, required=False),
        runs=reader.integer(doc, "runs", path, default=runs, required=False),
        features=frozenset(reader.texts(doc, "features", path, required=False)),
        fixed_slot=reader.optional_text(doc, "fixed_slot", path),
        fixed_room=reader.optional_text(doc, "fixed_room", path),
        not_in=frozenset(reader.texts(doc, "not_in", path, required=False)),
        description=reader.text(doc, "description", path, required=False),
        not_parallel=frozenset(reader.texts(doc, "not_parallel", path, required=False)),
    )


def _read_sessions(
    reader: JsonReader, runs_doc: list[dict[str, Any]], runs: tuple[Run, ...], unplaced: list[dict[str, Any]]
) -> list[Session]:
    """One session per id, in order of first appearance; every run entry of a session must describe it alike."""
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.session] = counts.get(run.session, 0) + 1
    sessions: dict[str, Session] = {}
    for i, (doc, run) in enumerate(zip(runs_doc, runs, strict=True)):
        session = _read_session(reader, doc, f"sessions[{i}]", counts[run.session], max(len(run.slots), 1))
        first = sessions.setdefault(session.id, session)
        if first != session:
            reader.error(
                f"sessions[{i}]",
                f"Die Durchläufe von Session {session.id} beschreiben die Session verschieden.",
                f"The runs of session {session.id} describe the session differently.",
            )
    for i, doc in enumerate(unplaced):
        session = _read_session(reader, doc, f"unplaced_sessions[{i}]", 1, 1)
        sessions.setdefault(session.id, session)
    return list(sessions.values())


def _read_person(reader: JsonReader, doc: dict[str, Any], path: str, *, participant: bool) -> Person:
    wishes = reader.wish_list(doc, "wishes", path) if participant else []
    return Person(
        id=reader.text(doc, "id", path),
        name=reader.text(doc, "name", path),
        email=reader.text(doc, "email", path, required=False),
        organisation=reader.text(doc, "organisation", path, required=False),
        wishes=tuple(Wish(session, rank) for rank, session in enumerate(wishes, start=1) if session is not None),
        unavailable=frozenset(reader.texts(doc, "unavailable", path, required=False)),
        participant=participant,
        fixed=frozenset(reader.texts(doc, "fixed", path, required=False)),
        moderator=reader.flag(doc, "moderator", path),
    )


def _read_solver(reader: JsonReader, doc: dict[str, Any]) -> SolverInfo:
    return SolverInfo(
        status=reader.text(doc, "status", "solver"),
        seconds=reader.number(doc, "seconds", "solver", required=False),
        seed=reader.integer(doc, "seed", "solver", required=False),
        time_limit=reader.number(doc, "time_limit", "solver", default=60.0, required=False),
        interrupted=reader.flag(doc, "interrupted", "solver"),
        phases=tuple(
            _read_phase(reader, d, f"solver.phases[{i}]")
            for i, d in enumerate(reader.objs(doc, "phases", "solver", required=False))
        ),
        ended_by=_read_ended_by(reader, doc),
    )


def _read_ended_by(reader: JsonReader, doc: dict[str, Any]) -> str | None:
    """What ended the search; absent in plan files written before the plan said it."""
    value = reader.optional_text(doc, "ended_by", "solver")
    if value is not None and value not in ENDED_BY:
        reader.error(
            at("solver", "ended_by"),
            f"Unbekannter Wert „{value}“; erlaubt: {', '.join(ENDED_BY)}.",
            f"Unknown value “{value}”; allowed: {', '.join(ENDED_BY)}.",
        )
        return None
    return value


def _phase(record: PhaseRecord) -> dict[str, Any]:
    """One phase of the solve: name, work spent (None: cut short by a proof), the best plan after it, and how
    much fairer and better it made that plan."""
    return {
        "name": record.name,
        "spent": record.spent,
        "skipped": record.skipped,
        "max_shortfall": record.max_shortfall,
        "weighted": record.weighted,
        "improvement": None
        if record.improvement is None
        else {"max_shortfall": record.improvement[0], "weighted": record.improvement[1]},
    }


def _read_phase(reader: JsonReader, doc: dict[str, Any], path: str) -> PhaseRecord:
    improvement = doc.get("improvement")
    return PhaseRecord(
        name=reader.text(doc, "name", path),
        spent=None if doc.get("spent") is None else reader.number(doc, "spent", path),
        skipped=reader.flag(doc, "skipped", path),
        max_shortfall=reader.optional_integer(doc, "max_shortfall", path),
        weighted=reader.optional_integer(doc, "weighted", path),
        improvement=None
        if not isinstance(improvement, dict)
        else (
            reader.integer(improvement, "max_shortfall", path + ".improvement"),
            reader.integer(improvement, "weighted", path + ".improvement"),
        ),
    )


def _read_objective(reader: JsonReader, doc: dict[str, Any]) -> Objective:
    terms = reader.obj(doc, "terms", "objective", required=False)
    return Objective(
        max_shortfall=reader.integer(doc, "max_shortfall", "objective"),
        weighted=reader.integer(doc, "weighted", "objective"),
        weighted_bound=reader.integer(doc, "weighted_bound", "objective"),
        terms=tuple((name, reader.integer(terms, name, "objective.terms")) for name in terms),
    )


def _read_problem(reader: JsonReader, doc: dict[str, Any], path: str) -> Problem:
    severity = reader.text(doc, "severity", path)
    return Problem(
        message=reader.bilingual(doc, "text", path) or Text("", ""),
        hint=reader.bilingual(doc, "hint", path, required=False),
        file=reader.text(doc, "file", path, required=False),
        sheet=reader.text(doc, "sheet", path, required=False),
        row=reader.optional_integer(doc, "row", path),
        column=reader.text(doc, "column", path, required=False),
        severity="warning" if severity == "warning" else "error",
        code=reader.text(doc, "code", path, required=False),
    )


def _read_date(reader: JsonReader, doc: dict[str, Any]) -> date | None:
    text = reader.optional_text(doc, "date", "event")
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        reader.error("event.date", f'"{text}" ist kein Datum (JJJJ-MM-TT).', f'"{text}" is not a date (YYYY-MM-DD).')
        return None
