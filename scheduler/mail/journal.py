"""The sending journal beside the plan: one JSON line per message the mail server accepted, forced to disk.

This is what makes "never twice" hold across a crash, Ctrl-C or a dropped connection: a line is written and
fsynced right after the server's final OK for a message, and a rerun skips every (person, address) found
here. The one window left is a crash between the server's OK and the fsync (milliseconds): that message
would go out again. A failed message is journaled too, with the server's reason, but does not count as sent.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from scheduler.problems import InputError, Problem, unreadable
from scheduler.text import Text

SUFFIX = ".versand.jsonl"
Status = Literal["sent", "failed"]


def journal_path(plan: Path) -> Path:
    """`plan.json` -> `plan.json.versand.jsonl` in the same folder."""
    return plan.with_name(plan.name + SUFFIX)


@dataclass(frozen=True)
class Entry:
    person: str
    to: str
    status: Status
    at: str
    message_id: str = ""
    reason: str = ""
    revision: int = 0  # the plan's revision (`changes.revision`): an update of a re-planned plan is a new e-mail

    @property
    def key(self) -> tuple[str, str]:
        return key(self.person, self.to)


def key(person: str, address: str) -> tuple[str, str]:
    return person, address.strip().lower()


def read_journal(path: Path) -> list[Entry]:
    """Every entry; a last line cut short by a crash is ignored, any other damage is an input error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as e:
        raise InputError([Problem(unreadable(e), file=str(path))]) from e
    entries = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            if number == len(lines):  # no newline after it: the write was cut off
                continue
            raise InputError(
                [
                    Problem(
                        Text("Diese Zeile des Versandprotokolls ist beschädigt.", "This journal line is damaged."),
                        Text(
                            "Das Protokoll zeigt, wer die E-Mail schon bekommen hat; bitte die Zeile prüfen, "
                            "nicht die Datei löschen.",
                            "The journal says who already has the e-mail; please check the line rather than "
                            "deleting the file.",
                        ),
                        file=str(path),
                        row=number,
                    )
                ]
            ) from None
    return entries


def _entry(data: dict[str, Any]) -> Entry:
    status = data["status"]
    if status not in ("sent", "failed"):
        raise ValueError(status)
    return Entry(
        str(data["person"]),
        str(data["to"]),
        status,
        str(data["at"]),
        str(data.get("message_id", "")),
        str(data.get("reason", "")),
        int(data.get("revision", 0)),
    )


def already_sent(entries: list[Entry], revision: int = 0) -> set[tuple[str, str]]:
    """Who has the e-mail of this revision of the plan already (an earlier revision's e-mail does not count)."""
    return {e.key for e in entries if e.status == "sent" and e.revision == revision}


class Journal:
    """Appends entries, each flushed and fsynced before `record` returns."""

    def __init__(self, path: Path, revision: int = 0) -> None:
        self.path = path
        self.revision = revision
        self._file = path.open("a", encoding="utf-8")

    def record(
        self, person: str, to: str, status: Status, at: datetime, message_id: str = "", reason: str = ""
    ) -> None:
        line: dict[str, str | int] = {
            "person": person,
            "to": to,
            "status": status,
            "at": at.isoformat(timespec="seconds"),
        }
        if message_id:
            line["message_id"] = message_id
        if reason:
            line["reason"] = reason
        if self.revision:
            line["revision"] = self.revision
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
