"""The message screens: write a message to the customer, open one as it was sent, the letter
PDF, and management's templates.

Views are thin (STYLE.md, 3): they read the input, ask a selector for what the user may see
(R2: what they may not see is "not found"), call one service and render. A refused message
keeps everything typed and shows every finding of the wording guard next to its field.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import complaint_get_for
from klachten.complaints.services import (
    StepRefused,
    complaint_read_log,
    delay_expected_date_clean,
)
from klachten.complaints.texts import reason_text
from klachten.core.errors import ApplicationError, InvalidInput, NotAllowed, NotFound
from klachten.core.forms import add_service_error
from klachten.core.wording import CheckedText, finding_message, text_check, text_language
from klachten.mail.cards import BusinessCard, card_for, signature, vcard_filename
from klachten.messaging import selectors, services
from klachten.messaging.forms import (
    DelayDraftForm,
    DelayForm,
    MessageForm,
    TemplateForm,
    add_refusal,
    channel_initial,
)
from klachten.messaging.letters import letter_filename, letter_pdf
from klachten.messaging.models import CustomerMessage, MessageChannel, MessageKind
from klachten.messaging.texts import EXAMPLE_VALUES, PLACEHOLDERS, fill
from klachten.organisation.selectors import organisation_settings
from klachten.organisation.texts import days_text

KIND_SLUGS = {
    MessageKind.RECEIPT: "ontvangstbevestiging",
    MessageKind.CONTACT_SUMMARY: "contactverslag",
    MessageKind.ACTION_PLAN: "actieplan",
    MessageKind.DELAY_NOTICE: "uitstelbericht",
    MessageKind.SOLUTION_PROPOSAL: "oplossing",
    MessageKind.FOLLOW_UP: "nacontrole",
    MessageKind.CLOSING: "afronding",
    MessageKind.FREE: "vrij",
}
"""The Dutch address of each kind: ``/meldingen/<kenmerk>/berichten/<slug>/``."""
KIND_OF_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}

INTRO = {
    MessageKind.RECEIPT: gettext_lazy(
        "Bevestig de ontvangst: wat er nu gebeurt, wanneer de klant van u hoort en de "
        "link naar de persoonlijke statuspagina."
    ),
    MessageKind.CONTACT_SUMMARY: gettext_lazy(
        "Zet het gesprek en de afgesproken termijn op papier voor de klant."
    ),
    MessageKind.ACTION_PLAN: gettext_lazy(
        "Laat de klant weten wat er gebeurt, wie het doet en wanneer."
    ),
    MessageKind.DELAY_NOTICE: gettext_lazy(
        "Is er meer tijd nodig dan %(settlement)s, vertel de klant dan binnen "
        "%(delay_notice)s na ontvangst waarom, en wanneer een besluit te verwachten is. "
        "Met dit bericht wordt het uitstel vastgelegd; daarna kan de termijn verlengd worden."
    ),
    MessageKind.SOLUTION_PROPOSAL: gettext_lazy(
        "Leg de oplossing voor en vraag wat de klant ervan vindt; de klant kan antwoorden "
        "op de statuspagina."
    ),
    MessageKind.FOLLOW_UP: gettext_lazy(
        "Vraag de klant of het echt is opgelost; de klant kan antwoorden op de statuspagina."
    ),
    MessageKind.CLOSING: gettext_lazy(
        "Rond de melding af en wijs de klant op de onafhankelijke derde."
    ),
    MessageKind.FREE: gettext_lazy("Een eigen bericht aan de klant."),
}


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    """R2: what a user may not see does not exist for them."""
    return render(request, "complaints/not_found.html", {"detail": error.detail}, status=404)


def _card(staff: Staff) -> tuple[BusinessCard | None, str]:
    """The sender's business card (R14), or why it cannot go on a message yet."""
    try:
        return card_for(staff, organisation_settings()), ""
    except InvalidInput as error:
        return None, error.detail


# --- Writing a message -------------------------------------------------------------------------


def _delay_input(form: Any) -> selectors.DelayInput | None:
    data = getattr(form, "cleaned_data", {})
    if "reason" not in form.fields:
        return None
    return selectors.DelayInput(
        reason=data.get("reason") or "", expected_date=data.get("expected_date")
    )


