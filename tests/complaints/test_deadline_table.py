"""The deadline table of the complaint page says what the domain decides about the delay
notice (R16), not a guess of its own (#12: one place per rule)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from klachten.complaints.models import Complaint
from klachten.complaints.templatetags.klachten_complaints import complaint_deadlines
from klachten.domain.lifecycle import Status

RECEIVED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def closed_complaint(closed_after_days: int) -> Complaint:
    return Complaint(
        received_at=RECEIVED,
        contact_due=RECEIVED + timedelta(days=1),
        contacted_at=RECEIVED + timedelta(hours=2),
        delay_notice_due=RECEIVED + timedelta(days=21),
        settlement_due=RECEIVED + timedelta(days=28),
        status=Status.CLOSED,
        closed_at=RECEIVED + timedelta(days=closed_after_days),
    )


def delay_row(complaint: Complaint) -> tuple[str, str]:
    [row] = [
        row
        for row in complaint_deadlines(complaint, RECEIVED + timedelta(days=60))
        if str(row.label) == "Uitstelbericht"
    ]
    return row.word, row.note


def test_closed_within_four_weeks_no_notice_was_needed() -> None:
    assert delay_row(closed_complaint(20)) == ("niet nodig", "afgehandeld binnen de termijn")


@pytest.mark.parametrize("days", [29, 40])
def test_closed_after_four_weeks_without_a_notice_the_notice_was_late(days: int) -> None:
    """R16: settled after the deadline without telling the customer is a breach, not "niet
    nodig — afgehandeld binnen de termijn" as the page wrote before."""
    state, note = delay_row(closed_complaint(days))
    assert state == "te laat"
    assert "binnen de termijn" not in note
