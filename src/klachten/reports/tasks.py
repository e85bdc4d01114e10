"""Background upkeep of the kept month figures. Tasks only call services (ARCHITECTURE.md).

The dashboard brings the kept figures up to date itself; this keeps this year's and last year's
months computed in the background, so that the first visit after a quiet night or a restart
does not wait for them.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klachten.domain.figures import month_of, months_between
from klachten.reports.services import figures_refresh


@db_periodic_task(crontab(minute="*/10"))
def keep_figures_current() -> None:
    """Every ten minutes: January last year up to this month."""
    now = timezone.now()
    month = month_of(now)
    figures_refresh(
        months=months_between(month.replace(year=month.year - 1, month=1), month), now=now
    )
