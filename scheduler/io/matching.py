"""Match what people typed to sessions and slots: by id, exact title, or a near-exact title.

Shared by the event workbook and every form-export reader, so an answer gets the same verdict and the same
"Meinten Sie …?" hint wherever it came from.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import Literal

from scheduler.domain import Session, Slot
from scheduler.text import Text

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def loose(text: str) -> str:
    """A title reduced to its letters and digits: case, spaces, hyphens, punctuation and umlaut spelling ignored."""
    text = unicodedata.normalize("NFC", text.casefold()).translate(_UMLAUTS)
    return "".join(ch for ch in text if ch.isalnum())


def strict(text: str) -> str:
    return " ".join(text.split())


How = Literal["id", "title", "near", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Match:
    how: How
    session: Session | None = None
    hint: Text | None = None


class SessionMatcher:
    """Finds the session an answer means; near-exact and failed matches carry text for a warning or a hint."""

    def __init__(self, sessions: list[Session] | tuple[Session, ...]) -> None:
        self.sessions = list(sessions)
        self._by_id = {s.id.casefold(): s for s in self.sessions}
        self._by_title: dict[str, list[Session]] = {}
        self._by_loose: dict[str, list[Session]] = {}
        for s in self.sessions:
            self._by_title.setdefault(strict(s.title), []).append(s)
            self._by_loose.setdefault(loose(s.title), []).append(s)

    def match(self, answer: str) -> Match:
        answer = strict(answer)
        if answer.casefold() in self._by_id:
            return Match("id", self._by_id[answer.casefold()])
        for how, found in (("title", self._by_title.get(answer, [])), ("near", self._by_loose.get(loose(answer), []))):
            if len(found) == 1:
                return Match(how, found[0])  # type: ignore[arg-type]
            if len(found) > 1:
                ids = ", ".join(s.id for s in found)
                return Match(
                    "ambiguous",
                    hint=Text(
                        f"Mehrere Sessions heißen so ({ids}); geben Sie die Session-ID an.",
                        f"Several sessions have this title ({ids}); give the session id.",
                    ),
                )
        return Match("unknown", hint=self._suggest(answer))

    def _suggest(self, answer: str) -> Text:
        best = max(self.sessions, key=lambda s: _likeness(answer, s.title), default=None)
        if best is not None and _likeness(answer, best.title) >= 0.5:
            return Text(f'Meinten Sie "{best.title}" ({best.id})?', f'Did you mean "{best.title}" ({best.id})?')
        ids = ", ".join(s.id for s in self.sessions[:20])
        return Text(
            f"Geben Sie eine Session-ID ({ids}) oder einen Titel aus dem Blatt Sessions an.",
            f"Give a session id ({ids}) or a title from the Sessions sheet.",
        )


def _likeness(answer: str, title: str) -> float:
    """How alike two titles read: by characters, or by shared words (`KI im Betrieb` ~ `KI im Unternehmen`)."""
    a, b = strict(answer).casefold(), strict(title).casefold()
    words_a, words_b = set(a.split()), set(b.split())
    shared = len(words_a & words_b) / len(words_a | words_b) if words_a | words_b else 0.0
    return max(difflib.SequenceMatcher(None, a, b).ratio(), shared)


def match_slot(answer: str, slots: list[Slot] | tuple[Slot, ...]) -> Slot | None:
    """A slot by id (case ignored), by title, or by its time as `HH:MM` or `HH:MM-HH:MM`."""
    wanted = strict(answer).casefold()
    compact = wanted.replace(" ", "").replace("–", "-")
    for slot in slots:
        times = (f"{slot.start:%H:%M}", f"{slot.start:%H:%M}-{slot.end:%H:%M}")
        if wanted == slot.id.casefold() or (slot.title and wanted == strict(slot.title).casefold()) or compact in times:
            return slot
    return None


def slot_hint(slots: list[Slot] | tuple[Slot, ...]) -> Text:
    ids = ", ".join(s.id for s in slots)
    return Text(f"Bekannte Zeitfenster: {ids}.", f"Known slots: {ids}.")
