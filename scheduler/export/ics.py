"""One calendar file (.ics) per person: a VEVENT per block of their day, in the event's time zone.

UIDs derive from the event, the person and the block's first slot, so a calendar that imports a re-sent
plan updates the entries instead of adding copies.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from icalendar import Event as VEvent

from scheduler.export import describe, labels
from scheduler.export.errors import event_date, local
from scheduler.io.atomic import write_atomic
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView

CALENDAR_BLOCKS = ("plenary", "session", "hosting")


def write_ics(
    view: PlanView,
    directory: Path,
    lang: Lang,
    *,
    agendas: Sequence[PersonAgenda] | None = None,
    inputs: Iterable[Path] = (),
    stamp: datetime | None = None,
) -> list[Path]:
    """Write one .ics per person into `directory`; returns the files written, in the agendas' order."""
    stamp = stamp or datetime.now(UTC)
    written = []
    for agenda in view.agendas if agendas is None else agendas:
        path = directory / ics_name(agenda)
        write_atomic(path, _writer(calendar(view, agenda, lang, stamp).to_ical()), inputs=inputs)
        written.append(path)
    return written


def _writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def calendar(view: PlanView, agenda: PersonAgenda, lang: Lang, stamp: datetime) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//scheduler//personal agenda//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{view.event.name} – {agenda.person.name}")
    for block in agenda.blocks:
        if block.kind in CALENDAR_BLOCKS:
            cal.add_component(_vevent(view, agenda, block, lang, stamp))
    day = event_date(view.event)
    cal.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    return cal


def _vevent(view: PlanView, agenda: PersonAgenda, block: AgendaBlock, lang: Lang, stamp: datetime) -> VEvent:
    event = view.event
    entry = VEvent()
    entry.add("uid", block_uid(view, agenda.person.id, block.slots[0].id))
    entry.add("dtstamp", stamp)
    entry.add("dtstart", local(event, block.start))
    entry.add("dtend", local(event, block.end))
    entry.add("summary", describe.block_heading(block, lang))
    details = [event.name]
    run = block.run
    if run is not None:
        link = run.room.link
        entry.add("location", link or run.room.name)
        if link.startswith(("https://", "http://")):
            entry.add("url", link)
        details += [f"{labels.ROOM(lang)}: {run.room.name}", f"{labels.HOSTS(lang)}: {describe.host_names(run)}"]
        if block.kind == "session":
            details.append(labels.wish_fulfilled(block.wish_rank)(lang))
        if link:
            details.append(link)
    entry.add("description", "\n".join(details))
    return entry


def block_uid(view: PlanView, person_id: str, slot_id: str) -> str:
    """Stable across re-plans of the same event: event name and date, person, the block's first slot."""
    date = event_date(view.event).isoformat()
    key = f"scheduler/{view.event.name}/{date}/{person_id}/{slot_id}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@scheduler"


def ics_name(agenda: PersonAgenda) -> str:
    """A safe file name: the name in plain ASCII plus a short hash of the id, unique per person."""
    digest = hashlib.sha256(agenda.person.id.encode()).hexdigest()[:8]
    return f"{describe.safe_slug(agenda.person.name, 'person')}-{digest}.ics"
