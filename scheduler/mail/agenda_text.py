"""A person's agenda as plain text for the e-mail's text part: the print page's items, line by line.

It says what `agenda_html._page` shows, in the same order: the event and its date, the person, per block the
time and heading with its details indented beneath (description, hosts, wish, room, link, breakout room; the
main room for plenary blocks; the group and its breakout room for networking rounds), the wishes granted, a
host's lists of who is coming, the organiser's contact. Mail programs show the text part in a proportional
font, so nothing relies on columns lining up. The tests hold it to the HTML part item by item.
"""

from __future__ import annotations

from scheduler.domain import Person
from scheduler.export import describe, labels
from scheduler.export.zoom import room_name
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView, RunView

INDENT = " " * 4


def agenda_text(view: PlanView, agenda: PersonAgenda, lang: Lang) -> str:
    event, person = view.event, agenda.person
    lines = [event.name]
    if event.date:
        lines.append(labels.long_day(event.date, lang))
    lines += [labels.AGENDA(lang), person.name]
    if person.organisation:
        lines.append(person.organisation)
    for block in agenda.blocks:
        lines.append("")
        lines += _block(block, lang, person)
    summary = describe.granted_summary(agenda, lang)
    if summary:
        lines += ["", summary]
    for run in agenda.hosting:
        lines += ["", *_coming(run, lang)]
    if event.contact:
        lines += ["", f"{labels.CONTACT(lang)}: {event.contact}"]
    return "\n".join(lines)


def _block(block: AgendaBlock, lang: Lang, person: Person) -> list[str]:
    lines = [f"{labels.span(block.start, block.end)}  {describe.block_heading(block, lang)}"]
    details: list[str] = []
    run = block.run
    if run is not None:
        if block.kind == "session":
            if run.session.description:
                details.append(describe.short(run.session.description))
            details += [describe.host_names(run), labels.wish_fulfilled(block.wish_rank)(lang)]
        else:
            details.append(f"{labels.coming(run.fill)(lang)} ({describe.fill_text(run)})")
        details.append(run.room.name)
        if block.link:
            details.append(block.link)
        if not run.room.link and block.link:
            details.append(f"{labels.BREAKOUT_ROOM(lang)}: {describe.quoted(room_name(run), lang)}")
    elif block.kind == "plenary" and block.link:
        details += [labels.MAIN_ROOM(lang), block.link]
    if block.group is not None:
        members = ", ".join(describe.group_members(block.group, lang, without=person))
        details = [
            f"{labels.WITH(lang)}: {members}",
            f"{labels.BREAKOUT_ROOM(lang)}: {labels.group_room(block.group.number)(lang)}",
            *([block.link] if block.link else []),
        ]
    return lines + [INDENT + line for line in details]


def _coming(run: RunView, lang: Lang) -> list[str]:
    """The host's list of who is coming to one run, as on the print page."""
    when = labels.span(run.start, run.end)
    heading = f"{labels.WHO_IS_COMING(lang)}: {run.title}, {when} ({labels.people(run.fill)(lang)})"
    return [heading, *(INDENT + entry for entry in describe.attendee_entries(run))]
