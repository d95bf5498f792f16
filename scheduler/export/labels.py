"""Every label the outputs show, in German and English, in one place (data from the input is never here)."""

from __future__ import annotations

from datetime import date, time

from scheduler.text import Lang, Text

# -- sheets ------------------------------------------------------------------------------------------
OVERVIEW = Text("Übersicht", "Overview")
SESSIONS = Text("Sessions", "Sessions")
PARTICIPANTS = Text("Teilnehmende", "Participants")
ROOM_LISTS = Text("Raumlisten", "Room lists")
STATISTICS = Text("Statistik", "Statistics")
NOTES = Text("Hinweise", "Notes")

# -- columns -----------------------------------------------------------------------------------------
ID = Text("ID", "ID")
RUN = Text("Durchlauf", "Run")
TITLE = Text("Titel", "Title")
ORGANISATION = Text("Organisation", "Organisation")
HOSTS = Text("Gastgeber*innen", "Hosts")
SLOT = Text("Zeitfenster", "Slot")
TIME = Text("Zeit", "Time")
START = Text("Beginn", "Start")
END = Text("Ende", "End")
ROOM = Text("Raum", "Room")
LINK = Text("Link", "Link")
ATTENDEES = Text("Teilnehmende", "Attendees")
CAPACITY = Text("Kapazität", "Capacity")
FILL = Text("Belegung", "Fill")
FILL_RATE = Text("Auslastung", "Fill rate")
NAME = Text("Name", "Name")
EMAIL = Text("E-Mail", "E-mail")
SESSION = Text("Session", "Session")
GRANTED = Text("Erfüllte Wünsche", "Wishes granted")
SHORTFALL = Text("Fehlende Wünsche", "Shortfall")
DESCRIPTION = Text("Beschreibung", "Description")

# -- values ------------------------------------------------------------------------------------------
PLENARY = Text("Plenum", "Plenary")
HOSTING = Text("Sie leiten", "You host")
HOSTING_SHORT = Text("leitet", "hosts")
UNAVAILABLE = Text("nicht verfügbar", "not available")
FREE = Text("nicht eingeteilt", "not placed")
UNLIMITED = Text("unbegrenzt", "unlimited")
NOT_A_WISH = Text("kein Wunsch", "not a wish")
NO_ORGANISATION = Text("ohne Organisation", "no organisation")
YES = Text("ja", "yes")
NO = Text("nein", "no")

# -- statistics --------------------------------------------------------------------------------------
GRID = Text("Ablauf des Tages", "The day at a glance")
WISHES_BY_RANK = Text("Erfüllte Wünsche nach Rang", "Wishes granted by rank")
RANK = Text("Rang", "Rank")
WISHED = Text("gewünscht", "wished")
GRANTED_COUNT = Text("erfüllt", "granted")
SHARE = Text("Anteil", "Share")
GRANTED_PER_PERSON = Text("Erfüllte Wünsche je Person", "Wishes granted per person")
WISHES = Text("Wünsche", "Wishes")
PEOPLE = Text("Personen", "People")
SHORTFALL_DISTRIBUTION = Text("Fehlende Wünsche je Person", "Shortfall per person")
ORGANISATIONS_PER_RUN = Text("Organisationen je Durchlauf", "Organisations per run")
ORGANISATIONS = Text("Organisationen", "Organisations")
LARGEST_SHARE = Text("größter Anteil", "largest share")
SOLVER = Text("Lösung", "Solution")
FIGURE = Text("Kennzahl", "Figure")
VALUE = Text("Wert", "Value")
STATUS = Text("Ergebnis", "Result")
SECONDS = Text("Rechenzeit (s)", "Solve time (s)")
SEED = Text("Zufallsstartwert", "Seed")
TIME_LIMIT = Text("Zeitlimit (s)", "Time limit (s)")
INTERRUPTED = Text("abgebrochen", "interrupted")
ENDED_BY = Text("Ende der Suche", "Search ended by")
MAX_SHORTFALL = Text("meiste fehlende Wünsche einer Person", "largest shortfall")
WEIGHTED = Text("gewichtete Wünsche", "weighted wishes")
BOUND = Text("höchstens erreichbar (gewichtete Wünsche)", "best bound")
GAP = Text("Abstand zum höchstens Erreichbaren", "gap to the bound")
VIOLATIONS = Text("Regelverstöße", "rule violations")
PARTICIPANT_COUNT = Text("Teilnehmende", "participants")

# -- notes -------------------------------------------------------------------------------------------
KIND = Text("Art", "Kind")
WARNING = Text("Warnung", "Warning")
ERROR = Text("Fehler", "Error")
FILE = Text("Datei", "File")
SHEET = Text("Blatt", "Sheet")
ROW = Text("Zeile", "Row")
COLUMN = Text("Spalte", "Column")
MESSAGE = Text("Meldung", "Message")
HINT = Text("Hinweis", "Hint")
NO_NOTES = Text("Keine Hinweise.", "No notes.")

# -- agendas -----------------------------------------------------------------------------------------
AGENDA = Text("Ihre Agenda", "Your agenda")
AGENDAS = Text("Agenden", "Agendas")
WISHES_GRANTED_LINE = Text("Erfüllte Wünsche", "Wishes granted")
NONE = Text("keine", "none")
CONTACT = Text("Kontakt bei Fragen", "Questions? Contact")
MAIN_ROOM = Text("Hauptraum", "Main room")
BREAKOUT_ROOM = Text("Breakout-Raum", "Breakout room")
WHO_IS_COMING = Text("Wer kommt", "Who is coming")


