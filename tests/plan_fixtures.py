"""A small hand-made event and a valid plan for it, so output tests do not depend on the solver.

Day: plenary P1, session slots T1-T3, plenary P2; rooms R1 (4 seats), R2 (3 seats), R3 (unlimited, no link).
S04 runs twice, S05 spans T2-T3. Hanna and Carla only host; Bernd hosts S02 in T1 and attends otherwise.
Malgorzata is unavailable in T3; Kim has no e-mail. Names and titles carry spreadsheet-formula text.

Hand-checked figures (K = 3, weights 3, 2, 1): shortfalls anna 1, bernd 0, deniz 0, malgo 0, inj 1, kim 1;
weighted 5 + 3 + 5 + 4 + 2 + 4 = 23.
"""

from __future__ import annotations

from datetime import date, time

from scheduler.domain import Event, Person, Room, Session, Slot, Wish
from scheduler.plan import Objective, Plan, Run, SolverInfo
from scheduler.problems import Problem
from scheduler.text import Text

FORMULA_NAME = '=HYPERLINK("http://x","y")'
FORMULA_TITLE = "@SUM(1)"
ANNA = "anna.mueller@example.org"
BERND = "bernd.schulz@example.org"
DENIZ = "deniz.yilmaz@example.org"
MALGO = "m.nowak@example.org"
INJ = "inj@example.org"
KIM = "name:kim ohne mail"
HANNA = "hanna.kww@example.org"
CARLA = "carla@gsub.example"


def _wishes(*sessions: str) -> tuple[Wish, ...]:
    return tuple(Wish(s, rank) for rank, s in enumerate(sessions, start=1))


def sample_event() -> Event:
    slots = (
        Slot("P1", time(9, 30), time(10, 0), "plenary", "Eröffnung"),
        Slot("T1", time(10, 0), time(11, 0)),
        Slot("T2", time(11, 15), time(12, 15)),
        Slot("T3", time(12, 15), time(13, 15)),
        Slot("P2", time(13, 30), time(14, 0), "plenary", "Resümee"),
    )
    rooms = (
        Room("R1", "Raum Nord", 4, "https://zoom.example/j/111"),
        Room("R2", "Raum Süd", 3, "https://zoom.example/j/222"),
        Room("R3", "Raum West"),
    )
    sessions = (
        Session("S01", "KI im Unternehmen", (HANNA,), "KWW", description="KI-Werkzeuge im Betrieb."),
        Session("S02", "Lotsenberatung", (BERND,), "ZAQS Sachsen"),
        Session("S03", FORMULA_TITLE, (CARLA,), "gsub"),
        Session("S04", "Digitale Lernangebote", (CARLA,), "gsub", runs=2),
        Session("S05", "Weiterbildungsverbünde", (HANNA,), "KWW", duration=2),
    )
    people = (
        Person(ANNA, "Anna Müller", ANNA, "ZAQS Sachsen", _wishes("S01", "S03", "S02")),
        Person(BERND, "Bernd Schulz", BERND, "ZAQS Sachsen", _wishes("S02", "S03", "S04")),
        Person(DENIZ, "Deniz Yılmaz", DENIZ, "KWW", _wishes("S05", "S01")),
        Person(MALGO, "Małgorzata Nowak", MALGO, "gsub", _wishes("S02", "S04", "S03"), frozenset({"T3"})),
        Person(INJ, FORMULA_NAME, INJ, "@SUM(1)", _wishes("S03", "S05")),
        Person(KIM, "Kim Ohne Mail", "", "KWW", _wishes("S04", "S01", "S05")),
        Person(HANNA, "Hanna Berg", HANNA, "KWW", participant=False),
        Person(CARLA, "Carla Weiß", CARLA, "gsub", participant=False),
    )
    return Event("Vernetzungstreffen", slots, rooms, sessions, people, date(2021, 10, 6), wish_count=3)


def sample_plan() -> Plan:
    runs = (
        Run("S01", 1, ("T1",), "R1", (ANNA, DENIZ)),
        Run("S02", 1, ("T1",), "R2", (MALGO, INJ)),
        Run("S04", 1, ("T1",), "R3", (KIM,)),
        Run("S03", 1, ("T2",), "R1", (ANNA, BERND, MALGO)),
        Run("S05", 1, ("T2", "T3"), "R2", (KIM, DENIZ, INJ)),
        Run("S04", 2, ("T3",), "R1", (ANNA, BERND)),
    )
    warning = Problem(
        Text('Titel "Lotsen-Beratung" als "Lotsenberatung" (S02) erkannt.', 'Title "Lotsen-Beratung" read as S02.'),
        file="vernetzungstreffen.xlsx",
        sheet="Anmeldungen",
        row=7,
        column="Wunsch 1",
        severity="warning",
    )
    return Plan(runs, SolverInfo("OPTIMAL", 1.5, 0, 60.0, ended_by="proof"), Objective(1, 23, 23), (warning,))
