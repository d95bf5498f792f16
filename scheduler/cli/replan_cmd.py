"""Re-planning from the plan that was sent out (`plan --previous`), `scheduler diff`, and `export --changed-since`.

`Again` carries what `plan --previous` adds to `plan`: the previous plan, the live re-plan, the summary
(`12 von 136 Agenden ändern sich, 0 Sessions verschoben`), the plan file's `changes` and the `Änderungen` sheet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.changes import Changes, changes_document, compare, foreign
from scheduler.cli.app import EXIT_BAD_INPUT, LangOption, Language, app, console, err_console, lang_of
from scheduler.cli.export_cmds import exit_with, load_source, write_or_exit
from scheduler.cli.help_text import tr
from scheduler.domain import Event
from scheduler.export.changes_table import HEADERS, ChangeSheet, change_rows, write_changes_workbook
from scheduler.export.ics import CalendarUpdate
from scheduler.export.outputs import Outputs, Written
from scheduler.plan import HandEdits, Plan
from scheduler.text import Lang, Text
from scheduler.views import PersonAgenda, build_view

if TYPE_CHECKING:  # the solver is loaded when a re-plan runs, so that other commands start without CP-SAT
    from scheduler.model.replan import Replanned
    from scheduler.model.runner import Progress, SolveOptions

_T = TypeVar("_T")
GROUP_SHARE = 0.1  # of the time limit, for the networking groups after a re-plan (events with networking rounds)
Live = Callable[[Callable[[Callable[["Progress"], None], threading.Event], _T], "SolveOptions", Lang], _T]

PreviousOption = Annotated[
    Path | None,
    typer.Option(
        "--previous",
        metavar="PLAN.json|PLAN.xlsx",
        help=tr(
            "Neu planen ab dem verschickten Plan (Plandatei oder Planmappe; was in der Planmappe von Hand geändert "
            "wurde, bleibt fest): möglichst wenige Sessions verschieben, möglichst wenige Agenden ändern, dann "
            "Fairness und Wünsche.",
            "Re-plan from the plan that was sent out (plan file or plan workbook; what was changed by hand in the "
            "workbook stays fixed): fewest moved sessions, fewest changed agendas, then fairness and wishes.",
        ),
    ),
]
KeepTimetableOption = Annotated[
    bool,
    typer.Option(
        "--keep-timetable",
        help=tr(
            "Mit --previous: keine Session verschieben (nur solche, die nicht bleiben können).",
            "With --previous: move no session (only those that cannot stay).",
        ),
    ),
]
MaxChangesOption = Annotated[
    int | None,
    typer.Option(
        "--max-changes",
        min=0,
        metavar="N",
        help=tr(
            "Mit --previous: bis zu N Agenden dürfen sich ändern, wenn Fairness oder Wünsche dadurch besser werden.",
            "With --previous: up to N agendas may change when that improves fairness or wishes.",
        ),
    ),
]


class Again:
    """What `plan --previous` adds to `plan`; with no previous plan every method does nothing."""

    def __init__(
        self, previous: Path | None, keep_timetable: bool, max_changes: int | None, event: Event, lang: Lang
    ) -> None:
        self.previous, self.event, self.lang = previous, event, lang
        self.options = (keep_timetable, max_changes)
        self.old: tuple[Event, Plan] | None = None
        self.edits = HandEdits()  # hand edits of a plan workbook given as --previous
        if previous is None:
            if keep_timetable or max_changes is not None:
                exit_with(
                    Text(
                        "--keep-timetable und --max-changes gelten nur mit --previous (dem verschickten Plan).",
                        "--keep-timetable and --max-changes only apply with --previous (the plan sent out).",
                    ),
                    lang,
                )
            return
        source = load_source(previous, lang)
        old_event, old_plan = source.event, source.written  # the plan sent out; the organiser's edits are pins
        self.edits = source.edits
        reason = foreign(old_event, event)
        if reason is not None:
            err_console.print(
                f"[red]{'Error' if lang == 'en' else 'Fehler'}:[/] {escape(f'{previous}: ' + reason(lang))}"
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        self.old = (old_event, old_plan)
        self.revision = source.revision + 1

    def live(self, solve: SolveOptions, run_live: Live[Replanned]) -> tuple[Plan, Changes]:
        from scheduler.model.replan import ReplanOptions, replan
        from scheduler.networking.groups import with_groups
        from scheduler.networking.keep import kept_groups

        assert self.old is not None
        old_event, old_plan = self.old
        keep, most = self.options
        rounds = bool(self.event.networking_slots)  # then the groups get GROUP_SHARE of the time limit after
        sessions = replace(solve, time_limit=solve.time_limit * (1 - GROUP_SHARE)) if rounds else solve
        options = ReplanOptions(sessions, keep_timetable=keep, max_changes=most)

        def job(progress: Callable[[Progress], None], stop: threading.Event) -> Replanned:
            done = replan(self.event, old_event, old_plan, options, self.edits, progress, stop, revision=self.revision)
            plan = done.plan
            if rounds:  # the groups sent out are kept where they can stay, else made anew
                kept = kept_groups(self.event, plan, old_plan.networking)
                seconds = GROUP_SHARE * solve.time_limit
                plan = (
                    replace(plan, networking=kept)
                    if kept is not None
                    else with_groups(self.event, plan, seconds, solve.seed, stop)
                )
            changes = compare(
                old_event, old_plan, self.event, plan, self.edits, revision=self.revision, traded=done.traded
            )
            return replace(done, plan=plan, changes=changes)

        done = run_live(job, solve, self.lang)
        return done.plan, done.changes

    def summary(self, changes: Changes | None) -> None:
        if changes is not None:
            console.print(escape(changes.summary(self.lang)))

    def inputs(self, paths: list[Path]) -> list[Path]:
        return paths if self.previous is None else [*paths, self.previous]

    def document(self, changes: Changes | None) -> dict[str, Any] | None:
        return changes_document(changes) if changes is not None else None

    def sheet(self, changes: Changes | None) -> ChangeSheet | None:
        return (changes, self.old[0], self.event) if changes is not None and self.old is not None else None


@app.command(
    help=tr(
        "Was sich zwischen zwei Plänen geändert hat: verschobene Sessions, geänderte Agenden, neu, entfallen, "
        "jeweils mit Grund.",
        "What changed between two plans: moved sessions, changed agendas, added, removed, each with its reason.",
    ),
    epilog=tr(
        "Beispiel:  scheduler diff plan.json neu.json --xlsx aenderungen.xlsx",
        "Example:  scheduler diff plan.json neu.json --xlsx changes.xlsx",
    ),
)
def diff(
    old_file: Annotated[
        Path, typer.Argument(metavar=tr("ALT.json", "OLD.json"), help=tr("Der frühere Plan.", "The earlier plan."))
    ],
    new_file: Annotated[
        Path, typer.Argument(metavar=tr("NEU.json", "NEW.json"), help=tr("Der neue Plan.", "The new plan."))
    ],
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            metavar=tr("AENDERUNGEN.xlsx", "CHANGES.xlsx"),
            help=tr("Die Änderungen als Arbeitsmappe (.xlsx).", "The changes as a workbook (.xlsx)."),
        ),
    ] = None,
    lang: LangOption = Language.de,
) -> None:
    """The changes between two plans (see scheduler.changes), as a terminal table and optionally a workbook."""
    language = lang_of(lang)
    old, new = load_source(old_file, language), load_source(new_file, language)
    old_event, old_plan, new_event, new_plan = old.event, old.plan, new.event, new.plan
    changes = compare(old_event, old_plan, new_event, new_plan, revision=new.revision)
    table = Table(title=Text("Änderungen", "Changes")(language))
    for h in HEADERS:
        table.add_column(h(language))
    for row in change_rows(changes, old_event, new_event, language):
        table.add_row(*(escape(cell) for cell in row))
    console.print(table)
    console.print(escape(changes.summary(language)))
    if xlsx is not None:
        sheet = (changes, old_event, new_event)
        write_or_exit(language, lambda: _workbook(xlsx, sheet, language, [old_file, new_file]))
        console.print(f"[green]✓[/] {escape(Text('Geschrieben', 'Written')(language))}: {escape(str(xlsx))}")


def _workbook(path: Path, sheet: ChangeSheet, lang: Lang, inputs: list[Path]) -> Outputs:
    write_changes_workbook(path, sheet, lang, inputs=inputs)
    return Outputs([Written(Text("Änderungen", "changes"), (path,))])


class ChangedSince:
    """`export --changed-since ALT.json`: agendas and calendars only for the affected, cancellations included."""

    def __init__(self, since: Path, plan_file: Path, event: Event, plan: Plan, lang: Lang) -> None:
        old = load_source(since, lang)
        old_event, old_plan = old.event, old.plan
        self.changes = compare(old_event, old_plan, event, plan)
        self.old_event = old_event
        view = build_view(event, plan)
        previous = build_view(old_event, old_plan)
        self.view = view
        self.agendas: list[PersonAgenda] = [view.agenda(p) for p in self.changes.affected(event)]
        gone = tuple(previous.agenda(i.id) for i in self.changes.removed if i.kind == "person")
        sequence = max(load_source(plan_file, lang).revision, old.revision + 1)
        self.calendar = CalendarUpdate(sequence, previous, gone)
        self.sheet: ChangeSheet = (self.changes, old_event, event)

    def report(self, lang: Lang) -> None:
        names = ", ".join(a.person.name for a in self.agendas) or "—"
        gone = ", ".join(a.person.name for a in self.calendar.gone)
        console.print(
            escape(
                Text(
                    f"Betroffen ({len(self.agendas)}): {names}",
                    f"Affected ({len(self.agendas)}): {names}",
                )(lang)
            )
        )
        if gone:
            console.print(
                escape(Text(f"Abgesagt (Kalender storniert): {gone}", f"Cancelled (calendars cancelled): {gone}")(lang))
            )


def calendar_sequence(plan_file: Path, lang: Lang) -> CalendarUpdate | None:
    """A re-planned plan's calendars carry its revision as SEQUENCE, so they replace the entries sent before."""
    revision = load_source(plan_file, lang).revision
    return CalendarUpdate(revision) if revision > 0 else None
