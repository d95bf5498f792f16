"""What changed between two plans of one event, and why where it can be told: pure, usable on any two plans.

A run is identified by its session and run number; an old run and a new run of the same session are the same
run when they share start slot and room, else they are paired in time order. A run moved when its start slot
or room differs. A person's agenda changed when, in any session slot, the session or the room they attend or
host differs. `plan --previous`, `scheduler diff` and `export --changed-since` all use `compare`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from scheduler.domain import Event
from scheduler.plan import HandEdits, Plan, Run
from scheduler.text import Lang, Text

Reason = Literal[
    "session_dropped",
    "session_added",
    "room_removed",
    "room_smaller",
    "host_unavailable",
    "host_changed",
    "run_moved",
    "hand_edit",
    "late_registration",
    "cancelled",
    "registered",
    "unavailable",
    "no_longer_host",
    "better_plan",
]

NO_EDITS = HandEdits()

REASONS: dict[str, Text] = {
    "session_dropped": Text("Session abgesagt", "session dropped"),
    "session_added": Text("Session neu", "session added"),
    "room_removed": Text("Raum entfällt", "room removed"),
    "room_smaller": Text("Raum kleiner", "room smaller"),
    "host_unavailable": Text("Gastgeber:in nicht verfügbar", "host unavailable"),
    "host_changed": Text("Gastgeber:in gewechselt", "host replaced"),
    "run_moved": Text("Session verschoben", "session moved"),
    "hand_edit": Text("Handänderung", "hand edit"),
    "late_registration": Text("Platz für späte Anmeldung", "seat needed for late registration"),
    "cancelled": Text("abgemeldet", "cancelled"),
    "registered": Text("neu angemeldet", "registered late"),
    "unavailable": Text("neu nicht verfügbar", "newly unavailable"),
    "no_longer_host": Text("hostet nicht mehr", "no longer hosting"),
    "better_plan": Text("besserer Plan (--max-changes)", "better plan (--max-changes)"),
    "group_changed": Text("Vernetzungsgruppe geändert", "networking group changed"),
}


@dataclass(frozen=True)
class Entry:
    """What a person does in one slot: the session and room, attending or hosting; in a networking round the
    group (its id as `session`) and the others in it."""

    session: str
    room: str
    hosting: bool = False
    group: tuple[str, ...] | None = None  # the other members, in a networking round


@dataclass(frozen=True)
class RunMove:
    session: str
    run: int
    old_slot: str
    old_room: str
    new_slot: str
    new_room: str
    reason: str | None


@dataclass(frozen=True)
class SlotChange:
    slot: str
    old: Entry | None
    new: Entry | None


@dataclass(frozen=True)
class AgendaChange:
    person: str
    slots: tuple[SlotChange, ...]  # only the slots that differ
    reason: str | None


@dataclass(frozen=True)
class Item:
    """A person, session or run that is only in one of the two plans."""

    kind: Literal["person", "session", "run"]
    id: str
    reason: str | None


@dataclass(frozen=True)
class Changes:
    runs_moved: tuple[RunMove, ...]
    agendas_changed: tuple[AgendaChange, ...]  # people who had an agenda and still take part
    added: tuple[Item, ...]
    removed: tuple[Item, ...]
    people_before: int  # people with an agenda in the old plan who still take part
    revision: int = 1  # how often the plan was re-planned; calendar entries carry it as SEQUENCE

    def affected(self, new_event: Event) -> tuple[str, ...]:
        """People of the new plan who must be told: their agenda changed or they are new, in event order."""
        ids = {c.person for c in self.agendas_changed} | {i.id for i in self.added if i.kind == "person"}
        return tuple(p.id for p in new_event.people if p.id in ids)

    def summary(self, lang: Lang) -> str:
        """`12 von 136 Agenden ändern sich, 0 Sessions verschoben` and what was added or removed."""
        n, total, moved = len(self.agendas_changed), self.people_before, len(self.runs_moved)
        new = sum(i.kind == "person" for i in self.added)
        gone = sum(i.kind == "person" for i in self.removed)
        dropped = sum(i.kind == "session" for i in self.removed)
        return Text(
            f"{n} von {total} Agenden ändern sich, {moved} Sessions verschoben; "
            f"{new} neu angemeldet, {gone} abgemeldet, {dropped} Sessions entfallen.",
            f"{n} of {total} agendas change, {moved} sessions moved; "
            f"{new} registered late, {gone} cancelled, {dropped} sessions dropped.",
        )(lang)


def agendas(event: Event, plan: Plan, groups: bool = True) -> dict[str, dict[str, Entry]]:
    """Person id -> slot id -> what they attend or host there (hosts as the event names them), and with `groups`
    their networking group in each round."""
    sessions = {s.id: s for s in event.sessions}
    found: dict[str, dict[str, Entry]] = {}
    for run in plan.runs:
        hosts = sessions[run.session].hosts if run.session in sessions else ()
        for slot in run.slots:
            for person in run.attendees:
                found.setdefault(person, {})[slot] = Entry(run.session, run.room)
            for host in hosts:
                found.setdefault(host, {})[slot] = Entry(run.session, run.room, hosting=True)
    for rnd in plan.networking if groups else ():
        for g in rnd.groups:
            for person in g.members:
                others = tuple(sorted(m for m in g.members if m != person))
                found.setdefault(person, {})[rnd.slot] = Entry(g.id, "", group=others)
    return found


def pair_runs(old: Iterable[Run], new: Iterable[Run]) -> tuple[list[tuple[Run, Run]], list[Run], list[Run]]:
    """(old, new) pairs of the same run, old runs without a partner, new runs without a partner."""
    old_by: dict[str, list[Run]] = {}
    new_by: dict[str, list[Run]] = {}
    for run in old:
        old_by.setdefault(run.session, []).append(run)
    for run in new:
        new_by.setdefault(run.session, []).append(run)
    pairs: list[tuple[Run, Run]] = []
    lonely_old: list[Run] = []
    lonely_new: list[Run] = []
    for session in sorted(old_by.keys() | new_by.keys()):
        olds = sorted(old_by.get(session, []), key=lambda r: r.run)
        news = sorted(new_by.get(session, []), key=lambda r: r.run)
        same = [(o, n) for o in olds for n in news if (o.slots[:1], o.room) == (n.slots[:1], n.room)]
        used_old, used_new = set(), set()
        for o, n in same:
            if o.run not in used_old and n.run not in used_new:
                pairs.append((o, n))
                used_old.add(o.run)
                used_new.add(n.run)
        rest_old = [o for o in olds if o.run not in used_old]
        rest_new = [n for n in news if n.run not in used_new]
        pairs += list(zip(rest_old, rest_new, strict=False))
        lonely_old += rest_old[len(rest_new) :]
        lonely_new += rest_new[len(rest_old) :]
    return pairs, lonely_old, lonely_new


def compare(
    old_event: Event,
    old_plan: Plan,
    new_event: Event,
    new_plan: Plan,
    edits: HandEdits = NO_EDITS,
    *,
    revision: int = 1,
    traded: bool = False,
    groups: bool = True,
) -> Changes:
    """Every change from the old plan to the new one; `traded`: agendas may have changed for better wishes;
    `groups`: networking groups count (the re-plan's model leaves them out: they are made after it)."""
    why = _Why(old_event, new_event, edits, traded)
    pairs, lonely_old, lonely_new = pair_runs(old_plan.runs, new_plan.runs)
    moved = tuple(
        RunMove(o.session, n.run, o.slots[0], o.room, n.slots[0], n.room, why.run(o, n))
        for o, n in pairs
        if (o.slots[:1], o.room) != (n.slots[:1], n.room)
    )
    old_agendas, new_agendas = agendas(old_event, old_plan, groups), agendas(new_event, new_plan, groups)
    new_people = {p.id for p in new_event.people}
    old_people = {p.id for p in old_event.people}
    moved_runs = {(m.session, m.old_slot) for m in moved}
    joined = _joined(old_agendas, new_agendas, new_event, old_people)
    kinds = ("session", "networking") if groups else ("session",)
    slots = [s.id for s in new_event.ordered_slots if s.kind in kinds]
    slots += [s.id for s in old_event.ordered_slots if s.kind in kinds and s.id not in set(slots)]
    changed = []
    before = 0
    for person in new_event.people:
        old = old_agendas.get(person.id)
        if person.id not in old_people or not old:
            continue
        before += 1
        new = new_agendas.get(person.id, {})
        diff = tuple(SlotChange(t, old.get(t), new.get(t)) for t in slots if _key(old.get(t)) != _key(new.get(t)))
        if diff:
            changed.append(AgendaChange(person.id, diff, why.agenda(person.id, diff, moved_runs, joined)))
    old_sessions, new_sessions = {s.id for s in old_event.sessions}, {s.id for s in new_event.sessions}
    added = [Item("person", p.id, "registered") for p in new_event.people if p.id not in old_people]
    added += [Item("session", s.id, "session_added") for s in new_event.sessions if s.id not in old_sessions]
    added += [Item("run", f"{r.session}#{r.run}", None) for r in lonely_new if r.session in old_sessions]
    removed = [Item("person", p.id, "cancelled") for p in old_event.people if p.id not in new_people]
    removed += [Item("session", s.id, "session_dropped") for s in old_event.sessions if s.id not in new_sessions]
    removed += [Item("run", f"{r.session}#{r.run}", None) for r in lonely_old if r.session in new_sessions]
    return Changes(moved, tuple(changed), tuple(added), tuple(removed), before, revision)


def _key(entry: Entry | None) -> tuple[str, str, tuple[str, ...] | None] | None:
    return None if entry is None else (entry.session, entry.room, entry.group)


def _joined(
    old: dict[str, dict[str, Entry]], new: dict[str, dict[str, Entry]], event: Event, old_people: set[str]
) -> set[tuple[str, str]]:
    """(session, slot) of new runs that late registrations attend."""
    late = {p.id for p in event.people if p.id not in old_people}
    return {(e.session, t) for person in late for t, e in new.get(person, {}).items() if not e.hosting}


class _Why:
    """The reason of a change where the two events tell it; None where the solver chose it."""

    def __init__(self, old: Event, new: Event, edits: HandEdits, traded: bool) -> None:
        self.old, self.new, self.traded = old, new, traded
        self.new_rooms = {r.id: r for r in new.rooms}
        self.old_rooms = {r.id: r for r in old.rooms}
        self.new_sessions = {s.id: s for s in new.sessions}
        self.old_sessions = {s.id: s for s in old.sessions}
        self.new_people = {p.id: p for p in new.people}
        self.old_people = {p.id: p for p in old.people}
        self.pinned_runs = {(p.session, p.run) for p in edits.runs}
        self.pinned_sessions = {p.session for p in edits.runs}
        self.pinned_seats = {p.person for p in edits.seats}

    def run(self, old: Run, new: Run) -> str | None:
        if (new.session, new.run) in self.pinned_runs:
            return "hand_edit"
        if old.room not in self.new_rooms:
            return "room_removed"
        before, after = self.old_rooms.get(old.room), self.new_rooms[old.room]
        if before is not None and _smaller(after.capacity, before.capacity):
            return "room_smaller"
        session = self.new_sessions.get(old.session)
        if session is not None:
            if any(set(old.slots) & self.new_people[h].unavailable for h in session.hosts if h in self.new_people):
                return "host_unavailable"
            was = self.old_sessions.get(old.session)
            if was is not None and was.hosts != session.hosts:
                return "host_changed"
        return None

    def agenda(
        self,
        person: str,
        diff: tuple[SlotChange, ...],
        moved: set[tuple[str, str]],
        joined: set[tuple[str, str]],
    ) -> str | None:
        sessions = tuple(c for c in diff if not _in_group(c))
        return self._sessions(person, sessions, moved, joined) if sessions else self._groups(person, diff, joined)

    def _groups(self, person: str, diff: tuple[SlotChange, ...], joined: set[tuple[str, str]]) -> str:
        """Only networking groups changed: someone registered late joined, the person is away now, or others
        came or went."""
        was = self.old_people.get(person)
        if was is not None and any(c.slot in self.new_people[person].unavailable - was.unavailable for c in diff):
            return "unavailable"
        if any(c.old is not None and (c.old.session, c.slot) in joined for c in diff):
            return "late_registration"
        return "group_changed"

    def _sessions(
        self,
        person: str,
        diff: tuple[SlotChange, ...],
        moved: set[tuple[str, str]],
        joined: set[tuple[str, str]],
    ) -> str | None:
        olds = [c.old for c in diff if c.old is not None]
        if person in self.pinned_seats:
            return "hand_edit"
        if any(e.session not in self.new_sessions for e in olds):
            return "session_dropped"
        if any(e.room not in self.new_rooms for e in olds):
            return "room_removed"
        was = self.old_people.get(person)
        now = self.new_people[person]
        if was is not None and any(c.slot in now.unavailable - was.unavailable for c in diff):
            return "unavailable"
        if any(e.hosting for c in diff if (e := c.new) is not None and not (c.old and c.old.hosting)):
            return "host_changed"
        if any(e.hosting for e in olds) and not any(c.new and c.new.hosting for c in diff):
            return "no_longer_host"
        if self.pinned_sessions & {e.session for e in olds}:
            return "hand_edit"
        if any((e.session, c.slot) in moved for c in diff if (e := c.old) is not None):
            return "run_moved"
        if any((e.session, c.slot) in joined for c in diff if (e := c.old) is not None):
            return "late_registration"
        return "better_plan" if self.traded else None


def _in_group(change: SlotChange) -> bool:
    return any(e is not None and e.group is not None for e in (change.old, change.new))


def _smaller(after: int | None, before: int | None) -> bool:
    return after is not None and (before is None or after < before)


# -- the plan file's `changes` ---------------------------------------------------------------------------


def _entry(e: Entry | None) -> dict[str, Any] | None:
    if e is None:
        return None
    if e.group is not None:
        return {"group": e.session, "with": list(e.group)}
    return {"session": e.session, "room": e.room, "hosting": e.hosting}


def changes_document(changes: Changes) -> dict[str, Any]:
    """The plan file's `changes` object (JSON-ready, in the order the changes were found)."""
    return {
        "revision": changes.revision,
        "people_before": changes.people_before,
        "runs_moved": [
            {
                "session": m.session,
                "run": m.run,
                "old": {"slot": m.old_slot, "room": m.old_room},
                "new": {"slot": m.new_slot, "room": m.new_room},
                "reason": m.reason,
            }
            for m in changes.runs_moved
        ],
        "agendas_changed": [
            {
                "person": c.person,
                "slots": [{"slot": s.slot, "old": _entry(s.old), "new": _entry(s.new)} for s in c.slots],
                "reason": c.reason,
            }
            for c in changes.agendas_changed
        ],
        "added": [{"kind": i.kind, "id": i.id, "reason": i.reason} for i in changes.added],
        "removed": [{"kind": i.kind, "id": i.id, "reason": i.reason} for i in changes.removed],
    }


def reason_text(reason: str | None, lang: Lang) -> str:
    return REASONS[reason](lang) if reason in REASONS else ""


def foreign(old_event: Event, new_event: Event) -> Text | None:
    """Why the previous plan does not belong to the event (another name, most people unknown); None if it does."""
    if old_event.name != new_event.name:
        return Text(
            f'Der vorige Plan gehört zu einer anderen Veranstaltung ("{old_event.name}", nicht "{new_event.name}"). '
            f"Bitte den Plan angeben, der für diese Veranstaltung verschickt wurde.",
            f'The previous plan belongs to another event ("{old_event.name}", not "{new_event.name}"). '
            f"Please give the plan that was sent out for this event.",
        )
    old_people = {p.id for p in old_event.people}
    known = len(old_people & {p.id for p in new_event.people})
    if old_people and known * 2 < len(old_people):
        return Text(
            f"Von {len(old_people)} Personen des vorigen Plans sind nur {known} in der Veranstaltung; der Plan "
            f"gehört wohl zu einer anderen Anmeldeliste. Bitte den Plan angeben, der verschickt wurde.",
            f"Of the previous plan's {len(old_people)} people only {known} are in the event; the plan probably "
            f"belongs to another list of registrations. Please give the plan that was sent out.",
        )
    return None
