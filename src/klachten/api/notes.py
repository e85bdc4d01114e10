"""``/api/v1/complaints/{reference}/notes`` — internal notes (#13; R10: the colleague's side).

A note is for staff only: it never reaches the customer (not on the status page, not in a
mail). ``GET`` lists the notes of a complaint the caller may see, oldest first; ``POST`` adds
one — and when the caller was asked for their account of this complaint, the note is that
account (the request is answered, and their access to the complaint ends with it, R2).
Not found — never "forbidden" — for a complaint the caller may not see (R2).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from klachten.api.helpers import caller, local_time, visible_complaint
from klachten.api.schemas.errors import ErrorOut
from klachten.api.schemas.notes import NoteIn, NoteOut
from klachten.complaints.models import InternalNote
from klachten.complaints.selectors import complaint_notes
from klachten.complaints.services import complaint_read_log, note_add

router = Router(tags=["notes"])


def note_out(note: InternalNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "author": str(note.author),
        "text": note.text,
        "created_at": local_time(note.created_at),
        "answers_request": note.answers_id,
    }


@router.get(
    "/{reference}/notes",
    response={200: list[NoteOut], 404: ErrorOut},
    summary="Internal notes",
    operation_id="listNotes",
)
def note_list(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    """The complaint's internal notes, oldest first; reading them is a read (R2)."""
    staff = caller(request)
    complaint = visible_complaint(staff, reference)
    complaint_read_log(complaint=complaint, actor=staff, now=timezone.now())
    return [note_out(note) for note in complaint_notes(complaint)]


@router.post(
    "/{reference}/notes",
    response={201: NoteOut, 404: ErrorOut},
    summary="Add an internal note",
    operation_id="addNote",
)
def note_create(request: HttpRequest, reference: str, payload: NoteIn) -> Status[Any]:
    """A note for staff only (R10: a colleague's account is one)."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    note = note_add(complaint=complaint, author=staff, text=payload.text, now=now)
    return Status(201, note_out(note))
