"""Command: plan — solve the event with a live progress display, show the plan's tables, write the plan file."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.text import Text as Rich

from scheduler.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    LangOption,
    Language,
    app,
    console,
    err_console,
    fail,
    lang_of,
    print_problems,
)
from scheduler.cli.export_cmds import refuse_clashes, report_outputs, write_or_exit
from scheduler.cli.help_text import tr
from scheduler.cli.replan_cmd import Again, KeepTimetableOption, MaxChangesOption, PreviousOption
from scheduler.cli.solve_details import ended_line, phases_table, terms_line
from scheduler.cli.workbook_cmds import AnmeldungenOption, MappingOption
from scheduler.domain import Event
from scheduler.export import labels
from scheduler.export.describe import number, percent
from scheduler.io.clash import Named, OutputError
from scheduler.io.forms import load_event
from scheduler.plan import Plan
from scheduler.problems import InputError
from scheduler.text import Lang, Text

if TYPE_CHECKING:  # the solver is loaded when `plan` runs, so that the other commands start without CP-SAT
    from scheduler.model.solve import Progress, SolveOptions

T = Text
PHASE_NAMES = {
    "fairness": T("Fairness (meiste fehlende Wünsche einer Person)", "fairness (largest shortfall)"),
    "satisfaction": T("Zufriedenheit (gewichtete Wünsche)", "satisfaction (weighted wishes)"),
    "mix": T("Vernetzung (Mischung der Organisationen)", "networking (mix of organisations)"),
    "networking": T("Gruppen der Vernetzungsrunden", "groups of the networking rounds"),
    "moves": T("möglichst wenige Sessions verschieben", "fewest moved sessions"),
    "changes": T("möglichst wenige Agenden ändern", "fewest changed agendas"),
}
_T = TypeVar("_T")


@app.command(
    help=tr(
        "Sessions in Zeitfenster und Räume setzen und die Teilnehmenden in Sessions, zuerst fair, dann nach den "
        "besten Wünschen.\n\n"
        "Zeigt den Fortschritt des Solvers; Strg-C beendet die Suche und behält den besten Plan bis dahin. "
        "Exit-Code 0 mit Plan, 2 bei fehlerhafter Eingabe, 3 wenn kein Plan möglich ist (mit Begründung).",
        "Place sessions into slots and rooms and participants into sessions, fairest first, then best wishes.\n\n"
        "Shows the solver's progress live; Ctrl-C stops the search and keeps the best plan found so far. Exit code "
        "0 with a plan, 2 for bad input, 3 when no plan can exist (the reasons are shown).",
    ),
    epilog=tr(
        "Beispiel: scheduler plan examples/vernetzungstreffen.xlsx --json plan.json -o plan.xlsx",
        "Example: scheduler plan examples/vernetzungstreffen.xlsx --json plan.json -o plan.xlsx",
    ),
)
def plan(
    event_file: Annotated[
        Path,
        typer.Argument(
            metavar="EVENT.xlsx",
            help=tr("Die Veranstaltungsmappe, die geplant wird.", "The event workbook to plan."),
            show_default=False,
        ),
    ],
    json_file: Annotated[
        Path | None,
        typer.Option(
            "--json",
            metavar="PLAN.json",
            help=tr(
                "Die Plandatei hierhin schreiben (ohne: nur die Tabellen zeigen).",
                "Write the plan file here (default: tables only).",
            ),
        ),
    ] = None,
    xlsx_file: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            "-o",
            metavar="PLAN.xlsx",
            help=tr("Die Plan-Mappe (Excel) hierhin schreiben.", "Write the plan workbook (Excel) here."),
        ),
    ] = None,
    anmeldungen: AnmeldungenOption = None,
    mapping: MappingOption = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=1.0,
            metavar=tr("SEKUNDEN", "SECONDS"),
            show_default=False,
            help=tr(
                "So viele Sekunden darf der Solver höchstens rechnen (Uhrzeit), mindestens 1; Standard 60.",
                "Seconds the solver may use at most (wall clock), at least 1; default 60.",
            ),
        ),
    ] = 60.0,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            metavar=tr("ZAHL", "NUMBER"),
            help=tr(
                "Zufallsstartwert; gleiche Eingabe, Optionen und Startwert ergeben denselben Plan.",
                "Random seed; same input, options and seed give the same plan.",
            ),
        ),
    ] = 0,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            metavar=tr("ANZAHL", "COUNT"),
            help=tr(
                "Rechenstränge des Solvers, mindestens 1 (Standard 1: reproduzierbar, volle LP-Relaxierung).",
                "Solver workers, at least 1 (default 1: deterministic, full LP).",
            ),
        ),
    ] = None,
    work: Annotated[
        float | None,
        typer.Option(
            "--work",
            min=0.01,
            help=tr(
                "Rechenbudget in deterministischen Arbeitseinheiten (Standard: 0,6 je Sekunde des Zeitlimits); "
                "gleiches Budget, gleicher Plan auf jedem Rechner.",
                "Budget in deterministic work units (default: 0.6 per second of the time limit); the same budget "
                "gives the same plan on every machine.",
            ),
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help=tr(
                "Zeigt die Phasen der Suche: Arbeit, Ergebnis und Gewinn je Phase.",
                "Shows the phases of the search: work, result and gain of each phase.",
            ),
        ),
    ] = False,
    previous: PreviousOption = None,
    keep_timetable: KeepTimetableOption = False,
    max_changes: MaxChangesOption = None,
    lang: LangOption = Language.de,
) -> None:
    language = lang_of(lang)
    inputs = [
        Named("EVENT.xlsx", event_file),
        Named("--anmeldungen", anmeldungen) if anmeldungen else None,
        Named("--mapping", mapping) if mapping else None,
        Named("--previous", previous) if previous else None,
    ]
    outputs = [Named("--json", json_file) if json_file else None, Named("--xlsx", xlsx_file) if xlsx_file else None]
    refuse_clashes(outputs, inputs, language)
    try:
        event, warnings, columns = load_event(event_file, anmeldungen, mapping)
    except InputError as err:
        fail(err.problems, language, EXIT_BAD_INPUT)
    if columns is not None:
        warnings = [*warnings, *columns.unused_warnings()]
    print_problems(warnings, language)
    from scheduler.model.solve import SolveOptions

    options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, work=work)
    again = Again(previous, keep_timetable, max_changes, event, language)
    result, changes = (
        again.live(options, run_live) if previous is not None else (_solve_live(event, options, language), None)
    )
    _show(event, result, language)
    again.summary(changes)
    if verbose:
        console.print(phases_table(result.solver.phases, language, result.solver.ended_by))
    result = replace(result, warnings=(*warnings, *result.warnings))  # kept in the plan file and the workbook
    if json_file is not None:
        from scheduler.io.planfile import write_plan

        read = again.inputs([p for p in (event_file, anmeldungen, mapping) if p is not None])
        try:
            write_plan(json_file, event, result, inputs=read, changes=again.document(changes))
        except OutputError as err:
            _exit_not_written(err.message, language)
        console.print(escape(T(f"Plan geschrieben: {json_file}", f"Plan written: {json_file}")(language)))
    if xlsx_file is not None:
        from scheduler.export.outputs import write_outputs

        read = again.inputs([p for p in (event_file, anmeldungen, mapping) if p is not None])
        sheet = again.sheet(changes)
        done = write_or_exit(
            language,
            lambda: write_outputs(event, result, xlsx=xlsx_file, lang=language, inputs=read, changes=sheet),
        )
        report_outputs(done, language)


def _exit_not_written(reason: Text, lang: Lang) -> None:
    message = T(f"Nicht geschrieben: {reason('de')}", f"Not written: {reason('en')}")
    err_console.print(f"[red]{escape(message(lang))}[/]")
    raise typer.Exit(EXIT_BAD_INPUT)


def _solve_live(event: Event, options: SolveOptions, lang: Lang) -> Plan:
    """Solve with a live display; the first Ctrl-C only sets the stop event, so the best plan is kept."""
    from scheduler.networking.day import solve_day

    return run_live(lambda progress, stop: solve_day(event, options, on_progress=progress, stop=stop), options, lang)


def run_live(job: Callable[[Callable[[Progress], None], threading.Event], _T], options: SolveOptions, lang: Lang) -> _T:
    """Run a solving job with the live display and Ctrl-C handling of `plan`; exits 3 when no plan exists."""
    from scheduler.model.explain import Infeasible
    from scheduler.model.solve import NoPlanFound
    from scheduler.networking.groups import NoGroups

    stop = threading.Event()
    display = _ProgressDisplay(options.time_limit, lang)

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        stop.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if in_main else None
    try:
        with Live(display, console=err_console, refresh_per_second=4, transient=True):
            return _in_worker(lambda: job(display.update, stop))
    except Infeasible as err:
        _print_reasons(err.reasons, lang)
        raise typer.Exit(EXIT_INFEASIBLE) from None
    except NoGroups as err:
        _print_reasons(err.reasons, lang)
        raise typer.Exit(EXIT_INFEASIBLE) from None
    except NoPlanFound:
        err_console.print(f"[red]{escape(NoPlanFound.message(lang))}[/]")
        raise typer.Exit(EXIT_INFEASIBLE) from None
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


def _in_worker(work: Callable[[], _T]) -> _T:
    """Run `work` in a thread while the main thread waits in Python.

    Python calls signal handlers only on the main thread between bytecodes; blocked inside the solver's C++
    code it would not see Ctrl-C until the search ended.
    """
    outcome: list[_T | BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as err:  # handed to the main thread, raised there
            outcome.append(err)

    worker = threading.Thread(target=run, name="solve", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
    found = outcome[0]
    if isinstance(found, BaseException):
        raise found
    return found


def _print_reasons(reasons: list[Text], lang: Lang) -> None:
    err_console.print(f"[red]{escape(T('Kein Plan möglich.', 'No plan is possible.')(lang))}[/]")
    for reason in reasons:
        err_console.print(f"  • {escape(reason(lang))}")


def _show(event: Event, result: Plan, lang: Lang) -> None:
    """The plan's tables, the objective, and what the organiser should know about how it was found."""
    _print_tables(console, event, result, lang)
    o, info = result.objective, result.solver
    gap = percent((o.weighted_bound - o.weighted) / o.weighted_bound if o.weighted_bound else 0.0, lang, 1)
    seconds = number(info.seconds, lang)
    status = labels.status(info.status, lang)
    console.print(
        escape(
            T(
                f"Ergebnis: {status}. Meiste fehlende Wünsche einer Person: {o.max_shortfall}, "
                f"gewichtete Wünsche: {o.weighted} (höchstens erreichbar: {o.weighted_bound}, Abstand {gap}); "
                f"{seconds} s, Zufallsstartwert {info.seed}.",
                f"Result: {status}. Largest shortfall: {o.max_shortfall}, weighted wishes: {o.weighted} "
                f"(bound: {o.weighted_bound}, gap {gap}); {seconds} s, seed {info.seed}.",
            )(lang)
        )
    )
    if info.ended_by is not None and not info.interrupted:
        console.print(escape(ended_line(info.ended_by, lang)))
    if o.terms:
        console.print(escape(terms_line(o, lang)))
    if info.interrupted:
        console.print(
            "[yellow]"
            + escape(
                T(
                    "Abgebrochen (Strg-C): das ist der beste bis dahin gefundene Plan.",
                    "Interrupted (Ctrl-C): this is the best plan found until then.",
                )(lang)
            )
            + "[/]"
        )
    print_problems(list(result.warnings), lang)


