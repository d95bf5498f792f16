"""The annealing keeps a slot value for every slot it has seen (1,000 people: 22,000 in 86 s); each holds what
the slot grants every person, so its size per person decides the planner's memory on large events."""

from __future__ import annotations

from scheduler.example import generate_event
from scheduler.model.heuristics.annealing import _slots, _SlotValues
from scheduler.model.heuristics.greedy import greedy_timetable


def test_a_cached_slot_value_holds_one_byte_per_person() -> None:
    ev = generate_event(participants=60, sessions=8, slots=3, rooms=4, seed=1)
    timetable = greedy_timetable(ev)
    assert timetable is not None
    values = _SlotValues(ev, {})
    grants = [values.value(t, runs) for t, runs in _slots(ev, timetable).items()]
    assert sum(value for value, _ in grants) > 0
    for _, granted in grants:
        assert granted.nbytes == len(ev.participants)
        assert set(granted.tolist()) <= {0, 1}  # a person sits in one session of a slot at most
