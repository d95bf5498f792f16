"""What every test shares: the help language fixed to German, and the check for the browser tools.

Help texts are read when the commands are declared (scheduler/cli/help_text.py), so a `SCHEDULER_LANG=en` in
the developer's shell would turn every help test English; it is removed before any test module imports the CLI.

The printed-output tests need Chromium, poppler and LibreOffice; tests/tools.py skips them where these are
missing, naming the Debian package, except in CI.
"""

from __future__ import annotations

import os

import pytest

from tests.tools import require_tools

os.environ.pop("SCHEDULER_LANG", None)


@pytest.fixture
def browser_tools() -> dict[str, str]:
    """The path of each tool the printed-agenda tests need; skips (fails in CI) when any is missing."""
    return require_tools("chromium", "pdfinfo", "pdftotext")
