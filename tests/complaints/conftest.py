"""Fixtures for complaints: a registered complaint, and a clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from klachten.complaints.services import Checklist, complaint_register
from klachten.customers.validation import CustomerData
from klachten.domain.workdays import AMSTERDAM

# Monday 2 November 2026, 10:00: a working day far from any holiday.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
# The pages read the clock: one hour after the fixture's complaint was registered.
PAGE_TIME = NOW + timedelta(hours=1)


def customer_data(**changes) -> CustomerData:
    fields = {
        "name": "Mevrouw A. Bakker",
        "street": "Lindenlaan",
        "house_number": "12a",
        "postcode": "3512ab",
        "town": "Utrecht",
        "email": "a.bakker@example.nl",
        "phone": "030 123 4567",
    }
    fields.update(changes)
    return CustomerData(**fields)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def complaint(employee, manager):
    return complaint_register(
        receiver=employee,
        customer=customer_data(),
        naw_checked=True,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report="Cursusmap voor de training Leidinggeven ontbrak bij de start.",
        checklist=Checklist(not_interrupted=True, vented=True, apologised=True),
        now=NOW,
    )


def later(days: int = 0, hours: int = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


def in_days(days: int) -> date:
    return (NOW + timedelta(days=days)).date()
