"""Room lists for MS Teams breakout rooms, which have no import: one printed page per session slot.

Whoever assigns the rooms by hand in Teams works through one page per slot: each room with its session, the
hosts, and the attendees sorted by name (Teams' assignment dialog lists people by display name), one line
each so that a slot of 150 people fits on its page (a long organisation is cut short there). A separate
HTML file rather than the workbook's Raumlisten sheet, because a browser prints it one slot per page with
no print area to set up, and the page fits more names (four columns, landscape) than a spreadsheet row does.
Self-contained like the agendas: inline CSS, every piece of input text escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from scheduler.domain import Slot
from scheduler.export import describe, labels
from scheduler.io.atomic import write_text_atomic
from scheduler.text import Lang, Text
from scheduler.views import PlanView, RunView

TITLE = Text("Raumliste für die Teams-Gruppenräume", "Room list for the Teams breakout rooms")

CSS = """
@page { size: A4 landscape; margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 8.5pt; color: #111; margin: 0; }
.slot { break-after: page; page-break-after: always; }
.slot:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 13pt; margin: 0 0 1mm; }
.event { color: #555; margin: 0 0 3mm; }
.rooms { column-count: 4; column-gap: 5mm; }
.room { border-top: 1.5px solid #333; margin: 0 0 3mm; padding-top: 1mm; }
.room h2, .session, .hosts { break-after: avoid; }
.room h2 { font-size: 9.5pt; margin: 0; }
.session { font-weight: bold; }
.hosts { color: #444; }
ol { margin: 1mm 0 0; padding-left: 0; list-style-position: inside; }
li { line-height: 1.25; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.org { color: #666; }
"""


def write_teams(view: PlanView, path: Path, lang: Lang, *, inputs: Iterable[Path] = ()) -> None:
    write_text_atomic(path, teams_html(view, lang), inputs=inputs)


def teams_html(view: PlanView, lang: Lang) -> str:
    event_line = " · ".join(x for x in (view.event.name, labels.day(view.event.date, lang)) if x)
    pages = "\n".join(_page(view, slot, event_line, lang) for slot in view.event.session_slots)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(TITLE(lang))} – {escape(view.event.name)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{pages}\n</body>\n</html>\n"
    )


def _page(view: PlanView, slot: Slot, event_line: str, lang: Lang) -> str:
    rooms = "\n".join(_room(run, lang) for run in view.runs_in(slot.id))
    heading = f"{labels.SLOT(lang)} {slot.id} · {labels.span(slot.start, slot.end)}"
    return (
        f'<section class="slot">\n<h1>{escape(heading)}</h1>\n'
        f'<p class="event">{escape(event_line)} · {escape(TITLE(lang))}</p>\n'
        f'<div class="rooms">\n{rooms}\n</div>\n</section>'
    )


def _room(run: RunView, lang: Lang) -> str:
    people = sorted(run.attendees, key=lambda p: (p.name.casefold(), p.id))
    items = "\n".join(f'<li>{escape(p.name)} <span class="org">{escape(p.organisation)}</span></li>' for p in people)
    return (
        f'<div class="room">\n<h2>{escape(run.room.name)}</h2>\n'
        f'<div class="session">{escape(run.title)}</div>\n'
        f'<div class="hosts">{escape(labels.HOSTS(lang))}: {escape(describe.host_names(run))} · '
        f"{escape(describe.fill_text(run))} {escape(labels.ATTENDEES(lang))}</div>\n"
        f"<ol>\n{items}\n</ol>\n</div>"
    )
