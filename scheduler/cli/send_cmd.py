"""Command: send (the agenda e-mails: first as .eml files to look at, then through the mail server, never twice)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from scheduler.changes import compare
from scheduler.cli.app import LangOption, Language, app, console, err_console, fail, lang_of
from scheduler.cli.help_text import tr
from scheduler.cli.send_report import EXIT_NOT_ALL_SENT, exit_bad_input, preview, report
from scheduler.domain import Event
from scheduler.export.errors import ExportError
from scheduler.export.ics import CalendarUpdate
from scheduler.io.atomic import write_text_atomic
from scheduler.io.plan_source import PlanSource, read_plan_source
from scheduler.mail.journal import Journal, already_sent, journal_path, read_journal
from scheduler.mail.letter import Letter, LetterSettings, letter_language, letter_settings, letters
from scheduler.mail.smtp import (
    Outcome,
    Security,
    SendError,
    Server,
    Summary,
    deliver,
    is_loopback,
    parse_server,
)
from scheduler.mail.template import DEFAULT_BODY
from scheduler.plan import Plan
from scheduler.problems import InputError, Problem, unreadable, unwritable
from scheduler.text import Lang, Text
from scheduler.validate import validate
from scheduler.views import build_view

PASSWORD_VARIABLE = "SCHEDULER_SMTP_PASSWORD"


SEND_HELP = tr(
    "Persönliche Agenda-E-Mails: erst als .eml-Dateien zum Ansehen, dann mit --smtp über Ihren Mailserver.\n\n"
    "Beispiel: scheduler send plan.json   (dann: scheduler send plan.json --smtp smtp.example.org --user orga)\n\n"
    "Jede Person bekommt eine E-Mail mit der Agenda als Text und HTML und ihrer Kalenderdatei im Anhang. Ein "
    "Versandprotokoll neben der Plandatei (PLAN.versand.jsonl) hält jede vom Server angenommene E-Mail fest: "
    "ein neuer Aufruf sendet nur den Rest.",
    "Personal agenda e-mails: first as .eml files to look at, then with --smtp through your mail server.\n\n"
    "Example: scheduler send plan.json   (then: scheduler send plan.json --smtp smtp.example.org --user orga)\n\n"
    "Each person gets one e-mail with the agenda as text and HTML and their calendar file attached. A journal "
    "beside the plan (PLAN.versand.jsonl) records every e-mail the server accepted: a rerun sends only the rest.",
)


@app.command(help=SEND_HELP)
def send(
    plan_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="PLAN",
            help=tr(
                "Die Plandatei (plan.json) oder die Planmappe (plan.xlsx, auch von Hand bearbeitet).",
                "The plan file (plan.json) or the plan workbook (plan.xlsx, edited by hand or not).",
            ),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=tr(
                "Ordner für die .eml-Dateien (Standard: PLAN-emails neben der Plandatei).",
                "Folder for the .eml files (default: PLAN-emails beside the plan file).",
            ),
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help=tr("Eigenes Anschreiben (Textdatei).", "Your own letter (a text file).")),
    ] = None,
    template_out: Annotated[
        Path | None,
        typer.Option(
            "--template-out",
            help=tr("Das Standard-Anschreiben zum Bearbeiten schreiben.", "Write the default letter to edit."),
        ),
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--betreff", help=tr("Betreff der E-Mails.", "Subject of the e-mails."))
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--absender", help=tr('Absender, z. B. "Orga <orga@example.org>".', "Sender address.")),
    ] = None,
    smtp: Annotated[
        str | None,
        typer.Option(
            "--smtp",
            metavar="HOST[:PORT]",
            help=tr("Wirklich senden, über diesen Mailserver.", "Really send, through this mail server."),
        ),
    ] = None,
    use_ssl: Annotated[
        bool, typer.Option("--ssl", help=tr("SSL/TLS von Anfang an (Port 465).", "Implicit TLS (port 465)."))
    ] = False,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help=tr("Ohne Verschlüsselung (nur für Server ohne TLS).", "Unencrypted (only for servers without TLS)."),
        ),
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help=tr(
                f"Anmeldename; Passwort aus {PASSWORD_VARIABLE} oder verdeckte Abfrage.",
                f"Login name; password from {PASSWORD_VARIABLE} or a hidden prompt.",
            ),
        ),
    ] = None,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca",
            help=tr("Eigene Zertifizierungsstelle (PEM) des Mailservers.", "The mail server's own CA (PEM)."),
        ),
    ] = None,
    per_minute: Annotated[
        int | None,
        typer.Option("--per-minute", min=1, help=tr("Höchstens N E-Mails pro Minute.", "At most N e-mails a minute.")),
    ] = None,
    resend: Annotated[
        bool,
        typer.Option("--resend", help=tr("Alle erneut senden, auch schon gesendete.", "Send all again, also sent.")),
    ] = False,
    changed_since: Annotated[
        Path | None,
        typer.Option(
            "--changed-since",
            metavar="ALT.json|ALT.xlsx",
            help=tr(
                "Nur an die, deren Agenda sich gegenüber diesem (früher verschickten) Plan geändert hat oder die neu "
                "sind; der Betreff sagt, dass es eine Aktualisierung ist.",
                "Only to those whose agenda changed against this plan (sent out before) or who are new; the "
                "subject says it is an update.",
            ),
        ),
    ] = None,
    lang: LangOption = Language.de,
) -> None:
    """Preview the agenda e-mails as an .eml outbox, or send them through SMTP, each at most once (SEND_HELP)."""
    language = lang_of(lang)
    if template_out is not None:
        _write_template(template_out, language)
        return
    if plan_file is None:
        exit_bad_input(
            Text(
                "Bitte die Plandatei angeben: scheduler send plan.json",
                "Please give the plan file: scheduler send plan.json",
            ),
            language,
        )
    event, plan, revision = _read(plan_file, language)
    old = None if changed_since is None else _read_since(changed_since, language)
    if old is not None:  # an update: its calendar entries must outrank those sent with the old plan
        revision = max(revision, old.revision + 1)
    settings = _settings(event, plan_file, subject, sender, _template_text(template, language), template, language)
    view = build_view(event, plan)
    try:
        prepared = list(letters(view, settings, datetime.now(UTC), CalendarUpdate(revision) if revision > 0 else None))
    except ExportError as e:
        exit_bad_input(e.message, language)
    if old is not None:
        prepared = _updates_only(prepared, old, event, plan, settings.lang)
    journal = journal_path(plan_file)
    done = set() if resend else _sent_before(journal, revision, language)
    if smtp is None:
        preview(prepared, out or plan_file.with_name(f"{plan_file.stem}-emails"), plan_file, done, language)
        return
    server = _server(smtp, use_ssl, plain, user, ca_file, settings, language)
    summary = _deliver(server, prepared, journal, revision, done, per_minute, language)
    report(summary, len(prepared), journal, language)


UPDATE = Text("Aktualisiert: ", "Updated: ")  # before the subject of a letter sent with --changed-since


def read_sendable_plan(path: Path) -> tuple[Event, Plan, int]:
    """The plan to send from (a plan file, or a plan workbook as edited by hand) and its revision; a plan that
    breaks a rule (a hand edit gone wrong) is refused before anything is written, with `verify` as the hint."""
    source = read_plan_source(path)
    broken = validate(source.event, source.plan).violations
    if broken:
        raise InputError(
            [
                Problem(
                    Text(
                        f"Der Plan verletzt {len(broken)} Regel(n); so wird nichts gesendet.",
                        f"The plan breaks {len(broken)} rule(s); nothing is sent like this.",
                    ),
                    Text(
                        f"Bitte mit `scheduler verify MAPPE.xlsx {path.name}` prüfen und die Planmappe berichtigen.",
                        f"Please check with `scheduler verify EVENT.xlsx {path.name}` and correct the plan workbook.",
                    ),
                    file=str(path),
                )
            ]
        )
    return source.event, source.plan, source.revision


# -- preparing -----------------------------------------------------------------------------------------------


def _write_template(path: Path, lang: Lang) -> None:
    if path.exists():
        exit_bad_input(
            Text(
                f"{path} gibt es schon; nichts geschrieben (Ihr Anschreiben bleibt, wie es ist).",
                f"{path} already exists; nothing written (your letter stays as it is).",
            ),
            lang,
        )
    try:
        write_text_atomic(path, DEFAULT_BODY(lang))
    except OSError as e:
        exit_bad_input(unwritable(e, path), lang)
    console.print(
        escape(
            Text(
                f"Anschreiben geschrieben: {path}. Bearbeiten, dann: scheduler send plan.json --template {path}",
                f"Letter written: {path}. Edit it, then: scheduler send plan.json --template {path}",
            )(lang)
        )
    )


def _template_text(template: Path | None, lang: Lang) -> str | None:
    if template is None:
        return None
    try:
        return template.read_text(encoding="utf-8-sig")
    except OSError as e:
        fail([Problem(unreadable(e), file=str(template))], lang)
    except UnicodeDecodeError:
        fail(
            [
                Problem(
                    Text("Die Datei ist kein UTF-8-Text.", "The file is not UTF-8 text."),
                    Text("Bitte als UTF-8 speichern.", "Please save it as UTF-8."),
                    file=str(template),
                )
            ],
            lang,
        )


def _settings(
    event: Event,
    plan_file: Path,
    subject: str | None,
    sender: str | None,
    text: str | None,
    template: Path | None,
    lang: Lang,
) -> LetterSettings:
    """The letter in the event's language; subject and sender from the options, else from `Veranstaltung`."""
    letter_lang = letter_language(event, lang)
    if letter_lang != event.language:
        console.print(
            escape(
                Text(
                    f'Hinweis: Anschreiben gibt es auf Deutsch und Englisch, nicht in der Sprache "{event.language}" '
                    "der Veranstaltung; die E-Mails sind auf Deutsch (--lang). Ein eigenes Anschreiben: --template.",
                    f'Note: letters exist in German and English, not in the event\'s language "{event.language}"; '
                    "the e-mails are in English (--lang). Your own letter: --template.",
                )(lang)
            )
        )

    def field(name: str) -> str:
        return Text(f"{plan_file}, Veranstaltung, {name}", f"{plan_file}, Event, {name}")(lang)

    try:
        return letter_settings(
            letter_lang,
            subject=subject if subject is not None else event.subject or None,
            sender=sender if sender is not None else event.sender or None,
            template=text,
            template_file=str(template or ""),
            subject_where="--betreff" if subject is not None else field(Text("Betreff", "Subject")(lang)),
            sender_where="--absender" if sender is not None else field(Text("Absender", "Sender")(lang)),
        )
    except InputError as e:
        fail(e.problems, lang)


