"""The v1 API object: authentication, JSON errors and the routers of each area."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from klachten.api.auth import STAFF_AUTH
from klachten.api.calendar import router as calendar_router
from klachten.api.complaints import router as complaints_router
from klachten.api.messages import router as messages_router
from klachten.api.wording import router as wording_router
from klachten.core.errors import ApplicationError, InvalidInput, TooLarge
from klachten.messaging.services import WordingRefused


class StrictJsonParser(Parser):
    """JSON bodies only; a body that is too large or not JSON gets a clear refusal."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(
                "invalid_json", _("De inhoud van het verzoek is geen geldige JSON.")
            ) from exc
        if not isinstance(data, dict):
            raise InvalidInput("invalid_json", _("Verwacht een JSON-object met velden."))
        return data


api = NinjaAPI(
    title="Kerngroep Klachten API",
    version="1",
    description=(
        "Staff API of Kerngroep Klachten. Authenticate with `Authorization: Bearer <token>` "
        "(`klachten token create USERNAME`) or a logged-in browser session. Times are ISO 8601 "
        "with offset, dates YYYY-MM-DD. Errors are JSON `{detail, code}` with a 4xx status."
    ),
    urls_namespace="api",
    auth=STAFF_AUTH,
    parser=StrictJsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.status, exc.code, exc.detail, **extra)


@api.exception_handler(WordingRefused)
def wording_refused(request: HttpRequest, exc: WordingRefused) -> HttpResponse:
    """R12, R13: a refused message or template comes back with every finding."""
    extra = {"field": exc.field} if exc.field else {}
    findings = [item.as_dict() for item in exc.findings]
    return _error(request, exc.status, exc.code, exc.detail, **extra, findings=findings)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return application_error(request, TooLarge("body_too_large", _("Het verzoek is te groot.")))


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        "not_authenticated",
        str(_("Log in of stuur een geldige API-sleutel mee (Authorization: Bearer …).")),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja wraps errors raised while parsing the body; unwrap ours.
    if isinstance(exc.__cause__, ApplicationError):
        return application_error(request, exc.__cause__)
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [_describe(error) for error in exc.errors]
    return _error(
        request,
        422,
        "invalid",
        "; ".join(problems),
        errors=[
            {"field": _field(error), "problem": problem}
            for error, problem in zip(exc.errors, problems, strict=True)
        ],
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(_("Niet gevonden.")))


def _field(error: dict[str, Any]) -> str:
    location = [
        str(part) for part in error.get("loc", ()) if part not in {"body", "query", "payload"}
    ]
    return ".".join(location)


def _describe(error: dict[str, Any]) -> str:
    """One validation problem, in Dutch, naming the field."""
    field = _field(error) or str(_("verzoek"))
    kind = error.get("type", "")
    messages = {
        "missing": _("%(field)s ontbreekt."),
        "string_type": _("%(field)s moet tekst zijn."),
        "json_invalid": _("%(field)s is geen geldige JSON."),
        "model_attributes_type": _("%(field)s moet een JSON-object zijn."),
        "dict_type": _("%(field)s moet een JSON-object zijn."),
    }
    template = messages.get(kind, _("%(field)s is ongeldig: %(problem)s"))
    return str(template) % {"field": field, "problem": error.get("msg", "")}


api.add_router("/calendar", calendar_router)
api.add_router("/complaints", complaints_router)
api.add_router("/complaints", messages_router)
api.add_router("/wording", wording_router)
