"""The sheets that describe the event itself: Veranstaltung, Zeitfenster, Räume, Sessions.

Each reader keeps going after a bad cell (using a default) so that one run reports every problem; rows whose
id is missing are dropped, rows with other errors are kept so that references to them do not fail as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.domain import DEFAULT_GROUP_SIZE, Room, Session, Slot, SlotKind, longest_block, overlapping
from scheduler.io.cells import CellError, Cells, cell_text, parse_date, parse_int
from scheduler.io.matching import match_slot, slot_hint
from scheduler.io.schema import EVENT, EVENT_FIELDS, ROOMS, SESSIONS, SLOT_KINDS, SLOTS, SheetSpec, normalise_name
from scheduler.io.sheets import Book, Row, Table, find_sheet, read_table, warn_unknown_columns
from scheduler.problems import Problems
from scheduler.text import Text

DEFAULT_TIMEZONE = "Europe/Berlin"


@dataclass
class Settings:
    name: str = ""
    date: date | None = None
    timezone: str = DEFAULT_TIMEZONE
    weights: tuple[int, ...] | None = None
    weights_row: int | None = None
    main_link: str = ""
    contact: str = ""
    language: str = "de"
    subject: str = ""
    sender: str = ""
    sheet: str = EVENT.de  # as named in the file


@dataclass
class Slots:
    """The slots read; `broken` holds ids of rows that had errors, so references to them are not errors too."""

    slots: list[Slot] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    rows: dict[str, int] = field(default_factory=dict)  # slot id -> its row in the sheet, for later problems
    sheet: str = SLOTS.de  # as named in the file
    group_size_column: str = SLOTS.column("group_size").de  # as named in the file, or the German name

    def longest_block(self) -> int:
        """The longest run of consecutive session slots (a plenary slot between two breaks the run)."""
        return longest_block(self.slots)


@dataclass(frozen=True)
class HostRef:
    """One entry of a session's `Gastgeber` cell, before it is matched to a person."""

    session: str
    name: str
    email: str
    sheet: str
    row: int
    column: str


def read_settings(book: Book, problems: Problems) -> Settings:
    """The `Veranstaltung` sheet (Feld | Wert); missing fields take defaults, a missing name the file's name."""
    settings = Settings()
    sheet = find_sheet(book, EVENT, problems, required=False)
    fields = _field_rows(book, sheet, problems) if sheet is not None else {}
    settings.sheet = sheet or EVENT.de

    def value(key: str) -> str:
        return cell_text(fields[key][1]) if key in fields else ""

    def error(key: str, message: Text, hint: Text | None) -> None:
        problems.error(message, hint=hint, sheet=sheet or EVENT.de, row=fields[key][0], column="Wert")

    settings.name = value("name") or book.file.rsplit(".", 1)[0]
    if not value("name"):
        problems.warn(
            Text(
                f'Die Veranstaltung hat keinen Namen; verwendet wird "{settings.name}".',
                f'The event has no name; using "{settings.name}".',
            ),
            hint=Text('Tragen Sie im Blatt "Veranstaltung" das Feld "Name" ein.', 'Fill in the field "Name".'),
            sheet=sheet or EVENT.de,
            code="event_without_name",
        )
    if value("date"):
        try:
            settings.date = parse_date(fields["date"][1])
        except CellError as err:
            error("date", err.message, err.hint)
    if value("timezone"):
        settings.timezone = value("timezone")
        try:
            ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            error(
                "timezone",
                Text(
                    f'Die Zeitzone "{settings.timezone}" ist unbekannt.',
                    f'The time zone "{settings.timezone}" is unknown.',
                ),
                Text("Zum Beispiel: Europe/Berlin.", "For example: Europe/Berlin."),
            )
            settings.timezone = DEFAULT_TIMEZONE
    settings.main_link, settings.contact = value("main_link"), value("contact")
    settings.subject, settings.sender = value("subject"), value("sender")
    if value("language"):
        language = event_language(value("language"))
        if language is None:
            error(
                "language",
                Text(
                    f'Die Sprache "{value("language")}" ist unbekannt.',
                    f'The language "{value("language")}" is unknown.',
                ),
                Text(
                    "Schreiben Sie einen Sprachcode mit zwei Buchstaben, z. B. de oder en.",
                    "Write a two-letter language code, e.g. de or en.",
                ),
            )
        settings.language = language or "de"
    if value("weights"):
        settings.weights_row = fields["weights"][0]
        try:
            settings.weights = tuple(parse_int(w) for w in re.split(r"[;,\s]+", value("weights")) if w)
        except CellError as err:
            error(
                "weights",
                Text(f"Gewichte: {err.message.de}", f"Weights: {err.message.en}"),
                Text(
                    "Schreiben Sie ganze Zahlen ab 0, durch Komma getrennt, z. B. 5,4,3,2,1.",
                    "Write whole numbers from 0, comma-separated, e.g. 5,4,3,2,1.",
                ),
            )
    return settings


