"""``klachten demo``: fill an empty database with believable Dutch demo data, print the logins.

Everything is made through the services, as staff would make it — registering, contact,
actions, solution, the customer's view, follow-up, closing, dispute and ruling — each with its
own ``now`` moving forward through the complaint's history, so deadlines, the audit log and the
outbox are the real thing. Only the categories and root causes, which management keeps in the
admin, are written directly.

The data: staff of every role (four employees with job titles and direct phone numbers, two
managers, one administrator), the six categories, forty customers across the country, and some
fifty complaints in every status and with every outcome, some overdue. A customer file says
how letters greet its customer (``mevrouw``/``heer``) where the first name makes it evident,
and leaves it open otherwise. A complaint an employee takes in by phone, at the desk or from a
letter is confirmed in writing as the intake does it (#10, item 9a): by e-mail, or by a letter
posted the same or the next working day (one of the last day still waits to be printed).
``--seed`` makes it repeatable; with ``--now`` too, it is identical run after run. Staff and
customer e-mail addresses are on reserved ``.example``/``example.com`` domains, so the queued
mail of the demo history never reaches a real person.
"""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.accounts.models import Role, Staff
from klachten.accounts.services import staff_create
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.reminders import reminders_send
from klachten.complaints.satisfaction import satisfaction_answer, satisfaction_ask
from klachten.complaints.selectors import STATUS_LABELS
from klachten.complaints.services import (
    ActionData,
    Checklist,
    action_mark_done,
    complaint_assign,
    complaint_close,
    complaint_contact,
    complaint_extend,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_ruling,
    complaint_record_view,
    complaint_refer_to_dispute,
    complaint_register,
    complaint_take_up,
    ruling_consequence_default,
)
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError
from klachten.core.timeparse import parse_aware_datetime
from klachten.customers.models import CustomerFile
from klachten.customers.validation import CustomerData
from klachten.domain.addressing import family_name
from klachten.domain.workdays import AMSTERDAM, WorkCalendar
from klachten.messaging.models import CustomerMessage, MessageChannel
from klachten.messaging.services import (
    complaint_delay_notice_send,
    complaint_register_and_confirm,
    customer_message_mark_posted,
)
from klachten.ops.management.base import ProjectCommand, quiet
from klachten.organisation.models import Category, RootCause
from klachten.organisation.selectors import work_calendar
from klachten.organisation.services import organisation_settings_update
from klachten.public.services import WebReport, web_report_confirm, web_report_text

DEFAULT_SEED = 2026
STAFF_DOMAIN = "kerngroep.example"
ORGANISATION = {
    "street": "Oudegracht 112",
    "postcode": "3511 AX",
    "town": "Utrecht",
    "phone": "030 760 22 00",
    "email": f"info@{STAFF_DOMAIN}",
    "website": f"https://www.{STAFF_DOMAIN}",
}

# --- Staff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: Role
    first_name: str
    last_name: str
    job_title: str
    phone: str


STAFF = (
    StaffSpec("petra", Role.EMPLOYEE, "Petra", "de Vries", "Cursuscoördinator", "030 760 22 11"),
    StaffSpec(
        "ahmed", Role.EMPLOYEE, "Ahmed", "El Amrani", "Medewerker klantcontact", "030 760 22 14"
    ),
    StaffSpec("sanne", Role.EMPLOYEE, "Sanne", "Visser", "Opleidingsadviseur", "030 760 22 17"),
    StaffSpec("joost", Role.EMPLOYEE, "Joost", "van Leeuwen", "Planner", "030 760 22 19"),
    StaffSpec("marco", Role.MANAGEMENT, "Marco", "Jansen", "Directeur", "030 760 22 01"),
    StaffSpec("ingrid", Role.MANAGEMENT, "Ingrid", "Smit", "Manager opleidingen", "030 760 22 02"),
    StaffSpec("beheer", Role.ADMIN, "Linda", "Bos", "Functioneel beheerder", "030 760 22 30"),
)

CATEGORIES = ("Lesmateriaal", "Planning", "Docent", "Facturatie", "Locatie", "Examen")
ROOT_CAUSES = (
    "Communicatie over wijzigingen",
    "Roostering",
    "Logistiek lesmateriaal",
    "Toegang online leeromgeving",
    "Kwaliteit van de uitvoering",
    "Doorlooptijd beoordeling",
    "Administratieve verwerking",
    "Faciliteiten op de locatie",
    "Toegankelijkheid",
    "Examenprocedure",
)

PASSWORD_WORDS = (  # noqa: SIM905 - a word list reads best as words
    "tulp molen gracht fiets kaas dijk polder klomp haring duin sloot brug toren zeil "
    "wolk regen bocht kade sluis vaart wilg eik beuk heide zand klei veen kreek haven "
    "baai meeuw reiger"
).split()


def generated_password() -> str:
    """Four words and a number: easy to type in a demo, not a password anyone guesses."""
    words = [secrets.choice(PASSWORD_WORDS) for _ in range(4)]
    return "-".join([*words, str(secrets.randbelow(90) + 10)])


# --- Customers ---------------------------------------------------------------------------------

FEMALE = (  # noqa: SIM905 - a word list reads best as words
    "Anja Annemiek Bianca Carla Daphne Esther Fatima Femke Hanneke Ilse Ingeborg Joke "
    "Karin Lotte Marieke Mirjam Naima Nicole Renate Sabine Saskia Tamara Wilma Yvonne "
    "Zeynep"
).split()
MALE = (  # noqa: SIM905 - a word list reads best as words
    "Bart Bas Dennis Erik Frank Gerrit Hans Jeroen Kees Koen Mark Martijn Mohamed Niels "
    "Pieter Rik Robert Ruud Stefan Thijs Tom Vincent Willem Youssef"
).split()
# First names that do not say how the customer wants to be greeted: no salutation is filled
# in, and letters open with the full name ("Geachte Kim de Boer,").
EITHER = ("Kim", "Robin", "Sam", "Noa", "Charlie", "Jamie")
SURNAMES = (
    "Bakker",
    "de Boer",
    "Mulder",
    "de Groot",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Jong",
    "van Dijk",
    "Yilmaz",
    "Bouzid",
    "Kramer",
    "Willems",
    "Schouten",
    "Kuipers",
    "Postma",
    "Hoekstra",
    "van Beek",
    "Verhoeven",
    "Sedney",
    "Koster",
    "Prins",
    "Huisman",
    "van Wijk",
)