def _draft_form(
    kind: str, complaint: Complaint, staff: Staff, data: Any
) -> tuple[forms.Form, str, list[str]]:
    """The editor, filled with the standard text; or why that text cannot be written yet.

    A delay notice (R16) is drafted from its reason and expected date: until they are given,
    the form asks for those two only (stage ``reason``).
    """
    initial = channel_initial(bool(complaint.customer.email))
    delay = None
    if kind == MessageKind.DELAY_NOTICE:
        draft_form = DelayDraftForm(data)
        if data is None or not draft_form.is_valid():
            return draft_form, "reason", []
        initial.update(draft_form.cleaned_data)
        delay = _delay_input(draft_form)
    try:
        if delay is not None:
            if delay.expected_date is not None:
                # R16: after the deadline in force and on a working day, before any text.
                delay_expected_date_clean(
                    complaint=complaint, expected_date=delay.expected_date, now=timezone.now()
                )
            selectors.delay_input_clean(delay, now=timezone.now())
        draft = selectors.message_draft(complaint=complaint, kind=kind, author=staff, delay=delay)
    except InvalidInput as error:
        if kind == MessageKind.DELAY_NOTICE:
            add_service_error(draft_form, error)
            return draft_form, "reason", []
        return MessageForm(initial=initial), "missing", [error.detail]
    initial.update({"subject": draft.subject, "body": draft.body})
    form_class = DelayForm if kind == MessageKind.DELAY_NOTICE else MessageForm
    return form_class(initial=initial), "", []


@login_required
@require_http_methods(["GET", "POST"])
def message_compose(request: HttpRequest, reference: str, slug: str) -> HttpResponseBase:
    """Write a message to the customer from a standard text, guarded while typing (R12, R13),
    and send it by e-mail or as a letter, with the sender's card (R14)."""
    staff, now = _staff(request), timezone.now()
    kind = KIND_OF_SLUG.get(slug)
    try:
        if kind is None:
            raise NotFound("not_found", gettext_lazy("Deze soort bericht bestaat niet."))
        complaint = complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        return _not_found(request, error)
    card, card_problem = _card(staff)
    drafting = request.method == "GET" or "opstellen" in request.POST
    stage = ""
    refused: list[str] = []
    form: forms.Form
    if drafting:
        form, stage, refused = _draft_form(
            kind, complaint, staff, request.POST if request.method == "POST" else None
        )
    else:
        form_class = DelayForm if kind == MessageKind.DELAY_NOTICE else MessageForm
        form = form_class(request.POST)
        if not form.is_valid():
            _add_wording_findings(form, card)  # in the same round as the form's own errors
        else:
            data = form.cleaned_data
            try:
                message = services.customer_message_send(
                    complaint=complaint,
                    author=staff,
                    kind=kind,
                    channel=data["channel"],
                    subject=data["subject"],
                    body=data["body"],
                    confirm_warnings=data["confirm_warnings"],
                    delay=_delay_input(form),
                    now=now,
                )
            except StepRefused as error:
                refused = [reason_text(reason) for reason in error.reasons]
            except NotAllowed as error:
                refused = [error.detail]
            except ApplicationError as error:
                add_refusal(form, error)
            else:
                done = (
                    _("Het bericht is verstuurd naar %(to)s.") % {"to": message.recipient}
                    if message.channel == MessageChannel.EMAIL
                    else _("De brief staat klaar: download de PDF, print en verstuur hem.")
                )
                messages.success(request, done)
                if message.channel == MessageChannel.EMAIL:
                    # Back to the case: the message is on its timeline (#14).
                    return redirect(
                        reverse("complaints:detail", args=[complaint.reference]) + "#tijdlijn"
                    )
                return redirect(_message_url(message))  # a letter: its PDF is printed there
    complaint_read_log(complaint=complaint, actor=staff, now=now)  # R2: shown again
    context = {
        "complaint": complaint,
        "kind": kind,
        "kind_label": MessageKind(kind).label,
        "intro": str(INTRO[kind])
        % {
            "delay_notice": days_text(complaint.delay_notice_days),
            "settlement": days_text(complaint.settlement_days),
        },
        "slug": slug,
        "form": form,
        "stage": stage,
        "refused": refused,
        "card": card,
        "card_problem": card_problem,
        "signature": signature(card) if card else "",
        "show_confirm": _shows_confirm(form, card),
    }
    return render(request, "messaging/compose.html", context)


def _text_of(form: forms.Form) -> tuple[str, str]:
    """The subject and text as the page shows them: as typed, or as drafted."""
    if form.is_bound:
        return str(form.data.get("subject", "")), str(form.data.get("body", ""))
    return str(form.initial.get("subject", "")), str(form.initial.get("body", ""))


