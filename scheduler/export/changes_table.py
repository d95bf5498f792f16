"""The changes between two plans as rows: the plan workbook's sheet `Änderungen` and the table of `scheduler diff`.

One row per moved run, changed agenda (networking groups with who else is in them), added and removed person
or session, each with its reason where known.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

from scheduler.changes import Changes, Entry, reason_text
from scheduler.domain import Event
from scheduler.io.atomic import write_atomic
from scheduler.io.xlsx_cells import put, table
from scheduler.text import Lang, Text

ChangeSheet = tuple[Changes, Event, Event]  # the changes, the old event, the new event

SHEET = Text("Änderungen", "Changes")
HEADERS = (
    Text("Art", "Kind"),
    Text("Kennung", "Id"),
    Text("Name", "Name"),
    Text("Vorher", "Before"),
    Text("Jetzt", "Now"),
    Text("Grund", "Reason"),
)
KINDS = {
    "moved": Text("Session verschoben", "session moved"),
    "agenda": Text("Agenda geändert", "agenda changed"),
    "added": Text("neu", "added"),
    "removed": Text("entfällt", "removed"),
}
ITEM_KINDS = {
    "person": Text("Person", "person"),
    "session": Text("Session", "session"),
    "run": Text("Durchlauf", "run"),
}


def change_rows(changes: Changes, old: Event, new: Event, lang: Lang) -> list[list[str]]:
    """Rows in the order: moved runs, changed agendas, added, removed."""
    names = {p.id: p.name for p in old.people} | {p.id: p.name for p in new.people}
    titles = {s.id: s.title for s in old.sessions} | {s.id: s.title for s in new.sessions}
    rows = [
        [
            KINDS["moved"](lang),
            f"{m.session} #{m.run}",
            titles.get(m.session, ""),
            f"{m.old_slot} · {m.old_room}",
            f"{m.new_slot} · {m.new_room}",
            reason_text(m.reason, lang),
        ]
        for m in changes.runs_moved
    ]
    for c in changes.agendas_changed:
        before = "; ".join(f"{s.slot}: {_entry(s.old, names, lang)}" for s in c.slots)
        after = "; ".join(f"{s.slot}: {_entry(s.new, names, lang)}" for s in c.slots)
        rows.append(
            [KINDS["agenda"](lang), c.person, names.get(c.person, ""), before, after, reason_text(c.reason, lang)]
        )
    for kind, items in (("added", changes.added), ("removed", changes.removed)):
        for item in items:
            label = f"{KINDS[kind](lang)}: {ITEM_KINDS[item.kind](lang)}"
            name = names.get(item.id, "") if item.kind == "person" else titles.get(item.id.split("#")[0], "")
            rows.append([label, item.id, name, "", "", reason_text(item.reason, lang)])
    return rows


def _entry(entry: Entry | None, names: dict[str, str], lang: Lang) -> str:
    if entry is None:
        return "—"
    if entry.group is not None:  # a networking group: its id and who else is in it
        return f"{entry.session} ({Text('mit', 'with')(lang)} {', '.join(names.get(m, m) for m in entry.group)})"
    role = Text(" (hostet)", " (hosting)")(lang) if entry.hosting else ""
    return f"{entry.session} · {entry.room}{role}"


def write_changes_workbook(path: Path, sheet: ChangeSheet, lang: Lang, *, inputs: Iterable[Path] = ()) -> None:
    """A workbook with the sheet `Änderungen` only (`scheduler diff --xlsx`), whole or not at all."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    add_changes_sheet(book, *sheet, lang)
    write_atomic(path, lambda tmp: book.save(tmp), inputs=inputs)


def add_changes_sheet(book: Workbook, changes: Changes, old: Event, new: Event, lang: Lang) -> None:
    """The sheet `Änderungen`: one row per change (text cells, never formulas), the summary line below."""
    ws = book.create_sheet(SHEET(lang))
    rows = change_rows(changes, old, new, lang)
    table(ws, [h(lang) for h in HEADERS], rows)
    put(ws, len(rows) + 3, 1, changes.summary(lang))
