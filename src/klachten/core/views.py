"""The staff start page, login, the two everyday tools and the health check.

Views are thin: they read input, call one service or selector, and render (STYLE.md, 3).
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from klachten.core.errors import ApplicationError
from klachten.core.selectors import health as health_selector
from klachten.domain.deadlines import deadlines_for
from klachten.messaging.wording import CheckedText, finding_message, text_check
from klachten.organisation.selectors import organisation_terms, work_calendar
from klachten.organisation.texts import terms_text


class StaffLoginView(auth_views.LoginView):
    """The Dutch login page for staff; already logged in means straight on."""

    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponseBase:
    """The home page: the login page for visitors, the start page for staff."""
    if not request.user.is_authenticated:
        return StaffLoginView.as_view()(request)
    return render(request, "core/home.html", {"terms": terms_text(organisation_terms())})


class WordingForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst voor de klant"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Er is geen tekst om te controleren.")},
    )


EXCERPT_LENGTH = 40


def _excerpt_before(text: str, start: int) -> str:
    """Up to 40 characters before a finding, with "…" when the text goes on before them."""
    begin = max(0, start - EXCERPT_LENGTH)
    return ("…" if begin else "") + text[begin:start]


def _excerpt_after(text: str, end: int) -> str:
    """Up to 40 characters after a finding, with "…" when the text goes on after them."""
    stop = end + EXCERPT_LENGTH
    return text[end:stop] + ("…" if stop < len(text) else "")


def _wording_context(checked: CheckedText) -> dict[str, object]:
    """Each finding with its message and the text around it, for the template."""
    return {
        "checked": checked,
        "findings": [
            {
                "finding": finding,
                "message": finding_message(finding),
                "before": _excerpt_before(checked.text, finding.start),
                "after": _excerpt_after(checked.text, finding.end),
            }
            for finding in checked.findings
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def wording_check(request: HttpRequest) -> HttpResponse:
    """Check a text for the words of R13 and the blame of R12, live (htmx) or on submit."""
    form = WordingForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context.update(_wording_context(text_check(text=form.cleaned_data["text"])))
        except ApplicationError as error:
            form.add_error("text", error.detail)
    partial = request.headers.get("HX-Request") == "true"
    template = "core/_wording_result.html" if partial else "core/wording_check.html"
    return render(request, template, context)


class DeadlineForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Ontvangen op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Vul in wanneer de melding binnenkwam."),
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 2 april 2026 14:00."),
        },
    )


@login_required
@require_GET
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """The three deadlines for a moment of receipt, in Amsterdam time, under the terms in force
    (R3, R16): the same computation as registering a complaint.
    """
    form = DeadlineForm(request.GET or None)
    terms = organisation_terms()
    context: dict[str, object] = {"form": form, "terms": terms_text(terms)}
    if form.is_valid():
        received_at: datetime = form.cleaned_data["received_at"]
        context["received_at"] = received_at
        context["deadlines"] = deadlines_for(received_at, work_calendar(), terms)
    return render(request, "core/deadline_calculator.html", context)


def _mail_failed(now: datetime) -> int | None:
    """Mails given up in the last 30 days (#10, item 20)."""
    from klachten.messaging.selectors import outbox_failed_count

    try:
        return outbox_failed_count(now=now)
    except Exception:
        return None


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring: does the database answer and take writes, did a worker beat in the last
    minutes, were mails given up?"""
    now = timezone.now()
    state = health_selector(now=now)
    return JsonResponse(
        {
            "ok": state.ok,
            "database": state.database_ok,
            "worker": state.worker_ok,
            "worker_last_seen": state.worker_last_seen.isoformat()
            if state.worker_last_seen
            else None,
            # Mails given up (refused for good or for a day): someone must look (#10, item 20).
            "mail_failed": _mail_failed(now) if state.database_ok else None,
            # Issue #10: a write probe, and the last write a request saw fail.
            "database_writes": state.database_writes_ok,
            "database_write_failed_at": state.database_write_failed_at.isoformat()
            if state.database_write_failed_at
            else None,
        },
        status=200 if state.ok else 503,
    )
