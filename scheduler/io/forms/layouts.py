"""The export layouts of the form tools, recognised by their fixed leading columns.

Each tool puts a few columns of its own before the questions (Microsoft Forms: `ID, Startzeit,
Fertigstellungszeit, E-Mail, Name`; Google Forms: `Zeitstempel, E-Mail-Adresse`; LimeSurvey: `id, submitdate,
lastpage, startlanguage, seed` or `Antwort ID, Datum Abgeschickt, …`). Those columns say which tool wrote the
file, when a response was sent and, for LimeSurvey, whether it was completed at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.io.schema import normalise_name
from scheduler.text import Text


@dataclass(frozen=True)
class Layout:
    key: str
    name: Text
    signature: tuple[str, ...]  # headers (normalised) that must all be present
    submitted: tuple[str, ...] = ()  # the submission time, first present wins
    email: tuple[str, ...] = ()  # the tool's own e-mail column (the respondent's account)
    name_column: tuple[str, ...] = ()  # the tool's own name column
    meta: tuple[str, ...] = ()  # the tool's bookkeeping columns: never answers
    complete_when: tuple[str, ...] = ()  # a response without a value here was never submitted

    def find(self, headers: list[str], names: tuple[str, ...]) -> int | None:
        wanted = [normalise_name(n) for n in names]
        normalised = [normalise_name(h) for h in headers]
        for name in wanted:
            if name in normalised:
                return normalised.index(name)
        return None


MS_FORMS_DE = Layout(
    "msforms-de",
    Text("Microsoft Forms (deutscher Export)", "Microsoft Forms (German export)"),
    ("id", "startzeit", "fertigstellungszeit"),
    submitted=("Fertigstellungszeit",),
    email=("E-Mail",),
    name_column=("Name",),
    meta=("ID", "Startzeit", "Fertigstellungszeit", "Zeitpunkt der letzten Änderung", "Gesamtpunktzahl",
          "Quizfeedback"),
)  # fmt: skip
MS_FORMS_EN = Layout(
    "msforms-en",
    Text("Microsoft Forms (englischer Export)", "Microsoft Forms (English export)"),
    ("id", "start time", "completion time"),
    submitted=("Completion time",),
    email=("Email",),
    name_column=("Name",),
    meta=("ID", "Start time", "Completion time", "Last modified time", "Total points", "Quiz feedback"),
)
GOOGLE_DE = Layout(
    "google-de",
    Text("Google Forms (deutscher Export)", "Google Forms (German export)"),
    ("zeitstempel",),
    submitted=("Zeitstempel",),
    email=("E-Mail-Adresse",),
    meta=("Zeitstempel", "Punkte"),
)
GOOGLE_EN = Layout(
    "google-en",
    Text("Google Forms (englischer Export)", "Google Forms (English export)"),
    ("timestamp",),
    submitted=("Timestamp",),
    email=("Email Address", "Email address"),
    meta=("Timestamp", "Score"),
)
LIMESURVEY_CODES = Layout(
    "limesurvey-codes",
    Text("LimeSurvey (Export mit Fragecodes)", "LimeSurvey (export with question codes)"),
    ("id", "submitdate", "lastpage", "startlanguage"),
    submitted=("submitdate",),
    meta=("id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp", "ipaddr",
          "refurl", "interviewtime"),
    complete_when=("submitdate",),
)  # fmt: skip
LIMESURVEY_DE = Layout(
    "limesurvey-de",
    Text("LimeSurvey (Export mit vollständigen Fragetexten)", "LimeSurvey (export with full question texts)"),
    ("antwort id", "datum abgeschickt", "letzte seite"),
    submitted=("Datum Abgeschickt",),
    meta=("Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert", "Zugangsschlüssel",
          "Datum gestartet", "Datum letzte Aktivität", "IP-Adresse", "Verweis-URL", "Gesamtzeit"),
    complete_when=("Datum Abgeschickt",),
)  # fmt: skip
LIMESURVEY_EN = Layout(
    "limesurvey-en",
    Text("LimeSurvey (Export mit vollständigen Fragetexten)", "LimeSurvey (export with full question texts)"),
    ("response id", "date submitted", "last page"),
    submitted=("Date submitted",),
    meta=("Response ID", "Date submitted", "Last page", "Start language", "Seed", "Token", "Date started",
          "Date last action", "IP address", "Referrer URL", "Total time"),
    complete_when=("Date submitted",),
)  # fmt: skip
PLAIN = Layout("plain", Text("Tabelle (CSV oder Excel)", "spreadsheet (CSV or Excel)"), ())

LAYOUTS = (MS_FORMS_DE, MS_FORMS_EN, LIMESURVEY_CODES, LIMESURVEY_DE, LIMESURVEY_EN, GOOGLE_DE, GOOGLE_EN)


def detect_layout(headers: list[str]) -> Layout:
    present = {normalise_name(h) for h in headers}
    return next((layout for layout in LAYOUTS if set(layout.signature) <= present), PLAIN)
