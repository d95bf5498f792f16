"""`scheduler send` takes what `Veranstaltung` says: subject and sender as defaults of the options, the contact
and the main room link in every letter, and the very calendar file that `export --ics` writes."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from tests.plan_fixtures import ANNA, CARLA
from tests.send_plans import write_sample_plan
from tests.test_send_preview import html_text, parts, read_eml, run

EVENT_SENDER = "Team Vernetzung <vernetzung@gsub.example.org>"
CONTACT = "vernetzung@gsub.example.org, 030 1234567"
MAIN = "https://zoom.example/j/999"


def letter_of(folder: Path, email: str) -> EmailMessage:
    return read_eml(next(folder.glob(f"{email}-*.eml")))


def text_of(message: EmailMessage) -> str:
    """The text part with plain line ends (on the wire they are CRLF)."""
    return parts(message)[0].replace("\r\n", "\n")


def test_subject_and_sender_come_from_the_event_and_the_options_override_them(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path, subject="Ihr Tag bei {veranstaltung}, {name}", sender=EVENT_SENDER)
    code, output = run(str(plan))
    assert code == 0, output
    assert f"Senden: scheduler send {plan} --smtp HOST --user NAME" in output and "--absender" not in output
    anna = letter_of(tmp_path / "plan-emails", ANNA)
    assert str(anna["Subject"]) == "Ihr Tag bei Vernetzungstreffen, Anna Müller"
    assert anna["From"].addresses[0].addr_spec == "vernetzung@gsub.example.org"
    assert text_of(anna).rstrip().endswith("Viele Grüße\nTeam Vernetzung")  # {absender}: the event's sender
    code, output = run(str(plan), "--betreff", "Agenda", "--absender", "Orga <orga@example.org>")
    assert code == 0, output
    code, output = run(str(write_sample_plan(tmp_path / "none")))
    assert code == 0 and "--smtp HOST --user NAME --absender ADRESSE" in output  # no sender anywhere yet
    anna = letter_of(tmp_path / "plan-emails", ANNA)
    assert str(anna["Subject"]) == "Agenda" and anna["From"].addresses[0].addr_spec == "orga@example.org"


def test_a_bad_subject_or_sender_in_the_event_is_located_there(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path, subject="Agenda {tag}", sender="team at example")
    code, output = run(str(plan))
    assert code == 2
    assert f'{plan}, Veranstaltung, Betreff, Spalte "8": Unbekannter Platzhalter {{tag}}.' in output
    assert f'{plan}, Veranstaltung, Absender: "team at example" ist keine gültige Absenderadresse.' in output
    assert not (tmp_path / "plan-emails").exists()
    code, output = run(str(plan), "--betreff", "Agenda", "--absender", "Orga <orga@example.org>")
    assert code == 0, output  # the options replace the event's values, so its mistakes no longer matter


def test_letters_carry_the_contact_and_the_main_room_link_in_both_parts(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path, contact=CONTACT, main_link=MAIN)
    assert run(str(plan), "--out", str(tmp_path / "out"))[0] == 0
    for path in (tmp_path / "out").glob("*.eml"):
        text, html, _ = parts(read_eml(path))
        text_items = [item for line in text.splitlines() for item in re.split(r"\s{2,}", line.strip()) if item]
        assert html_text(html) == text_items, path.name
        assert f"Kontakt bei Fragen: {CONTACT}" in text and f'<a href="{MAIN}">' in html
    anna = text_of(letter_of(tmp_path / "out", ANNA))
    assert f"09:30–10:00  Eröffnung\n    Hauptraum\n    {MAIN}\n" in anna  # the plenary in the main room
    carla = text_of(letter_of(tmp_path / "out", CARLA))
    # Raum West has no link of its own: its runs are breakout rooms of the main meeting.
    assert f"    Raum West\n    {MAIN}\n    Breakout-Raum: „" in carla
    assert "Wer kommt: Digitale Lernangebote, 10:00–11:00 (1 Person)\n    Kim Ohne Mail (KWW)" in carla


def test_placeholders_for_the_contact_and_the_main_room(tmp_path: Path) -> None:
    letter = tmp_path / "anschreiben.txt"
    letter.write_text("Hallo {name},\n\n{agenda}\n\nFragen an {kontakt}; Link: {hauptraum}\n", encoding="utf-8")
    plan = write_sample_plan(tmp_path, contact=CONTACT, main_link=MAIN)
    assert run(str(plan), "--template", str(letter))[0] == 0
    text = text_of(letter_of(tmp_path / "plan-emails", ANNA))
    assert text.endswith(f"Fragen an {CONTACT}; Link: {MAIN}\n")


def test_an_event_in_another_language_gets_letters_in_the_output_language(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path, language="fr")
    code, output = run(str(plan), "--lang", "en")
    assert code == 0 and 'not in the event\'s language "fr"; the e-mails are in English' in output
    anna = letter_of(tmp_path / "plan-emails", ANNA)
    assert text_of(anna).startswith("Hello Anna Müller,") and anna["Content-Language"] == "en"


@pytest.mark.parametrize("revision", [0, 2])
def test_the_calendar_attached_is_the_one_export_writes(tmp_path: Path, revision: int) -> None:
    plan = write_sample_plan(tmp_path, contact=CONTACT, main_link=MAIN)
    if revision:  # a re-planned plan: its entries carry SEQUENCE, so calendars replace what was sent before
        doc = json.loads(plan.read_text(encoding="utf-8"))
        plan.write_text(json.dumps({**doc, "changes": {"revision": revision}}), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(plan), "--ics", str(tmp_path / "ics")])
    assert result.exit_code == 0, result.output
    assert run(str(plan))[0] == 0
    letters = sorted((tmp_path / "plan-emails").glob("*.eml"))
    assert len(letters) == 7
    for path in letters:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        [attachment] = list(message.iter_attachments())
        name = attachment.get_filename()
        assert name == path.with_suffix(".ics").name
        exported = (tmp_path / "ics" / name).read_bytes()
        assert without_stamp(attachment.get_content().encode()) == without_stamp(exported), name
        assert (f"SEQUENCE:{revision}".encode() in exported) == bool(revision)


def without_stamp(ics: bytes) -> list[bytes]:
    """The calendar's lines without DTSTAMP, the moment the file was made (it differs by a second or so)."""
    return [line for line in ics.splitlines() if not line.startswith(b"DTSTAMP")]
