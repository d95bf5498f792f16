"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it accepts, for the sending tests.

It can refuse some recipients, refuse a login, drop the connection after N accepted messages, and speak
STARTTLS or implicit TLS with a certificate from a throwaway CA (trustme).
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "orga", "geheim-Passwört-42"


@dataclass
class Recorder:
    """The aiosmtpd handler: `received` holds (recipients, raw bytes) of every message accepted."""

    refuse: frozenset[str] = frozenset()
    drop_after: int | None = None  # accept this many messages (over all connections), then hang up on the next
    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.drop_after is not None and len(self.received) >= self.drop_after:
                server.transport.close()
                return "421 4.3.0 going away"
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 2.0.0 Accepted"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = [data for _, data in self.received]
        return [message_from_bytes(data, policy=policy.default) for data in raw]  # type: ignore[misc]

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for tos, _ in self.received for r in tos]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == USER.encode() and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Tls:
    server_context: ssl.SSLContext
    ca_file: Path


def make_tls(directory: Path) -> Tls:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return Tls(context, ca_file)


@contextmanager
def smtp_server(
    recorder: Recorder, *, auth: bool = False, starttls: Tls | None = None, implicit: Tls | None = None
) -> Iterator[int]:
    """Run the server on a free loopback port for the duration; yields the port."""
    port = free_port()
    options: dict[str, Any] = {"hostname": "127.0.0.1", "port": port}
    if auth:
        options.update(authenticator=_authenticate, auth_require_tls=starttls is not None)
    if starttls is not None:
        options.update(tls_context=starttls.server_context, require_starttls=True)
    if implicit is not None:
        options.update(ssl_context=implicit.server_context)
    controller = Controller(recorder, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
