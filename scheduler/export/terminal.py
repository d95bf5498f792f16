"""Terminal output with rich: the plan's tables after `scheduler plan`, and personal agendas as panels.

Every cell is built as rich `Text`, never as markup, so a name like `[bold]` from the input stays literal.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as Rich

from scheduler.domain import Event
from scheduler.export import describe, labels
from scheduler.networking.measure import NetworkingFigures
from scheduler.plan import Plan
from scheduler.text import Lang
from scheduler.views import GridRow, PersonAgenda, PlanView, RunView, build_view

WIDE = 110  # terminal columns from which the organisations table shows the titles too


def print_plan_tables(console: Console, event: Event, plan: Plan, lang: Lang) -> None:
    """The grid, wishes granted by rank and per person, the shortfall distribution, organisations per run."""
    print_view_tables(console, build_view(event, plan), lang)


def print_view_tables(console: Console, view: PlanView, lang: Lang) -> None:
    for table in (
        grid_table(view, lang, console.width),
        *statistics_tables(view, lang),
        organisations_table(view, lang, console.width),
        *networking_tables(view, lang),
    ):
        console.print(table)


def grid_table(view: PlanView, lang: Lang, width: int = WIDE) -> Table:
    """Slots down, rooms across; in a narrow terminal the times take two lines and long words fold, so every
    title is shown whole (wrapped), never cut off."""
    table = Table(title=labels.GRID(lang), box=box.SIMPLE_HEAVY, show_lines=True, pad_edge=False)
    table.add_column(labels.TIME(lang), no_wrap=True)
    for room in view.event.rooms:
        table.add_column(Rich(room.name), overflow="fold")
    narrow = width < WIDE
    for row in view.grid:
        start, end = labels.clock(row.slot.start), labels.clock(row.slot.end)
        time = f"{start}–\n{end}" if narrow else f"{start}–{end}"
        table.add_row(Rich(time), *_grid_cells(row, len(view.event.rooms), lang))
    links = {row.link: row.slot.title or labels.PLENARY(lang) for row in view.grid if row.plenary and row.link}
    if links:
        where = [link if len(links) == 1 else f"{title}: {link}" for link, title in links.items()]
        table.caption = Rich(f"{labels.PLENARY(lang)}: {'; '.join(where)}")
    return table


def _grid_cells(row: GridRow, rooms: int, lang: Lang) -> list[Rich]:
    if row.plenary:
        title = Rich(row.slot.title or labels.PLENARY(lang), style="bold")
        return [title] + [Rich("")] * (rooms - 1)
    if row.networking:
        title = Rich(row.slot.title or labels.NETWORKING(lang), style="bold")
        return [title] + [Rich("")] * (rooms - 1)
    cells = []
    for run in row.cells:
        if run is None:
            cells.append(Rich("–", style="dim"))
            continue
        cell = Rich(f"{run.key} ", style="dim")
        cell.append(run.title, style="bold")
        cell.append(f"\n{describe.host_organisations(run)}\n")
        cell.append(describe.fill_text(run), style="cyan")
        cells.append(cell)
    return cells


def statistics_tables(view: PlanView, lang: Lang) -> list[Table]:
    stats = view.statistics
    by_rank = Table(title=labels.WISHES_BY_RANK(lang), box=box.SIMPLE)
    for header in (labels.RANK, labels.WISHED, labels.GRANTED_COUNT, labels.SHARE):
        by_rank.add_column(header(lang), justify="right")
    for rank, (wished, granted) in enumerate(zip(stats.wished_by_rank, stats.granted_by_rank, strict=True), 1):
        by_rank.add_row(
            str(rank), str(wished), str(granted), describe.percent(granted / wished if wished else None, lang)
        )
    per_person = _count_table(labels.GRANTED_PER_PERSON, labels.WISHES, stats.granted_counts, lang)
    shortfall = _count_table(labels.SHORTFALL_DISTRIBUTION, labels.SHORTFALL, stats.shortfalls, lang)
    return [by_rank, per_person, shortfall]


def _count_table(title: labels.Text, what: labels.Text, counts: tuple[tuple[int, int], ...], lang: Lang) -> Table:
    table = Table(title=title(lang), box=box.SIMPLE)
    table.add_column(what(lang), justify="right")
    table.add_column(labels.PEOPLE(lang), justify="right")
    for value, people in counts:
        table.add_row(str(value), str(people))
    return table


def organisations_table(view: PlanView, lang: Lang, width: int) -> Table:
    """Who meets whom per run; the titles only where the terminal is wide enough (the grid above has them)."""
    titles = width >= WIDE
    table = Table(title=labels.ORGANISATIONS_PER_RUN(lang), box=box.SIMPLE)
    table.add_column(labels.ID(lang), no_wrap=True)
    if titles:
        table.add_column(labels.TITLE(lang), max_width=28, no_wrap=True, overflow="ellipsis")
    for header in (labels.SLOT, labels.FILL):
        table.add_column(header(lang), no_wrap=True)
    table.add_column(labels.ORGANISATIONS(lang), ratio=1)  # the names matter most: they get the room
    table.add_column(labels.LARGEST_SHARE(lang), justify="right")
    for run in view.runs:
        cells = [run.key, *([run.title] if titles else []), ", ".join(s.id for s in run.slots), describe.fill_text(run)]
        cells += [
            describe.organisation_mix(run, lang, most=3),
            describe.percent(run.largest_share if run.fill else None, lang),
        ]
        table.add_row(*(Rich(cell) for cell in cells))
    return table


def networking_tables(view: PlanView, lang: Lang) -> list[Table]:
    """The networking table of the plan, or nothing for an event without networking slots."""
    return [] if view.networking_figures is None else [networking_table(view.networking_figures, lang)]


def networking_table(figures: NetworkingFigures, lang: Lang) -> Table:
    """Per networking round (a column each, so that it fits 80 columns): people, groups and sizes,
    same-organisation pairs against the lower bound, shared-run pairs, moderated groups; the repeated pairs of
    the day in the title."""
    title = (
        f"{labels.NETWORKING_ROUNDS(lang)} ({labels.PAIRS_PER_ROUND(lang)}) · {labels.REPEATS(lang)}: {figures.repeats}"
    )
    table = Table(title=title, box=box.SIMPLE, title_justify="left", min_width=min(len(title), 78))
    table.add_column(labels.SLOT(lang))
    for r in figures.rounds:
        table.add_column(r.slot, justify="right")
    rows = (
        (labels.PEOPLE, [str(r.people) for r in figures.rounds]),
        (labels.GROUPS, [str(len(r.sizes)) for r in figures.rounds]),
        (labels.GROUP_SIZES, [", ".join(str(n) for n in sorted(set(r.sizes))) or "–" for r in figures.rounds]),
        (labels.SAME_ORGANISATION, [str(r.same_organisation) for r in figures.rounds]),
        (labels.LOWER_BOUND, [str(r.bound) for r in figures.rounds]),
        (labels.SHARED_RUN, [str(r.shared_run) for r in figures.rounds]),
        (labels.MODERATED, [f"{r.moderated_groups}/{len(r.sizes)}" for r in figures.rounds]),
    )
    for label, cells in rows:
        table.add_row(label(lang), *(Rich(c) for c in cells))
    return table


def print_agenda(console: Console, agenda: PersonAgenda, lang: Lang, contact: str = "") -> None:
    """One person's day as a panel: times, plenary blocks, sessions with hosts, room and link, wish fulfilled;
    for hosts who is coming; the organiser's contact at the foot."""
    table = Table(box=box.SIMPLE, show_header=False, expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=3)
    table.add_column(ratio=2, overflow="fold")
    for block in agenda.blocks:
        what = Rich(describe.block_heading(block, lang), style="bold" if block.run else "")
        where = Rich("")
        if block.kind == "session" and block.run is not None:
            what.append(f"\n{describe.host_names(block.run)}", style="dim")
        if block.kind == "hosting" and block.run is not None:
            what.append(f"\n{describe.fill_text(block.run)} {labels.ATTENDEES(lang)}", style="dim")
        if block.run is not None:
            where = Rich(block.run.room.name)
        elif block.kind == "plenary" and block.link:
            where = Rich(labels.MAIN_ROOM(lang))
        if block.link:
            where.append(f"\n{block.link}", style="cyan")
        if block.kind == "session":
            what.append(f"\n{labels.wish_fulfilled(block.wish_rank)(lang)}", style="green")
        if block.group is not None:
            members = describe.group_members(block.group, lang, without=agenda.person)
            what.append(f"\n{labels.WITH(lang)}:\n" + "\n".join(members), style="dim")
            where = Rich(labels.group_room(block.group.number)(lang))
            if block.link:
                where.append(f"\n{block.link}", style="cyan")
        table.add_row(Rich(labels.span(block.start, block.end)), what, where)
    parts: list[Table | Rich] = [table]
    parts += [_coming(run, lang) for run in agenda.hosting]
    if contact:
        parts.append(Rich(f"{labels.CONTACT(lang)}: {contact}", style="dim"))
    person = agenda.person
    title = Rich(person.name, style="bold")
    if person.organisation:
        title.append(f" · {person.organisation}")
    summary = describe.granted_summary(agenda, lang)
    console.print(Panel(Group(*parts), title=title, title_align="left", subtitle=Rich(summary) if summary else None))


def _coming(run: RunView, lang: Lang) -> Rich:
    """The host's list of who is coming to one run, one person a line."""
    when = labels.span(run.start, run.end)
    text = Rich()
    text.append(f"{labels.WHO_IS_COMING(lang)}: {run.title}, {when} ({labels.people(run.fill)(lang)})", style="bold")
    for entry in describe.attendee_entries(run):
        text.append(f"\n  {entry}")
    return text
