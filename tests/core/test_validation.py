"""One check and one message per kind of detail (R6; #12): the customer's NAW at intake, the
public form and the API, the organisation's own address, a staff member's e-mail address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from klachten.accounts.models import Role
from klachten.accounts.services import staff_create
from klachten.core.errors import InvalidInput
from klachten.core.validation import email_address, phone_number, postcode
from klachten.customers.validation import CustomerData, customer_data_problems
from klachten.organisation.services import organisation_settings_update

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CUSTOMER = CustomerData(
    name="Anna de Vries",
    street="Oudegracht",
    house_number="12",
    postcode="3511 AB",
    town="Utrecht",
)

WRONG = {"postcode": "35110", "phone": "12", "email": "info@"}


def _message(check, value: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        check(value)
    return refused.value.detail


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_customer_and_the_organisation_hear_the_same_message(db: None, manager, name) -> None:
    value = WRONG[name]
    _, problems = customer_data_problems(CustomerData(**{**CUSTOMER.__dict__, name: value}))
    [customer] = problems
    assert customer.field == f"customer.{name}"
    with pytest.raises(InvalidInput) as organisation:
        organisation_settings_update(actor=manager, changes={name: value}, now=NOW)
    assert organisation.value.field == name
    assert organisation.value.detail == customer.detail
    assert organisation.value.code == customer.code


def test_a_staff_member_s_e_mail_address_is_checked_as_a_customer_s(db: None) -> None:
    with pytest.raises(InvalidInput) as staff:
        staff_create(username="petra", role=Role.EMPLOYEE, email=WRONG["email"])
    assert staff.value.field == "email"
    assert staff.value.detail == _message(email_address, WRONG["email"])


@given(st.from_regex(r"[1-9][0-9]{3} ?[A-Za-z]{2}", fullmatch=True))
def test_a_dutch_postcode_is_kept_as_1234_ab(code: str) -> None:
    assume(code[-2:].upper() not in {"SA", "SD", "SS"})  # not issued in the Netherlands
    assert postcode(code) == f"{code[:4]} {code[-2:].upper()}"


def test_a_foreign_postcode_and_an_empty_phone_pass_as_given() -> None:
    assert postcode("B-1000", "BE") == "B-1000"
    assert phone_number("", "NL") == ""
