"""Why an output cannot be made from this plan, in the organiser's words (the CLI shows it, exit code 2)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.domain import Event
from scheduler.text import Text


class ExportError(Exception):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def event_date(event: Event) -> date:
    """The event's date; calendar and schedule outputs need one."""
    if event.date is None:
        raise ExportError(
            Text(
                "Die Veranstaltung hat kein Datum (Blatt Veranstaltung, Feld Datum): ohne Datum keine Kalender.",
                "The event has no date (sheet Event, field Date): calendars need one.",
            )
        )
    return event.date


def event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExportError(
            Text(
                f'Die Zeitzone "{event.timezone}" ist unbekannt (z. B. Europe/Berlin).',
                f'The time zone "{event.timezone}" is unknown (e.g. Europe/Berlin).',
            )
        ) from None


def local(event: Event, clock: time) -> datetime:
    """A clock time of the event day as an aware datetime in the event's time zone."""
    return datetime.combine(event_date(event), clock, tzinfo=event_zone(event))