@dataclass(frozen=True)
class Town:
    name: str
    postcode_prefix: str  # the first two digits of the town's postcodes
    area_code: str  # three-digit area code, so subscriber numbers have seven digits
    streets: tuple[str, ...]


TOWNS = (
    Town("Utrecht", "35", "030", ("Oudegracht", "Biltstraat", "Kanaalweg", "Adelaarstraat")),
    Town("Amsterdam", "10", "020", ("Kinkerstraat", "Javastraat", "Admiraal de Ruijterweg")),
    Town("Rotterdam", "30", "010", ("Nieuwe Binnenweg", "Mathenesserlaan", "Groene Hilledijk")),
    Town("Den Haag", "25", "070", ("Laan van Meerdervoort", "Weimarstraat", "Fahrenheitstraat")),
    Town("Eindhoven", "56", "040", ("Kruisstraat", "Boschdijk", "Hoogstraat")),
    Town("Groningen", "97", "050", ("Herestraat", "Oosterstraat", "Paterswoldseweg")),
    Town("Zwolle", "80", "038", ("Assendorperstraat", "Diezerstraat", "Thomas a Kempisstraat")),
    Town("Arnhem", "68", "026", ("Steenstraat", "Amsterdamseweg", "Velperweg")),
    Town("Nijmegen", "65", "024", ("Hertogstraat", "Sint Annastraat", "Groenestraat")),
    Town("Amersfoort", "38", "033", ("Leusderweg", "Kamp", "Soesterweg")),
    Town("Haarlem", "20", "023", ("Kleine Houtweg", "Zijlweg", "Rijksstraatweg")),
    Town("Leiden", "23", "071", ("Haarlemmerstraat", "Morsweg", "Hooigracht")),
    Town("Apeldoorn", "73", "055", ("Deventerstraat", "Loolaan", "Arnhemseweg")),
    Town("Tilburg", "50", "013", ("Korvelseweg", "Ringbaan-Oost", "Goirkestraat")),
    Town("Breda", "48", "076", ("Ginnekenweg", "Haagweg", "Baronielaan")),
)
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"  # no S: SA, SD and SS are not used
MAIL_DOMAINS = ("example.com", "example.net", "example.org")


@dataclass(frozen=True)
class Person:
    data: CustomerData
    referred_as: str  # "mevrouw De Vries": how the officer writes about the customer


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _customers(rng: random.Random, count: int) -> list[Person]:
    people: list[Person] = []
    names: set[str] = set()
    while len(people) < count:
        draw = rng.random()
        female, either = draw < 0.5, draw >= 0.92
        first = rng.choice(EITHER if either else FEMALE if female else MALE)
        surname = rng.choice(SURNAMES)
        name = f"{first} {surname}"
        if name in names:
            continue
        names.add(name)
        town = rng.choice(TOWNS)
        postcode = (
            f"{town.postcode_prefix}{rng.randint(10, 99)} "
            f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
        )
        house_number = str(rng.randint(1, 189)) + rng.choice(("", "", "", "", "a", "b", "-2"))
        if rng.random() < 0.6:
            phone = f"06 {rng.randint(1, 5)}{rng.randint(0, 9)}{rng.randint(10, 99)} "
            phone += f"{rng.randint(1000, 9999)}"
        else:
            phone = f"{town.area_code} {rng.randint(200, 799)} {rng.randint(1000, 9999)}"
        email = ""
        if rng.random() < 0.85:
            mailbox = _ascii(f"{first}.{surname}").lower().replace(" ", "")
            email = f"{mailbox}@{rng.choice(MAIL_DOMAINS)}"
        # How letters greet (#10, item 12), and how the officer's notes name the customer:
        # "mevrouw De Vries", "de heer Van Dijk" (a prefix takes a capital without a first
        # name before it), or the full name when the first name does not say which.
        salutation = "" if either else "mevrouw" if female else "heer"
        referred_as = (
            name if either else f"{'mevrouw' if female else 'de heer'} {family_name(name)}"
        )
        people.append(
            Person(
                data=CustomerData(
                    name=name,
                    street=rng.choice(town.streets),
                    house_number=house_number,
                    postcode=postcode,
                    town=town.name,
                    email=email,
                    phone=phone,
                    salutation=salutation,
                ),
                referred_as=referred_as,
            )
        )
    return people


# --- What the complaints are about -------------------------------------------------------------

COURSES = (
    "Leidinggeven in de praktijk",
    "Projectmanagement Prince2 Foundation",
    "Excel voor gevorderden",
    "Communicatie en gesprekstechnieken",
    "Praktijkdiploma Boekhouden",
    "Timemanagement en persoonlijke effectiviteit",
    "Coachend leidinggeven",
    "HRM basis",
    "Zakelijk schrijven",
    "Bedrijfsadministratie MBA",
)
LOCATIONS = ("Utrecht", "Amersfoort", "Zwolle", "Rotterdam", "Eindhoven")


@dataclass(frozen=True)
class Scenario:
    """One kind of complaint, written as the complaints officer would write it.

    ``report``, ``contact`` and ``follow_up`` are internal; ``actions``, ``solution`` and
    ``delay_reason`` reach the customer and pass the wording guard (R12, R13).
    """

    category: str
    root_cause: str
    report: str
    contact: str
    actions: tuple[str, ...]
    solution: str
    follow_up: str
    delay_reason: str


