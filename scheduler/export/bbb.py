"""BigBlueButton (2.5 and later) breakout groups: per session slot and per networking round the `groups`
parameter of the `create` call, written as one folder, whole or not at all (`write_folder`).

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

from scheduler.export import describe, labels
from scheduler.export.zoom import room_name
from scheduler.io.folder import write_folder
from scheduler.problems import Problem
from scheduler.text import Text
from scheduler.views import PlanView

ROOM_LIMIT = 16  # bbb-html5 settings.yml, public.app.breakoutRoomLimit, as shipped


@dataclass(frozen=True)
class BbbFiles:
    files: list[Path]
    warnings: list[Problem]


def write_bbb(view: PlanView, directory: Path, *, inputs: Iterable[Path] = ()) -> BbbFiles:
    files: dict[str, bytes] = {}
    for slot in view.event.session_slots:
        files[describe.slot_file_name("bbb", slot.id, "json", files)] = _json(groups(view, slot.id))
    for rnd in view.networking:
        rooms = [
            {"id": str(g.number), "name": labels.group_room(g.number)("de"), "roster": [p.id for p in g.members]}
            for g in rnd.groups
        ]
        files[describe.slot_file_name("bbb", rnd.slot.id, "json", files)] = _json(rooms)
    written = write_folder(directory, files, inputs=inputs)
    return BbbFiles(written.files, bbb_warnings(view))


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
