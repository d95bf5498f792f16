"""The synthetic example: deterministic, realistic, feasible; written and read back unchanged."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import Event, Person, Room, Session, Slot, Wish
from scheduler.example import ExampleError, generate_event
from scheduler.example.data import GUEST_ORGANISATIONS, HOST_ORGANISATIONS, KIND_INTERESTS, THEMES
from scheduler.example.witness import Placement, witness_timetable
from scheduler.io.workbook import read_event
from scheduler.io.write_workbook import write_event_workbook

EXAMPLE = Path(__file__).parent.parent / "examples" / "vernetzungstreffen.xlsx"


@pytest.fixture(scope="module")
def event() -> Event:
    return generate_event()


def run(*args: str) -> tuple[int, str]:
    """Exit code and output with rich's line wrapping undone."""
    result = CliRunner().invoke(app, ["example", *args])
    return result.exit_code, " ".join(result.output.split())


# -- determinism ----------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_event(event: Event) -> None:
    assert generate_event(seed=0) == event
    assert generate_event(60, 8, 2, 4, seed=7) == generate_event(60, 8, 2, 4, seed=7)


def test_different_seeds_give_different_events(event: Event) -> None:
    other = generate_event(seed=1)
    assert other != event
    assert [p.name for p in other.people] != [p.name for p in event.people]


def test_same_seed_gives_identical_bytes_with_fixed_timestamps(tmp_path: Path) -> None:
    assert run(str(tmp_path / "a.xlsx"), "--seed", "5")[0] == 0
    assert run(str(tmp_path / "b.xlsx"), "--seed", "5")[0] == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2021, 10, 6, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2021-10-06T00:00:00Z</dcterms:created>" in core
    assert "2021-10-06T00:00:00Z</dcterms:modified>" in core
    assert run(str(tmp_path / "c.xlsx"), "--seed", "6")[0] == 0
    assert (tmp_path / "c.xlsx").read_bytes() != (tmp_path / "a.xlsx").read_bytes()


# -- the model case -------------------------------------------------------------------------------------------


def test_timetable_of_the_model_case(event: Event) -> None:
    assert (event.name, event.date, event.timezone) == (
        "Vernetzungstreffen Zukunftszentren 2021",
        date(2021, 10, 6),
        "Europe/Berlin",
    )
    first, *middle, last = event.ordered_slots
    assert (first.kind, first.title, first.start) == ("plenary", "Eröffnung", time(9, 30))
    assert (last.kind, last.title) == ("plenary", "Resümee")
    assert [s.id for s in middle] == ["T1", "T2", "T3"]
    assert all(s.kind == "session" and 60 <= _minutes(s) <= 75 for s in middle)
    assert len(event.rooms) == 5
    assert all(r.link.startswith("https://zoom.example.org/j/") for r in event.rooms)
    assert {s.organisation for s in event.sessions} == {o.name for o in HOST_ORGANISATIONS}
    titles = [s.title for s in event.sessions]
    assert titles[:4] == [
        "KMU-Ansprache und -Beratung",
        "Digitale Lernangebote",
        "Vernetzung regionaler Akteure",
        "KI in Unternehmen",
    ]


def test_registrations_are_realistic(event: Event) -> None:
    people = event.participants
    assert len(people) >= 130
    assert event.rank_count == 5
    counts = Counter(len(p.wishes) for p in people)
    assert counts[5] >= 0.9 * len(people) and set(counts) <= {3, 4, 5}
    names = " ".join(p.name for p in event.people)
    assert any(c in names for c in "äöüß")
    assert any(ord(c) > 0x17F for c in names) or "'" in names  # beyond German: Yılmaz, Nguyễn, O'Brien …
    assert len({p.name for p in event.people}) == len(event.people)
    assert all(p.id == p.email == p.email.lower() and p.email.isascii() for p in event.people)
    hosting = [p for p in people if p.id in event.hosted_sessions]
    assert hosting, "some hosts also register"
    assert any(not p.participant for p in event.people), "some hosts only host"
    assert all(w.session not in event.hosted_sessions.get(p.id, ()) for p in hosting for w in p.wishes)
    unavailable = [p for p in people if p.unavailable]
    assert 0.02 * len(people) <= len(unavailable) <= 0.1 * len(people)
    assert all(len(p.unavailable) == 1 and p.id not in event.hosted_sessions for p in unavailable)