SCENARIOS = (
    Scenario(
        "Lesmateriaal",
        "Logistiek lesmateriaal",
        "{Naam} belde over de training {cursus} in {locatie}. Bij de eerste lesdag op {datum} lag "
        "er geen cursusmap klaar; de docent heeft kopieën van de eerste twee hoofdstukken "
        "uitgedeeld. De cursist had de stof vooraf willen doornemen en is bang achter te raken. "
        "Rustig laten vertellen, excuses aangeboden en toegezegd dat we snel terugbellen.",
        "{Naam} teruggebeld. Afgesproken dat de map per koerier naar het huisadres gaat en dat "
        "de docent een korte terugkomsessie aanbiedt. De cursist reageerde opgelucht.",
        (
            "Volledige cursusmap per koerier naar het huisadres sturen",
            "Online terugkomsessie van een uur met de docent inplannen",
        ),
        "U ontvangt de volledige cursusmap per koerier op uw huisadres. Daarnaast plant de docent "
        "met u een online sessie van een uur om de eerste twee hoofdstukken samen door te nemen.",
        "Nagebeld: map ontvangen, terugkomsessie gehad, de cursist kan de lessen goed volgen.",
        "De nieuwe druk van de cursusmap is later beschikbaar dan verwacht en we willen u de "
        "juiste versie sturen.",
    ),
    Scenario(
        "Lesmateriaal",
        "Toegang online leeromgeving",
        "{Naam} mailde dat de inloggegevens voor de online leeromgeving van {cursus} na drie "
        "weken nog niet werken. De voorbereidende opdrachten voor de lesdag van {datum} konden "
        "daardoor niet gemaakt worden. Telefonisch verder besproken, uitgebreid laten vertellen, "
        "excuses aangeboden.",
        "Met {naam} gebeld en samen geprobeerd in te loggen. Het account bleek aan een oud "
        "e-mailadres gekoppeld. Afgesproken: account omzetten en toegang verlengen.",
        (
            "Account in de online leeromgeving koppelen aan het juiste e-mailadres",
            "Toegang tot de online leeromgeving met vier weken verlengen",
        ),
        "Uw account is gekoppeld aan uw huidige e-mailadres en uw toegang tot de online "
        "leeromgeving is met vier weken verlengd, zodat u alle opdrachten rustig kunt maken.",
        "Nagebeld: inloggen lukt, de opdrachten zijn ingeleverd.",
        "Voor het verlengen van uw toegang is nog een bevestiging van de leeromgeving nodig.",
    ),
    Scenario(
        "Planning",
        "Communicatie over wijzigingen",
        "{Naam} stond op {datum} voor een dichte deur in {locatie}: de lesdag van {cursus} was "
        "verplaatst. Het bericht daarover kwam niet aan, omdat in de klantmap een onjuist "
        "e-mailadres stond. De cursist had er een vrije dag voor opgenomen en ruim een uur "
        "gereisd. Begrijpelijk boos; laten uitpraten, excuses aangeboden.",
        "{Naam} gebeld, e-mailadres samen gecontroleerd en bijgewerkt. Vergoeding van de "
        "reiskosten en een inhaaldag besproken; de cursist is akkoord met die richting.",
        (
            "Reiskosten van de lesdag vergoeden",
            "Inhaallesdag op een datum naar keuze inplannen",
            "E-mailadres in de klantmap bijwerken",
        ),
        "We vergoeden uw reiskosten van die dag en u haalt de lesdag kosteloos in op een datum "
        "die u zelf kiest. Uw e-mailadres is bijgewerkt, zodat berichten over het rooster u "
        "voortaan bereiken.",
        "Nagebeld: vergoeding ontvangen, inhaaldag gevolgd. Tevreden.",
        "We zoeken nog een inhaaldatum die past bij uw werkrooster en bij de beschikbaarheid van "
        "de docent.",
    ),
    Scenario(
        "Planning",
        "Roostering",
        "{Naam} meldde dat de praktijkdag van {cursus} en het examen allebei op {datum} zijn "
        "ingepland. De cursist kan daardoor één van de twee niet bijwonen en maakt zich zorgen "
        "over het diploma. Kalm gesprek; excuses aangeboden voor de onrust.",
        "Teruggebeld met twee andere data voor de praktijkdag. {Naam} kiest de eerste.",
        (
            "Praktijkdag verplaatsen naar de gekozen datum",
            "Nieuw rooster schriftelijk bevestigen",
        ),
        "Uw praktijkdag is verplaatst naar de datum die u koos; het examen blijft staan. U "
        "ontvangt het nieuwe rooster schriftelijk ter bevestiging.",
        "Nagebeld: nieuw rooster ontvangen, praktijkdag gevolgd.",
        "Een nieuwe datum voor de praktijkdag vraagt afstemming met de examenlocatie.",
    ),
    Scenario(
        "Docent",
        "Kwaliteit van de uitvoering",
        "{Naam} gaf aan dat de lessen van {cursus} in {locatie} de afgelopen weken steeds later "
        "begonnen en eerder eindigden; volgens de cursist is zo ruim anderhalf uur lestijd "
        "verloren gegaan. Andere deelnemers zouden hetzelfde ervaren. Laten vertellen, excuses "
        "aangeboden, toegezegd dat de manager opleidingen meekijkt.",
        "In overleg met de directie {naam} gebeld. Een extra lesavond aangeboden om de gemiste "
        "stof in te halen; de cursist wil dat graag.",
        (
            "Extra lesavond inplannen voor de hele groep",
            "Met de groep afspreken hoe de lestijden bewaakt worden",
        ),
        "We plannen een extra lesavond voor de hele groep om de gemiste stof in te halen. De "
        "resterende lessen beginnen en eindigen op de tijden uit het rooster.",
        "Nagebeld na de extra lesavond: stof ingehaald, de lessen beginnen nu op tijd.",
        "Voor de extra lesavond stemmen we nog een datum af met alle deelnemers van de groep.",
    ),
    Scenario(
        "Docent",
        "Doorlooptijd beoordeling",
        "{Naam} wacht sinds zes weken op de beoordeling van de praktijkopdracht voor {cursus}. "
        "Zonder die beoordeling kan de cursist niet aan het examen deelnemen. Duidelijk "
        "teleurgesteld; excuses aangeboden.",
        "{Naam} gebeld: de beoordeling gebeurt met voorrang, termijn afgesproken.",
        (
            "Praktijkopdracht met voorrang beoordelen",
            "Beoordeling met schriftelijke toelichting aan de cursist sturen",
        ),
        "Uw praktijkopdracht wordt met voorrang beoordeeld. U ontvangt de beoordeling met een "
        "schriftelijke toelichting en kunt daarna gewoon deelnemen aan het examen.",
        "Nagebeld: beoordeling ontvangen (voldoende), examen ingepland.",
        "Voor een zorgvuldige beoordeling van uw praktijkopdracht kijkt een tweede beoordelaar "
        "mee.",
    ),
    Scenario(
        "Facturatie",
        "Administratieve verwerking",
        "{Naam} belde: de factuur voor {cursus} is twee keer via automatische incasso "
        "afgeschreven. De cursist betaalt de opleiding zelf en komt hierdoor deze maand krap te "
        "zitten. Rustig gesprek, excuses aangeboden, direct nagekeken: dubbele afschrijving "
        "bevestigd.",
        "{Naam} teruggebeld: terugboeking besproken, termijn afgesproken.",
        (
            "Dubbel afgeschreven bedrag terugstorten",
            "Bevestiging van de terugbetaling per e-mail sturen",
        ),
        "Het dubbel afgeschreven bedrag wordt teruggestort op uw rekening; u ontvangt daarvan "
        "een bevestiging per e-mail.",
        "Nagebeld: bedrag teruggestort, de cursist is tevreden over de snelle afhandeling.",
        "De terugbetaling loopt via de bank en vraagt een extra controle.",
    ),
    Scenario(
        "Facturatie",
        "Administratieve verwerking",
        "De werkgever van {naam} heeft de factuur voor {cursus} teruggestuurd: die stond op naam "
        "van de cursist in plaats van de werkgever, en het ordernummer ontbrak. {Naam} vreest "
        "dat de werkgever de opleiding nu niet vergoedt. Excuses aangeboden.",
        "Met {naam} en de contactpersoon van de werkgever gebeld; juiste tenaamstelling en "
        "ordernummer genoteerd.",
        (
            "Creditfactuur opstellen voor de oude factuur",
            "Nieuwe factuur op naam van de werkgever met ordernummer versturen",
        ),
        "U ontvangt een creditfactuur voor de oude factuur en uw werkgever ontvangt een nieuwe "
        "factuur op de juiste naam, met het ordernummer erop.",
        "Nagebeld: de werkgever heeft de nieuwe factuur goedgekeurd.",
        "Voor de nieuwe factuur wachten we nog op het ordernummer van uw werkgever.",
    ),
    Scenario(
        "Locatie",
        "Faciliteiten op de locatie",
        "{Naam} meldde dat het leslokaal in {locatie} tijdens de lesdag van {cursus} op {datum} "
        "erg koud was; de verwarming deed het niet en er was geen andere ruimte vrij. De cursist "
        "is eerder naar huis gegaan. Laten vertellen, excuses aangeboden.",
        "{Naam} gebeld: de volgende lesdagen zijn in een ander lokaal en de gemiste uren worden "
        "ingehaald.",
        (
            "Resterende lesdagen in een ander lokaal inplannen",
            "Gemiste lesuren online inhalen met de docent",
        ),
        "De resterende lesdagen vinden plaats in een ander, goed verwarmd lokaal, en u haalt de "
        "gemiste lesuren online in met de docent.",
        "Nagebeld: nieuw lokaal prima, gemiste uren ingehaald.",
        "We zoeken voor de resterende lesdagen een passend lokaal op dezelfde locatie.",
    ),
    Scenario(
        "Locatie",
        "Toegankelijkheid",
        "{Naam} loopt met krukken en kon het leslokaal op de tweede verdieping in {locatie} op "
        "{datum} alleen met veel moeite bereiken; de lift was buiten gebruik. Dit was bij de "
        "inschrijving doorgegeven. De cursist voelde zich niet serieus genomen. Uitgebreid laten "
        "vertellen, excuses aangeboden.",
        "In overleg met de directie {naam} gebeld: een lokaal op de begane grond toegezegd.",
        (
            "Alle lesdagen verplaatsen naar een lokaal op de begane grond",
            "Wensen uit de inschrijving vooraf aan de locatie doorgeven",
        ),
        "Al uw lesdagen vinden voortaan plaats in een lokaal op de begane grond, vlak bij de "
        "ingang. Uw wensen staan genoteerd, zodat de locatie er bij elke lesdag rekening mee "
        "houdt.",
        "Nagebeld: de lesdagen op de begane grond verlopen goed.",
        "We stemmen met de locatie af welk lokaal op de begane grond voor al uw lesdagen vrij is.",
    ),
    Scenario(
        "Examen",
        "Examenprocedure",
        "{Naam} heeft vijf weken na het examen {cursus} nog geen uitslag. De cursist heeft het "
        "diploma nodig voor een sollicitatie en is hier erg gespannen over. Rustig laten "
        "vertellen, excuses aangeboden.",
        "{Naam} gebeld: de uitslag wordt met voorrang vastgesteld; een verklaring voor de "
        "werkgever aangeboden.",
        (
            "Examenuitslag met voorrang vaststellen",
            "Verklaring van deelname aan het examen opstellen",
        ),
        "Uw examenuitslag wordt met voorrang vastgesteld. Tot die tijd ontvangt u van ons een "
        "verklaring voor uw nieuwe werkgever dat u het examen heeft afgelegd.",
        "Nagebeld: uitslag ontvangen (geslaagd), de verklaring was bruikbaar bij de sollicitatie.",
        "De examencommissie komt over twee weken bijeen om de uitslag vast te stellen.",
    ),
    Scenario(
        "Examen",
        "Examenprocedure",
        "{Naam} is het niet eens met de beoordeling van het mondeling examen {cursus} op "
        "{datum}. Volgens de cursist gingen vragen over stof die niet in het lesprogramma zat. "
        "Emotioneel gesprek; ruimte gegeven om het verhaal te doen, excuses aangeboden voor hoe "
        "het examen is ervaren.",
        "{Naam} gebeld samen met de examencoördinator; de beoordeling toegelicht en een "
        "herbeoordeling door een tweede examinator afgesproken.",
        (
            "Herbeoordeling door een tweede examinator laten uitvoeren",
            "Uitkomst van de herbeoordeling per onderdeel schriftelijk toelichten",
        ),
        "Een tweede examinator heeft uw examen opnieuw beoordeeld aan de hand van de opname en "
        "het lesprogramma. U ontvangt de uitkomst met een schriftelijke toelichting per "
        "onderdeel.",
        "Nagebeld: de toelichting is ontvangen en besproken.",
        "Voor de herbeoordeling moet de tweede examinator de opname van uw examen beluisteren.",
    ),
)
DISPUTE_SCENARIO = SCENARIOS[-1]
DISAGREE_NOTE = (
    "{Naam} is niet akkoord: de cursist vindt het voorstel te mager voor de verloren tijd en "
    "vraagt om een gedeeltelijke terugbetaling van het cursusgeld."
)
DISPUTE_NOTE = (
    "{Naam} legt de zaak voor aan de onafhankelijke geschillencommissie (Sandra-Kok.nl) en vraagt "
    "om een kosteloos nieuw examen. Dossier en verslagen meegestuurd."
)
RULING_TEXT = (
    "De commissie oordeelt dat twee examenvragen buiten de eindtermen van {cursus} vielen. "
    "Kerngroep biedt de cursist binnen twee weken kosteloos een nieuw mondeling examen aan en "
    "betaalt de al betaalde herexamenkosten terug."
)
RULING_ACTIONS = (
    "Kosteloos nieuw mondeling examen inplannen",
    "Betaalde herexamenkosten terugstorten",
)
RECONTACT = (
    "{Naam} gebeld over het uitstelbericht: de reden toegelicht en de nieuwe termijn afgesproken. "
    "De cursist heeft er begrip voor."
)
# Reports from the public form, in the customer's own words (R5).
WEB_REPORTS = (
    "Op {datum} stond ik in {locatie} voor de lesdag van {cursus}, maar de zaal was dicht. "
    "Niemand had mij laten weten dat de les verplaatst was. Ik had er een vrije dag voor "
    "opgenomen.",
    "Ik wacht al weken op mijn inloggegevens voor de online leeromgeving van {cursus}. De "
    "opdrachten voor {datum} kon ik daardoor niet voorbereiden.",
    "Het lesmateriaal voor {cursus} is nog steeds niet bezorgd, terwijl de training op {datum} "
    "begonnen is. Ik loop nu achter op de rest van de groep.",
)
WEB_WISHES = (
    "Graag een nieuwe datum en een vergoeding van mijn reiskosten.",
    "Dat het snel geregeld wordt, en wat extra tijd voor de opdrachten.",
    "Een telefoontje, zodat we samen kunnen kijken wat er mogelijk is.",
)
CLOSING_NOTES = {
    "solved": "Nacontrole positief; de cursist is tevreden. Afgesloten.",
    "unsolved": "Geen overeenstemming bereikt; de cursist is gewezen op de onafhankelijke derde.",
    "withdrawn": "{Naam} trekt de melding in: de zaak is intussen met de docent uitgesproken.",
    "ruling": "De uitspraak is volledig uitgevoerd; de cursist heeft het nieuwe examen gehad.",
}