def _shows_confirm(form: forms.Form, card: BusinessCard | None) -> bool:
    """R12: the confirmation checkbox appears only when the text has a warning (or the
    author already ticked it, or was asked to)."""
    if "confirm_warnings" not in form.fields:
        return False
    if form.is_bound and (form.data.get("confirm_warnings") or form.errors.get("confirm_warnings")):
        return True
    subject, body = _text_of(form)
    if not (subject.strip() or body.strip()):
        return False
    try:
        findings = services.message_findings(subject=subject, body=body, card=card)
    except ApplicationError:
        return False
    return any(not item.finding.blocks for item in findings)


def _add_wording_findings(form: forms.Form, card: BusinessCard | None) -> None:
    """Every finding of the guard (R12, R13) on what was typed, next to its part, when the
    form is refused for something else: nothing is found one round later."""
    subject, body = _text_of(form)
    try:
        services.message_guard(
            subject=subject,
            body=body,
            card=card,
            confirm_warnings=bool(form.data.get("confirm_warnings")),
        )
    except ApplicationError as error:
        add_refusal(form, error)


class WordingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Tekst voor de klant"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("Er is geen tekst om te controleren.")},
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
    """The one wording check (R12, R13): the page "Tekst controleren", live (htmx) or on
    submit; with ``?veld=NAME``, the live check of one field of the form it is part of — the
    intake's report, a step's text, a message's subject or text."""
    if "veld" in request.GET:
        return _field_check(request, request.GET["veld"][:60])
    form = WordingForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context.update(_wording_context(text_check(text=form.cleaned_data["text"])))
        except ApplicationError as error:
            form.add_error("text", error.detail)
    partial = request.headers.get("HX-Request") == "true"
    template = "messaging/_wording_result.html" if partial else "messaging/wording_check.html"
    return render(request, template, context)


def _field_check(request: HttpRequest, name: str) -> HttpResponse:
    """One field, checked as the service will check it when the form is sent: a message's
    part in the language of its subject and text together (#11), status links left out; any
    other field in its own language. The report of an intake is internal (R12, R13 do not
    bind it; the check only advises)."""
    text = request.POST.get(name, "")
    context: dict[str, Any] = {"field": name, "internal": name == "report"}
    if request.method == "POST" and text.strip():
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        language = (
            services.message_language(subject=subject, body=body)
            if (subject + body).strip()
            else text_language(text)
        )
        try:
            findings = [
                item.finding
                for item in services.message_findings(
                    subject="", body=text, card=None, language=language
                )
            ]
        except ApplicationError as error:
            context["error"] = error.detail
        else:
            checked = CheckedText(text=text, findings=findings, language=language)
            context["checked"] = checked
            context["findings"] = [
                {"finding": finding, "message": finding_message(finding)} for finding in findings
            ]
    return render(request, "complaints/_wording.html", context)


# --- What the customer sent ---------------------------------------------------------------------


