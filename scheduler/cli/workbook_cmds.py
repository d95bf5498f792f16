"""Command: check — read and validate an event workbook, show what was read and how sessions are wished."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    LangOption,
    Language,
    app,
    console,
    fail,
    lang_of,
    print_problems,
)
from scheduler.cli.help_text import tr
from scheduler.domain import Event, Session, Slot
from scheduler.io.forms import ColumnMapping, load_event
from scheduler.model.counting import Finding, counting_findings
from scheduler.networking.sizes import group_count, group_sizes, present_in
from scheduler.problems import InputError
from scheduler.text import Lang, Text

T = Text

AnmeldungenOption = Annotated[
    Path | None,
    typer.Option(
        "--anmeldungen",
        "--registrations",
        metavar="EXPORT",
        help=tr(
            "Anmeldungen aus einem Formular-Export (.xlsx oder .csv: Microsoft Forms, Google Forms, LimeSurvey, "
            "Excel-CSV) statt des Blatts Anmeldungen der Mappe.",
            "Registrations from a form export (.xlsx or .csv: Microsoft Forms, Google Forms, LimeSurvey, Excel "
            "CSV) instead of the workbook's Anmeldungen sheet.",
        ),
        show_default=False,
    ),
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        metavar=tr("ZUORDNUNG.toml", "MAPPING.toml"),
        help=tr(
            'Eine TOML-Datei, die die Spalten des Exports benennt, z. B. name = "Ihr Name", wishes = '
            '["Erstwunsch", "Zweitwunsch"]; gilt vor den erkannten Spalten und einem Blatt Zuordnung.',
            'A TOML file that names the export\'s columns, e.g. name = "Ihr Name", wishes = ["Erstwunsch", '
            '"Zweitwunsch"]; overrides the guesses and a Zuordnung sheet.',
        ),
        show_default=False,
    ),
]


@app.command(
    help=tr(
        "Eine Veranstaltungsmappe lesen und prüfen: Übersicht, Nachfrage je Session, jede Warnung und jedes "
        "Problem, und ob ein Plan überhaupt möglich ist.\n\n"
        "Mit --anmeldungen kommen die Anmeldungen aus einem Formular-Export (Microsoft Forms, Google Forms, "
        "LimeSurvey, CSV); dann zeigt der Befehl, welche Spalte zu welchem Feld wurde. Exit-Code 0, wenn die Mappe "
        "geplant werden kann (Warnungen erlaubt), 2 bei Fehlern, 3 wenn schon das Zählen zeigt, dass kein Plan "
        "möglich ist (mit der Änderung, die hilft).",
        "Read and validate an event workbook: summary, demand per session, every warning and problem, and whether "
        "a plan can exist at all.\n\n"
        "With --anmeldungen the registrations come from a form export (Microsoft Forms, Google Forms, LimeSurvey, "
        "CSV) and the command shows which column became which field. Exit code 0 when the workbook can be planned "
        "(warnings allowed), 2 when it has errors, 3 when counting alone shows that no plan can exist (with the "
        "change that would cure it).",
    ),
    epilog=tr(
        "Beispiele: scheduler check examples/vernetzungstreffen.xlsx  ·  "
        "scheduler check mappe.xlsx --anmeldungen forms-export.xlsx --mapping zuordnung.toml",
        "Examples: scheduler check examples/vernetzungstreffen.xlsx --lang en  ·  "
        "scheduler check event.xlsx --anmeldungen forms-export.xlsx --mapping mapping.toml",
    ),
)
def check(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="EVENT.xlsx",
            help=tr("Die Veranstaltungsmappe (.xlsx), die geprüft wird.", "The event workbook (.xlsx) to check."),
            show_default=False,
        ),
    ],
    anmeldungen: AnmeldungenOption = None,
    mapping: MappingOption = None,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    try:
        event, warnings, columns = load_event(file, anmeldungen, mapping)
    except InputError as err:
        fail(err.problems, language, EXIT_BAD_INPUT)
    if columns is not None:
        print_mapping(columns, language)
    print_summary(event, language)
    print_demand(event, language)
    print_problems(warnings, language)
    findings = counting_findings(event)
    if findings:
        print_findings(findings, language)
        raise typer.Exit(EXIT_INFEASIBLE)
    counts = T(
        f"Die Arbeitsmappe ist gültig: {len(event.participants)} Teilnehmende, {len(event.sessions)} Sessions, "
        f"{len(event.session_slots)} Session-Zeitfenster, {len(event.rooms)} Räume.",
        f"The workbook is valid: {len(event.participants)} participants, {len(event.sessions)} sessions, "
        f"{len(event.session_slots)} session slots, {len(event.rooms)} rooms.",
    )
    console.print(f"[green]{escape(counts(language))}[/]")
    console.print(
        escape(
            T(
                "Das Zählen findet keinen Widerspruch (Räume × Zeitfenster, Plätze je Zeitfenster, "
                "Gastgeber*innen, Mindestzahlen); ob der Plan aufgeht, zeigt scheduler plan.",
                "Counting finds no contradiction (rooms × slots, seats per slot, hosts, minimums); "
                "scheduler plan shows whether the plan works out.",
            )(language)
        )
    )
    if warnings:
        console.print(
            escape(T(f"{len(warnings)} Warnung(en), siehe oben.", f"{len(warnings)} warning(s), see above.")(language))
        )


def print_findings(findings: list[Finding], lang: Lang) -> None:
    """Why no plan can exist, each reason with the change that would cure it."""
    title = T("Kein Plan möglich, das zeigt schon das Zählen:", "No plan is possible, as counting alone shows:")
    console.print(f"[red]{escape(title(lang))}[/]")
    for finding in findings:
        console.print(f"  • {escape(finding.reason(lang))}")
        console.print(f"    [bold]{escape(finding.fix(lang))}[/]")


def print_mapping(columns: ColumnMapping, lang: Lang) -> None:
    """Which export column became which field and why, then every column not used (none is dropped silently)."""
    where = columns.file + (f", {columns.sheet}" if columns.sheet else "")
    title = T(
        f"Zuordnung der Spalten ({where}, erkannt als {columns.layout.de})",
        f"Column mapping ({where}, recognised as {columns.layout.en})",
    )
    table = _table(title, [T("Feld", "Field"), T("Spalte", "Column"), T("Grund", "Reason")], lang)
    for label, header, reason in columns.lines():
        table.add_row(escape(label(lang)), escape(header), escape(reason(lang)))
    console.print(table)
    if not columns.unused:
        console.print(escape(T("Alle Spalten werden verwendet.", "Every column is used.")(lang)))
        return
    unused = _table(
        T("Nicht verwendete Spalten", "Columns not used"), [T("Spalte", "Column"), T("Grund", "Reason")], lang
    )
    for index, reason in columns.unused:
        unused.add_row(escape(columns.headers[index]), escape(reason(lang)))
    console.print(unused)


def _cap(value: int | None) -> str:
    return "∞" if value is None else str(value)


def print_summary(event: Event, lang: Lang) -> None:
    """What was read: event, slots, rooms, sessions with hosts, people by organisation."""
    when = "" if event.date is None else (f"{event.date:%d.%m.%Y}" if lang == "de" else event.date.isoformat())
    console.print(f"[bold]{escape(event.name)}[/]  {when}  ({escape(event.timezone)})")
    console.print(_slots_table(event, lang))
    console.print(_rooms_table(event, lang))
    console.print(_sessions_table(event, lang))
    console.print(_organisations_table(event, lang))


def _table(title: Text, headers: list[Text], lang: Lang) -> Table:
    table = Table(title=title(lang), title_justify="left", title_style="bold")
    for header in headers:
        table.add_column(header(lang))
    return table


def _slots_table(event: Event, lang: Lang) -> Table:
    table = _table(
        T("Zeitfenster", "Slots"), [T("ID", "ID"), T("Zeit", "Time"), T("Art", "Kind"), T("Titel", "Title")], lang
    )
    kinds = {"session": T("Session", "Session"), "plenary": T("Plenum", "Plenary")}
    kinds["networking"] = T("Vernetzung", "Networking")
    for s in event.ordered_slots:
        title = escape(s.title) + (_round_text(event, s, lang) if s.kind == "networking" else "")
        table.add_row(escape(s.id), f"{s.start:%H:%M}–{s.end:%H:%M}", kinds[s.kind](lang), title)
    return table


def _round_text(event: Event, slot: Slot, lang: Lang) -> str:
    """` · 147 Personen in 29 Gruppen zu 5–6` for a networking round (the reader made sure the sizes fit)."""
    people = len(present_in(event, slot))
    groups = group_count(people, *slot.group_size) or 1
    sizes = sorted(set(group_sizes(people, groups)))
    size = "–".join(str(n) for n in sizes)
    return T(f" · {people} Personen in {groups} Gruppen zu {size}", f" · {people} people in {groups} groups of {size}")(
        lang
    )


def _rooms_table(event: Event, lang: Lang) -> Table:
    headers = [
        T("ID", "ID"),
        T("Name", "Name"),
        T("Kapazität", "Capacity"),
        T("Link", "Link"),
        T("Merkmale", "Features"),
    ]
    table = _table(T("Räume", "Rooms"), headers, lang)
    for r in event.rooms:
        table.add_row(
            escape(r.id), escape(r.name), _cap(r.capacity), escape(r.link), escape(", ".join(sorted(r.features)))
        )
    return table


def _sessions_table(event: Event, lang: Lang) -> Table:
    headers = [T("ID", "ID"), T("Titel", "Title"), T("Organisation", "Organisation"), T("Gastgeber*innen", "Hosts")]
    table = _table(T("Sessions", "Sessions"), [*headers, T("Vorgaben", "Settings")], lang)
    for s in event.sessions:
        hosts = ", ".join(event.person(h).name for h in s.hosts)
        table.add_row(escape(s.id), escape(s.title), escape(s.organisation), escape(hosts), escape(_settings(s, lang)))
    return table


def _settings(s: Session, lang: Lang) -> str:
    """Only what differs from the defaults, so the table stays narrow."""
    parts = []
    if s.capacity is not None:
        parts.append(T(f"max. {s.capacity}", f"max. {s.capacity}")(lang))
    if s.minimum:
        parts.append(T(f"mind. {s.minimum}", f"min. {s.minimum}")(lang))
    if s.duration > 1:
        parts.append(T(f"Dauer {s.duration}", f"duration {s.duration}")(lang))
    if s.runs > 1:
        parts.append(T(f"{s.runs} Durchläufe", f"{s.runs} runs")(lang))
    if s.fixed_slot:
        parts.append(T(f"Zeitfenster {s.fixed_slot}", f"slot {s.fixed_slot}")(lang))
    if s.fixed_room:
        parts.append(T(f"Raum {s.fixed_room}", f"room {s.fixed_room}")(lang))
    if s.not_in:
        parts.append(T("nicht in ", "not in ")(lang) + ", ".join(sorted(s.not_in)))
    if s.features:
        parts.append(T("braucht ", "needs ")(lang) + ", ".join(sorted(s.features)))
    return "; ".join(parts)


def _organisations_table(event: Event, lang: Lang) -> Table:
    headers = [
        T("Organisation", "Organisation"), T("Teilnehmende", "Participants"),
        T("davon Gastgeber*innen", "of them hosts"), T("nur Gastgeber*innen", "hosts only"),
    ]  # fmt: skip
    table = _table(T("Personen nach Organisation", "People by organisation"), headers, lang)
    participants, hosting, host_only = Counter[str](), Counter[str](), Counter[str]()
    for p in event.people:
        org = p.organisation or T("(ohne)", "(none)")(lang)
        if p.participant:
            participants[org] += 1
            hosting[org] += p.id in event.hosted_sessions
        else:
            host_only[org] += 1
    for org in sorted(participants.keys() | host_only.keys(), key=str.casefold):
        table.add_row(escape(org), str(participants[org]), str(hosting[org]), str(host_only[org]))
    table.add_row(
        T("Summe", "Total")(lang), str(participants.total()), str(hosting.total()), str(host_only.total()), style="bold"
    )
    return table


def seats(event: Event, session: Session) -> int | None:
    """Places over all runs: runs × min(session capacity, the largest room it may use); None is unlimited."""
    rooms = [r for r in event.rooms if session.features <= r.features]
    if session.fixed_room is not None:
        rooms = [event.room(session.fixed_room)]
    room_caps = [r.capacity for r in rooms]
    room_cap = None if not room_caps or None in room_caps else max(c for c in room_caps if c is not None)
    caps = [c for c in (session.capacity, room_cap) if c is not None]
    return session.runs * min(caps) if caps else None


def print_demand(event: Event, lang: Lang) -> None:
    """Per session: how many wish it at each rank, in total, and how many places it has."""
    ranks = range(1, event.rank_count + 1)
    table = Table(
        title=T("Nachfrage nach Sessions", "Demand per session")(lang),
        title_justify="left",
        title_style="bold",
        caption=T(
            f"1.–{event.rank_count}.: so oft an 1., 2., … Stelle gewünscht; rot: mehr Erstwünsche als Plätze.",
            f"1.–{event.rank_count}.: how often wished as 1st, 2nd, … choice; red: more 1st choices than places.",
        )(lang),
        caption_justify="left",
    )
    table.add_column("ID", no_wrap=True, min_width=3)
    table.add_column(T("Titel", "Title")(lang), ratio=1)
    for header in [*(f"{r}." for r in ranks), T("Gesamt", "Total")(lang), T("Plätze", "Places")(lang)]:
        table.add_column(header, justify="right", no_wrap=True, min_width=max(len(header), 3))
    wished = Counter((w.session, w.rank) for p in event.participants for w in p.wishes)
    for s in event.sessions:
        counts = [wished[(s.id, r)] for r in ranks]
        places = seats(event, s)
        cells = [str(c) for c in counts]
        if counts and places is not None and counts[0] > places:
            cells[0] = f"[red]{counts[0]}[/]"
        table.add_row(escape(s.id), escape(s.title), *cells, str(sum(counts)), _cap(places))
    console.print(table)
