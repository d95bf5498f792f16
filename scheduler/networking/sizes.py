"""Who takes part in a networking round and how many groups of which sizes it gets.

Pure counting, no solver: the reader (`check`), the group search and the validator use the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.domain import Event, Person, Slot
from scheduler.text import Text


def present(people: Iterable[Person], slot_id: str) -> tuple[Person, ...]:
    """Everyone registered or hosting who is available in the slot: all of them meet in groups."""
    return tuple(p for p in people if slot_id not in p.unavailable)


def present_in(event: Event, slot: Slot) -> tuple[Person, ...]:
    return present(event.people, slot.id)


def group_count(people: int, fewest: int, most: int) -> int | None:
    """The number of groups for `people` within [fewest, most], sizes differing by at most one; None if none fits.

    Any split into sizes within the range can be balanced, so a count g fits exactly when
    fewest * g <= people <= most * g. Of the counts that fit, the one whose mean size lies nearest the middle
    of the range is taken (the organiser asked for 4-6, so groups of 5 where possible); on a tie, more groups.
    """
    if people <= 0:
        return None
    fitting = list(range(-(-people // most), people // fewest + 1))
    if not fitting:
        return None
    middle = (fewest + most) / 2
    return min(fitting, key=lambda g: (abs(people / g - middle), -g))


def group_sizes(people: int, groups: int) -> tuple[int, ...]:
    """Balanced sizes, the larger groups first: 13 people in 3 groups give (5, 4, 4)."""
    small, larger = divmod(people, groups)
    return tuple(small + 1 if i < larger else small for i in range(groups))


def size_reasons(event: Event) -> list[Text]:
    """Every networking round that cannot be split into groups of its size, in the organiser's words."""
    return [reason for slot in event.networking_slots if (reason := size_reason(event, slot)) is not None]


def size_reason(event: Event, slot: Slot) -> Text | None:
    """Why the round in `slot` cannot be split into groups of its size, or None when it can."""
    fewest, most = slot.group_size
    people = len(present_in(event, slot))
    size = str(most) if fewest == most else f"{fewest}–{most}"
    if people == 0:
        return Text(
            f"Vernetzungsrunde {slot.id}: niemand ist anwesend (alle sind dort nicht verfügbar).",
            f"Networking round {slot.id}: nobody is present (everybody is unavailable there).",
        )
    if group_count(people, fewest, most) is None:
        return Text(
            f"Vernetzungsrunde {slot.id}: {people} Personen lassen sich nicht in Gruppen von {size} Personen teilen.",
            f"Networking round {slot.id}: {people} people cannot be split into groups of {size}.",
        )
    return None
