"""Why no plan can exist, in the organiser's words.

First cheap counting checks that name sessions, slots, hosts and numbers (counting.py). When they find
nothing, the solver's own evidence: every rule is guarded by an assumption literal per session, slot or host,
and CP-SAT returns a set of them that cannot hold together (`sufficient_assumptions_for_infeasibility`), shrunk
further where cheap.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.runner import Runner
from scheduler.rules import hard_rule
from scheduler.text import Text

CORE_SHARE = 0.5  # of the budget left, for the solver's evidence; the rest makes that evidence smaller
MIN_WORK = 1.0  # work units for the evidence at least, when the search before used up the budget


class Infeasible(Exception):
    """No plan can satisfy every hard rule; `reasons` say why."""

    def __init__(self, reasons: list[Text]) -> None:
        super().__init__("\n".join(r("en") for r in reasons))
        self.reasons = reasons


def solver_reasons(event: Event, runner: Runner) -> list[Text]:
    """Rules that cannot hold together, from CP-SAT's assumptions core, within what is left of the budget and
    of the time limit (deterministic work limits, the wall clock a cap as in every phase)."""
    model = cp_model.CpModel()
    v = PlanVars(event, model)
    guard = Guard(model, enabled=True)
    build_rules(event, model, v, guard)
    keys = sorted(guard.literals)
    left = max(runner.options.budget - runner.work_used, MIN_WORK)
    core = _core(model, [guard.literals[k] for k in keys], runner, CORE_SHARE * left)
    if core is None:
        return [_UNKNOWN]
    by_index = {guard.literals[k].index: k for k in keys}
    chosen = [by_index[i] for i in core]
    chosen = _shrink(model, guard, chosen, runner, (1 - CORE_SHARE) * left)
    return [_INTRO] + [_sentence(event, rule, key) for rule, key in chosen]


def _core(model: cp_model.CpModel, literals: list[cp_model.IntVar], runner: Runner, work: float) -> list[int] | None:
    """Indices of assumption literals that together are infeasible; None when the solver cannot tell."""
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver, status = runner.solve("why infeasible", model, work)
    if status != cp_model.INFEASIBLE:
        return None
    return sorted(solver.sufficient_assumptions_for_infeasibility())


def _shrink(
    model: cp_model.CpModel, guard: Guard, chosen: list[tuple[str, str]], runner: Runner, work: float
) -> list[tuple[str, str]]:
    """Drop every rule whose removal keeps the rest infeasible (deletion filter, `work` shared by the trials)."""
    each = work / max(len(chosen), 1)
    kept = list(chosen)
    for key in chosen:
        trial = [k for k in kept if k != key]
        if trial and _core(model, [guard.literals[k] for k in trial], runner, each) is not None:
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


def _sentence(event: Event, rule: str, key: str) -> Text:
    """One guarded rule, with the ids and numbers it is about: the rule's own sentence from the registry."""
    why = hard_rule(rule).why
    assert why is not None, f"rule {rule} is guarded in the model but has no sentence in scheduler/rules.py"
    return why(event, key)
