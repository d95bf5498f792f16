"""The schedule in the frab/c3voc JSON format that pretalx exports, so event apps can show the day.

Plenary blocks go into one extra room named `Plenum` (`Plenary`) with the main room link; every run is an event
with a stable guid (uuid5 of event, date, session and run), so apps that re-import a changed plan update instead
of duplicating. `language` is the event's (`Sprache`), not the language of the labels. The schema requires a
`url` per entry: the room's (or main room's) web link, else the entry's `urn:uuid:` name, never an empty string.
The document validates against the c3voc schema (tests/fixtures/c3voc-schedule-schema.json).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import time
from pathlib import Path
from typing import Any

from scheduler import __version__
from scheduler.domain import Event, Person, Slot
from scheduler.export import describe, labels
from scheduler.export.errors import event_date, event_zone, local
from scheduler.io.atomic import write_text_atomic
from scheduler.text import Lang
from scheduler.views import PlanView, RunView

SCHEMA = "https://c3voc.de/schedule/schema.json"


def write_frab(view: PlanView, path: Path, lang: Lang, *, inputs: Iterable[Path] = ()) -> None:
    text = json.dumps(frab_document(view, lang), ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(path, text, inputs=inputs)


def frab_document(view: PlanView, lang: Lang) -> dict[str, Any]:
    event = view.event
    day = event_date(event).isoformat()
    plenary = labels.PLENARY(lang)
    rooms: dict[str, list[dict[str, Any]]] = {plenary: []} if _plenary_slots(event) else {}
    rooms |= {room.name: [] for room in event.rooms}
    number = 0
    for slot in _plenary_slots(event):
        number += 1
        rooms[plenary].append(_plenary_event(view, slot, number, lang))
    for run in view.runs:
        number += 1
        rooms[run.room.name].append(_run_event(view, run, number, lang))
    slots = event.ordered_slots
    conference = {
        "acronym": _acronym(event),
        "title": event.name,
        "start": day,
        "end": day,
        "daysCount": 1,
        "timeslot_duration": "00:05",
        "time_zone_name": event_zone(event).key,
        "rooms": [_room(event, name) for name in rooms],
        "tracks": [{"name": name} for name in dict.fromkeys(r.session.organisation for r in view.runs) if name],
        "days": [
            {
                "index": 1,
                "date": day,
                "day_start": local(event, slots[0].start).isoformat() if slots else f"{day}T00:00:00",
                "day_end": local(event, slots[-1].end).isoformat() if slots else f"{day}T23:59:00",
                "rooms": rooms,
            }
        ],
    }
    return {
        "$schema": SCHEMA,
        "generator": {"name": "scheduler", "version": __version__},
        "schedule": {"version": _version(view), "conference": conference},
    }


def _plenary_slots(event: Event) -> list[Slot]:
    return [s for s in event.ordered_slots if s.kind == "plenary"]


def _common(view: PlanView, key: str, number: int, start: time, end: time, room: str, title: str) -> dict[str, Any]:
    event = view.event
    begin = local(event, start)
    minutes = int((local(event, end) - begin).total_seconds() // 60)
    guid = _guid(event, key)
    return {
        "guid": guid,
        "id": number,
        "date": begin.isoformat(),
        "start": labels.clock(start),
        "duration": f"{minutes // 60:02d}:{minutes % 60:02d}",
        "room": room,
        "slug": f"{_acronym(event)}-{number}-{describe.safe_slug(title, 'session')}",
        "url": f"urn:uuid:{guid}",  # the schema wants a URI; where the entry has a web link, that replaces it
        "title": title,
        "subtitle": "",
        "track": None,
        "type": "",
        "language": event.language,
        "abstract": "",
        "description": "",
        "recording_license": "",
        "persons": [],
        "links": [],
        "attachments": [],
    }


def _web(link: str) -> str:
    """A link apps can open (http or https), else nothing: the schema wants a URI, never an empty string."""
    return link if link.startswith(("https://", "http://")) else ""


def _plenary_event(view: PlanView, slot: Slot, number: int, lang: Lang) -> dict[str, Any]:
    title = slot.title or labels.PLENARY(lang)
    entry = _common(view, f"plenary/{slot.id}", number, slot.start, slot.end, labels.PLENARY(lang), title)
    entry["type"] = labels.PLENARY(lang)
    link = _web(view.event.slot_link(slot))
    if link:
        entry |= {"url": link, "links": [{"title": labels.MAIN_ROOM(lang), "url": link, "type": "related"}]}
    return entry


def _run_event(view: PlanView, run: RunView, number: int, lang: Lang) -> dict[str, Any]:
    key = f"run/{run.session.id}/{run.run}"
    entry = _common(view, key, number, run.start, run.end, run.room.name, run.title)
    link = _web(run.room.link or view.event.slot_link(run.slots[0]))
    if link:
        entry["url"] = link
    entry |= {
        "subtitle": f"{labels.RUN(lang)} {run.run}" if run.runs > 1 else "",
        "track": run.session.organisation or None,
        "type": labels.SESSION(lang),
        "abstract": run.session.description,
        "description": f"{run.session.description}\n\n{labels.FILL(lang)}: {describe.fill_text(run)}".strip(),
        "persons": [_person(p) for p in run.hosts],
        "links": [{"title": run.room.name, "url": link, "type": "related"}] if link else [],
    }
    return entry


def _person(person: Person) -> dict[str, Any]:
    """As c3voc asks: guid = uuid5(NAMESPACE_URL, 'acct:' + e-mail), else derived from the person id."""
    seed = f"acct:{person.email.lower()}" if person.email else f"scheduler:person:{person.id}"
    return {"name": person.name, "public_name": person.name, "guid": str(uuid.uuid5(uuid.NAMESPACE_URL, seed))}


def _room(event: Event, name: str) -> dict[str, Any]:
    """A digital room; the plenary room (no room of the event) has the main room link."""
    room = next((r for r in event.rooms if r.name == name), None)
    entry: dict[str, Any] = {
        "name": name,
        "guid": _guid(event, f"room/{room.id if room else name}"),
        "type": "online",
        "capacity": room.capacity if room else None,
    }
    link = _web(room.link if room else event.main_link)
    return entry | {"url": link} if link else entry


def _guid(event: Event, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"scheduler/{event.name}/{event_date(event).isoformat()}/{key}"))


ACRONYM_LENGTH = 40


def _acronym(event: Event) -> str:
    """A clean slug of the event's name as the c3voc schema wants it (lower-case letters, digits and `_`): whole
    words only, as many as fit, then the year once (the name's own year or the event date's)."""
    year = str(event_date(event).year)
    words = [w for w in describe.safe_slug(event.name, "", limit=200).split("-") if w and w != year]
    room = ACRONYM_LENGTH - len(year) - 1
    kept: list[str] = []
    for word in words:
        if len("_".join([*kept, word])) > room:
            break
        kept.append(word)
    if not kept and words:
        kept = [words[0][:room]]
    return "_".join([*kept, year])


def _version(view: PlanView) -> str:
    """Changes whenever a run moves, so apps see a new schedule version; stable otherwise."""
    placed = ";".join(f"{r.session.id}/{r.run}@{','.join(s.id for s in r.slots)}:{r.room.id}" for r in view.runs)
    return hashlib.sha256(placed.encode()).hexdigest()[:12]
