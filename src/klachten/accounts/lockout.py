"""Throttling of failed logins (#15, item 3) with django-axes, in the product's words.

Axes counts failed logins per user name and per client address separately
(``AXES_LOCKOUT_PARAMETERS``); after ``KLACHTEN_LOGIN_FAILURE_LIMIT`` failures, each within the
cool-off of the one before, that name or address is refused until ``KLACHTEN_LOGIN_COOLOFF_MINUTES``
after the last counted failure, or until an admin lifts it (``login_unlock``).
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked name or address before its password is checked.

    Every login through a page (the login page, the admin's) passes the request; a call
    without one comes from code on the server itself (``Client.login`` in tests, a script),
    which no visitor can reach, and is left to the next backend instead of raising.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_message() -> str:
    """What the login page says to a locked name or address."""
    return _(
        "Te veel mislukte pogingen. Probeer het over %(minutes)s minuten opnieuw of vraag de "
        "beheerder om uw account vrij te geven."
    ) % {"minutes": settings.KLACHTEN_LOGIN_COOLOFF_MINUTES}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with the lockout message in place of "wrong password" (429)."""
    from klachten.accounts.selectors import sign_in_options

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out": lockout_message(),
        "next": request.POST.get("next", ""),
        **sign_in_options(),
    }
    return render(request, "registration/login.html", context, status=429)
