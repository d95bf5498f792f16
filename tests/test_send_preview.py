"""`scheduler send` without --smtp: the .eml outbox and index, the letter template and its checks."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.mail.journal import Journal, already_sent, read_journal
from scheduler.mail.template import DEFAULT_BODY
from tests.plan_fixtures import ANNA, BERND, CARLA, DENIZ, FORMULA_NAME, HANNA, INJ, MALGO
from tests.send_plans import write_example_plan, write_sample_plan

SENDER = "Orga-Team Zukunftszentren Süd <orga@example.org>"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["send", *args], env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())


def read_eml(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


class _Text(HTMLParser):
    """The visible text nodes of an HTML document (what a reader of the HTML part sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes += [line.strip() for line in data.splitlines() if line.strip()]


def html_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def parts(message: EmailMessage) -> tuple[str, str, Calendar]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() is not None and attachment.get_filename().endswith(".ics")  # type: ignore[union-attr]
    return text.get_content(), html.get_content(), Calendar.from_ical(attachment.get_content())


def test_example_plan_gives_144_eml_files_and_an_index(tmp_path: Path) -> None:
    plan = write_example_plan(tmp_path)
    code, output = run(str(plan))
    assert code == 0, output
    folder = tmp_path / "plan-emails"
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 144
    assert "144 E-Mails als .eml-Dateien" in output and "Noch nichts gesendet" in output
    assert "Von: Team Vernetzungstreffen <vernetzung@gsub.example.org>" in output  # Absender of the example
    assert "Betreff: Ihre Agenda für das Vernetzungstreffen Zukunftszentren am 6. Oktober 2021" in output
    assert "--absender" not in output  # the example's event names its sender, so sending needs no option
    with (folder / "index.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Name", "E-Mail", "Datei", "Hinweis"]
    assert len(rows) == 145 and {r[2] for r in rows[1:]} == {f.name for f in files}
    first = read_eml(folder / rows[1][2])
    assert first["To"].addresses[0].addr_spec == rows[1][1] and first["X-Unsent"] == "1"
    assert not list(tmp_path.glob(".plan-emails*")), "no staging folder is left behind"
    for path in files:  # the text part says what the HTML part says, also for the networking rounds
        text, html, _ = parts(read_eml(path))
        text_items = [item for line in text.splitlines() for item in re.split(r"\s{2,}", line.strip()) if item]
        assert html_text(html) == text_items, path.name
    assert "Breakout-Raum: Gruppe" in parts(first)[0]


def test_each_letter_carries_the_persons_agenda_and_calendar(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--absender", SENDER, "--out", str(tmp_path / "out"))
    assert code == 0, output
    files = {f.name.rsplit("-", 1)[0]: f for f in (tmp_path / "out").glob("*.eml")}
    assert sorted(files) == sorted([ANNA, BERND, CARLA, DENIZ, HANNA, INJ, MALGO])  # named like the .ics attached
    assert "Kim Ohne Mail" in output and "ohne gültige E-Mail-Adresse" in output  # listed, not guessed
    malgo = read_eml(files[MALGO])
    assert str(malgo["Subject"]) == "Ihre Agenda: Vernetzungstreffen am 06.10.2021"
    assert malgo["To"].addresses[0].display_name == "Małgorzata Nowak"
    assert malgo["From"].addresses[0].display_name == "Orga-Team Zukunftszentren Süd"
    raw = files[MALGO].read_bytes()
    assert raw.isascii(), "headers and bodies are 7-bit: RFC 2047 words, quoted-printable or base64"
    text, html, cal = parts(malgo)
    assert text.startswith("Guten Tag Małgorzata Nowak,")
    for line in (
        "11:15–12:15  @SUM(1)",
        "Carla Weiß",
        "Ihr 3. Wunsch",
        "https://zoom.example/j/111",
        "nicht verfügbar",
    ):
        assert line in text
    assert "Anna Müller" not in text  # her own agenda only
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert summaries == ["Eröffnung", "Lotsenberatung", "@SUM(1)", "Resümee"]
    assert '<a href="https://zoom.example/j/111">' in html


def test_text_and_html_part_say_the_same(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    assert run(str(plan), "--out", str(tmp_path / "out"))[0] == 0
    for path in (tmp_path / "out").glob("*.eml"):
        text, html, _ = parts(read_eml(path))
        text_items = [item for line in text.splitlines() for item in re.split(r"\s{2,}", line.strip()) if item]
        assert html_text(html) == text_items, path.name  # the same items in the same order
    hanna = next((tmp_path / "out").glob(f"{HANNA}-*.eml"))
    text, _, _ = parts(read_eml(hanna))
    assert "Sie leiten: Weiterbildungsverbünde" in text and "Erfüllte Wünsche" not in text  # she only hosts


def test_formula_text_stays_text(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    assert run(str(plan), "--out", str(tmp_path / "out"))[0] == 0
    index = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig")
    assert f"'{FORMULA_NAME}".replace('"', '""') in index
    letter = read_eml(next((tmp_path / "out").glob(f"{INJ}-*.eml")))
    text, html, _ = parts(letter)
    assert f"Guten Tag {FORMULA_NAME}," in text and "&quot;http://x&quot;" in html and '<a href="http://x"' not in html


def test_template_out_writes_the_default_and_a_changed_template_is_used(tmp_path: Path) -> None:
    letter = tmp_path / "anschreiben.txt"
    code, output = run("--template-out", str(letter))
    assert code == 0 and letter.read_text(encoding="utf-8") == DEFAULT_BODY("de")
    assert run("--template-out", str(letter))[0] == 2  # an edited letter is never overwritten
    letter.write_text("Liebe*r {name} ({organisation}),\n\n{agenda}\n\n{{Gruß}} vom {event}-Team\n", encoding="utf-8")
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--template", str(letter), "--betreff", "Agenda für {name}")
    assert code == 0, output
    anna = read_eml(next((tmp_path / "plan-emails").glob(f"{ANNA}-*.eml")))
    text, html, _ = parts(anna)
    assert text.startswith("Liebe*r Anna Müller (ZAQS Sachsen),") and "{Gruß} vom Vernetzungstreffen-Team" in text
    assert str(anna["Subject"]) == "Agenda für Anna Müller"
    assert html_text(html)[-1] == "{Gruß} vom Vernetzungstreffen-Team"


def test_unknown_placeholders_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    letter = tmp_path / "anschreiben.txt"
    letter.write_text("Hallo {vorname},\n\nam {datum} {agenda}\nGruß {absender:>5} und\n{\n", encoding="utf-8")
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--template", str(letter), "--betreff", "Agenda {tag}")
    assert code == 2
    assert f'{letter}, Zeile 1, Spalte "7": Unbekannter Platzhalter {{vorname}}.' in output
    assert f'{letter}, Zeile 3, Spalte "12": {{agenda}} muss allein in einer Zeile stehen.' in output
    assert f'{letter}, Zeile 4, Spalte "6": Unbekannter Platzhalter {{absender:>5}}.' in output
    assert f"{letter}, Zeile 5: Eine geschweifte Klammer ist nicht geschlossen" in output
    assert '--betreff, Spalte "8": Unbekannter Platzhalter {tag}.' in output
    assert "5 Problem(e) gefunden, nichts geschrieben." in output
    assert not (tmp_path / "plan-emails").exists()


def test_a_bad_sender_and_a_missing_plan_are_refused(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--absender", "orga at example")
    assert code == 2 and '"orga at example" ist keine gültige Absenderadresse.' in output
    code, output = run()
    assert code == 2 and "Bitte die Plandatei angeben" in output


def test_a_folder_not_written_by_send_is_never_replaced(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    mine = tmp_path / "Dokumente"
    mine.mkdir()
    (mine / "wichtig.docx").write_text("x")
    code, output = run(str(plan), "--out", str(mine))
    assert code == 2 and "kein E-Mail-Ordner von scheduler" in output
    assert [p.name for p in mine.iterdir()] == ["wichtig.docx"]
    assert run(str(plan))[0] == 0
    first = {p.name for p in (tmp_path / "plan-emails").iterdir()}
    assert run(str(plan))[0] == 0  # a second preview replaces the first outbox whole
    assert {p.name for p in (tmp_path / "plan-emails").iterdir()} == first


def test_the_events_language_sets_the_letters_and_lang_the_programs(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path, language="en")
    code, output = run(str(plan))
    assert code == 0 and "7 E-Mails als .eml-Dateien" in output  # the program speaks German (--lang de)
    anna = read_eml(next((tmp_path / "plan-emails").glob(f"{ANNA}-*.eml")))
    text, html, cal = parts(anna)
    assert str(anna["Subject"]) == "Your agenda: Vernetzungstreffen on 2021-10-06" and anna["Content-Language"] == "en"
    assert text.startswith("Hello Anna Müller,") and "your wish 1" in text and '<html lang="en">' in html
    assert anna["To"].addresses[0].addr_spec == ANNA
    assert not re.search(r"Wunsch|Guten Tag|Ihre Agenda", text + html)
    assert "Room: Raum Nord" in str(cal.walk("VEVENT")[1]["DESCRIPTION"])  # the calendar file in English too
    german = write_sample_plan(tmp_path / "de")
    code, output = run(str(german), "--lang", "en")
    assert code == 0 and "7 e-mails as .eml files" in output  # English output, German letters
    anna = read_eml(next((tmp_path / "de" / "plan-emails").glob(f"{ANNA}-*.eml")))
    text, _, _ = parts(anna)
    assert text.startswith("Guten Tag Anna Müller,") and "Ihr 1. Wunsch" in text and anna["Content-Language"] == "de"


def test_a_line_break_in_the_subject_never_forges_a_header(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--betreff", "Agenda für {name}\r\nBcc: x@evil.example")
    assert code == 0, output
    anna = read_eml(next((tmp_path / "plan-emails").glob(f"{ANNA}-*.eml")))
    assert "Bcc" not in anna and str(anna["Subject"]) == "Agenda für Anna Müller Bcc: x@evil.example"


def test_letters_from_a_hand_edited_plan_workbook(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    book = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(app, ["export", str(plan), "--xlsx", str(book)]).exit_code == 0
    workbook = load_workbook(book)
    workbook["Teilnehmende"]["D4"] = "Digitale Lernangebote"  # Deniz from S01 to S04 in T1, by hand in Excel
    workbook.save(book)
    code, output = run(str(book), "--out", str(tmp_path / "out"))
    assert code == 0, output
    deniz = read_eml(next((tmp_path / "out").glob(f"{DENIZ}-*.eml")))
    assert "Digitale Lernangebote" in deniz.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    workbook["Sessions"]["I3"] = workbook["Sessions"]["I2"].value  # two runs in one room and slot: broken
    workbook.save(book)
    code, output = run(str(book), "--out", str(tmp_path / "out2"))
    assert code == 2 and "Der Plan verletzt 1 Regel(n); so wird nichts gesendet." in output, output
    assert "scheduler verify MAPPE.xlsx plan.xlsx" in output and not (tmp_path / "out2").exists()


def test_changed_since_writes_updates_only_for_the_affected(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    book = tmp_path / "neu.xlsx"
    assert CliRunner().invoke(app, ["export", str(plan), "--xlsx", str(book)]).exit_code == 0
    workbook = load_workbook(book)
    workbook["Teilnehmende"]["D4"] = "Digitale Lernangebote"  # Deniz from S01 to S04 in T1: his agenda changes
    workbook.save(book)
    code, output = run(str(book), "--changed-since", str(plan), "--out", str(tmp_path / "out"))
    assert code == 0, output
    files = sorted((tmp_path / "out").glob("*.eml"))
    assert [f.name.rsplit("-", 1)[0] for f in files] == [DENIZ]
    letter = read_eml(files[0])
    assert str(letter["Subject"]).startswith("Aktualisiert: ")
    attached = next(part for part in letter.iter_attachments() if part.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(attached.get_payload(decode=True))
    assert {int(e["sequence"]) for e in calendar.walk("VEVENT")} == {1}  # outranks the entries sent before


def test_the_journal_keeps_revisions_apart(tmp_path: Path) -> None:
    path = tmp_path / "plan.json.versand.jsonl"
    with Journal(path, revision=1) as log:
        log.record(ANNA, "anna.mueller@example.org", "sent", datetime(2026, 12, 1, tzinfo=UTC))
    entries = read_journal(path)
    assert entries[0].revision == 1 and '"revision": 1' in path.read_text(encoding="utf-8")
    assert already_sent(entries, 1) == {(ANNA, "anna.mueller@example.org")}
    assert already_sent(entries, 0) == set()  # the e-mail of the first plan is still to be sent
