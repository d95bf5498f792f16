"""The plan workbook's `Vernetzung` sheet: one row per group of every networking round.

Per group its slot, time, breakout room, size, moderator and members with organisation, so the mix can be
seen at a glance and the sheet prints on a few pages (one row per member made the bundled example's workbook
print on 22 pages instead of 20).
"""

from __future__ import annotations

from openpyxl import Workbook

from scheduler.export import describe, labels
from scheduler.io.xlsx_cells import TOP_WRAP, Value, table
from scheduler.text import Lang
from scheduler.views import PlanView

MEMBERS_WIDTH = 90  # characters of the members column; longer lists wrap


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
        labels.PEOPLE(lang),
        labels.MODERATION(lang),
        labels.MEMBERS(lang),
    ]
    rows: list[list[Value]] = [
        [
            rnd.slot.id,
            rnd.slot.start,
            rnd.slot.end,
            labels.group_room(group.number)(lang),
            len(group.members),
            group.moderator.name if group.moderator is not None else "",
            "; ".join(describe.group_members(group, lang)),
        ]
        for rnd in view.networking
        for group in rnd.groups
    ]
    table(ws, names, rows)
    ws.column_dimensions["G"].width = MEMBERS_WIDTH
    for (cell,) in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        cell.alignment = TOP_WRAP