def _read(path: Path, lang: Lang) -> tuple[Event, Plan, int]:
    try:
        return read_sendable_plan(path)
    except InputError as e:
        fail(e.problems, lang)


def _read_since(since: Path, lang: Lang) -> PlanSource:
    try:
        return read_plan_source(since)
    except InputError as e:
        fail(e.problems, lang)


def _updates_only(prepared: list[Letter], old: PlanSource, event: Event, plan: Plan, letter: Lang) -> list[Letter]:
    """The letters of people whose agenda changed against the old plan or who are new, their subjects marked."""
    affected = set(compare(old.event, old.plan, event, plan).affected(event))
    mark = UPDATE(letter)
    chosen = [le for le in prepared if le.person.id in affected]
    for le in chosen:
        if le.message is not None:
            le.message.replace_header("Subject", f"{mark}{le.message['Subject']}")
    return chosen


def _sent_before(journal: Path, revision: int, lang: Lang) -> set[tuple[str, str]]:
    try:
        return already_sent(read_journal(journal), revision)
    except InputError as e:
        fail(e.problems, lang)


# -- sending -------------------------------------------------------------------------------------------------


def _server(
    smtp: str,
    use_ssl: bool,
    plain: bool,
    user: str | None,
    ca_file: Path | None,
    settings: LetterSettings,
    lang: Lang,
) -> Server:
    if settings.sender is None:
        exit_bad_input(
            Text(
                'Zum Senden fehlt der Absender: --absender "Orga-Team <orga@example.org>" oder das Feld Absender '
                "im Blatt Veranstaltung.",
                'Sending needs a sender: --absender "Orga team <orga@example.org>" or the field Sender on the sheet '
                "Event.",
            ),
            lang,
        )
    if use_ssl and plain:
        exit_bad_input(Text("--ssl und --plain schließen sich aus.", "--ssl and --plain exclude each other."), lang)
    security: Security = "ssl" if use_ssl else "plain" if plain else "starttls"
    try:
        host, port = parse_server(smtp, security)
    except SendError as e:
        exit_bad_input(e.message, lang)
    if plain and user and not is_loopback(host):
        exit_bad_input(
            Text(
                "Mit --plain ginge das Passwort unverschlüsselt über das Netz; bitte STARTTLS (Standard) oder --ssl.",
                "With --plain the password would cross the network unencrypted; use STARTTLS (default) or --ssl.",
            ),
            lang,
        )
    return Server(host, port, security, user, _password(lang) if user else None, ca_file)


