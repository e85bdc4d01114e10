"""Sessions end after a quiet spell and at most some hours after login (#15, item 4).

ASVS 3.3.2: an idle session ends after ``KLACHTEN_SESSION_IDLE_MINUTES`` without a request of
the staff member's own, and every session ``KLACHTEN_SESSION_MAX_HOURS`` after login, however
busy. The session keeps both moments; the overview's 30-second poll is not activity, or an
open overview would keep a session alive for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.accounts.models import SecurityAction
from klachten.accounts.services import security_event_append
from klachten.accounts.signals import (
    SESSION_LOGIN_AT,
    SESSION_SEEN_AT,
    login_methods,
    request_address,
)

# Requests the page makes by itself: the overview's poll (hx-trigger "every 30s" on #overzicht).
PASSIVE_HTMX_TRIGGERS = frozenset({"overzicht"})
# The last-activity stamp is rewritten at most this often, so most requests save no session.
SEEN_RESOLUTION = timedelta(seconds=60)


class SessionLimitsMiddleware:
    """Logs out a session that was idle too long or is older than its maximum."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                return self._end(request, expired)
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> str:
        """``idle`` or ``absolute`` for a session past a limit; else stamps the activity."""
        now = timezone.now().timestamp()
        session = request.session
        login_at = session.get(SESSION_LOGIN_AT)
        seen_at = session.get(SESSION_SEEN_AT)
        if login_at is None or seen_at is None:
            # A session from before these limits: it counts from now.
            session[SESSION_LOGIN_AT] = login_at or now
            session[SESSION_SEEN_AT] = now
            return ""
        if now - login_at > timedelta(hours=settings.KLACHTEN_SESSION_MAX_HOURS).total_seconds():
            return "absolute"
        idle = timedelta(minutes=settings.KLACHTEN_SESSION_IDLE_MINUTES).total_seconds()
        if now - seen_at > idle:
            return "idle"
        passive = (
            request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Trigger", "") in PASSIVE_HTMX_TRIGGERS
        )
        if not passive and now - seen_at >= SEEN_RESOLUTION.total_seconds():
            session[SESSION_SEEN_AT] = now
        return ""

    def _end(self, request: HttpRequest, why: str) -> HttpResponseBase:
        user = request.user
        security_event_append(
            action=SecurityAction.SESSION_EXPIRED,
            now=timezone.now(),
            username=user.get_username(),
            actor=user,  # type: ignore[arg-type]
            address=request_address(request),
            detail={"why": why},
        )
        request.klachten_session_expired = True  # type: ignore[attr-defined]
        logout(request)
        if why == "idle":
            text = _(
                "U bent uitgelogd omdat u %(minutes)s minuten niets heeft gedaan. Log opnieuw in."
            ) % {"minutes": settings.KLACHTEN_SESSION_IDLE_MINUTES}
        else:
            text = _(
                "U bent uitgelogd: een sessie duurt hoogstens %(hours)s uur. Log opnieuw in."
            ) % {"hours": settings.KLACHTEN_SESSION_MAX_HOURS}
        if request.path.startswith("/api/"):
            # The API answers for itself: without the session the request is not authenticated.
            return self.get_response(request)
        messages.info(request, text)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.method == "GET":
            login_url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            # htmx would swap the login page into a fragment; have it load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return HttpResponseRedirect(login_url)


# Where someone who still has to set up a second factor may go (besides logging out).
SECOND_FACTOR_SETUP_PREFIXES = ("/account/2fa/", "/account/reauthenticate/", "/i18n/")


class SecondFactorRequiredMiddleware:
    """Sends a password sign-in without a second factor to setting one up (#15, item 2).

    Who must have one is ``KLACHTEN_MFA`` (``selectors.second_factor_required``). A sign-in
    through the organisation's provider (SSO) is not asked: the provider has its own. Only
    sessions that began with a password here are looked at, so other pages cost nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/api/", "/static/", *SECOND_FACTOR_SETUP_PREFIXES))
            and self._must_set_up(request, user)
            and request.path != resolve_url("logout")
        ):
            messages.warning(
                request,
                _(
                    "Voor uw rol is een tweede stap bij het inloggen verplicht. Stel een "
                    "authenticator-app of een passkey in; daarna kunt u verder."
                ),
            )
            setup_url = resolve_url("mfa_index")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = setup_url
                return response
            return HttpResponseRedirect(setup_url)
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest, user: Any) -> bool:
        from klachten.accounts.selectors import second_factor_required, second_factor_set_up

        methods = login_methods(request, user)
        if "password" not in methods or "mfa" in methods or "socialaccount" in methods:
            return False
        return second_factor_required(user) and not second_factor_set_up(user)
