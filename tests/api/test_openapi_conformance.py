"""The OpenAPI document is the truth about every answer (issue #10, item 16).

schemathesis generates requests for every operation from the document — valid ones and
invalid ones — and sends them through the real WSGI application with a real token. Each
answer must have a status the operation documents, a body that matches the documented schema,
the documented content type, and never a 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from klachten.accounts.services import token_create
from klachten.complaints.services import Checklist, complaint_register
from tests.complaints.conftest import NOW, customer_data

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


def _application() -> Any:
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# The document as the running application serves it (no database needed to read it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client, run requests without closing the database connection at
    their start and end: its transaction holds the test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# References of complaints that exist during the test; a generated ``reference`` is replaced
# by one of them now and then, so that requests also reach the steps themselves.
KNOWN_REFERENCES: list[str] = []


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    if not path_parameters or "reference" not in path_parameters or not KNOWN_REFERENCES:
        return st.just(path_parameters)
    known = [{**path_parameters, "reference": known} for known in KNOWN_REFERENCES]
    return st.sampled_from([path_parameters, *known])


@pytest.fixture
def references(employee, manager) -> Iterator[list[str]]:
    """Complaints that exist: one registered by phone and one report from the website nobody
    took up yet."""
    phoned = complaint_register(
        receiver=employee,
        customer=customer_data(),
        naw_checked=True,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report="Cursusmap voor de training Leidinggeven ontbrak bij de start.",
        checklist=Checklist(not_interrupted=True),
        now=NOW,
    )
    web = complaint_register(
        receiver=None,
        customer=customer_data(name="De heer B. de Wit", email="b.dewit@example.nl"),
        received_at=NOW,
        channel="web",
        report="Cursus of training: Excel\n\nWat is er misgegaan:\nGeen lesdag.",
        checklist=Checklist(),
        now=NOW,
    )
    KNOWN_REFERENCES[:] = [phoned.reference, web.reference]
    yield KNOWN_REFERENCES
    KNOWN_REFERENCES.clear()


@pytest.fixture
def manager_token(manager) -> str:
    _, token = token_create(staff=manager)
    return token


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_only_what_the_document_says(case, manager_token, references):
    """Management's token sees every complaint (R2), so every operation can be reached."""
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {manager_token}"}
    case.call_and_validate(checks=CHECKS)
