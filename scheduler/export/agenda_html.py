"""Printable personal agendas: one self-contained HTML file, one agenda per A4 page.

No external assets (inline CSS, system fonts), so the file prints the same anywhere; every piece of input
text is HTML-escaped, and only http(s) links become clickable. The page is used: the event's title and date
head it, the day is set large, and the organiser's contact stands at the foot. Hosts also find, per run they
host, who is coming; a long list may take a host's agenda onto a second page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from scheduler.domain import Person
from scheduler.export import describe, labels
from scheduler.export.zoom import room_name
from scheduler.io.atomic import write_text_atomic
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView, RunView

CSS = """
@page { size: A4; margin: 14mm 15mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 12pt; color: #111; margin: 0; }
.agenda { break-after: page; page-break-after: always; display: flex; flex-direction: column; min-height: 262mm; }
.agenda:last-child { break-after: auto; page-break-after: auto; }
.head { border-bottom: 2px solid #1a4f9c; padding-bottom: 2.5mm; margin-bottom: 3mm; }
.event { font-size: 20pt; font-weight: bold; margin: 0; color: #1a4f9c; }
.date { font-size: 15pt; margin: 1mm 0 0; }
.kind { font-size: 10pt; color: #555; margin: 3mm 0 0; text-transform: uppercase; letter-spacing: 0.5pt; }
h1 { font-size: 18pt; margin: 0.5mm 0 0; }
.org { margin: 0.5mm 0 0; color: #333; }
table { width: 100%; border-collapse: collapse; break-inside: avoid; }
td { border-top: 1px solid #bbb; padding: 1.8mm 2mm; vertical-align: top; }
td.time { white-space: nowrap; width: 32mm; font-weight: bold; font-size: 13.5pt; }
td.where { width: 74mm; font-size: 11pt; }
td.where a { font-size: 8.5pt; }
tr.plenary td { background: #f0f0f0; }
.title { font-weight: bold; font-size: 13.5pt; }
.about { color: #333; font-size: 10pt; margin-top: 0.8mm; }
.detail { color: #444; font-size: 10.5pt; margin-top: 0.8mm; }
.wish { color: #206020; font-size: 10.5pt; margin-top: 0.8mm; }
.members { color: #444; font-size: 8.5pt; line-height: 1.2; margin-top: 0.5mm; }
tr.networking td { padding: 1.2mm 2mm; }
tr.networking .title { font-size: 11.5pt; }
a { color: #1a4f9c; word-break: break-all; }
.summary { margin-top: 3mm; font-size: 12pt; }
.coming { margin-top: 3mm; }
.coming h2 { font-size: 12pt; margin: 0 0 1.5mm; break-after: avoid; }
.coming ol { columns: 3; column-gap: 6mm; font-size: 8pt; line-height: 1.2; margin: 0; padding-left: 6mm; }
.foot { margin-top: auto; padding-top: 3mm; border-top: 1px solid #bbb; font-size: 10pt; color: #333; }
"""


def write_agendas_html(
    view: PlanView,
    path: Path,
    lang: Lang,
    *,
    agendas: Sequence[PersonAgenda] | None = None,
    inputs: Iterable[Path] = (),
) -> None:
    """Write the agendas of `agendas` (default: everyone) whole or not at all."""
    write_text_atomic(path, agendas_html(view, view.agendas if agendas is None else agendas, lang), inputs=inputs)


def agendas_html(view: PlanView, agendas: Sequence[PersonAgenda], lang: Lang) -> str:
    pages = "\n".join(_page(view, agenda, lang) for agenda in agendas)
    title = f"{labels.AGENDAS(lang)} – {view.event.name}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{pages}\n</body>\n</html>\n"
    )


def _page(view: PlanView, agenda: PersonAgenda, lang: Lang) -> str:
    event, person = view.event, agenda.person
    rows = "\n".join(_row(view, block, lang, person) for block in agenda.blocks)
    summary = describe.granted_summary(agenda, lang)
    parts = [
        '<section class="agenda">',
        '<div class="head">',
        f'<p class="event">{escape(event.name)}</p>',
        f'<p class="date">{escape(labels.long_day(event.date, lang))}</p>' if event.date else "",
        f'<p class="kind">{escape(labels.AGENDA(lang))}</p>',
        f"<h1>{escape(person.name)}</h1>",
        f'<p class="org">{escape(person.organisation)}</p>' if person.organisation else "",
        "</div>",
        f"<table>\n{rows}\n</table>",
    ]
    if summary:
        parts.append(f'<p class="summary">{escape(summary)}</p>')
    parts += [_coming(run, lang) for run in agenda.hosting]
    if event.contact:
        parts.append(f'<p class="foot">{escape(labels.CONTACT(lang))}: {escape(event.contact)}</p>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _row(view: PlanView, block: AgendaBlock, lang: Lang, person: Person) -> str:
    what = [f'<div class="title">{escape(describe.block_heading(block, lang))}</div>']
    where = ""
    run = block.run
    if run is not None:
        if block.kind == "session":
            if run.session.description:
                what.append(f'<div class="about">{escape(describe.short(run.session.description))}</div>')
            what.append(f'<div class="detail">{escape(describe.host_names(run))}</div>')
            what.append(f'<div class="wish">{escape(labels.wish_fulfilled(block.wish_rank)(lang))}</div>')
        else:
            coming = labels.coming(run.fill)(lang)
            what.append(f'<div class="detail">{escape(coming)} ({escape(describe.fill_text(run))})</div>')
        where = f"<div>{escape(run.room.name)}</div>{_link(block.link)}"
        if not run.room.link and block.link:
            choose = f"{labels.BREAKOUT_ROOM(lang)}: {describe.quoted(room_name(run), lang)}"
            where += f'<div class="detail">{escape(choose)}</div>'
    elif block.kind == "plenary" and block.link:
        where = f"<div>{escape(labels.MAIN_ROOM(lang))}</div>{_link(block.link)}"
    if block.group is not None:
        members = ", ".join(describe.group_members(block.group, lang, without=person))  # small: one A4 page still
        what.append(f'<div class="members">{escape(labels.WITH(lang))}: {escape(members)}</div>')
        room = labels.group_room(block.group.number)(lang)
        where = f"<div>{escape(labels.BREAKOUT_ROOM(lang))}: {escape(room)}</div>{_link(block.link)}"
    css = f' class="{block.kind}"' if block.kind in ("plenary", "networking") else ""
    time = escape(labels.span(block.start, block.end))
    return f'<tr{css}><td class="time">{time}</td><td>{"".join(what)}</td><td class="where">{where}</td></tr>'


def _coming(run: RunView, lang: Lang) -> str:
    """The host's list of who is coming to one run: how many, then name and organisation of each."""
    when = labels.span(run.start, run.end)
    heading = f"{labels.WHO_IS_COMING(lang)}: {run.title}, {when} ({labels.people(run.fill)(lang)})"
    items = "".join(f"<li>{escape(entry)}</li>" for entry in describe.attendee_entries(run))
    return f'<div class="coming"><h2>{escape(heading)}</h2><ol>{items}</ol></div>'


def _link(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<div><a href="{escape(url)}">{escape(url)}</a></div>'
    return f"<div>{escape(url)}</div>" if url else ""


def agenda_section(view: PlanView, agenda: PersonAgenda, lang: Lang) -> str:
    """One person's agenda as a `<section>`: the agenda e-mail's HTML part embeds the same view as the print."""
    return _page(view, agenda, lang)
