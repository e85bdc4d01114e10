"""The organisation's terms: contact, delay notice, settlement (R3, R16) and retention (R5).

PROCEDURE.md gives the values Kerngroep keeps (24 working hours, 3 weeks, 4 weeks; complaints
kept at least 1 and at most 3 years). Management can change them in the application; the
deadline computation and the regulation (R17) both take them from here, so what the
organisation promises and what the system does never disagree. Bounds keep every term within
what the procedure and Dutch practice for training institutes allow (docs/decisions.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Final


@dataclass(frozen=True)
class Bounds:
    """The smallest and largest allowed value of a term, both inclusive."""

    minimum: int
    maximum: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.minimum <= value <= self.maximum


CONTACT_WORKING_HOURS: Final = Bounds(8, 72)
"""R3: at least one working day, at most three (the procedure says 24 working hours)."""

DELAY_NOTICE_DAYS: Final = Bounds(7, 28)
"""R16: one to four weeks (the procedure says 3 weeks)."""

SETTLEMENT_DAYS: Final = Bounds(14, 56)
"""R16: two to eight weeks (the procedure says 4 weeks)."""

RETENTION_YEARS: Final = Bounds(1, 3)
"""R5: "minimaal 1 jaar en maximaal 3 jaar"."""

CONSEQUENCE_WORKING_DAYS: Final = Bounds(1, 10)
"""R11: the consequences of a binding ruling are handled quickly: within one to ten working
days (two weeks); Kerngroep's default is 5 (``deadlines.RULING_CONSEQUENCE_WORKING_DAYS``)."""

DAYS_PER_WEEK: Final = 7


@dataclass(frozen=True)
class TermProblem:
    """Why a term cannot be used: which field, a stable code, and the numbers that explain it.

    Like Django's validators, every problem is reported at once; the caller words them.
    """

    field: str
    code: str
    params: dict[str, int] = dataclasses.field(default_factory=dict)


def _outside(name: str, value: int, bounds: Bounds) -> TermProblem | None:
    if value in bounds:
        return None
    return TermProblem(
        name, "out_of_bounds", {"value": value, "min": bounds.minimum, "max": bounds.maximum}
    )


def terms_problems(
    *, contact_working_hours: int, delay_notice_days: int, settlement_days: int
) -> tuple[TermProblem, ...]:
    """Every reason these deadline terms cannot be used (R3, R16); empty when they can.

    Each term must lie within its bounds, and the delay notice must be due before the
    settlement: a customer hears of a delay before the answer was promised (R16).
    """
    problems = [
        _outside("contact_working_hours", contact_working_hours, CONTACT_WORKING_HOURS),
        _outside("delay_notice_days", delay_notice_days, DELAY_NOTICE_DAYS),
        _outside("settlement_days", settlement_days, SETTLEMENT_DAYS),
    ]
    found = [problem for problem in problems if problem is not None]
    # The order is only worth a word once both terms lie within their bounds.
    if delay_notice_days >= settlement_days and not any(
        problem.field in {"delay_notice_days", "settlement_days"} for problem in found
    ):
        found.append(
            TermProblem(
                "delay_notice_days",
                "delay_notice_not_before_settlement",
                {"value": delay_notice_days, "settlement_days": settlement_days},
            )
        )
    return tuple(found)


def retention_problems(*, retention_years: int) -> tuple[TermProblem, ...]:
    """R5: complaints are kept at least 1 and at most 3 years."""
    problem = _outside("retention_years", retention_years, RETENTION_YEARS)
    return (problem,) if problem else ()


def consequence_problems(*, ruling_consequence_working_days: int) -> tuple[TermProblem, ...]:
    """R11: the short term for the consequences of a ruling lies within its bounds."""
    problem = _outside(
        "ruling_consequence_working_days",
        ruling_consequence_working_days,
        CONSEQUENCE_WORKING_DAYS,
    )
    return (problem,) if problem else ()


class InvalidTerms(ValueError):
    """Terms outside their bounds (R3, R16); ``problems`` says which and why."""

    code: Final = "invalid_terms"

    def __init__(self, problems: tuple[TermProblem, ...]) -> None:
        """Keep the problems for the caller and describe them in English for the log."""
        self.problems = problems
        super().__init__(
            "; ".join(f"{problem.field}: {problem.code} {problem.params}" for problem in problems)
        )


@dataclass(frozen=True, kw_only=True)
class Terms:
    """The three deadline terms of a complaint (R3, R16); the defaults are PROCEDURE.md's.

    A value of this type is always valid: constructing one outside the bounds raises
    InvalidTerms. Deadlines are computed with the terms in force at registration and stored;
    changing the terms later never moves a stored deadline.
    """

    contact_working_hours: int = 24
    """R3: contact within 24 hours of working time after receipt."""

    delay_notice_days: int = 21
    """R16: a delay is notified by the end of the 21st day after the day of receipt."""

    settlement_days: int = 28
    """R16: settled by the end of the 28th day after the day of receipt."""

    def __post_init__(self) -> None:
        """Refuse terms outside their bounds."""
        problems = terms_problems(
            contact_working_hours=self.contact_working_hours,
            delay_notice_days=self.delay_notice_days,
            settlement_days=self.settlement_days,
        )
        if problems:
            raise InvalidTerms(problems)

    @property
    def contact_working_time(self) -> timedelta:
        """R3: the contact term as a duration of working time."""
        return timedelta(hours=self.contact_working_hours)


DEFAULT_TERMS: Final = Terms()
"""PROCEDURE.md's terms: 24 working hours, 21 days, 28 days."""


def whole_weeks(days: int) -> int | None:
    """``days`` in weeks when it is a whole number of weeks (21 → 3), else None (20 → None).

    The regulation says "binnen 3 weken" where the procedure does, and counts days otherwise.
    """
    weeks, rest = divmod(days, DAYS_PER_WEEK)
    return weeks if not rest and weeks else None
