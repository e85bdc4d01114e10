"""``GET /api/v1/measures`` — the improvement measures with their cycle and recurrence watch
(#16 item 2). For management only (403 ``management_only`` for anyone else, R2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from klachten.api.helpers import caller
from klachten.api.schemas.errors import ErrorOut
from klachten.api.schemas.measures import MeasureListOut
from klachten.core.clock import local_today
from klachten.core.errors import Forbidden
from klachten.organisation.models import Course, RootCause
from klachten.reports.selectors import MeasureRow, measure_rows

router = Router(tags=["measures"])


def _named(item: RootCause | Course) -> dict[str, Any]:
    return {"id": item.pk, "name": item.name}


def _measure_out(row: MeasureRow) -> dict[str, Any]:
    measure, watch = row.measure, row.recurrence
    return {
        "id": measure.pk,
        "title": measure.title,
        "description": measure.description,
        "owner": {"id": measure.owner.pk, "name": str(measure.owner)},
        "due_on": measure.due_on,
        "status": measure.status,
        "taken_on": measure.taken_on,
        "root_causes": [_named(cause) for cause in measure.root_causes.all()],
        "courses": [_named(course) for course in measure.courses.all()],
        "overdue": row.overdue,
        "check_due_on": measure.check_due_on,
        "check_due": row.check_due,
        "checked_on": measure.checked_on,
        "check_method": measure.check_method,
        "check_result": measure.check_result,
        "check_note": measure.check_note,
        "recurrence": None
        if watch is None
        else {
            "before_from": watch.windows.before_start,
            "in_effect_from": watch.windows.pivot,
            "after_until": watch.windows.after_end - timedelta(days=1),
            "before": watch.before,
            "after": watch.after,
            "before_days": watch.windows.before_days,
            "after_days": watch.windows.after_days,
            "before_per_30_days": watch.before_rate,
            "after_per_30_days": watch.after_rate,
        },
    }


@router.get(
    "",
    response={200: MeasureListOut, 403: ErrorOut},
    summary="List improvement measures",
    operation_id="listMeasures",
)
def measure_list(request: HttpRequest) -> dict[str, Any]:
    """Every improvement measure, what needs attention first (overdue, effect check due), with
    its owner, due date, status, the root causes and courses it addresses, the effect check,
    and the recurrence watch: the complaints of those root causes or courses in the 90 days
    before it took effect and in the days since (at most 90, up to today), also per 30 days.
    Four queries however many measures."""
    staff = caller(request)
    if not staff.may_see_figures:  # management, and the auditor who reads (#16 item 4)
        raise Forbidden(
            "management_only", _("De verbetermaatregelen zijn alleen voor de directie.")
        )
    rows = measure_rows(today=local_today(timezone.now()))
    return {"items": [_measure_out(row) for row in rows], "count": len(rows)}
