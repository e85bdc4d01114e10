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


def auditor_read_log(
    *, actor: Staff, what: str, now: datetime, complaint: Model | None = None
) -> None:
    """Every page an auditor reads is logged: who, when, what, and which dossier (#16 item 4).
    A dossier is a read of its complaint, so it is logged whoever reads it — management
    sampling for the audit too (R2: every read). Others' reading of figures is not logged."""
    if actor.is_auditor or complaint is not None:
        audit_append(
            complaint=complaint, actor=actor, action="auditor_read", now=now, after={"what": what}
        )