LANGUAGE_NAMES = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}(?:-[a-z]{2})?$")


def event_language(text: str) -> str | None:
    """`de`, `en` or another ISO 639-1 code (optionally with a region: `de-at`), from a code or a name."""
    wanted = text.strip().casefold().replace("_", "-")
    wanted = LANGUAGE_NAMES.get(wanted, wanted)
    return wanted if _LANGUAGE_CODE.match(wanted) else None


def _field_rows(book: Book, sheet: str, problems: Problems) -> dict[str, tuple[int, object]]:
    """Field key -> (row, value); a header row `Feld | Wert` is optional, unknown fields are warned about."""
    names = {normalise_name(n): key for key, pair in EVENT_FIELDS.items() for n in pair}
    header = {normalise_name(n) for c in EVENT.columns for n in c.names}
    fields: dict[str, tuple[int, object]] = {}
    for number, values in enumerate(book.sheets[sheet], start=1):
        label = cell_text(values[0]) if values else ""
        value = values[1] if len(values) > 1 else None
        if not label or normalise_name(label) in header:
            continue
        key = names.get(normalise_name(label))
        if key is None:
            problems.warn(
                Text(f'Das Feld "{label}" ist unbekannt.', f'The field "{label}" is unknown.'),
                hint=Text(
                    f"Bekannt sind: {', '.join(de for de, _ in EVENT_FIELDS.values())}.",
                    f"Known fields: {', '.join(en for _, en in EVENT_FIELDS.values())}.",
                ),
                sheet=sheet,
                row=number,
                column="Feld",
                code="unknown_field",
            )
            continue
        fields[key] = (number, value)
    return fields


def _table(book: Book, spec: SheetSpec, problems: Problems) -> Table | None:
    sheet = find_sheet(book, spec, problems)
    if sheet is None:
        return None
    table = read_table(book, sheet, spec, problems)
    if table is not None:
        warn_unknown_columns(table, problems)
        if not table.rows:
            problems.error(
                Text(f'Das Blatt "{sheet}" enthält keine Einträge.', f'The sheet "{sheet}" has no entries.'),
                hint=Text("Tragen Sie unter der Überschrift mindestens eine Zeile ein.", "Add at least one row."),
                sheet=sheet,
            )
    return table


def _ids(cells: Cells, row: Row, seen: dict[str, int], what: Text) -> str:
    """The row's id (required); a repeated id is an error naming the first row."""
    ident = cells.text(row, "id", required=True)
    if ident in seen:
        cells.error(
            row,
            "id",
            Text(f'Die ID "{ident}" kommt doppelt vor.', f'The id "{ident}" appears twice.'),
            Text(
                f"{what.de} in Zeile {seen[ident]} hat dieselbe ID.", f"The {what.en} in row {seen[ident]} has it too."
            ),
        )
    elif ident:
        seen[ident] = row.number
    return ident


