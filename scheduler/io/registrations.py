"""Registrations to people: wishes matched to sessions, slots to ids, duplicates merged, e-mails normalised.

Works on `RawRegistration`s, so the `Anmeldungen` sheet and every form export get the same rules and hints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.domain import Person, Session, Slot, Wish
from scheduler.io.cells import cell_text, split_items
from scheduler.io.emails import is_email
from scheduler.io.matching import SessionMatcher, match_slot, slot_hint
from scheduler.io.records import Answer, RawRegistration
from scheduler.io.schema import CANCELLED, CONFIRMED, REGISTRATIONS, wish_header, wish_rank
from scheduler.io.sheets import Book, Table, find_sheet, read_table, warn_unknown_columns
from scheduler.problems import Problem, Problems, Severity
from scheduler.text import Text


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
                [unavailable] if unavailable.text else [], fixed=answer("fixed"), status=answer("status"),
                moderator=answer("moderator"),
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
    dropped: Sequence[Session] = (),
) -> list[Person]:
    """One `Person` per e-mail (or name, without e-mail); a later registration replaces an earlier one.

    "Later" means a later submission time where both have one, else a later row. A registration whose `Status`
    says cancelled counts as the later one too, and then drops the person. `dropped`: sessions cancelled in
    `Sessions`; a wish for one is left out with a warning, a `Fest` entry for one is an error.
    """
    report = _Located(problems)
    matcher = _Matchers(SessionMatcher(tuple(sessions)), SessionMatcher(tuple(dropped)))
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
    return [person for raw, person in chosen.values() if not _cancelled(raw, report)]


def cancelled_rows(raws: Sequence[RawRegistration]) -> dict[str, RawRegistration]:
    """Person id and name key -> the registration whose `Status` cancels it (to tell a host who cancelled)."""
    found: dict[str, RawRegistration] = {}
    for raw in raws:
        if raw.status.text.casefold() in CANCELLED:
            email, name = "".join(raw.email.text.split()).lower(), " ".join(raw.name.text.split())
            found[person_id(email, name)] = found[name_key(name)] = raw
    return found


def _cancelled(raw: RawRegistration, report: _Located) -> bool:
    """The registration's `Status` says cancelled; an unknown status is warned about and the row counts."""
    status = raw.status.text.casefold()
    if status in CANCELLED:
        return True
    if status not in CONFIRMED:
        report.warn(
            raw,
            raw.status,
            Text(
                f'Den Status "{raw.status.text}" kennt das Programm nicht; die Anmeldung gilt.',
                f'Unknown status "{raw.status.text}"; the registration counts.',
            ),
            Text(
                'Schreiben Sie "abgesagt", damit die Anmeldung entfällt, sonst "bestätigt" oder nichts.',
                'Write "cancelled" to drop the registration, else "confirmed" or nothing.',
            ),
            code="unknown_status",
        )
    return False


@dataclass(frozen=True)
class _Matchers:
    """The sessions that take place, and those cancelled in `Sessions` (named to say why a wish is gone)."""

    sessions: SessionMatcher
    dropped: SessionMatcher


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


def _person(raw: RawRegistration, matcher: _Matchers, slots: tuple[Slot, ...], report: _Located) -> Person | None:
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
    elif not is_email(email):
        report.warn(
            raw,
            raw.email,
            Text(f'"{email}" sieht nicht wie eine E-Mail-Adresse aus.', f'"{email}" does not look like an e-mail.'),
            code="invalid_email",
        )
    if not name and not email:
        return None
    cancelled = raw.status.text.casefold() in CANCELLED
    wishes = _wishes(raw, matcher, report) if not cancelled else ()
    unavailable = _unavailable(raw, slots, report)
    fixed = _fixed(raw, matcher, report) if not cancelled else frozenset()
    return Person(
        person_id(email, name), name or email, email, " ".join(raw.organisation.text.split()), wishes, unavailable,
        fixed=fixed,
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


def _fixed(raw: RawRegistration, matcher: _Matchers, report: _Located) -> frozenset[str]:
    """The sessions of the `Fest` cell, by id or title (as wishes are matched), separated by `;` or lines."""
    found: set[str] = set()
    for item in (i.strip() for i in re.split(r"[;\n]", raw.fixed.text) if i.strip()):
        match = matcher.sessions.match(item)
        parts = [item]
        if match.session is None and "," in item:  # `S01, S02` as well, unless a title has the comma
            parts = [p.strip() for p in item.split(",") if p.strip()]
        for part in parts:
            match = matcher.sessions.match(part)
            if match.session is not None:
                found.add(match.session.id)
                continue
            gone = matcher.dropped.match(part).session
            if gone is not None:
                report.error(
                    raw,
                    raw.fixed,
                    Text(
                        f'Session "{gone.title}" ({gone.id}) ist abgesagt, die Person ist aber fest dafür eingeteilt.',
                        f'Session "{gone.title}" ({gone.id}) is cancelled, but the person is fixed to it.',
                    ),
                    Text(
                        f'Nehmen Sie {gone.id} aus "{raw.fixed.column}" heraus oder heben Sie die Absage auf.',
                        f'Remove {gone.id} from "{raw.fixed.column}" or undo the cancellation.',
                    ),
                )
                continue
            message = (
                Text(f'"{part}" passt zu mehreren Sessions.', f'"{part}" matches several sessions.')
                if match.how == "ambiguous"
                else Text(f'Session "{part}" gibt es nicht.', f'There is no session "{part}".')
            )
            report.error(raw, raw.fixed, message, match.hint)
    return frozenset(found)


def _wishes(raw: RawRegistration, matchers: _Matchers, report: _Located) -> tuple[Wish, ...]:
    wishes: list[Wish] = []
    where: dict[str, Answer] = {}
    matcher = matchers.sessions
    for rank in sorted(raw.wishes):
        answer = raw.wishes[rank]
        found = matcher.match(answer.text)
        gone = matchers.dropped.match(answer.text).session if found.session is None else None
        if gone is not None:
            report.warn(
                raw,
                answer,
                Text(
                    f'Session "{gone.title}" ({gone.id}) ist abgesagt; dieser Wunsch entfällt.',
                    f'Session "{gone.title}" ({gone.id}) is cancelled; this wish is dropped.',
                ),
                code="wish_cancelled_session",
            )
            continue
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


def check_fixed_hosts(
    raws: Sequence[RawRegistration], sessions: Sequence[Session], people: Sequence[Person], problems: Problems
) -> None:
    """A person fixed (`Fest`) to a session they host cannot attend it: an error at their `Fest` cell."""
    hosted = {(h, s.id) for s in sessions for h in s.hosts}
    rows = {person_id("".join(r.email.text.split()).lower(), " ".join(r.name.text.split())): r for r in raws}
    report = _Located(problems)
    for p in people:
        for session in sorted(s for s in p.fixed if (p.id, s) in hosted):
            raw = rows.get(p.id)
            if raw is not None:
                report.error(
                    raw,
                    raw.fixed,
                    Text(
                        f"{p.name} leitet {session} und kann nicht zugleich daran teilnehmen.",
                        f"{p.name} hosts {session} and cannot attend it as well.",
                    ),
                    Text(
                        f'Nehmen Sie {session} aus "{raw.fixed.column}" heraus.',
                        f'Remove {session} from "{raw.fixed.column}".',
                    ),
                )
