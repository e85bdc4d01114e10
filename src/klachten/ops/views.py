"""The staff start page, login, the two everyday tools and the health check.

Views are thin: they read input, call one service or selector, and render (STYLE.md, 3).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from klachten.accounts.backends import STAFF_BACKEND
from klachten.accounts.models import Staff
from klachten.accounts.selectors import sign_in_options
from klachten.complaints.selectors import work_queue
from klachten.core.errors import ApplicationError, NotFound
from klachten.core.forms import add_service_error
from klachten.domain.deadlines import deadlines_for
from klachten.domain.urgency import TERM_WARNING
from klachten.ops.selectors import health as health_selector
from klachten.ops.selectors import setup_link_valid, staff_exists
from klachten.ops.services import setup_demo, setup_first_account
from klachten.organisation.selectors import organisation_terms, work_calendar
from klachten.organisation.texts import terms_text


class StaffLoginView(auth_views.LoginView):
    """The Dutch login page for staff; already logged in means straight on.

    The password is checked by Django's form and the lockout backend (#15, item 3); the login
    itself goes through allauth, which asks for the second factor when the account has one
    (#15, item 2). With single sign-on configured, the page offers "Inloggen met …" first
    (item 1), and only that when password login is off.
    """

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_LOGIN_ENABLED:
            messages.error(request, gettext("Log in via uw organisatie."))
            return redirect("login")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        from allauth.account.internal.flows.login import perform_login, record_authentication
        from allauth.account.models import Login

        user = form.get_user()
        # The password was typed just now: for the next few minutes that also counts as the
        # "type your password again" that adding or removing a second factor asks for.
        record_authentication(
            self.request, user, "password", username=user.get_username(), reauthenticated=True
        )
        return perform_login(self.request, Login(user=user, redirect_url=self.get_success_url()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # A new installation: say where the first account comes from (issue #10).
        context["no_staff_yet"] = not staff_exists()
        context.update(sign_in_options())
        return context


def home(request: HttpRequest) -> HttpResponseBase:
    """The home page: the login page for visitors, the start page for staff."""
    if not request.user.is_authenticated:
        return StaffLoginView.as_view()(request)
    if request.user.is_auditor:
        return redirect("auditing:index")  # reads, never works a queue (#16 item 4)
    staff, now = request.user, timezone.now()
    context = {
        "queue": work_queue(staff=staff, now=now, soon_until=now + TERM_WARNING),
        "now": now,
        "calendar": work_calendar(),
    }
    return render(request, "ops/home.html", context)


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
    return render(request, "ops/deadline_calculator.html", context)


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
            "worker_restarts": state.worker_restarts,
            "worker_last_restart": state.worker_last_restart.isoformat()
            if state.worker_last_restart
            else None,
        },
        status=200 if state.ok else 503,
    )


class FirstAccountForm(forms.Form):
    """The installation's first account, made with the one-time link of ``klachten serve``."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        error_messages={"required": _("Vul uw voornaam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        error_messages={"required": _("Vul uw achternaam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hier komt het bericht van elke nieuwe melding binnen (R3)."),
        error_messages={
            "required": _(
                "Vul een e-mailadres in: de directie krijgt elke nieuwe melding per e-mail (R3)."
            ),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@kerngroep.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        help_text=_("Hiermee logt u in: letters, cijfers en @ . + - _"),
        error_messages={"required": _("Kies een gebruikersnaam.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        help_text=_("Minstens 8 tekens, niet alleen cijfers en geen veelgebruikt wachtwoord."),
        error_messages={"required": _("Kies een wachtwoord.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nogmaals"),
        strip=False,
        error_messages={"required": _("Vul het wachtwoord nogmaals in.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        for validator in Staff._meta.get_field("username").validators:
            validator(username)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password1"), cleaned.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif password:
            candidate = Staff(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _setup_link_dead(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/setup_used.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time page of a new installation (issue #10): the first account, or the demo.

    The link that ``klachten serve`` prints while there are no staff works once; after that,
    or once any account exists, it answers with a calm "not found" page.
    """
    if not setup_link_valid(token):
        return _setup_link_dead(request)
    choice = request.POST.get("keuze")
    form = FirstAccountForm(request.POST if choice == "account" else None)
    if choice == "demo":
        try:
            staff, accounts, password = setup_demo(token=token, now=timezone.now())
        except NotFound:
            return _setup_link_dead(request)
        login(request, staff, backend=STAFF_BACKEND)
        messages.success(
            request,
            gettext(
                "De demogegevens staan klaar. U bent ingelogd als %(name)s (%(role)s). Alle "
                "demo-accounts (%(usernames)s) hebben het wachtwoord %(password)s — bewaar het."
            )
            % {
                "name": staff.get_full_name(),
                "role": staff.get_role_display().lower(),
                "usernames": ", ".join(account.username for account in accounts),
                "password": password,
            },
        )
        return redirect("home")
    if choice == "account" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = setup_first_account(
                token=token,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"],
            )
        except NotFound:
            return _setup_link_dead(request)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            login(request, staff, backend=STAFF_BACKEND)
            messages.success(
                request,
                gettext(
                    "Welkom, %(name)s. Uw account is klaar; collega's voegt u toe in het "
                    "beheer (/beheer/)."
                )
                % {"name": staff.first_name or staff.username},
            )
            return redirect("home")
    return render(request, "ops/setup.html", {"form": form})
