"""Why no plan can exist, in the organiser's words.

First cheap counting checks that name sessions, slots, hosts and numbers. When they find nothing, the solver's
own evidence: every rule is guarded by an assumption literal per session, slot or host, and CP-SAT returns a
set of them that cannot hold together (`sufficient_assumptions_for_infeasibility`), shrunk further where cheap.
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from scheduler.domain import Event, Session
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import RoomClass, allowed_starts, bound_people, room_classes, seat_limit
from scheduler.model.pin_reasons import pin_reasons, pin_sentence
from scheduler.text import Text

CORE_SECONDS = 10.0  # time for the solver's evidence
SHRINK_SECONDS = 10.0  # time for making that evidence smaller


class Infeasible(Exception):
    """No plan can satisfy every hard rule; `reasons` say why."""

    def __init__(self, reasons: list[Text]) -> None:
        super().__init__("\n".join(r("en") for r in reasons))
        self.reasons = reasons


def _session_name(s: Session) -> str:
    return f"{s.id} „{s.title}“" if s.title else s.id


def _session_name_en(s: Session) -> str:
    return f"{s.id} “{s.title}”" if s.title else s.id


def _ids(ids: list[str]) -> str:
    return ", ".join(ids)


# -- counting checks ---------------------------------------------------------------------------------


def counting_reasons(event: Event) -> list[Text]:
    """Reasons found by counting alone; empty when counting finds no contradiction."""
    classes = room_classes(event)
    reasons = []
    for s in sorted(event.sessions, key=lambda s: s.id):
        reasons += _placement_reasons(event, s, classes)
    reasons += _room_slot_reasons(event)
    reasons += _host_reasons(event)
    reasons += pin_reasons(event, classes)
    if not reasons:
        reasons += _seat_reasons(event, classes)
        reasons += _minimum_reasons(event, classes)
    return reasons


def _placement_reasons(event: Event, s: Session, classes: tuple[RoomClass, ...]) -> list[Text]:
    """A session with no place at all, or with fewer possible slots than runs."""
    name, name_en = _session_name(s), _session_name_en(s)
    pairs = allowed_starts(event, s, classes)
    if not pairs:
        return [_why_no_place(event, s, classes)]
    starts = sorted({t for t, _ in pairs}, key=[x.id for x in event.session_slots].index)
    possible = _disjoint_runs(event, s, starts)
    if possible < s.runs:
        return [
            Text(
                f"Session {name} hat {s.runs} Durchläufe, kann aber nur {possible}-mal stattfinden "
                f"(mögliche Beginn-Zeitfenster: {_ids(starts)}).",
                f"Session {name_en} has {s.runs} runs but can only take place {possible} time(s) "
                f"(possible start slots: {_ids(starts)}).",
            )
        ]
    return []


def _disjoint_runs(event: Event, s: Session, starts: list[str]) -> int:
    """How many runs fit without overlapping (greedy by end, which is optimal for intervals)."""
    index = {x.id: i for i, x in enumerate(event.session_slots)}
    count, free_from = 0, -1
    for t in starts:
        if index[t] >= free_from:
            count += 1
            free_from = index[t] + s.duration
    return count


def _why_no_place(event: Event, s: Session, classes: tuple[RoomClass, ...]) -> Text:
    name, name_en = _session_name(s), _session_name_en(s)
    rooms_ok = [c for c in classes if s.features <= c.features and (s.fixed_room is None or s.fixed_room in c.rooms)]
    if not rooms_ok:
        wanted = ", ".join(sorted(s.features)) or "-"
        if s.fixed_room is not None:
            return Text(
                f"Session {name} ist fest in Raum {s.fixed_room}, der die Merkmale „{wanted}“ nicht hat.",
                f"Session {name_en} is fixed to room {s.fixed_room}, which lacks the features “{wanted}”.",
            )
        return Text(
            f"Session {name} braucht einen Raum mit den Merkmalen „{wanted}“, aber keinen Raum hat sie alle.",
            f"Session {name_en} needs a room with the features “{wanted}”, but no room has all of them.",
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
    return Text(
        f"Session {name} findet kein Zeitfenster ({'; '.join(blocked_de) or 'keines frei'}).",
        f"Session {name_en} finds no slot ({'; '.join(blocked_en) or 'none free'}).",
    )


def _room_slot_reasons(event: Event) -> list[Text]:
    needed = sum(s.runs * s.duration for s in event.sessions)
    rooms, slots = len(event.rooms), len(event.session_slots)
    if needed <= rooms * slots:
        return []
    return [
        Text(
            f"Die Sessions brauchen {needed} Raum-Zeitfenster (Durchläufe × Dauer), es gibt aber nur "
            f"{rooms * slots} ({rooms} Räume × {slots} Zeitfenster).",
            f"The sessions need {needed} room slots (runs × duration), but there are only {rooms * slots} "
            f"({rooms} rooms × {slots} slots).",
        )
    ]


def _host_reasons(event: Event) -> list[Text]:
    reasons = []
    for host, sessions in sorted(event.hosted_sessions.items()):
        person = event.person(host)
        busy = sum(event.session(s).runs * event.session(s).duration for s in sessions)
        free = sum(t.id not in person.unavailable for t in event.session_slots)
        if busy > free:
            reasons.append(
                Text(
                    f"{person.name} leitet {_ids(list(sessions))} und ist damit {busy} Zeitfenster beschäftigt, "
                    f"aber nur in {free} Zeitfenstern verfügbar.",
                    f"{person.name} hosts {_ids(list(sessions))}, which takes {busy} slots, but is available in "
                    f"only {free} slots.",
                )
            )
    return reasons


def _seat_reasons(event: Event, classes: tuple[RoomClass, ...]) -> list[Text]:
    """Per session slot: people who need a seat versus the most seats any timetable can offer."""
    hosts = set(event.hosted_sessions)
    reasons = []
    for slot in event.session_slots:
        present = [p for p in event.participants if slot.id not in p.unavailable]
        needing = sum(p.id not in hosts for p in present) + _hosts_seated(event, slot.id, present)
        seats = _most_seats(event, slot.id, classes, needing)
        if needing > seats:
            reasons.append(
                Text(
                    f"Zeitfenster {slot.id}: {needing} Personen, aber nur {seats} Plätze.",
                    f"Slot {slot.id}: {needing} people but only {seats} seats.",
                )
            )
    return reasons


def _hosts_seated(event: Event, slot: str, present: list) -> int:
    """Hosts present in the slot whose sessions can never cover it: they need a seat too."""
    classes = room_classes(event)
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


def _most_seats(event: Event, slot: str, classes: tuple[RoomClass, ...], cap: int) -> int:
    """The largest number of seats in one slot: a best matching of sessions to rooms (one run each)."""
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


def _minimum_reasons(event: Event, classes: tuple[RoomClass, ...]) -> list[Text]:
    """A session whose minimum attendance exceeds the people who could come at all."""
    reasons = []
    for s in sorted(event.sessions, key=lambda s: s.id):
        if s.minimum == 0:
            continue
        coverings = [set(event.covered_slots(t, s.duration)) for t in {t for t, _ in allowed_starts(event, s, classes)}]
        could = sum(p.id not in s.hosts and any(not (c & p.unavailable) for c in coverings) for p in event.participants)
        if s.minimum * s.runs > could:
            name, name_en = _session_name(s), _session_name_en(s)
            reasons.append(
                Text(
                    f"Session {name} braucht {s.runs} × mindestens {s.minimum} Teilnehmende, aber nur {could} "
                    f"Personen können teilnehmen.",
                    f"Session {name_en} needs {s.runs} × at least {s.minimum} participants, but only {could} people "
                    f"can attend.",
                )
            )
    return reasons


# -- the solver's evidence ---------------------------------------------------------------------------


def solver_reasons(event: Event, seed: int = 0) -> list[Text]:
    """Rules that cannot hold together, from CP-SAT's assumptions core."""
    model = cp_model.CpModel()
    v = PlanVars(event, model)
    guard = Guard(model, enabled=True)
    build_rules(event, model, v, guard)
    keys = sorted(guard.literals)
    core = _core(model, [guard.literals[k] for k in keys], seed, CORE_SECONDS)
    if core is None:
        return [_UNKNOWN]
    by_index = {guard.literals[k].index: k for k in keys}
    chosen = [by_index[i] for i in core]
    chosen = _shrink(model, guard, chosen, seed)
    return [_INTRO] + [_sentence(event, v, rule, key) for rule, key in chosen]


