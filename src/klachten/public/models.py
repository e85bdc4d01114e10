"""What the public pages keep of their own: marks of recent reports, for the rate limit."""

from __future__ import annotations

from django.db import models


class SubmissionMark(models.Model):
    """One report sent with the public form from a client address, kept for a day.

    Only a keyed hash of the address is stored, never the address itself (R2). The marks
    live in the database, so every gunicorn worker and every application server counts the
    same reports.
    """

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = (models.Index(fields=["address_hash", "at"], name="submission_address_at"),)

    def __str__(self) -> str:
        return f"{self.address_hash[:8]}… {self.at:%Y-%m-%d %H:%M}"
