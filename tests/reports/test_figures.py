"""Every figure of the dashboard against the small world of ``conftest.py``, counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from klachten.domain.workdays import AMSTERDAM
from klachten.reports import selectors, services
from klachten.reports.selectors import Period, month_figures_compute
from tests.reports.conftest import LOOK, at

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)


def _figures(period: Period, now: datetime = LOOK):
    kept = services.figures_refresh(months=period.months, now=now)
    return selectors.period_figures(
        period=period,
        kept=kept,
        categories=selectors.category_names(),
        root_causes=selectors.root_cause_names(),
    )


def test_march_counts_each_measure_as_counted_by_hand(world):
    """R3, R4, R6, R8, R9, R10, R14, R16 over A, B, C, D and F (see conftest)."""
    counts = month_figures_compute(month=MARCH, now=LOOK).figures["counts"]
    expected = {
        "received": 5,
        "still_open": 1,  # C
        "closed_solved": 1,  # A
        "closed_unsolved": 1,  # B
        "closed_withdrawn": 1,  # D
        "closed_ruling": 1,  # F
        "disputes_referred": 1,
        "disputes_awaiting_ruling": 0,
        "disputes_ruled": 1,
        "disputes_closed_after_ruling": 1,
        "r3_met": 2,  # A, F; B late, C never; D withdrawn before its deadline
        "r3_applicable": 4,
        "r4_met": 3,  # A, B, F
        "r4_applicable": 5,
        "r6_met": 3,  # A, C, F
        "r6_applicable": 5,
        "r8_met": 3,  # A, C, F
        "r8_applicable": 5,
        "r9_met": 2,  # A, B: an action plan before the solution
        "r9_applicable": 2,
        "r10_met": 1,  # A
        "r10_applicable": 1,
        "r14_met": 3,  # A, C, F
        "r14_applicable": 5,
        "settled_in_4_weeks_met": 3,  # A, D, F
        "settled_in_4_weeks_applicable": 5,
        "delay_notice_in_time_met": 1,  # B
        "delay_notice_in_time_applicable": 2,  # B, C
        "r16_met": 4,  # A, B (by the date given), D, F
        "r16_applicable": 5,
        "satisfaction_answers": 0,  # R1: see the satisfaction tests below
        "satisfaction_score_sum": 0,
        "satisfaction_settled": 0,
        "booked_again_known": 0,
        "booked_again_yes": 0,
    }
    assert counts == expected


def test_march_medians_categories_and_root_causes(world):
    """Contact after 5, 48 and 2 hours: median 5. Settled after 18, 36, 0 and 7 days:
    median (7 + 18) / 2 = 12.5. Planning A, D; Lesmateriaal B, F; none C."""
    figures = _figures(Period(MARCH, MARCH))
    assert figures.median_contact_hours == 5
    assert figures.contacted == 3
    assert figures.median_settle_days == 12.5
    assert figures.settled == 4
    assert [(item.name, item.count) for item in figures.by_category] == [
        ("Lesmateriaal", 2),
        ("Planning", 2),
        ("Geen categorie", 1),
    ]
    assert [(item.name, item.count) for item in figures.by_root_cause] == [
        ("Nog niet bepaald", 3),
        ("Communicatie", 1),
        ("Roosterwijziging", 1),
    ]


def test_a_period_adds_its_months_up(world):
    """March and April: 6 received; R3 3 of 5 (60%); contact after 5, 48, 2 and 2 hours:
    median 3.5; within 4 weeks 3 of 6 (50%); the delay notice 1 of 3."""
    figures = _figures(Period(MARCH, APRIL))
    assert figures.counts["received"] == 6
    r3 = figures.compliance["r3"]
    assert (r3.met, r3.applicable, r3.not_met, r3.share) == (3, 5, 2, 60.0)
    settled = figures.compliance["settled_in_4_weeks"]
    assert (settled.met, settled.applicable, settled.share) == (3, 6, 50.0)
    delay = figures.compliance["delay_notice_in_time"]
    assert (delay.met, delay.applicable) == (1, 3)
    assert figures.median_contact_hours == 3.5
    assert [(line.month, line.received) for line in figures.months] == [(MARCH, 5), (APRIL, 1)]
    assert figures.months[0].contact_in_time == 50.0
    assert figures.months[1].contact_in_time == 100.0
    assert figures.months[1].settled_in_4_weeks == 0.0
    assert figures.months[1].delay_notice_in_time == 0.0
    assert [line.rule for line in figures.rule_lines()] == [
        "R3",
        "R4",
        "R6",
        "R8",
        "R9",
        "R10",
        "R14",
        "R16",
    ]


def test_a_rule_that_applied_to_nothing_has_no_share(world):
    figures = _figures(Period(APRIL, APRIL))
    assert figures.compliance["r9"].applicable == 0
    assert figures.compliance["r9"].share is None


def test_a_month_without_complaints_has_zeros_and_no_medians(world):
    figures = _figures(Period(date(2026, 1, 1), date(2026, 1, 1)))
    assert figures.counts["received"] == 0
    assert figures.median_contact_hours is None
    assert figures.median_settle_days is None
    assert figures.by_category == []


def test_an_open_deadline_decides_when_the_month_must_be_looked_at_again(world):
    """R16: on 28 April, E is open with its settlement deadline at the end of 29 April; the
    April figures hold until that moment and no longer."""
    looked = datetime(2026, 4, 28, 12, 0, tzinfo=AMSTERDAM)
    april = month_figures_compute(month=APRIL, now=looked)
    assert april.fresh_until == world.e.settlement_due
    assert april.figures["counts"]["settled_in_4_weeks_applicable"] == 0
    assert _figures(Period(APRIL, APRIL), looked).compliance["settled_in_4_weeks"].applicable == 0
    at_deadline = _figures(Period(APRIL, APRIL), world.e.settlement_due)
    assert at_deadline.compliance["settled_in_4_weeks"].applicable == 0
    just_after = world.e.settlement_due + timedelta(microseconds=1)
    after = _figures(Period(APRIL, APRIL), just_after)
    assert (
        after.compliance["settled_in_4_weeks"].met,
        after.compliance["settled_in_4_weeks"].applicable,
    ) == (0, 1)


def test_the_headline_counts_this_month_and_year_against_last_year(world, employee):
    """On 10 April 2026: this month E; this year A–F; the same days a year earlier one
    complaint (received 5 April 2025); last year two (the other in December)."""
    from klachten.complaints.services import Checklist
    from tests.reports.conftest import _register

    _register(
        employee,
        "Vorig jaar",
        datetime(2025, 4, 5, 9, tzinfo=AMSTERDAM),
        Checklist(),
        naw_checked=False,
    )
    _register(
        employee,
        "Later vorig jaar",
        datetime(2025, 4, 20, 9, tzinfo=AMSTERDAM),
        Checklist(),
        naw_checked=False,
    )
    _register(
        employee,
        "December",
        datetime(2025, 12, 30, 9, tzinfo=AMSTERDAM),
        Checklist(),
        naw_checked=False,
    )
    now = datetime(2026, 4, 10, 12, 0, tzinfo=AMSTERDAM)
    kept = services.figures_refresh(months=selectors.headline_months(now), now=now)
    headline = selectors.headline(now=now, kept=kept)
    assert headline.this_month == 1
    assert headline.this_month_last_year == 1
    assert headline.this_year == 6
    assert headline.this_year_last_year == 1
    assert headline.last_year == 3


def test_open_complaints_by_deadline_state(world):
    """On 1 May C and E are open, both past a deadline."""
    open_ = selectors.open_by_deadline(now=LOOK)
    assert (open_.late, open_.soon, open_.on_time, open_.total) == (2, 0, 0, 2)
    early = selectors.open_by_deadline(now=at(4, 1, 11))
    assert early.total == 2
    assert early.late == 1  # C; E is contacted and its next deadline is weeks away
    assert early.on_time == 1


def test_without_answers_or_known_bookings_satisfaction_has_no_figures(world):
    """R1: nothing recorded in the period: None, shown as "nog geen gegevens"."""
    assert selectors.satisfaction(_figures(Period(MARCH, APRIL))) is None


def test_satisfaction_and_booking_again_counted_by_hand(world):
    """R1: answers 5, 4 and 2 (average 3.7; two of three settled for the customer); of the
    customers whose booking is known, one of two booked again. Unanswered questions and
    complaints received outside the period do not count."""
    from klachten.complaints.models import Complaint, SatisfactionSurvey

    def answer(complaint, score, settled):
        SatisfactionSurvey.objects.create(
            complaint=complaint, asked_at=LOOK, answered_at=LOOK, score=score, settled=settled
        )

    answer(world.a, 5, True)
    answer(world.b, 4, True)
    answer(world.c, 2, False)
    SatisfactionSurvey.objects.create(complaint=world.d, asked_at=LOOK)  # not answered
    Complaint.objects.filter(pk__in=[world.a.pk]).update(booked_again=True)
    Complaint.objects.filter(pk__in=[world.b.pk]).update(booked_again=False)

    figures = selectors.satisfaction(_figures(Period(MARCH, MARCH)))

    assert figures is not None
    assert (figures.answers, figures.average_score) == (3, 3.7)
    assert figures.settled_share == pytest.approx(200 / 3)
    assert (figures.booked_again_known, figures.booked_again_share) == (2, 50.0)


def test_an_answer_given_later_reaches_the_kept_figures(world, employee):
    """R1: the answer is a change of the complaint (audited), so its day is computed again."""
    from klachten.complaints.models import SatisfactionSurvey
    from klachten.complaints.satisfaction import satisfaction_answer

    assert selectors.satisfaction(_figures(Period(MARCH, MARCH))) is None
    SatisfactionSurvey.objects.create(complaint=world.a, asked_at=LOOK)
    satisfaction_answer(complaint=world.a, score=4, settled=True, comment="", now=LOOK)

    figures = selectors.satisfaction(_figures(Period(MARCH, MARCH)))

    assert figures is not None
    assert (figures.answers, figures.average_score) == (1, 4.0)


def test_months_kept_before_a_count_existed_are_computed_again(world):
    """A kept month without every count (kept by an older version) is not trusted."""
    from klachten.reports.models import MonthFigures

    _figures(Period(MARCH, MARCH))
    row = MonthFigures.objects.get(month=MARCH)
    del row.figures["counts"]["satisfaction_answers"]
    row.save(update_fields=["figures"])

    figures = _figures(Period(MARCH, MARCH))

    assert "satisfaction_answers" in MonthFigures.objects.get(month=MARCH).figures["counts"]
    assert figures.counts["received"] == row.complaints


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 24, 9, tzinfo=AMSTERDAM), Period(date(2026, 1, 1), date(2026, 11, 1))),
        (datetime(2026, 1, 1, 0, 30, tzinfo=AMSTERDAM), Period(date(2026, 1, 1), date(2026, 1, 1))),
    ],
)
def test_the_default_period_is_this_year_so_far(now, expected):
    assert Period.this_year(now) == expected
