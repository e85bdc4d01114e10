"""The delay notice on the complaint page: asked for from day 14, a breach once late (R16)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from klachten.domain.delay_notice import DelayNoticeState, ask_from, delay_notice_state
from klachten.domain.workdays import AMSTERDAM, NaiveDatetimeError

# Received Monday 2 November 2026, 09:55: the notice is due at the end of Monday 23 November
# (24:00, i.e. Tuesday 00:00), settlement at the end of Monday 30 November.
RECEIVED = datetime(2026, 11, 2, 9, 55, tzinfo=AMSTERDAM)
DELAY_DUE = datetime(2026, 11, 24, 0, 0, tzinfo=AMSTERDAM)
SETTLEMENT_DUE = datetime(2026, 12, 1, 0, 0, tzinfo=AMSTERDAM)


def state(now: datetime, **changes: object) -> DelayNoticeState:
    facts: dict[str, object] = {
        "received_at": RECEIVED,
        "delay_notice_due": DELAY_DUE,
        "settlement_due": SETTLEMENT_DUE,
        "sent_at": None,
        "closed_at": None,
        "now": now,
    }
    facts.update(changes)
    return delay_notice_state(**facts)  # type: ignore[arg-type]


def test_the_page_asks_from_the_start_of_day_14_after_receipt():
    """R16: from Monday 16 November 00:00 the handler is asked whether more time is needed."""
    assert ask_from(RECEIVED) == datetime(2026, 11, 16, 0, 0, tzinfo=AMSTERDAM)
    assert state(datetime(2026, 11, 15, 23, 59, tzinfo=AMSTERDAM)) is DelayNoticeState.NOT_YET
    assert state(datetime(2026, 11, 16, 0, 0, tzinfo=AMSTERDAM)) is DelayNoticeState.ASK


def test_the_last_moment_of_day_21_is_still_in_time_and_after_it_is_a_breach():
    """R16: the deadline is the end (24:00) of day 21; after it, without a notice, a breach."""
    assert state(DELAY_DUE) is DelayNoticeState.ASK
    assert state(DELAY_DUE + timedelta(seconds=1)) is DelayNoticeState.LATE


def test_a_notice_sent_in_time_or_late_is_told_apart():
    now = DELAY_DUE + timedelta(days=3)
    assert state(now, sent_at=DELAY_DUE - timedelta(hours=1)) is DelayNoticeState.SENT
    assert state(now, sent_at=DELAY_DUE + timedelta(hours=1)) is DelayNoticeState.SENT_LATE


def test_a_complaint_settled_within_four_weeks_owed_no_notice():
    """R16: the notice is only owed when more than 4 weeks are needed."""
    later = SETTLEMENT_DUE + timedelta(days=30)
    assert state(later, closed_at=SETTLEMENT_DUE - timedelta(days=1)) is DelayNoticeState.NOT_NEEDED
    assert state(later, closed_at=SETTLEMENT_DUE + timedelta(days=1)) is DelayNoticeState.LATE


def test_a_naive_clock_is_refused():
    with pytest.raises(NaiveDatetimeError):
        state(datetime(2026, 11, 20, 12, 0))
