"""Today is the date in Amsterdam, in every app (#12: one ``local_today``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.core.clock import local_today
from klachten.core.errors import InvalidInput
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import RootCause
from klachten.reports.services import measure_record

# 00:30 in Amsterdam on Saturday 5 December 2026 is still Friday the 4th in UTC.
JUST_AFTER_MIDNIGHT = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)


def test_just_after_midnight_in_amsterdam_it_is_already_the_next_day() -> None:
    assert JUST_AFTER_MIDNIGHT.date() == date(2026, 12, 4)
    assert local_today(JUST_AFTER_MIDNIGHT) == date(2026, 12, 5)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_today_is_the_amsterdam_date_of_the_moment(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    assert local_today(aware) == aware.astimezone(AMSTERDAM).date()


def test_a_measure_a_year_ahead_counts_from_today_in_amsterdam(db: None, manager) -> None:
    """R1 (learning from complaints): a measure lies at most a year ahead of today — today in
    Amsterdam. Before, the UTC date was used, so at 00:30 the last allowed day was refused."""
    cause = RootCause.objects.create(name="Rooster")
    last = local_today(JUST_AFTER_MIDNIGHT) + timedelta(days=366)

    def record(taken_on: date) -> object:
        return measure_record(
            actor=manager,
            title="Roosters twee weken vooraf",
            description="",
            root_causes=[cause],
            taken_on=taken_on,
            now=JUST_AFTER_MIDNIGHT,
        )

    assert record(last).pk
    with pytest.raises(InvalidInput) as refused:
        record(last + timedelta(days=1))
    assert refused.value.code == "too_far_ahead"
