"""Which export column became which field, and why; and the organiser's own mapping that overrides any guess.

The mapping is shown by `scheduler check --anmeldungen`, so a wrong guess is seen before planning, and it can
be fixed with a small TOML file (`--mapping`) or a `Zuordnung` sheet in the event workbook.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scheduler.io.cells import cell_text
from scheduler.io.schema import normalise_name
from scheduler.io.sheets import Book, report_odd_cells
from scheduler.problems import Problem, Problems, unreadable
from scheduler.text import Text

FIELDS: dict[str, Text] = {
    "name": Text("Name", "Name"),
    "first_name": Text("Vorname", "First name"),
    "last_name": Text("Nachname", "Last name"),
    "email": Text("E-Mail", "E-mail"),
    "organisation": Text("Organisation", "Organisation"),
    "wishes": Text("Wünsche", "Wishes"),
    "wish_grid": Text("Wunschraster", "Wish grid"),
    "wish_choices": Text("Mehrfachauswahl", "Multiple choice"),
    "unavailable": Text("Nicht verfügbar", "Unavailable"),
    "submitted": Text("Zeitstempel", "Submitted"),
    "sheet": Text("Blatt", "Sheet"),
}
LIST_FIELDS = ("wishes", "unavailable")  # may name several columns

# German and English words accepted in the `Feld` column of a `Zuordnung` sheet
_SHEET_FIELDS = {
    **{normalise_name(t.de): key for key, t in FIELDS.items()},
    **{normalise_name(t.en): key for key, t in FIELDS.items()},
    **{normalise_name(key): key for key in FIELDS},
    "email": "email", "e-mail-adresse": "email", "organization": "organisation", "wunsch": "wishes",
    "wish": "wishes", "zeitfenster nicht verfügbar": "unavailable", "abgeschickt": "submitted",
}  # fmt: skip

WishKind = Literal["ranked", "grid", "choices"]


@dataclass(frozen=True)
class Choice:
    """Columns (by index) chosen for one field and the reason, in the organiser's words."""

    columns: tuple[int, ...]
    reason: Text


@dataclass(frozen=True)
class WishSource:
    """Where the wishes are: `ranked` (rank -> column, the cell names a session), `grid` (column -> the session
    it stands for, the cell holds a rank) or `choices` (one multi-select column, listed order)."""

    kind: WishKind
    ranked: dict[int, int] = field(default_factory=dict)
    grid: dict[int, str] = field(default_factory=dict)
    choices: int | None = None
    reason: Text = field(default_factory=lambda: Text("", ""))


@dataclass
class ColumnMapping:
    """What became what: the fields, the wishes, and every column not used (never dropped silently)."""

    file: str
    sheet: str
    header_row: int
    layout: Text
    headers: list[str]
    fields: dict[str, Choice] = field(default_factory=dict)  # name (or first_name + last_name), email, …
    wishes: WishSource | None = None
    unused: list[tuple[int, Text]] = field(default_factory=list)  # column index and why it is not used

    def unused_warnings(self) -> list[Problem]:
        """Every column not used, as a warning to keep with the plan (`check` shows them as a table instead)."""
        return [
            Problem(
                Text(
                    f'Die Spalte "{self.headers[index]}" des Exports wird nicht verwendet ({reason.de}).',
                    f'The export\'s column "{self.headers[index]}" is not used ({reason.en}).',
                ),
                file=self.file,
                sheet=self.sheet,
                row=self.header_row,
                column=self.headers[index],
                severity="warning",
                code="unused_export_column",
            )
            for index, reason in self.unused
        ]

    def lines(self) -> list[tuple[Text, str, Text]]:
        """(field, column header, reason) for display, in a fixed order."""
        lines = []
        for key in ("name", "first_name", "last_name", "email", "organisation"):
            if key in self.fields:
                lines.append(self._line(FIELDS[key], self.fields[key]))
        lines.extend(self._wish_lines())
        for key in ("unavailable", "submitted"):
            if key in self.fields:
                lines.append(self._line(FIELDS[key], self.fields[key]))
        return lines

    def _line(self, label: Text, choice: Choice) -> tuple[Text, str, Text]:
        return label, " + ".join(self.headers[c] for c in choice.columns), choice.reason

    def _wish_lines(self) -> list[tuple[Text, str, Text]]:
        source = self.wishes
        if source is None:
            return []
        if source.kind == "ranked":
            return [
                (Text(f"Wunsch {rank}", f"Wish {rank}"), self.headers[column], source.reason)
                for rank, column in sorted(source.ranked.items())
            ]
        if source.kind == "grid":
            return [
                (Text(f"Wunschraster: {label}", f"Wish grid: {label}"), self.headers[column], source.reason)
                for column, label in source.grid.items()
            ]
        assert source.choices is not None
        return [(FIELDS["wish_choices"], self.headers[source.choices], source.reason)]


