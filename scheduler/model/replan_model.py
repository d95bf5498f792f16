"""The terms of the re-planning model: the previous plan as the new event sees it, the joint model with every
room its own class, moved runs, changed agendas (one `keep` literal per person who had an agenda), the hand
edits as constraints, and the previous plan as the hint. `replan` runs the phases over them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

from scheduler.changes import Entry
from scheduler.domain import Event
from scheduler.model import explain
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, RoomClass, Timetable, allowed_starts
from scheduler.model.replan_hint import repaired
from scheduler.plan import HandEdits, Plan
from scheduler.text import Text


@dataclass
class Previous:
    """The previous plan as the new event sees it."""

    runs: dict[str, list[tuple[str, str]]]  # session -> (start, room) of each old run, in run order
    entries: dict[str, dict[str, tuple[Entry, str]]]  # person -> slot -> (entry, start of its run)
    slots: set[str] = field(default_factory=set)  # session slots of the previous plan


def singleton_classes(event: Event) -> tuple[RoomClass, ...]:
    """Every room its own class, so the model knows which room a run is in."""
    return tuple(sorted((RoomClass(r.id, (r.id,), r.capacity, r.features) for r in event.rooms), key=lambda c: c.id))


class ReplanVars(PlanVars):
    """The joint model's variables plus one `keep` literal per person who had an agenda, hinted with the rest
    (CP-SAT did not even find the hinted plan again within a phase's work when the keep literals had no hint)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keeps: list[tuple[cp_model.IntVar, str, dict[str, tuple[Entry, str]], list[str]]] = []

    def hint(self, placed: Iterable[Placed]) -> None:
        placed = list(placed)
        super().hint(placed)
        runs = {(r.session, r.start, r.room_class): r for r in placed}
        slots_of: dict[str, set[str]] = {}
        for r in placed:
            people = set(r.attendees) | set(self.event.session(r.session).hosts)
            for person in people:
                slots_of.setdefault(person, set()).update(self.covered(r.session, r.start))
        for keep, person, mine, empty in self.keeps:
            same = all(
                (run := runs.get((e.session, start, e.room))) is not None and (e.hosting or person in run.attendees)
                for e, start in mine.values()
            )
            self.model.add_hint(keep, same and not slots_of.get(person, set()) & set(empty))


@dataclass
class ReplanModel:
    model: cp_model.CpModel
    v: ReplanVars
    moved: cp_model.LinearExprT
    changed: cp_model.LinearExprT
    forced: int  # old runs that cannot stay in their slot and room


Domain = Literal["kept", "all"]


def build(
    event: Event,
    classes: tuple[RoomClass, ...],
    old: Previous,
    edits: HandEdits,
    domain: Domain,
    runs: dict[str, list[tuple[str, str]]] | None = None,
) -> ReplanModel:
    """The joint model with the hand edits. `domain` kept: only runs that cannot stay may move (`runs`, default
    the old runs, are the ones to keep); all: anywhere allowed."""
    model = cp_model.CpModel()
    timetable = None if domain == "all" else _domain(event, classes, old.runs if runs is None else runs, edits)
    v = ReplanVars(event, model, timetable=timetable, classes=classes)
    build_rules(event, model, v, Guard(model))
    problems = _pin(event, model, v, edits)
    if problems:
        raise explain.Infeasible(problems)
    moved, forced = _moved(model, v, old, edits if domain == "kept" else None)
    return ReplanModel(model, v, moved, _changed(event, model, v, old), forced)


def previous_of(old_event: Event, old_plan: Plan) -> Previous:
    sessions = {s.id: s for s in old_event.sessions}
    runs: dict[str, list[tuple[str, str]]] = {}
    entries: dict[str, dict[str, tuple[Entry, str]]] = {}
    for run in sorted(old_plan.runs, key=lambda r: (r.session, r.run)):
        if not run.slots:
            continue
        start = run.slots[0]
        runs.setdefault(run.session, []).append((start, run.room))
        hosts = sessions[run.session].hosts if run.session in sessions else ()
        for slot in run.slots:
            for person in run.attendees:
                entries.setdefault(person, {})[slot] = (Entry(run.session, run.room), start)
            for host in hosts:
                entries.setdefault(host, {})[slot] = (Entry(run.session, run.room, hosting=True), start)
    return Previous(runs, entries, {s.id for s in old_event.session_slots})


def _domain(
    event: Event, classes: tuple[RoomClass, ...], runs: dict[str, list[tuple[str, str]]], edits: HandEdits
) -> Timetable:
    """Kept timetable: a session whose runs can all stay gets only those; others may go anywhere allowed."""
    pinned = {p.session for p in edits.runs}
    domain: Timetable = {}
    for s in event.sessions:
        allowed = allowed_starts(event, s, classes)
        kept = [pair for pair in runs.get(s.id, [])[: s.runs] if pair in allowed]
        free = len(kept) < s.runs or s.id in pinned
        domain[s.id] = tuple(allowed) if free else tuple(kept)
    return domain


def _var(v: PlanVars, session: str, start: str, room: str) -> cp_model.IntVar | None:
    return dict(v.placements_of(session)).get((session, start, room))


def _moved(
    model: cp_model.CpModel, v: PlanVars, old: Previous, keep: HandEdits | None
) -> tuple[cp_model.LinearExprT, int]:
    """Old runs of sessions that still exist, not in their old slot and room, and how many of them cannot stay;
    `keep` (the hand edits): every old run that can stay, stays, unless a hand edit moves its session."""
    pinned = {p.session for p in keep.runs} if keep is not None else set()
    terms: list[cp_model.LinearExprT] = []
    forced = 0
    for s in v.sessions:
        pairs = old.runs.get(s.id, [])
        if not pairs:
            continue
        stay = [var for start, room in pairs if (var := _var(v, s.id, start, room)) is not None]
        terms.append(min(s.runs, len(pairs)) - cp_model.LinearExpr.sum(stay))
        forced += max(0, min(s.runs, len(pairs)) - len(stay))
        if keep is not None and s.id not in pinned:
            for var in stay[: s.runs]:
                model.add(var == 1)
    return cp_model.LinearExpr.sum(terms), forced


def _changed(event: Event, model: cp_model.CpModel, v: ReplanVars, old: Previous) -> cp_model.LinearExprT:
    """People who had an agenda and whose agenda differs in some slot (session or room attended or hosted)."""
    hosted = event.hosted_sessions
    people = {p.id for p in event.people}
    had = [p for p in sorted(old.entries) if p in people]
    keeps = []
    for person in had:
        mine = old.entries[person]
        literals: list[cp_model.IntVar] = []
        empty: list[str] = []
        possible = all(slot in v.slot_ids for slot in mine)
        for slot in v.slot_ids:
            if not possible:
                break
            if slot not in mine:
                empty.append(slot)
                continue
            entry, start = mine[slot]
            y = _var(v, entry.session, start, entry.room)
            if y is None:
                a = None
            elif entry.hosting:
                a = y if person in event.session(entry.session).hosts else None
            else:
                a = v.attends(person, entry.session, start)
            if y is None or a is None:
                possible = False
            else:
                literals += [y, a]
        if not possible:
            continue
        keep = model.new_bool_var(f"keep[{person}]")
        v.keeps.append((keep, person, dict(mine), empty))
        for literal in dict.fromkeys(literals):
            model.add_implication(keep, literal)
        for slot in empty:
            busy = [*v.present(person, slot), *(v.covers(s, slot) for s in hosted.get(person, ()))]
            if busy:
                model.add(cp_model.LinearExpr.sum(busy) == 0).only_enforce_if(keep)
        keeps.append(keep)
    return len(had) - cp_model.LinearExpr.sum(keeps)


def _pin(event: Event, model: cp_model.CpModel, v: PlanVars, edits: HandEdits) -> list[Text]:
    """The hand edits as hard constraints; the reasons why some cannot hold at all."""
    problems: list[Text] = []
    sessions = {s.id for s in event.sessions}
    participants = {p.id for p in event.participants}
    for pin in edits.runs:
        var = _var(v, pin.session, pin.slot, pin.room) if pin.session in sessions else None
        if var is None:
            problems.append(
                Text(
                    f"Handänderung: Session {pin.session} (Durchlauf {pin.run}) kann nicht in Zeitfenster "
                    f"{pin.slot}, Raum {pin.room} liegen (Session, Raum oder Zeitfenster gibt es nicht, oder eine "
                    f"feste Regel verbietet es).",
                    f"Hand edit: session {pin.session} (run {pin.run}) cannot be in slot {pin.slot}, room "
                    f"{pin.room} (no such session, room or slot, or a fixed rule forbids it).",
                )
            )
        else:
            model.add(var == 1)
    for seat in edits.seats:
        if seat.person not in participants or seat.slot not in v.slot_ids:
            problems.append(
                Text(
                    f"Handänderung: {seat.person} in Zeitfenster {seat.slot}: Person oder Zeitfenster gibt es "
                    f"nicht (mehr).",
                    f"Hand edit: {seat.person} in slot {seat.slot}: no such person or slot (any more).",
                )
            )
            continue
        if seat.session is None:
            model.add(cp_model.LinearExpr.sum(v.present(seat.person, seat.slot)) == 0)
            continue
        runs = [
            var
            for t in (v.starts_covering(seat.session, seat.slot) if seat.session in sessions else ())
            if (var := v.attends(seat.person, seat.session, t)) is not None
        ]
        if not runs:
            problems.append(
                Text(
                    f"Handänderung: {seat.person} kann in Zeitfenster {seat.slot} nicht Session {seat.session} "
                    f"besuchen (Session gibt es nicht, sie kann dort nicht liegen, die Person hostet sie oder ist "
                    f"nicht verfügbar).",
                    f"Hand edit: {seat.person} cannot attend session {seat.session} in slot {seat.slot} (no such "
                    f"session, it cannot be there, the person hosts it or is unavailable).",
                )
            )
        else:
            model.add(cp_model.LinearExpr.sum(runs) == 1)
    return problems


def hint_previous(event: Event, v: PlanVars, old: Previous) -> None:
    """The previous plan, repaired where it no longer fits, as a complete hint of the first phase."""
    seats: dict[str, set[tuple[str, str]]] = {}
    for person, mine in old.entries.items():
        seats[person] = {(entry.session, start) for entry, start in mine.values() if not entry.hosting}
    v.hint(repaired(event, v, old.runs, seats))
