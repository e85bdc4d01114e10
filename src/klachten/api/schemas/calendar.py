"""The answer of ``GET /api/v1/calendar/deadlines`` (R3, R16)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class CalendarDeadlinesOut(Schema):
    received_at: datetime
    contact_due: datetime
    delay_notice_due: datetime
    settlement_due: datetime
