"""Phone numbers as the world dials them (#10, item 14): +31 30 760 2211, ``tel:+31307602211``.

Staff type their direct number as they say it ("030 760 22 11"); a vCard, a ``tel:`` link and
a customer abroad need the international form. Parsing and formatting is the ``phonenumbers``
library's; Dutch numbers are the default region.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "NL"


def _parsed(raw: str, region: str = DEFAULT_REGION) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def phone_is_valid(raw: str, region: str = DEFAULT_REGION) -> bool:
    return _parsed(raw, region) is not None


# A handful of staff numbers is formatted on every card, mail and page: parse each once.
@lru_cache(maxsize=1024)
def phone_international(raw: str, region: str = DEFAULT_REGION) -> str:
    """ "+31 30 760 2211" for people to read; a number that does not parse stays as written."""
    number = _parsed(raw, region) if raw else None
    if number is None:
        return raw.strip()
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@lru_cache(maxsize=1024)
def phone_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """ "+31307602211" (E.164) for vCards and ``tel:`` links; unparseable: the digits and a
    leading +, so a link still dials what was written."""
    number = _parsed(raw, region) if raw else None
    if number is None:
        stripped = raw.strip()
        return ("+" if stripped.startswith("+") else "") + "".join(
            c for c in stripped if c.isdigit()
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def tel_uri(raw: str, region: str = DEFAULT_REGION) -> str:
    """ "tel:+31307602211" (RFC 3966, a global number)."""
    return f"tel:{phone_e164(raw, region)}"
