"""Short phrases several outputs share (a block's heading, hosts, fill), so they read alike everywhere."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from scheduler.domain import Person
from scheduler.export import labels
from scheduler.text import Lang
from scheduler.views import AgendaBlock, GroupView, PersonAgenda, RunView


def block_heading(block: AgendaBlock, lang: Lang) -> str:
    """What the person does in this block: the session, the plenary, hosting, or why nothing."""
    if block.kind == "plenary":
        return block.title or labels.PLENARY(lang)
    if block.kind == "hosting":
        return f"{labels.HOSTING(lang)}: {block.title}"
    if block.kind == "session":
        return block.title
    if block.kind == "networking":
        name = block.title or labels.NETWORKING(lang)
        return f"{name}: {labels.group_room(block.group.number)(lang)}" if block.group is not None else name
    return (labels.UNAVAILABLE if block.kind == "unavailable" else labels.FREE)(lang)


def host_names(run: RunView) -> str:
    return ", ".join(p.name for p in run.hosts)


def host_organisations(run: RunView) -> str:
    """The hosts' organisations in order, else the session's own."""
    found = list(dict.fromkeys(p.organisation for p in run.hosts if p.organisation))
    return ", ".join(found) if found else run.session.organisation


def attendee_entries(run: RunView) -> list[str]:
    """`Anna Müller (ZAQS Sachsen)` per attendee, sorted by name, for the host's list of who is coming."""
    people = sorted(run.attendees, key=lambda p: (sort_key(p.name), p.id))
    return [f"{p.name} ({p.organisation})" if p.organisation else p.name for p in people]


def sort_key(text: str) -> str:
    """Alphabetical as a reader expects it: Özlem beside Oliver, not after Zoë."""
    return unicodedata.normalize("NFKD", text.translate(_LATIN)).encode("ascii", "ignore").decode().casefold()


def short(text: str, limit: int = 160) -> str:
    """At most `limit` characters, cut at a word and marked with `…`, so a description stays a line or two."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.-–") + "…"


def quoted(text: str, lang: Lang) -> str:
    """„Text“ in German, “text” in English."""
    return f"„{text}“" if lang == "de" else f"“{text}”"


def fill_text(run: RunView) -> str:
    """`23/30`, or just `23` where the room is unlimited."""
    return f"{run.fill}/{run.capacity}" if run.capacity is not None else str(run.fill)


def organisation_mix(run: RunView, lang: Lang, most: int | None = None) -> str:
    """`KWW 4, gsub 3, …`, largest first; with `most`, the rest as `+9 weitere` (the terminal is narrow)."""
    shown = run.organisations if most is None else run.organisations[:most]
    text = ", ".join(f"{org or labels.NO_ORGANISATION(lang)} {n}" for org, n in shown)
    rest = len(run.organisations) - len(shown)
    return f"{text}, {labels.more(rest)(lang)}" if rest else text


def granted_ranks(agenda: PersonAgenda) -> str:
    """The granted wish ranks as `1, 2, 4` (empty for host-only people)."""
    return ", ".join(str(r) for r in agenda.granted)


def granted_summary(agenda: PersonAgenda, lang: Lang) -> str:
    """`Erfüllte Wünsche: 1, 2 (2 von 3 möglichen)`; empty for people who only host."""
    if agenda.possible is None:
        return ""
    ranks = granted_ranks(agenda) or labels.NONE(lang)
    out_of = labels.of_possible(len(agenda.granted), agenda.possible)(lang)
    return f"{labels.WISHES_GRANTED_LINE(lang)}: {ranks} ({out_of})"


def number(value: float, lang: Lang, digits: int = 1) -> str:
    """`35,5` in German, `35.5` in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def percent(value: float | None, lang: Lang, digits: int = 0) -> str:
    """`92 %` in German (DIN 5008), `92%` in English; empty for no value."""
    if value is None:
        return ""
    return f"{number(100 * value, lang, digits)} %" if lang == "de" else f"{value:.{digits}%}"


_LATIN = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "æ": "ae", "œ": "oe"})


def safe_slug(text: str, fallback: str, limit: int = 40) -> str:
    """Lower-case ASCII letters, digits and hyphens only (umlauts lose their dots, ł becomes l)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or fallback


def group_members(group: GroupView, lang: Lang, without: Person | None = None) -> list[str]:
    """`Anna Müller (KWW)` per member (the moderator marked), leaving out `without` (the agenda's own person)."""
    lines = []
    for person in group.members:
        if without is not None and person.id == without.id:
            continue
        line = f"{person.name} ({person.organisation})" if person.organisation else person.name
        if group.moderator is not None and person.id == group.moderator.id:
            line += f" – {labels.MODERATES(lang)}"
        lines.append(line)
    return lines


def slot_file_name(prefix: str, slot_id: str, suffix: str, taken: Collection[str]) -> str:
    """`zoom-t1.csv`; slot ids that read alike as file names (`T 1`, `T-1`) get `-2`, `-3`, … so none is lost."""
    stem = f"{prefix}-{safe_slug(slot_id, 'slot')}"
    number = 1
    while (name := f"{stem}.{suffix}" if number == 1 else f"{stem}-{number}.{suffix}") in taken:
        number += 1
    return name
