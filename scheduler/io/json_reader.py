"""Typed access to a JSON document that records a located Problem for every defect instead of raising.

The file's JSON path (e.g. `sessions[1].room`) stands where a workbook problem names its column.
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

from scheduler.problems import InputError, Problem, unreadable
from scheduler.text import Text


def at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


_MISSING = object()
LARGEST = 10**9  # no count, capacity or number of seconds in a plan comes near; larger is a broken file


class JsonReader:
    """Typed access to the JSON document that records a Problem (file, JSON path as column) for every defect.

    Each accessor returns a usable default after a problem, so one pass finds every problem in the file.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, path: str, de: str, en: str, row: int | None = None) -> None:
        problem = Problem(Text(de, en), file=self.file, row=row, column=path)
        if problem not in self.problems:
            self.problems.append(problem)

    def raise_if_errors(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def load(self, path: Path, expected_format: str) -> dict[str, Any]:
        """The parsed document after checking it is JSON with the right format tag; else InputError at once."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))  # a BOM from an editor does not matter
        except OSError as error:
            reason = unreadable(error)
            self.error("", reason.de, reason.en)
        except UnicodeDecodeError:
            self.error("", "Die Datei ist kein UTF-8-Text.", "The file is not UTF-8 text.")
        except json.JSONDecodeError as e:
            self.error(
                "",
                f"Die Datei ist kein gültiges JSON: {e.msg} (Zeichen {e.colno}).",
                f"The file is not valid JSON: {e.msg} (character {e.colno}).",
                row=e.lineno,
            )
        except (ValueError, RecursionError):  # a number of thousands of digits, lists nested thousands deep
            self.error(
                "",
                "Die Datei ist keine Plan-Datei: zu tief verschachtelt oder mit einer riesigen Zahl.",
                "The file is no plan file: nested too deeply or holding a huge number.",
            )
        self.raise_if_errors()
        found = doc.get("format", _MISSING) if isinstance(doc, dict) else _MISSING
        if found != expected_format:
            what = "nothing" if found is _MISSING else _shown(found)
            self.error(
                "format",
                f'Das ist keine Plan-Datei von scheduler: Format {what}, erwartet "{expected_format}".',
                f'This is not a scheduler plan file: format {what}, expected "{expected_format}".',
            )
            self.raise_if_errors()
        return doc

    def _get(self, doc: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = doc.get(key, _MISSING)
        if value is _MISSING and required:
            self.error(at(path, key), "Dieser Eintrag fehlt.", "This entry is missing.")
        return value

    def _wrong(self, path: str, value: Any, de: str, en: str) -> None:
        self.error(path, f"Erwartet {de}, gefunden {_shown(value)}.", f"Expected {en}, found {_shown(value)}.")

    def obj(self, doc: dict[str, Any], key: str, path: str, *, required: bool = True) -> dict[str, Any]:
        value = self._get(doc, key, path, required)
        if isinstance(value, dict):
            return value
        if value is not _MISSING:
            self._wrong(at(path, key), value, "ein Objekt", "an object")
        return {}

    def objs(self, doc: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[dict[str, Any]]:
        value = self._get(doc, key, path, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self._wrong(at(path, key), value, "eine Liste", "a list")
            return []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self._wrong(f"{at(path, key)}[{i}]", item, "ein Objekt", "an object")
        return [item for item in value if isinstance(item, dict)]

    def text(self, doc: dict[str, Any], key: str, path: str, *, default: str = "", required: bool = True) -> str:
        value = self._get(doc, key, path, required)
        if isinstance(value, str):
            return value
        if value is not _MISSING:
            self._wrong(at(path, key), value, "einen Text", "a text")
        return default

    def optional_text(self, doc: dict[str, Any], key: str, path: str) -> str | None:
        value = doc.get(key)
        return None if value is None else self.text(doc, key, path)

    def integer(self, doc: dict[str, Any], key: str, path: str, *, default: int = 0, required: bool = True) -> int:
        value = self._get(doc, key, path, required)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and abs(value) <= LARGEST:
            return int(value)
        if whole:
            self._wrong(at(path, key), value, f"eine ganze Zahl bis {LARGEST}", f"a whole number up to {LARGEST}")
        elif value is not _MISSING:
            self._wrong(at(path, key), value, "eine ganze Zahl", "a whole number")
        return default

    def optional_integer(self, doc: dict[str, Any], key: str, path: str) -> int | None:
        value = doc.get(key)
        return None if value is None else self.integer(doc, key, path)

    def number(self, doc: dict[str, Any], key: str, path: str, *, default: float = 0.0, required: bool = True) -> float:
        value = self._get(doc, key, path, required)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if numeric and abs(value) <= LARGEST:
            return float(value)  # NaN compares false, so it is refused as well
        if numeric:
            self._wrong(at(path, key), value, f"eine Zahl bis {LARGEST}", f"a number up to {LARGEST}")
        elif value is not _MISSING:
            self._wrong(at(path, key), value, "eine Zahl", "a number")
        return default

    def flag(self, doc: dict[str, Any], key: str, path: str) -> bool:
        value = self._get(doc, key, path, False)
        if isinstance(value, bool):
            return value
        if value is not _MISSING:
            self._wrong(at(path, key), value, "true oder false", "true or false")
        return False

    def _list(self, doc: dict[str, Any], key: str, path: str, required: bool) -> list[Any]:
        value = self._get(doc, key, path, required)
        if isinstance(value, list):
            return value
        if value is not _MISSING:
            self._wrong(at(path, key), value, "eine Liste", "a list")
        return []

    def texts(self, doc: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[str]:
        items = self._list(doc, key, path, required)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self._wrong(f"{at(path, key)}[{i}]", item, "einen Text", "a text")
        return [item for item in items if isinstance(item, str)]

    def wish_list(self, doc: dict[str, Any], key: str, path: str) -> list[str | None]:
        """Session ids by rank, null where a rank was left empty."""
        items = self._list(doc, key, path, True)
        for i, item in enumerate(items):
            if item is not None and not isinstance(item, str):
                self._wrong(f"{at(path, key)}[{i}]", item, "eine Session-ID oder null", "a session id or null")
        return [item if isinstance(item, str) else None for item in items]

    def integers(self, doc: dict[str, Any], key: str, path: str) -> list[int] | None:
        if doc.get(key) is None:
            return None
        items = self._list(doc, key, path, False)
        for i, item in enumerate(items):
            if not isinstance(item, int) or isinstance(item, bool):
                self._wrong(f"{at(path, key)}[{i}]", item, "eine ganze Zahl", "a whole number")
        return [item for item in items if isinstance(item, int) and not isinstance(item, bool)]

    def clock(self, doc: dict[str, Any], key: str, path: str) -> time:
        text = self.text(doc, key, path)
        try:
            return time.fromisoformat(text)
        except ValueError:
            if text:
                self.error(at(path, key), f'"{text}" ist keine Uhrzeit (HH:MM).', f'"{text}" is not a time (HH:MM).')
            return time(0, 0)

    def bilingual(self, doc: dict[str, Any], key: str, path: str, *, required: bool = True) -> Text | None:
        value = self._get(doc, key, path, required)
        if value is _MISSING or (value is None and not required):
            return None
        if isinstance(value, dict):
            return Text(self.text(value, "de", at(path, key)), self.text(value, "en", at(path, key)))
        self._wrong(at(path, key), value, "ein Objekt mit de und en", "an object with de and en")
        return None
