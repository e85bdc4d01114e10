"""The question of ``GET /api/v1/register`` (#16 item 3): the period and the file's format."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class RegisterQuery(Schema):
    """The complaints received from ``from`` to ``to``, both included (dates in Amsterdam)."""

    from_: str = Field(
        alias="from",
        description="The first day of receipt, YYYY-MM-DD (Europe/Amsterdam), e.g. 2026-01-01.",
    )
    to: str = Field(description="The last day of receipt, YYYY-MM-DD, included, e.g. 2026-12-31.")
    format: Literal["xlsx", "csv"] = Field(
        "xlsx", description="`xlsx` (typed cells) or `csv` (UTF-8 with BOM, `;`, ISO dates)."
    )
    names: bool = Field(
        True, description="`false` leaves the customers' names out of the register."
    )
