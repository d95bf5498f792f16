"""What headers and answers in form exports say: wish ranks, "no preference", totals, fields by their wording.

Form tools let organisers word their questions freely, so columns are recognised by the words they contain
("1. Wahl", "Erstwunsch", "Priorität 2", "2nd choice", "Rang 3"), in German and English.
"""

from __future__ import annotations

import re

from scheduler.io.schema import normalise_name

_ORDINALS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "fuenft": 5, "sechst": 6, "siebt": 7, "acht": 8,
    "neunt": 9, "zehnt": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_RANK_WORDS = (
    r"wahl|wunsch|priorität|prioritaet|prio|präferenz|praeferenz|choice|wish|preference|priority|rank|rang|platz"
)
_NUMBER_FIRST = re.compile(rf"(?<![\w.])(\d{{1,2}})\s*(?:\.|st|nd|rd|th)?\s*-?\s*(?:{_RANK_WORDS})")
_WORD_FIRST = re.compile(rf"(?:{_RANK_WORDS})\s*(?:nr\.?|no\.?|#)?\s*(\d{{1,2}})(?![\d.:])")
_ORDINAL_WORD = re.compile(rf"\b({'|'.join(_ORDINALS)})(?:e|er|es|en)?\s*-?\s*(?:{_RANK_WORDS})", re.IGNORECASE)
_ORDINAL_ALONE = re.compile(rf"^({'|'.join(_ORDINALS)})(?:e|er|es|en)?$")
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


def rank_in(text: str) -> int | None:
    """The wish rank a header or answer names (`1. Wahl`, `Erstwunsch`, `Wunsch 2`, `3rd choice`), if any."""
    low = normalise_name(text)
    for pattern in (_NUMBER_FIRST, _WORD_FIRST, _ORDINAL_WORD):
        match = pattern.search(low)
        if match:
            value = match.group(1)
            return int(value) if value.isdigit() else _ORDINALS[value]
    return None


def rank_value(text: str) -> int | None:
    """A rank in a grid cell: a number (also `1,0` or `1.0`), a rank phrase, or an ordinal word (`erste`)."""
    low = normalise_name(text).rstrip(".")
    number = as_number(low)
    if number is not None:
        return int(number) if number.is_integer() and number >= 1 else None
    alone = _ORDINAL_ALONE.match(low)
    if alone:
        return _ORDINALS[alone.group(1)]
    return rank_in(low)


def as_number(text: str) -> float | None:
    """A number as German or English spreadsheets write it (`3`, `3,0`, `3.5`), else None."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


_NO_PREFERENCE = {
    "keine präferenz", "keine praeferenz", "keine präferenzen", "egal", "ist mir egal", "keine angabe", "kein wunsch",
    "keine wünsche", "keiner", "keine", "-", "–", "—", "/", "no preference", "none", "n/a", "any", "don't mind",
    "does not matter", "doesn't matter", "no matter",
}  # fmt: skip


def no_preference(text: str) -> bool:
    """An answer that means "no wish here" rather than naming a session."""
    return normalise_name(text).strip(" .!") in _NO_PREFERENCE


_TOTAL_WORDS = ("summe", "gesamt", "insgesamt", "total", "sum", "anzahl", "count", "ergebnis")


def is_total_label(text: str) -> bool:
    low = normalise_name(text).rstrip(":")
    return any(low == w or low.startswith(w + " ") or low.startswith(w + ":") for w in _TOTAL_WORDS)


def mentions(header: str, words: tuple[str, ...]) -> bool:
    """Whether a header contains one of the words (as a word start: `mail` finds `E-Mail-Adresse`)."""
    low = normalise_name(header)
    return any(re.search(rf"(?<![a-zäöüß]){re.escape(w)}", low) for w in words)
