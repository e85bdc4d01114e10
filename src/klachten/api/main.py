"""The v1 API object: authentication, JSON errors and the routers of each area."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from klachten.api.auth import STAFF_AUTH
from klachten.api.calendar import router as calendar_router
from klachten.api.complaints import router as complaints_router
from klachten.api.errors import document_errors, error_body, json_refusals
from klachten.api.measures import router as measures_router
from klachten.api.messages import router as messages_router
from klachten.api.notes import router as notes_router
from klachten.api.register import router as register_router
from klachten.api.wording import router as wording_router
from klachten.core.errors import (
    WRITE_FAILURES,
    ApplicationError,
    InvalidInput,
    TooLarge,
    database_unavailable,
    write_failure_record,
)
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


class KlachtenAPI(NinjaAPI):
    """django-ninja's API with every refusal as JSON and documented on every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(document)
        _describe_path_parameters(document)
        return document

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        return [_json_refusals(pattern) for pattern in patterns], app_name, namespace


# What a client generator writes into each method's documentation for a path parameter.
_PATH_PARAMETERS = {
    "reference": {
        "description": "The complaint's reference, e.g. KG-2026-00042",
        "examples": {"reference": {"value": "KG-2026-00042"}},
    },
    "action_id": {"description": "The `id` of one of the complaint's `actions`"},
}


def _describe_path_parameters(document: dict[str, Any]) -> None:
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "path":
                    parameter.update(_PATH_PARAMETERS.get(parameter.get("name"), {}))


# The areas of the API, in the order the documentation shows them.
TAGS = [
    {"name": "complaints", "description": "Register, list, read and handle complaints (R2–R16)."},
    {
        "name": "messages",
        "description": "Messages to the customer, as they were sent and how far they got "
        "(R12–R14, R16).",
    },
    {"name": "calendar", "description": "Deadlines in Dutch working time (R3, R16)."},
    {"name": "wording", "description": "The wording check of customer-facing texts (R12, R13)."},
    {
        "name": "notes",
        "description": "Internal notes for staff only; a colleague's account (R10).",
    },
    {
        "name": "register",
        "description": "The register of complaints of a period, as a file (management, R2).",
    },
    {
        "name": "measures",
        "description": "Improvement measures with their owner, status, effect check and "
        "recurrence watch (management, R1, R2).",
    },
]


def _json_refusals(pattern: URLResolver | URLPattern) -> URLResolver | URLPattern:
    if not isinstance(pattern, URLPattern):
        return pattern
    view = json_refusals(pattern.callback)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


api = KlachtenAPI(
    title="Kerngroep Klachten API",
    version="1",
    description=(
        "Staff API of Kerngroep Klachten. Authenticate with `Authorization: Bearer <token>` "
        "(`klachten token create USERNAME`) or a logged-in browser session (writes from a "
        "session need its CSRF token in `X-CSRFToken`). Times are ISO 8601 with offset, dates "
        "YYYY-MM-DD.\n\nEvery refusal is JSON `{detail, code}` — `code` is stable, `detail` "
        "is a message in Dutch, or in English for `Accept-Language: en` (`Content-Language` "
        "says which); 422 adds `errors` (every problem with its `field`), 409 adds `reasons`. "
        "Each operation lists the statuses it can answer; 503 `database_unavailable` means "
        "the database takes no writes at the moment and nothing was saved."
    ),
    urls_namespace="api",
    auth=STAFF_AUTH,
    parser=StrictJsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    openapi_extra={"tags": TAGS},
)


