"""The dossiers management chose for an audit (#16 item 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditSample(models.Model):
    """One complaint in the sample an auditor may read (without the customer's personal data).

    Management draws the sample (at random from a period, or by reference); an auditor reads
    nothing else of the complaints. Removing it from the sample ends the auditor's access.
    """

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="audit_sample",
        verbose_name=_("melding"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gekozen door"),
    )
    added_at = models.DateTimeField(_("gekozen op"))

    class Meta:
        ordering = ("-added_at", "-id")
        verbose_name = _("dossier in de auditsteekproef")
        verbose_name_plural = _("auditsteekproef")

    def __str__(self) -> str:
        return str(self.complaint_id)
