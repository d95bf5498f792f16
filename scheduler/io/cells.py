"""Cell values as organisers type them: times as Excel times or `9:30` text, numbers stored as text, lists.

The parsers raise `CellError` with a message in both languages; `Cells` reports it at the cell's location and
lets reading go on, so one run finds every problem.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from scheduler.io.sheets import Row, Table
from scheduler.problems import Problems
from scheduler.text import Text


class CellError(ValueError):
    def __init__(self, message: Text, hint: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.hint = hint


def cell_text(value: Any) -> str:
    """A cell as trimmed text; whole numbers lose their `.0`, so an id typed as 3 reads as "3"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


_TIME_TEXT = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*uhr)?$", re.IGNORECASE)


def parse_time(value: Any) -> time:
    """An Excel time, a day fraction, or text such as `09:30`, `9:30`, `09.30`."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        return (datetime.min + value).time().replace(microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 24 * 3600 / 60) * 60
        return (datetime.min + timedelta(seconds=seconds)).time()
    text = cell_text(value)
    match = _TIME_TEXT.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CellError(
        Text(f'"{text}" ist keine Uhrzeit.', f'"{text}" is not a time of day.'),
        Text("Schreiben Sie die Uhrzeit als HH:MM, z. B. 09:30.", "Write the time as HH:MM, e.g. 09:30."),
    )


LARGEST = 1_000_000  # no capacity, count or weight of an event comes near; a larger one is a typing slip


def parse_int(value: Any, *, minimum: int = 0) -> int:
    """A whole number, also when stored as text (`"30"`, `"30,0"`); never below `minimum`, never above `LARGEST`."""
    number: float | None = None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST:
        number = float(LARGEST + 1 if value > 0 else -LARGEST - 1)  # perhaps too large for a float, surely too large
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            number = None
    if number is None or not number.is_integer():
        raise CellError(
            Text(f'"{cell_text(value)}" ist keine ganze Zahl.', f'"{cell_text(value)}" is not a whole number.'),
            Text("Tragen Sie eine ganze Zahl ein, z. B. 30.", "Enter a whole number, e.g. 30."),
        )
    if number > LARGEST:
        raise CellError(
            Text(f"{cell_text(value)} ist zu groß (höchstens {LARGEST}).",
                 f"{cell_text(value)} is too large (at most {LARGEST})."),
            Text("Tragen Sie eine kleinere Zahl ein.", "Enter a smaller number."),
        )  # fmt: skip
    if number < minimum:
        raise CellError(
            Text(
                f"{cell_text(value)} ist zu klein (mindestens {minimum}).",
                f"{cell_text(value)} is too small (at least {minimum}).",
            ),
        )
    return int(number)


_DATE_TEXT = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"))


def parse_date(value: Any) -> date:
    """An Excel date or text `2021-10-06` / `06.10.2021`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    iso, german = (p.match(text) for p in _DATE_TEXT)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if german:
            return date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
    except ValueError:
        pass
    raise CellError(
        Text(f'"{text}" ist kein Datum.', f'"{text}" is not a date.'),
        Text("Schreiben Sie das Datum als TT.MM.JJJJ oder JJJJ-MM-TT.", "Write the date as YYYY-MM-DD or DD.MM.YYYY."),
    )


def split_items(text: str) -> list[str]:
    """A `;`- or `,`-separated list, items trimmed, empty items dropped."""
    return [item.strip() for item in re.split(r"[;,\n]", text) if item.strip()]


class Cells:
    """Reads typed values from a table's rows and reports any bad cell at its sheet, row and column."""

    def __init__(self, table: Table, problems: Problems) -> None:
        self.table = table
        self.problems = problems

    def header(self, key: str) -> str:
        return self.table.header(key) if key in self.table.columns else ""

    def raw(self, row: Row, key: str) -> Any:
        return row.get(self.table.columns.get(key))

    def text(self, row: Row, key: str, *, required: bool = False) -> str:
        text = cell_text(self.raw(row, key))
        if required and not text:
            self.error(
                row,
                key,
                Text(f'Die Zelle "{self.header(key)}" ist leer.', f'The cell "{self.header(key)}" is empty.'),
                Text("Dieser Wert ist Pflicht.", "This value is required."),
            )
        return text

    def integer(self, row: Row, key: str, *, default: int | None, minimum: int = 0) -> int | None:
        value = self.raw(row, key)
        if not cell_text(value):
            return default
        try:
            return parse_int(value, minimum=minimum)
        except CellError as err:
            self.error(row, key, err.message, err.hint)
            return default

    def time(self, row: Row, key: str) -> time | None:
        value = self.raw(row, key)
        if not cell_text(value):
            self.text(row, key, required=True)
            return None
        try:
            return parse_time(value)
        except CellError as err:
            self.error(row, key, err.message, err.hint)
            return None

    def items(self, row: Row, key: str) -> list[str]:
        return split_items(self.text(row, key))

    def error(self, row: Row, key: str, message: Text, hint: Text | None = None) -> None:
        self.problems.error(message, hint=hint, sheet=self.table.sheet, row=row.number, column=self.header(key))

    def warn(self, row: Row, key: str, message: Text, hint: Text | None = None, *, code: str = "") -> None:
        self.problems.warn(
            message, hint=hint, sheet=self.table.sheet, row=row.number, column=self.header(key), code=code
        )
