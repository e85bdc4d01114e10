"""What the outbox tells the apps above it, without importing them (docs/architecture.md)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent the moment the mail server accepts a mail, in the delivering run, with ``message``
#: (the ``OutboxMessage``) and ``accepted`` (when). ``complaints`` stamps the moment
#: management was told (R3).
mail_accepted = Signal()
