"""The answer of ``GET /api/v1/measures``: improvement measures as a cycle (#16 item 2)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from klachten.api.schemas.complaints import NamedOut


class RecurrenceOut(Schema):
    """The recurrence watch: complaints of the measure's root causes or courses received in
    the days before it took effect and in as many days since (fewer while they run)."""

    before_from: date = Field(description="First day counted before (Amsterdam days)")
    in_effect_from: date = Field(description="First day counted after: the day it took effect")
    after_until: date = Field(description="Last day counted after (today while still running)")
    before: int
    after: int
    before_days: int
    after_days: int
    before_per_30_days: float | None
    after_per_30_days: float | None


class MeasureOut(Schema):
    id: int
    title: str
    description: str
    owner: NamedOut
    due_on: date
    status: str = Field(description="planned, in_progress, done or cancelled")
    taken_on: date | None = Field(description="In effect from; empty while planned")
    root_causes: list[NamedOut]
    courses: list[NamedOut]
    overdue: bool = Field(description="Planned or in progress after its due date")
    check_due_on: date | None = Field(description="When its effect is to be checked")
    check_due: bool = Field(description="Done, the check's day has come, no result yet")
    checked_on: date | None
    check_method: str
    check_result: str = Field(description="effective, not_effective, or empty")
    check_note: str
    recurrence: RecurrenceOut | None


class MeasureListOut(Schema):
    items: list[MeasureOut]
    count: int
