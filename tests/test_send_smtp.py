"""`scheduler send --smtp` against a real SMTP server on 127.0.0.1: every e-mail once, also across failures."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.mail.journal import journal_path
from tests.plan_fixtures import ANNA, BERND, CARLA, DENIZ, HANNA, INJ, MALGO
from tests.send_plans import write_example_plan, write_sample_plan
from tests.smtp_server import PASSWORD, USER, Recorder, make_tls, smtp_server

SENDER = "Orga-Team Süd <orga@example.org>"
ADDRESSES = sorted([ANNA, BERND, DENIZ, MALGO, INJ, HANNA, CARLA])  # Kim has no e-mail


def run(*args: str, password: str | None = None) -> tuple[int, str]:
    env = {"COLUMNS": "200"}
    if password is not None:
        env["SCHEDULER_SMTP_PASSWORD"] = password
    result = CliRunner().invoke(app, ["send", *args], env=env)
    return result.exit_code, " ".join(result.output.split())


def journal(plan: Path) -> list[dict[str, str]]:
    lines = journal_path(plan).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def sent_in_journal(plan: Path) -> list[str]:
    return sorted(e["to"] for e in journal(plan) if e["status"] == "sent")


def test_every_letter_arrives_once_and_parses(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        code, output = run(str(plan), "--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER)
    assert code == 0, output
    assert sorted(recorder.recipients()) == ADDRESSES
    assert "Gesendet: 7; fehlgeschlagen: 0; übersprungen: 0 schon gesendet, 1 ohne gültige Adresse" in output
    assert "Kim Ohne Mail" in output
    assert sent_in_journal(plan) == ADDRESSES
    for message in recorder.messages():
        assert "X-Unsent" not in message  # only the preview files are drafts
        to = message["To"].addresses[0]
        assert str(message["Subject"]) == "Ihre Agenda: Vernetzungstreffen am 06.10.2021"
        assert message["From"].addresses[0].display_name == "Orga-Team Süd"
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None and html is not None
        assert text.get_content().startswith(f"Guten Tag {to.display_name},")
        [ics] = list(message.iter_attachments())
        assert ics.get_content_type() == "text/calendar" and "BEGIN:VCALENDAR" in ics.get_content()
        if to.addr_spec == MALGO:
            assert to.display_name == "Małgorzata Nowak" and "Lotsenberatung" in ics.get_content()
            assert "Raum Süd" in html.get_content() and "Raum Süd" in text.get_content()


def test_a_rerun_sends_nothing_twice_and_resend_sends_all(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        server = ["--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER]
        assert run(str(plan), *server)[0] == 0
        code, output = run(str(plan), *server)
        assert code == 0 and "Gesendet: 0; fehlgeschlagen: 0; übersprungen: 7 schon gesendet" in output
        assert len(recorder.received) == 7
        code, output = run(str(plan), *server, "--resend")
        assert code == 0 and "Gesendet: 7" in output
    assert Counter(recorder.recipients()) == Counter({a: 2 for a in ADDRESSES})


def test_dropped_connection_then_rerun_sends_exactly_the_rest(tmp_path: Path) -> None:
    plan = write_example_plan(tmp_path)
    recorder = Recorder(drop_after=50)
    with smtp_server(recorder) as port:
        server = ["--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER]
        code, output = run(str(plan), *server)
        assert code == 4, output
        assert "Gesendet: 50" in output and "noch offen: 94" in output and "Verbindung" in output
        assert "derselbe Befehl sendet nur den Rest" in output
        assert len(sent_in_journal(plan)) == 50 == len(recorder.received)
        code, output = run(str(tmp_path / "plan.json"))  # the preview knows what went out
        assert "schon gesendet: 50; --smtp sendet nur die übrigen 94" in output
        recorder.drop_after = None
        code, output = run(str(plan), *server)
        assert code == 0, output
        assert "Gesendet: 94" in output and "50 schon gesendet" in output
    counts = Counter(recorder.recipients())
    assert len(counts) == 144 and set(counts.values()) == {1}  # everyone once, nobody twice
    assert sorted(sent_in_journal(plan)) == sorted(counts)


def test_refused_recipient_is_reported_and_the_rest_goes_out(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder(refuse=frozenset({DENIZ}))
    with smtp_server(recorder) as port:
        server = ["--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER]
        code, output = run(str(plan), *server)
        assert code == 4
        assert f"Deniz Yılmaz <{DENIZ}>: 550 5.1.1 Mailbox unavailable" in output
        assert "Gesendet: 6; fehlgeschlagen: 1" in output
        assert sorted(recorder.recipients()) == sorted(set(ADDRESSES) - {DENIZ})
        failed = [e for e in journal(plan) if e["status"] == "failed"]
        assert [(e["to"], e["reason"]) for e in failed] == [(DENIZ, "550 5.1.1 Mailbox unavailable")]
        recorder.refuse = frozenset()
        code, output = run(str(plan), *server)
        assert code == 0 and "Gesendet: 1;" in output
    assert sorted(recorder.recipients()) == ADDRESSES


def test_login_over_starttls_and_a_refused_login(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    tls = make_tls(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder, auth=True, starttls=tls) as port:
        server = ["--smtp", f"127.0.0.1:{port}", "--user", USER, "--absender", SENDER, "--ca", str(tls.ca_file)]
        code, output = run(str(plan), *server, password="falsch")
        assert code == 4 and f"lehnt die Anmeldung als {USER} ab (535" in output
        assert "falsch" not in output and recorder.received == []
        assert not journal_path(plan).exists() or journal(plan) == []
        code, output = run(str(plan), *server, password=PASSWORD)
        assert code == 0, output
        assert PASSWORD not in output
        code, output = run(str(plan), *server[:-2], "--resend", password=PASSWORD)  # without our CA: refused
        assert code == 4 and "nicht vertrauenswürdig" in output and "Zertifizierungsstelle mit --ca angeben" in output
    assert sorted(recorder.recipients()) == ADDRESSES


def test_implicit_tls(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    tls = make_tls(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder, implicit=tls) as port:
        code, output = run(
            str(plan), "--smtp", f"127.0.0.1:{port}", "--ssl", "--absender", SENDER, "--ca", str(tls.ca_file)
        )
    assert code == 0, output
    assert sorted(recorder.recipients()) == ADDRESSES


def test_starttls_is_required_unless_plain(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        code, output = run(str(plan), "--smtp", f"127.0.0.1:{port}", "--absender", SENDER)
    assert code == 4 and "bietet kein STARTTLS an" in output and recorder.received == []


def test_options_that_cannot_work_are_refused_before_connecting(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--smtp", "127.0.0.1:25")
    assert code == 2 and "Zum Senden fehlt der Absender" in output
    code, output = run(str(plan), "--smtp", "mail.example.org", "--plain", "--user", "x", "--absender", SENDER)
    assert code == 2 and "unverschlüsselt" in output
    code, output = run(str(plan), "--smtp", "host:99999", "--absender", SENDER)
    assert code == 2 and "ist kein Mailserver" in output
    code, output = run(str(plan), "--smtp", "127.0.0.1:1", "--plain", "--absender", SENDER)
    assert code == 4 and "Keine Verbindung zu 127.0.0.1:1: Verbindung abgelehnt" in output


def test_login_without_a_password_source_is_refused(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    code, output = run(str(plan), "--smtp", "127.0.0.1:1", "--user", USER, "--absender", SENDER)
    assert code == 2 and "Kein Passwort: bitte SCHEDULER_SMTP_PASSWORD setzen" in output


def test_damaged_journal_stops_before_sending(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    journal_path(plan).write_text('{"person": "a", "to": "a@x.de", "status": "sent", "at": "x"}\nkaputt\n{}\n')
    code, output = run(str(plan), "--smtp", "127.0.0.1:1", "--plain", "--absender", SENDER)
    assert code == 2 and "Zeile 2: Diese Zeile des Versandprotokolls ist beschädigt." in output


def test_a_line_cut_off_by_a_crash_is_ignored(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    journal_path(plan).write_text(f'{{"person": "{ANNA}", "to": "{ANNA}", "status": "sent", "at": "x"}}\n{{"pers')
    recorder = Recorder()
    with smtp_server(recorder) as port:
        code, output = run(str(plan), "--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER)
    assert code == 0 and "1 schon gesendet" in output
    assert sorted(recorder.recipients()) == sorted(set(ADDRESSES) - {ANNA})


def test_ctrl_c_keeps_the_journal_and_a_rerun_sends_the_rest(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        command = [sys.executable, "-m", "scheduler", "send", str(plan), "--smtp", f"127.0.0.1:{port}", "--plain"]
        command += ["--absender", SENDER, "--per-minute", "60"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while len(recorder.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        output = " ".join(process.communicate(timeout=60)[0].split())
        assert process.returncode == 130, output
        assert "Abgebrochen (Strg-C)" in output and "derselbe Befehl sendet nur den Rest" in output
        first = len(recorder.received)
        assert 2 <= first < 7
        assert len(sent_in_journal(plan)) == first
        code, output = run(str(plan), "--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER)
        assert code == 0 and f"Gesendet: {7 - first};" in output
    assert sorted(recorder.recipients()) == ADDRESSES


def test_rate_limit_spaces_the_messages(tmp_path: Path) -> None:
    plan = write_sample_plan(tmp_path)
    recorder = Recorder()
    started = time.monotonic()
    with smtp_server(recorder) as port:
        code, _ = run(str(plan), "--smtp", f"127.0.0.1:{port}", "--plain", "--absender", SENDER, "--per-minute", "300")
    assert code == 0 and len(recorder.received) == 7
    assert time.monotonic() - started >= 6 * 60 / 300  # 7 messages: 6 gaps of 0.2 s at least
