"""One calendar file (.ics) per person: a VEVENT per block of their day, in the event's time zone.

UIDs derive from the event, the person and the block's first slot, so a calendar that imports a re-sent
plan updates the entries instead of adding copies. A re-planned plan's entries carry its revision as SEQUENCE
(RFC 5545: a calendar takes the entry with the higher SEQUENCE); sent after a previous plan (`CalendarUpdate`),
an entry of the previous plan that no longer exists is sent as cancelled (STATUS:CANCELLED, same UID). The
file stays METHOD:PUBLISH: these files are imported, not iTIP invitations, and METHOD:CANCEL would need an
ORGANIZER and a file of cancellations only, which a calendar with updated and cancelled entries is not.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from icalendar import Event as VEvent

from scheduler.domain import Person
from scheduler.export import describe, labels
from scheduler.export.errors import event_date, local
from scheduler.export.zoom import neutralise, room_name
from scheduler.io.atomic import write_atomic
from scheduler.text import Lang
from scheduler.views import AgendaBlock, PersonAgenda, PlanView

CALENDAR_BLOCKS = ("plenary", "session", "hosting", "networking")
INDEX = "index.csv"


@dataclass(frozen=True)
class CalendarUpdate:
    """Calendars that replace ones sent before: the SEQUENCE of every entry and the previous plan's view."""

    sequence: int
    previous: PlanView | None = None  # its entries that no longer exist are sent as cancelled
    gone: tuple[PersonAgenda, ...] = ()  # people of the previous plan no longer in the event: all cancelled


def write_ics(
    view: PlanView,
    directory: Path,
    lang: Lang,
    *,
    agendas: Sequence[PersonAgenda] | None = None,
    inputs: Iterable[Path] = (),
    stamp: datetime | None = None,
    update: CalendarUpdate | None = None,
) -> list[Path]:
    """Write one .ics per person into `directory` and `index.csv` beside them (who has which file); returns the
    files written, the calendars in the agendas' order, then the index."""
    stamp = stamp or datetime.now(UTC)
    written, rows = [], []
    for agenda in view.agendas if agendas is None else agendas:
        path = directory / ics_name(agenda)
        write_atomic(path, _writer(calendar(view, agenda, lang, stamp, update).to_ical()), inputs=inputs)
        written.append(path)
        rows.append((agenda.person.name, agenda.person.email, path.name))
    if update is not None and update.previous is not None:
        for agenda in update.gone:
            path = directory / ics_name(agenda)
            cancelled = _calendar(update.previous, agenda)
            for block in agenda.blocks:
                if block.kind in CALENDAR_BLOCKS:
                    cancelled.add_component(_cancelled(update.previous, agenda, block, lang, stamp, update.sequence))
            _add_zones(cancelled, update.previous)
            write_atomic(path, _writer(cancelled.to_ical()), inputs=inputs)
            written.append(path)
            rows.append((agenda.person.name, agenda.person.email, path.name))
    index = directory / INDEX
    write_atomic(index, _writer(index_csv(rows, lang)), inputs=inputs)
    return [*written, index]


def _writer(data: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write


def calendar(
    view: PlanView, agenda: PersonAgenda, lang: Lang, stamp: datetime, update: CalendarUpdate | None = None
) -> Calendar:
    cal = _calendar(view, agenda)
    uids = set()
    for block in agenda.blocks:
        if block.kind in CALENDAR_BLOCKS:
            entry = _vevent(view, agenda, block, lang, stamp)
            if update is not None:
                entry.add("sequence", update.sequence)
            uids.add(str(entry["uid"]))
            cal.add_component(entry)
    previous = update.previous if update is not None else None
    if update is not None and previous is not None and agenda.person.id in previous._agenda_index:
        before = previous.agenda(agenda.person.id)
        for block in before.blocks:
            if block.kind in CALENDAR_BLOCKS and block_uid(previous, agenda.person.id, block.slots[0].id) not in uids:
                cal.add_component(_cancelled(previous, before, block, lang, stamp, update.sequence))
    _add_zones(cal, view)
    return cal


def _calendar(view: PlanView, agenda: PersonAgenda) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//scheduler//personal agenda//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{view.event.name} – {agenda.person.name}")
    return cal


def _add_zones(cal: Calendar, view: PlanView) -> None:
    day = event_date(view.event)
    cal.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))


def _cancelled(
    view: PlanView, agenda: PersonAgenda, block: AgendaBlock, lang: Lang, stamp: datetime, sequence: int
) -> VEvent:
    """The entry as it was sent, marked cancelled with a higher SEQUENCE, so calendars remove it."""
    entry = _vevent(view, agenda, block, lang, stamp)
    entry.add("sequence", sequence)
    entry.add("status", "CANCELLED")
    return entry


