"""Invented people for the example: unique names, e-mail addresses, organisations and ranked wishes."""

from __future__ import annotations

import heapq
import random
import re
import unicodedata
from collections.abc import Sequence

from scheduler.domain import Wish
from scheduler.example.data import FIRST_NAMES, KIND_INTERESTS, LAST_NAMES, Organisation

# Letters that Unicode does not decompose into an ASCII base letter, spelled as German mail addresses do.
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l", "đ": "d", "ø": "o"})


def full_names(count: int, rng: random.Random) -> list[str]:
    """`count` names, all different while the name lists allow it (then repeats, as in real life)."""
    combos = len(FIRST_NAMES) * len(LAST_NAMES)
    picks = rng.sample(range(combos), min(count, combos))
    picks += [rng.randrange(combos) for _ in range(count - len(picks))]
    return [f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i // len(FIRST_NAMES)]}" for i in picks]


def mail_local_part(name: str) -> str:
    """`Jürgen Yılmaz` -> `juergen.yilmaz`: how such addresses are usually spelled."""
    folded = unicodedata.normalize("NFKD", name.lower().translate(_ASCII))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9.-]", "", plain.replace(" ", "."))


class MailBox:
    """Hands out e-mail addresses, numbering repeats (`anna.mueller2@…`) so every address is unique."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def address(self, name: str, organisation: Organisation) -> str:
        local = mail_local_part(name)
        candidate, n = f"{local}@{organisation.domain}", 1
        while candidate in self._taken:
            n += 1
            candidate = f"{local}{n}@{organisation.domain}"
        self._taken.add(candidate)
        return candidate


def ranked_wishes(
    count: int,
    popularity: Sequence[float],
    tags: Sequence[str],
    session_orgs: Sequence[str],
    person: Organisation,
    excluded: set[int],
    rng: random.Random,
) -> list[int]:
    """Session indexes in order of preference: weighted sampling without replacement (Efraimidis–Spirakis).

    Weights: the session's popularity, raised for themes the person's kind of organisation cares about and
    lowered for sessions of their own organisation (colleagues rarely book each other's sessions).
    """
    interests = KIND_INTERESTS[person.kind]
    keys: list[tuple[float, int]] = []
    for i, base in enumerate(popularity):
        if i in excluded:
            continue
        weight = base * (2.5 if tags[i] in interests else 1.0) * (0.4 if session_orgs[i] == person.name else 1.0)
        keys.append((rng.random() ** (1.0 / weight), i))
    return [i for _, i in heapq.nlargest(count, keys)]


def wishes_of(session_ids: Sequence[str], ranked: Sequence[int]) -> tuple[Wish, ...]:
    return tuple(Wish(session_ids[i], rank) for rank, i in enumerate(ranked, start=1))
