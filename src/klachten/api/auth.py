"""How staff authenticate to the API: a bearer token, or their browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from klachten.accounts.selectors import staff_for_token
from klachten.accounts.services import token_mark_used


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``klachten token create``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = staff_for_token(token)
        if found is None:
            return None
        staff, api_token = found
        token_mark_used(api_token=api_token, now=timezone.now())
        request.user = staff
        return staff


class StaffSession(SessionAuth):
    """A logged-in browser session (CSRF is checked for writes, as on the pages)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


STAFF_AUTH = [BearerToken(), StaffSession()]
