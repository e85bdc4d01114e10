"""Every write of management insight (STYLE.md, 2): kept month figures, measures, feeds."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry
from klachten.core.clock import local_today
from klachten.core.errors import InvalidInput
from klachten.domain.figures import days_of
from klachten.organisation.models import RootCause
from klachten.reports.models import (
    CalendarFeed,
    DayFigures,
    FiguresWatermark,
    ImprovementMeasure,
    MonthFigures,
)
from klachten.reports.selectors import (
    Computed,
    FiguresState,
    add_up,
    days_figures_compute,
    figures_state,
    require_management,
)


def _hold_audit_writes() -> None:
    """Until the end of the transaction, let no complaint change be written (SQLite: its write
    lock does this already). On PostgreSQL, SHARE mode waits for every transaction that is
    writing audit entries, so no audit id up to the one read next is still uncommitted, and
    holds back new ones while the figures are computed: the watermark misses nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {AuditEntry._meta.db_table} IN SHARE MODE")


def figures_refresh(*, months: Sequence[date], now: datetime) -> dict[date, MonthFigures]:
    """The kept figures of ``months``, computed again where they no longer hold at ``now``.

    Usually nothing changed and this is a few reads. Otherwise, under a lock on the watermark
    (so two refreshes never write over each other with older figures), it looks again and
    computes what is stale: a whole month in three aggregate queries, or only the days in which
    a complaint changed or a deadline passed (three small queries each), after which the month
    is added up again from its days. Kept months changed outside ``months`` are forgotten, and
    the watermark moves past the audit entries taken into account.
    """
    state = figures_state(months=months, now=now)
    if state.current:
        return state.kept
    with transaction.atomic():
        _hold_audit_writes()
        FiguresWatermark.objects.select_for_update().get_or_create(pk=1)
        state = figures_state(months=months, now=now)
        made = [_month_refresh(month, state, now) for month in sorted(state.stale)]
        MonthFigures.objects.filter(month__in=state.stale | state.dirty_elsewhere).delete()
        MonthFigures.objects.bulk_create(made)
        FiguresWatermark.objects.filter(pk=1).update(
            audit_id=state.new_watermark, complaints=state.new_complaints
        )
    kept = {month: row for month, row in state.kept.items() if month not in state.stale}
    kept.update((row.month, row) for row in made)
    return kept


# A month with more stale days than this is computed whole: three queries either way.
DAYS_ONE_BY_ONE = 3


def _month_refresh(month: date, state: FiguresState, now: datetime) -> MonthFigures:
    """Compute the stale days of ``month``, keep them, and add the month up from its days."""
    all_days = days_of(month)
    kept = {row.day: row for row in DayFigures.objects.filter(day__in=all_days)}
    if month in state.whole or len(kept) < len(all_days):
        stale = set(all_days)
    else:
        stale = set(state.days.get(month, set()))
        stale.update(day for day, row in kept.items() if row.fresh_until and now > row.fresh_until)
    if len(stale) > DAYS_ONE_BY_ONE:
        computed = days_figures_compute(first=all_days[0], last=all_days[-1], now=now)
        computed = {day: part for day, part in computed.items() if day in stale}
    else:
        computed = {}
        for day in sorted(stale):
            computed.update(days_figures_compute(first=day, last=day, now=now))
    DayFigures.objects.filter(day__in=computed).delete()
    DayFigures.objects.bulk_create(
        DayFigures(
            day=day,
            complaints=part.complaints,
            figures=part.figures,
            computed_at=now,
            fresh_until=part.fresh_until,
        )
        for day, part in computed.items()
    )
    parts = [
        computed.get(day)
        or Computed(
            complaints=kept[day].complaints,
            figures=kept[day].figures,
            fresh_until=kept[day].fresh_until,
        )
        for day in all_days
    ]
    total = add_up(parts)
    return MonthFigures(
        month=month,
        complaints=total.complaints,
        figures=total.figures,
        computed_at=now,
        fresh_until=total.fresh_until,
    )


# --- Improvement measures ------------------------------------------------------------------------

MAX_TITLE = 200
MAX_DESCRIPTION = 5000


@transaction.atomic
def measure_record(
    *,
    actor: Staff,
    title: str,
    description: str,
    root_causes: Sequence[RootCause],
    taken_on: date,
    now: datetime,
) -> ImprovementMeasure:
    """Record an improvement measure management took, linked to the root causes it addresses."""
    require_management(actor)
    title = (title or "").strip()
    if not title:
        raise InvalidInput("required", _("Vul in welke maatregel is genomen."), field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            "too_long",
            _("De maatregel is te lang (maximaal %(max)s tekens)."),
            {"max": MAX_TITLE},
            field="title",
        )
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            "too_long",
            _("De toelichting is te lang (maximaal %(max)s tekens)."),
            {"max": MAX_DESCRIPTION},
            field="description",
        )
    if not root_causes:
        raise InvalidInput(
            "root_cause_required",
            _("Kies ten minste één oorzaak waar de maatregel op ingaat."),
            field="root_causes",
        )
    if taken_on > local_today(now) + timedelta(days=366):
        raise InvalidInput(
            "too_far_ahead",
            _("Een maatregel ligt hooguit een jaar vooruit."),
            field="taken_on",
        )
    measure = ImprovementMeasure.objects.create(
        title=title,
        description=description,
        taken_on=taken_on,
        recorded_by=actor,
        recorded_at=now,
    )
    measure.root_causes.set(root_causes)
    return measure


# --- Calendar feeds ------------------------------------------------------------------------------

FEED_PREFIX = "ag_"


def feed_digest(token: str) -> str:
    """The stored form of a feed token (256 random bits, so a plain hash suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, staff: Staff, now: datetime) -> tuple[CalendarFeed, str]:
    """A new private feed address for ``staff``; the old one stops working at once.

    The token is returned once and never stored.
    """
    CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=now)
    token = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        staff=staff, digest=feed_digest(token), prefix=token[: len(FEED_PREFIX) + 6], created_at=now
    )
    return feed, token


def feed_revoke(*, staff: Staff, now: datetime) -> int:
    """Stop every feed address of ``staff``; returns how many were live."""
    return CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=now)


def feed_mark_used(*, feed: CalendarFeed, now: datetime) -> None:
    """Record that a calendar fetched the feed, at most once an hour (calendars poll often)."""
    if feed.last_used_at is None or now - feed.last_used_at >= timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
