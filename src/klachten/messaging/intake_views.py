"""Registering a complaint while the customer talks, with the receipt confirmation (R3–R6, R8,
R14; UX.md, "Nieuwe melding"). Here, not in ``complaints``, because registering also writes
the first message to the customer (``complaint_register_and_confirm``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klachten.accounts.models import Staff
from klachten.complaints import selectors as complaint_selectors
from klachten.complaints.forms import IntakeForm
from klachten.complaints.views import customer_choice
from klachten.core.errors import ApplicationError, ServiceUnavailable, database_writes
from klachten.core.forms import add_service_error
from klachten.messaging.models import MessageChannel
from klachten.messaging.services import Registered, complaint_register_and_confirm


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponseBase:
    """Register a complaint on one page while the customer talks (UX.md, "Nieuwe melding")."""
    staff = cast(Staff, request.user)
    searching = "zoek_klant" in request.POST
    # "Zoeken" without JavaScript: show the results and keep everything typed, no errors yet.
    form = (
        IntakeForm(initial={**request.POST.dict(), "send_receipt": "send_receipt" in request.POST})
        if searching
        else IntakeForm(_posted(request))
    )
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and not searching and form.is_valid():
        try:
            with database_writes():
                registered = _register(form, staff)
        except ServiceUnavailable as error:  # nothing saved; everything typed stays (#10)
            add_service_error(form, error)
            status = error.status
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            complaint = registered.complaint
            messages.success(
                request,
                _("Melding %(reference)s is geregistreerd. Directie wordt ingelicht.")
                % {"reference": complaint.reference},
            )
            _receipt_message(request, registered)
            return redirect(reverse("complaints:detail", args=[complaint.reference]))
    # From a customer file, "Nieuwe melding voor deze klant" opens with that file picked (R5).
    picked_id = request.POST.get("customer_id", request.GET.get("klant", ""))
    context.update(customer_choice(picked_id, request.POST, staff))
    return render(request, "complaints/intake.html", context, status=status)


def _register(form: IntakeForm, staff: Staff) -> Registered:
    data = form.cleaned_data
    picked = data["customer_id"]
    return complaint_register_and_confirm(
        send_receipt=data["send_receipt"],
        receiver=staff,
        customer=None if picked else form.customer_data(),
        customer_file=complaint_selectors.customer_file_for_intake(
            customer_id=picked, staff=staff, now=timezone.now()
        )
        if picked
        else None,
        naw_checked=data["naw_checked"],
        received_at=data["received_at"],
        channel=data["channel"],
        report=data["report"],
        checklist=form.checklist(),
        training=form.training(),
        now=timezone.now(),
    )


def _receipt_message(request: HttpRequest, registered: Registered) -> None:
    """Say what became of the receipt confirmation (#10, item 9a)."""
    receipt = registered.receipt
    if receipt is None and registered.receipt_refused:
        messages.warning(
            request,
            _(
                "De ontvangstbevestiging is niet verstuurd: %(reason)s Stuur haar vanaf de "
                "melding, bij Berichten aan de klant."
            )
            % {"reason": registered.receipt_refused},
        )
    elif receipt is not None and receipt.channel == MessageChannel.EMAIL:
        messages.success(
            request,
            _("De ontvangstbevestiging gaat per e-mail naar %(email)s.")
            % {"email": receipt.recipient},
        )
    elif receipt is not None:
        messages.success(
            request,
            _(
                "Er is geen e-mailadres: de ontvangstbevestiging staat klaar als brief. Print "
                "hem en doe hem op de post."
            ),
        )
