"""What public does when something below it happens: the regulation's versions (R17)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import AppConfig
from django.dispatch import receiver
from django.utils import timezone

from klachten.organisation.signals import regulation_settings_changed
from klachten.public.regulation_versions import regulation_version_record


@receiver(regulation_settings_changed, dispatch_uid="public.regulation_version")
def regulation_version_on_change(sender: object, *, now: datetime, **kwargs: Any) -> None:
    """R17, #16 item 7: a setting the regulation shows changed; keep the new text, in the same
    transaction as the change."""
    regulation_version_record(now=now)


def regulation_version_after_migrate(sender: AppConfig, *, using: str, **kwargs: Any) -> None:
    """After ``migrate`` (and so on a new installation): keep the first version, or a new one
    when an update of the product changed the regulation's wording."""
    if using == "default":
        regulation_version_record(now=timezone.now())
