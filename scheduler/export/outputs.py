"""Write any set of outputs for one plan from one shared view: what `scheduler export` and `plan -o` call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scheduler.domain import Event, Person
from scheduler.export.agenda_html import write_agendas_html
from scheduler.export.bbb import write_bbb
from scheduler.export.changes_table import ChangeSheet
from scheduler.export.describe import number
from scheduler.export.errors import event_date, event_zone
from scheduler.export.excel import write_plan_workbook
from scheduler.export.frab import write_frab
from scheduler.export.ics import CalendarUpdate, write_ics
from scheduler.export.teams import write_teams
from scheduler.export.zoom import write_zoom, zoom_limit_warnings
from scheduler.io.clash import Named, check_paths
from scheduler.io.folder import FolderWritten
from scheduler.plan import Plan
from scheduler.problems import Problem
from scheduler.text import Lang, Text
from scheduler.views import PersonAgenda, PlanView, build_view

WORKBOOK = Text("Plan-Arbeitsmappe", "plan workbook")
AGENDAS_HTML = Text("Agenden zum Drucken", "printable agendas")
CALENDARS = Text("Kalenderdateien", "calendar files")
ZOOM_LISTS = Text("Zoom-Zuteilungen", "Zoom pre-assignments")
SCHEDULE_JSON = Text("Programm (frab-JSON)", "schedule (frab JSON)")
BBB_GROUPS = Text("BigBlueButton-Gruppen", "BigBlueButton groups")
TEAMS_LISTS = Text("Raumlisten für Teams", "room lists for Teams")


@dataclass(frozen=True)
class Written:
    what: Text
    paths: tuple[Path, ...]
    directory: Path | None = None  # set when the output is a directory of files
    index: Path | None = None  # a file in the directory that says which file is whose
    foreign: tuple[str, ...] = ()  # directory only: files the program did not write, left untouched
    removed: tuple[str, ...] = ()  # directory only: the program's own files of an earlier export, removed


@dataclass
class Outputs:
    written: list[Written] = field(default_factory=list)
    without_email: list[Person] = field(default_factory=list)  # missing from the Zoom lists
    invalid_email: list[Person] = field(default_factory=list)  # left out of the Zoom lists: not an e-mail address
    advice: list[Text] = field(default_factory=list)  # what the organiser must know to use what was written
    warnings: list[Problem] = field(default_factory=list)  # e.g. a platform's limits exceeded


def zoom_advice(event: Event, first: Path) -> Text:
    """Zoom takes one pre-assignment set per meeting (its own help says so), so the per-slot lists need one of
    two set-ups; rooms with links of their own are separate meetings and need no list at all."""
    slots, slot = ", ".join(s.id for s in event.session_slots), event.session_slots[0].id
    return Text(
        "Zoom nimmt je Meeting nur eine Vorab-Zuteilung an. Daher entweder ein Zoom-Meeting je Zeitfenster "
        f"({slots}) mit seiner CSV-Datei ({first.name} für das Meeting von {slot} usw.): den Link jedes Meetings "
        'in die Spalte "Link" des Zeitfensters eintragen, die Räume ohne eigenen Link lassen. Oder ein einziges '
        "Meeting (Hauptraum-Link) ohne Vorab-Zuteilung, dessen Breakout-Räume wie in den CSV-Dateien heißen "
        "(Raum: Session-Titel): die Teilnehmenden wählen ihren Raum selbst, ihre Agenda nennt ihn. Räume mit "
        "eigenem Link sind eigene Meetings und brauchen keine CSV-Datei.",
        "Zoom takes only one pre-assignment per meeting. So either one Zoom meeting per session slot "
        f"({slots}) with its CSV file ({first.name} for the meeting of {slot} and so on): put each meeting's link "
        'into the slot\'s "Link" column and leave the rooms without links. Or one single meeting (main room link) '
        "without pre-assignment whose breakout rooms are named as in the CSV files (room: session title): "
        "participants choose their room themselves, their agenda names it. Rooms with links of their own are "
        "separate meetings and need no CSV file.",
    )


def named_outputs(
    xlsx: Path | None,
    html: Path | None,
    ics: Path | None,
    zoom: Path | None,
    json_schedule: Path | None,
    bbb: Path | None,
    teams: Path | None,
) -> list[Named | None]:
    """The outputs asked for, each named by its option, for the check that none overwrites an input."""
    return [
        Named("--xlsx", xlsx) if xlsx else None,
        Named("--html", html) if html else None,
        Named("--ics", ics, folder=True) if ics else None,
        Named("--zoom", zoom, folder=True) if zoom else None,
        Named("--json-schedule", json_schedule) if json_schedule else None,
        Named("--bbb", bbb, folder=True) if bbb else None,
        Named("--teams", teams) if teams else None,
    ]


def write_outputs(
    event: Event,
    plan: Plan,
    xlsx: Path | None = None,
    html: Path | None = None,
    ics: Path | None = None,
    zoom: Path | None = None,
    json_schedule: Path | None = None,
    lang: Lang = "de",
    *,
    inputs: Iterable[Path] = (),
    view: PlanView | None = None,
    agendas: Sequence[PersonAgenda] | None = None,
    bbb: Path | None = None,
    teams: Path | None = None,
    changes: ChangeSheet | None = None,
    calendar: CalendarUpdate | None = None,
) -> Outputs:
    """Write each requested output whole or not at all; never over an input file.

    Everything that can be checked before writing (an output path that is an input, a missing date or time
    zone for calendars) is checked first, so such a mistake writes nothing at all.
    """
    inputs = [Path(i) for i in inputs]
    check_paths(
        named_outputs(xlsx, html, ics, zoom, json_schedule, bbb, teams),
        [Named("", i) for i in inputs],
    )
    if ics is not None or json_schedule is not None:
        event_date(event)
        event_zone(event)
    view = view or build_view(event, plan)
    done = Outputs()
    if xlsx is not None:
        write_plan_workbook(view, xlsx, lang, inputs=inputs, changes=changes)
        done.written.append(Written(WORKBOOK, (xlsx,)))
    if html is not None:
        write_agendas_html(view, html, lang, agendas=agendas, inputs=inputs)
        done.written.append(Written(AGENDAS_HTML, (html,)))
    if ics is not None:
        folder = write_ics(view, ics, lang, agendas=agendas, inputs=inputs, update=calendar)
        *calendars, index = folder.files
        done.written.append(in_folder(CALENDARS, ics, replace(folder, files=calendars), index))
    if zoom is not None:
        zoom_files = write_zoom(view, zoom, inputs=inputs)
        done.written.append(in_folder(ZOOM_LISTS, zoom, zoom_files.folder))
        done.without_email = zoom_files.without_email
        done.invalid_email = zoom_files.invalid_email
        if zoom_files.files:
            done.advice.append(zoom_advice(event, zoom_files.files[0]))
        done.warnings += zoom_limit_warnings(view)
    if json_schedule is not None:
        write_frab(view, json_schedule, lang, inputs=inputs)
        done.written.append(Written(SCHEDULE_JSON, (json_schedule,)))
    if bbb is not None:
        bbb_files = write_bbb(view, bbb, inputs=inputs)
        done.written.append(Written(BBB_GROUPS, tuple(bbb_files.files), bbb))
        done.warnings += bbb_files.warnings
    if teams is not None:
        write_teams(view, teams, lang, inputs=inputs)
        done.written.append(Written(TEAMS_LISTS, (teams,)))
    return done


def in_folder(what: Text, directory: Path, folder: FolderWritten, index: Path | None = None) -> Written:
    """A folder output as reported: its files and what happened to the files of earlier exports."""
    return Written(what, tuple(folder.files), directory, index, tuple(folder.foreign), tuple(folder.removed))


def describe_written(item: Written, lang: Lang) -> str:
    """`Plan-Arbeitsmappe: plan.xlsx (12 KB)`, `Kalenderdateien: ics/ (8 Dateien, wer welche hat: index.csv, 9 KB)`."""
    size = sum(p.stat().st_size for p in (*item.paths, *([item.index] if item.index else [])))
    if item.directory is None:
        return f"{item.what(lang)}: {item.paths[0]} ({_size(size, lang)})"
    n = len(item.paths)
    files = Text(f"{n} Datei" if n == 1 else f"{n} Dateien", f"{n} file" if n == 1 else f"{n} files")(lang)
    if item.index is not None:
        files += Text(f", wer welche hat: {item.index.name}", f", who has which: {item.index.name}")(lang)
    return f"{item.what(lang)}: {item.directory}/ ({files}, {_size(size, lang)})"


def _size(n: int, lang: Lang) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{number(n / 1024**2, lang)} MB"


__all__ = ["Outputs", "Written", "describe_written", "in_folder", "write_outputs", "zoom_advice"]