def read_slots(book: Book, problems: Problems) -> Slots | None:
    table = _table(book, SLOTS, problems)
    if table is None:
        return None
    cells, result, seen = Cells(table, problems), Slots(), dict[str, int]()
    rows: dict[str, Row] = {}
    for row in table.rows:
        ident = _ids(cells, row, seen, Text("Das Zeitfenster", "slot"))
        start, end = cells.time(row, "start"), cells.time(row, "end")
        kind = _kind(cells, row)
        size = _group_size(cells, row, kind)
        if not ident:
            continue
        if start is None or end is None or kind is None:
            result.broken.add(ident)
            continue
        if end <= start:
            cells.error(
                row,
                "end",
                Text(
                    f"Das Ende {end:%H:%M} liegt nicht nach dem Beginn {start:%H:%M}.",
                    f"End {end:%H:%M} is not after start {start:%H:%M}.",
                ),
                Text("Prüfen Sie Beginn und Ende.", "Check start and end."),
            )
            result.broken.add(ident)
            continue
        if size is None:
            result.broken.add(ident)
            continue
        if ident not in rows:
            rows[ident] = row
            result.slots.append(
                Slot(ident, start, end, kind, cells.text(row, "title"), cells.text(row, "link"), group_size=size)
            )
    _check_overlaps(cells, result.slots, rows)
    result.rows = {ident: row.number for ident, row in rows.items()}
    result.sheet = table.sheet
    result.group_size_column = cells.header("group_size") or result.group_size_column
    if table.rows and not any(s.kind == "session" for s in result.slots) and not result.broken:
        problems.error(
            Text("Es gibt kein Zeitfenster der Art Session.", "There is no slot of kind Session."),
            hint=Text(
                'Setzen Sie die Spalte "Art" mindestens einmal auf "Session".', 'Set "Kind" to "Session" at least once.'
            ),
            sheet=table.sheet,
            column=cells.header("kind"),
        )
    return result


def _kind(cells: Cells, row: Row) -> SlotKind | None:
    text = cells.text(row, "kind")
    if not text:
        return "session"
    kind = SLOT_KINDS.get(text.casefold())
    if kind is None:
        cells.error(
            row,
            "kind",
            Text(f'Die Art "{text}" ist unbekannt.', f'The kind "{text}" is unknown.'),
            Text(
                'Erlaubt sind "Session", "Plenum" und "Vernetzung".',
                'Allowed are "Session", "Plenum" (or "Plenary") and "Vernetzung" (or "Networking").',
            ),
        )
        return None
    return kind  # type: ignore[return-value]


_GROUP_SIZE = re.compile(r"^(\d+)(?:\s*[-–]\s*(\d+))?$")
_GROUP_SIZE_HINT = Text(
    "Schreiben Sie eine Zahl ab 2 (z. B. 5) oder einen Bereich von-bis (z. B. 4-6); leer: 4-6.",
    "Write a number from 2 (e.g. 5) or a range from-to (e.g. 4-6); empty: 4-6.",
)


def _group_size(cells: Cells, row: Row, kind: SlotKind | None) -> tuple[int, int] | None:
    """`5` or `4-6` for a networking round (default 4-6); None after reporting a size that cannot be read."""
    text = cells.text(row, "group_size")
    if not text:
        return DEFAULT_GROUP_SIZE
    if kind != "networking":
        cells.warn(
            row,
            "group_size",
            Text(
                f'Die Gruppengröße "{text}" gilt nur für Zeitfenster der Art Vernetzung und wird übergangen.',
                f'The group size "{text}" applies to networking slots only and is ignored.',
            ),
            code="group_size_ignored",
        )
        return DEFAULT_GROUP_SIZE
    match = _GROUP_SIZE.match(text.replace(" bis ", "-").replace(" to ", "-"))
    if match is None:
        cells.error(
            row,
            "group_size",
            Text(f'"{text}" ist keine Gruppengröße.', f'"{text}" is not a group size.'),
            _GROUP_SIZE_HINT,
        )
        return None
    fewest = int(match.group(1))
    most = int(match.group(2)) if match.group(2) else fewest
    if fewest > most:
        cells.error(
            row,
            "group_size",
            Text(
                f"Die Gruppengröße {text}: das Kleinste ({fewest}) ist größer als das Größte ({most}).",
                f"Group size {text}: the smallest ({fewest}) is larger than the largest ({most}).",
            ),
            Text(f"Meinten Sie {most}-{fewest}?", f"Did you mean {most}-{fewest}?"),
        )
        return None
    if fewest < 2:
        cells.error(
            row,
            "group_size",
            Text(
                f"Die Gruppengröße {text}: eine Gruppe braucht mindestens 2 Personen.",
                f"Group size {text}: a group needs at least 2 people.",
            ),
            _GROUP_SIZE_HINT,
        )
        return None
    return (fewest, most)


