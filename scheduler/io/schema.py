"""The event workbook's layout: sheet and column names in German with their English aliases.

One definition serves the reader, the template writer and the documentation, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # name in code
    de: str
    en: str
    required: bool = False  # the column must exist (cells may still be optional)

    @property
    def names(self) -> tuple[str, str]:
        return (self.de, self.en)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    de: str
    en: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, str]:
        return (self.de, self.en)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def normalise_name(name: str) -> str:
    """Sheet and column names compare without case and surrounding or doubled spaces."""
    return " ".join(name.split()).casefold()


EVENT = SheetSpec(
    "event",
    "Veranstaltung",
    "Event",
    (Column("field", "Feld", "Field"), Column("value", "Wert", "Value")),
)

EVENT_FIELDS = {
    "name": ("Name", "Name"),
    "date": ("Datum", "Date"),
    "timezone": ("Zeitzone", "Time zone"),
    "weights": ("Gewichte", "Weights"),
    "main_link": ("Hauptraum-Link", "Main room link"),
    "contact": ("Kontakt", "Contact"),
    "language": ("Sprache", "Language"),
    "subject": ("Betreff", "Subject"),
    "sender": ("Absender", "Sender"),
}

SLOTS = SheetSpec(
    "slots",
    "Zeitfenster",
    "Slots",
    (
        Column("id", "ID", "ID", required=True),
        Column("start", "Beginn", "Start", required=True),
        Column("end", "Ende", "End", required=True),
        Column("kind", "Art", "Kind"),
        Column("title", "Titel", "Title"),
        Column("link", "Link", "Link"),
        Column("group_size", "Gruppengröße", "Group size"),
    ),
)

SLOT_KINDS = {
    "session": "session",
    "sessions": "session",
    "plenum": "plenary",
    "plenary": "plenary",
    "vernetzung": "networking",
    "networking": "networking",
}

ROOMS = SheetSpec(
    "rooms",
    "Räume",
    "Rooms",
    (
        Column("id", "ID", "ID", required=True),
        Column("name", "Name", "Name"),
        Column("capacity", "Kapazität", "Capacity"),
        Column("link", "Link", "Link"),
        Column("features", "Merkmale", "Features"),
    ),
)

SESSIONS = SheetSpec(
    "sessions",
    "Sessions",
    "Sessions",
    (
        Column("id", "ID", "ID", required=True),
        Column("title", "Titel", "Title", required=True),
        Column("hosts", "Gastgeber", "Hosts"),
        Column("organisation", "Organisation", "Organisation"),
        Column("capacity", "Kapazität", "Capacity"),
        Column("minimum", "Minimum", "Minimum"),
        Column("duration", "Dauer", "Duration"),
        Column("runs", "Durchläufe", "Runs"),
        Column("features", "Merkmale", "Features"),
        Column("slot", "Zeitfenster", "Slot"),
        Column("room", "Raum", "Room"),
        Column("not_in", "Nicht in", "Not in"),
        Column("description", "Beschreibung", "Description"),
    ),
)

REGISTRATIONS = SheetSpec(
    "registrations",
    "Anmeldungen",
    "Registrations",
    (
        Column("name", "Name", "Name", required=True),
        Column("email", "E-Mail", "Email", required=True),
        Column("organisation", "Organisation", "Organisation"),
        Column("unavailable", "Nicht verfügbar", "Unavailable"),
        Column("moderator", "Moderation", "Moderator"),
    ),
)

WISH_HEADER = re.compile(r"^(?:wunsch|wish)\s*(\d+)$")


def wish_rank(header: str) -> int | None:
    """The rank of a `Wunsch N` / `Wish N` column, or None for any other header."""
    match = WISH_HEADER.match(normalise_name(header))
    return int(match.group(1)) if match else None


def wish_header(rank: int) -> str:
    return f"Wunsch {rank}"