def _vevent(view: PlanView, agenda: PersonAgenda, block: AgendaBlock, lang: Lang, stamp: datetime) -> VEvent:
    event = view.event
    entry = VEvent()
    entry.add("uid", block_uid(view, agenda.person.id, block.slots[0].id))
    entry.add("dtstamp", stamp)
    entry.add("dtstart", local(event, block.start))
    entry.add("dtend", local(event, block.end))
    entry.add("summary", describe.block_heading(block, lang))
    run, link = block.run, block.link
    where = run.room.name if run is not None else labels.MAIN_ROOM(lang) if link else ""
    if block.group is not None:
        where = labels.group_room(block.group.number)(lang)
    if link or where:
        entry.add("location", link or where)
    if link.startswith(("https://", "http://")):
        entry.add("url", link)
    entry.add("description", "\n".join(_details(view, block, where, lang, agenda.person)))
    return entry


def _details(view: PlanView, block: AgendaBlock, where: str, lang: Lang, person: Person) -> list[str]:
    """The entry's text: event, what the session is about, room and hosts (for hosts: who is coming), the link,
    the organiser's contact."""
    details = [view.event.name]
    run = block.run
    if run is not None:
        if run.session.description:
            details += ["", run.session.description, ""]
        details += [f"{labels.ROOM(lang)}: {run.room.name}", f"{labels.HOSTS(lang)}: {describe.host_names(run)}"]
        if not run.room.link and block.link:
            details.append(f"{labels.BREAKOUT_ROOM(lang)}: {describe.quoted(room_name(run), lang)}")
        if block.kind == "session":
            details.append(labels.wish_fulfilled(block.wish_rank)(lang))
        else:
            details += ["", f"{labels.WHO_IS_COMING(lang)} ({labels.people(run.fill)(lang)}):"]
            details += [f"- {entry}" for entry in describe.attendee_entries(run)]
    elif block.group is not None:
        details += [f"{labels.GROUP(lang)}: {where}", f"{labels.WITH(lang)}:"]
        details += [f"- {entry}" for entry in describe.group_members(block.group, lang, without=person)]
        if block.link:
            details.append(f"{labels.BREAKOUT_ROOM(lang)}: {describe.quoted(where, lang)} – {block.link}")
    elif where:
        details.append(f"{where}: {block.link}")
    if run is not None and block.link:
        details.append(block.link)
    if view.event.contact:
        details += ["", f"{labels.CONTACT(lang)}: {view.event.contact}"]
    return details


def block_uid(view: PlanView, person_id: str, slot_id: str) -> str:
    """Stable across re-plans of the same event: event name and date, person, the block's first slot."""
    date = event_date(view.event).isoformat()
    key = f"scheduler/{view.event.name}/{date}/{person_id}/{slot_id}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@scheduler"


WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10))})


def ics_name(agenda: PersonAgenda) -> str:
    """`anna.mueller@example.org-1a2b3c4d.ics`: whose file it is at a glance (the e-mail, else the name) and a
    short hash of the person's id, so two people never share a file.

    Safe on Windows, macOS and Linux: ASCII letters, digits and `.`, `_`, `@`, `+`, `-` only (never
    `:?"<>|*\\/`), no leading or trailing dot, no reserved device name such as `CON` or `NUL.x`.
    """
    person = agenda.person
    digest = hashlib.sha256(person.id.encode()).hexdigest()[:8]
    base = _file_part(person.email) if person.email else describe.safe_slug(person.name, "person")
    base = base or "person"
    if base.split(".", 1)[0] in WINDOWS_RESERVED:
        base = f"_{base}"
    return f"{base}-{digest}.ics"


def _file_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    kept = re.sub(r"[^a-z0-9._@+-]+", "-", plain)
    return re.sub(r"([.-])[.-]+", r"\1", kept)[:60].strip(".-_")


def index_csv(rows: Sequence[tuple[str, str, str]], lang: Lang) -> bytes:
    """`index.csv` beside the calendar files: name, e-mail, file per person.

    UTF-8 with a byte order mark and, in German, `;` between fields, as German Excel expects them on a double
    click; cells that a spreadsheet would read as a formula are neutralised as in the Zoom lists.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "de" else ",", lineterminator="\r\n")
    writer.writerow([labels.NAME(lang), labels.EMAIL(lang), labels.FILE(lang)])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