# --- The histories -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One complaint to make: its steps, how long ago it came in, and how."""

    steps: tuple[str, ...]
    days_ago: int
    reassign: bool = False
    channel: str = "phone"
    scenario: Scenario | None = None


_SOLVED = ("contact", "plan", "cause", "done", "propose", "agree", "verify")
_DISAGREED = ("contact", "plan", "cause", "done", "propose", "disagree")
# Longer cases: a delay notice in the third week, a new term agreed, the goal moved (R16).
_LONG = ("contact", "plan", "delay", "recontact", "extend")
_RULED = (*_DISAGREED, "refer", "ruling")

PLANS = (
    # New: just in, and three that nobody picked up (the overview shows them as overdue).
    Plan((), 0, channel="web"),
    Plan((), 0, channel="email"),
    Plan((), 1),
    Plan((), 5),
    Plan((), 33, channel="letter"),
    Plan((), 40, channel="email"),
    # Contacted, a term agreed (R3); the oldest one's agreed term has passed.
    Plan(("contact",), 2),
    Plan(("contact",), 3, reassign=True),
    Plan(("contact",), 4, channel="desk"),
    Plan(("contact",), 19),
    # In progress: an action plan (R9); one past the delay-notice deadline, one extended (R16).
    Plan(("contact", "plan"), 6),
    Plan(("contact", "plan"), 9, reassign=True),
    Plan(("contact", "plan"), 12, channel="web"),
    Plan(("contact", "plan"), 24),
    Plan(_LONG, 30, reassign=True),
    # Waiting for the customer's view (R7), for the follow-up check (R10), for closing.
    Plan(("contact", "plan", "cause", "done", "propose"), 14, channel="web"),
    Plan(("contact", "plan", "cause", "done", "propose"), 16, reassign=True),
    Plan(("contact", "plan", "cause", "done", "propose"), 18, channel="email"),
    Plan(("contact", "plan", "cause", "done", "propose", "agree"), 17),
    Plan((*_LONG, "cause", "done", "propose", "agree"), 22),
    Plan((*_LONG, "cause", "done", "propose", "agree"), 25, reassign=True),
    Plan((*_LONG, "cause", "done", "propose", "agree", "verify"), 27),
    Plan((*_LONG, "cause", "done", "propose", "agree", "verify"), 30, channel="desk"),
    # Closed with every outcome, spread over the past months (R1 reports per period).
    *(
        Plan((*_SOLVED, "close_solved"), days, reassign=days % 3 == 0)
        for days in (34, 41, 55, 63, 78, 92, 104, 121, 137, 150, 166, 181)
    ),
    Plan((*_DISAGREED, "close_unsolved"), 47),
    Plan((*_DISAGREED, "close_unsolved"), 118, reassign=True),
    Plan(("contact", "withdraw"), 28),
    Plan(("contact", "withdraw"), 95, channel="email"),
    # Dispute (R11): referred, referred after closing, a ruling being carried out, done.
    Plan((*_DISAGREED, "refer"), 45, scenario=DISPUTE_SCENARIO),
    Plan((*_DISAGREED, "close_unsolved", "refer"), 70, scenario=DISPUTE_SCENARIO),
    Plan(_RULED, 55, reassign=True, scenario=DISPUTE_SCENARIO),
    Plan((*_RULED, "ruling_done", "close_ruling"), 190, scenario=DISPUTE_SCENARIO),
)
CUSTOMER_COUNT = 40
# The channels on which the employee who takes the complaint in confirms its receipt (#10, 9a).
RECEIPT_CHANNELS = frozenset({"phone", "desk", "letter"})
# Working days between one step and the next: (fewest, most).
STEP_GAP = {
    "contact": (0, 1),
    "plan": (1, 2),
    "done": (2, 5),
    "cause": (0, 0),
    "propose": (1, 2),
    "agree": (1, 3),
    "disagree": (1, 3),
    "verify": (3, 5),
    "close_solved": (0, 1),
    "close_unsolved": (2, 4),
    "withdraw": (2, 6),
    "delay": (1, 3),
    "recontact": (0, 1),
    "extend": (0, 0),
    "refer": (4, 8),
    "ruling": (15, 20),
    "ruling_done": (3, 7),
    "close_ruling": (1, 2),
}
MONTHS = (  # noqa: SIM905 - a word list reads best as words
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def _dutch_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


class Timeline:
    """The moments of one complaint's history: office hours on working days, in order, and
    never later than the demo's ``now``."""

    def __init__(
        self, start: datetime, now: datetime, calendar: WorkCalendar, rng: random.Random
    ) -> None:
        self.moment = start
        self.now = now
        self.calendar = calendar
        self.rng = rng

    def after(self, gap: tuple[int, int]) -> datetime:
        days = self.rng.randint(*gap)
        today = local_today(self.moment)
        day = self.calendar.working_days_after(today, days) if days else today
        candidate = datetime.combine(
            day,
            time(self.rng.randint(9, 16), self.rng.choice((0, 10, 20, 30, 40, 50))),
            tzinfo=AMSTERDAM,
        )
        if candidate <= self.moment:
            candidate = self.moment + timedelta(minutes=self.rng.randint(20, 120))
        latest = self.now - timedelta(minutes=1)
        self.moment = max(min(candidate, latest), self.moment + timedelta(seconds=1))
        return self.moment


@dataclass
class Demo:
    """What was made, for the summary."""

    staff: list[Staff] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    customers: int = 0


def _received_at(plan: Plan, now: datetime, calendar: WorkCalendar, rng: random.Random) -> datetime:
    """When it came in: a few hours ago for the newest, else during office hours that day."""
    if plan.days_ago == 0:
        return now - timedelta(hours=rng.randint(1, 4), minutes=rng.randint(0, 59))
    day = local_today(now) - timedelta(days=plan.days_ago)
    if plan.channel in {"phone", "desk"} and not calendar.is_working_day(day):
        day = calendar.previous_working_day(day)
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=AMSTERDAM)


