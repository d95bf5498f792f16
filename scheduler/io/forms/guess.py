"""Guess which export column holds which field, from the tool's layout, the header's words and the values.

The organiser's overrides are applied first; guesses only use the columns left. Every choice carries its
reason, and every column that is not used is listed with the reason why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scheduler.io.cells import cell_text
from scheduler.io.forms.header import Export
from scheduler.io.forms.layouts import Layout
from scheduler.io.forms.mapping import FIELDS, Choice, ColumnMapping, Overrides, WishSource
from scheduler.io.forms.words import mentions, rank_in, rank_value
from scheduler.io.schema import normalise_name
from scheduler.problems import Problems
from scheduler.text import Text

_BRACKET = re.compile(r"^(.*?)\s*\[(.+)\]$")
_EMAIL_WORDS = ("e-mail", "email", "mail")
_FIRST_WORDS = ("vorname", "first name", "firstname", "given name", "rufname")
_FULL_WORDS = ("vor- und nachname", "vor- und zuname", "vorname und nachname", "vollständiger name", "full name")
_LAST_WORDS = ("nachname", "familienname", "last name", "lastname", "surname", "family name")
_ORG_WORDS = (
    "organisation", "organization", "institution", "einrichtung", "träger", "unternehmen", "firma", "arbeitgeber",
    "dienststelle", "behörde", "company", "employer", "affiliation", "zukunftszentrum", "verein", "hochschule", "org",
)  # fmt: skip
_UNAVAILABLE_WORDS = (
    "nicht verfügbar", "nicht verfuegbar", "unavailable", "not available", "zeitfenster", "verhindert", "abwesend",
    "nicht teilnehmen", "nicht dabei", "keine zeit", "time slot", "timeslot", "slots", "verfügbarkeit",
    "availability",
)  # fmt: skip
_SUBMITTED_WORDS = ("zeitstempel", "timestamp", "abgeschickt", "abgesendet", "eingereicht", "eingang", "submitted")
_CHOICE_WORDS = (
    "session", "workshop", "thema", "themen", "wunsch", "wünsche", "interesse", "auswahl", "teilnehmen", "besuchen",
    "choose", "select", "interest", "wish", "attend", "topic",
)  # fmt: skip
_RANK_IN_HEADER = Text("Überschrift nennt den Rang", "header names the rank")
_GRID = Text("Raster: Zeile = Session, Zelle = Rang", "grid: row = session, cell = rank")
_ANONYMOUS = {"", "anonymous", "anonym", "anonyme", "anonymer benutzer"}


def split_header(header: str) -> tuple[str, str]:
    """`Frage [Zeile]` -> ("Frage", "Zeile"); any other header -> (header, "")."""
    match = _BRACKET.match(header)
    return (match.group(1), match.group(2)) if match else (header, "")


class Guesser:
    def __init__(self, export: Export, layout: Layout, problems: Problems) -> None:
        self.export = export
        self.layout = layout
        self.problems = problems
        self.headers = export.headers
        self.taken: set[int] = set()
        meta = {normalise_name(m) for m in layout.meta}
        self.meta = {i for i, h in enumerate(self.headers) if normalise_name(h) in meta}
        self.mapping = ColumnMapping(export.file, export.sheet, export.header_row, layout.name, list(self.headers))

    # -- helpers ------------------------------------------------------------------------------------------------

    def values(self, column: int) -> list[str]:
        return [cell_text(row.get(column)) for row in self.export.rows]

    def free(self, *, meta: bool = False) -> list[int]:
        return [i for i, h in enumerate(self.headers) if h and i not in self.taken and (meta or i not in self.meta)]

    def take(self, key: str, columns: tuple[int, ...], reason: Text) -> None:
        self.taken.update(columns)
        self.mapping.fields[key] = Choice(columns, reason)

    def first(self, test: Callable[[str], bool]) -> int | None:
        """The first free column whose header (without a grid's `[…]` part) passes the test."""
        return next((i for i in self.free() if not split_header(self.headers[i])[1] and test(self.headers[i])), None)

    def anonymous(self, column: int) -> bool:
        return all(v.casefold() in _ANONYMOUS for v in self.values(column))

    def by_layout(self, names: tuple[str, ...]) -> int | None:
        column = self.layout.find(self.headers, names) if names else None
        return column if column is not None and column not in self.taken and not self.anonymous(column) else None

    # -- overrides ----------------------------------------------------------------------------------------------

    def apply(self, overrides: Overrides) -> None:
        """The organiser's mapping, each named column checked against the export's headers."""
        by_name = {normalise_name(h): i for i, h in reversed(list(enumerate(self.headers))) if h}
        reason = Text("so festgelegt in der Zuordnung", "set in the mapping")
        for key, names in overrides.items():
            if key == "sheet":
                continue
            columns = []
            for name in names:
                index = by_name.get(normalise_name(name))
                if index is None:
                    self.missing_column(key, name)
                else:
                    columns.append(index)
            if len(columns) != len(names):
                continue
            self.taken.update(columns)
            if key == "wishes":
                self.mapping.wishes = WishSource("ranked", ranked=dict(enumerate(columns, start=1)), reason=reason)
            elif key == "wish_grid":
                self.mapping.wishes = self.grid_source(columns[0], reason, by_stem=True)
            elif key == "wish_choices":
                self.mapping.wishes = WishSource("choices", choices=columns[0], reason=reason)
            else:
                self.mapping.fields[key] = Choice(tuple(columns), reason)

    def missing_column(self, key: str, name: str) -> None:
        present = ", ".join(f'"{h}"' for h in self.headers if h)
        self.problems.error(
            Text(
                f'Die Zuordnung nennt für "{FIELDS[key].de}" die Spalte "{name}", die es im Export nicht gibt.',
                f'The mapping names the column "{name}" for "{FIELDS[key].en}", which the export does not have.',
            ),
            hint=Text(f"Vorhandene Spalten: {present}.", f"Columns present: {present}."),
            sheet=self.export.sheet,
            row=self.export.header_row,
            column=name,
        )

    # -- guesses ------------------------------------------------------------------------------------------------

    def guess(self) -> ColumnMapping:
        fields = self.mapping.fields
        if self.mapping.wishes is None:
            self.mapping.wishes = self.guess_ranked_wishes()
        if "email" not in fields:
            self.guess_email()
        if not {"name", "first_name", "last_name"} & fields.keys():
            self.guess_name()
        if "organisation" not in fields:
            column = self.first(lambda h: mentions(h, _ORG_WORDS))
            if column is not None:
                self.take(
                    "organisation",
                    (column,),
                    self.words_reason(column, Text("Organisation / Einrichtung", "an organisation")),
                )
        if "submitted" not in fields:
            self.guess_submitted()
        if "unavailable" not in fields:
            column = self.first(lambda h: mentions(h, _UNAVAILABLE_WORDS))
            if column is not None:
                self.take(
                    "unavailable",
                    (column,),
                    self.words_reason(column, Text("Nichtverfügbarkeit / Zeitfenster", "unavailability / time slots")),
                )
        if self.mapping.wishes is None:
            self.mapping.wishes = self.guess_choices()
        self.list_unused()
        return self.mapping

    def words_reason(self, column: int, words: Text) -> Text:
        header = self.headers[column]
        return Text(f'Überschrift "{header}" nennt {words.de}', f'header "{header}" mentions {words.en}')

    def layout_reason(self, column: int) -> Text:
        header = self.headers[column]
        name = self.layout.name
        return Text(f'Spalte "{header}" aus {name.de}', f'column "{header}" of {name.en}')

    def guess_email(self) -> None:
        column = self.first(lambda h: mentions(h, _EMAIL_WORDS) and self.looks_like_emails(h))
        if column is not None:
            self.take("email", (column,), self.words_reason(column, Text("E-Mail", "e-mail")))
            return
        column = self.by_layout(self.layout.email)
        if column is not None:
            self.take("email", (column,), self.layout_reason(column))
            return
        column = next((i for i in self.free() if self.looks_like_emails(self.headers[i], i)), None)
        if column is not None:
            header = self.headers[column]
            self.take(
                "email",
                (column,),
                Text(f'Spalte "{header}" enthält E-Mail-Adressen', f'column "{header}" holds e-mail addresses'),
            )

    def looks_like_emails(self, header: str, column: int | None = None) -> bool:
        index = self.headers.index(header) if column is None else column
        values = [v for v in self.values(index) if v]
        return bool(values) and sum("@" in v for v in values) * 2 >= len(values)

    def guess_name(self) -> None:
        def full(h: str) -> bool:
            if mentions(h, _FULL_WORDS):
                return True
            return mentions(h, ("name",)) and not mentions(h, _FIRST_WORDS + _LAST_WORDS + _ORG_WORDS)

        column = self.first(lambda h: full(h) and normalise_name(h) not in {normalise_name(n) for n in
                                                                              self.layout.name_column})  # fmt: skip
        if column is not None:
            self.take("name", (column,), self.words_reason(column, Text("den Namen", "the name")))
            return
        first = self.first(lambda h: mentions(h, _FIRST_WORDS))
        last = self.first(lambda h: mentions(h, _LAST_WORDS))
        if first is not None and last is not None:
            self.take("first_name", (first,), self.words_reason(first, Text("den Vornamen", "the first name")))
            self.take("last_name", (last,), self.words_reason(last, Text("den Nachnamen", "the last name")))
            return
        column = self.by_layout(self.layout.name_column)
        if column is not None:
            self.take("name", (column,), self.layout_reason(column))

    def guess_submitted(self) -> None:
        column = self.layout.find(self.headers, self.layout.submitted) if self.layout.submitted else None
        if column is not None and column not in self.taken:
            self.take("submitted", (column,), self.layout_reason(column))
            return
        column = self.first(lambda h: mentions(h, _SUBMITTED_WORDS))
        if column is not None:
            self.take(
                "submitted", (column,), self.words_reason(column, Text("den Zeitpunkt des Absendens", "the time sent"))
            )

    def guess_ranked_wishes(self) -> WishSource | None:
        ranked = self.ranked_columns()
        if ranked:
            self.taken.update(ranked.values())
            return WishSource("ranked", ranked=ranked, reason=_RANK_IN_HEADER)
        grid = self.grid_column()
        return None if grid is None else self.grid_source(grid, _GRID, by_stem=True)

    def guess_choices(self) -> WishSource | None:
        column = self.first(lambda h: mentions(h, _CHOICE_WORDS) and not mentions(h, _UNAVAILABLE_WORDS))
        if column is None:
            return None
        self.taken.add(column)
        return WishSource(
            "choices",
            choices=column,
            reason=Text(
                "Mehrfachauswahl: die gewählten Sessions gelten als Wünsche in der aufgeführten Reihenfolge",
                "multiple choice: the chosen sessions are wishes in the listed order",
            ),
        )

    def ranked_columns(self) -> dict[int, int]:
        """Rank -> column: headers such as `1. Wahl`, `Erstwunsch`, `Wunsch 2`, or `Frage [Rang 1]`, `Q1[1]`."""
        ranked: dict[int, int] = {}
        for column in self.free():
            stem, label = split_header(self.headers[column])
            rank = rank_value(label) if label else rank_in(stem)
            if rank is None or rank in ranked:
                continue
            if label and not self.all_text(column):
                continue  # a grid whose cells are ranks, not sessions
            ranked[rank] = column
        return ranked if 1 in ranked else {}

    def all_text(self, column: int) -> bool:
        """Cells that name sessions rather than ranks."""
        values = [v for v in self.values(column) if v]
        return not values or sum(rank_value(v) is None for v in values) * 2 >= len(values)

    def grid_column(self) -> int | None:
        """The first column of a `Frage [Session]` group whose cells are ranks; a question about sessions first."""
        found = [c for c in self.free() if split_header(self.headers[c])[1] and not self.all_text(c)]
        about = [c for c in found if mentions(split_header(self.headers[c])[0], _CHOICE_WORDS)]
        return next(iter(about or found), None)

    def grid_source(self, column: int, reason: Text, *, by_stem: bool) -> WishSource:
        stem = split_header(self.headers[column])[0]
        columns = [column]
        if by_stem:
            columns = [i for i in range(len(self.headers)) if split_header(self.headers[i])[0] == stem
                       and split_header(self.headers[i])[1] and (i == column or i not in self.taken)]  # fmt: skip
        self.taken.update(columns)
        return WishSource("grid", grid={i: split_header(self.headers[i])[1] for i in columns}, reason=reason)

    def list_unused(self) -> None:
        name = self.layout.name
        for column, header in enumerate(self.headers):
            if column in self.taken or not header:
                continue
            if column in self.meta:
                reason = Text(f"Verwaltungsspalte von {name.de}", f"bookkeeping column of {name.en}")
            elif self.anonymous(column):
                reason = Text(
                    "leer oder nur „anonymous“ (anonymes Formular)", "empty or only “anonymous” (anonymous form)"
                )
            else:
                reason = Text("keinem Feld zugeordnet", "not mapped to any field")
            self.mapping.unused.append((column, reason))


def guess_mapping(export: Export, layout: Layout, overrides: Overrides, problems: Problems) -> ColumnMapping:
    guesser = Guesser(export, layout, problems)
    guesser.apply(overrides)
    mapping = guesser.guess()
    _require(mapping, export, problems)
    return mapping


def _require(mapping: ColumnMapping, export: Export, problems: Problems) -> None:
    """Without a name and wishes there is nothing to plan; say which columns there are and how to map them."""
    present = ", ".join(f'"{h}"' for h in export.headers if h)
    hint = Text(
        f'Legen Sie die Spalte mit --mapping fest (z. B. name = "Ihr Name"). Vorhandene Spalten: {present}.',
        f'Set the column with --mapping (e.g. name = "Your name"). Columns present: {present}.',
    )
    if not {"name", "email"} & mapping.fields.keys() and "first_name" not in mapping.fields:
        problems.error(
            Text("Keine Spalte für den Namen erkannt.", "No column for the name found."),
            hint=hint,
            sheet=export.sheet,
            row=export.header_row,
        )
    if mapping.wishes is None:
        problems.error(
            Text("Keine Spalte mit Session-Wünschen erkannt.", "No column with session wishes found."),
            hint=Text(
                f'Legen Sie sie mit --mapping fest (z. B. wishes = ["Erstwunsch", "Zweitwunsch"]). '
                f"Vorhandene Spalten: {present}.",
                f'Set them with --mapping (e.g. wishes = ["1st choice", "2nd choice"]). Columns present: {present}.',
            ),
            sheet=export.sheet,
            row=export.header_row,
        )
