"""The complaints regulation (R17), built from the organisation's settings.

One function, :func:`regulation_content`, writes the regulation's text from the settings that
also drive the system: the terms of R3 and R16 (the same ``Terms`` value the deadlines are
computed with), the working-day calendar and closing days, retention (R5), the independent third
party (R11) and the contact details. The page ``/regeling/`` and the PDF ``/regeling.pdf`` both
render this one value, so they always say the same, and what they say is what the system does.

This is the one text that names complaints by their name ("klacht"): the formal regulation is
the exception to R13 (PROCEDURE.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from klachten.domain.deadlines import contact_due
from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import selectors
from klachten.organisation.models import (
    CalendarSettings,
    ClosingDay,
    OrganisationSettings,
    RetentionMode,
)
from klachten.organisation.texts import days_text, working_days_text, years_text

# The contact example: a Friday afternoon in a week without holidays, so the weekend shows how
# working hours are counted (R3). Computed by the domain with the organisation's terms.
CONTACT_EXAMPLE_RECEIPT = datetime(2026, 3, 6, 14, 0, tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class Block:
    """A paragraph, a bulleted list or a list of definitions inside an article."""

    text: str = ""
    items: tuple[str, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Article:
    number: int
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Regulation:
    """The regulation's whole content, ready for the page and the PDF (R17)."""

    title: str
    introduction: str
    articles: tuple[Article, ...]
    organisation_name: str
    terms: Terms
    retention_years: int
    page_url: str
    pdf_url: str
    pdf_filename: str
    contact_lines: tuple[str, ...] = field(default=())

    def plain_text(self) -> str:
        """All text of the regulation, in reading order (for tests and the PDF's cache key)."""
        lines = [self.title, self.introduction]
        for article in self.articles:
            lines.append(f"{article.number}. {article.heading}")
            for block in article.blocks:
                lines.append(block.text)
                lines.extend(block.items)
                for term, meaning in block.definitions:
                    lines += [term, meaning]
        return "\n".join(line for line in lines if line)


def contact_term_text(terms: Terms) -> str:
    """R3 as the procedure words it: "binnen 24 uur op werkdagen"."""
    return _("binnen %(hours)d uur op werkdagen") % {"hours": terms.contact_working_hours}


def _moment_text(moment: datetime) -> str:
    """A weekday and time: "maandag om 14.00 uur"; the end of a day is "om 24.00 uur"."""
    local = moment.astimezone(AMSTERDAM)
    if local.time() == time(0):
        day, clock = local.date() - timedelta(days=1), "24.00"
    else:
        day, clock = local.date(), local.strftime("%H.%M")
    return _("%(weekday)s om %(time)s uur") % {
        "weekday": date_format(day, "l"),
        "time": clock,
    }


def _holidays_text(calendar: CalendarSettings) -> str:
    """The public holidays that are not working days, under the calendar settings."""
    names = [_("Nieuwjaarsdag")]
    if calendar.good_friday_off:
        names.append(_("Goede Vrijdag"))
    names += [_("tweede paasdag"), _("Koningsdag")]
    names.append(
        _("Bevrijdingsdag (5 mei, elk jaar)")
        if calendar.liberation_day_every_year
        else _("Bevrijdingsdag (5 mei, in lustrumjaren: 2025, 2030, …)")
    )
    names += [_("Hemelvaartsdag"), _("tweede pinksterdag"), _("eerste en tweede kerstdag")]
    return ", ".join(names)


def _closing_periods(closing_days: list[ClosingDay], today: date) -> list[str]:
    """Upcoming closing days, consecutive days with one description as one period."""
    periods: list[tuple[date, date, str]] = []
    for closing_day in sorted(closing_days, key=lambda item: item.day):
        if closing_day.day < today:
            continue
        if periods:
            first, last, description = periods[-1]
            between = [last + timedelta(days=k) for k in range(1, (closing_day.day - last).days)]
            if description == closing_day.description and all(d.weekday() >= 5 for d in between):
                periods[-1] = (first, closing_day.day, description)
                continue
        periods.append((closing_day.day, closing_day.day, closing_day.description))
    texts = []
    for first, last, description in periods:
        when = (
            date_format(first, "j F Y")
            if first == last
            else _("%(first)s tot en met %(last)s")
            % {"first": date_format(first, "j F Y"), "last": date_format(last, "j F Y")}
        )
        texts.append(f"{when} ({description})" if description else when)
    return texts