Overrides = dict[str, list[str]]  # field -> column headers as the organiser wrote them


def read_mapping_file(path: Path, problems: Problems) -> Overrides:
    """A TOML file such as `name = "Ihr Name"` / `wishes = ["Erstwunsch", "Zweitwunsch"]`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        problems.error(Text("Die Zuordnungsdatei gibt es nicht.", "The mapping file does not exist."))
        return {}
    except OSError as error:
        problems.error(unreadable(error))
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        problems.error(
            Text(f"Die Zuordnungsdatei ist kein gültiges TOML: {err}", f"The mapping file is not valid TOML: {err}"),
            hint=Text('Je Zeile ein Feld, z. B. name = "Ihr Name".', 'One field per line, e.g. name = "Your name".'),
        )
        return {}
    overrides: Overrides = {}
    for key, value in data.items():
        if key not in FIELDS:
            _unknown_field(problems, key)
            continue
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, str) for v in values) or (len(values) > 1 and key not in LIST_FIELDS):
            problems.error(
                Text(f'"{key}" braucht einen Spaltennamen in "…".', f'"{key}" needs a column name in "…".'),
                hint=Text(
                    'Z. B. name = "Ihr Name" oder wishes = ["Erstwunsch", "Zweitwunsch"].',
                    'E.g. name = "Your name" or wishes = ["1st choice", "2nd choice"].',
                ),
            )
            continue
        overrides[key] = [str(v) for v in values]
    return overrides


def _unknown_field(problems: Problems, key: str, *, sheet: str = "", row: int | None = None) -> None:
    known = ", ".join(FIELDS)
    problems.error(
        Text(f'Das Feld "{key}" ist unbekannt.', f'The field "{key}" is unknown.'),
        hint=Text(f"Bekannte Felder: {known}.", f"Known fields: {known}."),
        sheet=sheet,
        row=row,
        column="Feld" if sheet else "",
    )


MAPPING_SHEET = ("zuordnung", "mapping")


def read_mapping_sheet(book: Book, problems: Problems) -> tuple[Overrides, str]:
    """The event workbook's `Zuordnung` sheet (`Feld | Spalte`), if it has one; rows for `Wünsche` add up."""
    sheet = next((name for name in book.sheets if normalise_name(name) in MAPPING_SHEET), None)
    if sheet is None:
        return {}, ""
    overrides: Overrides = {}
    report_odd_cells(book.odd.get(sheet, {}), problems, sheet=sheet, columns={0: "Feld", 1: "Spalte"})
    for number, values in enumerate(book.sheets[sheet], start=1):
        label = cell_text(values[0]) if values else ""
        column = cell_text(values[1]) if len(values) > 1 else ""
        if not label and not column:
            continue
        if normalise_name(label) in ("feld", "field") and normalise_name(column) in ("spalte", "column"):
            continue
        key = _SHEET_FIELDS.get(normalise_name(label))
        if key is None:
            _unknown_field(problems, label, sheet=sheet, row=number)
            continue
        if not column:
            problems.error(
                Text(f'Für "{label}" fehlt die Spalte.', f'The column for "{label}" is missing.'),
                hint=Text("Tragen Sie die Überschrift aus dem Export ein.", "Enter the header from the export."),
                sheet=sheet,
                row=number,
                column="Spalte",
            )
            continue
        if key in LIST_FIELDS:
            overrides.setdefault(key, []).append(column)
        else:
            overrides[key] = [column]
    return overrides, sheet
