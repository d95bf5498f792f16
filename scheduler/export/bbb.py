"""BigBlueButton (2.5 and later) breakout groups: per session slot the `groups` parameter of the `create` call.

BBB's API reference (docs.bigbluebutton.org, "API Reference", `create`): `groups` (added 2.5) holds pre-defined
groups that put users into breakout rooms: a JSON array of `{"id", "name", "roster"}`, where `roster` lists the
user ids that the `join` calls pass as `userID`. One file per slot, because a meeting has one set of groups:
the organiser creates one meeting per slot (or re-creates it) with that slot's file. The roster uses the
person's id here, which is the lower-case e-mail address wherever there is one.

The HTML5 client offers at most `breakoutRoomLimit` rooms (16 unless the server's settings.yml raises it),
so a slot with more runs gets a warning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scheduler.export import describe
from scheduler.export.zoom import room_name
from scheduler.io.atomic import write_text_atomic
from scheduler.problems import Problem
from scheduler.text import Text
from scheduler.views import PlanView

ROOM_LIMIT = 16  # bbb-html5 settings.yml, public.app.breakoutRoomLimit, as shipped


@dataclass(frozen=True)
class BbbFiles:
    files: list[Path]
    warnings: list[Problem]


def write_bbb(view: PlanView, directory: Path, *, inputs: Iterable[Path] = ()) -> BbbFiles:
    files = []
    for slot in view.event.session_slots:
        path = directory / f"bbb-{describe.safe_slug(slot.id, 'slot')}.json"
        write_text_atomic(path, json.dumps(groups(view, slot.id), ensure_ascii=False, indent=2) + "\n", inputs=inputs)
        files.append(path)
    return BbbFiles(files, bbb_warnings(view))


def groups(view: PlanView, slot_id: str) -> list[dict[str, object]]:
    """The `groups` value for one slot: a group per run, numbered in room order, hosts first."""
    return [
        {"id": str(number), "name": room_name(run), "roster": [p.id for p in (*run.hosts, *run.attendees)]}
        for number, run in enumerate(view.runs_in(slot_id), start=1)
    ]


def bbb_warnings(view: PlanView) -> list[Problem]:
    warnings = []
    for slot in view.event.session_slots:
        count = len(view.runs_in(slot.id))
        if count > ROOM_LIMIT:
            warnings.append(
                Problem(
                    Text(
                        f"Zeitfenster {slot.id}: {count} Breakout-Räume; BigBlueButton bietet ohne Anpassung "
                        f"höchstens {ROOM_LIMIT} an.",
                        f"Slot {slot.id}: {count} breakout rooms; BigBlueButton offers at most {ROOM_LIMIT} "
                        "unless configured otherwise.",
                    ),
                    Text(
                        "Die Serververwaltung kann breakoutRoomLimit in settings.yml erhöhen.",
                        "The server's administrator can raise breakoutRoomLimit in settings.yml.",
                    ),
                    severity="warning",
                )
            )
    return warnings
