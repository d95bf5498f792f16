"""External programs that some tests need: they skip without them, naming the Debian package, except in CI.

`.ci/run` installs them and sets SCHEDULER_REQUIRE_BROWSER=1, which turns such a skip into a failure, so CI
always runs these tests.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_BROWSER = "SCHEDULER_REQUIRE_BROWSER"
DEBIAN_PACKAGES = {
    "chromium": "chromium",
    "pdfinfo": "poppler-utils",
    "pdftotext": "poppler-utils",
    "libreoffice": "libreoffice-calc",
}


def require_tools(*names: str) -> dict[str, str]:
    """The path of each named program; skips the test (fails under SCHEDULER_REQUIRE_BROWSER=1) when one is missing."""
    found = {name: shutil.which(name) for name in names}
    absent = [name for name, path in found.items() if path is None]
    if absent:
        packages = sorted({DEBIAN_PACKAGES[name] for name in absent})
        reason = f"needs {', '.join(absent)}: apt-get install -y {' '.join(packages)} (Debian packages; see .ci/run)"
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{REQUIRE_BROWSER}=1 but the test {reason}")
        pytest.skip(reason)
    return {name: path for name, path in found.items() if path is not None}
