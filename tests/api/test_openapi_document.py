"""The OpenAPI document as a client generator reads it (#10: "every artefact opens right in
the software that receives it").

``openapi-spec-validator`` holds the served document to the OpenAPI specification; beyond what
the specification requires, a generator names each method after its ``operationId``, groups
methods by tag and writes the summaries and parameter descriptions into the client's
documentation, and names each type after the schema it comes from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.conftest import ApiClient

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# What generators turn into a method name in any language: recordContact, record_contact, …
OPERATION_ID = re.compile(r"[a-z][a-zA-Z]+")


@pytest.fixture
def document(anonymous_api: ApiClient) -> dict[str, Any]:
    """The document exactly as the running application serves it (no login needed)."""
    response = anonymous_api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)  # raises with the first violation of the specification
    assert document["openapi"].startswith("3.")


def test_every_operation_has_a_unique_readable_operation_id(document: dict[str, Any]) -> None:
    ids = [operation.get("operationId", "") for _, _, operation in operations(document)]
    assert len(ids) == 27  # … and the register (#16 item 3), the measures (#16 item 2)
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    assert [name for name in ids if not OPERATION_ID.fullmatch(name)] == []
    by_path = {(m, p): op["operationId"] for p, m, op in operations(document)}
    assert by_path["post", "/api/v1/complaints/{reference}/contact"] == "recordContact"
    assert by_path["get", "/api/v1/complaints/{reference}/messages"] == "listMessages"


def test_every_operation_has_a_summary_and_a_declared_tag(document: dict[str, Any]) -> None:
    declared = {tag["name"]: tag.get("description", "") for tag in document["tags"]}
    assert all(declared.values()), declared
    for path, method, operation in operations(document):
        assert operation.get("summary", "").strip(), (method, path)
        assert operation.get("tags"), (method, path)
        assert set(operation["tags"]) <= set(declared), (method, path)
    used = {tag for _, _, operation in operations(document) for tag in operation["tags"]}
    assert used == set(declared)


def test_every_path_parameter_is_described(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", ()):
            if parameter["in"] == "path":
                assert parameter.get("description"), (method, path, parameter["name"])


def _named(schema: dict[str, Any]) -> bool:
    """A reference to a named schema, a choice of them (one per ``direction`` of a message),
    or a list of them: a generator names each type."""
    if "$ref" in schema:
        return str(schema["$ref"]).startswith("#/components/schemas/")
    if choices := schema.get("oneOf") or schema.get("anyOf"):
        return all(_named(choice) for choice in choices)
    return schema.get("type") == "array" and _named(schema.get("items", {}))


def test_every_answer_is_a_named_schema(document: dict[str, Any]) -> None:
    """No inline object in an answer: each becomes a type with a name in the client."""
    schemas = document["components"]["schemas"]
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            for media, content in response.get("content", {}).items():
                assert media == "application/json", (method, path, status)
                assert _named(content["schema"]), (method, path, status)
                for reference in _references(content["schema"]):
                    assert reference.rsplit("/", 1)[1] in schemas, (method, path, status)


def _references(schema: dict[str, Any]) -> list[str]:
    """The named schemas an answer refers to."""
    if "$ref" in schema:
        return [str(schema["$ref"])]
    if choices := schema.get("oneOf") or schema.get("anyOf"):
        return [reference for choice in choices for reference in _references(choice)]
    return _references(schema.get("items", {}))
