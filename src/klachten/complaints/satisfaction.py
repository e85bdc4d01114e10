"""R1: after closing, ask the customer how satisfied they are — once, with one reminder.

Every complaint is a chance to make the customer come back satisfied. Shortly after a case is
closed (the worker looks every minute) the customer gets a mail with their status link, where
they give a score from 1 to 5, say whether the matter is settled for them, and may comment. A
week later, if they have not answered, one reminder; then nothing more. The answers show on
the complaint and feed the reports.

A case closed long ago (before this feature, or while its customer had no e-mail address) is
not asked out of the blue: only cases closed within ``ASK_WITHIN`` are.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from klachten.audit.services import audit_append
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.services import BY_CUSTOMER, customer_mail
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.domain.lifecycle import Status

logger = logging.getLogger(__name__)

ASK_WITHIN = timedelta(days=30)
REMINDER_AFTER = timedelta(days=7)
MAX_COMMENT = 5_000
SCORES = range(1, 6)


def satisfaction_ask(*, now: datetime) -> int:
    """Ask every customer whose case closed recently and who was not asked yet (R1).

    Each in its own transaction with the survey's unique row, so overlapping runs ask once.
    """
    candidates = (
        Complaint.objects.filter(
            status=Status.CLOSED,
            closed_at__gt=now - ASK_WITHIN,
            closed_at__lte=now,
            anonymised_at__isnull=True,
            status_token_digest__isnull=False,
        )
        .exclude(customer__email="")
        # Closed before it was imported from an old register (#16 item 5): history.
        .filter(Q(imported_at__isnull=True) | Q(closed_at__gt=F("imported_at")))
        .filter(~Exists(SatisfactionSurvey.objects.filter(complaint=OuterRef("pk"))))
        .select_related("handler")
    )
    asked = 0
    for complaint in candidates:
        try:
            with transaction.atomic():
                SatisfactionSurvey.objects.create(complaint=complaint, asked_at=now)
                customer_mail(
                    complaint=complaint,
                    key=f"{complaint.reference}-satisfaction",
                    template="public/mail/satisfaction.txt",
                    now=now,
                )
                audit_append(complaint=complaint, actor=None, action="satisfaction_asked", now=now)
        except IntegrityError:
            continue  # another run asked first
        asked += 1
    return asked


def satisfaction_remind(*, now: datetime) -> int:
    """The one reminder, a week after asking, to customers who have not answered (R1)."""
    due = SatisfactionSurvey.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, asked_at__lte=now - REMINDER_AFTER
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            survey = (
                SatisfactionSurvey.objects.select_for_update(of=("self",))
                .select_related("complaint__handler")
                .get(pk=pk)
            )
            if survey.answered_at is not None or survey.reminded_at is not None:
                continue
            complaint = survey.complaint
            survey.reminded_at = now
            survey.save(update_fields=["reminded_at"])
            if complaint.status_token_digest and complaint.anonymised_at is None:
                customer_mail(
                    complaint=complaint,
                    key=f"{complaint.reference}-satisfaction-reminder",
                    template="public/mail/satisfaction_reminder.txt",
                    now=now,
                )
                audit_append(
                    complaint=complaint, actor=None, action="satisfaction_reminded", now=now
                )
                reminded += 1
    return reminded


def satisfaction_run(*, now: datetime) -> None:
    """The worker's minute: ask, and remind (R1). Logs counts only."""
    asked, reminded = satisfaction_ask(now=now), satisfaction_remind(now=now)
    if asked or reminded:
        logger.info("Satisfaction: %s asked, %s reminded.", asked, reminded)


@transaction.atomic
def satisfaction_answer(
    *, complaint: Complaint, score: int, settled: bool, comment: str, now: datetime
) -> SatisfactionSurvey:
    """R1: the customer's answer from their status page; once only."""
    survey = SatisfactionSurvey.objects.select_for_update().filter(complaint=complaint).first()
    if survey is None or survey.answered_at is not None:
        raise NotAllowed("satisfaction_not_open", _("Deze vraag staat niet (meer) open."))
    if score not in SCORES:
        raise InvalidInput("invalid_score", _("Kies een cijfer van 1 tot en met 5."), field="score")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            "too_long",
            _("Uw opmerking is te lang: hooguit %(limit)s tekens."),
            {"limit": MAX_COMMENT},
            field="comment",
        )
    survey.score, survey.settled, survey.comment, survey.answered_at = score, settled, comment, now
    survey.save(update_fields=["score", "settled", "comment", "answered_at"])
    audit_append(
        complaint=complaint,
        actor=None,
        action="satisfaction_answered",
        now=now,
        after={"score": score, "settled": settled, "by": BY_CUSTOMER},
    )
    return survey
