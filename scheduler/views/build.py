"""Build the `PlanView` of an (event, plan) once; every exporter renders this one object.

Figures come from the independent validator (`scheduler.validate`), so the outputs and `scheduler verify`
never disagree about shortfall and granted wishes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from scheduler.domain import Event, Person, Slot
from scheduler.plan import Plan, Run
from scheduler.problems import Problem
from scheduler.text import Text
from scheduler.validate import validate
from scheduler.validate.report import Report, rule_name
from scheduler.views.records import (
    AgendaBlock,
    BlockKind,
    GridRow,
    GroupView,
    PersonAgenda,
    PlanView,
    RoundView,
    RunView,
    Statistics,
)


def build_view(event: Event, plan: Plan) -> PlanView:
    report = validate(event, plan)
    runs = _runs(event, plan)
    hosted, attended = _where(runs)
    rounds = _rounds(event, plan)
    groups = _groups_of(rounds)
    agendas = tuple(
        _agenda(event, p, hosted.get(p.id, {}), attended.get(p.id, {}), groups.get(p.id, {}), report)
        for p in event.people
    )
    missing_email = tuple(p for p in event.people if not p.email)
    warnings = plan.warnings + tuple(_violation_warnings(report)) + tuple(_missing_email_warning(missing_email))
    return PlanView(
        event=event,
        plan=plan,
        runs=runs,
        grid=_grid(event, runs),
        agendas=agendas,
        statistics=_statistics(event, report),
        warnings=warnings,
        missing_email=missing_email,
        networking=rounds,
        networking_figures=report.networking,
        _agenda_index={a.person.id: a for a in agendas},
    )


def _runs(event: Event, plan: Plan) -> tuple[RunView, ...]:
    """Runs whose session, room and slots the event knows (the validator reports the others)."""
    sessions = {s.id for s in event.sessions}
    rooms = {r.id: i for i, r in enumerate(event.rooms)}
    order = {s.id: i for i, s in enumerate(event.ordered_slots)}
    known = [
        r
        for r in plan.runs
        if r.session in sessions and r.room in rooms and r.slots and all(t in order for t in r.slots)
    ]
    known.sort(key=lambda r: (order[r.slots[0]], rooms[r.room], r.session, r.run))
    counts = Counter(r.session for r in known)
    people = {p.id: p for p in event.people}
    return tuple(_run_view(event, people, r, counts[r.session]) for r in known)


def _run_view(event: Event, people: dict[str, Person], run: Run, runs: int) -> RunView:
    session = event.session(run.session)
    room = event.room(run.room)
    attendees = tuple(people[a] for a in run.attendees if a in people)
    ranks = [w.rank for p in attendees for w in p.wishes if w.session == session.id]
    rank_counts = Counter(ranks)
    organisations = Counter(p.organisation for p in attendees)
    capacities = [c for c in (session.capacity, room.capacity) if c is not None]
    return RunView(
        session=session,
        run=run.run,
        runs=runs,
        slots=tuple(event.slot(t) for t in run.slots),
        room=room,
        hosts=tuple(people[h] for h in session.hosts if h in people),
        attendees=attendees,
        capacity=min(capacities) if capacities else None,
        wish_ranks=tuple(rank_counts[r] for r in range(1, event.rank_count + 1)),
        organisations=tuple(sorted(organisations.items(), key=lambda item: (-item[1], item[0]))),
    )


def _grid(event: Event, runs: tuple[RunView, ...]) -> tuple[GridRow, ...]:
    rows = []
    for slot in event.ordered_slots:
        here = {r.room.id: r for r in runs if slot in r.slots}
        if slot.kind != "session":
            rows.append(GridRow(slot, (), event.slot_link(slot)))
        else:
            rows.append(GridRow(slot, tuple(here.get(room.id) for room in event.rooms)))
    return tuple(rows)


def _rounds(event: Event, plan: Plan) -> tuple[RoundView, ...]:
    """The groups of the networking slots the event knows, in time order (the validator reports the others)."""
    slots = {s.id: s for s in event.networking_slots}
    people = {p.id: p for p in event.people}
    order = {s.id: i for i, s in enumerate(event.networking_slots)}
    rounds = []
    for rnd in sorted((r for r in plan.networking if r.slot in slots), key=lambda r: order[r.slot]):
        slot = slots[rnd.slot]
        groups = tuple(
            GroupView(
                slot=slot,
                id=g.id,
                number=number,
                members=tuple(people[m] for m in g.members if m in people),
                moderator=people.get(g.moderator) if g.moderator is not None else None,
            )
            for number, g in enumerate(rnd.groups, start=1)
        )
        rounds.append(RoundView(slot, groups))
    return tuple(rounds)


def _groups_of(rounds: tuple[RoundView, ...]) -> dict[str, dict[str, GroupView]]:
    """Person id -> networking slot id -> their group."""
    found: dict[str, dict[str, GroupView]] = defaultdict(dict)
    for rnd in rounds:
        for group in rnd.groups:
            for person in group.members:
                found[person.id][rnd.slot.id] = group
    return found


def _where(runs: tuple[RunView, ...]) -> tuple[dict[str, dict[str, RunView]], dict[str, dict[str, RunView]]]:
    """Person id -> slot id -> the run they host there, and the same for the runs they attend (one pass)."""
    hosted: dict[str, dict[str, RunView]] = defaultdict(dict)
    attended: dict[str, dict[str, RunView]] = defaultdict(dict)
    for run in runs:
        for slot in run.slots:
            for host in run.hosts:
                hosted[host.id][slot.id] = run
            for person in run.attendees:
                attended[person.id][slot.id] = run
    return hosted, attended


def _agenda(
    event: Event,
    person: Person,
    hosted: dict[str, RunView],
    attended: dict[str, RunView],
    groups: dict[str, GroupView],
    report: Report,
) -> PersonAgenda:
    ranks = {w.session: w.rank for w in person.wishes}
    blocks: list[AgendaBlock] = []
    for slot in event.ordered_slots:
        kind, run = _spent(person, slot, hosted, attended)
        last = blocks[-1] if blocks else None
        if run is not None and last is not None and last.run is run and last.kind == kind:
            blocks[-1] = AgendaBlock(kind, (*last.slots, slot), run, last.wish_rank, last.link)
            continue
        rank = ranks.get(run.session.id) if run is not None and kind == "session" else None
        blocks.append(AgendaBlock(kind, (slot,), run, rank, _link(event, slot, run), groups.get(slot.id)))
    if not person.participant:
        return PersonAgenda(person, tuple(blocks), (), None, None)
    granted = report.score.granted.get(person.id, ())
    shortfall = report.score.shortfall.get(person.id)
    possible = None if shortfall is None else shortfall + len(granted)
    return PersonAgenda(person, tuple(blocks), granted, possible, shortfall)


def _link(event: Event, slot: Slot, run: RunView | None) -> str:
    """Where to join a block: the run's room; a room without a link is a breakout room of the slot's meeting
    (its link in Zeitfenster) or of the main room."""
    if run is not None:
        return run.room.link or event.slot_link(run.slots[0])
    return event.slot_link(slot) if slot.kind in ("plenary", "networking") else ""


def _spent(
    person: Person, slot: Slot, hosted: dict[str, RunView], attended: dict[str, RunView]
) -> tuple[BlockKind, RunView | None]:
    """How the person spends a slot; hosting comes before anything else because hosts must be there."""
    if slot.kind == "plenary":
        return "plenary", None
    if slot.kind == "networking":
        return ("unavailable" if slot.id in person.unavailable else "networking"), None
    if slot.id in hosted:
        return "hosting", hosted[slot.id]
    if slot.id in attended:
        return "session", attended[slot.id]
    if slot.id in person.unavailable:
        return "unavailable", None
    return "free", None


def _statistics(event: Event, report: Report) -> Statistics:
    score = report.score
    people = event.participants
    k = event.rank_count
    wished = Counter(w.rank for p in people for w in p.wishes)
    granted = Counter(rank for ranks in score.granted.values() for rank in ranks)
    counts = Counter(len(ranks) for ranks in score.granted.values())
    shortfalls = Counter(score.shortfall.values())
    return Statistics(
        participants=len(people),
        rank_count=k,
        wished_by_rank=tuple(wished[r] for r in range(1, k + 1)),
        granted_by_rank=tuple(granted[r] for r in range(1, k + 1)),
        granted_counts=tuple((n, counts[n]) for n in range(max(counts, default=0) + 1)),
        shortfalls=tuple((n, shortfalls[n]) for n in range(max(shortfalls, default=0) + 1)),
        max_shortfall=score.max_shortfall,
        weighted=score.weighted,
        violations=len(report.violations),
    )


def _violation_warnings(report: Report) -> Iterator[Problem]:
    for v in report.violations:
        yield Problem(
            Text(
                f"Der Plan verletzt eine Regel: {rule_name(v.rule, 'de')}. {v.message.de}",
                f"The plan breaks a rule: {rule_name(v.rule, 'en')}. {v.message.en}",
            ),
            severity="error",
        )


def _missing_email_warning(people: tuple[Person, ...]) -> Iterator[Problem]:
    if people:
        names = ", ".join(p.name for p in people)
        yield Problem(
            Text(
                f"{len(people)} Person(en) ohne E-Mail-Adresse: {names}.",
                f"{len(people)} person(s) without an e-mail address: {names}.",
            ),
            Text(
                "Sie fehlen in den Zoom-Listen zur Vorab-Zuteilung; ihre Agenda muss anders zu ihnen kommen.",
                "They are missing from the Zoom pre-assignment lists; their agenda must reach them another way.",
            ),
            severity="warning",
        )
