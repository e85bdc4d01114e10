"""Checks on what staff members are called (#10, item 19).

A name or job title travels into mail headers, vCards, calendar feeds and PDFs; a line break or
another control character there breaks the file that carries it (a calendar feed, a mail that
can never be sent). Such characters are refused where the name is typed.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def has_control_characters(value: str) -> bool:
    """Line breaks, tabs and every other control or format character (Unicode Cc, Cf, Zl, Zp)."""
    return any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in value)


def validate_no_control_characters(value: str) -> None:
    """Refuse a one-line text with a line break, tab or another invisible control character."""
    if has_control_characters(value):
        raise ValidationError(
            _("Gebruik hier geen regeleinden, tabs of andere onzichtbare tekens."),
            code="control_characters",
        )
