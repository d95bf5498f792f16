"""What every test shares: the help language fixed to German, and the check for the browser tools.

Help texts are read when the commands are declared (scheduler/cli/help_text.py), so a `SCHEDULER_LANG=en` in
the developer's shell would turn every help test English; it is removed before any test module imports the CLI.

The printable-agenda tests need headless Chromium and poppler's pdfinfo/pdftotext. On a machine without them
they skip, naming the Debian package; `.ci/run` installs them and sets SCHEDULER_REQUIRE_BROWSER=1, which turns
that skip into a failure, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.pop("SCHEDULER_LANG", None)

REQUIRE_BROWSER = "SCHEDULER_REQUIRE_BROWSER"
DEBIAN_PACKAGES = {"chromium": "chromium", "pdfinfo": "poppler-utils", "pdftotext": "poppler-utils"}


@pytest.fixture
def browser_tools() -> dict[str, str]:
    """The path of each tool; skips (fails under SCHEDULER_REQUIRE_BROWSER=1) when any is missing."""
    found = {name: shutil.which(name) for name in DEBIAN_PACKAGES}
    missing = sorted({DEBIAN_PACKAGES[name] for name, path in found.items() if path is None})
    if missing:
        reason = (
            f"needs {', '.join(n for n, p in found.items() if p is None)}: "
            f"apt-get install -y {' '.join(missing)} (Debian packages; see .ci/run)"
        )
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{REQUIRE_BROWSER}=1 but the test {reason}")
        pytest.skip(reason)
    return {name: path for name, path in found.items() if path is not None}
