"""Whether an e-mail address can be used to reach a person: for the agenda e-mails and the Zoom lists.

Deliberately plain (one `@`, a dotted domain, no spaces or separators): it catches what registration forms
let through ("anna at example.org", "anna@", two addresses in one cell) without guessing what was meant.
The part before the `@` must be ASCII (an umlaut there needs SMTPUTF8, which few servers offer); a domain with
umlauts is fine and goes out in its IDNA form (`müller.de` as `xn--mller-kva.de`).
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")


def usable_email(address: str) -> bool:
    address = address.strip()
    if not _ADDRESS.fullmatch(address) or ".." in address:
        return False
    local, _, domain = address.rpartition("@")
    return local.isascii() and ascii_domain(domain) is not None


def ascii_domain(domain: str) -> str | None:
    """The domain as it goes into an SMTP envelope (IDNA for umlauts), or None when it cannot be encoded."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
