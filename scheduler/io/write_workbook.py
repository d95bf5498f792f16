"""Write an event workbook in exactly the layout `read_event` reads (docs/contract.md "Input: the event workbook").

The sheet and column names come from `scheduler.io.schema`, shared with the reader. The pieces here (header
rows with help comments, text-safe cells, fitted widths, dropdown validations, byte-reproducible saving) are
shared with the blank template (`scheduler.io.template`), so both look and behave the same.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from scheduler.domain import Event, Person, Session, Slot
from scheduler.io.atomic import write_atomic
from scheduler.io.matching import loose
from scheduler.io.schema import EVENT, EVENT_FIELDS, REGISTRATIONS, ROOMS, SESSIONS, SLOTS, SheetSpec
from scheduler.io.xlsx_cells import BOLD, HEADER_FILL, fit_widths, rows_below_header, write_cell
from scheduler.text import Lang, Text

CellValue = str | int | date | time | None

FIXED_STAMP = datetime(2021, 1, 1)  # document and zip timestamps when the event has no date

# -- names and help texts of the layout -------------------------------------------------------------------------

SLOT_KIND_NAMES = {
    "session": Text("Session", "Session"),
    "plenary": Text("Plenum", "Plenary"),
    "networking": Text("Vernetzung", "Networking"),
}
MODERATOR_YES, MODERATOR_NO = Text("ja", "yes"), Text("nein", "no")

FIELD_HELP = {
    "name": Text("Name der Veranstaltung (Pflicht).", "Name of the event (required)."),
    "date": Text("Datum der Veranstaltung, z. B. 2021-10-06.", "Date of the event, e.g. 2021-10-06."),
    "timezone": Text("Zeitzone; leer: Europe/Berlin.", "Time zone; empty: Europe/Berlin."),
    "weights": Text(
        "Optional: Gewicht je Wunschrang, z. B. 5,4,3,2,1. Leer: K, K-1, …, 1 bei K Wunschspalten.",
        "Optional: weight per wish rank, e.g. 5,4,3,2,1. Empty: K, K-1, …, 1 for K wish columns.",
    ),
    "main_link": Text(
        "Link zum Hauptraum, in dem alle sich im Plenum treffen, z. B. https://zoom.example.org/j/123.",
        "Link to the main room where everyone meets for plenary blocks.",
    ),
    "contact": Text(
        "Kontakt für Rückfragen (E-Mail oder Telefon); steht unten auf jeder Agenda.",
        "Contact for questions (e-mail or phone); printed at the foot of every agenda.",
    ),
    "language": Text(
        "Sprache der Veranstaltung als Code, z. B. de oder en; leer: de.",
        "Language of the event as a code, e.g. de or en; empty: de.",
    ),
    "subject": Text("Betreff der E-Mails mit den Agenden.", "Subject of the agenda e-mails."),
    "sender": Text(
        "Absender der E-Mails, z. B. Team Vernetzung <team@example.org>.",
        "Sender of the e-mails, e.g. Team <team@example.org>.",
    ),
}

_SLOT_REFS = Text("Zeitfenster-IDs, mit ; getrennt, z. B. T1; T3.", "Slot ids separated by ;, e.g. T1; T3.")

COLUMN_HELP = {
    ("event", "field"): Text(
        ", ".join(de for de, _ in EVENT_FIELDS.values()) + ".", ", ".join(en for _, en in EVENT_FIELDS.values()) + "."
    ),
    ("event", "value"): Text("Der Wert des Feldes links.", "The value of the field on the left."),
    ("slots", "id"): Text(
        "Kurze, eindeutige Kennung, z. B. T1. Sessions und Anmeldungen verweisen darauf.",
        "Short unique id, e.g. T1. Sessions and registrations refer to it.",
    ),
    ("slots", "start"): Text("Beginn als Uhrzeit, z. B. 10:30.", "Start as a time of day, e.g. 10:30."),
    ("slots", "end"): Text("Ende als Uhrzeit, nach dem Beginn.", "End as a time of day, after the start."),
    ("slots", "kind"): Text(
        "Session (parallele Sessions), Plenum (alle gemeinsam) oder Vernetzung (alle in kleinen, gemischten "
        "Gruppen, jede Runde neu gemischt); leer: Session.",
        "Session (parallel sessions), Plenary (everyone together) or Networking (everyone in small mixed groups, "
        "new groups each round); empty: Session.",
    ),
    ("slots", "group_size"): Text(
        "Nur für Vernetzung: Personen je Gruppe, z. B. 5 oder 4-6; leer: 4-6.",
        "Networking only: people per group, e.g. 5 or 4-6; empty: 4-6.",
    ),
    ("slots", "title"): Text("Titel eines Plenums, z. B. Eröffnung.", "Title of a plenary block, e.g. Opening."),
    ("slots", "link"): Text(
        "Link des Meetings in diesem Zeitfenster, falls nicht der Hauptraum-Link (Blatt Veranstaltung) gilt: beim "
        "Plenum der Raum aller, bei Sessions das Meeting, dessen Breakout-Räume die Räume ohne eigenen Link sind.",
        "Link of this slot's meeting where the main room link (sheet Event) does not apply: for a plenary the room "
        "of all, for sessions the meeting whose breakout rooms are the rooms without a link of their own.",
    ),
    ("rooms", "id"): Text("Eindeutige Kennung, z. B. R1.", "Unique id, e.g. R1."),
    ("rooms", "name"): Text("Name des Raums, z. B. Zoom-Raum Elbe.", "Name of the room, e.g. Zoom room Elbe."),
    ("rooms", "capacity"): Text("Höchstzahl Personen; leer: unbegrenzt.", "Most people; empty: unlimited."),
    ("rooms", "link"): Text("Zugangslink, z. B. https://zoom.example.org/j/123.", "Join link."),
    ("rooms", "features"): Text(
        "Merkmale, mit Komma getrennt, z. B. Whiteboard, Aufzeichnung.", "Features, comma-separated, e.g. Whiteboard."
    ),
    ("sessions", "id"): Text("Eindeutige Kennung, z. B. S01.", "Unique id, e.g. S01."),
    ("sessions", "title"): Text(
        "Titel; Wünsche dürfen ihn statt der ID nennen.", "Title; wishes may name it instead of the id."
    ),
    ("sessions", "hosts"): Text(
        "Gastgeber*innen, mit ; getrennt, je Name <E-Mail>, E-Mail oder Name (dann muss die Person angemeldet sein).",
        "Hosts separated by ;, each Name <email>, email, or a name (then the person must be registered).",
    ),
    ("sessions", "organisation"): Text("Organisation der Gastgeber*innen.", "The hosts' organisation."),
    ("sessions", "capacity"): Text(
        "Höchstzahl Teilnehmende; leer: nur der Raum begrenzt.", "Most participants; empty: only the room limits."
    ),
    ("sessions", "minimum"): Text(
        "Mindestzahl Teilnehmende je Durchlauf; leer: 0.", "Fewest participants per run; empty: 0."
    ),
    ("sessions", "duration"): Text(
        "Anzahl aufeinanderfolgender Zeitfenster; leer: 1.", "Number of consecutive slots; empty: 1."
    ),
    ("sessions", "runs"): Text(
        "Wie oft die Session stattfindet (in verschiedenen Zeitfenstern); leer: 1.",
        "How often the session takes place (in different slots); empty: 1.",
    ),
    ("sessions", "features"): Text("Benötigte Raummerkmale, mit Komma getrennt.", "Room features needed."),
    ("sessions", "slot"): Text("Festes Zeitfenster (ID); leer: frei planbar.", "Fixed slot (id); empty: free."),
    ("sessions", "room"): Text("Fester Raum (ID); leer: frei planbar.", "Fixed room (id); empty: free."),
    ("sessions", "not_in"): Text(
        f"Zeitfenster, in denen die Session nicht liegen darf. {_SLOT_REFS.de}",
        f"Slots the session must not cover. {_SLOT_REFS.en}",
    ),
    ("sessions", "description"): Text("Kurzbeschreibung für die Agenda.", "Short description for the agenda."),
    ("sessions", "not_parallel"): Text(
        "Session-IDs, mit ; getrennt, die nicht im selben Zeitfenster liegen dürfen (z. B. dasselbe Publikum).",
        "Session ids separated by ;, that must not share a slot (e.g. the same audience).",
    ),
    ("sessions", "status"): Text(
        "abgesagt (oder storniert): die Session entfällt; leer oder bestätigt: sie findet statt.",
        "cancelled: the session is dropped; empty or confirmed: it takes place.",
    ),
    ("registrations", "name"): Text("Vor- und Nachname.", "Full name."),
    ("registrations", "email"): Text(
        "E-Mail-Adresse; sie identifiziert die Person.", "E-mail address; it identifies the person."
    ),
    ("registrations", "organisation"): Text("Organisation der Person.", "The person's organisation."),
    ("registrations", "wish"): Text(
        "Titel oder ID einer Session; Wunsch 1 ist der stärkste.", "Title or id of a session; wish 1 is the strongest."
    ),
    ("registrations", "unavailable"): Text(
        f"Zeitfenster, in denen die Person nicht kann. {_SLOT_REFS.de}",
        f"Slots the person cannot attend. {_SLOT_REFS.en}",
    ),
    ("registrations", "fixed"): Text(
        "Sessions (ID oder Titel, mit ; getrennt), die die Person auf jeden Fall besucht (fest eingeteilt).",
        "Sessions (id or title, separated by ;) the person attends in any case (pinned).",
    ),
    ("registrations", "status"): Text(
        "abgesagt (oder storniert): die Anmeldung entfällt; leer oder bestätigt: sie gilt.",
        "cancelled: the registration is dropped; empty or confirmed: it counts.",
    ),
    ("registrations", "moderator"): Text(
        "ja: moderiert in Vernetzungsrunden eine Gruppe (je Gruppe höchstens eine, soweit es reicht); leer: nein.",
        "yes: moderates a group in networking rounds (one per group as far as they go); empty: no.",
    ),
}


def sheet_name(spec: SheetSpec, lang: Lang) -> str:
    return spec.en if lang == "en" else spec.de


def column_names(spec: SheetSpec, lang: Lang) -> list[str]:
    return [c.en if lang == "en" else c.de for c in spec.columns]


def registration_columns(wishes: int, lang: Lang) -> list[str]:
    """Name, E-Mail, Organisation, Wunsch 1 … Wunsch K, Nicht verfügbar, Fest, Status, Moderation."""
    names = column_names(REGISTRATIONS, lang)
    wish = "Wish" if lang == "en" else "Wunsch"
    return [*names[:3], *(f"{wish} {r}" for r in range(1, wishes + 1)), *names[3:]]


def field_name(key: str, lang: Lang) -> str:
    de, en = EVENT_FIELDS[key]
    return en if lang == "en" else de


def write_event_workbook(event: Event, path: Path, lang: Lang = "de") -> None:
    """Write `event` as an event workbook; the same event always gives the same bytes."""
    workbook = event_workbook(event, lang)
    stamp = datetime.combine(event.date, time()) if event.date else FIXED_STAMP
    write_atomic(path, lambda tmp: save_reproducibly(workbook, tmp, stamp))


def event_workbook(event: Event, lang: Lang = "de") -> Workbook:
    workbook = new_workbook()
    _event_sheet(workbook, event, lang)
    slots = header_sheet(workbook, SLOTS, column_names(SLOTS, lang), lang)
    rows_below_header(slots, (_slot_row(s, lang) for s in event.slots))
    rooms = header_sheet(workbook, ROOMS, column_names(ROOMS, lang), lang)
    rows_below_header(rooms, ([r.id, r.name, r.capacity, r.link, ", ".join(sorted(r.features))] for r in event.rooms))
    sessions = header_sheet(workbook, SESSIONS, column_names(SESSIONS, lang), lang)
    rows_below_header(sessions, (_session_row(event, se) for se in event.sessions))
    registrations = header_sheet(workbook, REGISTRATIONS, registration_columns(event.rank_count, lang), lang)
    labels = wish_labels(event)
    rows_below_header(registrations, (_registration_row(event, p, labels, lang) for p in event.participants))
    for ws in workbook.worksheets:
        fit_widths(ws, wrap_long=True)
    add_validations(workbook, lang, event.rank_count, rows=max(200, len(event.people) + 100))
    return workbook


def _slot_list(event: Event, slot_ids: frozenset[str]) -> str:
    order = [s.id for s in event.ordered_slots]
    return "; ".join(sorted(slot_ids, key=order.index))


def _session_row(event: Event, se: Session) -> list[CellValue]:
    hosts = "; ".join(host_entry(event.person(h)) for h in se.hosts)
    return [
        *(se.id, se.title, hosts, se.organisation, se.capacity, se.minimum or None, se.duration, se.runs),
        *(", ".join(sorted(se.features)), se.fixed_slot, se.fixed_room, _slot_list(event, se.not_in), se.description),
        "; ".join(sorted(se.not_parallel)),
        None,
    ]


def wish_labels(event: Event) -> dict[str, str]:
    """Session id -> how a wish names it: the title, or the id where the title could be read as another session."""
    ids = Counter(s.id.casefold() for s in event.sessions)
    titles = Counter(loose(s.title) for s in event.sessions)
    return {
        s.id: s.title if titles[loose(s.title)] == 1 and s.title.casefold() not in ids and s.title.strip() else s.id
        for s in event.sessions
    }


def _slot_row(slot: Slot, lang: Lang) -> list[CellValue]:
    """ID, start, end, kind, title, link, and the group size of a networking round (`5` or `4-6`)."""
    fewest, most = slot.group_size
    size = (str(most) if fewest == most else f"{fewest}-{most}") if slot.kind == "networking" else None
    return [slot.id, slot.start, slot.end, SLOT_KIND_NAMES[slot.kind](lang), slot.title, slot.link, size]


def _registration_row(event: Event, person: Person, labels: dict[str, str], lang: Lang) -> list[CellValue]:
    """Name, e-mail, organisation, the wished sessions by rank (gaps stay empty), slots not available, Fest,
    moderation."""
    titles = {w.rank: labels[w.session] for w in person.wishes}
    wishes = [titles.get(rank) for rank in range(1, event.rank_count + 1)]
    fixed = "; ".join(labels[s] for s in sorted(person.fixed))
    moderator = MODERATOR_YES(lang) if person.moderator else None
    unavailable = _slot_list(event, person.unavailable)
    return [person.name, person.email, person.organisation, *wishes, unavailable, fixed, None, moderator]  # no Status


def host_entry(person: Person) -> str:
    """The host notation of the `Gastgeber` column: `Name <email>`, or the e-mail, or the name."""
    if person.email and person.name and person.name != person.email:
        return f"{person.name} <{person.email}>"
    return person.email or person.name


def new_workbook() -> Workbook:
    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    return workbook


def header_sheet(workbook: Workbook, spec: SheetSpec, headers: Sequence[str], lang: Lang) -> Worksheet:
    """A sheet with a bold, frozen header row whose cells explain their column in a comment."""
    ws = workbook.create_sheet(sheet_name(spec, lang))
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(1, i)
        write_cell(cell, header)
        cell.font, cell.fill = BOLD, HEADER_FILL
        help_text = COLUMN_HELP.get((spec.key, _column_key(spec, header, i)))
        if help_text is not None:
            cell.comment = comment(help_text(lang))
    ws.freeze_panes = "A2"
    return ws


def _column_key(spec: SheetSpec, header: str, position: int) -> str:
    """The schema key of a header; wish columns all share the key `wish`."""
    for column in spec.columns:
        if header in column.names:
            return column.key
    return "wish" if spec is REGISTRATIONS and position > 3 else ""


def comment(text: str) -> Comment:
    note = Comment(text, "scheduler")
    note.width, note.height = 320, 140
    return note


def _event_sheet(workbook: Workbook, event: Event, lang: Lang) -> None:
    weights = ",".join(str(w) for w in event.weights) if event.weights else None
    values: dict[str, CellValue] = {"name": event.name, "date": event.date, "timezone": event.timezone}
    values |= {"weights": weights}
    values |= {"main_link": event.main_link, "contact": event.contact, "language": event.language}
    values |= {"subject": event.subject, "sender": event.sender}
    event_fields_sheet(workbook, values, lang)


def event_fields_sheet(workbook: Workbook, values: Mapping[str, CellValue], lang: Lang) -> Worksheet:
    """The `Veranstaltung` sheet: one row per field (Name, Datum, Zeitzone, Gewichte, …), each explained."""
    ws = header_sheet(workbook, EVENT, column_names(EVENT, lang), lang)
    rows_below_header(ws, ([field_name(key, lang), values.get(key)] for key in EVENT_FIELDS))
    for row, key in enumerate(EVENT_FIELDS, start=2):
        ws.cell(row, 1).comment = comment(FIELD_HELP[key](lang))
    return ws


def save_reproducibly(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with fixed document and zip timestamps: the same workbook always gives the same bytes."""
    workbook.properties.creator = "scheduler"
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            target.writestr(entry, source.read(info.filename), compress_type=ZIP_DEFLATED)


