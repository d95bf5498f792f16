"""The plan workbook: Übersicht, Sessions, Teilnehmende, Raumlisten, Statistik (with charts), Hinweise.

Every sheet renders the one `PlanView`, so the workbook agrees with the terminal, the agendas and the plan file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.changes import changes_document
from scheduler.export import describe, labels
from scheduler.export.changes_table import ChangeSheet, add_changes_sheet
from scheduler.export.excel_source import add_source
from scheduler.export.networking_sheet import add_networking_sheet
from scheduler.io.atomic import write_atomic
from scheduler.io.xlsx_cells import (
    BOLD,
    PLENARY_FILL,
    TOP_WRAP,
    Link,
    Percent,
    Value,
    fit_widths,
    header,
    put,
    table,
)
from scheduler.text import Lang, Text
from scheduler.views import PlanView, RunView


def write_plan_workbook(
    view: PlanView, path: Path, lang: Lang, *, inputs: Iterable[Path] = (), changes: ChangeSheet | None = None
) -> None:
    """Write the plan workbook whole or not at all, never over one of `inputs`; `changes` adds `Änderungen`."""
    book = plan_workbook(view, lang, changes)
    write_atomic(path, lambda tmp: book.save(tmp), inputs=inputs)


def plan_workbook(view: PlanView, lang: Lang, changes: ChangeSheet | None = None) -> Workbook:
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = labels.OVERVIEW(lang)
    _overview(overview, view, lang)
    _sessions(book.create_sheet(labels.SESSIONS(lang)), view, lang)
    _participants(book.create_sheet(labels.PARTICIPANTS(lang)), view, lang)
    _room_lists(book.create_sheet(labels.ROOM_LISTS(lang)), view, lang)
    add_networking_sheet(book, view, lang)
    _statistics(book.create_sheet(labels.STATISTICS(lang)), view, lang)
    _notes(book.create_sheet(labels.NOTES(lang)), view, lang)
    if changes is not None:
        add_changes_sheet(book, *changes, lang)
    header_text = _header_text(view, lang)
    for ws in book.worksheets:
        _print_setup(ws, header_text, lang, landscape=ws.title != labels.STATISTICS(lang), one_page=ws is overview)
    add_source(book, view, lang, changes_document(changes[0]) if changes is not None else None)
    return book


# -- Übersicht ---------------------------------------------------------------------------------------

GRID_WIDTH = 32  # characters per room column


def _overview(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    """The grid of the day, printable on one landscape page."""
    rooms = view.event.rooms
    header(ws, 1, [labels.SLOT(lang), labels.START(lang), labels.END(lang), *(r.name for r in rooms)])
    last = get_column_letter(3 + max(len(rooms), 1))
    for row, grid in enumerate(view.grid, start=2):
        slot: list[Value] = [grid.slot.id, grid.slot.start, grid.slot.end]
        for column, value in enumerate(slot, start=1):
            put(ws, row, column, value).alignment = Alignment(vertical="top")
        if grid.plenary or grid.networking:
            fallback = labels.PLENARY if grid.plenary else labels.NETWORKING
            cell = put(ws, row, 4, grid.slot.title or fallback(lang))
            cell.font, cell.fill = BOLD, PLENARY_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if len(rooms) > 1:
                ws.merge_cells(f"D{row}:{last}{row}")
            continue
        texts = [_grid_text(run) if run else "" for run in grid.cells]
        for column, text in enumerate(texts, start=4):
            put(ws, row, column, text).alignment = TOP_WRAP
        ws.row_dimensions[row].height = 13 * max((_wrapped_lines(t) for t in texts), default=1) + 4
    fit_widths(ws)
    for column in range(4, 4 + len(rooms)):
        ws.column_dimensions[get_column_letter(column)].width = GRID_WIDTH
    ws.freeze_panes = "D2"


MARGINS = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.6, header=0.3, footer=0.3)  # inches, as Excel
PAGE_OF = Text("Seite &P von &N", "Page &P of &N")


def _print_setup(ws: Worksheet, header_text: str, lang: Lang, *, landscape: bool, one_page: bool) -> None:
    """Every sheet prints one page wide on A4 (the grid on exactly one page), with the header row on every page,
    narrow margins, the event in the page header and page numbers in the footer."""
    if ws.max_row > 1:
        ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = MARGINS
    ws.print_options.gridLines = False
    if ws.oddHeader is not None:
        ws.oddHeader.center.text = header_text
    if ws.oddFooter is not None:
        ws.oddFooter.center.text = PAGE_OF(lang)


def _wrapped_lines(text: str) -> int:
    """About how many lines a grid cell needs once Excel wraps it, so the row is tall enough."""
    return sum(max(1, -(-len(line) // (GRID_WIDTH - 4))) for line in text.splitlines()) if text else 1


def _grid_text(run: RunView) -> str:
    hosts = describe.host_names(run)
    organisation = describe.host_organisations(run)
    who = f"{hosts} ({organisation})" if organisation else hosts
    return f"{run.key} {run.title}\n{who}\n{describe.fill_text(run)}"


def _header_text(view: PlanView, lang: Lang) -> str:
    """The print header: event name and date, with `&` doubled so Excel prints it as written."""
    text = f"{view.event.name} {labels.day(view.event.date, lang)}".strip()
    return text.replace("&", "&&")


# -- Sessions, Teilnehmende, Raumlisten --------------------------------------------------------------


def _sessions(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    names = [
        labels.ID(lang),
        labels.RUN(lang),
        labels.TITLE(lang),
        labels.ORGANISATION(lang),
        labels.HOSTS(lang),
        labels.SLOT(lang),
        labels.START(lang),
        labels.END(lang),
        labels.ROOM(lang),
        labels.LINK(lang),
        labels.ATTENDEES(lang),
        labels.CAPACITY(lang),
        labels.FILL_RATE(lang),
        *(labels.wish(r)(lang) for r in range(1, view.statistics.rank_count + 1)),
        labels.DESCRIPTION(lang),
    ]
    table(ws, names, (_session_row(run, lang) for run in view.runs))
    _wrap_columns(ws, {3: TITLE_WIDTH, 4: TITLE_WIDTH, 5: TITLE_WIDTH, len(names): DESCRIPTION_WIDTH})


def _session_row(run: RunView, lang: Lang) -> list[Value]:
    return [
        run.session.id,
        run.run,
        run.title,
        run.session.organisation,
        describe.host_names(run),
        ", ".join(s.id for s in run.slots),
        run.start,
        run.end,
        run.room.name,
        Link(run.room.link) if run.room.link else "",
        run.fill,
        run.capacity if run.capacity is not None else labels.UNLIMITED(lang),
        Percent(run.fill_rate),
        *run.wish_ranks,
        run.session.description,
    ]


DESCRIPTION_WIDTH = 50
TITLE_WIDTH = 28  # titles, organisations and hosts in Sessions wrap from here on
PRINTED_WIDTH = 30  # the widest column of Teilnehmende, so that its printed columns stay legible on one page
LINE_HEIGHT = 15  # points per line of text at the default font size
TOP = Alignment(vertical="top")


def _wrap_columns(ws: Worksheet, columns: dict[int, int]) -> None:
    """Columns of long text at most so many characters wide (column -> width), wrapped, each row as tall as
    its longest cell needs: spreadsheet programs do not grow rows by themselves for a file written by us."""
    for column, width in columns.items():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = min(ws.column_dimensions[letter].width or width, width)
    for number, row in enumerate(ws.iter_rows(min_row=2), start=2):
        lines = 1
        for cell in row:
            if not isinstance(cell.column, int) or cell.column not in columns:
                cell.alignment = TOP  # the other cells of a tall row start at its top too
                continue
            cell.alignment = TOP_WRAP
            if not isinstance(cell.value, str):
                continue
            width = int(ws.column_dimensions[get_column_letter(cell.column)].width or columns[cell.column])
            lines = max(lines, len(textwrap.wrap(cell.value, max(width - 2, 4), break_on_hyphens=False)))
        if lines > 1:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines


def _participants(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    """One row per person, ready for a mail merge: per session slot the session, and its room link.

    The link columns come last and are left out of the print, which shows who goes where on a legible page.
    """
    slots = view.event.session_slots
    names = [labels.NAME(lang), labels.EMAIL(lang), labels.ORGANISATION(lang)]
    names += [f"{s.id} {labels.SESSION(lang)}" for s in slots]
    names += [labels.GRANTED(lang), labels.SHORTFALL(lang)]
    names += [f"{s.id} {labels.LINK(lang)}" for s in slots]
    rows: list[list[Value]] = []
    for agenda in view.agendas:
        person = agenda.person
        blocks = [agenda.block_at(slot.id) for slot in slots]
        row: list[Value] = [person.name, person.email, person.organisation]
        row += [describe.block_heading(block, lang) if block else "" for block in blocks]
        row += [describe.granted_ranks(agenda), agenda.shortfall]
        links = [block.run.room.link if block is not None and block.run is not None else "" for block in blocks]
        row += [Link(link) if link else "" for link in links]
        rows.append(row)
    table(ws, names, rows)
    printed = len(names) - len(slots)
    _wrap_columns(ws, dict.fromkeys(range(1, printed + 1), PRINTED_WIDTH))
    ws.print_area = f"A1:{get_column_letter(printed)}{max(len(rows) + 1, 2)}"


def _room_lists(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    """Per run the people the hosts will meet, one row each, so a filter on the ID gives one list."""
    names = [
        labels.ID(lang),
        labels.TITLE(lang),
        labels.SLOT(lang),
        labels.START(lang),
        labels.ROOM(lang),
        labels.HOSTS(lang),
        labels.NAME(lang),
        labels.ORGANISATION(lang),
        labels.EMAIL(lang),
    ]
    rows: list[list[Value]] = [
        [
            run.key,
            run.title,
            ", ".join(s.id for s in run.slots),
            run.start,
            run.room.name,
            describe.host_names(run),
            person.name,
            person.organisation,
            person.email,
        ]
        for run in view.runs
        for person in run.attendees
    ]
    table(ws, names, rows)


# -- Statistik, Hinweise -----------------------------------------------------------------------------


def _statistics(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    """Small titled tables one under another; native bar charts beside them for ranks and shortfall."""
    row = 1
    titles = []
    for block in _statistics_blocks(view, lang):
        titles.append(row)
        header_row, next_row = _block(ws, row, block.title, block.names, block.rows)
        if block.chart is not None:
            column, anchor = block.chart
            _chart(ws, block.title, header_row, len(block.rows), data_column=column, anchor=anchor)
        row = next_row
    fit_widths(ws, skip_rows=titles)
    _wrap_columns(ws, {4: DESCRIPTION_WIDTH})  # the organisations per run


@dataclass(frozen=True)
class _Block:
    title: str
    names: list[str]
    rows: list[Sequence[Value]]
    chart: tuple[int, str] | None = None  # (column charted, anchor cell)


def _statistics_blocks(view: PlanView, lang: Lang) -> list[_Block]:
    stats = view.statistics
    pairs = zip(stats.wished_by_rank, stats.granted_by_rank, strict=True)
    ranks: list[Sequence[Value]] = [
        [r, wished, granted, Percent(granted / wished if wished else None)]
        for r, (wished, granted) in enumerate(pairs, start=1)
    ]
    mix: list[Sequence[Value]] = [
        [
            run.key,
            run.title,
            describe.fill_text(run),
            describe.organisation_mix(run, lang),
            Percent(run.largest_share if run.fill else None),
        ]
        for run in view.runs
    ]
    return [
        _Block(
            labels.WISHES_BY_RANK(lang),
            [labels.RANK(lang), labels.WISHED(lang), labels.GRANTED_COUNT(lang), labels.SHARE(lang)],
            ranks,
            (3, "H1"),
        ),
        _Block(
            labels.GRANTED_PER_PERSON(lang),
            [labels.WISHES(lang), labels.PEOPLE(lang)],
            [list(pair) for pair in stats.granted_counts],
        ),
        _Block(
            labels.SHORTFALL_DISTRIBUTION(lang),
            [labels.SHORTFALL(lang), labels.PEOPLE(lang)],
            [list(pair) for pair in stats.shortfalls],
            (2, "H18"),
        ),
        _Block(labels.SOLVER(lang), [labels.FIGURE(lang), labels.VALUE(lang)], _solver_rows(view, lang)),
        _Block(
            labels.ORGANISATIONS_PER_RUN(lang),
            [
                labels.ID(lang),
                labels.TITLE(lang),
                labels.FILL(lang),
                labels.ORGANISATIONS(lang),
                labels.LARGEST_SHARE(lang),
            ],
            mix,
        ),
    ]


def _block(
    ws: Worksheet, row: int, title: str, names: Sequence[str], rows: Sequence[Sequence[Value]]
) -> tuple[int, int]:
    """A titled table at `row`; returns the row of its header and the first free row after a gap."""
    put(ws, row, 1, title).font = BOLD
    header(ws, row + 1, names)
    for i, values in enumerate(rows, start=row + 2):
        for column, value in enumerate(values, start=1):
            put(ws, i, column, value)
    return row + 1, row + 2 + len(rows) + 1


def _chart(ws: Worksheet, title: str, header_row: int, rows: int, *, data_column: int, anchor: str) -> None:
    """A native bar chart of one column of a block, by its first column."""
    chart = BarChart()
    chart.title = title
    chart.legend = None
    chart.height, chart.width = 7, 14
    data = Reference(ws, min_col=data_column, min_row=header_row, max_row=header_row + rows)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + rows)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    ws.add_chart(chart, anchor)


def _solver_rows(view: PlanView, lang: Lang) -> list[Sequence[Value]]:
    solver, objective, stats = view.plan.solver, view.plan.objective, view.statistics
    gap = (objective.weighted_bound - objective.weighted) / objective.weighted_bound if objective.weighted_bound else 0
    ended = [] if solver.ended_by is None else [[labels.ENDED_BY(lang), labels.ended_by(solver.ended_by, lang)]]
    return [
        [labels.STATUS(lang), labels.status(solver.status, lang)],
        [labels.SECONDS(lang), round(solver.seconds, 1)],
        [labels.SEED(lang), solver.seed],
        [labels.TIME_LIMIT(lang), solver.time_limit],
        [labels.INTERRUPTED(lang), (labels.YES if solver.interrupted else labels.NO)(lang)],
        *ended,
        [labels.PARTICIPANT_COUNT(lang), stats.participants],
        [labels.MAX_SHORTFALL(lang), stats.max_shortfall],
        [labels.WEIGHTED(lang), stats.weighted],
        [labels.BOUND(lang), objective.weighted_bound],
        [labels.GAP(lang), Percent(gap)],
        [labels.VIOLATIONS(lang), stats.violations],
    ]


def _notes(ws: Worksheet, view: PlanView, lang: Lang) -> None:
    names = [
        labels.KIND(lang),
        labels.FILE(lang),
        labels.SHEET(lang),
        labels.ROW(lang),
        labels.COLUMN(lang),
        labels.MESSAGE(lang),
        labels.HINT(lang),
    ]
    table(ws, names, _note_rows(view, lang))
    _wrap_columns(ws, {6: DESCRIPTION_WIDTH, 7: DESCRIPTION_WIDTH})
    if not view.warnings:
        put(ws, 2, 1, labels.NO_NOTES(lang))


def _note_rows(view: PlanView, lang: Lang) -> Iterator[list[Value]]:
    for p in view.warnings:
        kind = labels.WARNING if p.severity == "warning" else labels.ERROR
        hint = p.hint(lang) if p.hint is not None else ""
        yield [kind(lang), p.file, p.sheet, p.row, p.column, p.message(lang), hint]
