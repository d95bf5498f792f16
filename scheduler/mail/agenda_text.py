"""A person's agenda as plain text for the e-mail's text part: the same items as the HTML agenda, line by line.

Mail programs show the text part in a proportional font, so nothing relies on columns lining up: each block
is its time and heading, then its details indented beneath. The tests hold it to the HTML agenda's content.
"""

from __future__ import annotations

from scheduler.export import describe, labels
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView

INDENT = " " * 4


def agenda_text(view: PlanView, agenda: PersonAgenda, lang: Lang) -> str:
    event_line = " · ".join(x for x in (view.event.name, labels.day(view.event.date, lang)) if x)
    person = agenda.person
    lines = [f"{event_line} · {labels.AGENDA(lang)}", person.name]
    if person.organisation:
        lines.append(person.organisation)
    for block in agenda.blocks:
        lines.append("")
        lines += _block(block, lang)
    summary = describe.granted_summary(agenda, lang)
    if summary:
        lines += ["", summary]
    return "\n".join(lines)


def _block(block: AgendaBlock, lang: Lang) -> list[str]:
    lines = [f"{labels.span(block.start, block.end)}  {describe.block_heading(block, lang)}"]
    run = block.run
    if run is None:
        return lines
    if block.kind == "session":
        lines.append(INDENT + describe.host_names(run))
        lines.append(INDENT + labels.wish_fulfilled(block.wish_rank)(lang))
    else:
        lines.append(f"{INDENT}{describe.fill_text(run)} {labels.ATTENDEES(lang)}")
    lines.append(INDENT + run.room.name)
    if run.room.link:
        lines.append(INDENT + run.room.link)
    return lines
