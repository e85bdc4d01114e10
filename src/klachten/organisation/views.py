"""*Instellingen*: management's settings page (UX.md, "Management").

One page with a section per subject — who we are, the independent third party (R11), the terms
(R3, R16) and retention (R5), the calendar and closing days, categories and root causes — each
saved by its own form and service, so a refusal in one never half-saves another. Views are thin
(STYLE.md, 3): they parse the form, call one service and render; a refusal is shown next to its
field with everything typed kept. Employees get a calm 403: the page is for management.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klachten.accounts.models import Staff
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError, NotFound
from klachten.core.forms import add_service_error
from klachten.organisation import selectors, services
from klachten.organisation.forms import (
    CalendarForm,
    ClosingDaysForm,
    DetailsForm,
    ListItemEditForm,
    ListItemForm,
    RemindersForm,
    TermsForm,
    ThirdPartyForm,
)
from klachten.organisation.services import (
    DETAILS_FIELDS,
    REMINDER_FIELDS,
    TERMS_FIELDS,
    THIRD_PARTY_FIELDS,
)
from klachten.organisation.texts import terms_text

View = Callable[..., HttpResponseBase]


def management_required(view: View) -> View:
    """Logged in, and management or admin; anyone else gets a calm Dutch 403 page."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not cast(Staff, request.user).is_management:
            return render(request, "organisation/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


MESSAGE_TEMPLATES_URL = "messaging:templates"
"""Where management edits the message templates, once that page exists (UX.md)."""


def _message_templates_url() -> str | None:
    try:
        return reverse(MESSAGE_TEMPLATES_URL)
    except NoReverseMatch:
        return None


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("organisation:settings") + f"#{anchor}")


@dataclass
class ListRows:
    """A list (categories or root causes) on the page: the add form and a form per row."""

    slug: str
    add_form: ListItemForm
    rows: list[tuple[Any, ListItemEditForm]]


def _list_rows(
    slug: str, items: list[Any], add_form: ListItemForm | None, bound: tuple[int, Any] | None
) -> ListRows:
    rows = []
    for item in items:
        if bound is not None and bound[0] == item.pk:
            form = bound[1]
        else:
            form = ListItemEditForm(
                prefix=f"{slug}-{item.pk}", initial={"name": item.name, "active": item.active}
            )
        rows.append((item, form))
    return ListRows(slug, add_form or ListItemForm(prefix=slug), rows)


def _page(request: HttpRequest, **bound: Any) -> HttpResponse:
    """The whole settings page; ``bound`` holds the one form that was just refused."""
    settings = selectors.organisation_settings()
    calendar = selectors.calendar_settings()
    closing_days = selectors.closing_days_all()
    today = local_today()
    context = {
        "settings": settings,
        "terms_text": terms_text(selectors.terms_of(settings)),
        "details_form": bound.get("details_form")
        or DetailsForm(initial={name: getattr(settings, name) for name in DETAILS_FIELDS}),
        "third_party_form": bound.get("third_party_form")
        or ThirdPartyForm(initial={name: getattr(settings, name) for name in THIRD_PARTY_FIELDS}),
        "terms_form": bound.get("terms_form")
        or TermsForm(initial={name: getattr(settings, name) for name in TERMS_FIELDS}),
        "reminders_form": bound.get("reminders_form")
        or RemindersForm(initial={name: getattr(settings, name) for name in REMINDER_FIELDS}),
        "calendar_form": bound.get("calendar_form")
        or CalendarForm(
            initial={
                "good_friday_off": calendar.good_friday_off,
                "liberation_day_every_year": calendar.liberation_day_every_year,
            }
        ),
        "closing_days_form": bound.get("closing_days_form") or ClosingDaysForm(prefix="sluiting"),
        "upcoming_closing_days": [day for day in closing_days if day.day >= today],
        "past_closing_days": [day for day in closing_days if day.day < today][::-1],
        "categories": _list_rows(
            "categorie",
            selectors.categories_all(),
            bound.get("categorie_add"),
            bound.get("categorie_row"),
        ),
        "message_templates_url": _message_templates_url(),
        "root_causes": _list_rows(
            "oorzaak",
            selectors.root_causes_all(),
            bound.get("oorzaak_add"),
            bound.get("oorzaak_row"),
        ),
    }
    return render(request, "organisation/settings.html", context)


@management_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    """All settings on one page, a section each (UX.md, "Instellingen")."""
    return _page(request)


