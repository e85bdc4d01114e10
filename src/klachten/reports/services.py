"""Every write of management insight (STYLE.md, 2): kept month figures, measures, feeds."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import RootCause
from klachten.core.errors import InvalidInput
from klachten.reports.models import CalendarFeed, FiguresWatermark, ImprovementMeasure, MonthFigures
from klachten.reports.selectors import figures_state, month_figures_compute, require_management

# On PostgreSQL an audit entry's id is taken before its transaction commits, so a later id can
# become visible first. Changes younger than this are looked at again on every refresh.
COMMIT_LAG = timedelta(seconds=60)


def _lag() -> timedelta:
    """SQLite serialises writers: ids appear in commit order and no lag is needed."""
    return timedelta(0) if connection.vendor == "sqlite" else COMMIT_LAG


def figures_refresh(*, months: Sequence[date], now: datetime) -> dict[date, MonthFigures]:
    """The kept figures of ``months``, computed again where they no longer hold at ``now``.

    Usually nothing changed and this is a few reads. Otherwise, under a lock on the watermark
    (so two refreshes never write over each other with older figures), it looks again, computes
    the stale months by aggregate queries, forgets kept months changed outside ``months``, and
    moves the watermark past the audit entries it has taken into account.
    """
    state = figures_state(months=months, now=now, lag=_lag())
    if state.current:
        return state.kept
    with transaction.atomic():
        FiguresWatermark.objects.select_for_update().get_or_create(pk=1)
        state = figures_state(months=months, now=now, lag=_lag())
        computed = [month_figures_compute(month=month, now=now) for month in sorted(state.stale)]
        MonthFigures.objects.filter(month__in=state.stale | state.dirty_elsewhere).delete()
        made = MonthFigures.objects.bulk_create(
            MonthFigures(
                month=item.month,
                complaints=item.complaints,
                figures=item.figures,
                computed_at=now,
                fresh_until=item.fresh_until,
            )
            for item in computed
        )
        FiguresWatermark.objects.filter(pk=1).update(
            audit_id=state.new_watermark, complaints=state.new_complaints
        )
    kept = {month: row for month, row in state.kept.items() if month not in state.stale}
    kept.update((row.month, row) for row in made)
    return kept


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
    if taken_on > now.date() + timedelta(days=366):
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
