"""How the solve went, for `plan`: what ended the search and the soft terms of the networking mix, one line
each, and with `--verbose` the phases as one short table (what ran, the work it spent, what it improved)."""

from __future__ import annotations

from rich.table import Table

from scheduler.export.describe import number
from scheduler.plan import Objective, PhaseRecord
from scheduler.rules import SOFT_TERMS
from scheduler.text import Lang, Text

T = Text

PHASE_NAMES = {
    "greedy": T("Greedy-Zeitplan", "greedy timetable"),
    "swap search": T("Tauschsuche", "swap search"),
    "demand timetable": T("Zeitplan nach Nachfrage", "demand timetable"),
    "cp seats": T("Plätze mit CP-SAT", "seats by CP-SAT"),
    "slot bound": T("Zeitfensterschranke: Start", "slot bound: start"),
    "slot search": T("Zeitfenstersuche: Start", "slot search: start"),
    "joint model": T("Gesamtmodell", "joint model"),
    "fairness": T("Fairness", "fairness"),
    "satisfaction": T("Zufriedenheit", "satisfaction"),
    "slot search result": T("Zeitfenstersuche: Ergebnis", "slot search: result"),
    "mix": T("Vernetzung", "networking mix"),
    "seed": T("Startplan", "seed plan"),
    "exact seats": T("Genaue Plätze", "exact seats"),
    "neighbourhoods": T("Nachbarschaftssuche", "neighbourhood search"),
}

ENDED_BY = {  # scheduler.plan.ENDED_BY: what ended the search, and what it means for a rerun
    "proof": T(
        "Die Suche endete mit dem Beweis, dass kein Plan besser ist.",
        "The search ended with a proof that no plan is better.",
    ),
    "work": T(
        "Die Suche endete am Arbeitsbudget (--work): derselbe Plan bei jedem Lauf mit denselben Eingaben, "
        "Optionen und Startwert.",
        "The search ended at its work budget (--work): the same plan on every run with the same input, options "
        "and seed.",
    ),
    "time": T(
        "Die Suche endete am Zeitlimit (--time-limit), bevor das Arbeitsbudget verbraucht war: ein weiterer Lauf "
        "kann einen anderen Plan finden.",
        "The search ended at the time limit (--time-limit) before its work budget was used: another run may find "
        "another plan.",
    ),
    "moves": T(
        "Die Suche endete, weil sie nichts mehr zu versuchen fand (vor dem Arbeitsbudget).",
        "The search ended because it found nothing left to try (before its work budget).",
    ),
    "stop": T("Die Suche wurde mit Strg-C beendet.", "The search was stopped with Ctrl-C."),
}


def ended_line(ended_by: str, lang: Lang) -> str:
    """What ended the search, as one sentence."""
    return ENDED_BY[ended_by](lang) if ended_by in ENDED_BY else ended_by


def phases_table(phases: tuple[PhaseRecord, ...], lang: Lang, ended_by: str | None = None) -> Table:
    """One row per phase: name, work units spent, the best plan after it and its gain (fairer, more wishes);
    the caption also says what ended the search."""
    caption = T(
        "Arbeit in deterministischen Einheiten; Plan: meiste fehlende Wünsche einer Person / gewichtete Wünsche.",
        "Work in deterministic units; plan: largest shortfall / weighted wishes.",
    )(lang)
    table = Table(
        title=T("Phasen der Suche", "Phases of the search")(lang),
        title_justify="left",
        caption=caption if ended_by is None else f"{caption}\n{ended_line(ended_by, lang)}",
        caption_justify="left",
    )
    table.add_column(T("Phase", "Phase")(lang))
    table.add_column(T("Arbeit", "Work")(lang), justify="right")
    table.add_column(T("Plan", "Plan")(lang), justify="right")
    table.add_column(T("Gewinn", "Gain")(lang))
    for record in phases:
        name = PHASE_NAMES.get(record.name, T(record.name, record.name))(lang)
        if record.skipped:
            table.add_row(name, "–", "", T("ausgelassen", "skipped")(lang), style="dim")
            continue
        spent = T("abgebrochen", "cut short")(lang) if record.spent is None else number(record.spent, lang, 2)
        plan = "" if record.weighted is None else f"{record.max_shortfall} / {record.weighted}"
        table.add_row(name, spent, plan, _gain(record, lang))
    return table


def _gain(record: PhaseRecord, lang: Lang) -> str:
    if record.improvement is None:
        return T("erster Plan", "first plan")(lang) if record.weighted is not None else ""
    fairer, more = record.improvement
    parts = []
    if fairer:
        parts.append(T(f"{fairer:+d} fairer", f"{fairer:+d} fairer")(lang))
    if more:
        parts.append(T(f"{more:+d} Wünsche", f"{more:+d} wishes")(lang))
    return ", ".join(parts)


def terms_line(objective: Objective, lang: Lang) -> str:
    """The networking mix's soft terms with their values, named as in scheduler/rules.py."""
    names = {t.name: t.statement for t in SOFT_TERMS}
    parts = [f"{names[name](lang) if name in names else name} {value}" for name, value in objective.terms]
    return T("Vernetzung: ", "Networking: ")(lang) + "; ".join(parts) + "."
