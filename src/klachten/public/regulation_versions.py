"""The regulation's versions (R17, #16 item 7): every published text is kept, with its dates.

The regulation is written from the settings (``regulation``); when a setting it shows changes
(``organisation.signals.regulation_settings_changed``, sent inside the transaction of that
change) or when an update of the product changes its wording (checked after ``migrate``), the
text as it now reads is kept as a new :class:`RegulationVersion`, in force from that moment, in
Dutch and in English. Nothing changes when the text does not (a reminder lead is no part of
it). Old versions stay readable at ``/regeling/versies/<n>/`` and as PDF; a complaint's version
is the one in force when it was received (``organisation.selectors.regulation_version_at``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from klachten.core.clock import local_today
from klachten.organisation.models import RegulationVersion
from klachten.organisation.selectors import regulation_version_latest
from klachten.public.regulation import (
    Regulation,
    regulation_data,
    regulation_from_data,
    regulation_get,
)

# The languages each version is kept in: those the public pages are offered in.
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
TEXT_LANGUAGE = "nl"  # the regulation as adopted; its digest tells versions apart


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def regulation_content_now(now: datetime) -> dict[str, dict[str, Any]]:
    """The regulation as the settings make it at ``now``, in every language (R17)."""
    today = local_today(now)
    content = {}
    for language in LANGUAGES:
        with translation.override(language):
            content[language] = regulation_data(regulation_get(today=today))
    return content


@transaction.atomic
def regulation_version_record(*, now: datetime) -> RegulationVersion | None:
    """Keep the regulation as it now reads as a new version in force from ``now``, unless it
    reads as the latest version does; returns the new version, or None.

    Two changes at the same moment would both take the next number; the one that comes
    second finds its number taken (the unique constraint) and takes the one after it.
    """
    content = regulation_content_now(now)
    digest = _digest(content[TEXT_LANGUAGE])
    for _attempt in range(5):
        latest = regulation_version_latest()
        if latest is not None and latest.digest == digest:
            return None
        try:
            with transaction.atomic():
                return RegulationVersion.objects.create(
                    number=(latest.number + 1) if latest else 1,
                    # Never before the version it follows, so the versions' order is one.
                    in_force_from=max(now, latest.in_force_from) if latest else now,
                    digest=digest,
                    content=content,
                )
        except IntegrityError:
            continue
    raise RuntimeError("regulation version: no free number after five attempts")


def regulation_of_version(version: RegulationVersion) -> Regulation:
    """A kept version's text in the active language (Dutch when it was not kept in it)."""
    language = translation.get_language() or TEXT_LANGUAGE
    data = version.content.get(language[:2]) or version.content[TEXT_LANGUAGE]
    return regulation_from_data(data)
