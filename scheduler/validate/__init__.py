"""The independent validator: checks any plan against every hard rule of docs/contract.md and recomputes its objective.

It knows nothing of the model or the solver, so a plan from CP-SAT, a baseline, a file or a hand edit is judged
the same way. Each rule is one small named check (see `RULES`); a violation carries the rule's name, the ids
involved and a sentence in German and English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from scheduler.domain import Event
from scheduler.networking.measure import figures
from scheduler.plan import Plan
from scheduler.text import Text
from scheduler.validate import networking, people, timetable
from scheduler.validate.objective import score
from scheduler.validate.report import Report, Score, Violation

Check = Callable[[Event, Plan], Iterable[Violation]]

RULES: tuple[Check, ...] = (
    timetable.unknown_ids,
    timetable.not_a_participant,
    timetable.run_count,
    timetable.run_slots,
    timetable.room_double_booked,
    timetable.fixed_slot,
    timetable.fixed_room,
    timetable.not_in,
    timetable.room_features,
    timetable.runs_overlap,
    timetable.capacity,
    people.host_double_booked,
    people.host_attending,
    people.host_unavailable,
    people.attendee_double_booked,
    people.session_twice,
    people.attendee_unavailable,
    people.agenda_incomplete,
    networking.networking_rounds,
    networking.networking_attendance,
    networking.group_sizes,
    networking.group_moderator,
)


def validate(event: Event, plan: Plan, *, check_objective: bool = False) -> Report:
    """Every hard-rule violation of `plan` for `event`, and the objective recomputed from the plan alone.

    With `check_objective` (as `scheduler verify` and the solver tests use it), an objective stated in the plan
    that differs from the recomputed one is a violation too (`objective_mismatch`): a saved plan must not claim
    more than it delivers. Without it, a plan that states no objective (a baseline, a hand plan) is judged by
    its hard rules alone.
    """
    violations = [v for check in RULES for v in check(event, plan)]
    recomputed = score(event, plan)
    if check_objective:
        violations += objective_mismatch(plan, recomputed)
    groups = figures(event, plan.runs, plan.networking) if event.networking_slots else None
    return Report(violations, recomputed, groups)


def objective_mismatch(plan: Plan, recomputed: Score) -> Iterator[Violation]:
    """The fairness and satisfaction values the plan states are the ones its runs give."""
    stated = plan.objective
    for key, de, en, have, want in (
        (
            "max_shortfall",
            "meiste fehlende Wünsche einer Person",
            "largest shortfall",
            stated.max_shortfall,
            recomputed.max_shortfall,
        ),
        ("weighted", "gewichtete Wünsche", "weighted wishes", stated.weighted, recomputed.weighted),
    ):
        if have != want:
            yield Violation(
                "objective_mismatch",
                (key,),
                Text(
                    f"Der Plan nennt {de} = {have}, nachgerechnet ergibt sich {want}.",
                    f"The plan states {en} = {have}, recomputed it is {want}.",
                ),
            )


__all__ = ["RULES", "Report", "Score", "Violation", "objective_mismatch", "score", "validate"]