def people(count: int) -> Text:
    return Text("1 Person" if count == 1 else f"{count} Personen", "1 person" if count == 1 else f"{count} people")


def coming(count: int) -> Text:
    """How many people a host meets in a run."""
    if count == 1:
        return Text("1 Person kommt", "1 person is coming")
    return Text(f"{count} Personen kommen", f"{count} people are coming")


def wish(rank: int) -> Text:
    return Text(f"Wunsch {rank}", f"Wish {rank}")


def wish_fulfilled(rank: int | None) -> Text:
    """How an agenda names the wish a session fulfils."""
    return NOT_A_WISH if rank is None else Text(f"Ihr {rank}. Wunsch", f"your wish {rank}")


def of_possible(granted: int, possible: int) -> Text:
    return Text(f"{granted} von {possible} möglichen", f"{granted} of {possible} possible")


def clock(t: time) -> str:
    return t.strftime("%H:%M")


def span(start: time, end: time) -> str:
    return f"{clock(start)}–{clock(end)}"


def day(d: date | None, lang: Lang) -> str:
    """The event date as organisers write it: 06.10.2021 or 2021-10-06."""
    if d is None:
        return ""
    return d.isoformat() if lang == "en" else d.strftime("%d.%m.%Y")


WEEKDAYS = (
    Text("Montag", "Monday"), Text("Dienstag", "Tuesday"), Text("Mittwoch", "Wednesday"),
    Text("Donnerstag", "Thursday"), Text("Freitag", "Friday"), Text("Samstag", "Saturday"), Text("Sonntag", "Sunday"),
)  # fmt: skip
MONTHS = (
    Text("Januar", "January"), Text("Februar", "February"), Text("März", "March"), Text("April", "April"),
    Text("Mai", "May"), Text("Juni", "June"), Text("Juli", "July"), Text("August", "August"),
    Text("September", "September"), Text("Oktober", "October"), Text("November", "November"),
    Text("Dezember", "December"),
)  # fmt: skip


def long_day(d: date | None, lang: Lang) -> str:
    """The event date written out, whatever the machine's locale: `Mittwoch, 6. Oktober 2021`."""
    if d is None:
        return ""
    weekday, month = WEEKDAYS[d.weekday()](lang), MONTHS[d.month - 1](lang)
    return f"{weekday}, {d.day}. {month} {d.year}" if lang == "de" else f"{weekday}, {d.day} {month} {d.year}"


def all_labels() -> list[Text]:
    """Every fixed label here, so a test can check that an English output shows no German label."""
    return [v for v in globals().values() if isinstance(v, Text)]


def more(count: int) -> Text:
    return Text(f"+{count} weitere", f"+{count} more")


STATUS_WORDS = {
    "OPTIMAL": Text("bewiesen bestmöglich", "proven optimal"),
    "FEASIBLE": Text("gut, nicht bewiesen bestmöglich", "good, not proven optimal"),
}


ENDED_BY_WORDS = {  # scheduler.plan.ENDED_BY
    "proof": Text("Beweis: kein Plan ist besser", "proof: no plan is better"),
    "work": Text("Arbeitsbudget (--work): jeder Lauf gleich", "work budget (--work): every run the same"),
    "time": Text(
        "Zeitlimit (--time-limit): ein neuer Lauf kann abweichen", "time limit (--time-limit): a rerun may differ"
    ),
    "moves": Text("nichts mehr zu versuchen", "nothing left to try"),
    "stop": Text("Strg-C", "Ctrl-C"),
}


def ended_by(code: str, lang: Lang) -> str:
    """What ended the search, in a few words for the solution sheet."""
    return ENDED_BY_WORDS[code](lang) if code in ENDED_BY_WORDS else code


def status(code: str, lang: Lang) -> str:
    """The solver's status in the organiser's words; a baseline's name (benchmark plans) as it is."""
    return STATUS_WORDS[code](lang) if code in STATUS_WORDS else code


# -- networking rounds -------------------------------------------------------------------------------
NETWORKING = Text("Vernetzung", "Networking")
NETWORKING_ROUNDS = Text("Vernetzungsrunden", "Networking rounds")
GROUP = Text("Gruppe", "Group")
GROUPS = Text("Gruppen", "Groups")
GROUP_SIZES = Text("Größen", "Sizes")
MODERATION = Text("Moderation", "Moderator")
MODERATES = Text("moderiert", "moderates")
WITH = Text("mit", "with")
SAME_ORGANISATION = Text("gleiche Organisation", "same organisation")
LOWER_BOUND = Text("Untergrenze", "lower bound")
SHARED_RUN = Text("schon in einer Session", "shared a session")
REPEATS = Text("wiederholte Paare", "repeated pairs")
MODERATED = Text("moderiert", "moderated")
PAIRS_PER_ROUND = Text("Paare je Runde", "pairs per round")


def group_room(number: int) -> Text:
    """The breakout room of a networking group: `Gruppe 01`."""
    return Text(f"Gruppe {number:02d}", f"Group {number:02d}")


MEMBERS = Text("Mitglieder", "Members")
