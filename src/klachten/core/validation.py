"""The checks of a person's address and contact details, with one set of messages (R6): a
customer's NAW (``klachten.customers.validation``), the organisation's own address, a staff
member's e-mail address. Each raises a coded ``InvalidInput`` naming its field.
"""

from __future__ import annotations

import phonenumbers
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from localflavor.nl.validators import NLZipCodeFieldValidator

from klachten.core.errors import InvalidInput
from klachten.domain.addressing import Salutation

MAX_TEXT = 20_000


def required(value: str, field: str, label: str) -> str:
    """A text that must be given, stripped, at most ``MAX_TEXT`` characters."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput("required", _("Vul %(label)s in."), {"label": label}, field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(
            "too_long",
            _("%(label)s is te lang (maximaal %(max)s tekens)."),
            {"label": label, "max": MAX_TEXT},
            field=field,
        )
    return value


def country_code(value: str, *, field: str = "customer.country") -> str:
    """A country as its two-letter code (``NL`` when none is given)."""
    country = (value or "NL").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(
            "invalid_country", _("Geef het land als landcode, bijvoorbeeld NL of BE."), field=field
        )
    return country


def postcode(value: str, country: str = "NL", *, field: str = "customer.postcode") -> str:
    """A Dutch postcode as ``1234 AB``; a foreign one as written."""
    code = required(value, field, str(_("de postcode")))
    if country != "NL":
        return code
    compact = code.replace(" ", "").upper()
    normalised = f"{compact[:4]} {compact[4:]}"
    try:
        NLZipCodeFieldValidator()(normalised)
    except Exception as error:
        raise InvalidInput(
            "invalid_postcode",
            _("Een Nederlandse postcode is vier cijfers en twee letters, zoals 1234 AB."),
            field=field,
        ) from error
    return normalised


def phone_number(value: str, country: str = "NL", *, field: str = "customer.phone") -> str:
    """A valid phone number in its international form (+31 20 123 4567); empty stays empty."""
    phone = (value or "").strip()
    if not phone:
        return phone
    try:
        parsed = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException as error:
        raise InvalidInput(
            "invalid_phone", _("Dit telefoonnummer klopt niet."), field=field
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput("invalid_phone", _("Dit telefoonnummer klopt niet."), field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_address(value: str, *, field: str = "customer.email") -> str:
    """A valid e-mail address; empty stays empty."""
    email = (value or "").strip()
    if not email:
        return email

    try:
        validate_email(email)
    except Exception as error:
        raise InvalidInput(
            "invalid_email", _("Dit e-mailadres klopt niet."), field=field
        ) from error
    return email


def salutation(value: str, *, field: str = "customer.salutation") -> str:
    """Letters say "Geachte mevrouw/heer …" only when the customer file says which (#10)."""
    salutation = (value or "").strip().lower()
    if salutation not in {choice.value for choice in Salutation}:
        raise InvalidInput(
            "invalid_salutation",
            _("Kies als aanhef mevrouw, heer of geen voorkeur."),
            field=field,
        )
    return salutation