def _core(model: cp_model.CpModel, literals: list[cp_model.IntVar], seed: int, seconds: float) -> list[int] | None:
    """Indices of assumption literals that together are infeasible; None when the solver cannot tell."""
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.catch_sigint_signal = False
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    return sorted(solver.sufficient_assumptions_for_infeasibility())


def _shrink(model: cp_model.CpModel, guard: Guard, chosen: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """Drop every rule whose removal keeps the rest infeasible (deletion filter, within a small time budget)."""
    budget = SHRINK_SECONDS / max(len(chosen), 1)
    kept = list(chosen)
    for key in chosen:
        trial = [k for k in kept if k != key]
        if trial and _core(model, [guard.literals[k] for k in trial], seed, budget) is not None:
            kept = trial
    return kept


_INTRO = Text(
    "Kein Plan möglich: diese Regeln lassen sich nicht zugleich erfüllen:",
    "No plan is possible: these rules cannot all hold at once:",
)
_UNKNOWN = Text(
    "Kein Plan gefunden, und der Solver konnte in der Zeit keinen Grund bestimmen.",
    "No plan found, and the solver could not determine a reason in time.",
)


def _sentence(event: Event, v: PlanVars, rule: str, key: str) -> Text:
    """One guarded rule, with the ids and numbers it is about."""
    pinned = pin_sentence(event, rule, key)
    if pinned is not None:
        return pinned
    if rule == "agenda":
        present = sum(key not in p.unavailable for p in event.participants)
        return Text(
            f"Zeitfenster {key}: alle {present} anwesenden Teilnehmenden brauchen einen Platz in einer Session.",
            f"Slot {key}: all {present} participants present need a seat in a session.",
        )
    if rule == "rooms":
        rooms = _ids([r.id for r in event.rooms])
        return Text(
            f"Zeitfenster {key}: jeder Raum fasst nur einen Durchlauf (Räume: {rooms}).",
            f"Slot {key}: each room holds only one run (rooms: {rooms}).",
        )
    if rule == "hosts":
        person = event.person(key)
        sessions = _ids(list(event.hosted_sessions[key]))
        return Text(
            f"{person.name} leitet {sessions} und kann nicht zwei Sessions zugleich leiten.",
            f"{person.name} hosts {sessions} and cannot host two sessions at once.",
        )
    s = event.session(key)
    name, name_en = _session_name(s), _session_name_en(s)
    if rule == "runs":
        starts = _ids(list(v.start_slots(s.id)))
        room_de = f", Raum {s.fixed_room}" if s.fixed_room else ""
        room_en = f", room {s.fixed_room}" if s.fixed_room else ""
        return Text(
            f"Session {name} findet {s.runs}-mal statt (möglich in: {starts}{room_de}).",
            f"Session {name_en} takes place {s.runs} time(s) (possible in: {starts}{room_en}).",
        )
    if rule == "apart":
        return Text(
            f"Die Durchläufe von Session {name} liegen in verschiedenen Zeitfenstern.",
            f"The runs of session {name_en} lie in different slots.",
        )
    if rule == "once":
        return Text(
            f"Niemand besucht Session {name} zweimal.",
            f"Nobody attends session {name_en} twice.",
        )
    if rule == "capacity":
        seats = max(seat_limit(event, s, c) for c in v.classes)
        return Text(
            f"Session {name} hat höchstens {seats} Plätze je Durchlauf.",
            f"Session {name_en} has at most {seats} seats per run.",
        )
    return Text(
        f"Session {name} braucht mindestens {s.minimum} Teilnehmende je Durchlauf.",
        f"Session {name_en} needs at least {s.minimum} participants per run.",
    )