def _contact_lines(organisation: OrganisationSettings) -> tuple[str, ...]:
    """Name, address, phone, e-mail and website; empty when only the name is known."""
    details = ("street", "postcode", "town", "phone", "email", "website")
    if not any(getattr(organisation, name) for name in details):
        return ()
    address = " ".join(part for part in (organisation.postcode, organisation.town) if part)
    lines = [organisation.name, organisation.street, address]
    if organisation.phone:
        lines.append(_("Telefoon: %(phone)s") % {"phone": organisation.phone})
    if organisation.email:
        lines.append(_("E-mail: %(email)s") % {"email": organisation.email})
    if organisation.website:
        lines.append(_("Website: %(website)s") % {"website": organisation.website})
    return tuple(line for line in lines if line)


def regulation_content(
    *,
    organisation: OrganisationSettings,
    calendar: CalendarSettings,
    closing_days: list[ClosingDay],
    today: date,
) -> Regulation:
    """The regulation (R17) as these settings make it; no query, no clock of its own.

    The stated terms are the ``Terms`` that registering a complaint computes deadlines with
    (``selectors.terms_of``), and the contact example is computed by the domain itself.
    """
    name = organisation.name
    terms = selectors.terms_of(organisation)
    base = django_settings.BASE_URL
    page_url = base + reverse("public-regulation")
    pdf_url = base + reverse("public-regulation-pdf")
    form_url = f"{base}/melding/"
    contact = contact_term_text(terms)
    example_due = contact_due(
        CONTACT_EXAMPLE_RECEIPT, selectors.calendar_of(calendar, closing_days), terms
    )
    third_party = organisation.third_party_name
    contact_lines = _contact_lines(organisation)
    closing = _closing_periods(closing_days, today)
    values = {
        "name": name,
        "contact": contact,
        "delay_notice": days_text(terms.delay_notice_days),
        "settlement": days_text(terms.settlement_days),
        "third_party": third_party,
        "third_party_website": organisation.third_party_website,
        "retention": years_text(organisation.retention_years),
        "consequence": working_days_text(organisation.ruling_consequence_working_days),
    }

    definitions = Block(
        definitions=(
            (
                _("Klacht"),
                _(
                    "iedere mondelinge of schriftelijke uiting van ontevredenheid over de "
                    "dienstverlening van %(name)s: een cursus, training of opleiding, het "
                    "lesmateriaal, de docent, de planning, de locatie, de inschrijving of de "
                    "facturatie."
                )
                % values,
            ),
            (
                _("Klager"),
                _("de deelnemer, of de opdrachtgever van een deelnemer, die een klacht indient."),
            ),
            (
                _("Medewerker"),
                _(
                    "iedereen die voor %(name)s werkt, ook een docent of trainer die in "
                    "opdracht van %(name)s lesgeeft."
                )
                % values,
            ),
            (_("Directie"), _("de directie van %(name)s.") % values),
            (
                _("Onafhankelijke derde"),
                _("%(third_party)s, die een geschil over een klacht onafhankelijk beoordeelt.")
                % values,
            ),
            (
                _("Werkdag"),
                _(
                    "maandag tot en met vrijdag, behalve de feestdagen en sluitingsdagen "
                    "genoemd in artikel 5."
                ),
            ),
        )
    )

    how_to = [
        Block(
            text=_(
                "Een klacht kan bij iedere medewerker van %(name)s worden ingediend: "
                "mondeling, telefonisch, per e-mail, per brief of via het formulier op "
                "%(form_url)s."
            )
            % {**values, "form_url": form_url}
        ),
    ]
    if contact_lines:
        how_to.append(
            Block(
                text=_("De contactgegevens van %(name)s staan in artikel 9.") % values,
            )
        )
    how_to += [
        Block(
            text=_(
                "De medewerker die de klacht ontvangt, laat de klager zijn of haar verhaal "
                "doen zonder te onderbreken, maakt direct een schriftelijk verslag en legt dat "
                "vast in het dossier van de klager. Naam, adres en woonplaats van de klager "
                "worden genoteerd en samen met de klager gecontroleerd."
            )
        ),
        Block(
            text=_(
                "De klager krijgt het visitekaartje van de medewerker, zodat hij of zij weet "
                "bij wie hij of zij terecht kan. De medewerker die de klacht ontvangt, blijft "
                "medeverantwoordelijk voor de afhandeling, ook als een collega de klacht "
                "verder behandelt."
            )
        ),
    ]

    handling = (
        Block(text=_("De directie wordt direct op de hoogte gebracht van iedere klacht.")),
        Block(
            text=_(
                "In overleg met de directie neemt %(name)s %(contact)s na ontvangst contact op "
                "met de klager. In dat gesprek wordt een termijn afgesproken waarbinnen de "
                "klager een antwoord of een oplossing mag verwachten."
            )
            % values
        ),
        Block(
            text=_(
                "Voorbeeld: komt een klacht binnen op %(received)s, dan neemt %(name)s "
                "uiterlijk op %(due)s contact op. Uren op zaterdag, zondag, feestdagen en "
                "sluitingsdagen tellen niet mee."
            )
            % {
                **values,
                "received": _moment_text(CONTACT_EXAMPLE_RECEIPT),
                "due": _moment_text(example_due),
            }
        ),
        Block(
            text=_(
                "De klager wordt bij de oplossing betrokken. %(name)s zegt daarbij wat er "
                "gedaan wordt, door wie en wanneer, en vraagt de mening van de klager over de "
                "voorgestelde oplossing."
            )
            % values
        ),
        Block(
            text=_(
                "Na de oplossing gaat %(name)s samen met de klager na of de klacht echt is "
                "verholpen. Pas daarna wordt de klacht afgesloten."
            )
            % values
        ),
    )

    term_blocks = [
        Block(
            text=_("%(name)s handelt iedere klacht af binnen %(settlement)s na ontvangst.") % values
        ),
        Block(
            text=_(
                "Is er meer tijd nodig, bijvoorbeeld voor nader onderzoek, dan krijgt de "
                "klager daarvan binnen %(delay_notice)s na ontvangst van de klacht bericht. "
                "In dat bericht staat waarom het langer duurt en wanneer de klager uitsluitsel "
                "kan verwachten."
            )
            % values
        ),
        Block(
            text=_(
                "Deze termijnen tellen vanaf de dag van ontvangst en eindigen aan het einde "
                "van de laatste dag. Valt die dag niet op een werkdag, dan eindigt de termijn "
                "aan het einde van de laatste werkdag daarvoor."
            )
        ),
        Block(
            text=_(
                "Geen werkdag zijn zaterdag en zondag, de feestdagen %(holidays)s, en de "
                "sluitingsdagen van %(name)s."
            )
            % {**values, "holidays": _holidays_text(calendar)}
        ),
    ]
    if closing:
        term_blocks.append(
            Block(
                text=_("%(name)s is gesloten op:") % values,
                items=tuple(closing),
            )
        )

    confidentiality = (
        Block(
            text=_(
                "Iedere klacht wordt vertrouwelijk behandeld en nooit met externen gedeeld. "
                "Alleen de medewerkers die de klacht ontvangen of behandelen en de directie "
                "hebben er inzage in; ieder bekijken en wijzigen wordt vastgelegd."
            )
        ),
        Block(text=_("Gegevens over een klacht worden alleen aan de klager zelf verstrekt.")),
    )

    dispute = (
        Block(
            text=_(
                "Komen de klager en %(name)s er samen niet uit, dan kan de klager het geschil "
                "voorleggen aan de onafhankelijke derde %(third_party)s, te bereiken via "
                "%(third_party_website)s."
            )
            % values
        ),
        Block(
            text=_(
                "Het oordeel van %(third_party)s over het geschil is bindend. Eventuele "
                "consequenties worden door %(name)s snel afgehandeld: uiterlijk %(consequence)s "
                "nadat het oordeel bekend is."
            )
            % values
        ),
    )

    retention_after = (
        _(
            "Daarna worden de persoonsgegevens verwijderd; alleen cijfers zonder "
            "persoonsgegevens blijven bewaard voor de jaarlijkse rapportage."
        )
        if organisation.retention_mode == RetentionMode.ANONYMISE
        else _("Daarna worden alle gegevens van de klacht gewist.")
    )
    retention = (
        Block(
            text=_(
                "%(name)s registreert iedere klacht, het verslag en de afhandeling in het "
                "dossier van de klager."
            )
            % values
        ),
        Block(
            text=_("Een klacht wordt na afsluiting %(retention)s bewaard.") % values
            + " "
            + retention_after
            + " "
            + _("Zolang een geschil loopt, wordt niets verwijderd.")
        ),
    )

    contact_article = (
        Block(items=contact_lines)
        if contact_lines
        else Block(
            text=_("Een klacht kan bij iedere medewerker van %(name)s worden gemeld.") % values
        )
    )

    final = (
        Block(
            text=_(
                "Deze regeling is vastgesteld door de directie van %(name)s en is openbaar. "
                "Zij is te lezen op %(page_url)s en te downloaden als PDF op %(pdf_url)s."
            )
            % {**values, "page_url": page_url, "pdf_url": pdf_url}
        ),
    )

    articles = (
        Article(1, _("Begrippen"), (definitions,)),
        Article(
            2,
            _("Doel"),
            (
                Block(
                    text=_(
                        "Iedere klacht is een kans om de klant tevreden terug te laten komen. "
                        "Deze regeling beschrijft hoe %(name)s klachten ontvangt, behandelt en "
                        "afhandelt, binnen welke termijnen, en wat de klager kan doen als de "
                        "klager en %(name)s er samen niet uitkomen."
                    )
                    % values
                ),
            ),
        ),
        Article(3, _("Een klacht indienen"), tuple(how_to)),
        Article(4, _("Behandeling"), handling),
        Article(5, _("Termijnen"), tuple(term_blocks)),
        Article(6, _("Vertrouwelijkheid"), confidentiality),
        Article(7, _("Geschillen: de onafhankelijke derde"), dispute),
        Article(8, _("Registratie en bewaartermijn"), retention),
        Article(9, _("Contactgegevens"), (contact_article,)),
        Article(10, _("Slotbepaling"), final),
    )
    return Regulation(
        title=_("Klachtenregeling %(name)s") % values,
        introduction=_(
            "Deze regeling geldt voor iedere klacht over de cursussen, trainingen en "
            "opleidingen van %(name)s en de dienstverlening daaromheen."
        )
        % values,
        articles=articles,
        organisation_name=name,
        terms=terms,
        retention_years=organisation.retention_years,
        page_url=page_url,
        pdf_url=pdf_url,
        pdf_filename=f"klachtenregeling-{slugify(name) or 'organisatie'}.pdf",
        contact_lines=contact_lines,
    )


