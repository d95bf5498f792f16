"""Random valid registrations, written in every form tool's layout, read back unchanged."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.io.forms import read_registrations
from scheduler.io.registrations import build_people
from scheduler.problems import Problems
from tests.fixtures.forms.make_fixtures import FIXTURES, Reg, fixture_event, slot_label

EVENT = fixture_event()
TITLES = [s.title for s in EVENT.sessions]
SLOTS = [slot_label(EVENT, s.id) for s in EVENT.session_slots]
LATIN = "abcdefghijklmnopqrstuvwxyzäöüßéèçñ"  # what every layout can hold, cp1252 included
WIDE = LATIN + "ıłśćğŁ"  # Yılmaz, Małgorzata: not in cp1252

word = st.text(alphabet=LATIN, min_size=2, max_size=8).map(str.capitalize)
wide_word = st.text(alphabet=WIDE, min_size=2, max_size=8).map(str.capitalize)
organisation = st.lists(st.sampled_from(["ZZ", "Süd", "KWW", "gsub", "GmbH", "e.V.", "Berlin,", "Nord;", '"Q"']),
                        min_size=0, max_size=4).map(" ".join)  # fmt: skip


@st.composite
def registrations(draw: st.DrawFn, words: st.SearchStrategy[str]) -> list[Reg]:
    count = draw(st.integers(min_value=1, max_value=6))
    regs = []
    for i in range(count):
        name = " ".join(draw(st.lists(words, min_size=1, max_size=3)))
        wishes = draw(st.permutations(TITLES))[: draw(st.integers(min_value=1, max_value=3))]
        unavailable = tuple(s for s in SLOTS if draw(st.booleans()))
        email = f"p{i}.{draw(st.sampled_from(['a', 'b']))}@example.org"
        when = datetime(2021, 9, 1) + timedelta(minutes=draw(st.integers(0, 10_000)))
        regs.append(Reg(name, email, draw(organisation), tuple(wishes), unavailable, when))
    return regs


def read_back(layout: str, regs: list[Reg]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / layout
        FIXTURES[layout](path, regs, EVENT)
        sessions = [(s.id, s.title) for s in EVENT.sessions]
        raws, k, _, _ = read_registrations(path, sessions=sessions)
    problems = Problems()
    people = build_people(raws, EVENT.sessions, EVENT.slots, problems)
    assert problems.errors == []
    assert k == 3 or k == max(len(r.wishes) for r in regs)
    by_title = {s.title: s.id for s in EVENT.sessions}
    by_label = {slot_label(EVENT, s.id): s.id for s in EVENT.session_slots}
    assert [(p.name, p.email, p.organisation) for p in people] == [
        (r.name, r.email, " ".join(r.organisation.split())) for r in regs
    ]
    assert [[(w.session, w.rank) for w in p.wishes] for p in people] == [
        [(by_title[t], rank) for rank, t in enumerate(r.wishes, start=1)] for r in regs
    ]
    assert [p.unavailable for p in people] == [frozenset(by_label[u] for u in r.unavailable) for r in regs]


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("layout", sorted(set(FIXTURES) - {"excel_de_cp1252.csv"}))
@SETTINGS
@given(regs=registrations(wide_word))
def test_layout_round_trip(layout: str, regs: list[Reg]) -> None:
    read_back(layout, regs)


@SETTINGS
@given(regs=registrations(word))
def test_cp1252_round_trip(regs: list[Reg]) -> None:
    read_back("excel_de_cp1252.csv", regs)
