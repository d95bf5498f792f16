"""The printable agendas in a real browser: headless Chromium prints the HTML to PDF, one A4 page per person.

Needs the Debian packages `chromium` and `poppler-utils` (pdfinfo, pdftotext): without them the browser tests
skip naming the packages (tests/tools.py); `.ci/run` installs them and makes that skip a failure.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scheduler.export.agenda_html import agendas_html, write_agendas_html
from scheduler.views import build_view
from tests.plan_fixtures import FORMULA_NAME, sample_event, sample_plan


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not installed: apt-get install -y chromium poppler-utils (see .ci/run)")
    return found


def _print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    command = [
        _tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        html.resolve().as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _page_text(pdf: Path, page: int, *, layout: bool = True) -> str:
    args = [_tool("pdftotext"), *(["-layout"] if layout else []), "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.mark.usefixtures("browser_tools")
def test_one_printed_page_per_person(tmp_path: Path) -> None:
    view = build_view(sample_event(), sample_plan())
    html, pdf = tmp_path / "agendas.html", tmp_path / "agendas.pdf"
    write_agendas_html(view, html, "de")
    _print_to_pdf(html, pdf, tmp_path / "profile")
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages == len(view.event.people) == 8
    assert "A4" in info or "595" in info  # A4 is 595 x 842 pt
    bernd = _page_text(pdf, 2)
    assert bernd.startswith("Vernetzungstreffen\nMittwoch, 6. Oktober 2021\n") and "Bernd Schulz" in bernd
    flat = " ".join(_page_text(pdf, 2, layout=False).split())  # the larger type wraps titles onto a second line
    for text in ("Eröffnung", "Sie leiten: Lotsenberatung", "@SUM(1)", "Digitale Lernangebote", "Resümee"):
        assert text in flat
    assert "Wer kommt: Lotsenberatung, 10:00–11:00 (2 Personen)" in flat and "Małgorzata Nowak (gsub)" in flat
    assert "Anna Müller" not in bernd and "Hanna Berg" not in bernd
    malgo = _page_text(pdf, 4)
    assert "Małgorzata Nowak" in malgo and "nicht verfügbar" in malgo and "Lotsenberatung" in malgo


def test_html_is_self_contained_and_escaped() -> None:
    event = sample_event()
    people = (dataclasses.replace(event.people[0], name="<script>alert(1)</script>"), *event.people[1:])
    view = build_view(dataclasses.replace(event, people=people), sample_plan())
    html = agendas_html(view, view.agendas, "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('<section class="agenda">') == 8
    assert "&quot;http://x&quot;" in html and FORMULA_NAME not in html
    assert not re.search(r"<link|<img|<script|@import|url\(", html)
    assert '<a href="https://zoom.example/j/111">' in html
    assert "break-after: page" in html and 'lang="en"' in html and "Your agenda" in html
