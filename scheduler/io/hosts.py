"""Hosts named in the `Gastgeber` column, matched to the people who registered.

A host is matched by e-mail (case ignored), else by name (case and spaces ignored). A host given with an
e-mail who did not register only hosts; a host given by a name nobody registered under is an error, because
without an e-mail we cannot tell who it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace

from scheduler.domain import Person, Session
from scheduler.io.event_sheets import HostRef
from scheduler.io.records import RawRegistration
from scheduler.io.registrations import name_key
from scheduler.problems import Problems
from scheduler.text import Text


def resolve_hosts(
    sessions: list[Session],
    refs: list[HostRef],
    people: list[Person],
    problems: Problems,
    cancelled: Mapping[str, RawRegistration] | None = None,
) -> tuple[list[Session], list[Person]]:
    """Sessions with host person ids filled in, and the people extended by host-only people.

    `cancelled`: registrations cancelled by their `Status` (by person id and name key); a host among them is
    an error, since the session would go ahead without them.
    """
    by_id = {p.id: p for p in people}
    if cancelled:
        refs = [ref for ref in refs if not _host_cancelled(ref, cancelled, problems)]
    organisation = {s.id: s.organisation for s in sessions}
    for ref in refs:  # host-only people first, so a name elsewhere can match them too
        if ref.email and ref.email not in by_id:
            by_id[ref.email] = Person(
                ref.email, ref.name or ref.email, ref.email, organisation[ref.session], participant=False
            )
    hosts: dict[str, list[str]] = {s.id: [] for s in sessions}
    resolved: list[tuple[HostRef, str]] = []
    for ref in refs:
        ident = ref.email or _by_name(ref, by_id, problems)
        if ident is None:
            continue
        if ident in hosts[ref.session]:
            problems.warn(
                Text(f"{by_id[ident].name} steht doppelt als Gastgeber*in.", f"{by_id[ident].name} is listed twice."),
                sheet=ref.sheet,
                row=ref.row,
                column=ref.column,
                code="host_listed_twice",
            )
            continue
        hosts[ref.session].append(ident)
        resolved.append((ref, ident))
    _warn_own_wishes(resolved, by_id, problems)
    return [replace(s, hosts=tuple(hosts[s.id])) for s in sessions], list(by_id.values())


def _host_cancelled(ref: HostRef, cancelled: Mapping[str, RawRegistration], problems: Problems) -> bool:
    raw = cancelled.get(ref.email) if ref.email else cancelled.get(name_key(ref.name))
    if raw is None:
        return False
    problems.error(
        Text(
            f"{ref.name or ref.email} leitet {ref.session}, hat die Anmeldung aber abgesagt "
            f"({raw.sheet}, Zeile {raw.row}).",
            f"{ref.name or ref.email} hosts {ref.session} but cancelled the registration ({raw.sheet}, row {raw.row}).",
        ),
        hint=Text(
            f"Setzen Sie den Status von {ref.session} auf abgesagt oder tragen Sie andere Gastgeber*innen ein.",
            f"Set the status of {ref.session} to cancelled or enter other hosts.",
        ),
        sheet=ref.sheet,
        row=ref.row,
        column=ref.column,
    )
    return True


def _by_name(ref: HostRef, by_id: dict[str, Person], problems: Problems) -> str | None:
    found = [p for p in by_id.values() if name_key(p.name) == name_key(ref.name)]
    if len(found) == 1:
        return found[0].id
    if found:
        emails = ", ".join(p.email or p.id for p in found)
        problems.error(
            Text(
                f'"{ref.name}" passt zu mehreren Personen ({emails}).',
                f'"{ref.name}" matches several people ({emails}).',
            ),
            hint=Text("Geben Sie die E-Mail-Adresse an: Name <E-Mail>.", "Give the e-mail: Name <email>."),
            sheet=ref.sheet,
            row=ref.row,
            column=ref.column,
        )
        return None
    names = {name_key(p.name): p.name for p in by_id.values()}
    close = [names[k] for k in difflib.get_close_matches(name_key(ref.name), list(names), n=3, cutoff=0.6)]
    maybe = ", ".join(f'"{n}"' for n in close)
    problems.error(
        Text(f'Gastgeber*in "{ref.name}" ist nicht angemeldet.', f'Host "{ref.name}" is not registered.'),
        hint=Text(
            (f"Meinten Sie {maybe}? " if close else "") + "Oder geben Sie die E-Mail-Adresse an: Name <E-Mail>.",
            (f"Did you mean {maybe}? " if close else "") + "Or give the e-mail: Name <email>.",
        ),
        sheet=ref.sheet,
        row=ref.row,
        column=ref.column,
    )
    return None


def _warn_own_wishes(resolved: list[tuple[HostRef, str]], by_id: dict[str, Person], problems: Problems) -> None:
    """A host who wished their own session hosts it instead; say so, since the wish cannot be granted."""
    for ref, ident in resolved:
        person = by_id[ident]
        if any(w.session == ref.session for w in person.wishes):
            problems.warn(
                Text(
                    f"{person.name} leitet {ref.session} und hat sich die Session auch gewünscht.",
                    f"{person.name} hosts {ref.session} and also wished it.",
                ),
                hint=Text(
                    "Dieser Wunsch kann nicht erfüllt werden (die Person leitet die Session).",
                    "That wish cannot be granted (the person hosts the session).",
                ),
                sheet=ref.sheet,
                row=ref.row,
                column=ref.column,
                code="host_wishes_own_session",
            )
