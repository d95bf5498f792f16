"""Texts in the organiser's language: every message and label exists in German and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["de", "en"]


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages; German is the default everywhere."""

    de: str
    en: str

    def __call__(self, lang: Lang = "de") -> str:
        return self.en if lang == "en" else self.de
