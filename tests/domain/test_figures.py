"""The definitions behind the dashboard: months, durations, medians and when a rule is met."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from klachten.domain.figures import (
    DAY,
    HOUR,
    MEASURES,
    CaseFacts,
    Verdict,
    actions_before_solution,
    add_counts,
    business_card,
    contact_in_time,
    customer_oriented,
    delay_notice_in_time,
    follow_up_before_closing,
    median_of_counts,
    month_of,
    month_start,
    months_back,
    months_between,
    naw_checked,
    next_month,
    not_interrupted,
    settled_as_promised,
    settled_in_four_weeks,
    share,
    whole_units_between,
)
from klachten.domain.workdays import AMSTERDAM, NaiveDatetimeError

RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)  # Monday
CONTACT_DUE = datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM)
DELAY_DUE = datetime(2026, 3, 24, 0, 0, tzinfo=AMSTERDAM)  # end of day 21
SETTLE_DUE = datetime(2026, 3, 31, 0, 0, tzinfo=AMSTERDAM)  # end of day 28
LATER = datetime(2026, 6, 1, 12, 0, tzinfo=AMSTERDAM)


def case(**changes) -> CaseFacts:
    fields = {
        "received_at": RECEIVED,
        "contact_due": CONTACT_DUE,
        "delay_notice_due": DELAY_DUE,
        "settlement_due": SETTLE_DUE,
    }
    fields.update(changes)
    return CaseFacts(**fields)


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=AMSTERDAM)


# --- Months ----------------------------------------------------------------------------------


def test_a_month_is_the_amsterdam_calendar_month():
    """23:30 UTC on 31 March is already 1 April in Amsterdam (summer time)."""
    assert month_of(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert month_of(datetime(2026, 3, 31, 21, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert month_start(date(2026, 4, 1)) == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


def test_months_count_on_across_the_year():
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(date(2026, 3, 1), date(2026, 2, 1)) == []
    assert months_back(date(2026, 1, 1), 12) == date(2025, 1, 1)
    assert months_back(date(2026, 3, 1), 3) == date(2025, 12, 1)


def test_a_naive_moment_is_refused():
    with pytest.raises(NaiveDatetimeError):
        month_of(datetime(2026, 3, 1))


# --- Durations, medians, shares ---------------------------------------------------------------


def test_durations_count_whole_units_rounded_down():
    assert whole_units_between(RECEIVED, RECEIVED + timedelta(hours=4, minutes=59), HOUR) == 4
    assert whole_units_between(RECEIVED, RECEIVED + timedelta(hours=5), HOUR) == 5
    assert whole_units_between(RECEIVED, RECEIVED + timedelta(days=12, hours=23), DAY) == 12
    assert whole_units_between(RECEIVED, RECEIVED - timedelta(hours=3), HOUR) == 0


def test_the_median_of_an_odd_number_is_the_middle_value():
    """Values 1, 2, 2, 7, 30: the middle one is 2."""
    assert median_of_counts({30: 1, 1: 1, 2: 2, 7: 1}) == 2


def test_the_median_of_an_even_number_is_the_mean_of_the_two_middle_values():
    """Values 3, 4, 8, 20: (4 + 8) / 2 = 6."""
    assert median_of_counts({3: 1, 4: 1, 8: 1, 20: 1}) == 6
    assert median_of_counts({5: 2}) == 5
    assert median_of_counts({5: 1, 6: 1}) == 5.5


def test_there_is_no_median_without_values():
    assert median_of_counts({}) is None
    assert median_of_counts({4: 0}) is None


def test_counts_add_up_over_months():
    assert add_counts([{1: 2, 3: 1}, {3: 4}, {}]) == {1: 2, 3: 5}


def test_a_share_is_a_percentage_and_none_without_a_whole():
    assert share(3, 4) == 75.0
    assert share(0, 0) is None


# --- R3: contact within 24 working hours ------------------------------------------------------


def test_r3_contact_before_the_deadline_is_met():
    assert contact_in_time(case(contacted_at=at(3, 9)), LATER) is Verdict.MET
    assert contact_in_time(case(contacted_at=CONTACT_DUE), LATER) is Verdict.MET


def test_r3_contact_after_the_deadline_is_not_met():
    assert contact_in_time(case(contacted_at=at(3, 11)), LATER) is Verdict.NOT_MET


def test_r3_no_contact_yet_counts_only_once_the_deadline_has_passed():
    assert contact_in_time(case(), at(3, 9)) is Verdict.NOT_APPLICABLE
    assert contact_in_time(case(), at(3, 11)) is Verdict.NOT_MET


def test_r3_a_complaint_withdrawn_before_its_contact_deadline_does_not_count():
    withdrawn = case(closed_at=at(2, 15), outcome="withdrawn")
    assert contact_in_time(withdrawn, LATER) is Verdict.NOT_APPLICABLE
    late_withdrawal = case(closed_at=at(4), outcome="withdrawn")
    assert contact_in_time(late_withdrawal, LATER) is Verdict.NOT_MET


# --- The intake checklist: R4, R6, R8, R14 ----------------------------------------------------


def test_r4_r6_r8_r14_are_the_ticks_of_the_intake():
    ticked = case(
        not_interrupted=True,
        naw_checked=True,
        vented=True,
        put_at_ease=True,
        apologised=True,
        business_card_given=True,
    )
    for rule in (not_interrupted, naw_checked, customer_oriented, business_card):
        assert rule(ticked, LATER) is Verdict.MET
        assert rule(case(), LATER) is Verdict.NOT_MET


def test_r8_needs_all_three_ticks():
    assert customer_oriented(case(vented=True, put_at_ease=True), LATER) is Verdict.NOT_MET


# --- R9 and R10 -------------------------------------------------------------------------------


def test_r9_applies_once_a_solution_was_proposed_and_needs_an_action_plan_before_it():
    assert actions_before_solution(case(), LATER) is Verdict.NOT_APPLICABLE
    proposed = case(solution_proposed_at=at(10))
    assert actions_before_solution(proposed, LATER) is Verdict.NOT_MET
    planned = case(solution_proposed_at=at(10), action_before_solution=True)
    assert actions_before_solution(planned, LATER) is Verdict.MET


def test_r10_a_complaint_closed_as_solved_needs_a_confirming_follow_up_before_closing():
    assert follow_up_before_closing(case(outcome="unsolved"), LATER) is Verdict.NOT_APPLICABLE
    closed = {"outcome": "solved", "closed_at": at(20)}
    assert follow_up_before_closing(case(**closed), LATER) is Verdict.NOT_MET
    checked = case(**closed, follow_up_solved=True, follow_up_at=at(19))
    assert follow_up_before_closing(checked, LATER) is Verdict.MET
    after = case(**closed, follow_up_solved=True, follow_up_at=at(21))
    assert follow_up_before_closing(after, LATER) is Verdict.NOT_MET
    not_solved = case(**closed, follow_up_solved=False, follow_up_at=at(19))
    assert follow_up_before_closing(not_solved, LATER) is Verdict.NOT_MET


# --- R16: four weeks, or told in time ---------------------------------------------------------


def test_r16_settled_by_the_four_week_deadline_is_met():
    settled = case(closed_at=at(30, 23), outcome="solved")
    assert settled_in_four_weeks(settled, LATER) is Verdict.MET
    assert settled_as_promised(settled, LATER) is Verdict.MET
    assert delay_notice_in_time(settled, LATER) is Verdict.NOT_APPLICABLE


def test_r16_still_open_counts_only_after_the_four_weeks():
    assert settled_in_four_weeks(case(), at(30)) is Verdict.NOT_APPLICABLE
    assert settled_in_four_weeks(case(), at(31)) is Verdict.NOT_MET
    assert settled_as_promised(case(), at(31)) is Verdict.NOT_MET
    assert delay_notice_in_time(case(), at(31)) is Verdict.NOT_MET


def test_r16_told_in_time_and_settled_by_the_date_given_is_met():
    told = {
        "delay_notice_sent_at": at(20),
        "delay_expected_date": date(2026, 4, 15),
    }
    settled = case(**told, closed_at=at(15, 22, month=4), outcome="solved")
    assert settled_in_four_weeks(settled, LATER) is Verdict.NOT_MET
    assert delay_notice_in_time(settled, LATER) is Verdict.MET
    assert settled_as_promised(settled, LATER) is Verdict.MET
    too_late = case(**told, closed_at=at(16, 9, month=4), outcome="solved")
    assert settled_as_promised(too_late, LATER) is Verdict.NOT_MET


def test_r16_while_the_date_given_has_not_passed_there_is_no_verdict_yet():
    told = case(delay_notice_sent_at=at(20), delay_expected_date=date(2026, 4, 15))
    assert settled_as_promised(told, at(15, 23, month=4)) is Verdict.NOT_APPLICABLE
    assert settled_as_promised(told, at(16, 0, month=4)) is Verdict.NOT_MET


def test_r16_a_delay_notice_after_three_weeks_does_not_allow_more_time():
    late_notice = case(
        delay_notice_sent_at=at(25),
        delay_expected_date=date(2026, 4, 15),
        closed_at=at(10, month=4),
        outcome="solved",
    )
    assert delay_notice_in_time(late_notice, LATER) is Verdict.NOT_MET
    assert settled_as_promised(late_notice, LATER) is Verdict.NOT_MET


def test_r16_referral_to_the_third_party_ends_the_own_handling():
    """R11: the referral ends the organisation's own handling, whatever the ruling's date."""
    referred = case(dispute_referred_at=at(20), closed_at=at(5, month=5), outcome="ruling")
    assert settled_in_four_weeks(referred, LATER) is Verdict.MET
    assert settled_as_promised(referred, LATER) is Verdict.MET


def test_every_measure_has_a_unique_key_and_a_rule():
    keys = [measure.key for measure in MEASURES]
    assert len(keys) == len(set(keys))
    assert {measure.rule for measure in MEASURES} == {
        "R3",
        "R4",
        "R6",
        "R8",
        "R9",
        "R10",
        "R14",
        "R16",
    }
    with pytest.raises(NaiveDatetimeError):
        MEASURES[0].verdict(case(), datetime(2026, 6, 1))
