"""Sending the letters through the organiser's mail server (stdlib `smtplib`), each at most once.

Encryption is on by default: STARTTLS on port 587, or implicit TLS (`--ssl`, port 465); certificates are
checked against the system's CAs or `--ca`. Without encryption (`--plain`) no password is ever sent,
except to a server on this machine. Each accepted message goes into the journal before the next one starts;
a refused recipient is recorded and sending goes on; a refused login, a refused sender or a lost connection
stops the run, and a rerun picks up the rest.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from ipaddress import ip_address
from pathlib import Path
from typing import Literal

from scheduler.mail.journal import Journal, key
from scheduler.mail.letter import Letter
from scheduler.text import Text

Security = Literal["starttls", "ssl", "plain"]
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "plain": 25}


class SendError(Exception):
    """Why sending cannot start or cannot go on, in the organiser's words."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    timeout: float = 30.0


def parse_server(text: str, security: Security) -> tuple[str, int]:
    """`smtp.example.org` or `smtp.example.org:2525` (IPv6 in brackets); the port defaults by security."""
    host, port = text.strip(), ""
    if host.startswith("["):
        inner, _, rest = host[1:].partition("]")
        host, port = inner, rest.removeprefix(":")
    elif host.count(":") == 1:
        host, port = host.split(":")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise SendError(
            Text(
                f'"{text}" ist kein Mailserver (z. B. smtp.example.org oder smtp.example.org:587).',
                f'"{text}" is not a mail server (e.g. smtp.example.org or smtp.example.org:587).',
            )
        )
    return host, int(port) if port else DEFAULT_PORTS[security]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


Status = Literal["sent", "failed", "done before", "no address"]


