"""Hard rules of networking rounds: every networking slot has its groups, everyone present is in exactly one,
nobody absent is, and group sizes stay within the slot's range and differ by at most one.

Repeats, same-organisation pairs and the rest are goals, not rules: `scheduler.networking.measure` counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scheduler.domain import Event
from scheduler.networking.sizes import present_in
from scheduler.plan import Plan
from scheduler.text import Text
from scheduler.validate.report import Violation


def networking_rounds(event: Event, plan: Plan) -> Iterator[Violation]:
    """Each networking slot has exactly one round of groups, and each round belongs to a networking slot."""
    kinds = {s.id: s.kind for s in event.slots}
    counts = Counter(r.slot for r in plan.networking)
    for slot, n in counts.items():
        if kinds.get(slot) != "networking":
            yield Violation(
                "networking_slot",
                (slot,),
                Text(
                    f"Gruppen für {slot}, aber {slot} ist keine Vernetzungsrunde.",
                    f"Groups for {slot}, but {slot} is not a networking slot.",
                ),
            )
        elif n > 1:
            yield Violation(
                "networking_slot",
                (slot,),
                Text(
                    f"Vernetzungsrunde {slot} hat {n} Gruppeneinteilungen.",
                    f"Networking round {slot} is split {n} times.",
                ),
            )
    for networking in event.networking_slots:
        if networking.id not in counts:
            yield Violation(
                "networking_missing",
                (networking.id,),
                Text(
                    f"Vernetzungsrunde {networking.id} hat keine Gruppen.",
                    f"Networking round {networking.id} has no groups.",
                ),
            )


def networking_attendance(event: Event, plan: Plan) -> Iterator[Violation]:
    """Everyone present is in exactly one group of the round; nobody unknown or unavailable is in one."""
    slots = {s.id: s for s in event.networking_slots}
    people = {p.id for p in event.people}
    for rnd in plan.networking:
        slot = slots.get(rnd.slot)
        if slot is None:
            continue
        seen = Counter(m for g in rnd.groups for m in g.members)
        here = {p.id for p in present_in(event, slot)}
        for person, n in seen.items():
            if person not in people:
                yield Violation(
                    "unknown_person",
                    (person, slot.id),
                    Text(f"{slot.id}: Person {person} gibt es nicht.", f"{slot.id}: there is no person {person}."),
                )
            elif person not in here:
                yield Violation(
                    "networking_unavailable",
                    (person, slot.id),
                    Text(
                        f"{slot.id}: {person} ist nicht verfügbar, steht aber in einer Gruppe.",
                        f"{slot.id}: {person} is unavailable but in a group.",
                    ),
                )
            if n > 1:
                yield Violation(
                    "networking_twice",
                    (person, slot.id),
                    Text(f"{slot.id}: {person} steht in {n} Gruppen.", f"{slot.id}: {person} is in {n} groups."),
                )
        for person in sorted(here - seen.keys()):
            yield Violation(
                "networking_missing_person",
                (person, slot.id),
                Text(
                    f"{slot.id}: {person} ist anwesend, aber in keiner Gruppe.", f"{slot.id}: {person} is in no group."
                ),
            )


def group_sizes(event: Event, plan: Plan) -> Iterator[Violation]:
    """Every group within the slot's size range, and the sizes of one round differing by at most one."""
    slots = {s.id: s for s in event.networking_slots}
    for rnd in plan.networking:
        slot = slots.get(rnd.slot)
        if slot is None or not rnd.groups:
            continue
        fewest, most = slot.group_size
        for group in rnd.groups:
            size = len(group.members)
            if not fewest <= size <= most:
                yield Violation(
                    "group_size",
                    (slot.id, group.id),
                    Text(
                        f"{slot.id} {group.id}: {size} Personen, erlaubt sind {fewest} bis {most}.",
                        f"{slot.id} {group.id}: {size} people, allowed are {fewest} to {most}.",
                    ),
                )
        sizes = [len(g.members) for g in rnd.groups]
        if max(sizes) - min(sizes) > 1:
            yield Violation(
                "group_sizes_uneven",
                (slot.id,),
                Text(
                    f"{slot.id}: Gruppen von {min(sizes)} bis {max(sizes)} Personen; sie dürfen sich nur um 1 "
                    "unterscheiden.",
                    f"{slot.id}: groups of {min(sizes)} to {max(sizes)} people; they may differ by 1 at most.",
                ),
            )


def group_moderator(event: Event, plan: Plan) -> Iterator[Violation]:
    """A group's moderator is one of its members and marked as a moderator in the registrations."""
    people = {p.id: p for p in event.people}
    for rnd in plan.networking:
        for group in rnd.groups:
            who = group.moderator
            if who is None:
                continue
            if who not in group.members:
                yield Violation(
                    "moderator_not_member",
                    (rnd.slot, group.id, who),
                    Text(
                        f"{rnd.slot} {group.id}: {who} moderiert, ist aber nicht in der Gruppe.",
                        f"{rnd.slot} {group.id}: {who} moderates but is not in the group.",
                    ),
                )
            elif who in people and not people[who].moderator:
                yield Violation(
                    "moderator_not_moderator",
                    (rnd.slot, group.id, who),
                    Text(
                        f"{rnd.slot} {group.id}: {who} ist nicht für die Moderation angemeldet.",
                        f"{rnd.slot} {group.id}: {who} did not register as a moderator.",
                    ),
                )