def regulation_data(regulation: Regulation) -> dict[str, Any]:
    """The regulation as plain JSON data, to keep as a version (R17, #16 item 7)."""
    return asdict(regulation)


def regulation_from_data(data: Mapping[str, Any]) -> Regulation:
    """A kept version's text back as the value the page and the PDF render."""
    articles = tuple(
        Article(
            number=article["number"],
            heading=article["heading"],
            blocks=tuple(
                Block(
                    text=block["text"],
                    items=tuple(block["items"]),
                    definitions=tuple((term, meaning) for term, meaning in block["definitions"]),
                )
                for block in article["blocks"]
            ),
        )
        for article in data["articles"]
    )
    return Regulation(
        title=data["title"],
        introduction=data["introduction"],
        articles=articles,
        organisation_name=data["organisation_name"],
        terms=Terms(**data["terms"]),
        retention_years=data["retention_years"],
        page_url=data["page_url"],
        pdf_url=data["pdf_url"],
        pdf_filename=data["pdf_filename"],
        contact_lines=tuple(data["contact_lines"]),
    )


def regulation_get(*, today: date) -> Regulation:
    """The regulation as the settings stand now (R17). Three queries, whatever their size."""
    return regulation_content(
        organisation=selectors.organisation_settings(),
        calendar=selectors.calendar_settings(),
        closing_days=selectors.closing_days_all(),
        today=today,
    )
