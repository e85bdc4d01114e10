"""Every refusal of the API as JSON ``{detail, code}``, and each one in the OpenAPI document.

One place decides what an error looks like (STYLE.md, 3): the exception handlers of
``klachten.api.main`` answer through :func:`error_response`; unmatched paths under ``/api/``
and wrong methods get the same shape (:func:`not_found_view`, :func:`json_method_refusal`);
and :func:`document_errors` writes into the OpenAPI document, for every operation, each status
the handlers can give it — so an endpoint added later is documented without doing anything.

Messages follow the request's language like the pages do: Dutch, unless the client asks for
English (``Accept-Language: en`` or the language cookie); ``Content-Language`` says which.
No text of the framework or of pydantic reaches a client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema

from klachten.api.schemas.errors import ErrorOut, InvalidOut

UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})
_REF = "#/components/schemas/{model}"


def error_body(code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def error_response(status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    """A JSON refusal outside django-ninja's own responses (unmatched paths, wrong methods)."""
    return JsonResponse(error_body(code, detail, **extra), status=status)


# --- Paths and methods the API does not have ---------------------------------------------------


@csrf_exempt
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under ``/api/`` that names no operation: JSON 404, whatever the method."""
    return error_response(
        404, "not_found", str(_("Dit adres bestaat niet in de API. Zie /api/v1/docs."))
    )


def json_refusals(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """django-ninja answers a wrong method with a plain-text 405 and its root path with an
    HTML 404; answer both as JSON, keeping the ``Allow`` header."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found_view(request)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        refusal = error_response(
            405,
            "method_not_allowed",
            str(_("Methode %(method)s is hier niet toegestaan; wel: %(allowed)s."))
            % {"method": request.method, "allowed": response.get("Allow", "")},
        )
        refusal["Allow"] = response.get("Allow", "")
        return refusal

    # Like ninja's own views: the API checks CSRF itself, for browser sessions only.
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


# --- The OpenAPI document ----------------------------------------------------------------------

# (status, schema, description, which operations): the refusals the handlers can give.
_GENERIC: tuple[tuple[int, type[Schema], str, Callable[[str, dict[str, Any]], bool]], ...] = (
    (
        401,
        ErrorOut,
        "Not authenticated: no valid bearer token and no logged-in session (`not_authenticated`).",
        lambda method, op: True,
    ),
    (
        403,
        ErrorOut,
        "A browser session's write without its CSRF token (`csrf_failed`); bearer tokens "
        "need none.",
        lambda method, op: method in UNSAFE_METHODS,
    ),
    (
        404,
        ErrorOut,
        "Not found (`not_found`); also for what the caller may not see (R2).",
        lambda method, op: any(p.get("in") == "path" for p in op.get("parameters", ())),
    ),
    (
        413,
        ErrorOut,
        "The request body is too large (`body_too_large`) or a text in it is (`text_too_long`).",
        lambda method, op: "requestBody" in op,
    ),
    (
        422,
        InvalidOut,
        "The input is not what the operation takes: `errors` lists every problem, `field` "
        "names the first.",
        lambda method, op: "requestBody" in op or bool(op.get("parameters")),
    ),
    (
        503,
        ErrorOut,
        "The database takes no writes at the moment (`database_unavailable`); nothing was "
        "saved. Try again in a few minutes.",
        lambda method, op: True,
    ),
)


def _add_component(components: dict[str, Any], model: type[Schema]) -> str:
    """Put ``model`` (and the models it uses) into the document's schemas; its $ref."""
    schema = model.model_json_schema(ref_template=_REF)
    for name, nested in schema.pop("$defs", {}).items():
        components.setdefault(name, nested)
    components.setdefault(model.__name__, schema)
    return _REF.format(model=model.__name__)


def _refs(response: dict[str, Any]) -> set[str]:
    return {
        media.get("schema", {}).get("$ref", "")
        for media in response.get("content", {}).values()
        if isinstance(media, dict)
    }


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Declare, on every operation, each refusal it can give (see ``_GENERIC``).

    A status an endpoint declares itself keeps its schema (a 409 with reasons, a 422 with
    findings), except a 422 declared as plain ``ErrorOut``: every 422 carries ``errors``.
    """
    components = document.setdefault("components", {}).setdefault("schemas", {})
    error_ref = _add_component(components, ErrorOut)
    invalid_ref = _add_component(components, InvalidOut)
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, model, description, applies in _GENERIC:
                if not applies(method, operation):
                    continue
                # django-ninja keys responses by number; a loaded document by text.
                key: int | str = str(status) if str(status) in responses else status
                declared = responses.get(key)
                if declared is not None and not (status == 422 and error_ref in _refs(declared)):
                    continue
                ref = invalid_ref if model is InvalidOut else error_ref
                responses[key] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": ref}}},
                }
    return document
