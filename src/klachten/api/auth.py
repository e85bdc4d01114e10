"""How staff authenticate to the API: a bearer token, or their browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from klachten.accounts.services import api_token_check, token_mark_used
from klachten.core.errors import WRITE_FAILURES, Forbidden, write_failure_record
from klachten.public.client import client_address


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``klachten token create``.

    Bad tokens are counted per client address; past the limit the answer is a 429
    ``too_many_attempts`` (#15, item 3), raised here and rendered by the API's error handler.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            found = api_token_check(
                token=token, address=client_address(request), now=timezone.now()
            )
        except WRITE_FAILURES as error:
            # A bad token that could not be counted is still a bad token.
            write_failure_record(error)
            return None
        if found is None:
            return None
        staff, api_token = found
        try:
            token_mark_used(api_token=api_token, now=timezone.now())
        except WRITE_FAILURES as error:
            # "Last used" is a convenience: a database that takes no writes must not stop
            # reading. A write the request itself makes is refused with a 503 as usual.
            write_failure_record(error)
        request.user = staff
        return staff


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, answering only yes or no (the refusal is the API's JSON, not the
    page that ``CSRF_FAILURE_VIEW`` renders)."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseForbidden:
        return HttpResponseForbidden()


def _protected_view(request: HttpRequest) -> HttpResponseForbidden:
    """Stands for the API operation in the check (one that is not ``csrf_exempt``)."""
    return HttpResponseForbidden()


def _csrf_refused(request: HttpRequest) -> bool:
    check = _CsrfCheck(_protected_view)
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    check.process_request(request)
    return check.process_view(request, _protected_view, (), {}) is not None


class StaffSession(SessionAuth):
    """A logged-in browser session; its writes need the CSRF token, as on the pages.

    Without a logged-in session there is nothing to protect against cross-site requests:
    the request is simply not authenticated (401), never "CSRF check failed".
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and _csrf_refused(request):
            raise Forbidden(
                "csrf_failed",
                _(
                    "Een wijziging vanuit een browsersessie heeft het CSRF-token nodig "
                    "(header X-CSRFToken); of gebruik een API-sleutel."
                ),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


STAFF_AUTH = [BearerToken(), StaffSession()]
