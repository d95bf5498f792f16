"""Why no plan can exist, found by counting alone, each with the change that would cure it.

Rooms × slots against runs, hosts against the slots they are free, seats per slot against the people present,
minimums against the people who could come. `plan` runs these before the solver and `check` runs them without
it: this module loads no CP-SAT (the seat count uses OR-Tools' small min-cost-flow library only, loaded when the
other counts pass).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import ceil

from scheduler.domain import Event, Person, Session
from scheduler.model.facts import RoomClass, allowed_starts, bound_people, room_classes, seat_limit, session_name
from scheduler.model.pin_reasons import pin_reasons
from scheduler.text import Text

FIXES_SHOWN = 3  # capacity changes named per short slot


@dataclass(frozen=True)
class Finding:
    """One contradiction: what does not add up, and one change (or a choice of changes) that would cure it."""

    reason: Text
    fix: Text

    @property
    def sentence(self) -> Text:
        return Text(f"{self.reason.de} {self.fix.de}", f"{self.reason.en} {self.fix.en}")


def _ids(ids: list[str]) -> str:
    return ", ".join(ids)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def counting_findings(event: Event) -> list[Finding]:
    """Every contradiction counting finds; empty when counting finds none (the solver may still find one)."""
    classes = room_classes(event)
    found = []
    for s in sorted(event.sessions, key=lambda s: s.id):
        found += _placement_findings(event, s, classes)
    found += _room_slot_findings(event)
    found += _host_findings(event)
    found += [Finding(reason, fix) for reason, fix in pin_reasons(event, classes)]
    if not found:
        found += _seat_findings(event, classes)
        found += _minimum_findings(event, classes)
    return found


def counting_reasons(event: Event) -> list[Text]:
    """The findings as sentences (reason, then fix), for the explanation of an infeasible `plan`."""
    return [f.sentence for f in counting_findings(event)]


def _placement_findings(event: Event, s: Session, classes: tuple[RoomClass, ...]) -> list[Finding]:
    """A session with no place at all, or with fewer possible slots than runs."""
    pairs = allowed_starts(event, s, classes)
    if not pairs:
        return [_why_no_place(event, s, classes)]
    starts = sorted({t for t, _ in pairs}, key=[x.id for x in event.session_slots].index)
    possible = _disjoint_runs(event, s, starts)
    if possible >= s.runs:
        return []
    return [
        Finding(
            Text(
                f"Session {session_name(s)} hat {s.runs} Durchläufe, kann aber nur {possible}-mal stattfinden "
                f"(mögliche Beginn-Zeitfenster: {_ids(starts)}).",
                f"Session {session_name(s, 'en')} has {s.runs} runs but can only take place {possible} time(s) "
                f"(possible start slots: {_ids(starts)}).",
            ),
            Text(
                f"Abhilfe: Durchläufe von {s.id} auf {possible} senken, oder mehr Zeitfenster für {s.id} freigeben.",
                f"Fix: lower the runs of {s.id} to {possible}, or free more slots for {s.id}.",
            ),
        )
    ]


def _disjoint_runs(event: Event, s: Session, starts: list[str]) -> int:
    """How many runs fit without overlapping (greedy by end, which is optimal for intervals)."""
    index = {x.id: i for i, x in enumerate(event.session_slots)}
    count, free_from = 0, -1
    for t in starts:
        if index[t] >= free_from:
            count += 1
            free_from = index[t] + s.duration
    return count


def _why_no_place(event: Event, s: Session, classes: tuple[RoomClass, ...]) -> Finding:
    name, name_en = session_name(s), session_name(s, "en")
    rooms_ok = [c for c in classes if s.features <= c.features and (s.fixed_room is None or s.fixed_room in c.rooms)]
    if not rooms_ok:
        wanted = ", ".join(sorted(s.features)) or "-"
        if s.fixed_room is not None:
            return Finding(
                Text(
                    f"Session {name} ist fest in Raum {s.fixed_room}, der die Merkmale „{wanted}“ nicht hat.",
                    f"Session {name_en} is fixed to room {s.fixed_room}, which lacks the features “{wanted}”.",
                ),
                Text(
                    f"Abhilfe: Raum {s.fixed_room} die Merkmale geben, oder {s.id} nicht fest in diesen Raum legen.",
                    f"Fix: give room {s.fixed_room} the features, or do not fix {s.id} to that room.",
                ),
            )
        return Finding(
            Text(
                f"Session {name} braucht einen Raum mit den Merkmalen „{wanted}“, aber keinen Raum hat sie alle.",
                f"Session {name_en} needs a room with the features “{wanted}”, but no room has all of them.",
            ),
            Text(
                f"Abhilfe: einem Raum die Merkmale „{wanted}“ geben, oder sie bei {s.id} streichen.",
                f"Fix: give one room the features “{wanted}”, or drop them from {s.id}.",
            ),
        )
    starts = event.start_slots(s.duration)
    if s.fixed_slot is not None:
        starts = tuple(t for t in starts if t == s.fixed_slot)
    blocked_de, blocked_en = [], []
    for t in starts:
        covered = set(event.covered_slots(t, s.duration))
        if covered & s.not_in:
            blocked_de.append(f"{t}: steht in „Nicht in“")
            blocked_en.append(f"{t}: listed in “Not in”")
            continue
        away = [event.person(h).name for h in bound_people(event, s) if covered & event.person(h).unavailable]
        blocked_de.append(f"{t}: {_ids(away)} nicht verfügbar")
        blocked_en.append(f"{t}: {_ids(away)} not available")
    return Finding(
        Text(
            f"Session {name} findet kein Zeitfenster ({'; '.join(blocked_de) or 'keines frei'}).",
            f"Session {name_en} finds no slot ({'; '.join(blocked_en) or 'none free'}).",
        ),
        Text(
            f"Abhilfe: für {s.id} ein Zeitfenster freigeben („Nicht in“, festes Zeitfenster oder die "
            "Verfügbarkeit der Gastgeber*innen ändern).",
            f"Fix: free one slot for {s.id} (change “Not in”, the fixed slot or the hosts' availability).",
        ),
    )


def _room_slot_findings(event: Event) -> list[Finding]:
    needed = sum(s.runs * s.duration for s in event.sessions)
    rooms, slots = len(event.rooms), len(event.session_slots)
    if needed <= rooms * slots:
        return []
    more_rooms = ceil(needed / slots) - rooms if slots else 0
    fewer = needed - rooms * slots
    room_de = _plural(more_rooms, "Raum", "Räume") + " mehr, oder " if slots else ""
    room_en = _plural(more_rooms, "room", "rooms") + " more, or " if slots else ""
    return [
        Finding(
            Text(
                f"Die Sessions brauchen {needed} Raum-Zeitfenster (Durchläufe × Dauer), es gibt aber nur "
                f"{rooms * slots} ({rooms} Räume × {slots} Zeitfenster).",
                f"The sessions need {needed} room slots (runs × duration), but there are only {rooms * slots} "
                f"({rooms} rooms × {slots} slots).",
            ),
            Text(
                f"Abhilfe: {room_de}{_plural(fewer, 'Durchlauf', 'Durchläufe')} weniger (z. B. "
                f"{_plural(fewer, 'Session', 'Sessions')} weniger), oder ein Session-Zeitfenster mehr.",
                f"Fix: {room_en}{_plural(fewer, 'run', 'runs')} fewer (e.g. {_plural(fewer, 'session', 'sessions')} "
                "fewer), or one more session slot.",
            ),
        )
    ]


def _host_findings(event: Event) -> list[Finding]:
    found = []
    for host, sessions in sorted(event.hosted_sessions.items()):
        person = event.person(host)
        busy = sum(event.session(s).runs * event.session(s).duration for s in sessions)
        free = sum(t.id not in person.unavailable for t in event.session_slots)
        if busy > free:
            found.append(
                Finding(
                    Text(
                        f"{person.name} leitet {_ids(list(sessions))} und ist damit {busy} Zeitfenster beschäftigt, "
                        f"aber nur in {free} Zeitfenstern verfügbar.",
                        f"{person.name} hosts {_ids(list(sessions))}, which takes {busy} slots, but is available "
                        f"in only {free} slots.",
                    ),
                    Text(
                        f"Abhilfe: {person.name} für "
                        f"{_plural(busy - free, 'weiteres Zeitfenster', 'weitere Zeitfenster')} verfügbar machen, "
                        f"oder {_plural(busy - free, 'Durchlauf', 'Durchläufe')} einer anderen Person geben.",
                        f"Fix: make {person.name} available in {_plural(busy - free, 'more slot', 'more slots')}, or "
                        f"give {_plural(busy - free, 'run', 'runs')} to another host.",
                    ),
                )
            )
    return found


def _seat_findings(event: Event, classes: tuple[RoomClass, ...]) -> list[Finding]:
    """Per session slot: people who need a seat versus the most seats any timetable can offer."""
    found = []
    for slot in event.session_slots:
        needing = _needing(event, slot.id, classes)
        seats = _most_seats(event, slot.id, classes, needing)
        if needing > seats:
            found.append(
                Finding(
                    Text(
                        f"Zeitfenster {slot.id}: {needing} Personen, aber nur {seats} Plätze.",
                        f"Slot {slot.id}: {needing} people but only {seats} seats.",
                    ),
                    _seat_fix(event, slot.id, needing - seats),
                )
            )
    return found


def _needing(event: Event, slot: str, classes: tuple[RoomClass, ...]) -> int:
    """People present in the slot who need a seat: participants, less hosts who may be hosting then."""
    hosts = set(event.hosted_sessions)
    present = [p for p in event.participants if slot not in p.unavailable]
    return sum(p.id not in hosts for p in present) + _hosts_seated(event, slot, present, classes)


def _hosts_seated(event: Event, slot: str, present: list[Person], classes: tuple[RoomClass, ...]) -> int:
    """Hosts present in the slot whose sessions can never cover it: they need a seat too."""
    count = 0
    for p in present:
        sessions = event.hosted_sessions.get(p.id, ())
        if sessions and not any(
            slot in event.covered_slots(t, event.session(s).duration)
            for s in sessions
            for t, _ in allowed_starts(event, event.session(s), classes)
        ):
            count += 1
    return count


def _seat_fix(event: Event, slot: str, missing: int) -> Text:
    """Capacity changes that alone would give the slot enough seats (tried one by one), else the general fix."""
    cures_de, cures_en = [], []
    for kind_de, kind_en, item_id, capacity, changed in _capacity_changes(event, missing):
        classes = room_classes(changed)
        needing = _needing(changed, slot, classes)
        if _most_seats(changed, slot, classes, needing) >= needing:
            cures_de.append(f"Kapazität von {kind_de} {item_id} auf mindestens {capacity}")
            cures_en.append(f"capacity of {kind_en} {item_id} to at least {capacity}")
        if len(cures_de) == FIXES_SHOWN:
            break
    places = _plural(missing, "Platz", "Plätze")
    general_de = f"{places} mehr in {slot} (ein Raum oder eine Session mehr, oder höhere Kapazitäten)"
    general_en = (
        f"{_plural(missing, 'more seat', 'more seats')} in {slot} (one more room or session, or higher capacities)"
    )
    if not cures_de:
        return Text(f"Abhilfe: {general_de}.", f"Fix: {general_en}.")
    return Text(
        f"Abhilfe: {' oder '.join(cures_de)}; oder allgemein {general_de}.",
        f"Fix: {' or '.join(cures_en)}; or in general {general_en}.",
    )


def _capacity_changes(event: Event, missing: int) -> list[tuple[str, str, str, int, Event]]:
    """Each session and room with a capacity, raised by `missing`, as (kind, id, new capacity, changed event)."""
    changes = []
    for i, s in enumerate(event.sessions):
        if s.capacity is not None:
            sessions = (*event.sessions[:i], replace(s, capacity=s.capacity + missing), *event.sessions[i + 1 :])
            changes.append(("Session", "session", s.id, s.capacity + missing, replace(event, sessions=sessions)))
    for i, r in enumerate(event.rooms):
        if r.capacity is not None:
            rooms = (*event.rooms[:i], replace(r, capacity=r.capacity + missing), *event.rooms[i + 1 :])
            changes.append(("Raum", "room", r.id, r.capacity + missing, replace(event, rooms=rooms)))
    return changes


def _most_seats(event: Event, slot: str, classes: tuple[RoomClass, ...], cap: int) -> int:
    """The largest number of seats in one slot: a best matching of sessions to rooms (one run each)."""
    from ortools.graph.python import min_cost_flow  # the flow library only, not CP-SAT

    flow = min_cost_flow.SimpleMinCostFlow()
    sessions = sorted(event.sessions, key=lambda s: s.id)
    rooms = [(c, r) for c in classes for r in c.rooms]
    source, sink = 0, 1 + len(sessions) + len(rooms)
    for i, s in enumerate(sessions, start=1):
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
        usable = {c for t, c in allowed_starts(event, s, classes) if slot in event.covered_slots(t, s.duration)}
        for j, (c, _) in enumerate(rooms, start=1 + len(sessions)):
            if c.id in usable:
                flow.add_arc_with_capacity_and_unit_cost(i, j, 1, -min(seat_limit(event, s, c), cap))
    for j in range(1 + len(sessions), sink):
        flow.add_arc_with_capacity_and_unit_cost(j, sink, 1, 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, len(sessions), 0)
    flow.set_node_supply(source, len(sessions))
    flow.set_node_supply(sink, -len(sessions))
    if flow.solve() != flow.OPTIMAL:
        return cap
    return -flow.optimal_cost()


def _minimum_findings(event: Event, classes: tuple[RoomClass, ...]) -> list[Finding]:
    """A session whose minimum attendance exceeds the people who could come at all."""
    found = []
    for s in sorted(event.sessions, key=lambda s: s.id):
        if s.minimum == 0:
            continue
        coverings = [set(event.covered_slots(t, s.duration)) for t in {t for t, _ in allowed_starts(event, s, classes)}]
        could = sum(p.id not in s.hosts and any(not (c & p.unavailable) for c in coverings) for p in event.participants)
        if s.minimum * s.runs > could:
            runs_de = (
                f", oder die Durchläufe auf {could // s.minimum} senken" if s.runs > 1 and could >= s.minimum else ""
            )
            runs_en = f", or lower the runs to {could // s.minimum}" if s.runs > 1 and could >= s.minimum else ""
            found.append(
                Finding(
                    Text(
                        f"Session {session_name(s)} braucht {s.runs} × mindestens {s.minimum} Teilnehmende, aber "
                        f"nur {could} Personen können teilnehmen.",
                        f"Session {session_name(s, 'en')} needs {s.runs} × at least {s.minimum} participants, but "
                        f"only {could} people can attend.",
                    ),
                    Text(
                        f"Abhilfe: das Minimum von {s.id} auf höchstens {could // s.runs} senken{runs_de}.",
                        f"Fix: lower the minimum of {s.id} to at most {could // s.runs}{runs_en}.",
                    ),
                )
            )
    return found
