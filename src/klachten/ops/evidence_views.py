"""The evidence pack's download (#16 item 6), for management and the auditor.

Here, not in ``auditing``, because the pack reads ``reports`` and ``public``, which sit in the
same layer as ``auditing`` (docs/architecture.md, "The layers"); the audit index links to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from klachten.accounts.models import Staff
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError
from klachten.core.forms import add_service_error
from klachten.ops.evidence import evidence_pack
from klachten.reports.register import register_period


class EvidenceForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("Ontvangen vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Vul een begindatum in."),
            "invalid": gettext_lazy("Vul een geldige datum in."),
        },
    )
    tot = forms.DateField(
        label=gettext_lazy("tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Vul een einddatum in."),
            "invalid": gettext_lazy("Vul een geldige datum in."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "van" in data and "tot" in data:
            try:
                register_period(data["van"], data["tot"], first_field="van", last_field="tot")
            except ApplicationError as error:
                add_service_error(self, error)
        return data


def last_year(today: date) -> dict[str, date]:
    """The form's first guess: the last calendar year, what an annual audit covers."""
    return {"van": date(today.year - 1, 1, 1), "tot": date(today.year - 1, 12, 31)}


@login_required
@require_GET
def evidence(request: HttpRequest) -> HttpResponseBase:
    """The form, and with ``van`` and ``tot`` in the query the ZIP itself. Logged
    (``evidence_pack_exported``)."""
    staff, now = cast(Staff, request.user), timezone.now()
    if not staff.may_see_figures:
        return render(request, "auditing/forbidden.html", status=403)
    if "van" not in request.GET and "tot" not in request.GET:
        form = EvidenceForm(initial=last_year(local_today(now)))
        return render(request, "ops/evidence.html", {"form": form})
    form = EvidenceForm(request.GET)
    if form.is_valid():
        try:
            pack = evidence_pack(
                first=form.cleaned_data["van"],
                last=form.cleaned_data["tot"],
                actor=staff,
                now=now,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return FileResponse(
                pack.file,
                as_attachment=True,
                filename=pack.filename,
                content_type=pack.content_type,
            )
    return render(request, "ops/evidence.html", {"form": form}, status=422)
