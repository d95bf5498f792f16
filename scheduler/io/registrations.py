"""Registrations to people: wishes matched to sessions, slots to ids, duplicates merged, e-mails normalised.

Works on `RawRegistration`s, so the `Anmeldungen` sheet and every form export get the same rules and hints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.domain import Person, Session, Slot, Wish
from scheduler.io.cells import cell_text, split_items
from scheduler.io.matching import SessionMatcher, match_slot, slot_hint
from scheduler.io.records import Answer, RawRegistration
from scheduler.io.schema import REGISTRATIONS, wish_header, wish_rank
from scheduler.io.sheets import Book, Table, find_sheet, read_table, warn_unknown_columns
from scheduler.problems import Problem, Problems, Severity
from scheduler.text import Text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def name_key(name: str) -> str:
    """Names compare without case and extra spaces."""
    return " ".join(name.split()).casefold()


def person_id(email: str, name: str) -> str:
    return email if email else f"name:{name_key(name)}"


@dataclass(frozen=True)
class RegistrationSheet:
    raws: list[RawRegistration]
    wish_count: int  # K: the number of wish columns
    table: Table


def read_registration_sheet(book: Book, problems: Problems, *, required: bool = True) -> RegistrationSheet | None:
    """The `Anmeldungen` sheet as raw registrations; `Wunsch N` columns give the ranks."""
    sheet = find_sheet(book, REGISTRATIONS, problems, required=required)
    if sheet is None:
        return None
    table = read_table(book, sheet, REGISTRATIONS, problems)
    if table is None:
        return None
    wish_columns = _wish_columns(table, problems)
    warn_unknown_columns(table, problems, allowed=set(wish_columns.values()))
    if not table.rows:
        problems.warn(
            Text(f'Das Blatt "{sheet}" enthält keine Anmeldungen.', f'The sheet "{sheet}" has no registrations.'),
            sheet=sheet,
            code="no_registrations",
        )
    raws = []
    for row in table.rows:

        def answer(key: str, row_values: tuple[object, ...] = row.values) -> Answer:
            index = table.columns.get(key)
            value = row_values[index] if index is not None and index < len(row_values) else None
            return Answer(table.headers[index] if index is not None else "", cell_text(value))

        wishes = {}
        for rank, index in wish_columns.items():
            text = cell_text(row.get(index))
            if text:
                wishes[rank] = Answer(table.headers[index], text)
        unavailable = answer("unavailable")
        raws.append(
            RawRegistration(
                book.file, sheet, row.number, answer("name"), answer("email"), answer("organisation"), wishes,
                [unavailable] if unavailable.text else [], moderator=answer("moderator"),
            )
        )  # fmt: skip
    return RegistrationSheet(raws, max(wish_columns, default=0), table)


def _wish_columns(table: Table, problems: Problems) -> dict[int, int]:
    """Rank -> column index of every `Wunsch N` column; the ranks must run 1 … N without gaps or repeats."""
    columns: dict[int, int] = {}
    for index, header in table.unknown_headers():
        rank = wish_rank(header)
        if rank is None:
            continue
        if rank in columns or rank < 1:
            problems.error(
                Text(f'Die Spalte "{header}" kommt doppelt vor.', f'The column "{header}" appears twice.'),
                hint=Text("Jede Wunschspalte darf es nur einmal geben.", "Each wish column may appear only once."),
                sheet=table.sheet,
                row=table.header_row,
                column=header,
            )
            continue
        columns[rank] = index
    missing = [r for r in range(1, max(columns, default=0) + 1) if r not in columns]
    if not columns or missing:
        wanted = wish_header(missing[0] if missing else 1)
        problems.error(
            Text(f'Die Spalte "{wanted}" fehlt.', f'The column "{wanted}" is missing.'),
            hint=Text(
                "Die Wunschspalten heißen Wunsch 1, Wunsch 2, … ohne Lücke.",
                "Wish columns are named Wunsch 1, Wunsch 2, … (or Wish 1, Wish 2, …) without gaps.",
            ),
            sheet=table.sheet,
            row=table.header_row,
            column=wanted,
        )
    return columns


class _Located:
    """Reports problems at a registration's own file, sheet and row (it may come from a form export)."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def add(
        self, raw: RawRegistration, answer: Answer, message: Text, hint: Text | None, severity: Severity, code: str = ""
    ) -> None:
        self.problems.items.append(Problem(message, hint, raw.file, raw.sheet, raw.row, answer.column, severity, code))

    def error(self, raw: RawRegistration, answer: Answer, message: Text, hint: Text | None = None) -> None:
        self.add(raw, answer, message, hint, "error")

    def warn(
        self, raw: RawRegistration, answer: Answer, message: Text, hint: Text | None = None, *, code: str = ""
    ) -> None:
        self.add(raw, answer, message, hint, "warning", code)


