"""The auditor's pages (#16 item 4): the sample management drew, and each dossier in it
without the customer's personal data. Management draws the sample here and sees the dossiers
as the auditor does. Every page an auditor opens is logged."""

from __future__ import annotations

from datetime import date
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from klachten.accounts.models import Staff
from klachten.audit.services import auditor_read_log
from klachten.auditing import selectors, services
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError, NotFound
from klachten.core.forms import add_service_error


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def auditor_or_management(view: Any) -> Any:
    """Logged in, and management or auditor; anyone else a calm 403 page."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _staff(request).may_see_figures:
            return render(request, "auditing/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


placeholders = selectors.placeholders


class DrawForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("Ontvangen vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Vul een begindatum in.")},
    )
    tot = forms.DateField(
        label=gettext_lazy("tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Vul een einddatum in.")},
    )
    aantal = forms.IntegerField(
        label=gettext_lazy("Aantal dossiers"),
        min_value=1,
        max_value=services.SAMPLE_MAX,
        initial=10,
        error_messages={
            "required": gettext_lazy("Vul een aantal in."),
            "invalid": gettext_lazy("Vul een heel getal in."),
            "min_value": gettext_lazy("Kies er minstens één."),
            "max_value": gettext_lazy("Kies er hoogstens %(limit_value)s."),
        },
    )


class AddForm(forms.Form):
    kenmerk = forms.CharField(
        label=gettext_lazy("Kenmerk"),
        max_length=20,
        error_messages={
            "required": gettext_lazy("Vul een kenmerk in, bijvoorbeeld KG-2026-00012.")
        },
    )


def _page(request: HttpRequest, draw: DrawForm, add: AddForm, status: int = 200) -> HttpResponse:
    staff = _staff(request)
    auditor_read_log(actor=staff, what="sample", now=timezone.now())
    return render(
        request,
        "auditing/index.html",
        {"samples": list(selectors.samples()), "draw": draw, "add": add},
        status=status,
    )


@auditor_or_management
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = local_today(timezone.now())
    draw = DrawForm(
        initial={"van": date(today.year - 1, 1, 1), "tot": date(today.year - 1, 12, 31)}
    )
    return _page(request, draw, AddForm())


@auditor_or_management
@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            drawn = services.sample_draw(
                actor=_staff(request),
                first=form.cleaned_data["van"],
                last=form.cleaned_data["tot"],
                count=form.cleaned_data["aantal"],
                now=timezone.now(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s dossiers aan de steekproef toegevoegd.") % {"count": len(drawn)},
            )
            return redirect("auditing:index")
    return _page(request, form, AddForm(), status=422)


@auditor_or_management
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    form = AddForm(request.POST)
    if form.is_valid():
        try:
            services.sample_add(
                actor=_staff(request), reference=form.cleaned_data["kenmerk"], now=timezone.now()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("auditing:index")
    return _page(request, DrawForm(), form, status=422)


@auditor_or_management
@require_POST
def remove(request: HttpRequest, complaint_id: int) -> HttpResponseBase:
    try:
        services.sample_remove(actor=_staff(request), complaint_id=complaint_id, now=timezone.now())
    except ApplicationError as error:
        messages.error(request, str(error.detail))
    return redirect("auditing:index")


@auditor_or_management
@require_GET
def dossier(request: HttpRequest, reference: str) -> HttpResponse:
    staff, now = _staff(request), timezone.now()
    try:
        complaint = selectors.sampled_complaint(reference=reference)
    except NotFound:
        return render(request, "auditing/not_sampled.html", status=404)
    auditor_read_log(actor=staff, what="dossier", now=now, complaint=complaint)
    return render(
        request,
        "auditing/dossier.html",
        {"dossier": selectors.dossier(complaint=complaint, now=now, placeholders=placeholders())},
    )
