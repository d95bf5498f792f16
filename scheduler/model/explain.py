"""Why no plan can exist, in the organiser's words.

First cheap counting checks that name sessions, slots, hosts and numbers (counting.py). When they find
nothing, the solver's own evidence: every rule is guarded by an assumption literal per session, slot or host,
and CP-SAT returns a set of them that cannot hold together (`sufficient_assumptions_for_infeasibility`), shrunk
further where cheap.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.counting import session_name
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import seat_limit
from scheduler.model.pin_reasons import pin_sentence
from scheduler.text import Text

CORE_SECONDS = 10.0  # time for the solver's evidence
SHRINK_SECONDS = 10.0  # time for making that evidence smaller


class Infeasible(Exception):
    """No plan can satisfy every hard rule; `reasons` say why."""

    def __init__(self, reasons: list[Text]) -> None:
        super().__init__("\n".join(r("en") for r in reasons))
        self.reasons = reasons


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
        rooms = ", ".join(r.id for r in event.rooms)
        return Text(
            f"Zeitfenster {key}: jeder Raum fasst nur einen Durchlauf (Räume: {rooms}).",
            f"Slot {key}: each room holds only one run (rooms: {rooms}).",
        )
    if rule == "hosts":
        person = event.person(key)
        sessions = ", ".join(event.hosted_sessions[key])
        return Text(
            f"{person.name} leitet {sessions} und kann nicht zwei Sessions zugleich leiten.",
            f"{person.name} hosts {sessions} and cannot host two sessions at once.",
        )
    s = event.session(key)
    name, name_en = session_name(s), session_name(s, "en")
    if rule == "runs":
        starts = ", ".join(v.start_slots(s.id))
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
