"""Writes of the auditor's view: the sample management draws, and the log of every read
(#16 item 4; R2: a complaint is shared only with those who have a right to it, and an
auditor's right is to the sampled dossiers without the customer's personal data)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.auditing.models import AuditSample
from klachten.complaints.models import Complaint
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.domain.figures import day_start

# More than an auditor reads in a day; a sample is a sample.
SAMPLE_MAX = 50


def _require_management(actor: Staff) -> None:
    if not actor.is_management:
        raise NotAllowed(
            "management_only", _("Alleen de directie kiest de dossiers voor de audit.")
        )


@transaction.atomic
def sample_draw(
    *, actor: Staff, first: date, last: date, count: int, now: datetime
) -> list[AuditSample]:
    """Add ``count`` complaints received from ``first`` to ``last`` (Amsterdam days, both
    included) to the sample, chosen at random among those not in it yet. Fewer when the
    period has fewer."""
    _require_management(actor)
    if last < first:
        raise InvalidInput(
            "period_reversed", _("De einddatum ligt voor de begindatum."), field="tot"
        )
    if not 1 <= count <= SAMPLE_MAX:
        raise InvalidInput(
            "sample_size",
            _("Kies een aantal van 1 tot en met %(max)s.") % {"max": SAMPLE_MAX},
            field="aantal",
        )
    candidates = list(
        Complaint.objects.filter(
            received_at__gte=day_start(first),
            received_at__lt=day_start(last + timedelta(days=1)),
            audit_sample__isnull=True,
        ).values_list("pk", flat=True)
    )
    chosen = secrets.SystemRandom().sample(candidates, min(count, len(candidates)))
    return [_add(actor=actor, complaint_id=pk, how="random", now=now) for pk in sorted(chosen)]


@transaction.atomic
def sample_add(*, actor: Staff, reference: str, now: datetime) -> AuditSample:
    """Add one complaint by its reference (KG-2026-00012)."""
    _require_management(actor)
    complaint = Complaint.objects.filter(reference=reference.strip().upper()).first()
    if complaint is None:
        raise NotFound("not_found", _("Geen melding met dit kenmerk."), field="kenmerk")
    existing = AuditSample.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    return _add(actor=actor, complaint_id=complaint.pk, how="chosen", now=now)


def _add(*, actor: Staff, complaint_id: int, how: str, now: datetime) -> AuditSample:
    sample = AuditSample.objects.create(complaint_id=complaint_id, added_by=actor, added_at=now)
    audit_append(
        complaint=sample.complaint, actor=actor, action="audit_sampled", now=now, after={"by": how}
    )
    return sample


@transaction.atomic
def sample_remove(*, actor: Staff, complaint_id: int, now: datetime) -> None:
    """Take a dossier out of the sample: the auditor no longer reads it."""
    _require_management(actor)
    sample = AuditSample.objects.filter(complaint_id=complaint_id).select_related("complaint")
    found = sample.first()
    if found is None:
        raise NotFound("not_found", _("Dit dossier zit niet in de steekproef."))
    audit_append(complaint=found.complaint, actor=actor, action="audit_unsampled", now=now)
    found.delete()
