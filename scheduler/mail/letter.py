"""One agenda e-mail per person: the letter as text and HTML with the personal agenda, the calendar attached.

Built with the standard library's `EmailMessage` and the SMTP policy (CRLF, RFC 2047 headers, UTF-8 bodies),
so names and subjects with umlauts arrive intact in every mail program.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from html import escape
from pathlib import Path

from scheduler.domain import Event, Person
from scheduler.export import labels
from scheduler.export.addresses import ascii_domain, usable_email
from scheduler.export.agenda_html import CSS, agenda_section
from scheduler.export.errors import event_date, event_zone
from scheduler.export.ics import CalendarUpdate, calendar, ics_name
from scheduler.mail.agenda_text import agenda_text
from scheduler.mail.template import AGENDA, DEFAULT_BODY, DEFAULT_SUBJECT, Template, check_template
from scheduler.problems import InputError, Problem
from scheduler.text import Lang, Text
from scheduler.views import PersonAgenda, PlanView

# In a mail program the agenda is part of a letter, not an A4 page: no page height, no page break.
MAIL_CSS = ".agenda { min-height: 0; break-after: auto; page-break-after: auto; }\n"


@dataclass(frozen=True)
class LetterSettings:
    """What every e-mail of one run shares: language, subject and body templates, the sender."""

    lang: Lang
    subject: Template
    body: Template
    sender: Address | None  # None: the .eml files leave From for the mail program to fill in


@dataclass(frozen=True)
class Letter:
    """One person's e-mail, or the reason there is none (`message` is None without a usable address)."""

    agenda: PersonAgenda
    message: EmailMessage | None

    @property
    def person(self) -> Person:
        return self.agenda.person

    @property
    def file_name(self) -> str:
        return str(Path(ics_name(self.agenda)).with_suffix(".eml"))


def letter_language(event: Event, fallback: Lang) -> Lang:
    """The event's language (`Sprache`) where there is a letter in it (German, English), else `fallback`."""
    return "en" if event.language == "en" else "de" if event.language == "de" else fallback


def letter_settings(
    lang: Lang,
    *,
    subject: str | None,
    sender: str | None,
    template: str | None,
    template_file: str = "",
    subject_where: str = "--betreff",
    sender_where: str = "--absender",
) -> LetterSettings:
    """Check the subject, the sender and the template together; `InputError` lists every problem at once.

    `subject_where` and `sender_where` say where a problem is to be fixed: the option, or the `Veranstaltung`
    field the value came from."""
    problems: list[Problem] = []
    checked: list[Template] = []
    for text, where, single in (
        (subject if subject is not None else DEFAULT_SUBJECT(lang), subject_where, True),
        (template if template is not None else DEFAULT_BODY(lang), template_file or "--template", False),
    ):
        try:
            checked.append(check_template(text, where, single_line=single))
        except InputError as e:
            problems += e.problems
    address = None
    if sender:
        address = parse_sender(sender)
        if address is None:
            problems.append(
                Problem(
                    Text(
                        f'"{sender}" ist keine gültige Absenderadresse.',
                        f'"{sender}" is not a valid sender address.',
                    ),
                    Text(
                        'Zum Beispiel: --absender "Orga-Team <orga@example.org>".',
                        'For example: --absender "Orga team <orga@example.org>".',
                    ),
                    file=sender_where,
                )
            )
    if problems:
        raise InputError(problems)
    return LetterSettings(lang, checked[0], checked[1], address)


def parse_sender(text: str) -> Address | None:
    name, address = parseaddr(text)
    return address_of(name, address) if usable_email(address) else None


def address_of(name: str, email: str) -> Address:
    """A usable address as a header value, the domain in its ASCII (IDNA) form."""
    local, _, domain = email.strip().rpartition("@")
    return Address(display_name=name, username=local, domain=ascii_domain(domain) or domain)


def letters(
    view: PlanView, settings: LetterSettings, stamp: datetime, update: CalendarUpdate | None = None
) -> Iterator[Letter]:
    """Every person's letter in the event's order of people (checks the date and time zone first); `update`
    numbers the calendar entries of a re-planned plan as `export --ics` does."""
    event_date(view.event)
    event_zone(view.event)
    for agenda in view.agendas:
        person = agenda.person
        message = compose(view, agenda, settings, stamp, update) if usable_email(person.email) else None
        yield Letter(agenda, message)


def compose(
    view: PlanView,
    agenda: PersonAgenda,
    settings: LetterSettings,
    stamp: datetime,
    update: CalendarUpdate | None = None,
) -> EmailMessage:
    lang = settings.lang
    values = _values(view, agenda, settings)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = one_line(settings.subject.format(values))
    if settings.sender is not None:
        message["From"] = settings.sender
    message["To"] = address_of(one_line(agenda.person.name), agenda.person.email)
    message["Date"] = format_datetime(stamp)
    message["Message-ID"] = make_msgid("agenda", settings.sender.domain if settings.sender else None)
    message.set_content(_text(view, agenda, settings, values))
    message.add_alternative(_html(view, agenda, settings, values), subtype="html")
    ics = calendar(view, agenda, lang, stamp, update).to_ical().decode("utf-8")
    message.add_attachment(
        ics, subtype="calendar", filename=ics_name(agenda), params={"method": "PUBLISH"}, cte="base64"
    )
    message["Content-Language"] = lang  # last: the parts built above move every Content-* header into themselves
    return message


def one_line(text: str) -> str:
    """Header text on one line: a line break from the data would otherwise end the header (or forge one)."""
    return " ".join(text.split())


def _values(view: PlanView, agenda: PersonAgenda, settings: LetterSettings) -> dict[str, str]:
    sender = settings.sender
    return {
        "name": agenda.person.name,
        "organisation": agenda.person.organisation,
        "event": view.event.name,
        "date": labels.day(view.event.date, settings.lang),
        "sender": (sender.display_name or sender.addr_spec) if sender else view.event.name,
        "contact": view.event.contact,
        "main_link": view.event.main_link,
        AGENDA: "",  # filled line by line: see _text and _html
    }


def _text(view: PlanView, agenda: PersonAgenda, settings: LetterSettings, values: dict[str, str]) -> str:
    """Line by line, so that text from the registrations is never read as a placeholder."""
    lines = [
        agenda_text(view, agenda, settings.lang) if line.strip() == "{agenda}" else Template(line).format(values)
        for line in settings.body.text.splitlines()
    ]
    return "\n".join(lines) + "\n"


def _html(view: PlanView, agenda: PersonAgenda, settings: LetterSettings, values: dict[str, str]) -> str:
    parts = []
    for block in settings.body.blocks():
        if block == "{agenda}":
            parts.append(agenda_section(view, agenda, settings.lang))
        else:
            filled = Template(block).format(values)
            parts.append("<p>" + "<br>\n".join(escape(line) for line in filled.splitlines()) + "</p>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{settings.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(settings.subject.format(values))}</title>\n<style>{CSS}{MAIL_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
