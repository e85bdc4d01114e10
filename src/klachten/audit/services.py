"""Writing the audit log (R2): append only, nothing updates or deletes an entry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Model

from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def audit_append(
    *,
    complaint: Model | None,
    actor: Staff | None,
    action: str,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the audit log (R2). Nothing updates or deletes it."""
    AuditEntry.objects.create(
        complaint_id=None if complaint is None else complaint.pk,
        actor=actor,
        at=now,
        action=action,
        before={key: _jsonable(value) for key, value in (before or {}).items()},
        after={key: _jsonable(value) for key, value in (after or {}).items()},
    )
