"""A customer's AVG requests on the customer file: export everything, or erase it (management).

R2: only management; for anyone else the pages do not exist (404). Both are POST requests
with a CSRF token, and both are written to the audit log by their services.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klachten.accounts.models import Staff
from klachten.complaints import selectors
from klachten.core.clock import local_today
from klachten.core.errors import NotFound
from klachten.customers.models import CustomerFile
from klachten.privacy.export import customer_export
from klachten.privacy.retention import ErasureRefused, customer_erase, customer_erasure_holds


def _customer_for_management(request: HttpRequest, customer_id: int) -> CustomerFile | None:
    staff = cast(Staff, request.user)
    if not staff.is_management:
        return None
    try:
        customer, _complaints = selectors.customer_file_get_for(
            staff=staff, customer_id=customer_id
        )
    except NotFound:
        return None
    return customer


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "complaints/not_found.html",
        {"detail": _("Klantmap niet gevonden.")},
        status=404,
    )


@login_required
@require_POST
def customer_export_download(request: HttpRequest, customer_id: int) -> HttpResponseBase:
    """Everything about this customer as a ZIP, to hand to the customer (AVG)."""
    customer = _customer_for_management(request, customer_id)
    if customer is None:
        return _not_found(request)
    now = timezone.now()
    data = customer_export(customer=customer, actor=cast(Staff, request.user), now=now)
    response = HttpResponse(data, content_type="application/zip")
    name = f"klantmap-{customer.pk}-{local_today(now):%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def customer_erase_confirm(request: HttpRequest, customer_id: int) -> HttpResponseBase:
    """Erase this customer's data on their request (AVG), after a confirmation (R5 guards)."""
    customer = _customer_for_management(request, customer_id)
    if customer is None:
        return _not_found(request)
    now = timezone.now()
    error = ""
    if request.method == "POST":
        if request.POST.get("bevestig") != "ja":
            error = _("Vink aan dat de klant om wissen heeft gevraagd.")
        else:
            try:
                erased = customer_erase(customer=customer, actor=cast(Staff, request.user), now=now)
            except ErasureRefused as refused:
                error = refused.detail
            else:
                messages.success(
                    request,
                    _("De gegevens zijn gewist (%(count)s meldingen).") % {"count": erased},
                )
                return redirect("complaints:customer-file", customer_id=customer.pk)
    return render(
        request,
        "privacy/customer_erase.html",
        {
            "customer": customer,
            "holds": customer_erasure_holds(customer, now),
            "error": error,
        },
        status=422 if error else 200,
    )