class _Story:
    """Plays one complaint's history through the services."""

    def __init__(
        self,
        *,
        complaint: Complaint,
        words: dict[str, str],
        scenario: Scenario,
        timeline: Timeline,
        staff: dict[str, Staff],
        causes: dict[str, RootCause],
        rng: random.Random,
        category: Category | None = None,
    ) -> None:
        self.category = category
        self.complaint = complaint
        self.words = words
        self.scenario = scenario
        self.timeline = timeline
        self.staff = staff
        self.causes = causes
        self.rng = rng

    def text(self, template: str) -> str:
        return template.format(**self.words)

    @property
    def handler(self) -> Staff:
        handler = self.complaint.handler
        if handler is None:
            raise CommandError(
                _("%(reference)s heeft nog geen behandelaar; neem de melding eerst in behandeling.")
                % {"reference": self.complaint.reference}
            )
        return handler

    def post(self, letter: CustomerMessage, *, keep_waiting: bool) -> None:
        """A letter is printed and posted the same or the next working day; one of the last
        day still waits to be printed, as the complaint page then says."""
        if keep_waiting:
            return
        customer_message_mark_posted(
            message=letter, actor=letter.author, now=self.timeline.after((0, 1))
        )

    def take_up(self, employee: Staff) -> None:
        """R15: a report from the website is taken up before anything else happens to it."""
        now = self.timeline.after((0, 1))
        self.complaint = complaint_take_up(complaint=self.complaint, actor=employee, now=now)
        self.complaint = complaint_assign(
            complaint=self.complaint, actor=employee, category=self.category, now=now
        )

    def manager(self) -> Staff:
        return self.rng.choice([self.staff["marco"], self.staff["ingrid"]])

    def play(self, steps: tuple[str, ...]) -> None:
        for step in steps:
            now = self.timeline.after(STEP_GAP[step])
            getattr(self, f"_{step}")(now)

    def reassign(self) -> None:
        employees = [s for s in self.staff.values() if s.role == Role.EMPLOYEE]
        others = [s for s in employees if s != self.complaint.receiver]
        now = self.timeline.after((0, 0))
        self.complaint = complaint_assign(
            complaint=self.complaint, actor=self.manager(), handler=self.rng.choice(others), now=now
        )

    def _contact(self, now: datetime) -> None:
        # The term lies within the four weeks of R16, so no delay notice is needed for it.
        last_day = (self.complaint.settlement_due.astimezone(AMSTERDAM) - timedelta(days=1)).date()
        today = local_today(now)
        term = min(today + timedelta(days=self.rng.randint(14, 24)), last_day)
        self.complaint = complaint_contact(
            complaint=self.complaint,
            actor=self.handler,
            at=now,
            channel="phone",
            summary=self.text(self.scenario.contact),
            agreed_term=term,
            management_consulted=f"Afgestemd met {self.manager()} (directie); akkoord.",
            now=now,
        )

    def _plan(self, now: datetime) -> None:
        today = local_today(now)
        people = [self.handler, self.staff["joost"], self.staff["sanne"]]
        self.complaint = complaint_plan_actions(
            complaint=self.complaint,
            actor=self.handler,
            actions=[
                ActionData(
                    what=what,
                    who=self.handler if index == 0 else self.rng.choice(people),
                    due=today + timedelta(days=self.rng.randint(3, 8)),
                )
                for index, what in enumerate(self.scenario.actions)
            ],
            now=now,
        )

    def _done(self, now: datetime) -> None:
        for action in self.complaint.actions.filter(done_at__isnull=True).select_related("who"):
            action_mark_done(action=action, actor=action.who, now=now)

    def _cause(self, now: datetime) -> None:
        self.complaint = complaint_assign(
            complaint=self.complaint,
            actor=self.handler,
            root_cause=self.causes[self.scenario.root_cause],
            now=now,
        )

    def _propose(self, now: datetime) -> None:
        self.complaint = complaint_propose_solution(
            complaint=self.complaint, actor=self.handler, solution=self.scenario.solution, now=now
        )

    def _agree(self, now: datetime) -> None:
        self.complaint = complaint_record_view(
            complaint=self.complaint,
            actor=self.handler,
            agrees=True,
            note=self.text("{Naam} gaat akkoord met het voorstel en waardeert het snelle contact."),
            now=now,
        )

    def _disagree(self, now: datetime) -> None:
        self.complaint = complaint_record_view(
            complaint=self.complaint,
            actor=self.handler,
            agrees=False,
            note=self.text(DISAGREE_NOTE),
            now=now,
        )

    def _verify(self, now: datetime) -> None:
        self.complaint = complaint_follow_up(
            complaint=self.complaint,
            actor=self.handler,
            solved=True,
            note=self.text(self.scenario.follow_up),
            now=now,
        )

    def _close(self, now: datetime, outcome: str) -> None:
        self.complaint = complaint_close(
            complaint=self.complaint,
            actor=self.handler,
            outcome=outcome,
            note=self.text(CLOSING_NOTES[outcome]),
            now=now,
        )

    def _close_solved(self, now: datetime) -> None:
        self._close(now, "solved")

    def _close_unsolved(self, now: datetime) -> None:
        self._close(now, "unsolved")

    def _withdraw(self, now: datetime) -> None:
        self._close(now, "withdrawn")

    def _close_ruling(self, now: datetime) -> None:
        self._close(now, "ruling")

    def _delay(self, now: datetime) -> None:
        expected = self.complaint.settlement_due.astimezone(AMSTERDAM).date() + timedelta(days=14)
        calendar = work_calendar()  # R16: the expected date is a promise, on a working day
        if not calendar.is_working_day(expected):
            expected = calendar.next_working_day(expected)
        # R16: the notice is a message to the customer; sending it records the delay.
        self.complaint = complaint_delay_notice_send(
            complaint=self.complaint,
            author=self.handler,
            reason=self.scenario.delay_reason,
            expected_date=expected,
            now=now,
        )

    def _recontact(self, now: datetime) -> None:
        self.complaint = complaint_contact(
            complaint=self.complaint,
            actor=self.handler,
            at=now,
            channel="phone",
            summary=self.text(RECONTACT),
            agreed_term=self.complaint.delay_expected_date,
            now=now,
        )

    def _extend(self, now: datetime) -> None:
        self.complaint = complaint_extend(complaint=self.complaint, actor=self.handler, now=now)

    def _refer(self, now: datetime) -> None:
        self.complaint = complaint_refer_to_dispute(
            complaint=self.complaint, actor=self.handler, note=self.text(DISPUTE_NOTE), now=now
        )

    def _ruling(self, now: datetime) -> None:
        due = ruling_consequence_default(now)  # R11: within the settings' short term
        self.complaint = complaint_record_ruling(
            complaint=self.complaint,
            actor=self.manager(),
            text=self.text(RULING_TEXT),
            consequences=[
                ActionData(what=what, who=self.handler, due=due) for what in RULING_ACTIONS
            ],
            now=now,
        )

    def _ruling_done(self, now: datetime) -> None:
        self._done(now)


