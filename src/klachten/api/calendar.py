"""``GET /api/v1/calendar/deadlines`` — the three deadlines for a moment of receipt (R3, R16)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from klachten.api.schemas.calendar import CalendarDeadlinesOut
from klachten.core.timeparse import check_supported_year, parse_aware_datetime
from klachten.domain.deadlines import deadlines_for
from klachten.organisation.selectors import organisation_terms, work_calendar

router = Router(tags=["calendar"])


@router.get(
    "/deadlines",
    response=CalendarDeadlinesOut,
    summary="Deadlines for a complaint received then",
    operation_id="getDeadlines",
)
def deadlines(request: HttpRequest, received_at: str | None = None) -> dict[str, datetime]:
    """Contact due 24 working hours after receipt (R3); the delay notice by the end of the 21st
    and settlement by the end of the 28th calendar day after the day of receipt, moved back to
    the last working day (R16). PROCEDURE.md, "Deadlines, exactly". These are the default terms;
    when management changes them (*Instellingen*), the answer follows the terms in force, as
    registering a complaint does. ``received_at`` is ISO 8601 with offset (default: now);
    answers are in Europe/Amsterdam time.
    """
    moment = (
        timezone.now()
        if received_at is None
        else parse_aware_datetime(received_at, field="received_at")
    )
    check_supported_year(moment.year, field="received_at")
    due = deadlines_for(moment, work_calendar(), organisation_terms())
    return {
        "received_at": timezone.localtime(moment),
        "contact_due": due.contact_due,
        "delay_notice_due": due.delay_notice_due,
        "settlement_due": due.settlement_due,
    }
