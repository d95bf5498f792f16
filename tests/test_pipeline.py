"""The ledger of a solve path (`pipeline.run_path`): shares of the budget or of the rest, what a carrying phase
takes on, what a phase beside the others leaves alone, skipped phases, and the records."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.model.pipeline import Phase, Solving, run_path
from scheduler.model.runner import Runner, SolveOptions
from scheduler.model.solve import JOINT_PATH, TWO_STAGE_PATH
from tests.test_model_rules import event, person, room, session


def _solving() -> tuple[Solving, dict[str, float]]:
    ev = event(1, [room("R1")], [session("A")], [person("p1", "A")])
    return Solving(ev, Runner(SolveOptions(work=10.0), None, None)), {}


def _spending(given: dict[str, float], name: str, spend: float) -> Callable[[Solving, float], float]:
    def run(s: Solving, work: float) -> float:
        given[name] = work
        return spend  # work outside CP-SAT, counted by the ledger

    return run


def test_shares_carry_rest_and_beside() -> None:
    s, given = _solving()
    path = (
        Phase("first", _spending(given, "first", 1.0), share=0.2),  # 2 of 10, spends 1
        Phase("beside", _spending(given, "beside", 4.0), share=0.5, beside=True),  # 5, not taken from the budget
        Phase("skipped", _spending(given, "skipped", 0.0), share=0.3, skip=lambda s, work: True),
        Phase("rest a", _spending(given, "rest a", 2.0), share=0.5, of_rest=True),  # rest 9: 4.5, spends 2
        Phase("rest b", _spending(given, "rest b", 0.0), share=0.5, of_rest=True, carry=True),  # 4.5 + 2.5
    )
    run_path(s, path, 10.0)
    assert given == {"first": 2.0, "beside": 5.0, "rest a": 4.5, "rest b": 7.0}
    assert s.runner.work_used == 3.0  # first and rest a; beside runs on the other core
    assert [(r.name, r.spent, r.skipped) for r in s.records] == [
        ("first", 1.0, False),
        ("beside", 4.0, False),
        ("skipped", 0.0, True),
        ("rest a", 2.0, False),
        ("rest b", 0.0, False),
    ]


def test_the_declared_paths_have_unique_names_and_shares_within_the_budget() -> None:
    for path in (JOINT_PATH, TWO_STAGE_PATH):
        names = [p.name for p in path]
        assert len(set(names)) == len(names)
        of_rest = [p.share for p in path if p.of_rest and not callable(p.share)]
        assert sum(of_rest) <= 1.0 + 1e-9
    assert [p.name for p in JOINT_PATH if p.beside] == ["slot bound", "slot search", "slot search result"]
