"""The compliance measures of ``klachten.domain.figures`` as database conditions.

Each measure is a pair of conditions on a complaint row: ``met``, and ``failed`` (decided and
not met). A row for which neither holds is not applicable. Both are plain SQL conditions, so a
month's figures are conditional counts in one aggregate query and the drill-down is one filtered
list; they run the same on SQLite and PostgreSQL. ``tests/reports/test_measures.py`` checks
them against the pure definitions.

Conditions may use the aliases that :func:`with_aliases` adds (``ended_at``, ``ended_date``);
a comparison with NULL is never true, which is what every "met" needs. Where a condition is
negated, each nullable comparison is guarded by an explicit ``isnull`` test, so NULL never turns
a negation into "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from klachten.complaints.models import ActionItem, Complaint
from klachten.core.clock import local_today
from klachten.domain.figures import MEASURES
from klachten.domain.workdays import AMSTERDAM


def with_aliases(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Add ``ended_at`` (referral to the third party, else closing: the end of the own
    handling) and ``ended_date`` (its Amsterdam calendar date) for the conditions below."""
    return queryset.alias(
        ended_at=Coalesce("dispute_referred_at", "closed_at"),
        ended_date=TruncDate("ended_at", tzinfo=AMSTERDAM, output_field=DateField()),
    )


DATES_ALONE = frozenset(measure.key for measure in MEASURES if measure.dates_alone)


@dataclass(frozen=True)
class Conditions:
    met: Q
    failed: Q


def _told_in_time() -> Q:
    """R16: a delay notice sent by the 3-week deadline (false, never unknown, when none)."""
    return Q(delay_notice_sent_at__isnull=False, delay_notice_sent_at__lte=F("delay_notice_due"))


def conditions(key: str, now: datetime) -> Conditions:
    """The ``met``/``failed`` conditions of one measure (see ``domain.figures``) at ``now``.

    An imported complaint (#16 item 5) is judged only by the measures that need its dates
    alone (``Measure.dates_alone``); for the others neither condition holds for it.
    """
    found = _conditions(key, now)
    if key in DATES_ALONE:
        return found
    recorded = Q(imported_at__isnull=True)
    return Conditions(met=found.met & recorded, failed=found.failed & recorded)


def _conditions(key: str, now: datetime) -> Conditions:
    today = local_today(now)
    ended = Q(ended_at__isnull=False)
    open_ = Q(ended_at__isnull=True)
    if key == "r3":
        return Conditions(
            met=Q(contacted_at__isnull=False, contacted_at__lte=F("contact_due")),
            failed=Q(contacted_at__isnull=False)
            | (Q(contact_due__lt=now) & (open_ | Q(ended_at__gt=F("contact_due")))),
        )
    if key == "r4":
        return Conditions(met=Q(not_interrupted=True), failed=Q(pk__isnull=False))
    if key == "r6":
        return Conditions(met=Q(customer__naw_checked_at__isnull=False), failed=Q(pk__isnull=False))
    if key == "r8":
        return Conditions(
            met=Q(vented=True, put_at_ease=True, apologised=True), failed=Q(pk__isnull=False)
        )
    if key == "r9":
        planned = ActionItem.objects.filter(
            complaint=OuterRef("pk"),
            from_ruling=False,
            created_at__lte=OuterRef("solution_proposed_at"),
        )
        proposed = Q(solution_proposed_at__isnull=False)
        return Conditions(met=proposed & Q(Exists(planned)), failed=proposed)
    if key == "r10":
        return Conditions(
            met=Q(
                outcome="solved",
                follow_up_solved=True,
                follow_up_at__isnull=False,
                closed_at__isnull=False,
                follow_up_at__lte=F("closed_at"),
            ),
            failed=Q(outcome="solved"),
        )
    if key == "r14":
        return Conditions(met=Q(business_card_given=True), failed=Q(pk__isnull=False))
    if key == "settled_in_4_weeks":
        return Conditions(
            met=ended & Q(ended_at__lte=F("settlement_due")),
            failed=ended | Q(settlement_due__lt=now),
        )
    if key == "delay_notice_in_time":
        return Conditions(
            met=_told_in_time(),
            failed=Q(delay_notice_sent_at__isnull=False)
            | (ended & Q(ended_at__gt=F("settlement_due")))
            | (open_ & Q(settlement_due__lt=now)),
        )
    if key == "r16":
        # The date check comes last: SQLite evaluates it (a per-row function) only for the few
        # complaints that ended after 4 weeks with a timely notice.
        extended_ok = (
            _told_in_time()
            & Q(delay_expected_date__isnull=False)
            & ended
            & Q(ended_date__lte=F("delay_expected_date"))
        )
        waiting = _told_in_time() & Q(
            delay_expected_date__isnull=False, delay_expected_date__gte=today
        )
        return Conditions(
            met=(ended & Q(ended_at__lte=F("settlement_due"))) | extended_ok,
            failed=ended | (Q(settlement_due__lt=now) & ~waiting),
        )
    raise KeyError(key)


def verdict(key: str, now: datetime) -> Case:
    """1 when met, 0 when not met, NULL when not applicable: for the drill-down's filter."""
    measure = conditions(key, now)
    return Case(
        When(measure.met, then=Value(1)),
        When(measure.failed, then=Value(0)),
        default=Value(None),
        output_field=IntegerField(),
    )


class WholeUnitsBetween(Func):
    """Whole ``unit`` seconds from ``start`` to ``end``, counted in whole seconds, never < 0.

    The same arithmetic as ``domain.figures.whole_units_between``, in SQL: the Unix seconds of
    both moments (fractions dropped), their difference divided by the unit, rounded down.
    Only the databases' own functions, so no row is handed to Python.
    """

    output_field = IntegerField()

    def __init__(self, start: str, end: str, unit: int) -> None:
        super().__init__(F(start), F(end), Value(unit))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        (start, start_params), (end, end_params), (unit, unit_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        params = (*end_params, *start_params, *unit_params)
        if connection.vendor == "sqlite":
            sql = (
                f"MAX(0, (CAST(strftime('%%s', {end}) AS INTEGER)"
                f" - CAST(strftime('%%s', {start}) AS INTEGER)) / {unit})"
            )
        else:
            sql = (
                f"GREATEST(0, FLOOR((FLOOR(EXTRACT(EPOCH FROM {end}))"
                f" - FLOOR(EXTRACT(EPOCH FROM {start}))) / {unit}))::integer"
            )
        return sql, params