@dataclass(frozen=True)
class Outcome:
    letter: Letter
    status: Status
    reason: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: Text | None = None  # why the run ended before the last letter
    interrupted: bool = False

    def of(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


class Pacer:
    """At most `per_minute` messages a minute: evenly spaced, and a stop request ends the wait at once."""

    def __init__(self, per_minute: int | None, stop: threading.Event, clock: Callable[[], float] = time.monotonic):
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self.stop = stop
        self.clock = clock
        self.last: float | None = None

    def wait(self) -> None:
        if self.last is not None and self.interval:
            self.stop.wait(max(0.0, self.last + self.interval - self.clock()))
        self.last = self.clock()


def connect(server: Server) -> smtplib.SMTP:
    """A logged-in connection, or `SendError` saying what failed (never with the password)."""
    context = ssl.create_default_context(cafile=str(server.ca_file) if server.ca_file else None)
    where = f"{server.host}:{server.port}"
    try:
        client: smtplib.SMTP
        if server.security == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            client.ehlo()
            if server.security == "starttls":
                if not client.has_extn("starttls"):
                    client.close()
                    raise SendError(
                        Text(
                            f"{where} bietet kein STARTTLS an; ohne Verschlüsselung wird nicht gesendet.",
                            f"{where} offers no STARTTLS; nothing is sent unencrypted.",
                        )
                    )
                client.starttls(context=context)
                client.ehlo()
        if server.user:
            _login(client, server.user, server.password or "")
        return client
    except smtplib.SMTPAuthenticationError as e:
        raise SendError(
            Text(
                f"{where} lehnt die Anmeldung als {server.user} ab ({_reply(e)}): Benutzername oder Passwort prüfen.",
                f"{where} refuses the login as {server.user} ({_reply(e)}): check the user name and password.",
            )
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(
            Text(
                f"{where} bietet keine Anmeldung an; ohne --user senden.",
                f"{where} offers no login; send without --user.",
            )
        ) from None
    except ssl.SSLCertVerificationError as e:
        raise SendError(
            Text(
                f"Das Zertifikat von {where} ist nicht vertrauenswürdig ({e.verify_message}); "
                "eine eigene Zertifizierungsstelle mit --ca angeben.",
                f"The certificate of {where} is not trusted ({e.verify_message}); give your own CA with --ca.",
            )
        ) from None
    except (smtplib.SMTPException, OSError) as e:
        raise SendError(
            Text(f"Keine Verbindung zu {where}: {_reason(e).de}.", f"Cannot connect to {where}: {_reason(e).en}.")
        ) from None


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """`smtplib` logs in with ASCII only; a password with umlauts goes as AUTH PLAIN in UTF-8 (RFC 4616)."""
    if (user + password).isascii():
        client.login(user, password)
        return
    if not client.has_extn("auth") or "PLAIN" not in client.esmtp_features["auth"].upper().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN")
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def deliver(
    server: Server,
    letters: Sequence[Letter],
    journal: Journal,
    done: set[tuple[str, str]],
    *,
    per_minute: int | None = None,
    stop: threading.Event | None = None,
    on_outcome: Callable[[Outcome], None] = lambda _: None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Summary:
    """Send every letter not in `done`, journaling each; stops early on `stop`, a fatal error or a lost line."""
    stop = stop or threading.Event()
    summary = Summary()

    def note(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        on_outcome(outcome)

    todo: list[tuple[Letter, EmailMessage]] = []
    for letter in letters:
        if letter.message is None:
            note(Outcome(letter, "no address"))
        elif key(letter.person.id, letter.person.email) in done:
            note(Outcome(letter, "done before"))
        else:
            todo.append((letter, letter.message))
    if not todo:
        return summary
    client = connect(server)
    pacer = Pacer(per_minute, stop)
    try:
        for letter, message in todo:
            pacer.wait()
            if stop.is_set():
                summary.interrupted = True
                break
            person, to = letter.person.id, letter.person.email
            try:
                client.send_message(message)
            except smtplib.SMTPRecipientsRefused as e:
                reason = "; ".join(_reply_of(code, text) for code, text in e.recipients.values())
                journal.record(person, to, "failed", now(), reason=reason)
                note(Outcome(letter, "failed", reason))
                continue
            except smtplib.SMTPSenderRefused as e:
                summary.stopped = Text(
                    f"Der Server lehnt den Absender {e.sender} ab ({_reply(e)}).",
                    f"The server refuses the sender {e.sender} ({_reply(e)}).",
                )
                break
            except smtplib.SMTPDataError as e:
                journal.record(person, to, "failed", now(), reason=_reply(e))
                note(Outcome(letter, "failed", _reply(e)))
                continue
            except (smtplib.SMTPException, OSError) as e:
                summary.stopped = Text(
                    f"Die Verbindung zu {server.host}:{server.port} ist abgebrochen ({_reason(e).de}).",
                    f"The connection to {server.host}:{server.port} was lost ({_reason(e).en}).",
                )
                break
            journal.record(person, to, "sent", now(), message_id=str(message["Message-ID"]))
            note(Outcome(letter, "sent"))
    finally:
        _quit(client)
    return summary


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _reply(e: smtplib.SMTPResponseException) -> str:
    return _reply_of(e.smtp_code, e.smtp_error)


def _reply_of(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()


def _reason(e: BaseException) -> Text:
    """The server's reply where there is one, else the network failure in the organiser's words."""
    if isinstance(e, smtplib.SMTPResponseException):
        return Text(_reply(e), _reply(e))
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return Text("der Server hat die Verbindung getrennt", "the server closed the connection")
    if isinstance(e, ConnectionRefusedError):
        return Text("Verbindung abgelehnt; Servername und Port prüfen", "connection refused; check host and port")
    if isinstance(e, socket.gaierror):
        return Text("Servername unbekannt", "unknown host name")
    if isinstance(e, TimeoutError):
        return Text("keine Antwort in der Wartezeit", "no answer in time")
    if isinstance(e, ssl.SSLError):
        return Text(f"TLS-Fehler: {e.reason}", f"TLS error: {e.reason}")
    text = str(e) or type(e).__name__
    return Text(text, text)
