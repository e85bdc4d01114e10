"""The letter to the customer as a PDF, made from the message as it was stored.

The PDF is never stored: it is made again from the stored message — recipient, subject, text,
the business card as it was (R14) and the date it was written — so it always reads as it was
sent. The card is printed under the text with a QR code of its vCard. When the letter points
to the customer's status page, a QR code of that link and its short code are printed too, so
the customer can reach the page without typing 43 characters: scan it, or type the code at
``/status/`` (``domain.status_code``). Rendering uses local resources only (``core.pdf``).

The address block is the one PostNL asks for (``domain.addressing``), with the country's
Dutch name in capitals for an address abroad.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from klachten.complaints.selectors import complaint_status_url
from klachten.core.pdf import html_to_pdf
from klachten.customers.models import CustomerFile
from klachten.domain.addressing import PostalAddress, address_lines
from klachten.domain.status_code import code_for, grouped
from klachten.mail.cards import BusinessCard, qr_data_uri
from klachten.messaging.models import CustomerMessage

# A status link as the standard texts put it in a message (``{{ statuslink }}``).
STATUS_LINK = re.compile(r"(https?://[^\s<>\"']+?)/status/([A-Za-z0-9_-]{20,64})/")


@lru_cache(maxsize=1)
def _dutch_country_names() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)


def country_name(code: str) -> str:
    """The Dutch name of the country ``code`` ("BE" → "België"), or the code itself."""
    import pycountry

    found = pycountry.countries.get(alpha_2=(code or "").upper())
    if found is None:
        return code
    return _dutch_country_names().gettext(found.name)


def postal_address(customer: CustomerFile) -> list[str]:
    """The customer's address block as PostNL prints it (R6)."""
    country = (customer.country or "NL").upper()
    return address_lines(
        PostalAddress(
            name=customer.name,
            street=customer.street,
            house_number=customer.house_number,
            postcode=customer.postcode,
            town=customer.town,
            country=country,
        ),
        country_name="" if country == "NL" else country_name(country),
    )


@dataclass(frozen=True)
class StatusAccess:
    """How the customer reaches their status page from a letter."""

    url: str  # the link itself, in the QR code
    form_url: str  # where the short code is typed
    code: str  # "K7QM4-TXPR2"
    qr: str  # the QR code of ``url`` as an SVG data: URI


def status_access(message: CustomerMessage) -> StatusAccess | None:
    """The status link the letter gives (as written in its text, else the complaint's link
    now), with its short code and QR code; None when there is no live link at all."""
    found = STATUS_LINK.search(message.body)
    if found is not None:
        base, token = found.group(1), found.group(2)
        url = found.group(0)
    else:
        current = complaint_status_url(message.complaint)
        if current is None:
            return None
        base, _sep, rest = current.partition("/status/")
        token, url = rest.strip("/"), current
    qr = segno.make(url, error="m")
    return StatusAccess(
        url=url,
        form_url=f"{base}/status/",
        code=grouped(code_for(token)),
        qr=str(qr.svg_data_uri(scale=3, border=2)),
    )


def _context(message: CustomerMessage) -> dict[str, object]:
    card = BusinessCard.from_dict(message.card)
    return {
        "message": message,
        "reference": message.complaint.reference,
        "card": card,
        "qr": qr_data_uri(card),
        "status": status_access(message),
        "written_on": timezone.localtime(message.created_at).date(),
        "address_lines": message.recipient.splitlines(),
        "paragraphs": [part for part in message.body.split("\n\n") if part.strip()],
    }


def letter_html(message: CustomerMessage) -> str:
    """The letter of ``message`` as the HTML the PDF is made from, in Dutch."""
    with translation.override("nl"):
        return render_to_string("messaging/letter.html", _context(message))


def letter_pdf(message: CustomerMessage) -> bytes:
    """The letter of ``message`` as PDF bytes, in Dutch (the customer's language)."""
    return html_to_pdf(letter_html(message))


def letter_filename(message: CustomerMessage) -> str:
    """``brief-KG-2026-00042-7.pdf``."""
    return f"brief-{message.complaint.reference}-{message.pk}.pdf"