def _check_overlaps(cells: Cells, slots: list[Slot], rows: dict[str, Row]) -> None:
    for a, b in overlapping(slots):
        cells.error(
            rows[b.id],
            "start",
            Text(
                f"Das Zeitfenster {b.id} ({b.start:%H:%M}–{b.end:%H:%M}) überschneidet sich mit {a.id} "
                f"({a.start:%H:%M}–{a.end:%H:%M}, Zeile {rows[a.id].number}).",
                f"Slot {b.id} ({b.start:%H:%M}–{b.end:%H:%M}) overlaps {a.id} "
                f"({a.start:%H:%M}–{a.end:%H:%M}, row {rows[a.id].number}).",
            ),
            Text("Zeitfenster dürfen sich nicht überschneiden.", "Slots must not overlap."),
        )


def read_rooms(book: Book, problems: Problems) -> list[Room] | None:
    table = _table(book, ROOMS, problems)
    if table is None:
        return None
    cells, rooms, seen = Cells(table, problems), list[Room](), dict[str, int]()
    for row in table.rows:
        duplicate = cells.text(row, "id") in seen
        ident = _ids(cells, row, seen, Text("Der Raum", "room"))
        capacity = cells.integer(row, "capacity", default=None)
        if ident and not duplicate:
            features = frozenset(cells.items(row, "features"))
            name = cells.text(row, "name") or ident
            rooms.append(Room(ident, name, capacity, cells.text(row, "link"), features))
    return rooms


def read_sessions(
    book: Book, slots: Slots | None, rooms: list[Room] | None, problems: Problems
) -> tuple[list[Session], list[HostRef]] | None:
    """Sessions with their hosts still unresolved (`hosts=()`), and the host entries to resolve."""
    table = _table(book, SESSIONS, problems)
    if table is None:
        return None
    cells, sessions, hosts, seen = Cells(table, problems), list[Session](), list[HostRef](), dict[str, int]()
    titles: dict[str, str] = {}
    for row in table.rows:
        duplicate = cells.text(row, "id") in seen
        ident = _ids(cells, row, seen, Text("Die Session", "session"))
        title = cells.text(row, "title", required=True)
        session = _session(cells, row, ident, title, slots, rooms)
        if title and title.casefold() in titles and not duplicate:
            cells.warn(
                row,
                "title",
                Text(
                    f'Den Titel "{title}" hat auch {titles[title.casefold()]}.',
                    f'{titles[title.casefold()]} has the title "{title}" too.',
                ),
                Text(
                    "Wünsche nach diesem Titel sind mehrdeutig; verwenden Sie die ID.",
                    "Wishes by this title are ambiguous; use the id.",
                ),
                code="duplicate_title",
            )
        titles.setdefault(title.casefold(), ident)
        if ident and not duplicate:
            sessions.append(session)
            hosts += _host_refs(cells, row, ident)
    return sessions, hosts


