"""The letter the organiser can edit: plain text with placeholders such as `{name}`, checked before sending.

Like pretalx's mail templates, the text is the organiser's and the placeholders are ours: an unknown or broken
placeholder is reported with its line and column before anything is written or sent. `{agenda}` stands on a
line of its own, because the HTML part puts a table there.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from scheduler.problems import InputError, Problem
from scheduler.text import Text

AGENDA = "agenda"

# Each placeholder under its German and its English name, so either template language works.
PLACEHOLDERS: dict[str, str] = {
    "name": "name",
    "organisation": "organisation",
    "veranstaltung": "event",
    "event": "event",
    "datum": "date",
    "date": "date",
    "absender": "sender",
    "sender": "sender",
    "kontakt": "contact",
    "contact": "contact",
    "hauptraum": "main_link",
    "main_room": "main_link",
    "agenda": AGENDA,
}

DEFAULT_BODY = Text(
    "Guten Tag {name},\n\n"
    "hier ist Ihre persönliche Agenda für {veranstaltung} am {datum}:\n\n"
    "{agenda}\n\n"
    "Die Termine hängen als Kalenderdatei (.ics) an: Outlook, Thunderbird und die meisten Kalender "
    "übernehmen sie mit einem Doppelklick.\n\n"
    "Viele Grüße\n"
    "{absender}\n",
    "Hello {name},\n\n"
    "here is your personal agenda for {event} on {date}:\n\n"
    "{agenda}\n\n"
    "The sessions are attached as a calendar file (.ics): Outlook, Thunderbird and most calendars "
    "take them over with a double click.\n\n"
    "Best regards\n"
    "{sender}\n",
)

DEFAULT_SUBJECT = Text("Ihre Agenda: {veranstaltung} am {datum}", "Your agenda: {event} on {date}")


@dataclass(frozen=True)
class Template:
    """A checked template: `format` fills it, `paragraphs` gives its blocks for the HTML part."""

    text: str

    def format(self, values: dict[str, str]) -> str:
        return self.text.format_map(_Values(values))

    def blocks(self) -> list[str]:
        """Paragraphs (blank-line separated) with `{agenda}` as a block of its own."""
        blocks: list[str] = []
        current: list[str] = []
        for line in self.text.splitlines():
            if not line.strip() or line.strip() == "{agenda}":
                if current:
                    blocks.append("\n".join(current))
                    current = []
                if line.strip():
                    blocks.append("{agenda}")
            else:
                current.append(line)
        if current:
            blocks.append("\n".join(current))
        return blocks


class _Values(dict[str, str]):
    """Looks each placeholder up under its canonical name."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__({alias: values[canonical] for alias, canonical in PLACEHOLDERS.items()})


def check_template(text: str, where: str, *, single_line: bool = False) -> Template:
    """The template, or `InputError` listing every unknown placeholder and every stray brace with its place."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        problems += _line_problems(line, number, where, single_line)
    if problems:
        raise InputError(problems)
    return Template(text)


def _line_problems(line: str, number: int, where: str, single_line: bool) -> list[Problem]:
    problems: list[Problem] = []
    row = None if single_line else number
    try:
        fields = [(literal, name, spec, conv) for literal, name, spec, conv in string.Formatter().parse(line)]
    except ValueError:
        return [
            Problem(
                Text(
                    f"Eine geschweifte Klammer ist nicht geschlossen oder steht allein: {line.strip()!r}.",
                    f"A curly brace is not closed or stands alone: {line.strip()!r}.",
                ),
                Text(
                    "Platzhalter schreiben Sie so: {name}; eine Klammer als Text so: {{ oder }}.",
                    "Write placeholders like {name}; a brace as text like {{ or }}.",
                ),
                file=where,
                row=row,
            )
        ]
    column = 0
    for literal, name, spec, conversion in fields:
        column += len(literal)
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            problems.append(_unknown(name, spec, conversion, where, row, column + 1))
        elif name == AGENDA and (single_line or line.strip() != "{agenda}"):
            problems.append(
                Problem(
                    Text(
                        "{agenda} muss allein in einer Zeile stehen"
                        + (" und gehört nicht in den Betreff." if single_line else "."),
                        "{agenda} must stand on a line of its own" + (", not in the subject." if single_line else "."),
                    ),
                    file=where,
                    row=row,
                    column=f"{column + 1}",
                )
            )
        column += len(name) + 2 + (len(spec) + 1 if spec else 0) + (2 if conversion else 0)
    return problems


def _unknown(name: str, spec: str | None, conversion: str | None, where: str, row: int | None, col: int) -> Problem:
    shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    return Problem(
        Text(f"Unbekannter Platzhalter {shown}.", f"Unknown placeholder {shown}."),
        Text(f"Möglich sind: {known}.", f"Known placeholders: {known}."),
        file=where,
        row=row,
        column=f"{col}",
    )