def build_people(
    raws: Sequence[RawRegistration],
    sessions: Sequence[Session],
    slots: Sequence[Slot],
    problems: Problems,
) -> list[Person]:
    """One `Person` per e-mail (or name, without e-mail); a later registration replaces an earlier one.

    "Later" means a later submission time where both have one, else a later row.
    """
    report = _Located(problems)
    matcher = SessionMatcher(tuple(sessions))
    chosen: dict[str, tuple[RawRegistration, Person]] = {}
    for raw in raws:
        person = _person(raw, matcher, tuple(slots), report)
        if person is None:
            continue
        earlier = chosen.get(person.id)
        if earlier is None:
            chosen[person.id] = (raw, person)
            continue
        first, second = (earlier[0], raw) if _is_later(raw, earlier[0]) else (raw, earlier[0])
        winner = (raw, person) if second is raw else earlier
        chosen[person.id] = winner
        _warn_duplicate(report, person.id, first, second)
    return [person for _, person in chosen.values()]


def _is_later(raw: RawRegistration, other: RawRegistration) -> bool:
    if raw.submitted is not None and other.submitted is not None and raw.submitted != other.submitted:
        return raw.submitted > other.submitted
    return (raw.file, raw.row) > (other.file, other.row)


def _warn_duplicate(report: _Located, ident: str, lost: RawRegistration, won: RawRegistration) -> None:
    who = ident.removeprefix("name:")
    report.warn(
        won,
        won.email if won.email.text else won.name,
        Text(
            f"{who} ist doppelt angemeldet (Zeilen {lost.row} und {won.row}); es gilt Zeile {won.row}.",
            f"{who} registered twice (rows {lost.row} and {won.row}); row {won.row} is used.",
        ),
        Text(f"Löschen Sie Zeile {lost.row}, wenn das so richtig ist.", f"Delete row {lost.row} if that is right."),
        code="duplicate_registration",
    )


def _person(raw: RawRegistration, matcher: SessionMatcher, slots: tuple[Slot, ...], report: _Located) -> Person | None:
    name = " ".join(raw.name.text.split())
    email = "".join(raw.email.text.split()).lower()
    if not name:
        report.error(
            raw,
            raw.name,
            Text(
                f'Die Zelle "{raw.name.column or "Name"}" ist leer.',
                f'The cell "{raw.name.column or "Name"}" is empty.',
            ),
            Text("Jede Anmeldung braucht einen Namen.", "Every registration needs a name."),
        )
    if not email:
        report.warn(
            raw,
            raw.email,
            Text(
                f"{name or 'Diese Anmeldung'} hat keine E-Mail-Adresse.",
                f"{name or 'This registration'} has no e-mail.",
            ),
            Text(
                "Ohne E-Mail gibt es keine Agenda per Mail und keine Zoom-Vorbelegung.",
                "Without an e-mail there is no agenda by mail and no Zoom pre-assignment.",
            ),
            code="missing_email",
        )
    elif not _EMAIL.match(email):
        report.warn(
            raw,
            raw.email,
            Text(f'"{email}" sieht nicht wie eine E-Mail-Adresse aus.', f'"{email}" does not look like an e-mail.'),
            code="invalid_email",
        )
    if not name and not email:
        return None
    wishes = _wishes(raw, matcher, report)
    unavailable = _unavailable(raw, slots, report)
    return Person(
        person_id(email, name), name or email, email, " ".join(raw.organisation.text.split()), wishes, unavailable,
        moderator=_moderator(raw, report),
    )  # fmt: skip


