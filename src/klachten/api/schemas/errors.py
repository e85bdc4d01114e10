"""The shape of every refusal: ``{detail, code}``, and a 422 with every problem in ``errors``.

``klachten.api.errors`` answers with these and writes them into the OpenAPI document.
"""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every refusal: a message in the request's language and a stable ``code``."""

    detail: str
    code: str
    field: str | None = Field(None, description="The input field the refusal names, if one")


class FieldProblemOut(Schema):
    field: str = Field(description="Dotted path of the input, e.g. customer.postcode")
    problem: str


class InvalidOut(ErrorOut):
    """422: the input is not what the operation takes; ``errors`` names every problem."""

    errors: list[FieldProblemOut]