def build_demo(*, seed: int, password: str, now: datetime) -> Demo:
    """Make the whole demo; the caller wraps it in one transaction."""
    rng = random.Random(seed)  # noqa: S311 - demo data; the password uses `secrets`
    demo = Demo()
    staff: dict[str, Staff] = {}
    for spec in STAFF:
        staff[spec.username] = staff_create(
            username=spec.username,
            role=spec.role,
            email=f"{spec.username}@{STAFF_DOMAIN}",
            password=password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            job_title=spec.job_title,
            phone=spec.phone,
        )
    demo.staff = list(staff.values())
    # Who Kerngroep is, for the regulation (R17) and the letters; the terms stay the procedure's.
    organisation_settings_update(
        actor=next(s for s in demo.staff if s.role == Role.MANAGEMENT),
        changes=ORGANISATION,
        now=now,
    )
    categories = {name: Category.objects.get_or_create(name=name)[0] for name in CATEGORIES}
    causes = {name: RootCause.objects.get_or_create(name=name)[0] for name in ROOT_CAUSES}
    calendar = work_calendar()
    people = _customers(rng, CUSTOMER_COUNT)
    employees = [s for s in demo.staff if s.role == Role.EMPLOYEE]

    plans = sorted(PLANS, key=lambda plan: -plan.days_ago)  # references follow receipt
    # Every customer has a complaint; a few satisfied ones come back with a later one (R1).
    order = list(range(CUSTOMER_COUNT))
    rng.shuffle(order)
    satisfied = [
        order[index]
        for index, plan in enumerate(plans[:CUSTOMER_COUNT])
        if "close_solved" in plan.steps
    ]
    customer_of = order + rng.sample(satisfied, len(plans) - CUSTOMER_COUNT)
    files: dict[int, CustomerFile] = {}

    for plan, person_index in zip(plans, customer_of, strict=True):
        person = people[person_index]
        scenario = plan.scenario or rng.choice(SCENARIOS[:-1])
        received_at = _received_at(plan, now, calendar, rng)
        receiver = rng.choice(employees)
        registered_at = min(received_at + timedelta(minutes=rng.randint(5, 40)), now)
        known = files.get(person_index)
        lesson_day = received_at.astimezone(AMSTERDAM).date() - timedelta(days=rng.randint(1, 6))
        if not calendar.is_working_day(lesson_day):
            lesson_day = calendar.previous_working_day(lesson_day)
        words = {
            "naam": person.referred_as,
            "Naam": person.referred_as[0].upper() + person.referred_as[1:],
            "cursus": rng.choice(COURSES),
            "locatie": rng.choice(LOCATIONS),
            "datum": _dutch_date(lesson_day),
        }
        checklist = Checklist(
            not_interrupted=True,
            vented=rng.random() < 0.9,
            put_at_ease=rng.random() < 0.85,
            apologised=True,
            business_card_given=plan.channel in {"phone", "desk"} or rng.random() < 0.5,
        )
        web = plan.channel == "web"
        if web:  # sent with the public form: registered at once, nobody's yet (R15)
            registered_at = received_at
            words["wens"] = rng.choice(WEB_WISHES)
        registration: dict[str, Any] = {
            "customer": None if known else person.data,
            "customer_file": known,
            "naw_checked": plan.channel in {"phone", "desk"},
            "received_at": received_at,
            "channel": plan.channel,
            "now": registered_at,
        }
        receipt: CustomerMessage | None = None
        if web:
            report = web_report_text(
                WebReport(
                    course=words["cursus"],
                    what_happened=rng.choice(WEB_REPORTS).format(**words),
                    wish=words["wens"],
                    language="nl",
                )
            )
            complaint = complaint_register(
                receiver=None, report=report, checklist=Checklist(), category=None, **registration
            )
            web_report_confirm(complaint=complaint, language="nl", now=registered_at)
        else:
            # #10, item 9a: taken in by phone, at the desk or from a letter, the complaint is
            # confirmed in writing as the intake does it; one that came by e-mail is answered
            # in the conversation that follows.
            registered = complaint_register_and_confirm(
                receiver=receiver,
                send_receipt=plan.channel in RECEIPT_CHANNELS,
                report=scenario.report.format(**words),
                checklist=checklist,
                category=categories[scenario.category],
                **registration,
            )
            if registered.receipt_refused:  # a bug in the demo's staff or texts, said plainly
                raise CommandError(registered.receipt_refused)
            complaint, receipt = registered.complaint, registered.receipt
        files.setdefault(person_index, complaint.customer)
        story = _Story(
            complaint=complaint,
            words=words,
            scenario=scenario,
            timeline=Timeline(registered_at, now, calendar, rng),
            staff=staff,
            causes=causes,
            rng=rng,
            category=categories[scenario.category],
        )
        if receipt is not None and receipt.channel == MessageChannel.LETTER:
            story.post(receipt, keep_waiting=plan.days_ago <= 1)
        if web and (plan.steps or plan.reassign):
            story.take_up(receiver)
        if plan.reassign:
            story.reassign()
        story.play(plan.steps)
        demo.complaints.append(story.complaint)
    _worker_so_far(now, rng)
    demo.customers = CustomerFile.objects.count()
    return demo