def _error(request: HttpRequest, status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, error_body(code, detail, **extra), status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """Every refusal of a service. A 422 lists its problem in ``errors`` and a 409 in
    ``reasons``, so each status has one shape whichever code raised it."""
    extra: dict[str, Any] = {"field": exc.field} if exc.field else {}
    if exc.status == 422:
        extra["errors"] = [{"field": exc.field or "", "problem": exc.detail}]
    elif exc.status == 409:
        extra["reasons"] = [{"code": exc.code, "rule": "", "message": exc.detail}]
    response = _error(request, exc.status, exc.code, exc.detail, **extra)
    if exc.status == 503:
        response["Retry-After"] = "60"
    return response


@api.exception_handler(WordingRefused)
def wording_refused(request: HttpRequest, exc: WordingRefused) -> HttpResponse:
    """R12, R13: a refused message or template comes back with every finding."""
    extra = {"field": exc.field} if exc.field else {}
    findings = [item.as_dict() for item in exc.findings]
    errors = [{"field": exc.field or "", "problem": exc.detail}]
    return _error(
        request, exc.status, exc.code, exc.detail, **extra, errors=errors, findings=findings
    )


def _database_refused(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """A write the database did not take (full disk, lock timeout, read-only): the service's
    transaction rolled back, so nothing is half-saved; 503, not an HTML 500 (issue #10)."""
    write_failure_record(exc)
    return application_error(request, database_unavailable())


for _failure in WRITE_FAILURES:
    api.add_exception_handler(_failure, _database_refused)


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
    if isinstance(exc.__cause__, RequestDataTooBig):
        return body_too_large(request, exc.__cause__)
    # ninja's own texts are English; ours follow the request's language. Its 400 is a body
    # it could not read: bad input, as documented (422).
    unreadable = InvalidInput("invalid_body", _("Het verzoek kon niet worden gelezen."))
    if exc.status_code == 400:
        return application_error(request, unreadable)
    return _error(request, exc.status_code, "http_error", unreadable.detail)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [_describe(error) for error in exc.errors]
    fields = [_field(error) for error in exc.errors]
    return _error(
        request,
        422,
        "invalid",
        " ".join(problems),
        field=fields[0] if fields else None,
        errors=[
            {"field": field, "problem": problem}
            for field, problem in zip(fields, problems, strict=True)
        ],
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(_("Niet gevonden.")))


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


def _field(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ()) if part not in _LOCATIONS)


# pydantic's own messages are English; each kind of problem gets its text here, in the
# request's language, with pydantic's parameters (``ctx``) where they help.
_PROBLEMS = {
    "missing": _("%(field)s ontbreekt."),
    "extra_forbidden": _("%(field)s is geen veld van dit verzoek."),
    "string_type": _("%(field)s moet tekst zijn."),
    "string_too_long": _("%(field)s is te lang: ten hoogste %(max_length)s tekens."),
    "string_too_short": _("%(field)s is te kort: ten minste %(min_length)s tekens."),
    "too_long": _("%(field)s heeft te veel onderdelen: ten hoogste %(max_length)s."),
    "too_short": _("%(field)s heeft te weinig onderdelen: ten minste %(min_length)s."),
    "int_type": _("%(field)s moet een geheel getal zijn."),
    "int_parsing": _("%(field)s moet een geheel getal zijn."),
    "int_from_float": _("%(field)s moet een geheel getal zijn."),
    "int_parsing_size": _("%(field)s is een te groot getal."),
    "bool_type": _("%(field)s moet true of false zijn."),
    "bool_parsing": _("%(field)s moet true of false zijn."),
    "greater_than_equal": _("%(field)s moet ten minste %(ge)s zijn."),
    "greater_than": _("%(field)s moet groter zijn dan %(gt)s."),
    "less_than_equal": _("%(field)s mag ten hoogste %(le)s zijn."),
    "less_than": _("%(field)s moet kleiner zijn dan %(lt)s."),
    "dict_type": _("%(field)s moet een JSON-object zijn."),
    "model_type": _("%(field)s moet een JSON-object zijn."),
    "model_attributes_type": _("%(field)s moet een JSON-object zijn."),
    "list_type": _("%(field)s moet een lijst zijn."),
    "literal_error": _("%(field)s heeft geen toegestane waarde (zie /api/v1/docs)."),
    "enum": _("%(field)s heeft geen toegestane waarde (zie /api/v1/docs)."),
    "json_invalid": _("%(field)s is geen geldige JSON."),
    "nul_character": _("%(field)s bevat een NUL-teken; dat kan niet worden opgeslagen."),
}


def _describe(error: dict[str, Any]) -> str:
    """One validation problem, in the request's language, naming the field."""
    field = _field(error) or str(_("verzoek"))
    template = _PROBLEMS.get(error.get("type", ""), _("%(field)s heeft een ongeldige waarde."))
    try:
        return str(template) % {**(error.get("ctx") or {}), "field": field}
    except (KeyError, TypeError, ValueError):
        return str(_("%(field)s heeft een ongeldige waarde.")) % {"field": field}


api.add_router("/calendar", calendar_router)
api.add_router("/complaints", complaints_router)
api.add_router("/complaints", messages_router)
api.add_router("/complaints", notes_router)
api.add_router("/wording", wording_router)
api.add_router("/register", register_router)
api.add_router("/measures", measures_router)
