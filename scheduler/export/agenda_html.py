"""Printable personal agendas: one self-contained HTML file, one agenda per A4 page.

No external assets (inline CSS, system fonts), so the file prints the same anywhere; every piece of input
text is HTML-escaped, and only http(s) links become clickable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from scheduler.export import describe, labels
from scheduler.io.atomic import write_text_atomic
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView

CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt; color: #111; margin: 0; }
.agenda { break-after: page; page-break-after: always; }
.agenda:last-child { break-after: auto; page-break-after: auto; }
.event { color: #555; margin: 0 0 2mm; }
h1 { font-size: 20pt; margin: 0; }
.org { margin: 1mm 0 6mm; color: #333; }
table { width: 100%; border-collapse: collapse; break-inside: avoid; }
td { border-top: 1px solid #bbb; padding: 2.5mm 2mm; vertical-align: top; }
td.time { white-space: nowrap; width: 28mm; font-weight: bold; }
tr.plenary td { background: #f0f0f0; }
.title { font-weight: bold; }
.detail { color: #444; font-size: 9.5pt; }
.wish { color: #206020; font-size: 9.5pt; }
a { color: #1a4f9c; word-break: break-all; }
.summary { margin-top: 6mm; }
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
    event_line = " · ".join(x for x in (view.event.name, labels.day(view.event.date, lang)) if x)
    pages = "\n".join(_page(agenda, event_line, lang) for agenda in agendas)
    title = f"{labels.AGENDAS(lang)} – {view.event.name}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{pages}\n</body>\n</html>\n"
    )


def _page(agenda: PersonAgenda, event_line: str, lang: Lang) -> str:
    person = agenda.person
    rows = "\n".join(_row(block, lang) for block in agenda.blocks)
    summary = describe.granted_summary(agenda, lang)
    parts = [
        '<section class="agenda">',
        f'<p class="event">{escape(event_line)} · {escape(labels.AGENDA(lang))}</p>',
        f"<h1>{escape(person.name)}</h1>",
        f'<p class="org">{escape(person.organisation)}</p>',
        f"<table>\n{rows}\n</table>",
    ]
    if summary:
        parts.append(f'<p class="summary">{escape(summary)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _row(block: AgendaBlock, lang: Lang) -> str:
    what = [f'<div class="title">{escape(describe.block_heading(block, lang))}</div>']
    where = ""
    run = block.run
    if run is not None:
        if block.kind == "session":
            what.append(f'<div class="detail">{escape(describe.host_names(run))}</div>')
            what.append(f'<div class="wish">{escape(labels.wish_fulfilled(block.wish_rank)(lang))}</div>')
        else:
            what.append(f'<div class="detail">{escape(describe.fill_text(run))} {escape(labels.ATTENDEES(lang))}</div>')
        where = f"<div>{escape(run.room.name)}</div>{_link(run.room.link)}"
    css = ' class="plenary"' if block.kind == "plenary" else ""
    time = escape(labels.span(block.start, block.end))
    return f'<tr{css}><td class="time">{time}</td><td>{"".join(what)}</td><td>{where}</td></tr>'


def _link(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<div><a href="{escape(url)}">{escape(url)}</a></div>'
    return f"<div>{escape(url)}</div>" if url else ""


def agenda_section(view: PlanView, agenda: PersonAgenda, lang: Lang) -> str:
    """One person's agenda as a `<section>`: the agenda e-mail's HTML part embeds the same view as the print."""
    event_line = " · ".join(x for x in (view.event.name, labels.day(view.event.date, lang)) if x)
    return _page(agenda, event_line, lang)
