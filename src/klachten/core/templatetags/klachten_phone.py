"""Phone numbers on pages: ``{{ staff.phone|phone_international }}``, ``{{ …|tel_uri }}``."""

from __future__ import annotations

from django import template

from klachten.core import phone

register = template.Library()


@register.filter
def phone_international(value: str | None) -> str:
    """ "+31 30 760 2211" (#10, item 14)."""
    return phone.phone_international(value or "")


@register.filter
def tel_uri(value: str | None) -> str:
    """ "tel:+31307602211": a link that dials from abroad too (#10, item 14)."""
    return phone.tel_uri(value or "")
