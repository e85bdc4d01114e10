"""Operational state of the installation itself."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of each background worker, for monitoring (``/gezondheid/``)."""

    worker = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class WorkerRestart(models.Model):
    """A background worker that stopped unexpectedly and ``klachten serve`` started again
    (issue #10); ``/gezondheid/`` counts them."""

    host = models.CharField(max_length=200)
    exit_code = models.IntegerField(null=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host} @ {self.at:%Y-%m-%d %H:%M:%S} (exit {self.exit_code})"


class SetupToken(models.Model):
    """The one-time link ``klachten serve`` prints while the installation has no staff: it
    opens the page that creates the first account or fills in the demo data (issue #10).

    Only a keyed digest is stored (``core.services.setup_digest``), never the token.
    """

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.digest[:8]}… ({self.created_at:%Y-%m-%d %H:%M})"
