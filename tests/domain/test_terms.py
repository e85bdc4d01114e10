"""The organisation's terms and their bounds (R3, R5, R16; docs/decisions.md)."""

import pytest

from klachten.domain.terms import (
    DEFAULT_TERMS,
    InvalidTerms,
    TermProblem,
    Terms,
    retention_problems,
    terms_problems,
    whole_weeks,
)


def test_the_defaults_are_24_working_hours_3_weeks_and_4_weeks():
    """R3, R16: PROCEDURE.md's terms."""
    assert (
        DEFAULT_TERMS.contact_working_hours,
        DEFAULT_TERMS.delay_notice_days,
        DEFAULT_TERMS.settlement_days,
    ) == (24, 21, 28)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_working_hours", 7),
        ("contact_working_hours", 73),
        ("delay_notice_days", 6),
        ("delay_notice_days", 29),
        ("settlement_days", 13),
        ("settlement_days", 57),
    ],
)
def test_a_term_outside_its_bounds_is_refused(field, value):
    """R3, R16: contact 8-72 working hours, delay notice 7-28 days, settlement 14-56 days."""
    with pytest.raises(InvalidTerms) as refused:
        Terms(**{field: value})
    assert [problem.field for problem in refused.value.problems] == [field]
    assert refused.value.problems[0].code == "out_of_bounds"


@pytest.mark.parametrize(
    "terms",
    [
        {"contact_working_hours": 8},
        {"contact_working_hours": 72},
        {"delay_notice_days": 7, "settlement_days": 14},
        {"delay_notice_days": 28, "settlement_days": 56},
        {"delay_notice_days": 27, "settlement_days": 28},
    ],
)
def test_the_bounds_themselves_are_allowed(terms):
    """R3, R16: the bounds are inclusive."""
    Terms(**terms)


def test_the_delay_notice_must_come_before_the_settlement():
    """R16: a customer hears of a delay before the answer was promised, never on or after."""
    assert terms_problems(contact_working_hours=24, delay_notice_days=21, settlement_days=21) == (
        TermProblem(
            "delay_notice_days",
            "delay_notice_not_before_settlement",
            {"value": 21, "settlement_days": 21},
        ),
    )
    with pytest.raises(InvalidTerms):
        Terms(delay_notice_days=28, settlement_days=21)


def test_every_problem_is_reported_at_once():
    """Like Django's validators, all problems come together, each with its field."""
    problems = terms_problems(contact_working_hours=100, delay_notice_days=3, settlement_days=99)
    assert [(problem.field, problem.params["min"]) for problem in problems] == [
        ("contact_working_hours", 8),
        ("delay_notice_days", 7),
        ("settlement_days", 14),
    ]


@pytest.mark.parametrize(("years", "ok"), [(0, False), (1, True), (2, True), (3, True), (4, False)])
def test_complaints_are_kept_at_least_1_and_at_most_3_years(years, ok):
    """R5: "minimaal 1 jaar en maximaal 3 jaar"."""
    assert (retention_problems(retention_years=years) == ()) is ok


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (7, 1), (20, None), (30, None)])
def test_whole_weeks(days, weeks):
    """R17: the regulation says "3 weken" for 21 days and counts days otherwise."""
    assert whole_weeks(days) == weeks