@login_required
@require_GET
def incoming_original(request: HttpRequest, reference: str, message_id: int) -> HttpResponseBase:
    """The customer's e-mail exactly as it arrived (.eml), to staff with a right to the
    complaint (R2); never rendered by the browser. The read is logged."""
    staff = _staff(request)
    try:
        message = selectors.incoming_message_get_for(
            staff=staff, reference=reference, message_id=message_id
        )
    except NotFound as error:
        raise Http404(error.detail) from error
    if not message.original:
        raise Http404(_("Dit bericht bestaat niet."))
    try:
        content = message.original.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Dit bericht bestaat niet.")) from error
    services.incoming_original_read_log(message=message, actor=staff, now=timezone.now())
    response = FileResponse(
        content,
        as_attachment=True,
        filename=f"{reference}-bericht-{message.pk}.eml",
        content_type="message/rfc822",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- A message as it was sent ------------------------------------------------------------------


def _message_url(message: CustomerMessage) -> str:
    return reverse("messaging:message", args=[message.complaint.reference, message.pk])


def _message(request: HttpRequest, reference: str, message_id: int) -> CustomerMessage:
    return selectors.customer_message_get_for(
        staff=_staff(request), reference=reference, message_id=message_id
    )


@login_required
@require_GET
def message_detail(request: HttpRequest, reference: str, message_id: int) -> HttpResponse:
    """A message opens as it was sent: recipient, subject, text, the card (R14); reading it
    is a read of the complaint (R2)."""
    try:
        message = _message(request, reference, message_id)
    except NotFound as error:
        return _not_found(request, error)
    complaint_read_log(complaint=message.complaint, actor=_staff(request), now=timezone.now())
    card = BusinessCard.from_dict(message.card)
    context = {
        "complaint": message.complaint,
        "message": message,
        "card": card,
        "mail_text": services.mail_text(message.body, card),
        "vcard_name": vcard_filename(card),
        "is_letter": message.channel == MessageChannel.LETTER,
    }
    return render(request, "messaging/detail.html", context)


@login_required
@require_GET
def message_letter(request: HttpRequest, reference: str, message_id: int) -> HttpResponse:
    """The letter as PDF, made from the stored message (R14: with the card and its QR code)."""
    try:
        message = _message(request, reference, message_id)
        if message.channel != MessageChannel.LETTER:
            raise NotFound("not_found", gettext_lazy("Dit bericht is geen brief."))
    except NotFound as error:
        return _not_found(request, error)
    complaint_read_log(complaint=message.complaint, actor=_staff(request), now=timezone.now())
    response = HttpResponse(letter_pdf(message), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter_filename(message)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def message_posted(request: HttpRequest, reference: str, message_id: int) -> HttpResponseBase:
    """The letter was printed and posted."""
    try:
        message = _message(request, reference, message_id)
        services.customer_message_mark_posted(
            message=message, actor=_staff(request), now=timezone.now()
        )
    except NotFound as error:
        return _not_found(request, error)
    except NotAllowed as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Vastgelegd: de brief is op de post gedaan."))
    return redirect(_message_url(message))


# --- Templates (management) --------------------------------------------------------------------


def _management_only(request: HttpRequest) -> HttpResponse | None:
    if _staff(request).may_change_settings:
        return None
    return _not_found(
        request, NotFound("not_found", gettext_lazy("Deze pagina is alleen voor de directie."))
    )


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    """Every standard message with its current wording: management's own or the standard."""
    if refused := _management_only(request):
        return refused
    rows = [
        {"template": template, "slug": KIND_SLUGS[MessageKind(template.kind)]}
        for template in selectors.message_templates()
    ]
    return render(request, "messaging/templates.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Management words a standard message; the guard runs while typing and on saving."""
    if refused := _management_only(request):
        return refused
    kind = KIND_OF_SLUG.get(slug)
    if kind is None:
        return _not_found(
            request, NotFound("not_found", gettext_lazy("Dit sjabloon bestaat niet."))
        )
    current = selectors.message_template_get(kind)
    form = TemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": current.subject, "body": current.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.message_template_save(
                kind=kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                confirm_warnings=form.cleaned_data["confirm_warnings"],
                actor=_staff(request),
                now=timezone.now(),
            )
        except ApplicationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request, _("Opgeslagen: %(kind)s.") % {"kind": MessageKind(kind).label}
            )
            return redirect("messaging:templates")
    elif request.method == "POST":
        try:  # every finding of the guard in the same round as the form's own errors
            services.template_guard(
                subject=str(form.data.get("subject", "")),
                body=str(form.data.get("body", "")),
                confirm_warnings=bool(form.data.get("confirm_warnings")),
            )
        except ApplicationError as error:
            add_refusal(form, error)
    subject = form.data.get("subject", current.subject) if form.is_bound else current.subject
    body = form.data.get("body", current.body) if form.is_bound else current.body
    context = {
        "form": form,
        "current": current,
        "slug": slug,
        "placeholders": PLACEHOLDERS.values(),
        "preview_subject": fill(subject, EXAMPLE_VALUES),
        "preview_body": fill(body, EXAMPLE_VALUES),
        "show_confirm": _template_shows_confirm(form, subject, body),
    }
    return render(request, "messaging/template_edit.html", context)


def _template_shows_confirm(form: TemplateForm, subject: str, body: str) -> bool:
    """R12: the confirmation appears only when the template, as written or filled in, has a
    warning (or the author ticked it, or was asked to)."""
    if form.is_bound and (form.data.get("confirm_warnings") or form.errors.get("confirm_warnings")):
        return True
    try:
        findings = services.template_findings(subject=subject, body=body)
    except ApplicationError:
        return False
    return any(not item.finding.blocks for item in findings)


@login_required
@require_POST
def template_reset(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Back to the standard text."""
    if refused := _management_only(request):
        return refused
    kind = KIND_OF_SLUG.get(slug)
    if kind is None:
        return _not_found(
            request, NotFound("not_found", gettext_lazy("Dit sjabloon bestaat niet."))
        )
    services.message_template_reset(kind=kind, actor=_staff(request), now=timezone.now())
    messages.success(
        request, _("De standaardtekst geldt weer: %(kind)s.") % {"kind": MessageKind(kind).label}
    )
    return redirect("messaging:templates")
