"""How long a closed complaint is kept (R5): at least 1 year, at most 3, never during a dispute.

Pure functions: the complaint's dates, the configured term and the clock come in; a verdict
comes out. The same guards hold for the nightly retention run and for a customer's request to
erase their data (AVG): nothing is erased before the minimum term or while a dispute is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from klachten.domain.workdays import AMSTERDAM, require_aware

MIN_YEARS: Final = 1
MAX_YEARS: Final = 3


class Hold(StrEnum):
    """Why a complaint's data may not be erased (yet)."""

    NOT_CLOSED = "not_closed"
    DISPUTE_OPEN = "dispute_open"  # R11: the third party has not ruled yet
    MINIMUM_TERM = "minimum_term"  # R5: kept at least 1 year after closing
    TERM_NOT_REACHED = "term_not_reached"  # the configured term has not passed


@dataclass(frozen=True)
class RetentionFacts:
    """What the rules need to know about one complaint."""

    closed_at: datetime | None
    dispute_referred_at: datetime | None
    ruling_at: datetime | None


def years_after(moment: datetime, years: int) -> datetime:
    """The same local date and time ``years`` later (29 February becomes 28 February)."""
    require_aware(moment, "moment")
    local = moment.astimezone(AMSTERDAM)
    try:
        return local.replace(year=local.year + years)
    except ValueError:  # 29 February in a year that has none
        return local.replace(year=local.year + years, day=28)


def check_term(years: int) -> int:
    """R5: the configured term lies between 1 and 3 years."""
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise ValueError(f"the retention term must be {MIN_YEARS} to {MAX_YEARS} years: {years}")
    return years


def holds(facts: RetentionFacts, now: datetime, *, years: int = MIN_YEARS) -> tuple[Hold, ...]:
    """Every reason the complaint's data must still be kept at ``now``; empty when it may go.

    ``years`` is the configured term for the retention run; a customer's request to erase
    (AVG) uses the minimum term, 1 year: before that the organisation must keep it (R5).
    """
    require_aware(now, "now")
    check_term(years)
    found: list[Hold] = []
    if facts.dispute_referred_at is not None and facts.ruling_at is None:
        found.append(Hold.DISPUTE_OPEN)
    if facts.closed_at is None:
        found.append(Hold.NOT_CLOSED)
        return tuple(found)
    if now < years_after(facts.closed_at, MIN_YEARS):
        found.append(Hold.MINIMUM_TERM)
    elif now < years_after(facts.closed_at, years):
        found.append(Hold.TERM_NOT_REACHED)
    return tuple(found)


def closed_before(now: datetime, years: int) -> datetime:
    """A cut-off for the retention run's query: every complaint whose term has passed at
    ``now`` closed before it (a day of margin for 29 February); check each with :func:`holds`.
    """
    require_aware(now, "now")
    return years_after(now, -check_term(years)) + timedelta(days=1)
