"""Which deadline needs attention and how urgent it is (R3, R16)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.urgency import (
    CONTACT_WARNING,
    TERM_WARNING,
    Urgency,
    attention_due,
    open_deadlines,
    urgency,
)
from klachten.domain.workdays import AMSTERDAM

CONTACT = datetime(2026, 4, 7, 14, 0, tzinfo=AMSTERDAM)
DELAY = datetime(2026, 4, 24, 0, 0, tzinfo=AMSTERDAM)
SETTLE = datetime(2026, 5, 1, 0, 0, tzinfo=AMSTERDAM)


def _open(**changes):
    facts = {
        "contact_due": CONTACT,
        "delay_notice_due": DELAY,
        "settlement_due": SETTLE,
        "contacted": False,
        "delay_notice_sent": False,
        "closed": False,
        "agreed_term": None,
        "extended_until": None,
    }
    facts.update(changes)
    return open_deadlines(**facts)


def test_a_new_complaint_needs_contact_first():
    """R3: before the first contact, the contact deadline is the nearest."""
    assert attention_due(_open()) == CONTACT


def test_after_contact_the_agreed_term_or_the_delay_notice_comes_next():
    """R3/R16: the agreed term counts from the end of its day; then the 3-week deadline."""
    assert attention_due(_open(contacted=True)) == DELAY
    term = _open(contacted=True, agreed_term=date(2026, 4, 17))
    assert attention_due(term) == datetime(2026, 4, 18, tzinfo=AMSTERDAM)


def test_a_sent_delay_notice_and_an_extension_move_attention_to_the_new_date():
    """R16: with a timely delay notice and an extension, the expected date is the deadline."""
    extended = _open(contacted=True, delay_notice_sent=True, extended_until=date(2026, 5, 20))
    assert attention_due(extended) == datetime(2026, 5, 21, tzinfo=AMSTERDAM)


def test_a_closed_complaint_needs_no_attention():
    assert attention_due(_open(closed=True)) is None


def test_urgency_words():
    """UX.md: op tijd / bijna / te laat, and met (in time or late) once done."""
    now = CONTACT - timedelta(hours=10)
    assert urgency(CONTACT, now, warning=CONTACT_WARNING) is Urgency.ON_TIME
    assert urgency(CONTACT, CONTACT - timedelta(hours=1), warning=CONTACT_WARNING) is Urgency.SOON
    assert urgency(CONTACT, CONTACT + timedelta(seconds=1), warning=CONTACT_WARNING) is Urgency.LATE
    assert urgency(CONTACT, now, met_at=CONTACT, warning=CONTACT_WARNING) is Urgency.MET
    late = CONTACT + timedelta(minutes=1)
    assert urgency(CONTACT, now, met_at=late, warning=CONTACT_WARNING) is Urgency.MET_LATE


@given(st.integers(min_value=-10_000_000, max_value=10_000_000))
def test_urgency_is_late_exactly_after_the_deadline(seconds):
    """R16: a deadline is late from the first moment after it, never before."""
    now = SETTLE + timedelta(seconds=seconds)
    verdict = urgency(SETTLE, now, warning=TERM_WARNING)
    assert (verdict is Urgency.LATE) == (now > SETTLE)
    assert (verdict is Urgency.SOON) == (SETTLE - TERM_WARNING <= now <= SETTLE)