# -- data validation ------------------------------------------------------------------------------------------


def add_validations(workbook: Workbook, lang: Lang, wishes: int, rows: int) -> None:
    """Dropdowns for kinds and for references to slots, rooms and sessions; whole numbers where counts go.

    Lists refer to the id (or title) columns of the other sheets, so they follow what the organiser enters.
    Cells that take several slot ids keep the dropdown but accept any text.
    """
    slot_ids = _range_ref(sheet_name(SLOTS, lang), "A", rows)
    room_ids = _range_ref(sheet_name(ROOMS, lang), "A", rows)
    titles = _range_ref(sheet_name(SESSIONS, lang), "B", rows)
    session_ids = _range_ref(sheet_name(SESSIONS, lang), "A", rows)
    kinds = ",".join(k(lang) for k in SLOT_KIND_NAMES.values())
    statuses = '"bestätigt,abgesagt"' if lang == "de" else '"confirmed,cancelled"'
    plan = {
        (SLOTS, "kind"): _list(f'"{kinds}"'),
        (ROOMS, "capacity"): _whole(0),
        (SESSIONS, "capacity"): _whole(0),
        (SESSIONS, "minimum"): _whole(0),
        (SESSIONS, "duration"): _whole(1),
        (SESSIONS, "runs"): _whole(1),
        (SESSIONS, "slot"): _list(slot_ids),
        (SESSIONS, "room"): _list(room_ids),
        (SESSIONS, "not_in"): _list(slot_ids, strict=False),
        (SESSIONS, "not_parallel"): _list(session_ids, strict=False),
        (SESSIONS, "status"): _list(statuses, strict=False),
        (REGISTRATIONS, "unavailable"): _list(slot_ids, strict=False),
        (REGISTRATIONS, "fixed"): _list(titles, strict=False),
        (REGISTRATIONS, "status"): _list(statuses, strict=False),
        (REGISTRATIONS, "moderator"): _list(f'"{MODERATOR_YES(lang)},{MODERATOR_NO(lang)}"', strict=False),
    }
    for (spec, key), validation in plan.items():
        ws = workbook[sheet_name(spec, lang)]
        validation.add(_column_range(ws, spec.column(key).en if lang == "en" else spec.column(key).de, rows))
        ws.add_data_validation(validation)
    registrations = workbook[sheet_name(REGISTRATIONS, lang)]
    first, last = get_column_letter(4), get_column_letter(3 + wishes)
    wish_list = _list(titles, strict=False)
    wish_list.errorStyle = "warning"
    wish_list.add(f"{first}2:{last}{rows}")
    registrations.add_data_validation(wish_list)


def _range_ref(sheet: str, column: str, rows: int) -> str:
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!${column}$2:${column}${rows}"


def _column_range(ws: Worksheet, header: str, rows: int) -> str:
    column = next(c.column_letter for c in ws[1] if c.value == header)
    return f"{column}2:{column}{rows}"


def _list(formula: str, *, strict: bool = True) -> DataValidation:
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict)


def _whole(minimum: int) -> DataValidation:
    return DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1=str(minimum),
        allow_blank=True,
        showErrorMessage=True,
        error=f">= {minimum}",
    )
