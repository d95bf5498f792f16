"""Each form tool's export, as the fixtures in tests/fixtures/forms hold it, gives exactly the registered people."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.domain import Person, Wish
from scheduler.io.forms import load_event, read_registrations
from tests.fixtures.forms.make_fixtures import FIXTURES, WISHES, fixture_event

HERE = Path(__file__).parent / "fixtures" / "forms"
EVENT = HERE / "event.xlsx"


def expected_people() -> dict[str, Person]:
    """The generated participants with their first three wishes: what every fixture was written from."""
    return {p.id: p for p in fixture_event().participants}


def read_people(fixture: str) -> tuple[dict[str, Person], list[str], int]:
    event, warnings, columns = load_event(EVENT, HERE / fixture, None)
    assert columns is not None
    return {p.id: p for p in event.participants}, [w.render("en") for w in warnings], event.wish_count


def assert_same_people(read: dict[str, Person]) -> None:
    expected = expected_people()
    assert sorted(read) == sorted(expected)
    for ident, want in expected.items():
        got = read[ident]
        assert (got.name, got.email, got.organisation) == (want.name, want.email, want.organisation)
        assert got.wishes == tuple(Wish(w.session, w.rank) for w in want.wishes[:WISHES])
        assert got.unavailable == want.unavailable


IGNORED_SHEET = 'event.xlsx, Anmeldungen: The sheet "Anmeldungen" has 12 registrations; they are not used'


def test_fixtures_are_the_ones_the_script_writes(tmp_path: Path) -> None:
    """The committed files are exactly what make_fixtures.py writes (so the script documents them)."""
    from tests.fixtures.forms import make_fixtures

    event = fixture_event()
    regs = make_fixtures.registrations(event)
    for name, writer in FIXTURES.items():
        writer(tmp_path / name, regs, event)
        assert (tmp_path / name).read_bytes() == (HERE / name).read_bytes(), name


def test_ms_forms_german_anonymous() -> None:
    people, warnings, k = read_people("msforms_de.xlsx")
    assert_same_people(people)
    assert k == 3
    assert warnings == [IGNORED_SHEET + " because --anmeldungen names an export."]
    _, _, columns, _ = read_registrations(HERE / "msforms_de.xlsx")
    assert columns.layout.en == "Microsoft Forms (German export)"
    assert [(label.en, header) for label, header, _ in columns.lines()] == [
        ("Name", "Vor- und Nachname"), ("E-mail", "E-Mail-Adresse"), ("Organisation", "Organisation"),
        ("Wish 1", "Erstwunsch"), ("Wish 2", "Zweitwunsch"), ("Wish 3", "Drittwunsch"),
        ("Unavailable", "In welchen Zeitfenstern sind Sie nicht verfügbar?"), ("Submitted", "Fertigstellungszeit"),
    ]  # fmt: skip
    unused = {columns.headers[c]: r.en for c, r in columns.unused}
    assert unused["E-Mail"] == "empty or only “anonymous” (anonymous form)"
    assert unused["ID"] == "bookkeeping column of Microsoft Forms (German export)"


def test_ms_forms_english_multiple_choice() -> None:
    people, warnings, k = read_people("msforms_en.xlsx")
    assert_same_people(people)
    assert k == 3
    assert (
        'msforms_en.xlsx, Sheet1: The wishes come from the multiple-choice question "Which sessions would you like '
        'to attend?": the chosen sessions count as wishes in the listed order, not by preference.'
    ) in " ".join(warnings)
    raws, _, _, _ = read_registrations(HERE / "msforms_en.xlsx")
    assert raws[0].submitted is not None and f"{raws[0].submitted:%Y-%m-%d %H:%M:%S}" == "2021-09-20 09:00:00"


def test_google_forms_german_csv_grid_of_sessions() -> None:
    people, warnings, k = read_people("google_de.csv")
    assert_same_people(people)
    assert (k, warnings) == (3, [IGNORED_SHEET + " because --anmeldungen names an export."])
    raws, _, columns, _ = read_registrations(HERE / "google_de.csv")
    assert columns.wishes is not None and columns.wishes.kind == "grid"
    assert [f"{r.submitted:%d.%m.%Y %H:%M:%S}" for r in raws[:2]] == ["20.09.2021 09:00:00", "20.09.2021 09:37:01"]


def test_google_forms_english_xlsx_grid_of_ranks() -> None:
    people, _, k = read_people("google_en.xlsx")
    assert_same_people(people)
    assert k == 3
    raws, _, columns, _ = read_registrations(HERE / "google_en.xlsx")
    assert columns.layout.en == "Google Forms (English export)"
    assert f"{raws[1].submitted:%Y-%m-%d %H:%M:%S}" == "2021-09-20 09:37:01"  # written 9/20/2021 09:37:01


def test_limesurvey_codes_skips_the_unfinished_response() -> None:
    people, warnings, k = read_people("limesurvey_codes.csv")
    assert_same_people(people)
    assert k == 3
    assert "nie@example.org" not in people
    assert (
        'limesurvey_codes.csv, row 14, column "submitdate": This response was never submitted (incomplete) and is '
        "skipped."
    ) in warnings


def test_limesurvey_full_german_texts() -> None:
    people, _, k = read_people("limesurvey_de.csv")
    assert_same_people(people)
    assert k == 3
    _, _, columns, _ = read_registrations(HERE / "limesurvey_de.csv")
    assert [header for _, header, _ in columns.lines()][:2] == ["Vorname", "Nachname"]
    assert columns.layout.de == "LimeSurvey (Export mit vollständigen Fragetexten)"


def test_german_excel_csv_cp1252_with_totals_row() -> None:
    people, warnings, k = read_people("excel_de_cp1252.csv")
    assert_same_people(people)
    assert k == 3
    assert 'excel_de_cp1252.csv, row 14: Row 14 looks like a totals row ("Summe") and is skipped.' in warnings
    _, _, columns, _ = read_registrations(HERE / "excel_de_cp1252.csv")
    assert [columns.headers[c] for c, _ in columns.unused] == ["Teilnahmebeitrag"]


def test_german_excel_csv_utf8_with_session_ids() -> None:
    people, warnings, k = read_people("excel_de_utf8.csv")
    assert_same_people(people)
    assert (k, warnings) == (3, [IGNORED_SHEET + " because --anmeldungen names an export."])


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_every_fixture_is_recognised(fixture: str) -> None:
    raws, k, columns, _ = read_registrations(HERE / fixture)
    assert (len(raws), k) == (12, 3)
    assert columns.wishes is not None
