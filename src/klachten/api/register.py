"""``GET /api/v1/register`` — the register of complaints of a period as a file (#16 item 3).

The same register as the dashboard's page and ``klachten register`` (``reports.register``):
for management only (403 ``management_only`` for anyone else, R2), every download written to
the audit log.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from klachten.api.helpers import caller
from klachten.api.schemas.errors import ErrorOut, InvalidOut
from klachten.api.schemas.register import RegisterQuery
from klachten.reports.register import (
    register_export,
    register_for,
    register_period_parse,
    register_require_access,
)

router = Router(tags=["register"])


@router.get(
    "",
    response={200: None, 403: ErrorOut, 422: InvalidOut},
    summary="The register of complaints of a period",
    operation_id="getRegister",
    openapi_extra={
        "responses": {
            200: {
                "description": "The register as a file: XLSX "
                "(`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) or CSV "
                "(`text/csv`), as an attachment."
            }
        }
    },
)
def register(request: HttpRequest, query: Query[RegisterQuery]) -> FileResponse:
    """One row per complaint received in the period (R2: management only): reference,
    receipt, channel, course, trainer, training, category, root cause, each deadline and
    whether it was met as the dashboard counts it (R3, R16), delay notice, outcome, dispute
    and ruling (R11), satisfaction (R1), closing and whether it was imported; the customer's
    name unless ``names=false``. XLSX has typed cells (dates are dates, numbers numbers);
    CSV is for Dutch Excel. Logged as ``register_exported``.
    """
    staff, now = caller(request), timezone.now()
    register_require_access(staff)
    first, last = register_period_parse(query.from_, query.to)
    found = register_export(
        register=register_for(staff=staff, first=first, last=last, now=now, names=query.names),
        file_format=query.format,
        actor=staff,
        now=now,
    )
    return FileResponse(
        found.file, as_attachment=True, filename=found.filename, content_type=found.content_type
    )
