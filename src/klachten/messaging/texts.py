"""The standard messages to the customer and their small placeholder language.

Management edits the wording in the application (``MessageTemplate``); the texts here are the
defaults that hold until then. A text may name the facts of a complaint with placeholders —
``{{ klant }}``, ``{{ kenmerk }}``, ``{{ termijn }}``, … (``PLACEHOLDERS``) — and nothing else.
They are filled in by plain substitution: a text written in the application is never run
through a template engine, so it can neither reach data it should not nor break a page.

The standard texts are the organisation's Dutch letters to Dutch customers; they are content,
like management's own wording, not part of the staff screens' translation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klachten.messaging.models import MessageKind

#: ``{{ name }}``; spaces inside the braces are optional.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_BRACES = re.compile(r"\{\{|\}\}")


@dataclass(frozen=True)
class Placeholder:
    """One fact of a complaint a text may name, what it stands for, and what it needs first."""

    name: str
    label: Promise
    example: str
    missing: Promise | None = None  # why it can be empty, and what to do first


PLACEHOLDERS: Mapping[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("klant", _("naam van de klant"), "mevrouw A. Bakker"),
        Placeholder("kenmerk", _("kenmerk van de melding"), "KG-2026-00042"),
        Placeholder("ontvangen", _("datum van ontvangst"), "maandag 2 november"),
        Placeholder(
            "contact_uiterlijk",
            _("uiterste moment van het eerste contact (R3)"),
            "dinsdag 3 november",
        ),
        Placeholder(
            "uitstel_uiterlijk",
            _("uiterste datum van een uitstelbericht (R16)"),
            "maandag 23 november",
        ),
        Placeholder(
            "afhandeling_uiterlijk",
            _("uiterste datum van de afhandeling (R16)"),
            "maandag 30 november",
        ),
        Placeholder(
            "contactdatum",
            _("datum van het laatste contact"),
            "dinsdag 3 november",
            _("Eerst contact opnemen met de klant (R3)."),
        ),
        Placeholder(
            "termijn",
            _("afgesproken termijn (R3)"),
            "donderdag 12 november",
            _("Eerst een termijn afspreken met de klant (R3)."),
        ),
        Placeholder(
            "actieplan",
            _("het actieplan: wat, wie, wanneer (R9)"),
            "- Wat: een nieuwe cursusmap opsturen\n"
            "  Wie: Petra de Vries\n"
            "  Wanneer: uiterlijk woensdag 4 november",
            _("Eerst een actieplan maken: wat, wie, wanneer (R9)."),
        ),
        Placeholder(
            "reden",
            _("reden van het uitstel (R16)"),
            "wij wachten op de nieuwe planning van de docent",
            _("Vul de reden van het uitstel in (R16)."),
        ),
        Placeholder(
            "verwachte_datum",
            _("datum waarop een besluit te verwachten is (R16)"),
            "dinsdag 15 december",
            _("Vul de verwachte datum van een besluit in (R16)."),
        ),
        Placeholder(
            "oplossing",
            _("de voorgestelde oplossing (R7)"),
            "Wij sturen u vandaag een nieuwe cursusmap en bieden u een extra lesdag aan.",
            _("Eerst de oplossing vastleggen (stap Oplossing voorleggen, R7)."),
        ),
        Placeholder(
            "statuslink",
            _("link naar de persoonlijke statuspagina van de klant"),
            "https://meldingen.kerngroep.nl/status/voorbeeld/",
            _("Deze melding heeft geen statuspagina meer."),
        ),
        Placeholder("organisatie", _("naam van de organisatie"), "Kerngroep"),
        Placeholder("derde", _("de onafhankelijke derde (R11)"), "Sandra Kok"),
        Placeholder(
            "derde_website", _("website van de onafhankelijke derde (R11)"), "www.sandra-kok.nl"
        ),
        Placeholder("medewerker", _("uw naam"), "Petra de Vries"),
    )
}

EXAMPLE_VALUES: Mapping[str, str] = {name: p.example for name, p in PLACEHOLDERS.items()}
"""Believable values for every placeholder: the preview and the check of a template."""


@dataclass(frozen=True)
class Standard:
    """The shipped wording of one standard message."""

    subject: str
    body: str


_GREETING = "Geachte {{ klant }},\n\n"
_CLOSING = "\n\nMet vriendelijke groet,"

STANDARD: Mapping[str, Standard] = {
    MessageKind.RECEIPT: Standard(
        "Uw melding {{ kenmerk }} is ontvangen",
        _GREETING
        + "Hartelijk dank dat u ons op {{ ontvangen }} liet weten wat er niet goed ging. Uw "
        "melding is bij ons bekend onder kenmerk {{ kenmerk }}, en de directie is op de "
        "hoogte.\n\n"
        "Wat er nu gebeurt:\n"
        "- Uiterlijk {{ contact_uiterlijk }} nemen wij contact met u op. Samen spreken we dan "
        "af wanneer u een antwoord of oplossing van ons kunt verwachten.\n"
        "- Uiterlijk {{ afhandeling_uiterlijk }} is uw melding afgehandeld. Hebben wij meer "
        "tijd nodig, dan hoort u dat uiterlijk {{ uitstel_uiterlijk }}, met de reden en de "
        "datum waarop u een besluit kunt verwachten.\n\n"
        "Op uw persoonlijke statuspagina ziet u steeds hoe het ervoor staat:\n"
        "{{ statuslink }}\n\n"
        "Heeft u in de tussentijd een vraag? Neem dan gerust rechtstreeks contact met mij op."
        + _CLOSING,
    ),
    MessageKind.CONTACT_SUMMARY: Standard(
        "Ons gesprek over uw melding {{ kenmerk }}",
        _GREETING
        + "Dank u wel voor ons gesprek van {{ contactdatum }}. Fijn dat u de tijd nam om alles "
        "toe te lichten.\n\n"
        "Zoals afgesproken hoort u uiterlijk {{ termijn }} van ons welke oplossing wij "
        "voorstellen, of hoe ver wij dan zijn.\n\n"
        "Op uw persoonlijke statuspagina volgt u de voortgang:\n"
        "{{ statuslink }}" + _CLOSING,
    ),
    MessageKind.ACTION_PLAN: Standard(
        "Wat wij doen voor uw melding {{ kenmerk }}",
        _GREETING + "Hieronder leest u wat wij gaan doen, wie het doet en wanneer het klaar is:\n\n"
        "{{ actieplan }}\n\n"
        "Zodra iets klaar is, ziet u dat op uw persoonlijke statuspagina:\n"
        "{{ statuslink }}" + _CLOSING,
    ),
    MessageKind.DELAY_NOTICE: Standard(
        "Uw melding {{ kenmerk }}: wij hebben meer tijd nodig",
        _GREETING
        + "Wij willen uw melding zorgvuldig afhandelen, en daarvoor hebben wij meer tijd nodig "
        "dan de vier weken die wij u beloofden. Dat laat ik u graag nu al weten.\n\n"
        "De reden: {{ reden }}\n\n"
        "U kunt uiterlijk {{ verwachte_datum }} een besluit van ons verwachten. Lukt het "
        "eerder, dan hoort u het eerder.\n\n"
        "Op uw persoonlijke statuspagina ziet u hoe het ervoor staat:\n"
        "{{ statuslink }}\n\n"
        "Excuses dat u langer moet wachten. Heeft u een vraag, neem dan gerust contact met mij "
        "op." + _CLOSING,
    ),
    MessageKind.SOLUTION_PROPOSAL: Standard(
        "Ons voorstel voor uw melding {{ kenmerk }}",
        _GREETING + "Wij stellen u het volgende voor:\n\n"
        "{{ oplossing }}\n\n"
        "Voordat wij dit definitief maken, horen wij graag wat u ervan vindt. Gaat u akkoord, "
        "of ziet u het liever anders? U kunt het ons laten weten op uw persoonlijke "
        "statuspagina:\n"
        "{{ statuslink }}\n\n"
        "Bellen of mailen mag natuurlijk ook." + _CLOSING,
    ),
    MessageKind.FOLLOW_UP: Standard(
        "Is alles naar wens? Uw melding {{ kenmerk }}",
        _GREETING
        + "Wij hebben samen een oplossing afgesproken en die uitgevoerd. Graag horen wij van u "
        "of alles nu naar wens is.\n\n"
        "U kunt het ons laten weten op uw persoonlijke statuspagina:\n"
        "{{ statuslink }}\n\n"
        "Is er nog iets niet in orde? Zeg het ons, dan pakken wij het meteen op." + _CLOSING,
    ),
    MessageKind.CLOSING: Standard(
        "Afronding van uw melding {{ kenmerk }}",
        _GREETING
        + "Hierbij ronden wij uw melding {{ kenmerk }} af. Dank u wel voor uw geduld en voor "
        "de kans om het samen met u goed te maken.\n\n"
        "Bent u het niet eens met de afhandeling, dan kunt u de kwestie voorleggen aan een "
        "onafhankelijke derde: {{ derde }} ({{ derde_website }}). Die uitspraak is bindend, en "
        "wij voeren haar snel uit.\n\n"
        "Wij hopen u graag weer te zien bij {{ organisatie }}." + _CLOSING,
    ),
    MessageKind.FREE: Standard(
        "Uw melding {{ kenmerk }}",
        _GREETING + "\n" + _CLOSING,
    ),
}


@dataclass(frozen=True)
class TemplateProblem:
    """A placeholder a text may not use, or braces that are no placeholder."""

    code: str  # "unknown_placeholder" | "stray_braces"
    text: str
    start: int


def template_problems(text: str) -> list[TemplateProblem]:
    """Every unknown placeholder and every stray ``{{`` or ``}}`` in ``text``, in order."""
    problems: list[TemplateProblem] = []
    covered: list[tuple[int, int]] = []
    for match in PLACEHOLDER.finditer(text):
        covered.append(match.span())
        if match.group(1) not in PLACEHOLDERS:
            problems.append(TemplateProblem("unknown_placeholder", match.group(0), match.start()))
    for match in _BRACES.finditer(text):
        if not any(start <= match.start() < end for start, end in covered):
            problems.append(TemplateProblem("stray_braces", match.group(0), match.start()))
    return sorted(problems, key=lambda problem: problem.start)


def placeholders_used(text: str) -> list[str]:
    """The known placeholders ``text`` names, each once, in order of appearance."""
    names = (match.group(1) for match in PLACEHOLDER.finditer(text))
    return list(dict.fromkeys(name for name in names if name in PLACEHOLDERS))


def without_placeholders(text: str) -> str:
    """``text`` with each known placeholder blanked to as many spaces, for the guard's reading
    of a template as written (R12, R13): a placeholder's name ("derde_website") is no word the
    customer reads, and its value is checked where the template is filled in. Offsets stay
    those of the text as written."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0)) if match.group(1) in PLACEHOLDERS else match.group(0)

    return PLACEHOLDER.sub(blank, text)


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every known placeholder replaced by its value (plain substitution).

    Only names in ``values`` are replaced; the value is inserted as it is, never interpreted.
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return PLACEHOLDER.sub(value, text)
