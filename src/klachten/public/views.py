"""The public pages (CONTRACT.md): the form ``/melding/``, the status page ``/status/<token>/``
and ``/status/``, where the short code from a letter opens it.

No login. Thin views (STYLE.md, 3): read the input, call one service, render. Every page a
customer reads avoids the words of R13. The status page is private: it is not cached, not
indexed, and its address is never sent on as a referrer (only the scheme and host are).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klachten.complaints.models import Complaint
from klachten.complaints.satisfaction import satisfaction_answer
from klachten.complaints.services import StepRefused
from klachten.core.errors import (
    ApplicationError,
    InvalidInput,
    NotAllowed,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    database_writes,
)
from klachten.core.forms import add_service_error
from klachten.mail.cards import card_for, vcard, vcard_filename
from klachten.organisation.models import OrganisationSettings
from klachten.organisation.selectors import courses_active, organisation_settings
from klachten.organisation.texts import working_hours_text
from klachten.public import selectors, services
from klachten.public.client import address_key, client_address
from klachten.public.forms import (
    FollowUpAnswerForm,
    ReportForm,
    SatisfactionForm,
    StatusCodeForm,
    StatusMessageForm,
    ViewForm,
)
from klachten.public.uploads import LimitedUploadHandler

SENT = "public_report_sent"  # the session key the thank-you page reads


# Only the scheme and host ever go out as referrer, never the path that holds the token: not
# to other sites, not even to our own logs. ("no-referrer" would do the same, but browsers then
# send "Origin: null" with the page's own forms, which the CSRF check must refuse.)
REFERRER_POLICY = "strict-origin"


def _contact_term(organisation: OrganisationSettings) -> str:
    """R3: "24 werkuren", as the organisation's settings say now."""
    return working_hours_text(organisation.contact_working_hours)