def _session(cells: Cells, row: Row, ident: str, title: str, slots: Slots | None, rooms: list[Room] | None) -> Session:
    capacity = cells.integer(row, "capacity", default=None)
    minimum = cells.integer(row, "minimum", default=0) or 0
    if capacity is not None and minimum > capacity:
        cells.error(
            row,
            "minimum",
            Text(
                f"Das Minimum {minimum} ist größer als die Kapazität {capacity}.",
                f"Minimum {minimum} exceeds capacity {capacity}.",
            ),
        )
    duration = cells.integer(row, "duration", default=1, minimum=1) or 1
    runs = cells.integer(row, "runs", default=1, minimum=1) or 1
    features = frozenset(cells.items(row, "features"))
    fixed_slot = _slot_ref(cells, row, "slot", slots)
    fixed_room = _room_ref(cells, row, rooms)
    not_in = frozenset(s for s in (_slot_refs(cells, row, "not_in", slots)) if s)
    if slots is not None and not slots.broken and duration > slots.longest_block():
        cells.error(
            row,
            "duration",
            Text(
                f"Die Dauer {duration} ist länger als die längste Folge aufeinanderfolgender Session-Zeitfenster "
                f"({slots.longest_block()}).",
                f"Duration {duration} is longer than the longest run of consecutive session slots "
                f"({slots.longest_block()}).",
            ),
            Text(
                "Kürzen Sie die Dauer oder legen Sie Zeitfenster ohne Plenum dazwischen an.",
                "Shorten the duration or add consecutive session slots.",
            ),
        )
    if fixed_slot is not None and slots is not None:
        slot = next((s for s in slots.slots if s.id == fixed_slot), None)
        if slot is not None and slot.kind != "session":
            cells.error(
                row,
                "slot",
                Text(
                    f"Das Zeitfenster {fixed_slot} ist {_KIND_PHRASE[slot.kind]}.",
                    f"Slot {fixed_slot} is a {slot.kind} slot.",
                ),
                Text(
                    "Sessions können nur in Zeitfenstern der Art Session liegen.",
                    "Sessions can only be placed in slots of kind Session.",
                ),
            )
    if rooms is not None and features:
        offered = frozenset().union(*(r.features for r in rooms))
        for feature in sorted(features - offered):
            known = ", ".join(sorted(offered)) or "–"
            cells.error(
                row,
                "features",
                Text(f'Kein Raum hat das Merkmal "{feature}".', f'No room has the feature "{feature}".'),
                Text(f"Merkmale der Räume: {known}.", f"Room features: {known}."),
            )
    return Session(
        ident, title, (), cells.text(row, "organisation"), capacity, minimum, duration, runs, features,
        fixed_slot, fixed_room, not_in, cells.text(row, "description"),
    )  # fmt: skip


_KIND_PHRASE = {"session": "ein Session-Zeitfenster", "plenary": "ein Plenum", "networking": "eine Vernetzungsrunde"}


def _slot_ref(cells: Cells, row: Row, key: str, slots: Slots | None) -> str | None:
    refs = _slot_refs(cells, row, key, slots)
    return refs[0] if refs else None


def _slot_refs(cells: Cells, row: Row, key: str, slots: Slots | None) -> list[str]:
    """Slot ids in a cell; an unknown one is an error (unless its own row in Zeitfenster was already wrong)."""
    found = []
    for item in cells.items(row, key):
        if slots is None or item in slots.broken:
            found.append(item)
            continue
        slot = match_slot(item, slots.slots)
        if slot is None:
            cells.error(
                row,
                key,
                Text(f'Das Zeitfenster "{item}" gibt es nicht.', f'There is no slot "{item}".'),
                slot_hint(slots.slots),
            )
        else:
            found.append(slot.id)
    return found


def _room_ref(cells: Cells, row: Row, rooms: list[Room] | None) -> str | None:
    text = cells.text(row, "room")
    if not text or rooms is None:
        return text or None
    room = next((r for r in rooms if text.casefold() in (r.id.casefold(), r.name.casefold())), None)
    if room is None:
        ids = ", ".join(r.id for r in rooms)
        cells.error(
            row,
            "room",
            Text(f'Den Raum "{text}" gibt es nicht.', f'There is no room "{text}".'),
            Text(f"Bekannte Räume: {ids}.", f"Known rooms: {ids}."),
        )
        return None
    return room.id


_NAMED_EMAIL = re.compile(r"^(.*?)\s*<\s*([^<>\s]+@[^<>\s]+)\s*>$")


def parse_host(entry: str) -> tuple[str, str]:
    """(name, e-mail) of a host entry written as `Name <email>`, `email` or `Name`."""
    match = _NAMED_EMAIL.match(entry)
    if match:
        return match.group(1).strip(), match.group(2).strip().lower()
    if "@" in entry and " " not in entry:
        return "", entry.lower()
    return entry, ""


def _host_refs(cells: Cells, row: Row, session: str) -> list[HostRef]:
    entries = [e.strip() for e in re.split(r"[;\n]", cells.text(row, "hosts")) if e.strip()]
    return [HostRef(session, *parse_host(e), cells.table.sheet, row.number, cells.header("hosts")) for e in entries]
