"""The customer's NAW and contact details, checked in one place (R5, R6): the intake, the public
form, the API and the correction of a customer file all call :func:`customer_data_problems`
(or :func:`customer_data_clean`), which uses the checks and messages of
:mod:`klachten.core.validation` — the same the organisation's own address gets. Every problem
of a customer is reported at once (UX.md: every error in one round).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from klachten.core.errors import InvalidInput, InvalidInputs, Problems
from klachten.core.validation import (
    country_code,
    email_address,
    phone_number,
    postcode,
    required,
    salutation,
)
from klachten.customers.models import CustomerFile


@dataclass(frozen=True, kw_only=True)
class CustomerData:
    """NAW and contact details as given at intake (R6)."""

    name: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str = "NL"
    email: str = ""
    phone: str = ""
    salutation: str = ""  # "mevrouw", "heer" or "" (no preference): how letters greet


def customer_data_clean(data: CustomerData) -> CustomerData:
    """R6: NAW is required; a Dutch postcode is 1234 AB; phone and e-mail must be valid.

    Foreign addresses are allowed: their postcode is kept as written. The phone number is
    stored in international form (+31 20 123 4567). Every problem is reported at once
    (``InvalidInputs``), each with its field, as the forms show them (UX.md).
    """
    cleaned, problems = customer_data_problems(data)
    InvalidInputs.raise_any(problems)
    assert cleaned is not None  # noqa: S101 - no problems, so a cleaned value
    return cleaned


def customer_data_problems(data: CustomerData) -> tuple[CustomerData | None, list[InvalidInput]]:
    """R6: the cleaned NAW and contact details, or every reason they cannot be used.

    The intake and the customer file's edit form call this while validating, so a wrong
    postcode shows together with a missing name (issue #10), and the services call it again
    through :func:`customer_data_clean` before anything is written.
    """
    problems = Problems()
    # Without a valid country, the postcode and the phone number are judged only once it is
    # given (no second error that only follows from the first).
    country = problems.check(lambda: country_code(data.country))
    code = problems.check(lambda: postcode(data.postcode, country))
    phone = problems.check(lambda: phone_number(data.phone, country)) if country else data.phone
    email = problems.check(lambda: email_address(data.email))
    cleaned = CustomerData(
        **{
            **asdict(data),
            "name": problems.check(lambda: required(data.name, "customer.name", str(_("de naam")))),
            "street": problems.check(
                lambda: required(data.street, "customer.street", str(_("de straat")))
            ),
            "house_number": problems.check(
                lambda: required(
                    data.house_number, "customer.house_number", str(_("het huisnummer"))
                )
            ),
            "postcode": code,
            "town": problems.check(
                lambda: required(data.town, "customer.town", str(_("de woonplaats")))
            ),
            "country": country,
            "email": email,
            "phone": phone,
            "salutation": problems.check(lambda: salutation(data.salutation)),
        }
    )
    for name, value in asdict(cleaned).items():
        limit = getattr(CustomerFile._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            problems.found.append(
                InvalidInput(
                    "too_long",
                    _("Dit veld is te lang (maximaal %(max)s tekens)."),
                    {"max": limit},
                    field=f"customer.{name}",
                )
            )
    return (None, problems.found) if problems.found else (cleaned, [])
