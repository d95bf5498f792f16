"""Whether an e-mail address can be used to reach a person: for the agenda e-mails and the Zoom lists.

Deliberately plain (one `@`, a dotted domain, no spaces or separators): it catches what registration forms
let through ("anna at example.org", "anna@", two addresses in one cell) without guessing what was meant.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")


def usable_email(address: str) -> bool:
    return bool(_ADDRESS.fullmatch(address.strip())) and ".." not in address
