"""The pages for "not found" and "something went wrong" (``handler404``, ``handler500``).

Both sit inside the product's layout, in the visitor's language (Dutch, or English when they
chose it): staff see the staff layout, anyone else the organisation's public one, as on the
form and the status page. Under ``/api/`` both answer JSON ``{detail, code}`` like the rest of
the API.

The 500 page is rendered without the request: no user, no session, no database — it must
appear when the database is what failed. So it cannot know who is looking, and shows only the
name "Kerngroep" (customers may see it: R13). Should even that fail (a template or static file
missing), a plain page in the same words is the last resort.
"""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from klachten.organisation.selectors import organisation_settings

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _json(status: int, code: str, detail: str) -> HttpResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: a calm page in the layout, with the way back; JSON under ``/api/``."""
    if request.path.startswith(API_PREFIX):
        return _json(404, "not_found", _("Dit adres bestaat niet in de API. Zie /api/v1/docs."))
    user = getattr(request, "user", None)
    context: dict[str, object] = {"layout": "base.html"}
    if user is None or not user.is_authenticated:
        # Customers meet the organisation's own layout, as on the public pages (R13).
        context = {"layout": "public/base.html", "organisation": organisation_settings()}
    body = loader.render_to_string("404.html", context, request)
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the same layout, rendered from the template alone (see the module docstring)."""
    if request.path.startswith(API_PREFIX):
        return _json(
            500,
            "server_error",
            _("Er ging iets mis bij het verwerken van dit verzoek; het is gelogd."),
        )
    try:
        body = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()})
    except Exception:  # the last resort must not fail in turn
        logger.exception("The 500 page could not be rendered")
        body = _plain_500()
    return HttpResponseServerError(body)


def _plain_500() -> str:
    title = escape(_("Er ging iets mis"))
    text = escape(
        _(
            "Deze pagina kon niet worden getoond. Wat u het laatst verstuurde, is misschien "
            "niet bewaard. Probeer het over een paar minuten opnieuw."
        )
    )
    return (
        f'<!doctype html><html lang="{escape(get_language() or "nl")}"><meta charset="utf-8">'
        f"<title>{title}</title><h1>{title}</h1><p>{text}</p></html>"
    )