def private(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Not cached, not indexed, no path as referrer: for pages whose address is a secret (R2)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = REFERRER_POLICY
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


# --- The form: "Laat het ons weten" ------------------------------------------------------------


@csrf_exempt  # checked by report_form_checked, after the upload limits are in place
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponseBase:
    """The public form; uploads beyond the limits are never stored (``LimitedUploadHandler``)."""
    handler = LimitedUploadHandler(
        request, max_files=settings.PUBLIC_MAX_FILES, max_size=settings.PUBLIC_MAX_FILE_SIZE
    )
    request.upload_handlers = [handler, *request.upload_handlers]
    return report_form_checked(request, handler)


@csrf_protect
def report_form_checked(request: HttpRequest, handler: LimitedUploadHandler) -> HttpResponseBase:
    organisation = organisation_settings()
    courses = courses_active()  # #16 item 1: the course picker
    if request.method != "POST":
        form = ReportForm(organisation=organisation, courses=courses)
        return render(
            request,
            "public/report_form.html",
            {
                "form": form,
                "organisation": organisation,
                "contact_term": _contact_term(organisation),
            },
        )
    form = ReportForm(
        request.POST,
        request.FILES,
        organisation=organisation,
        skipped=handler.skipped,
        courses=courses,
    )
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            with database_writes():
                received = services.web_report_submit(
                    customer=form.customer_data(),
                    report=services.WebReport(
                        course=form.course_name(),
                        picked_course=form.picked_course(),
                        what_happened=data["what_happened"],
                        wish=data["wish"],
                        language=get_language() or settings.LANGUAGE_CODE,
                    ),
                    files=data["attachments"],
                    address_hash=address_key(client_address(request)),
                    honeypot=data["website"],
                    now=timezone.now(),
                )
        except RateLimited as error:
            form.add_error(None, error.detail)
            status = 429
        except InvalidInput as error:
            add_service_error(form, error)
            status = 422
        except ServiceUnavailable as error:  # nothing saved; everything typed stays (#10)
            _write_failed(form)
            status = error.status
        else:
            request.session[SENT] = {
                "email": received.email,
                "contact_due": received.contact_due.isoformat(),
            }
            return redirect("public-report-sent")
    else:
        status = 422
    return render(
        request,
        "public/report_form.html",
        {"form": form, "organisation": organisation, "contact_term": _contact_term(organisation)},
        status=status,
    )


def _write_failed(form: ReportForm) -> None:
    """Say that nothing was sent, and be honest about files: a browser cannot keep them."""
    form.add_error(
        None,
        _(
            "Uw melding is nog niet verstuurd: dat lukte op dit moment niet. Wat u heeft "
            "ingevuld, staat er nog; probeer het over een paar minuten opnieuw."
        ),
    )
    if form.cleaned_data.get("attachments"):
        form.add_error(
            "attachments",
            _(
                "De bestanden die u had gekozen, zijn niet bewaard. Kies ze opnieuw voordat u "
                "het formulier weer verstuurt."
            ),
        )


@require_GET
@private
def report_sent(request: HttpRequest) -> HttpResponseBase:
    """Thank you: what happens next. Looks the same whether the report was kept or dropped."""
    sent = request.session.get(SENT)
    if not isinstance(sent, dict):
        return redirect("public-report")
    return render(
        request,
        "public/report_sent.html",
        {
            "email": _masked(str(sent.get("email", ""))),
            "contact_due": parse_datetime(str(sent.get("contact_due", ""))),
            "organisation": organisation_settings(),
        },
    )


def _masked(email: str) -> str:
    """a.bakker@example.nl → a…r@example.nl: enough to recognise, not to read off a screen."""
    local, _at, domain = email.partition("@")
    if not domain:
        return ""
    shown = f"{local[0]}…{local[-1]}" if len(local) > 2 else f"{local[:1]}…"
    return f"{shown}@{domain}"


# --- The status page ---------------------------------------------------------------------------

QUESTIONS = {
    "mening": ViewForm,
    "nacontrole": FollowUpAnswerForm,
    "tevredenheid": SatisfactionForm,
}


@require_http_methods(["GET", "POST"])
@private
def status(request: HttpRequest, token: str) -> HttpResponseBase:
    """The customer's own case: status, terms, action plan, card, and the two questions."""
    now = timezone.now()
    try:
        complaint = selectors.complaint_for_token(token)
    except NotFound:
        return _gone(request)
    forms: dict[str, Any] = {name: form() for name, form in QUESTIONS.items()}
    refused = ""
    code = 200
    if request.method == "POST":
        question = request.POST.get("vraag", "")
        form_class = QUESTIONS.get(question)
        if form_class is None:
            return redirect(request.path)
        form = form_class(request.POST)
        forms[question] = form
        if form.is_valid():
            try:
                _answer(question, complaint, form.cleaned_data, now)
            except (StepRefused, NotAllowed):
                refused = _("Deze vraag staat niet meer open; misschien heeft u al geantwoord.")
                code = 409
            except ApplicationError as error:
                add_service_error(form, error)
                code = 422
            else:
                messages.success(request, _("Dank u wel, we hebben uw antwoord ontvangen."))
                return redirect(request.path)
        else:
            code = 422
        try:
            complaint = selectors.complaint_for_token(token)  # as it is now
        except NotFound:
            return _gone(request)
    else:
        services.status_page_read_log(complaint=complaint, now=now)
    return _status_page(request, complaint, token, forms, refused=refused, status=code, now=now)


def _status_page(
    request: HttpRequest,
    complaint: Complaint,
    token: str,
    forms: dict[str, Any],
    *,
    refused: str = "",
    status: int = 200,
    now: Any,
    message_form: StatusMessageForm | None = None,
) -> HttpResponse:
    context = {
        "page": selectors.status_page(complaint),
        "token": token,  # the link the customer came by; only its digest is stored (#15)
        "forms": forms,
        "message_form": message_form or StatusMessageForm(),
        "refused": refused,
        "organisation": organisation_settings(),
        "now": now,
    }
    return render(request, "public/status.html", context, status=status)


@csrf_exempt  # checked by status_message_checked, after the upload limits are in place
@require_POST
@private
def status_message(request: HttpRequest, token: str) -> HttpResponseBase:
    """The customer writes to us on their status page, with files (#13): the same upload
    limits, CSRF check and rate limit as the public form."""
    handler = LimitedUploadHandler(
        request, max_files=settings.PUBLIC_MAX_FILES, max_size=settings.PUBLIC_MAX_FILE_SIZE
    )
    request.upload_handlers = [handler, *request.upload_handlers]
    return status_message_checked(request, token, handler)


@csrf_protect
def status_message_checked(
    request: HttpRequest, token: str, handler: LimitedUploadHandler
) -> HttpResponseBase:
    now = timezone.now()
    try:
        complaint = selectors.complaint_for_token(token)
    except NotFound:
        return _gone(request)
    form = StatusMessageForm(request.POST, request.FILES, skipped=handler.skipped)
    status = 422
    if form.is_valid():
        try:
            with database_writes():
                services.status_page_message(
                    complaint=complaint,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["attachments"],
                    address_hash=address_key(client_address(request)),
                    now=now,
                )
        except RateLimited as error:
            form.add_error(None, error.detail)
            status = 429
        except NotAllowed as error:
            form.add_error(None, error.detail)
            status = 409
        except InvalidInput as error:
            add_service_error(form, error)
        except ServiceUnavailable:  # nothing saved; the text stays in the form (#10)
            form.add_error(
                None,
                _(
                    "Uw bericht is niet verstuurd: het lukt ons nu niet om het op te slaan. "
                    "Probeer het over een paar minuten nog eens."
                ),
            )
            status = 503
        else:
            messages.success(request, _("Dank u wel, we hebben uw bericht ontvangen."))
            return redirect("public-status", token=token)
    forms = {name: form_class() for name, form_class in QUESTIONS.items()}
    return _status_page(request, complaint, token, forms, status=status, now=now, message_form=form)


@require_http_methods(["GET", "POST"])
@private
def status_code(request: HttpRequest) -> HttpResponseBase:
    """``/status/``: the customer types the short code from a letter and lands on their status
    page. Wrong codes count towards a rate limit per client address, like the public form."""
    form = StatusCodeForm(request.POST if request.method == "POST" else None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token = services.status_code_open(
                    typed=form.cleaned_data["code"],
                    address_hash=address_key(client_address(request), "status-code"),
                    now=timezone.now(),
                )
            except RateLimited as error:
                form.add_error(None, error.detail)
                code = 429
            except NotFound:
                form.add_error(
                    "code",
                    _(
                        "Deze code kennen we niet. Kijk de code in onze brief nog eens na; "
                        "de letters I, L en O mag u ook als 1 en 0 lezen."
                    ),
                )
                code = 422
            else:
                return redirect("public-status", token=token)
        else:
            code = 422
    return render(
        request,
        "public/status_code.html",
        {"form": form, "organisation": organisation_settings()},
        status=code,
    )


@require_GET
@private
def status_vcard(request: HttpRequest, token: str) -> HttpResponseBase:
    """R14: the responsible employee's card as a vCard, for the customer's address book."""
    try:
        complaint = selectors.complaint_for_token(token)
    except NotFound:
        return _gone(request)
    if complaint.handler is None:
        return _gone(request)
    try:
        card = card_for(complaint.handler, organisation_settings())
    except InvalidInput:  # an incomplete card is not handed out (R14)
        return _gone(request)
    response = HttpResponse(vcard(card), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{vcard_filename(card)}"'
    return response


def _answer(question: str, complaint: Complaint, data: dict[str, Any], now: Any) -> None:
    if question == "mening":
        services.customer_view_give(
            complaint=complaint, agrees=data["agrees"] == "ja", comment=data["comment"], now=now
        )
    elif question == "tevredenheid":
        satisfaction_answer(
            complaint=complaint,
            score=data["score"],
            settled=data["settled"] == "ja",
            comment=data["comment"],
            now=now,
        )
    else:
        services.customer_follow_up_answer(
            complaint=complaint, solved=data["solved"] == "ja", comment=data["comment"], now=now
        )


def _gone(request: HttpRequest) -> HttpResponse:
    """An unknown, revoked or erased link: a calm page, status 404, nothing about why."""
    return render(
        request,
        "public/status_gone.html",
        {"organisation": organisation_settings()},
        status=404,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an expired page, cookies off): say what to do."""
    return render(
        request,
        "public/csrf_failure.html",
        {"organisation": organisation_settings(), "back": reverse("public-report")},
        status=403,
    )
