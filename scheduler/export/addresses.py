"""Whether an e-mail address can be used to send a person their agenda e-mail.

The address must pass the one e-mail check of the program (`scheduler.io.emails.is_email`, which catches
what registration forms let through: "anna at example.org", "anna@", two addresses in one cell). For sending,
the part before the `@` must also be ASCII (an umlaut there needs SMTPUTF8, which few servers offer); a domain with
umlauts is fine and goes out in its IDNA form (`müller.de` as `xn--mller-kva.de`).
"""

from __future__ import annotations

from scheduler.io.emails import is_email


def usable_email(address: str) -> bool:
    address = address.strip()
    if not is_email(address):
        return False
    local, _, domain = address.rpartition("@")
    return local.isascii() and ascii_domain(domain) is not None


def ascii_domain(domain: str) -> str | None:
    """The domain as it goes into an SMTP envelope (IDNA for umlauts), or None when it cannot be encoded."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