def _save(
    request: HttpRequest,
    form: forms.Form,
    key: str,
    anchor: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate one section's form, call its service, and go back to the section or show why not."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return _back(anchor)
    return _page(request, **{key: form})


def _save_settings(
    request: HttpRequest, form: forms.Form, name: str, anchor: str, done: str
) -> HttpResponse:
    """One section of the organisation's settings, through the one service that writes them."""
    return _save(
        request,
        form,
        name,
        anchor,
        lambda data: services.organisation_settings_update(
            actor=_staff(request), changes=data, now=timezone.now()
        ),
        done,
    )


@management_required
@require_POST
def details_save(request: HttpRequest) -> HttpResponse:
    """Who we are (R17: on the regulation)."""
    return _save_settings(
        request,
        DetailsForm(request.POST),
        "details_form",
        "organisatie",
        _("De gegevens van de organisatie zijn opgeslagen."),
    )


@management_required
@require_POST
def third_party_save(request: HttpRequest) -> HttpResponse:
    """R11: the independent third party."""
    return _save_settings(
        request,
        ThirdPartyForm(request.POST),
        "third_party_form",
        "derde",
        _("De onafhankelijke derde is opgeslagen."),
    )


@management_required
@require_POST
def terms_save(request: HttpRequest) -> HttpResponse:
    """R3, R16: the terms; R5: retention. New terms apply to complaints registered from now."""
    return _save_settings(
        request,
        TermsForm(request.POST),
        "terms_form",
        "termijnen",
        _(
            "De termijnen zijn opgeslagen. Ze gelden voor meldingen die vanaf nu binnenkomen; "
            "de termijnen van bestaande meldingen blijven staan."
        ),
    )


@management_required
@require_POST
def reminders_save(request: HttpRequest) -> HttpResponse:
    """How early reminders come before each deadline (issue #5)."""
    return _save_settings(
        request,
        RemindersForm(request.POST),
        "reminders_form",
        "herinneringen",
        _("De herinneringen zijn opgeslagen."),
    )


@management_required
@require_POST
def calendar_save(request: HttpRequest) -> HttpResponse:
    """Good Friday and Liberation Day (PROCEDURE.md, "Deadlines, exactly")."""
    return _save(
        request,
        CalendarForm(request.POST),
        "calendar_form",
        "kalender",
        lambda data: services.calendar_settings_update(
            actor=_staff(request), now=timezone.now(), **data
        ),
        _("De feestdagen zijn opgeslagen."),
    )


@management_required
@require_POST
def closing_days_add(request: HttpRequest) -> HttpResponse:
    """Add a closing day or a period of them (R3, R16)."""
    return _save(
        request,
        ClosingDaysForm(request.POST, prefix="sluiting"),
        "closing_days_form",
        "sluitingsdagen",
        lambda data: services.closing_days_add(actor=_staff(request), now=timezone.now(), **data),
        _("De sluitingsdagen zijn toegevoegd."),
    )


@management_required
@require_POST
def closing_day_remove(request: HttpRequest, closing_day_id: int) -> HttpResponse:
    """Remove a closing day (R3, R16); deadlines already set stay as they are."""
    try:
        removed = services.closing_day_remove(
            actor=_staff(request), closing_day_id=closing_day_id, now=timezone.now()
        )
    except NotFound as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("Sluitingsdag %(day)s is verwijderd.") % {"day": removed.day.strftime("%d-%m-%Y")},
        )
    return _back("sluitingsdagen")


def _list_add(request: HttpRequest, slug: str, create: Callable[..., object]) -> HttpResponse:
    return _save(
        request,
        ListItemForm(request.POST, prefix=slug),
        f"{slug}_add",
        f"{slug}-lijst",
        lambda data: create(actor=_staff(request), name=data["name"], now=timezone.now()),
        _("Toegevoegd."),
    )


def _list_update(
    request: HttpRequest, slug: str, item_id: int, update: Callable[..., object]
) -> HttpResponse:
    form = ListItemEditForm(request.POST, prefix=f"{slug}-{item_id}")
    if form.is_valid():
        try:
            update(
                actor=_staff(request),
                item_id=item_id,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
                now=timezone.now(),
            )
        except NotFound as error:
            messages.error(request, error.detail)
            return _back(f"{slug}-lijst")
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Opgeslagen."))
            return _back(f"{slug}-lijst")
    return _page(request, **{f"{slug}_row": (item_id, form)})


@management_required
@require_POST
def category_add(request: HttpRequest) -> HttpResponse:
    """A new category."""
    return _list_add(request, "categorie", services.category_create)


@management_required
@require_POST
def category_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a category or take it out of use."""
    return _list_update(
        request,
        "categorie",
        item_id,
        lambda item_id, **kwargs: services.category_update(category_id=item_id, **kwargs),
    )


@management_required
@require_POST
def root_cause_add(request: HttpRequest) -> HttpResponse:
    """A new root cause."""
    return _list_add(request, "oorzaak", services.root_cause_create)


@management_required
@require_POST
def root_cause_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a root cause or take it out of use."""
    return _list_update(
        request,
        "oorzaak",
        item_id,
        lambda item_id, **kwargs: services.root_cause_update(root_cause_id=item_id, **kwargs),
    )
