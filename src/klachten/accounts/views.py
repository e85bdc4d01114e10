"""*Mijn gegevens*: what the system knows of the staff member, and the language of their mails.

Views are thin (STYLE.md, 3): the form reads the choice, one service saves it.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from klachten.accounts.models import SecurityAction, Staff
from klachten.accounts.services import security_event_append, staff_set_language
from klachten.accounts.signals import request_address
from klachten.core.errors import ApplicationError
from klachten.core.forms import add_service_error


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Taal van de mails die u van Kerngroep Klachten krijgt"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Meldingen, herinneringen en waarschuwingen over te late meldingen komen in deze "
            "taal. De schermen volgen de taal die u hier kiest ook."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_details(request: HttpRequest) -> HttpResponseBase:
    """The staff member's own details; they choose the language of their mails (#10, item 14)."""
    staff = cast(Staff, request.user)
    form = LanguageForm(request.POST or None, initial={"language": staff.language})
    if request.method == "POST" and form.is_valid():
        try:
            staff_set_language(staff=staff, language=form.cleaned_data["language"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            response = redirect(reverse("accounts:my-details"))
            # The screens follow the same choice, as the language switch would set it.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                staff.language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            with translation.override(staff.language):
                messages.success(request, _("Opgeslagen: uw mails komen voortaan in deze taal."))
            return response
    return render(request, "accounts/my_details.html", {"form": form, "staff": staff})


# --- The staff member's own password (#15, item 4) ---------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in staff member sets a new password (at least 12 characters, ASVS 2.1.1)."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event_append(
            action=SecurityAction.PASSWORD_CHANGED,
            now=timezone.now(),
            username=self.request.user.get_username(),
            actor=cast(Staff, self.request.user),
            address=request_address(self.request),
        )
        return response


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the mail goes out in the staff member's own language, and each
    request for a known account is logged (an unknown address gets the same answer)."""

    request: HttpRequest | None = None

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        staff: Staff = context["user"]
        security_event_append(
            action=SecurityAction.PASSWORD_RESET_REQUESTED,
            now=timezone.now(),
            username=staff.username,
            address=request_address(self.request),
        )
        with translation.override(staff.language or settings.LANGUAGE_CODE):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail to set a new password; links start with ``KLACHTEN_BASE_URL``."""

    form_class = StaffPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.PASSWORD_LOGIN_ENABLED:
            # Signing in goes through the organisation (#15, item 1): no passwords to reset.
            messages.info(request, _("Log in via uw organisatie; uw wachtwoord beheert zij."))
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        form.request = self.request
        self.extra_email_context = {"base_url": settings.BASE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the mail: a new password, once; it logs the staff member out elsewhere."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event_append(
            action=SecurityAction.PASSWORD_RESET,
            now=timezone.now(),
            username=form.user.get_username(),
            actor=form.user,
            address=request_address(self.request),
        )
        return response
