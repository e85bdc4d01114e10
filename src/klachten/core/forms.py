"""Form helpers every app's views use (UX.md: a form never loses what was typed)."""

from __future__ import annotations

from django import forms

from klachten.core.errors import ApplicationError


def add_service_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal next to the field it names ("customer.postcode" → postcode);
    several problems found in one round (``InvalidInputs``) each next to its own field. A form
    that places some errors itself (an action plan's lines) does so in
    ``place_service_error(error) -> bool``."""
    place = getattr(form, "place_service_error", None)
    for each in getattr(error, "errors", (error,)):
        if place is not None and place(each):
            continue
        field = (each.field or "").removeprefix("customer.")
        field = field if field in form.fields else None
        if field is not None and each.detail in form.errors.get(field, []):
            continue  # the form found it already (R6 checks run in the form too)
        form.add_error(field, each.detail)
