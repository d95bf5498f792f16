"""What `scheduler send` prints: the preview of the outbox, and the summary after sending."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.markup import escape

from scheduler.cli.app import EXIT_BAD_INPUT, console, err_console
from scheduler.export.errors import ExportError
from scheduler.mail.letter import Letter
from scheduler.mail.outbox import INDEX, write_outbox
from scheduler.mail.smtp import Summary
from scheduler.problems import unwritable
from scheduler.text import Lang, Text

EXIT_NOT_ALL_SENT = 4  # some e-mails did not go out (refused, login failed, connection lost); a rerun sends the rest
EXIT_INTERRUPTED = 130  # as for any Ctrl-C (scheduler.__main__)
SHOWN = 10  # people listed by name in the preview; index.csv has everyone


# -- preview -------------------------------------------------------------------------------------------------


def preview(prepared: list[Letter], folder: Path, plan_file: Path, done: set[tuple[str, str]], lang: Lang) -> None:
    try:
        files = write_outbox(prepared, folder, lang, inputs=[plan_file])
    except ExportError as e:
        exit_bad_input(e.message, lang)
    except OSError as e:
        exit_bad_input(unwritable(e, e.filename or folder), lang)
    ready = [le for le in prepared if le.message is not None]
    console.print(
        escape(
            Text(
                f"{len(files)} E-Mails als .eml-Dateien in {folder}/ (Übersicht: {INDEX}). Noch nichts gesendet.",
                f"{len(files)} e-mails as .eml files in {folder}/ (overview: {INDEX}). Nothing sent yet.",
            )(lang)
        )
    )
    first = next((le.message for le in ready if le.message is not None), None)
    if first is not None:
        subject = str(first["Subject"])
        sender = str(first["From"] or Text("(noch kein Absender: --absender)", "(no sender yet: --absender)")(lang))
        console.print(escape(Text(f"Von: {sender}  Betreff: {subject}", f"From: {sender}  Subject: {subject}")(lang)))
    for letter in ready[:SHOWN]:
        console.print(f"  {escape(letter.person.name)} <{escape(letter.person.email)}>  {letter.file_name}")
    if len(ready) > SHOWN:
        more = len(ready) - SHOWN
        console.print(escape(Text(f"  … und {more} weitere", f"  … and {more} more")(lang)))
    sent = sum((le.person.id, le.person.email.strip().lower()) in done for le in ready)
    if sent:
        console.print(
            escape(
                Text(
                    f"Laut Versandprotokoll schon gesendet: {sent}; --smtp sendet nur die übrigen {len(ready) - sent}.",
                    f"Already sent according to the journal: {sent}; --smtp sends only the other {len(ready) - sent}.",
                )(lang)
            )
        )
    warn_without_address(prepared, lang)
    needs_sender = first is None or first["From"] is None
    console.print(
        escape(
            Text(
                f"Senden: scheduler send {plan_file} --smtp HOST --user NAME" + (" --absender ADRESSE" * needs_sender),
                f"To send: scheduler send {plan_file} --smtp HOST --user NAME" + (" --absender ADDRESS" * needs_sender),
            )(lang)
        )
    )


def warn_without_address(prepared: list[Letter], lang: Lang) -> None:
    missing = [le.person for le in prepared if le.message is None]
    if missing:
        names = ", ".join(f"{p.name} ({p.email or '–'})" for p in missing)
        warning = Text(
            f"Warnung: {len(missing)} Person(en) ohne gültige E-Mail-Adresse, keine E-Mail: {names}",
            f"Warning: {len(missing)} person(s) without a valid e-mail address, no e-mail: {names}",
        )
        err_console.print(f"[yellow]{escape(warning(lang))}[/]")


def report(summary: Summary, total: int, journal: Path, lang: Lang) -> None:
    sent, failed = summary.of("sent"), summary.of("failed")
    before, missing = summary.of("done before"), summary.of("no address")
    left = total - len(summary.outcomes)
    console.print(
        escape(
            Text(
                f"Gesendet: {len(sent)}; fehlgeschlagen: {len(failed)}; übersprungen: {len(before)} schon gesendet, "
                f"{len(missing)} ohne gültige Adresse; noch offen: {left}. Versandprotokoll: {journal}",
                f"Sent: {len(sent)}; failed: {len(failed)}; skipped: {len(before)} sent before, "
                f"{len(missing)} without a valid address; still to send: {left}. Journal: {journal}",
            )(lang)
        )
    )
    for outcome in failed:
        person = outcome.letter.person
        console.print(f"  [red]✗[/] {escape(person.name)} <{escape(person.email)}>: {escape(outcome.reason)}")
    warn_without_address([o.letter for o in missing], lang)
    if summary.stopped is not None or summary.interrupted:
        reason = summary.stopped or Text("Abgebrochen (Strg-C).", "Interrupted (Ctrl-C).")
        err_console.print(
            f"[red]{escape(reason(lang))}[/] "
            + escape(
                Text(
                    "Was gesendet wurde, steht im Versandprotokoll; derselbe Befehl sendet nur den Rest.",
                    "What was sent is in the journal; the same command sends only the rest.",
                )(lang)
            )
        )
        raise typer.Exit(EXIT_INTERRUPTED if summary.interrupted else EXIT_NOT_ALL_SENT)
    if failed:
        raise typer.Exit(EXIT_NOT_ALL_SENT)


def exit_bad_input(message: Text, lang: Lang) -> NoReturn:
    err_console.print(f"[red]{escape(Text('Fehler', 'Error')(lang))}:[/] {escape(message(lang))}")
    raise typer.Exit(EXIT_BAD_INPUT)
