"""Submission times as the tools write them: Excel date cells, or text in the tool's and the language's format.

Microsoft Forms writes `10/6/21 14:03:12` (English) or `06.10.2021 14:03:12` (German), Google Forms
`06.10.2021 14:03:12` or `10/6/2021 14:03:12` (CSV also `2021/10/06 2:03:12 PM GMT+2`), LimeSurvey
`2021-10-06 14:03:12`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_ZONE = re.compile(r"\s+(?:GMT|UTC|MEZ|MESZ|CET|CEST|OEZ|OESZ)(?:[+-]\d{1,2}(?::?\d{2})?)?$", re.IGNORECASE)
_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M", "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%y %H:%M",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%y %I:%M %p",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%y %H:%M",
)  # fmt: skip  # month before day for slashes: that is what the English exports write


def parse_submitted(value: Any) -> datetime | None:
    """The moment a response was sent, or None when the cell holds no readable date and time."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = _ZONE.sub("", " ".join(value.split())).replace(",", "")
    text = re.sub(r"\.\d+$", "", text)  # fractions of a second
    for form in _FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    return None
