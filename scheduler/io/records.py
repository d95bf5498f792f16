"""Registrations as read from any source (our workbook sheet or a form tool's export), before matching.

Readers of each layout produce `RawRegistration`s; `scheduler.io.registrations` matches their answers to
sessions and slots and turns them into `Person`s, with the same hints whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Answer:
    """One cell's text and the column it came from (its header as written in the file)."""

    column: str
    text: str


@dataclass
class RawRegistration:
    file: str
    sheet: str  # sheet name, or "" for a CSV file
    row: int  # as Excel or a text editor shows it (1-based, header rows counted)
    name: Answer
    email: Answer
    organisation: Answer
    wishes: dict[int, Answer] = field(default_factory=dict)  # rank (1 = strongest) -> answer; empty cells left out
    unavailable: list[Answer] = field(default_factory=list)  # slot ids or names, one or several per cell
    submitted: datetime | None = None  # when the form was sent, if the source says
    moderator: Answer | None = None  # `Moderation`: ja/yes/x/1 or nein/no/empty
