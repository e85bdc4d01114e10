"""The employee's own business card on every message to the customer (R14).

The card is taken from the staff member who sends the message (name, job title, direct phone,
e-mail) and the organisation's settings, and stored with the message as it was then, so a
message always opens with the card it was sent with. It travels three ways: as a signature
block in the text, as a vCard attachment (``vobject``), and on letters as a QR code of that
vCard (``segno``) that a phone reads straight into its contacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import segno
import vobject
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.core.errors import InvalidInput
from klachten.core.phone import phone_e164, phone_international
from klachten.mail.outbox import MailAttachment
from klachten.organisation.models import OrganisationSettings


@dataclass(frozen=True, kw_only=True)
class BusinessCard:
    """What the customer gets of the employee (R14) and of the organisation around them."""

    name: str
    first_name: str
    last_name: str
    job_title: str
    phone: str
    email: str
    organisation: str
    street: str = ""
    postcode: str = ""
    town: str = ""
    website: str = ""

    def as_dict(self) -> dict[str, str]:
        """The card as stored with a message (JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCard:
        """The card as it was stored; fields added later default to empty."""
        names = cls.__dataclass_fields__
        return cls(**{key: str(value) for key, value in data.items() if key in names})


def card_for(staff: Staff, organisation: OrganisationSettings) -> BusinessCard:
    """R14: the card of ``staff``: name, role (job title), direct phone and e-mail.

    A card without a direct phone number or an e-mail address is no card the customer can use:
    the message is refused until the staff member's details are complete. Without a job title
    the role (*Medewerker*, *Directie*) is printed.
    """
    missing = []
    if not staff.phone.strip():
        missing.append(str(_("direct telefoonnummer")))
    if not staff.email.strip():
        missing.append(str(_("e-mailadres")))
    if missing:
        raise InvalidInput(
            "card_incomplete",
            _(
                "Uw visitekaartje is niet compleet: %(missing)s ontbreekt. Elk bericht aan de "
                "klant draagt uw eigen kaartje (R14); vraag de beheerder het aan te vullen."
            ),
            {"missing": " en ".join(missing)},
            field="card",
        )
    return BusinessCard(
        name=str(staff),
        first_name=staff.first_name,
        last_name=staff.last_name,
        job_title=staff.job_title.strip() or str(staff.get_role_display()),
        phone=phone_international(staff.phone),
        email=staff.email.strip(),
        organisation=organisation.name,
        street=organisation.street,
        postcode=organisation.postcode,
        town=organisation.town,
        website=organisation.website,
    )


def signature(card: BusinessCard) -> str:
    """The card as the signature block under a message's text."""
    lines = [
        card.name,
        f"{card.job_title}, {card.organisation}",
        f"Direct: {phone_international(card.phone)}",
        card.email,
    ]
    if card.website:
        lines.append(card.website)
    return "\n".join(lines)


@lru_cache(maxsize=256)
def vcard(card: BusinessCard) -> str:
    """The card as a vCard 3.0 that address books and phones import (R14).

    The same card always gives the same text, so each is built once per process: every
    receipt of a registration carries its employee's, inside the transaction whose write lock
    the next registration waits for (#17 item 5)."""
    v = vobject.vCard()
    family = card.last_name or (card.name if not card.first_name else "")
    v.add("n").value = vobject.vcard.Name(family=family, given=card.first_name)
    v.add("fn").value = card.name
    v.add("org").value = [card.organisation]
    v.add("title").value = card.job_title
    tel = v.add("tel")
    tel.value = phone_e164(card.phone)  # +31307602211: dials from any phone, anywhere (#10)
    tel.type_param = ["WORK", "VOICE"]
    email = v.add("email")
    email.value = card.email
    email.type_param = "INTERNET"
    if card.street or card.town:
        adr = v.add("adr")
        adr.value = vobject.vcard.Address(
            street=card.street, city=card.town, code=card.postcode, country="Nederland"
        )
        adr.type_param = "WORK"
    if card.website:
        v.add("url").value = card.website
    return str(v.serialize())


def vcard_filename(card: BusinessCard) -> str:
    """``petra-de-vries.vcf``: the attachment's name, plain ASCII."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", card.name).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name).lower().split())
    return f"{slug or 'visitekaartje'}.vcf"


def vcard_attachment(card: BusinessCard) -> MailAttachment:
    """R14: the card as the vCard file every mail to the customer carries."""
    return MailAttachment(
        filename=vcard_filename(card), content=vcard(card).encode(), content_type="text/vcard"
    )


def qr_data_uri(card: BusinessCard) -> str:
    """The vCard as a QR code, an SVG ``data:`` URI for the letter (local only: core.pdf).

    Encoded as UTF-8 and said so with an ECI marker: without it segno picks ISO 8859-1 for
    "Cursuscoördinator", and scanners that guess (ZBar) read "Cursusco顤dinator".
    """
    code = segno.make(vcard(card), error="m", encoding="utf-8", eci=True)
    return str(code.svg_data_uri(scale=3, border=2))
