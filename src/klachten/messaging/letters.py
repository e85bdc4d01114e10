"""The letter to the customer as a PDF, made from the message as it was stored.

The PDF is never stored: it is made again from the stored message — recipient, subject, text,
the business card as it was (R14) and the date it was written — so it always reads as it was
sent. The card is printed under the text with a QR code of its vCard. Rendering uses local
resources only (``core.pdf``).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from klachten.core.pdf import html_to_pdf
from klachten.messaging.cards import BusinessCard, qr_data_uri
from klachten.messaging.models import CustomerMessage


def _context(message: CustomerMessage) -> dict[str, object]:
    card = BusinessCard.from_dict(message.card)
    return {
        "message": message,
        "reference": message.complaint.reference,
        "card": card,
        "qr": qr_data_uri(card),
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
