"""*Mijn gegevens*: what the system knows of the staff member, and the language of their mails.

Views are thin (STYLE.md, 3): the form reads the choice, one service saves it.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from klachten.accounts.models import Staff
from klachten.accounts.services import staff_set_language
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
