"""Write any set of outputs for one plan from one shared view: what `scheduler export` and `plan -o` call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.domain import Event, Person
from scheduler.export.agenda_html import write_agendas_html
from scheduler.export.bbb import write_bbb
from scheduler.export.describe import number
from scheduler.export.errors import ExportError, event_date, event_zone
from scheduler.export.excel import write_workbook
from scheduler.export.frab import write_frab
from scheduler.export.ics import write_ics
from scheduler.export.teams import write_teams
from scheduler.export.zoom import write_zoom, zoom_limit_warnings
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


@dataclass
class Outputs:
    written: list[Written] = field(default_factory=list)
    without_email: list[Person] = field(default_factory=list)  # missing from the Zoom lists
    warnings: list[Problem] = field(default_factory=list)  # e.g. a platform's limits exceeded


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
) -> Outputs:
    """Write each requested output whole or not at all; never over an input file.

    Everything that can be checked before writing (an output path that is an input, a missing date or time
    zone for calendars) is checked first, so such a mistake writes nothing at all.
    """
    inputs = [Path(i) for i in inputs]
    _refuse_inputs([p for p in (xlsx, html, json_schedule, teams) if p is not None], inputs)
    if ics is not None or json_schedule is not None:
        event_date(event)
        event_zone(event)
    view = view or build_view(event, plan)
    done = Outputs()
    if xlsx is not None:
        write_workbook(view, xlsx, lang, inputs=inputs)
        done.written.append(Written(WORKBOOK, (xlsx,)))
    if html is not None:
        write_agendas_html(view, html, lang, agendas=agendas, inputs=inputs)
        done.written.append(Written(AGENDAS_HTML, (html,)))
    if ics is not None:
        files = write_ics(view, ics, lang, agendas=agendas, inputs=inputs)
        done.written.append(Written(CALENDARS, tuple(files), ics))
    if zoom is not None:
        zoom_files = write_zoom(view, zoom, inputs=inputs)
        done.written.append(Written(ZOOM_LISTS, tuple(zoom_files.files), zoom))
        done.without_email = zoom_files.without_email
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


def _refuse_inputs(outputs: list[Path], inputs: list[Path]) -> None:
    for out in outputs:
        if any(out.resolve() == i.resolve() for i in inputs):
            raise ExportError(
                Text(
                    f"{out} ist eine Eingabedatei und wird nie überschrieben; bitte einen anderen Namen wählen.",
                    f"{out} is an input file and is never overwritten; please choose another name.",
                )
            )


def describe_written(item: Written, lang: Lang) -> str:
    """`Plan-Arbeitsmappe: plan.xlsx (12 KB)` or `Kalenderdateien: ics/ (8 Dateien, 9 KB)`."""
    size = sum(p.stat().st_size for p in item.paths)
    if item.directory is None:
        return f"{item.what(lang)}: {item.paths[0]} ({_size(size, lang)})"
    n = len(item.paths)
    files = Text(f"{n} Datei" if n == 1 else f"{n} Dateien", f"{n} file" if n == 1 else f"{n} files")(lang)
    return f"{item.what(lang)}: {item.directory}/ ({files}, {_size(size, lang)})"


def _size(n: int, lang: Lang) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{number(n / 1024**2, lang)} MB"


__all__ = ["Outputs", "Written", "describe_written", "write_outputs"]
