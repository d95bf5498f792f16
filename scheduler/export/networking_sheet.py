"""The plan workbook's `Vernetzung` sheet: one row per member of every networking group, ready to filter.

A filter on slot and group gives one group's list; the moderator is marked, organisations are shown so the
mix can be seen at a glance.
"""

from __future__ import annotations

from openpyxl import Workbook

from scheduler.export import labels
from scheduler.export.excel_cells import Value, table
from scheduler.text import Lang
from scheduler.views import PlanView


def add_networking_sheet(book: Workbook, view: PlanView, lang: Lang) -> None:
    """Add the sheet when the event has networking rounds; nothing otherwise."""
    if not view.networking:
        return
    ws = book.create_sheet(labels.NETWORKING(lang))
    names = [
        labels.SLOT(lang),
        labels.START(lang),
        labels.END(lang),
        labels.GROUP(lang),
        labels.NAME(lang),
        labels.ORGANISATION(lang),
        labels.EMAIL(lang),
        labels.MODERATION(lang),
    ]
    rows: list[list[Value]] = []
    for rnd in view.networking:
        for group in rnd.groups:
            for person in group.members:
                moderates = group.moderator is not None and group.moderator.id == person.id
                rows.append(
                    [
                        rnd.slot.id,
                        rnd.slot.start,
                        rnd.slot.end,
                        labels.group_room(group.number)(lang),
                        person.name,
                        person.organisation,
                        person.email,
                        labels.YES(lang) if moderates else "",
                    ]
                )
    table(ws, names, rows)
