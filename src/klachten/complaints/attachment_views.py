"""Adding and downloading a complaint's attachments (R2, R5).

Thin views (STYLE.md, 3): the access selector decides who may see the complaint — anyone else
gets 404, as for the complaint itself — and one service does the work. The upload form works
without JavaScript (post, then back to the page it came from) and with htmx (the attachments
panel is swapped in place).
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from klachten.accounts.models import Staff
from klachten.complaints.attachments import (
    attachment_add,
    attachment_get_for,
    attachment_list,
    attachment_read_log,
)
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import complaint_get_for
from klachten.core.errors import ApplicationError, NotFound

logger = logging.getLogger(__name__)

PARTIAL = "complaints/_attachments.html"


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        error_messages={
            "required": gettext_lazy("Kies een bestand."),
            "empty": gettext_lazy("Het bestand is leeg."),
            "invalid": gettext_lazy("Dit is geen bestand; kies een bestand."),
        },
    )


def _staff(request: HttpRequest) -> Staff:
    if not isinstance(request.user, Staff):
        raise PermissionDenied
    return request.user


def _complaint(staff: Staff, reference: str) -> Complaint:
    try:
        return complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        raise Http404(error.detail) from error


def _back(request: HttpRequest) -> str:
    """Where the form came from, if that is a page of ours; else the start page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_required
@require_POST
def attachment_upload(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Add a file to a complaint the user may see; a refused file leaves nothing behind."""
    staff = _staff(request)
    complaint = _complaint(staff, reference)
    form = AttachmentForm(request.POST, request.FILES)
    error = ""
    added = None
    if form.is_valid():
        try:
            added = attachment_add(
                complaint=complaint,
                actor=staff,
                file=form.cleaned_data["file"],
                now=timezone.now(),
            )
        except ApplicationError as refusal:
            error = refusal.detail
    else:
        error = " ".join(str(message) for message in form.errors.get("file", [])) or _(
            "Kies een bestand."
        )

    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            PARTIAL,
            {
                "complaint": complaint,
                "attachments": attachment_list(complaint),
                "attachment_error": error,
                "attachment_added": added,
            },
        )
    if error:
        messages.error(request, error)
    elif added is not None:
        messages.success(
            request, _("Bijlage %(name)s is toegevoegd.") % {"name": added.original_name}
        )
    return redirect(_back(request))


@login_required
@require_GET
def attachment_download(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """The file, as a download under its original name, to staff with a right to it (R2)."""
    staff = _staff(request)
    try:
        attachment = attachment_get_for(staff=staff, reference=reference, attachment_id=pk)
    except NotFound as error:
        raise Http404(error.detail) from error
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError as error:
        logger.error("Attachment %s is missing from storage: %s", attachment.pk, error)
        raise Http404(_("Bijlage niet gevonden.")) from error
    attachment_read_log(attachment=attachment, actor=staff, now=timezone.now())
    response = FileResponse(
        content,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Never rendered by the browser, never kept in a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
