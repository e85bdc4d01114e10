"""What the bodies of several areas share: the ``In`` base, field types and the 409 refusal."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import CharField, Model
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StrictInt
from pydantic_core import PydanticCustomError

from klachten.accounts.models import Staff

MAX_ID = 2**63 - 1  # BigAutoField: a larger id would overflow the database driver


def _no_nul(value: str) -> str:
    """PostgreSQL cannot store a NUL character; refuse it as input instead of failing later."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "contains a NUL character")
    return value


def fits(model: type[Model], name: str) -> Any:
    """``max_length`` of a text column, so overlong input is refused before the database would."""
    column = model._meta.get_field(name)
    if not isinstance(column, CharField) or column.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text column with a length")
    return Field(max_length=column.max_length)


NO_NUL = AfterValidator(_no_nul)
Text = Annotated[str, NO_NUL]
Username = Annotated[str, fits(Staff, "username"), NO_NUL]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
IsoDate = Annotated[
    str,
    Field(description="YYYY-MM-DD", examples=["2026-11-12"], json_schema_extra={"format": "date"}),
]
IsoMoment = Annotated[
    str,
    Field(
        description="ISO 8601 with offset",
        examples=["2026-11-02T10:00:00+01:00"],
        json_schema_extra={"format": "date-time"},
    ),
]


class In(Schema):
    """A JSON body: exact types, and no unknown fields (a misspelt field is not ignored)."""

    model_config = ConfigDict(extra="forbid")


class ReasonOut(Schema):
    code: str
    rule: str = Field(description="The procedure rule, e.g. R10; empty if none")
    message: str


class RefusalOut(Schema):
    """A step the lifecycle does not allow now, with every reason."""

    detail: str
    code: str
    reasons: list[ReasonOut]
