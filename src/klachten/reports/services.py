"""Every write of management insight (STYLE.md, 2): kept month figures, measures, feeds."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry
from klachten.audit.services import audit_append
from klachten.core.clock import local_today
from klachten.core.errors import InvalidInput, InvalidInputs, NotAllowed, NotFound
from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.domain.figures import days_of
from klachten.domain.improvement import DEFAULT_CHECK_AFTER, CheckResult, MeasureStatus, is_open
from klachten.organisation.models import Course, RootCause
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


def figures_refresh(
    *, months: Sequence[date], now: datetime, verify: bool = False
) -> dict[date, MonthFigures]:
    """The kept figures of ``months``, computed again where they no longer hold at ``now``.

    Usually nothing changed and this is a few reads. Otherwise, under a lock on the watermark
    (so two refreshes never write over each other with older figures), it looks again and
    computes what is stale: a whole month in three aggregate queries, or only the days in which
    a complaint changed or a deadline passed (three small queries each), after which the month
    is added up again from its days. Kept months changed outside ``months`` are forgotten, and
    the watermark moves past the audit entries taken into account.
    """
    state = figures_state(months=months, now=now, verify=verify)
    if state.current:
        return state.kept
    with transaction.atomic():
        _hold_audit_writes()
        FiguresWatermark.objects.select_for_update().get_or_create(pk=1)
        state = figures_state(months=months, now=now, verify=verify)
        made = [_month_refresh(month, state, now) for month in sorted(state.stale)]
        MonthFigures.objects.filter(month__in=state.stale | state.dirty_elsewhere).delete()
        MonthFigures.objects.bulk_create(made)
        FiguresWatermark.objects.filter(pk=1).update(
            audit_id=state.new_watermark, complaint_id=state.new_complaint_id
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


# --- Improvement measures (#16 item 2: the cycle) ------------------------------------------------

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_CHECK_TEXT = 5000
# How far ahead a measure's dates may lie: a year for the day it takes effect (as before), two
# for a due date or a planned effect check; further is a typing error, not a plan.
TAKEN_AHEAD = timedelta(days=366)
PLAN_AHEAD = timedelta(days=2 * 366)
EARLIEST = date(SUPPORTED_YEARS[0], 1, 1)


@dataclass(frozen=True)
class MeasureData:
    """What management fills in for a measure (the form or the API)."""

    title: str
    description: str
    owner: Staff | None
    due_on: date | None
    status: str
    root_causes: Sequence[RootCause] = ()
    courses: Sequence[Course] = ()
    taken_on: date | None = None
    check_due_on: date | None = None


def _measure_problems(
    data: MeasureData, *, today: date, measure: ImprovementMeasure | None
) -> tuple[str, str]:
    """Every refusal of ``data`` at once (UX.md), or the cleaned title and description."""
    found: list[InvalidInput] = []

    def refuse(code: str, message: Any, field: str, params: dict[str, Any] | None = None) -> None:
        found.append(InvalidInput(code, message, params, field=field))

    title = " ".join((data.title or "").split())
    if not title:
        refuse("required", _("Vul in welke maatregel is genomen."), "title")
    elif len(title) > MAX_TITLE:
        refuse(
            "too_long",
            _("De maatregel is te lang (maximaal %(max)s tekens)."),
            "title",
            {"max": MAX_TITLE},
        )
    description = (data.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        refuse(
            "too_long",
            _("De toelichting is te lang (maximaal %(max)s tekens)."),
            "description",
            {"max": MAX_DESCRIPTION},
        )
    if not data.root_causes and not data.courses:
        refuse(
            "root_cause_required",
            _("Kies ten minste één oorzaak of cursus waar de maatregel op ingaat."),
            "root_causes",
        )
    if data.owner is None:
        refuse("owner_required", _("Kies wie eigenaar is van de maatregel."), "owner")
    elif not data.owner.is_active and (measure is None or measure.owner_id != data.owner.pk):
        refuse("owner_inactive", _("Deze medewerker werkt niet meer met het systeem."), "owner")
    elif data.owner.is_auditor:
        refuse("owner_auditor", _("Een auditor leest alleen mee en is geen eigenaar."), "owner")
    if data.status not in ImprovementMeasure.Status.values:
        refuse("invalid_status", _("Kies een status uit de lijst."), "status")
    for name, value in (
        ("due_on", data.due_on),
        ("taken_on", data.taken_on),
        ("check_due_on", data.check_due_on),
    ):
        if value is not None and value < EARLIEST:
            refuse("too_early", _("Vul een datum na %(year)s in."), name, {"year": EARLIEST.year})
    if data.due_on is None:
        refuse("due_required", _("Vul in wanneer de maatregel klaar moet zijn."), "due_on")
    elif data.due_on > today + PLAN_AHEAD:
        refuse("too_far_ahead", _("Een klaar-datum ligt hooguit twee jaar vooruit."), "due_on")
    elif (
        is_open(data.status)
        and data.due_on < today
        and (measure is None or measure.due_on != data.due_on)
    ):
        refuse(
            "due_in_past",
            _("Een maatregel die nog moet gebeuren, heeft een klaar-datum vanaf vandaag."),
            "due_on",
        )
    if data.taken_on is not None:
        if data.status == MeasureStatus.PLANNED:
            refuse(
                "planned_in_effect",
                _(
                    "Een geplande maatregel is nog niet in werking: laat 'In werking sinds' leeg "
                    "of kies een andere status."
                ),
                "taken_on",
            )
        elif data.taken_on > today + TAKEN_AHEAD:
            refuse("too_far_ahead", _("Een maatregel ligt hooguit een jaar vooruit."), "taken_on")
    elif data.status == MeasureStatus.DONE:
        refuse(
            "taken_on_required",
            _("Vul in sinds wanneer de uitgevoerde maatregel in werking is."),
            "taken_on",
        )
    if data.check_due_on is not None:
        if data.check_due_on > today + PLAN_AHEAD:
            refuse(
                "too_far_ahead",
                _("Een effectcontrole ligt hooguit twee jaar vooruit."),
                "check_due_on",
            )
        elif data.taken_on is not None and data.check_due_on < data.taken_on:
            refuse(
                "check_before_effect",
                _("Het effect wordt gecontroleerd nadat de maatregel in werking is getreden."),
                "check_due_on",
            )
    elif data.status == MeasureStatus.DONE:
        refuse(
            "check_due_required",
            _("Plan wanneer het effect van de maatregel wordt gecontroleerd."),
            "check_due_on",
        )
    if measure is not None and measure.check_result:
        if data.status != MeasureStatus.DONE:
            refuse(
                "already_checked",
                _("Het effect is al gecontroleerd: de maatregel blijft uitgevoerd."),
                "status",
            )
        elif (
            data.taken_on is not None
            and measure.checked_on is not None
            and data.taken_on > measure.checked_on
        ):
            refuse(
                "check_before_effect",
                _("Het effect is gecontroleerd op %(day)s: de maatregel was toen al in werking."),
                "taken_on",
                {"day": measure.checked_on.strftime("%d-%m-%Y")},
            )
    InvalidInputs.raise_any(found)
    return title, description


def _measure_state(measure: ImprovementMeasure) -> dict[str, Any]:
    """What the audit log keeps of a measure (R2: every change logged, by whom and when)."""
    return {
        "id": measure.pk,
        "title": measure.title,
        "owner": measure.owner_id,
        "due_on": measure.due_on,
        "status": measure.status,
        "taken_on": measure.taken_on,
        "check_due_on": measure.check_due_on,
        "root_causes": sorted(cause.pk for cause in measure.root_causes.all()),
        "courses": sorted(course.pk for course in measure.courses.all()),
        "checked_on": measure.checked_on,
        "check_result": measure.check_result,
    }


def _measure_apply(
    measure: ImprovementMeasure, data: MeasureData, title: str, description: str
) -> None:
    assert data.owner is not None  # noqa: S101 - refused above when missing
    assert data.due_on is not None  # noqa: S101 - refused above when missing
    measure.title, measure.description = title, description
    measure.owner, measure.due_on, measure.status = data.owner, data.due_on, data.status
    measure.taken_on, measure.check_due_on = data.taken_on, data.check_due_on


@transaction.atomic
def measure_create(*, actor: Staff, data: MeasureData, now: datetime) -> ImprovementMeasure:
    """Plan (or record) an improvement measure with its owner, due date and status, against
    the root causes and courses it addresses (#16 item 2; R1)."""
    require_management(actor)
    title, description = _measure_problems(data, today=local_today(now), measure=None)
    measure = ImprovementMeasure(recorded_by=actor, recorded_at=now)
    _measure_apply(measure, data, title, description)
    measure.save()
    measure.root_causes.set(data.root_causes)
    measure.courses.set(data.courses)
    audit_append(
        complaint=None,
        actor=actor,
        action="measure.created",
        now=now,
        after=_measure_state(measure),
    )
    return measure


def _measure_locked(measure_id: int) -> ImprovementMeasure:
    measure = ImprovementMeasure.objects.select_for_update().filter(pk=measure_id).first()
    if measure is None:
        raise NotFound("measure_not_found", _("Deze maatregel bestaat niet (meer)."))
    return measure


@transaction.atomic
def measure_update(
    *, actor: Staff, measure_id: int, data: MeasureData, now: datetime
) -> ImprovementMeasure:
    """Change a measure: its plan, owner, status or the day it took effect (#16 item 2)."""
    require_management(actor)
    measure = _measure_locked(measure_id)
    before = _measure_state(measure)
    title, description = _measure_problems(data, today=local_today(now), measure=measure)
    _measure_apply(measure, data, title, description)
    measure.save()
    measure.root_causes.set(data.root_causes)
    measure.courses.set(data.courses)
    after = _measure_state(measure)
    if after != before:
        audit_append(
            complaint=None,
            actor=actor,
            action="measure.changed",
            now=now,
            before=before,
            after=after,
        )
    return measure


@transaction.atomic
def measure_check_record(
    *,
    actor: Staff,
    measure_id: int,
    checked_on: date | None,
    method: str,
    result: str,
    note: str,
    now: datetime,
) -> ImprovementMeasure:
    """Record the check of a measure's effect: when, how, effective or not, and a note
    (#16 item 2; the evaluation auditors ask for). A check recorded again replaces the
    earlier one; the audit log keeps both."""
    require_management(actor)
    measure = _measure_locked(measure_id)
    today = local_today(now)
    found: list[InvalidInput] = []
    if measure.status != MeasureStatus.DONE:
        raise NotAllowed(
            "measure_not_done",
            _("Het effect wordt gecontroleerd als de maatregel is uitgevoerd."),
        )
    method, note = (method or "").strip(), (note or "").strip()
    if result not in ImprovementMeasure.Result.values:
        found.append(
            InvalidInput(
                "result_required",
                _("Kies of de maatregel effectief was of niet."),
                field="check_result",
            )
        )
    if not method:
        found.append(
            InvalidInput(
                "method_required",
                _("Beschrijf hoe het effect is gecontroleerd."),
                field="check_method",
            )
        )
    for name, text in (("check_method", method), ("check_note", note)):
        if len(text) > MAX_CHECK_TEXT:
            found.append(
                InvalidInput(
                    "too_long",
                    _("Maximaal %(max)s tekens."),
                    {"max": MAX_CHECK_TEXT},
                    field=name,
                )
            )
    if result == CheckResult.NOT_EFFECTIVE and not note:
        found.append(
            InvalidInput(
                "note_required",
                _("Schrijf bij 'niet effectief' op wat er nu gebeurt."),
                field="check_note",
            )
        )
    if checked_on is None:
        found.append(
            InvalidInput(
                "checked_on_required",
                _("Vul in wanneer het effect is gecontroleerd."),
                field="checked_on",
            )
        )
    elif checked_on > today:
        found.append(
            InvalidInput(
                "checked_in_future",
                _("Een controle die nog moet gebeuren, leg je vast als ze gedaan is."),
                field="checked_on",
            )
        )
    elif measure.taken_on is not None and checked_on < measure.taken_on:
        found.append(
            InvalidInput(
                "check_before_effect",
                _("De controle ligt vóór de dag dat de maatregel in werking trad (%(day)s)."),
                {"day": measure.taken_on.strftime("%d-%m-%Y")},
                field="checked_on",
            )
        )
    InvalidInputs.raise_any(found)
    before = _measure_state(measure)
    measure.checked_on, measure.check_method = checked_on, method
    measure.check_result, measure.check_note, measure.checked_by = result, note, actor
    measure.save(
        update_fields=["checked_on", "check_method", "check_result", "check_note", "checked_by"]
    )
    audit_append(
        complaint=None,
        actor=actor,
        action="measure.effect_checked",
        now=now,
        before=before,
        after={**_measure_state(measure), "check_method": method, "check_note": note},
    )
    return measure


def measure_record(
    *,
    actor: Staff,
    title: str,
    description: str,
    root_causes: Sequence[RootCause],
    taken_on: date,
    now: datetime,
) -> ImprovementMeasure:
    """Record a measure management already took (before #16 the only way): done, owned by
    ``actor``, in effect from ``taken_on``, its effect to be checked 90 days later."""
    return measure_create(
        actor=actor,
        data=MeasureData(
            title=title,
            description=description,
            owner=actor,
            due_on=taken_on,
            status=MeasureStatus.DONE,
            root_causes=root_causes,
            taken_on=taken_on,
            check_due_on=taken_on + DEFAULT_CHECK_AFTER,
        ),
        now=now,
    )


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
