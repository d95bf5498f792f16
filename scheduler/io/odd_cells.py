"""Cells that do not hold what they seem to: invisible characters, Excel error values, formulas without a
value, text longer than Excel allows.

Every text read from a workbook or CSV file passes `clean` once, right where it is read, so names, e-mails,
ids and titles compare and are written without non-breaking spaces, zero-width characters, byte-order marks
(also one decoded wrongly, as `ï»¿`) or control characters, in Unicode NFC. A cell that cannot be read
honestly becomes an `OddCell`: its value is read as empty and, when a reader uses the cell, it reports the
problem at the cell's sheet, row and column instead of reading a wrong value silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from scheduler.text import Text

EXCEL_MAX_CHARS = 32_767  # Excel keeps no more characters in one cell

_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_TABLE = str.maketrans(_SPACES, " " * len(_SPACES), _INVISIBLE + _CONTROLS)
_MISREAD_BOM = "\u00ef\u00bb\u00bf"  # the UTF-8 byte-order mark read as Windows-1252 or Latin-1
_RUNS = re.compile(r" {2,}")

# Excel's error values as stored in .xlsx files, as German Excel shows and exports them, and LibreOffice's
ERROR_VALUES = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
        "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
        "#WERT!", "#BEZUG!", "#ZAHL!", "#NV", "#ÜBERLAUF!", "#KALK!", "#FELD!", "#BLOCKIERT!",
    }
)  # fmt: skip
_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")


@dataclass(frozen=True)
class OddCell:
    """Why a cell's value cannot be read, and what the organiser can do."""

    message: Text
    hint: Text


def clean(text: str) -> str:
    """The text as a person reads it: NFC, no invisible or control characters, single spaces, trimmed lines."""
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip(" "):
        return text  # most cells: nothing to clean, checked cheaply
    text = unicodedata.normalize("NFC", text.replace(_MISREAD_BOM, "")).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    if "  " in text or "\n" in text:
        text = "\n".join(_RUNS.sub(" ", line).strip() for line in text.split("\n")).strip("\n")
    return text.strip(" ")


def clean_value(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


def odd_value(value: Any) -> OddCell | None:
    """An error value or a text too long for Excel, read from a cell's stored value (or a CSV field)."""
    if not isinstance(value, str):
        return None
    if value in ERROR_VALUES or _LIBREOFFICE_ERROR.fullmatch(value):
        return OddCell(
            Text(f'Die Zelle enthält den Fehlerwert "{value}" statt eines Werts.',
                 f'The cell holds the error value "{value}" instead of a value.'),
            Text("Korrigieren Sie die Formel oder tragen Sie den Wert selbst ein.",
                 "Correct the formula or type the value in."),
        )  # fmt: skip
    if len(value) > EXCEL_MAX_CHARS:
        return OddCell(
            Text(f"Die Zelle hat {len(value)} Zeichen, mehr als Excel in einer Zelle hält ({EXCEL_MAX_CHARS}).",
                 f"The cell has {len(value)} characters, more than Excel keeps in a cell ({EXCEL_MAX_CHARS})."),
            Text("Kürzen Sie den Text.", "Shorten the text."),
        )  # fmt: skip
    return None


def formula_without_value(formula: str) -> OddCell:
    """`formula` as written in the cell, "" for a cell that shares another cell's formula."""
    shown = f'die Formel "{_short(formula)}"' if formula else "eine Formel"
    shown_en = f'the formula "{_short(formula)}"' if formula else "a formula"
    return OddCell(
        Text(f"Die Zelle enthält {shown}, aber keinen gespeicherten Wert; sie wird nicht ausgerechnet.",
             f"The cell holds {shown_en} but no stored value; it is not calculated here."),
        Text("Öffnen und speichern Sie die Datei einmal in Excel oder LibreOffice (dann steht der Wert darin), "
             "oder tragen Sie den Wert statt der Formel ein.",
             "Open and save the file once in Excel or LibreOffice (which stores the value), or type the value "
             "instead of the formula."),
    )  # fmt: skip


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