def test_popularity_is_skewed(event: Event) -> None:
    wished = Counter(w.session for p in event.participants for w in p.wishes)
    first = Counter(w.session for p in event.participants for w in p.wishes if w.rank == 1)
    ranked = [n for _, n in wished.most_common()]
    assert ranked[0] >= 3 * ranked[-1]
    assert first.most_common(1)[0] == ("S04", max(first.values()))  # KI in Unternehmen is the favourite
    assert first.most_common(1)[0][1] >= 4 * sorted(first.values())[len(first) // 2 - 1]


def test_wishes_follow_the_organisation() -> None:
    """People of a kind of organisation wish the themes that kind cares about more often than others do."""
    event = generate_event(participants=600, seed=2)
    kinds = {o.name: o.kind for o in (*HOST_ORGANISATIONS, *GUEST_ORGANISATIONS)}
    tags = {t.title: t.tag for t in THEMES}
    for kind in ("kammer", "bildung"):
        share = {}
        for inside in (True, False):
            wishes = [
                tags[event.session(w.session).title] in KIND_INTERESTS[kind]
                for p in event.participants
                if (kinds[p.organisation] == kind) == inside
                for w in p.wishes
            ]
            share[inside] = sum(wishes) / len(wishes)
        assert share[True] > share[False] + 0.1, (kind, share)


def test_capacities_are_tight_with_limits(event: Event) -> None:
    wished = Counter(w.session for p in event.participants for w in p.wishes)
    assert 1 <= sum(s.capacity is not None and s.capacity < wished[s.id] for s in event.sessions) <= 2
    assert sum(s.minimum > 0 for s in event.sessions) >= 2
    assert [s.id for s in event.sessions if s.runs == 2] == ["S04"]
    seats_if_all_rooms = sum(r.capacity or 0 for r in event.rooms)
    assert len(event.participants) < seats_if_all_rooms < 1.6 * len(event.participants)


@pytest.mark.parametrize(
    ("sizes", "seed"),
    [((135, 14, 3, 5), 0), ((135, 14, 3, 5), 1), ((500, 24, 4, 8), 0), ((40, 6, 2, 3), 3), ((5000, 120, 6, 24), 0)],
)
def test_everybody_can_be_placed_in_every_slot(sizes: tuple[int, int, int, int], seed: int) -> None:
    """A greedy seat assignment on the generator's witness timetable seats every participant everywhere."""
    event = generate_event(*sizes, seed=seed)
    placements = witness_timetable(event)
    assert placements is not None
    _check_timetable(event, placements)
    attendance = _greedy_seats(event, placements)
    assert all(attendance[p] <= _limit(event, p) for p in placements)
    assert sum(attendance.values()) >= len(event.participants)
    for slot in event.session_slots:
        minimums = sum(event.session(p.session).minimum for p in placements if slot.id in p.slots)
        assert minimums <= len(event.participants) // 2


def test_large_sizes_bring_more_themes_and_longer_sessions() -> None:
    event = generate_event(5000, 120, 6, 24)
    assert len(event.participants) == 5000 and len(event.sessions) == 120
    assert len({s.title for s in event.sessions}) == 120
    assert any(s.duration == 2 for s in event.sessions)
    assert sum(s.runs == 2 for s in event.sessions) == 3


# -- the command ----------------------------------------------------------------------------------------------


def test_command_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "beispiel.xlsx"
    code, output = run(str(out), "--participants", "50", "--sessions", "8", "--slots", "2", "--rooms", "4")
    assert code == 0, output
    assert "Beispiel geschrieben" in output and "50 Anmeldungen" in output
    read, _ = read_event(out)
    assert read == generate_event(50, 8, 2, 4, networking=2)  # two networking rounds by default


def test_command_keeps_an_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "beispiel.xlsx"
    out.write_bytes(b"mine")
    code, output = run(str(out))
    assert code == 2
    assert "gibt es schon" in output and "--force" in output
    assert out.read_bytes() == b"mine"
    assert run(str(out), "--force")[0] == 0
    assert out.read_bytes().startswith(b"PK")


def test_command_rejects_impossible_sizes(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "x.xlsx"), "--sessions", "40", "--slots", "3", "--rooms", "5", "--lang", "en")
    assert code == 2
    assert "40 sessions do not fit 3 slots × 5 rooms" in output
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(ExampleError):
        generate_event(slots=9, sessions=40, rooms=9)


def test_bundled_example_is_the_default_example() -> None:
    read, warnings = read_event(EXAMPLE)
    assert warnings == []
    assert read == generate_event(networking=2)  # what `scheduler example` writes by default


# -- writing and reading back ---------------------------------------------------------------------------------


def test_round_trip_of_the_generated_event(tmp_path: Path, event: Event) -> None:
    path = tmp_path / "event.xlsx"
    write_event_workbook(event, path)
    read, warnings = read_event(path)
    assert warnings == []
    assert read == event