def _print_tables(out: Console, event: Event, result: Plan, lang: Lang) -> None:
    from scheduler.export.terminal import print_plan_tables

    print_plan_tables(out, event, result, lang)


class _ProgressDisplay:
    """What the live display shows; updated from the solver's callbacks, rendered by rich's refresh thread."""

    def __init__(self, time_limit: float, lang: Lang) -> None:
        self.time_limit = time_limit
        self.lang = lang
        self.started = time.monotonic()
        self.last: Progress | None = None
        self.best_weighted: float | None = None
        self.bound: float | None = None

    def update(self, progress: Progress) -> None:
        self.last = progress
        if progress.phase == "satisfaction":
            self.best_weighted = progress.best
            self.bound = progress.bound

    def __rich__(self) -> Rich:
        lang = self.lang
        elapsed = time.monotonic() - self.started
        parts = [f"{number(elapsed, lang):>5} / {self.time_limit:.0f} s"]
        if self.last is not None:
            parts.append(T("Phase: ", "phase: ")(lang) + PHASE_NAMES[self.last.phase](lang))
        if self.best_weighted is not None:
            parts.append(T(f"bester Wert {self.best_weighted:.0f}", f"best {self.best_weighted:.0f}")(lang))
        if self.best_weighted is not None and self.bound:
            gap = percent((self.bound - self.best_weighted) / self.bound, lang, 1)
            parts.append(
                T(f"höchstens erreichbar {self.bound:.0f}, Abstand {gap}", f"bound {self.bound:.0f}, gap {gap}")(lang)
            )
        parts.append(T("Strg-C: abbrechen, besten Plan behalten", "Ctrl-C: stop, keep the best plan")(lang))
        return Rich(" · ".join(parts))