_YES = {"ja", "j", "yes", "y", "x", "1", "wahr", "true"}
_NO = {"nein", "n", "no", "-", "0", "falsch", "false"}


def _moderator(raw: RawRegistration, report: _Located) -> bool:
    """`Moderation`: ja/yes/x/1 moderates networking groups, nein/no/empty does not; anything else is an error."""
    answer = raw.moderator
    text = answer.text.casefold() if answer is not None else ""
    if not text or text in _NO:
        return False
    if text in _YES:
        return True
    assert answer is not None
    report.error(
        raw,
        answer,
        Text(f'"{answer.text}" ist als Moderation nicht lesbar.', f'"{answer.text}" cannot be read as moderator.'),
        Text('Schreiben Sie "ja" (oder x) oder lassen Sie die Zelle leer.', 'Write "yes" (or x) or leave it empty.'),
    )
    return False


def _wishes(raw: RawRegistration, matcher: SessionMatcher, report: _Located) -> tuple[Wish, ...]:
    wishes: list[Wish] = []
    where: dict[str, Answer] = {}
    for rank in sorted(raw.wishes):
        answer = raw.wishes[rank]
        found = matcher.match(answer.text)
        if found.session is None:
            message = (
                Text(f'"{answer.text}" passt zu mehreren Sessions.', f'"{answer.text}" matches several sessions.')
                if found.how == "ambiguous"
                else Text(f'Session "{answer.text}" gibt es nicht.', f'There is no session "{answer.text}".')
            )
            report.error(raw, answer, message, found.hint)
            continue
        session = found.session
        if found.how == "near":
            report.warn(
                raw,
                answer,
                Text(
                    f'"{answer.text}" als Session "{session.title}" ({session.id}) erkannt.',
                    f'"{answer.text}" read as session "{session.title}" ({session.id}).',
                ),
                code="near_title",
            )
        if session.id in where:
            first = where[session.id].column
            report.error(
                raw,
                answer,
                Text(
                    f'Session "{session.title}" ({session.id}) ist schon in Spalte "{first}" gewünscht.',
                    f'Session "{session.title}" ({session.id}) is already wished in column "{first}".',
                ),
                Text("Jede Session darf nur einmal gewünscht werden.", "Each session may be wished only once."),
            )
            continue
        where[session.id] = answer
        wishes.append(Wish(session.id, rank))
    if not raw.wishes:
        report.warn(
            raw,
            raw.name,
            Text("Diese Anmeldung hat keine Wünsche.", "This registration has no wishes."),
            Text("Die Person wird in beliebige Sessions eingeteilt.", "The person will be placed in any sessions."),
            code="no_wishes",
        )
    elif min(raw.wishes) > 1:
        report.warn(
            raw,
            raw.wishes[min(raw.wishes)],
            Text(
                f"Die Wünsche beginnen erst bei Rang {min(raw.wishes)}.",
                f"The wishes start only at rank {min(raw.wishes)}.",
            ),
            code="wishes_start_late",
        )
    return tuple(wishes)


def _unavailable(raw: RawRegistration, slots: tuple[Slot, ...], report: _Located) -> frozenset[str]:
    found = set()
    for answer in raw.unavailable:
        for item in split_items(answer.text):
            slot = match_slot(item, slots)
            if slot is None:
                report.error(
                    raw,
                    answer,
                    Text(f'Das Zeitfenster "{item}" gibt es nicht.', f'There is no slot "{item}".'),
                    slot_hint(slots),
                )
            else:
                found.add(slot.id)
    return frozenset(found)
