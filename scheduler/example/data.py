"""The raw material of the synthetic example: invented names, organisations and session themes.

Modelled on the meeting of the ESF programme "Zukunftszentren" (6 Oct 2021). Every person and company here is
invented; the organisations that host sessions are named as the programme's partners are commonly known.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Anna", "Jürgen", "Björn", "Käthe", "Sören", "Jörg", "Günther", "Małgorzata", "Ayşe", "Özlem",
    "Zoë", "Lena", "Paul", "Marie", "Felix", "Sophie", "Jonas", "Hannah", "Lukas", "Lea",
    "Tobias", "Katrin", "Stefan", "Sabine", "Thomas", "Claudia", "Andreas", "Petra", "Michael", "Susanne",
    "Uwe", "Heike", "Matthias", "Anke", "Ralf", "Ines", "Dirk", "Kerstin", "Frank", "Birgit",
    "René", "Mandy", "Maik", "Peggy", "Ronny", "Doreen", "Sven", "Nadine", "Jens", "Manuela",
    "Emre", "Fatma", "Mehmet", "Elif", "Thanh", "Linh", "Piotr", "Agnieszka", "Siobhán", "Dmitri",
    "Olena", "Bogdan", "Ioana", "Karim", "Amira", "Noah", "Mia", "Ben", "Emilia", "Elias",
    "Greta", "Henrik", "Frauke", "Hauke", "Wiebke", "Jürn", "Gesine", "Dörte", "Maren", "Ole",
)  # fmt: skip

LAST_NAMES = (
    "Müller", "Schäfer", "Böhm", "Krüger", "Weiß", "Groß", "Köhler", "Schröder", "Möller", "Günther",
    "Yılmaz", "Nguyễn", "O'Brien", "Kowalska", "Nowak", "Şahin", "Đorđević", "Popescu", "Kovačić", "Horváth",
    "Schmidt", "Schneider", "Fischer", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter",
    "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Herrmann", "König", "Walter",
    "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möbius", "Jung", "Hahn",
    "Vogel", "Friedrich", "Keller", "Günzel", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böttcher", "Kühn", "Pohl", "Engel",
    "Thiel", "Sommer", "Haase", "Voigt", "Jäger", "Nagel", "Dietrich", "Wendt", "Ebert", "Tran",
)  # fmt: skip


@dataclass(frozen=True)
class Organisation:
    name: str
    domain: str  # e-mail domain (always below example.org/example.de/example.com)
    kind: str  # "zentrum", "kww", "gsub", "kammer", "unternehmen", "bildung", "verwaltung"


HOST_ORGANISATIONS = (
    Organisation("Zukunftszentrum Sachsen", "zz-sachsen.example.org", "zentrum"),
    Organisation("Zukunftszentrum Brandenburg", "zz-brandenburg.example.org", "zentrum"),
    Organisation("Zukunftszentrum Berlin", "zz-berlin.example.org", "zentrum"),
    Organisation("Zukunftszentrum Mecklenburg-Vorpommern", "zz-mv.example.org", "zentrum"),
    Organisation("Zukunftszentrum Sachsen-Anhalt", "zz-sachsen-anhalt.example.org", "zentrum"),
    Organisation("KWW", "kww.example.org", "kww"),
    Organisation("gsub", "gsub.example.org", "gsub"),
)

GUEST_ORGANISATIONS = (
    Organisation("IHK Chemnitz", "ihk-chemnitz.example.de", "kammer"),
    Organisation("Handwerkskammer Cottbus", "hwk-cottbus.example.de", "kammer"),
    Organisation("IHK Magdeburg", "ihk-magdeburg.example.de", "kammer"),
    Organisation("Handwerkskammer Schwerin", "hwk-schwerin.example.de", "kammer"),
    Organisation("Lausitzer Metallbau GmbH", "lausitzer-metallbau.example.com", "unternehmen"),
    Organisation("Havelland Logistik GmbH", "havelland-logistik.example.com", "unternehmen"),
    Organisation("Erzgebirge Holztechnik GmbH & Co. KG", "erzgebirge-holz.example.com", "unternehmen"),
    Organisation("Ostsee Software AG", "ostsee-software.example.com", "unternehmen"),
    Organisation("Pflegedienst Sonnenschein gGmbH", "pflege-sonnenschein.example.com", "unternehmen"),
    Organisation("Spreewald Feinkost GmbH", "spreewald-feinkost.example.com", "unternehmen"),
    Organisation("Bildungswerk Mitteldeutschland e. V.", "bw-mitteldeutschland.example.de", "bildung"),
    Organisation("Volkshochschule Leipzig", "vhs-leipzig.example.de", "bildung"),
    Organisation("Weiterbildungsakademie Potsdam", "wba-potsdam.example.de", "bildung"),
    Organisation("Hochschule Wismar – Weiterbildung", "hs-wismar.example.de", "bildung"),
    Organisation("Wirtschaftsförderung Vorpommern", "wf-vorpommern.example.de", "verwaltung"),
    Organisation("Senatsverwaltung Berlin, Referat Arbeit", "senat-berlin.example.de", "verwaltung"),
)

# Which session tags an organisation of this kind is drawn to (wishes correlate with the organisation).
KIND_INTERESTS = {
    "zentrum": ("netz", "beratung", "intern"),
    "kww": ("digital", "lernen"),
    "gsub": ("intern", "netz"),
    "kammer": ("kmu", "beratung"),
    "unternehmen": ("digital", "kmu", "gesundheit"),
    "bildung": ("lernen", "netz"),
    "verwaltung": ("netz", "intern", "kmu"),
}


@dataclass(frozen=True)
class Theme:
    title: str
    tag: str
    description: str


THEMES = (
    Theme("KMU-Ansprache und -Beratung", "kmu", "Wie erreichen wir kleine und mittlere Unternehmen?"),
    Theme("Digitale Lernangebote", "lernen", "Formate, Plattformen und Erfahrungen aus den Zentren."),
    Theme("Vernetzung regionaler Akteure", "netz", "Kammern, Verbände und Bildungsträger an einen Tisch."),
    Theme("KI in Unternehmen", "digital", "Einsatz künstlicher Intelligenz im Mittelstand: Beispiele."),
    Theme("Lotsenberatung", "beratung", "Erstberatung und Weitervermittlung im Zukunftszentrum."),
    Theme("Weiterbildungsverbünde", "lernen", "Gemeinsam Weiterbildung organisieren: Verbünde in der Praxis."),
    Theme("INQA-Netzwerkbüro", "netz", "Das Netzwerkbüro stellt Angebote und Partner vor."),
    Theme("Arbeit 4.0 und Transformation", "digital", "Veränderung von Arbeit gestalten: Wege und Werkzeuge."),
    Theme("Gesundheit im digitalen Wandel", "gesundheit", "Belastungen erkennen, gesund arbeiten im Homeoffice."),
    Theme("Fachkräftesicherung im ländlichen Raum", "kmu", "Fachkräfte finden und halten abseits der Städte."),
    Theme("Beteiligungsorientierte Veränderung", "beratung", "Beschäftigte in Veränderungsprozesse einbeziehen."),
    Theme("Öffentlichkeitsarbeit und Social Media", "intern", "Sichtbar werden: Kanäle, Inhalte, Reichweite."),
    Theme("IT-Sicherheit im Mittelstand", "digital", "Datenschutz und Sicherheit ohne eigene IT-Abteilung."),
    Theme("Führung auf Distanz", "gesundheit", "Teams führen, wenn alle verteilt arbeiten."),
    Theme("Diversität und Chancengleichheit", "beratung", "Vielfalt im Betrieb als Stärke nutzen."),
    Theme("Wirkungsmessung in ESF-Projekten", "intern", "Was wirkt? Indikatoren und Erfahrungen."),
    Theme("Nachhaltigkeit im Betrieb", "kmu", "Klimaschutz und Ressourcen im Arbeitsalltag."),
    Theme("Neue Arbeitszeitmodelle", "gesundheit", "Vertrauensarbeitszeit, Vier-Tage-Woche und mehr."),
    Theme("Kompetenzen für die digitale Arbeitswelt", "lernen", "Welche Fähigkeiten brauchen Beschäftigte?"),
    Theme("Regionale Transformationsnetzwerke", "netz", "Zusammenarbeit über Landesgrenzen hinweg."),
)

# Formats that turn the base themes into further distinct sessions for large examples.
FORMATS = (
    "Praxisbeispiele",
    "Werkstatt",
    "Austauschrunde",
    "Einstieg",
    "Vertiefung",
    "Erfahrungen aus der Region",
    "Fragen und Antworten",
    "Methodenkoffer",
)

ROOM_NAMES = ("Elbe", "Oder", "Spree", "Havel", "Saale", "Mulde", "Peene", "Warnow", "Neiße", "Unstrut")
