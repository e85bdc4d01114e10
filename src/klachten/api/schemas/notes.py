"""The schemas of ``/complaints/{reference}/notes`` (#13: internal notes, R10)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from klachten.api.schemas.common import In, Text


class NoteIn(In):
    text: Text = Field(description="The note; staff only, never shown to the customer")


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime
    answers_request: int | None = Field(
        description="The request for this author's account (R10) the note answers, if any"
    )