SATISFACTION_COMMENTS = (
    "",
    "Snel en vriendelijk opgepakt, dank u wel.",
    "Fijn dat er meteen werd teruggebeld.",
    "Het duurde wat lang, maar het is goed gekomen.",
    "Duidelijke afspraken, en ze zijn nagekomen.",
)


def _worker_so_far(now: datetime, rng: random.Random) -> None:
    """What the worker would have done by ``now``: reminders and breach alerts (issue #5),
    and the satisfaction question to customers of recently closed cases (R1), most answered."""
    reminders_send(now=now)
    satisfaction_ask(now=now)
    for survey in SatisfactionSurvey.objects.select_related("complaint").order_by("pk"):
        if rng.random() < 0.75:
            satisfaction_answer(
                complaint=survey.complaint,
                score=rng.choice((2, 3, 4, 4, 5, 5, 5)),
                settled=rng.random() < 0.85,
                comment=rng.choice(SATISFACTION_COMMENTS),
                now=now,
            )


# --- The command -------------------------------------------------------------------------------


class Command(ProjectCommand):
    help = (
        "Fill an empty database with realistic Dutch demo data (staff, customers, complaints in "
        "every state) and print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed for the generated data (default {DEFAULT_SEED}); same seed, same data.",
        )
        parser.add_argument(
            "--password",
            help="Password for every demo account (default: a generated one, printed).",
        )
        parser.add_argument(
            "--now",
            help="Pretend it is this moment (ISO 8601 with offset), for a repeatable demo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = self._now(options["now"])
        if Staff.objects.exists() or Complaint.objects.exists() or CustomerFile.objects.exists():
            raise CommandError(
                _(
                    "De database is niet leeg: `klachten demo` vult alleen een lege database en "
                    "mengt demogegevens nooit met echte accounts of meldingen. Gebruik een nieuwe "
                    "datamap, bijvoorbeeld: KLACHTEN_DATA_DIR=./demo klachten demo"
                )
            )
        password = options["password"] or generated_password()
        try:
            # What the services log as the history is played (reminders sent, …) is the
            # worker's to say; the summary below says what was made.
            with quiet("klachten"), transaction.atomic():
                demo = build_demo(seed=options["seed"], password=password, now=now)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ApplicationError as error:  # a bug in the demo script, said plainly
            raise CommandError(
                _("De demogegevens konden niet worden gemaakt: %(reason)s")
                % {"reason": error.detail}
            ) from error
        self._print(demo, password)

    @staticmethod
    def _now(value: str | None) -> datetime:
        if not value:
            return timezone.now()
        try:
            return parse_aware_datetime(value, field="--now")
        except ApplicationError as error:
            raise CommandError(error.detail) from error

    def _print(self, demo: Demo, password: str) -> None:
        statuses = sorted(
            {str(STATUS_LABELS.get(c.status, c.status)).lower() for c in demo.complaints}
        )
        write: Callable[[str], None] = self.stdout.write
        write(
            _(
                "Demogegevens gemaakt: %(staff)s accounts, %(customers)s klanten, %(complaints)s "
                "meldingen (%(statuses)s)."
            )
            % {
                "staff": len(demo.staff),
                "customers": demo.customers,
                "complaints": len(demo.complaints),
                "statuses": ", ".join(statuses),
            }
        )
        write("")
        write(_("Inloggen (hetzelfde wachtwoord voor elk account):"))
        rows = [
            (_("gebruikersnaam"), _("rol"), _("naam"), _("wachtwoord")),
            *(
                (staff.username, staff.get_role_display().lower(), staff.get_full_name(), password)
                for staff in demo.staff
            ),
        ]
        widths = [max(len(str(row[column])) for row in rows) for column in range(3)]
        for username, role, name, secret in rows:
            write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {name:<{widths[2]}}  {secret}")
        write("")
        write(
            _("Start de toepassing met `klachten serve` en log in op %(url)s")
            % {"url": f"{settings.BASE_URL}/"}
        )
        if settings.KLACHTEN_MFA != "optional":
            write(
                _(
                    "De directie en de beheerder stellen bij de eerste keer inloggen een tweede "
                    "stap in (een authenticator-app of een passkey); KLACHTEN_MFA=optional "
                    "laat dat aan ieder zelf."
                )
            )
        write(
            _(
                "De e-mails uit de demogeschiedenis (seintjes aan de directie, berichten aan "
                "klanten) staan klaar; de achtergrondverwerker bezorgt ze via EMAIL_URL, of "
                "standaard in de map mail in de datamap."
            )
        )
