"""Every rule of a plan in one place: one record per hard rule and per soft term.

A hard rule has one name, one sentence in German and English, how the model holds it (a function in
`model/cpsat/rules.py` registered under the same name, or by construction with the reason), the validator's
checks with the codes they report when the rule is broken, and the sentence `explain` gives when the rule is
part of why no plan exists. A soft term has a name, a sentence and its place in the lexicographic objective.
tests/test_rules_registry.py checks that every record has all of them, and that the model, the validator and
explain know no rule this module does not name. New rule: add its record here, its builder (or the reason
it holds by construction), its validator check, its tiny case in tests/test_rule_cases.py.

The rule codes of `scheduler verify` and the validator report are the `codes` here, each with the short
sentence `verify` shows before it (`rule_name`); the validator's violations add a sentence naming the ids
involved. `OTHER_CODES` holds the one code that is no rule of the event (a plan's stated objective).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scheduler.domain import Event
from scheduler.model.facts import allowed_starts, room_classes, seat_limit, session_name
from scheduler.plan import Plan
from scheduler.text import Lang, Text
from scheduler.validate import networking, people, timetable
from scheduler.validate.report import Violation

Check = Callable[[Event, Plan], Iterable[Violation]]
Why = Callable[[Event, str], Text]  # explain's sentence for one guarded key (a session, slot or host)


_BY_GROUPS = Text(
    "Die Gruppensuche (scheduler/networking) teilt jede Runde so ein; kein CP-SAT-Modell.",
    "The group search (scheduler/networking) splits every round this way; no CP-SAT model.",
)


@dataclass(frozen=True)
class HardRule:
    """One hard rule. `built` is True when a model function of that name holds it; else `construction` says why
    the variables already do (or, for a cut, `implied_by` names the rule that implies it)."""

    name: str
    statement: Text
    checks: tuple[Check, ...]
    codes: dict[str, Text]  # code the validator reports -> the short sentence `verify` shows before it
    built: bool = True
    construction: Text | None = None
    why: Why | None = None
    implied_by: str | None = None
    timetable: bool = False  # a rule of the timetable alone (also in the demand timetable model)


@dataclass(frozen=True)
class SoftTerm:
    """One term of the lexicographic objective, by its level (1 = decided first) and direction."""

    name: str
    statement: Text
    level: int
    direction: str  # "min" | "max"


def _why_runs(event: Event, key: str) -> Text:
    s = event.session(key)
    slots = [t.id for t in event.session_slots]
    starts = ", ".join(sorted({t for t, _ in allowed_starts(event, s, room_classes(event))}, key=slots.index))
    room_de = f", Raum {s.fixed_room}" if s.fixed_room else ""
    room_en = f", room {s.fixed_room}" if s.fixed_room else ""
    return Text(
        f"Session {session_name(s, 'de')} findet {s.runs}-mal statt (möglich in: {starts}{room_de}).",
        f"Session {session_name(s, 'en')} takes place {s.runs} time(s) (possible in: {starts}{room_en}).",
    )


def _why_apart(event: Event, key: str) -> Text:
    s = event.session(key)
    return Text(
        f"Die Durchläufe von Session {session_name(s, 'de')} liegen in verschiedenen Zeitfenstern.",
        f"The runs of session {session_name(s, 'en')} lie in different slots.",
    )


def _why_rooms(event: Event, key: str) -> Text:
    rooms = ", ".join(r.id for r in event.rooms)
    return Text(
        f"Zeitfenster {key}: jeder Raum fasst nur einen Durchlauf (Räume: {rooms}).",
        f"Slot {key}: each room holds only one run (rooms: {rooms}).",
    )


def _why_hosts(event: Event, key: str) -> Text:
    person = event.person(key)
    sessions = ", ".join(event.hosted_sessions[key])
    return Text(
        f"{person.name} leitet {sessions} und kann nicht zwei Sessions zugleich leiten.",
        f"{person.name} hosts {sessions} and cannot host two sessions at once.",
    )


def _why_agenda(event: Event, key: str) -> Text:
    present = sum(key not in p.unavailable for p in event.participants)
    return Text(
        f"Zeitfenster {key}: alle {present} anwesenden Teilnehmenden brauchen einen Platz in einer Session.",
        f"Slot {key}: all {present} participants present need a seat in a session.",
    )


def _why_once(event: Event, key: str) -> Text:
    s = event.session(key)
    return Text(
        f"Niemand besucht Session {session_name(s, 'de')} zweimal.",
        f"Nobody attends session {session_name(s, 'en')} twice.",
    )


def _why_capacity(event: Event, key: str) -> Text:
    s = event.session(key)
    seats = max(seat_limit(event, s, c) for c in room_classes(event))
    return Text(
        f"Session {session_name(s, 'de')} hat höchstens {seats} Plätze je Durchlauf.",
        f"Session {session_name(s, 'en')} has at most {seats} seats per run.",
    )


def _why_minimum(event: Event, key: str) -> Text:
    s = event.session(key)
    return Text(
        f"Session {session_name(s, 'de')} braucht mindestens {s.minimum} Teilnehmende je Durchlauf.",
        f"Session {session_name(s, 'en')} needs at least {s.minimum} participants per run.",
    )


def _why_not_parallel(event: Event, key: str) -> Text:
    a, b = key.split(",", 1)
    return Text(
        f"Die Sessions {a} und {b} liegen nicht im selben Zeitfenster (Nicht parallel zu).",
        f"Sessions {a} and {b} are not in the same slot (Not parallel to).",
    )


def _why_fixed_apart(event: Event, key: str) -> Text:
    person = event.person(key)
    bound = sorted(s for s in person.fixed if event.session(s).runs == 1)
    hosted = event.hosted_sessions.get(key, ())
    host_de = f" und leitet {', '.join(hosted)}" if hosted else ""
    host_en = f" and hosts {', '.join(hosted)}" if hosted else ""
    return Text(
        f"{person.name} ist fest für {', '.join(bound)} eingeteilt (Fest){host_de}; diese Sessions liegen in "
        f"verschiedenen Zeitfenstern.",
        f"{person.name} is fixed to {', '.join(bound)} (Fixed){host_en}; these sessions lie in different slots.",
    )


def _why_fixed_attendance(event: Event, key: str) -> Text:
    person = event.person(key)
    sessions = ", ".join(sorted(person.fixed))
    return Text(f"{person.name} nimmt an {sessions} teil (Fest).", f"{person.name} attends {sessions} (Fixed).")


_ALLOWED = Text(
    "Die Variablen gibt es nur für erlaubte (Zeitfenster, Raum)-Paare (`allowed_starts`).",
    "Variables exist only for allowed (slot, room) pairs (`allowed_starts`).",
)

HARD_RULES: tuple[HardRule, ...] = (
    # -- held by a model function of the same name (model/cpsat/rules.py) ---------------------------------
    HardRule(
        "runs_placed",
        Text(
            "Jede Session findet so oft statt, wie ihre Durchläufe angeben, jeder Durchlauf in einem Zeitfenster "
            "und einem Raum.",
            "Every session takes place as often as its runs say, each run in one slot and one room.",
        ),
        (timetable.run_count,),
        {
            "run_count": Text("Jede Session hat genau ihre Durchläufe", "Every session has exactly its runs"),
        },
        why=_why_runs,
        timetable=True,
    ),
    HardRule(
        "runs_apart",
        Text(
            "Die Durchläufe einer Session liegen in verschiedenen Zeitfenstern und überschneiden sich nicht.",
            "The runs of one session lie in different slots and never overlap.",
        ),
        (timetable.runs_overlap,),
        {
            "runs_overlap": Text(
                "Die Durchläufe einer Session liegen in verschiedenen Zeitfenstern",
                "The runs of a session are in different slots",
            ),
        },
        why=_why_apart,
        timetable=True,
    ),
    HardRule(
        "one_run_per_room",
        Text("Ein Raum fasst je Zeitfenster einen Durchlauf.", "A room holds one run per slot."),
        (timetable.room_double_booked,),
        {
            "room_double_booked": Text(
                "Ein Raum fasst je Zeitfenster einen Durchlauf", "A room holds one run per slot"
            ),
        },
        why=_why_rooms,
        timetable=True,
    ),
    HardRule(
        "hosts_in_one_place",
        Text("Wer leitet, leitet je Zeitfenster höchstens eine Session.", "A host hosts at most one run per slot."),
        (people.host_double_booked,),
        {
            "host_double_booked": Text(
                "Gastgeber*innen leiten je Zeitfenster eine Session", "Hosts host one session per slot"
            ),
        },
        why=_why_hosts,
        timetable=True,
    ),
    HardRule(
        "not_parallel",
        Text(
            "Sessions, die in „Nicht parallel zu“ einander nennen, liegen nie im selben Zeitfenster.",
            "Sessions that name each other in “Not parallel to” never share a slot.",
        ),
        (timetable.not_parallel,),
        {"not_parallel": Text("„Nicht parallel zu“ wird eingehalten", "“Not parallel to” is kept")},
        why=_why_not_parallel,
        timetable=True,
    ),
    HardRule(
        "fixed_apart",
        Text(
            "Wer fest für Sessions mit einem Durchlauf eingeteilt ist (Fest), findet sie und die eigenen Sessions "
            "in verschiedenen Zeitfenstern.",
            "A person fixed to sessions that run once (Fixed) finds them and the sessions they host in different "
            "slots.",
        ),
        (),
        {},
        why=_why_fixed_apart,
        # the seats of `fixed_attendance` and `full_agenda` imply it; built for the timetable model, which has none
        implied_by="fixed_attendance",
        timetable=True,
    ),
    HardRule(
        "fixed_attendance",
        Text(
            "Wer fest für eine Session eingeteilt ist (Fest), besucht einen ihrer Durchläufe.",
            "A person fixed to a session (Fixed) attends one of its runs.",
        ),
        (people.fixed_attendance,),
        {"fixed_attendance": Text("„Fest“ wird eingehalten", "“Fixed” is kept")},
        why=_why_fixed_attendance,
    ),
    HardRule(
        "full_agenda",
        Text(
            "Wer teilnimmt, ist in jedem Zeitfenster, in dem er oder sie verfügbar ist, in genau einem Durchlauf "
            "oder leitet.",
            "A participant is in exactly one run, or hosting, in every slot in which they are available.",
        ),
        (people.agenda_incomplete, people.attendee_double_booked, people.host_attending),
        {
            "agenda_incomplete": Text(
                "Wer verfügbar ist, hat in jedem Zeitfenster eine Session",
                "Everyone available has a session in every slot",
            ),
            "attendee_double_booked": Text(
                "Jede Person ist je Zeitfenster in einer Session", "Everyone is in one session per slot"
            ),
            "host_attending": Text(
                "Wer gerade leitet, nimmt nicht zugleich teil", "Hosts do not attend while they host"
            ),
        },
        why=_why_agenda,
    ),
    HardRule(
        "attend_placed_runs",
        Text("Besucht wird nur ein Durchlauf, der stattfindet.", "People attend only runs that take place."),
        (),
        {},
        implied_by="seat_capacity",  # a run not placed has no seats; kept because its LP relaxation is tight
    ),
    HardRule(
        "once_per_session",
        Text("Niemand besucht eine Session zweimal.", "Nobody attends a session twice."),
        (people.session_twice,),
        {
            "session_twice": Text("Niemand besucht eine Session zweimal", "Nobody attends a session twice"),
        },
        why=_why_once,
    ),
    HardRule(
        "seat_capacity",
        Text(
            "Ein Durchlauf hat höchstens so viele Teilnehmende, wie Session und Raum Plätze haben.",
            "A run has at most as many attendees as its session and room have seats.",
        ),
        (timetable.capacity,),
        {
            "over_capacity": Text("Nicht mehr Teilnehmende als Plätze", "No more participants than seats"),
        },
        why=_why_capacity,
    ),
    HardRule(
        "minimum_attendance",
        Text(
            "Ein Durchlauf, der stattfindet, hat mindestens das Minimum seiner Session an Teilnehmenden.",
            "A run that takes place has at least its session's minimum of attendees.",
        ),
        (timetable.capacity,),
        {
            "under_minimum": Text(
                "Mindestens so viele Teilnehmende wie verlangt", "At least the minimum of participants"
            ),
        },
        why=_why_minimum,
    ),
    # -- held by construction: the variables exist only where these hold (model/cpsat/variables.py) -------
    HardRule(
        "fixed_slot",
        Text("Eine Session mit festem Zeitfenster beginnt dort.", "A session with a fixed slot starts there."),
        (timetable.fixed_slot,),
        {
            "fixed_slot": Text("Feste Zeitfenster werden eingehalten", "Fixed slots are kept"),
        },
        built=False,
        construction=_ALLOWED,
    ),
    HardRule(
        "fixed_room",
        Text("Eine Session mit festem Raum findet dort statt.", "A session with a fixed room runs there."),
        (timetable.fixed_room,),
        {
            "fixed_room": Text("Feste Räume werden eingehalten", "Fixed rooms are kept"),
        },
        built=False,
        construction=_ALLOWED,
    ),
    HardRule(
        "not_in",
        Text("Kein Durchlauf liegt in einem „Nicht in“-Zeitfenster.", "No run covers a slot of its “Not in”."),
        (timetable.not_in,),
        {
            "not_in": Text("„Nicht in“ wird eingehalten", "“Not in” is kept"),
        },
        built=False,
        construction=_ALLOWED,
    ),
    HardRule(
        "room_features",
        Text("Der Raum hat jedes Merkmal, das die Session braucht.", "The room has every feature the session needs."),
        (timetable.room_features,),
        {
            "room_features": Text("Der Raum hat die nötigen Merkmale", "The room has the features needed"),
        },
        built=False,
        construction=_ALLOWED,
    ),
    HardRule(
        "host_available",
        Text("Wer leitet, ist in den Zeitfenstern verfügbar.", "A host is available in the slots they host."),
        (people.host_unavailable,),
        {
            "host_unavailable": Text(
                "Gastgeber*innen leiten nur, wenn sie verfügbar sind", "Hosts host only when available"
            ),
        },
        built=False,
        construction=_ALLOWED,
    ),
    HardRule(
        "attendee_available",
        Text(
            "Niemand besucht einen Durchlauf in einem Zeitfenster, in dem er oder sie nicht verfügbar ist.",
            "Nobody attends a run in a slot in which they are not available.",
        ),
        (people.attendee_unavailable,),
        {
            "attendee_unavailable": Text(
                "Niemand ist eingeteilt, wenn er nicht verfügbar ist", "Nobody is placed when unavailable"
            ),
        },
        built=False,
        construction=Text(
            "Eine Teilnahme-Variable gibt es nur, wo die Person verfügbar ist.",
            "An attendance variable exists only where the person is available.",
        ),
    ),
    HardRule(
        "run_slots",
        Text(
            "Ein Durchlauf beginnt in einem Session-Zeitfenster und deckt so viele aufeinanderfolgende ab, wie die "
            "Session dauert.",
            "A run starts in a session slot and covers as many consecutive ones as the session lasts.",
        ),
        (timetable.run_slots,),
        {
            "run_slots": Text(
                "Ein Durchlauf liegt in so vielen aufeinanderfolgenden Zeitfenstern, wie die Session dauert",
                "A run covers as many consecutive slots as the session lasts",
            ),
        },
        built=False,
        construction=Text(
            "Ein Durchlauf ist ein Beginn; die Zeitfenster folgen aus der Dauer (`Event.start_slots`).",
            "A run is a start; its slots follow from the duration (`Event.start_slots`).",
        ),
    ),
    HardRule(
        "known_ids",
        Text(
            "Der Plan nennt nur Sessions, Räume, Zeitfenster und Personen der Veranstaltung.",
            "The plan names only the event's sessions, rooms, slots and people.",
        ),
        (timetable.unknown_ids,),
        {
            "unknown_session": Text(
                "Jede Session im Plan gibt es in der Veranstaltung", "Every session in the plan exists"
            ),
            "unknown_room": Text("Jeder Raum im Plan gibt es in der Veranstaltung", "Every room in the plan exists"),
            "unknown_slot": Text(
                "Jedes Zeitfenster im Plan gibt es in der Veranstaltung", "Every slot in the plan exists"
            ),
            "unknown_person": Text(
                "Jede Person im Plan gibt es in der Veranstaltung", "Every person in the plan exists"
            ),
        },
        built=False,
        construction=Text("Das Modell kennt nur die Ids der Veranstaltung.", "The model knows only the event's ids."),
    ),
    HardRule(
        "participants_only",
        Text("Teilnehmen können nur Angemeldete.", "Only registered participants attend."),
        (timetable.not_a_participant,),
        {
            "not_a_participant": Text("Nur Angemeldete nehmen teil", "Only registered people attend"),
        },
        built=False,
        construction=Text(
            "Teilnahme-Variablen gibt es nur für Teilnehmende.", "Attendance variables exist only for participants."
        ),
    ),
    HardRule(
        "networking_rounds",
        Text(
            "Jede Vernetzungsrunde hat genau eine Einteilung in Gruppen, und Gruppen gibt es nur in Vernetzungsrunden.",
            "Every networking round has exactly one split into groups, and groups exist in networking rounds only.",
        ),
        (networking.networking_rounds,),
        {
            "networking_slot": Text(
                "Gruppen gibt es nur für Vernetzungsrunden, je Runde eine Einteilung",
                "Groups exist for networking rounds only, one split per round",
            ),
            "networking_missing": Text(
                "Jede Vernetzungsrunde hat ihre Gruppen", "Every networking round has its groups"
            ),
        },
        built=False,
        construction=_BY_GROUPS,
    ),
    HardRule(
        "networking_attendance",
        Text(
            "In einer Vernetzungsrunde ist jede anwesende Person in genau einer Gruppe, niemand Abwesendes.",
            "In a networking round everyone present is in exactly one group, and nobody absent is in one.",
        ),
        (networking.networking_attendance,),
        {
            "networking_missing_person": Text(
                "Wer in einer Vernetzungsrunde anwesend ist, ist in einer Gruppe",
                "Everyone present in a round is in a group",
            ),
            "networking_twice": Text("Niemand ist in zwei Gruppen einer Runde", "Nobody is in two groups of one round"),
            "networking_unavailable": Text(
                "Niemand ist in einer Gruppe, wenn er nicht verfügbar ist", "Nobody is in a group when unavailable"
            ),
            "unknown_person": Text(
                "Jede Person im Plan gibt es in der Veranstaltung", "Every person in the plan exists"
            ),
        },
        built=False,
        construction=_BY_GROUPS,
    ),
    HardRule(
        "group_sizes",
        Text(
            "Jede Gruppe hat eine Größe im Bereich der Runde, und die Größen einer Runde unterscheiden sich um "
            "höchstens eins.",
            "Every group's size is within the round's range, and the sizes of one round differ by at most one.",
        ),
        (networking.group_sizes,),
        {
            "group_size": Text("Jede Gruppe hat die erlaubte Größe", "Every group has an allowed size"),
            "group_sizes_uneven": Text(
                "Die Gruppen einer Runde unterscheiden sich um höchstens eine Person",
                "The groups of a round differ by one person at most",
            ),
        },
        built=False,
        construction=_BY_GROUPS,
    ),
    HardRule(
        "group_moderator",
        Text(
            "Die Moderation einer Gruppe ist eines ihrer Mitglieder und als Moderation angemeldet.",
            "A group's moderator is one of its members and registered as a moderator.",
        ),
        (networking.group_moderator,),
        {
            "moderator_not_member": Text("Wer moderiert, ist in der Gruppe", "The moderator is in the group"),
            "moderator_not_moderator": Text(
                "Nur Angemeldete mit Moderation moderieren", "Only people registered as moderators moderate"
            ),
        },
        built=False,
        construction=_BY_GROUPS,
    ),
    HardRule(
        "agendas_agree",
        Text(
            "Jede Agenda der Plandatei nennt je Zeitfenster die Session, deren Teilnehmendenliste die Person führt.",
            "Every agenda in the plan file names, per slot, the session whose attendee list holds the person.",
        ),
        (people.agenda_mismatch,),
        {
            "agenda_mismatch": Text(
                "Jede Agenda in der Plandatei stimmt mit den Teilnehmendenlisten überein",
                "Every agenda in the plan file agrees with the attendee lists",
            )
        },
        built=False,
        construction=Text(
            "Die Plandatei schreibt die Agenden aus den Teilnehmendenlisten (scheduler/io/planfile.py); geprüft wird "
            "eine von Hand oder fremd geänderte Datei.",
            "The plan file writes the agendas from the attendee lists (scheduler/io/planfile.py); what is checked "
            "is a file edited by hand or by another program.",
        ),
    ),
)

SOFT_TERMS: tuple[SoftTerm, ...] = (
    SoftTerm(
        "max_shortfall",
        Text("meiste fehlende Wünsche einer Person", "largest shortfall of one person"),
        level=1,
        direction="min",
    ),
    SoftTerm("weighted", Text("gewichtete Wünsche", "weighted wishes"), level=2, direction="max"),
    SoftTerm(
        "organisation_over_half",
        Text(
            "Teilnehmende über der Hälfte eines Durchlaufs aus einer Organisation",
            "attendees above half of a run from one organisation",
        ),
        level=3,
        direction="min",
    ),
    SoftTerm(
        "fill_spread",
        Text("größter minus kleinster Durchlauf", "largest minus smallest run"),
        level=4,
        direction="min",
    ),
)

# Codes the validator reports that break no rule of the event: a saved plan's stated objective is checked too.
OTHER_CODES: dict[str, Text] = {
    "objective_mismatch": Text(
        "Die Zielwerte im Plan stimmen mit den nachgerechneten überein",
        "The plan's objective matches the recomputed one",
    ),
}

BY_NAME = {r.name: r for r in HARD_RULES}
CODE_SENTENCES: dict[str, Text] = {code: text for r in HARD_RULES for code, text in r.codes.items()} | OTHER_CODES


def hard_rule(name: str) -> HardRule:
    """The record of a rule by its name; a name no record has is an error, never a fallback sentence."""
    return BY_NAME[name]


def rule_name(code: str, lang: Lang) -> str:
    """A validator code as its sentence with the code in brackets, e.g.
    `Nicht mehr Teilnehmende als Plätze (over_capacity)`; an unknown code stays as it is."""
    sentence = CODE_SENTENCES.get(code)
    return f"{sentence(lang)} ({code})" if sentence is not None else code
