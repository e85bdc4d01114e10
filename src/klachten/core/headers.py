"""Response headers that Django's ``SecurityMiddleware`` does not set (issue #15, item 6).

Every page and API answer carries customer or staff data, or could after the next change, so
none of them may be kept by a browser's cache, a shared proxy or the back button after
logging out: ``Cache-Control: no-store`` on every answer that does not say otherwise. A view
that does (the calendar feeds' ``private, no-cache``, revalidated by ETag; ``never_cache``)
keeps its own. Static files never reach this middleware: WhiteNoise answers them before it,
with their own long caching.

``Permissions-Policy`` switches off the browser features the product never uses, so that
injected or third-party script could not use them either.

The Content Security Policy is django-csp's (``CONTENT_SECURITY_POLICY`` in
``config/security.py``); the other headers (HSTS, ``X-Content-Type-Options``,
``Referrer-Policy``, ``Cross-Origin-Opener-Policy``) are Django's own settings.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class PrivateHeadersMiddleware:
    """Adds ``Cache-Control: no-store`` and ``Permissions-Policy`` where a view set none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        if self.permissions_policy and not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = self.permissions_policy
        return response
