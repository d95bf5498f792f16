"""Export rows to `RawRegistration`s: skip what is not a registration, read each wish source, note the mess.

What is skipped or changed is never silent: totals rows, incomplete LimeSurvey responses, "keine Präferenz"
answers and a session wished twice each leave a warning with row and column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scheduler.io.cells import cell_text
from scheduler.io.forms.header import Export
from scheduler.io.forms.layouts import Layout
from scheduler.io.forms.mapping import ColumnMapping, WishSource
from scheduler.io.forms.source import cell_is_empty
from scheduler.io.forms.times import parse_submitted
from scheduler.io.forms.words import as_number, is_total_label, no_preference, rank_value
from scheduler.io.matching import loose, strict
from scheduler.io.records import Answer, RawRegistration
from scheduler.io.sheets import Row
from scheduler.problems import Problems
from scheduler.text import Text


@dataclass(frozen=True)
class Known:
    """The event's sessions as (id, title), when known: multi-select answers are split on their titles, and a
    session named once by id and once by title counts as one."""

    sessions: tuple[tuple[str, str], ...] = ()

    def key(self, text: str) -> str:
        wanted = loose(text)
        for ident, title in self.sessions:
            if wanted in (loose(ident), loose(title)):
                return loose(title)
        return wanted

    def is_title(self, text: str) -> bool:
        return any(strict(text).casefold() == strict(title).casefold() for _, title in self.sessions)


class RowReader:
    def __init__(self, export: Export, mapping: ColumnMapping, layout: Layout, known: Known, problems: Problems):
        self.export = export
        self.mapping = mapping
        self.layout = layout
        self.known = known
        self.problems = problems
        self.headers = export.headers
        complete = layout.find(export.headers, layout.complete_when) if layout.complete_when else None
        self.complete_column = complete
        self.wish_count = 0

    def warn(
        self, row: Row, column: int | str | None, message: Text, hint: Text | None = None, *, code: str = ""
    ) -> None:
        header = self.headers[column] if isinstance(column, int) else (column or "")  # str: an answer's own column
        self.problems.warn(message, hint=hint, sheet=self.export.sheet, row=row.number, column=header, code=code)

    def error(self, row: Row, column: int, message: Text, hint: Text | None = None) -> None:
        self.problems.error(message, hint=hint, sheet=self.export.sheet, row=row.number, column=self.headers[column])

    def text(self, row: Row, key: str) -> Answer:
        choice = self.mapping.fields.get(key)
        if choice is None:
            return Answer("", "")
        texts = [cell_text(row.get(c)) for c in choice.columns]
        return Answer(self.headers[choice.columns[0]], " ".join(t for t in texts if t))

    def read(self) -> list[RawRegistration]:
        if self.export.empty_rows:
            rows = ", ".join(str(n) for n in self.export.empty_rows)
            self.problems.warn(
                Text(f"Leere Zeilen werden übersprungen: {rows}.", f"Empty rows are skipped: {rows}."),
                sheet=self.export.sheet,
                code="empty_rows",
            )
        raws = []
        for row in self.export.rows:
            if self.skipped(row):
                continue
            raws.append(self.registration(row))
        return raws

    def skipped(self, row: Row) -> bool:
        if self.complete_column is not None and cell_is_empty(row.get(self.complete_column)):
            self.warn(
                row,
                self.complete_column,
                Text(
                    "Diese Antwort wurde nicht abgeschickt (unvollständig) und wird übersprungen.",
                    "This response was never submitted (incomplete) and is skipped.",
                ),
                code="incomplete_response",
            )
            return True
        filled = [cell_text(v) for v in row.values if not cell_is_empty(v)]
        totals = is_total_label(filled[0]) and not any("@" in v for v in filled)  # a person has an e-mail
        if totals or all(as_number(v) is not None for v in filled):
            self.warn(
                row,
                None,
                Text(
                    f'Zeile {row.number} sieht wie eine Summenzeile aus ("{filled[0]}") und wird übersprungen.',
                    f'Row {row.number} looks like a totals row ("{filled[0]}") and is skipped.',
                ),
                code="totals_row",
            )
            return True
        return False

    def registration(self, row: Row) -> RawRegistration:
        name = self.text(row, "name")
        if "name" not in self.mapping.fields:
            first, last = self.text(row, "first_name"), self.text(row, "last_name")
            columns = " + ".join(a.column for a in (first, last) if a.column)
            name = Answer(columns, " ".join(t for t in (first.text, last.text) if t))
        unavailable = []
        choice = self.mapping.fields.get("unavailable")
        for index in choice.columns if choice else ():
            text = cell_text(row.get(index))
            if text and not no_preference(text):
                unavailable.append(Answer(self.headers[index], text))
        return RawRegistration(
            self.export.file, self.export.sheet, row.number, name, self.text(row, "email"),
            self.text(row, "organisation"), self.wishes(row), unavailable, self.submitted(row),
        )  # fmt: skip

    def submitted(self, row: Row) -> datetime | None:
        choice = self.mapping.fields.get("submitted")
        if choice is None:
            return None
        value = row.get(choice.columns[0])
        if cell_is_empty(value):
            return None
        when = parse_submitted(value)
        if when is None:
            self.warn(
                row,
                choice.columns[0],
                Text(
                    f'"{cell_text(value)}" ist kein lesbarer Zeitpunkt.', f'"{cell_text(value)}" is no readable time.'
                ),
                Text("Bei doppelten Anmeldungen zählt dann die spätere Zeile.", "For duplicates the later row counts."),
                code="unreadable_time",
            )
        return when

    # -- wishes -------------------------------------------------------------------------------------------------

    def wishes(self, row: Row) -> dict[int, Answer]:
        source = self.mapping.wishes
        if source is None:
            return {}
        if source.kind == "ranked":
            found = self.ranked(row, source)
        elif source.kind == "grid":
            found = self.grid(row, source)
        else:
            found = self.choices(row, source)
        wishes = self.without_repeats(row, found)
        self.wish_count = max([self.wish_count, *wishes])
        return wishes

    def ranked(self, row: Row, source: WishSource) -> dict[int, Answer]:
        found = {}
        for rank, column in sorted(source.ranked.items()):
            self.wish_count = max(self.wish_count, rank)
            text = cell_text(row.get(column))
            if text and not self.no_wish(row, column, text):
                found[rank] = Answer(self.headers[column], text)
        return found

    def grid(self, row: Row, source: WishSource) -> dict[int, Answer]:
        found: dict[int, Answer] = {}
        for column, label in source.grid.items():
            text = cell_text(row.get(column))
            if not text or self.no_wish(row, column, text):
                continue
            rank = rank_value(text)
            if rank is None:
                self.error(
                    row,
                    column,
                    Text(f'"{text}" ist kein Rang.', f'"{text}" is not a rank.'),
                    Text("Erwartet wird z. B. 1, 1. Wahl oder Erstwunsch.", "Expected e.g. 1, 1st choice or first."),
                )
                continue
            self.wish_count = max(self.wish_count, rank)
            if rank in found:
                self.warn(
                    row,
                    column,
                    Text(
                        f'Rang {rank} ist schon an "{found[rank].text}" vergeben; "{label}" wird nicht gewertet.',
                        f'Rank {rank} is already given to "{found[rank].text}"; "{label}" is not counted.',
                    ),
                    code="rank_taken",
                )
                continue
            found[rank] = Answer(self.headers[column], label)
        return dict(sorted(found.items()))

    def choices(self, row: Row, source: WishSource) -> dict[int, Answer]:
        assert source.choices is not None
        column = source.choices
        text = cell_text(row.get(column))
        if not text or self.no_wish(row, column, text):
            return {}
        items = [i for i in self.split(text) if not no_preference(i)]
        return {rank: Answer(self.headers[column], item) for rank, item in enumerate(items, start=1)}

    def split(self, text: str) -> list[str]:
        """`A;B;C;` (Microsoft Forms) or `A, B, C` (Google Forms); a known title with a separator in it stays whole."""
        separator = ";" if ";" in text else ","
        parts = [p.strip() for p in text.split(separator) if p.strip()]
        items, i = [], 0
        while i < len(parts):
            glue = ", " if separator == "," else separator
            j = next((j for j in range(len(parts), i + 1, -1) if self.known.is_title(glue.join(parts[i:j]))), i + 1)
            items.append(glue.join(parts[i:j]))
            i = j
        return [re.sub(r"\s+", " ", item).strip() for item in items if item.strip()]

    def no_wish(self, row: Row, column: int, text: str) -> bool:
        if not no_preference(text):
            return False
        self.warn(
            row, column, Text(f'"{text}" gilt als kein Wunsch.', f'"{text}" is taken as no wish.'), code="no_preference"
        )
        return True

    def without_repeats(self, row: Row, wishes: dict[int, Answer]) -> dict[int, Answer]:
        """A session wished twice counts once, at its first (strongest) rank."""
        kept: dict[int, Answer] = {}
        seen: dict[str, Answer] = {}
        for rank, answer in sorted(wishes.items()):
            key = self.known.key(answer.text)
            if key in seen:
                self.warn(
                    row,
                    answer.column,
                    Text(
                        f'"{answer.text}" ist schon in Spalte "{seen[key].column}" gewünscht; der erste Wunsch zählt.',
                        f'"{answer.text}" is already wished in column "{seen[key].column}"; the first wish counts.',
                    ),
                    code="wish_repeated",
                )
                continue
            seen[key] = answer
            kept[rank] = answer
        return kept


def read_rows(
    export: Export, mapping: ColumnMapping, layout: Layout, problems: Problems, sessions: Sequence[tuple[str, str]]
) -> tuple[list[RawRegistration], int]:
    """The registrations and K, the number of wish ranks the export offers."""
    reader = RowReader(export, mapping, layout, Known(tuple(sessions)), problems)
    raws = reader.read()
    return raws, reader.wish_count
