"""The one e-mail check: what registrations warn about and what the Zoom lists accept letter for letter.

A practical form of RFC 5322's addr-spec as mail programs and Zoom take it: a local part of letters, digits
and ``!#$%&'*+/=?^_`{|}~-`` in dot-separated pieces, an `@`, and a domain of dot-separated labels of letters,
digits and inner hyphens with a top-level part of two or more letters (international letters allowed).
"""

from __future__ import annotations

import re

_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[^\W\d_]{{2,}}")


def is_email(text: str) -> bool:
    """Whether `text` is one e-mail address (no spaces, no name, no second address)."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None