def _password(lang: Lang) -> str:
    """From the environment, else asked without echo; never an option, so it stays out of shell histories."""
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        exit_bad_input(
            Text(
                f"Kein Passwort: bitte {PASSWORD_VARIABLE} setzen oder im Terminal starten.",
                f"No password: set {PASSWORD_VARIABLE} or run this in a terminal.",
            ),
            lang,
        )
    return str(typer.prompt(Text("Passwort", "Password")(lang), hide_input=True))


def _deliver(
    server: Server,
    prepared: list[Letter],
    journal: Path,
    revision: int,
    done: set[tuple[str, str]],
    per_minute: int | None,
    lang: Lang,
) -> Summary:
    stop = threading.Event()
    todo = sum(
        le.message is not None and (le.person.id, le.person.email.strip().lower()) not in done for le in prepared
    )
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with (
            Journal(journal, revision) as log,
            _stop_on_ctrl_c(stop),
            Progress(*columns, console=err_console) as progress,
        ):
            task = progress.add_task(Text("Senden", "Sending")(lang), total=todo)

            def advance(outcome: Outcome) -> None:
                if outcome.status in ("sent", "failed"):
                    progress.advance(task)

            return deliver(server, prepared, log, done, per_minute=per_minute, stop=stop, on_outcome=advance)
    except SendError as e:
        err_console.print(f"[red]{escape(Text('Fehler', 'Error')(lang))}:[/] {escape(e.message(lang))}")
        raise typer.Exit(EXIT_NOT_ALL_SENT) from None
    except OSError as e:
        exit_bad_input(unwritable(e, journal), lang)


@contextmanager
def _stop_on_ctrl_c(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C lets the e-mail in flight finish and stops; a second one ends at once."""

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if in_main else None
    try:
        yield
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