def test_round_trip_of_unusual_values_and_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://x","y")'
    event = Event(
        name="@SUM(1)",
        date=date(2022, 3, 1),
        weights=(10, 5, 1),
        wish_count=3,
        slots=(
            Slot("A", time(9), time(10), "plenary", "Start"),
            Slot("B", time(10), time(11)),
            Slot("C", time(11), time(12, 30)),
        ),
        rooms=(Room("R1", "+Raum", None, "", frozenset({"Whiteboard", "Ton"})), Room("R2", "Zwei", 12)),
        sessions=(
            Session("S1", formula, ("ada@example.org",), "-Org", 10, 2, 2, 1, frozenset({"Ton"}), "B", "R1"),
            Session("S2", "Zweite", ("name:bea berg",), not_in=frozenset({"B", "C"}), description="x; y, z"),
            Session("S3", "Dritte", ("cleo@example.org",), "Org C", runs=2),
            Session("S4", "Dritte!", ("cleo@example.org",)),  # reads like S3: wishes name it by id
            Session("S5", "s1", ("cleo@example.org",)),  # a title that is another session's id
        ),
        people=(
            Person("ada@example.org", "Ada Ärger", "ada@example.org", "=Org", (Wish("S2", 1), Wish("S3", 2))),
            Person("name:bea berg", "Bea Berg", "", "", (Wish("S1", 1), Wish("S3", 3)), frozenset({"B"})),
            Person("dan@example.org", "Dan", "dan@example.org", "", (Wish("S4", 1), Wish("S5", 2), Wish("S3", 3))),
            Person("cleo@example.org", "Cleo", "cleo@example.org", "Org C", participant=False),
        ),
    )
    path = tmp_path / "odd.xlsx"
    write_event_workbook(event, path)
    read, _ = read_event(path)
    assert read == event
    book = openpyxl.load_workbook(path)
    cell = book["Sessions"]["B2"]
    assert (cell.value, cell.data_type) == (formula, "s")
    assert book["Sessions"]["C3"].value == "Bea Berg"
    assert book["Sessions"]["C2"].value == "Ada Ärger <ada@example.org>"
    assert book["Anmeldungen"]["E3"].value is None  # a gap in the wishes stays empty
    assert [c.value for c in book["Anmeldungen"][4][3:6]] == ["S4", "S5", "S3"]
    assert book["Veranstaltung"]["B5"].value == "10,5,1"


# -- helpers --------------------------------------------------------------------------------------------------


def _minutes(slot: Slot) -> int:
    return (slot.end.hour * 60 + slot.end.minute) - (slot.start.hour * 60 + slot.start.minute)


def _check_timetable(event: Event, placements: list[Placement]) -> None:
    """The witness keeps every timetable rule (independently of how it was built)."""
    assert Counter(p.session for p in placements) == {s.id: s.runs for s in event.sessions}
    assert len({(t, p.room) for p in placements for t in p.slots}) == sum(len(p.slots) for p in placements)
    busy: Counter[tuple[str, str]] = Counter()
    for p in placements:
        session, room = event.session(p.session), event.room(p.room)
        assert p.slots == event.covered_slots(p.slots[0], session.duration)
        assert session.features <= room.features and not set(p.slots) & session.not_in
        assert session.fixed_slot in (None, p.slots[0]) and session.fixed_room in (None, p.room)
        for who in (p.session, *session.hosts):
            busy.update((who, t) for t in p.slots)
    assert max(busy.values()) == 1


def _greedy_seats(event: Event, placements: list[Placement]) -> Counter[Placement]:
    """Seat each participant in every slot they can attend, best wish first; fail if one cannot be seated."""
    attendance: Counter[Placement] = Counter()
    starting: dict[str, list[Placement]] = {}
    for p in placements:
        starting.setdefault(p.slots[0], []).append(p)
    for person in event.participants:
        blocked = set(person.unavailable) | {
            t for p in placements if person.id in event.session(p.session).hosts for t in p.slots
        }
        rank = {w.session: w.rank for w in person.wishes}
        seated: set[str] = set()
        done: set[str] = set()
        for slot in event.session_slots:
            if slot.id in blocked or slot.id in seated:
                continue
            options = [
                p
                for p in starting.get(slot.id, [])
                if p.session not in done and not set(p.slots) & (blocked | seated) and attendance[p] < _limit(event, p)
            ]
            assert options, f"{person.id} cannot be seated in {slot.id}"
            best = min(options, key=lambda p: (rank.get(p.session, 99), -(_limit(event, p) - attendance[p])))
            attendance[best] += 1
            seated.update(best.slots)
            done.add(best.session)
    return attendance


def _limit(event: Event, placement: Placement) -> int:
    session, room = event.session(placement.session), event.room(placement.room)
    return min(c for c in (session.capacity, room.capacity, 10**9) if c is not None)
