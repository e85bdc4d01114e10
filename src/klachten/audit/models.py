"""The audit log of every read and change of a complaint (R2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

STAFF = settings.AUTH_USER_MODEL


class AuditEntry(models.Model):
    """One read or change of a complaint: who, what, when, before and after (R2).

    Append-only: nothing in the application updates or deletes it; retention anonymises the
    personal data inside it (R5).
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="audit_entries", null=True
    )
    actor = models.ForeignKey(STAFF, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "complaints_auditentry"  # its table since before the audit app (#12)
        indexes = (
            models.Index(fields=["complaint", "-at"], name="audit_complaint_time"),
            # A complaint's changes, its timeline: every page view adds a "viewed" entry, and
            # the timeline must not read past them (#17 item 2: a page's cost flat in its views).
            models.Index(
                fields=["complaint", "-at"],
                condition=~models.Q(action="viewed"),
                name="audit_complaint_changes",
            ),
            # A staff member's own recent look-ups of customer files (#15, need to know).
            models.Index(fields=["actor", "action", "-at"], name="audit_actor_action_time"),
        )
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
