"""Every refusal of the API is JSON ``{detail, code}`` in one language, and documented
(issue #10, item 16; CONTRACT.md: "Errors are JSON {detail: …} with a 4xx status").

Unmatched paths and wrong methods, a request without credentials (never "CSRF check
failed"), a browser session's write without its CSRF token, bad input in Dutch or — when asked
— English, a database that takes no writes (item 21), and the OpenAPI document that declares
each of them on every operation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from ninja import Router, Schema

from klachten.accounts.services import token_create
from klachten.api.errors import document_errors
from klachten.api.main import KlachtenAPI, api
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, complaint_register, complaint_take_up
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
from tests.api.test_complaints import URL, registration
from tests.complaints.conftest import NOW, customer_data, later
from tests.conftest import PASSWORD, ApiClient
from tests.db_faults import writes_refused


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect Dutch."""
    yield
    translation.deactivate()


ROOT = Path(__file__).resolve().parent.parent.parent


def _strict_client(**headers: str) -> Client:
    """A client that checks CSRF like a browser's server would and never raises."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False, headers=headers)


def _is_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


# --- Paths and methods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/nope",
        "/api/v2/complaints",
        "/api/v1/",
        "/api/v1/nope",
        "/api/v1/complaints/KG-2026-00001/nope",
        "/api/v1/complaints/KG-2026-00001/actions/abc/done",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unmatched_path_under_api_is_a_json_404(db, path, method):
    response = getattr(_strict_client(), method)(path)
    body = _is_error(response, 404, "not_found")
    assert "bestaat niet" in body["detail"] or "Niet gevonden" in body["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/complaints", {"GET", "POST"}),
        ("put", "/api/v1/wording/check", {"POST"}),
        ("get", "/api/v1/complaints/KG-2026-00001/take-up", {"POST"}),
        ("patch", "/api/v1/complaints/KG-2026-00001", {"GET"}),
    ],
)
def test_a_wrong_method_is_a_json_405_with_allow(db, method, path, allowed):
    response = getattr(_strict_client(), method)(path)
    body = _is_error(response, 405, "method_not_allowed")
    assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert method.upper() in body["detail"]


# --- Authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/complaints", "/api/v1/wording/check", f"{URL}/KG-2026-00001/take-up"]
)
def test_an_anonymous_post_is_a_401_not_a_csrf_failure(db, path):
    """No token, no session: not authenticated — whatever the CSRF state."""
    response = _strict_client().post(path, "{}", content_type="application/json")
    body = _is_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert "CSRF" not in body["detail"]


def test_a_wrong_token_is_a_401_too(db):
    client = _strict_client(authorization="Bearer niet-geldig")
    response = client.post("/api/v1/wording/check", "{}", content_type="application/json")
    _is_error(response, 401, "not_authenticated")


def test_a_session_write_without_its_csrf_token_is_a_json_403_and_with_it_works(employee):
    client = _strict_client()
    assert client.login(username="petra", password=PASSWORD)
    body = json.dumps({"text": "Wij bellen u morgen terug."})
    refused = client.post("/api/v1/wording/check", body, content_type="application/json")
    _is_error(refused, 403, "csrf_failed")
    # The token of any page (the cookie and the header), as the pages' htmx sends it.
    client.get("/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/wording/check",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
    # Reading needs no CSRF token.
    assert client.get("/api/v1/complaints").status_code == 200


# --- One language ------------------------------------------------------------------------------

ENGLISH_FRAMEWORK = re.compile(
    r"Input should|Field required|Value error|Extra inputs|CSRF check|Method not allowed|"
    r"Cannot parse|String should"
)

BAD_INPUTS: list[tuple[str, str, Any]] = [
    ("post", URL, {**registration(), "priority": "high"}),
    ("post", URL, registration(report=123)),
    ("post", URL, registration(report="ver\x00slag")),
    ("post", URL, registration(customer={**registration()["customer"], "name": "x" * 201})),
    ("post", URL, registration(checklist={"vented": "ja"})),
    ("post", URL, {"channel": "phone"}),
    ("get", URL, {"page": 0}),
    ("get", URL, {"page": "een"}),
    ("get", URL, {"overdue": "misschien"}),
    ("post", "/api/v1/wording/check", {"text": 42}),
]


@pytest.mark.parametrize(("method", "path", "data"), BAD_INPUTS)
def test_bad_input_is_named_in_dutch_by_default_without_framework_english(api, method, path, data):
    response = api.post(path, data) if method == "post" else api.get(path, **data)
    body = _is_error(response, 422, "invalid")
    assert response["Content-Language"] == "nl"
    texts = [body["detail"], *(problem["problem"] for problem in body["errors"])]
    assert not [text for text in texts if ENGLISH_FRAMEWORK.search(text)], texts
    assert body["field"] == body["errors"][0]["field"]
    assert all(problem["field"] in problem["problem"] for problem in body["errors"] if problem)


@pytest.mark.parametrize(("method", "path", "data"), BAD_INPUTS)
def test_bad_input_is_named_in_english_when_asked(employee, method, path, data):
    _, token = token_create(staff=employee)
    client = Client(headers={"authorization": f"Bearer {token}", "accept-language": "en"})
    if method == "post":
        response = client.post(path, json.dumps(data), content_type="application/json")
    else:
        response = client.get(path, data)
    body = _is_error(response, 422, "invalid")
    assert response["Content-Language"] == "en"
    dutch = re.compile(r"\b(moet|ontbreekt|ongeldig|ten hoogste|ten minste|geen|bevat)\b")
    assert not dutch.search(body["detail"]), body["detail"]
    assert not ENGLISH_FRAMEWORK.search(body["detail"]), body["detail"]


def test_refusals_of_every_kind_follow_the_requested_language(employee):
    _, token = token_create(staff=employee)
    english = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    english_api = Client(headers={"accept-language": "en", "authorization": f"Bearer {token}"})
    assert english.get("/api/v1/complaints").json()["detail"].startswith("Log in or send")
    assert english.get("/api/v1/nope").json()["detail"].startswith("This address does not")
    assert english.delete("/api/v1/complaints").json()["detail"].startswith("Method DELETE")
    missing = english_api.get(f"{URL}/KG-2026-99999").json()
    assert missing["detail"] == "Complaint KG-2026-99999 not found."
    invalid = english_api.post(URL, "{nope", content_type="application/json").json()
    assert invalid["detail"] == "The request body is not valid JSON."


# --- A database that takes no writes (item 21) -------------------------------------------------


def test_a_refused_write_is_a_json_503_and_nothing_is_saved(api, manager):
    with time_machine.travel(NOW, tick=False):
        assert api.get("/api/v1/calendar/deadlines").status_code == 200  # token used once
        with writes_refused():
            response = api.post(URL, registration())
            # Reading that needs no write still works (R3: the deadlines).
            assert api.get("/api/v1/calendar/deadlines").status_code == 200
    body = _is_error(response, 503, "database_unavailable")
    assert body["detail"].startswith("Er is niets opgeslagen")
    assert response["Retry-After"] == "60"
    assert Complaint.objects.count() == 0
    assert CustomerFile.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


# --- A second take-up, as the README says (item 26) --------------------------------------------


def test_the_readme_shows_what_a_second_take_up_returns(employee, manager, make_staff):
    """R15: the README's example is the answer, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(
        r"```json\n(\{\"detail\": \"Deze melding is al opgepakt.*?)\n```", readme, re.S
    )
    assert documented, "the README shows the answer to a second take-up"
    report = complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report="Cursus of training: Excel\n\nWat is er misgegaan:\nGeen lesdag.",
        checklist=Checklist(),
        now=NOW,
    )
    complaint_take_up(complaint=report, actor=employee, now=later(hours=1))
    colleague = make_staff("sanne", "employee", first_name="Sanne", last_name="Visser")
    _, token = token_create(staff=colleague)
    response = ApiClient(token).post(f"{URL}/{report.reference}/take-up")
    assert response.status_code == 409
    assert response.json() == json.loads(documented.group(1))


# --- The OpenAPI document ----------------------------------------------------------------------


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_declares_401_503_and_422_with_its_errors_list(client, db):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert len(_operations(document)) >= 20
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "503"} <= responses.keys(), (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            ref = responses["422"]["content"]["application/json"]["schema"]["$ref"]
            schema = schemas[ref.rsplit("/", 1)[1]]
            assert "errors" in schema["properties"], (method, path)
            assert "errors" in schema.get("required", []), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method == "post":
            assert {"403", "413"} <= responses.keys() or "requestBody" not in operation


class EditIn(Schema):
    name: str


def test_an_endpoint_added_later_is_documented_without_doing_anything(db):
    """The pattern is generic: a new router's operation gets the same refusals."""
    router = Router()

    @router.post("/{reference}/edit")
    def edit(request: Any, reference: str, payload: EditIn) -> dict[str, str]:
        return {"name": payload.name}

    later_api = KlachtenAPI(urls_namespace="later-api")
    later_api.add_router("/things", router)
    document = later_api.get_openapi_schema(path_prefix="/later/")
    [(_, _, operation)] = _operations(document)
    assert {401, 403, 404, 413, 422, 503} <= set(operation["responses"])
    assert document_errors(document) is document  # applying it twice changes nothing


def test_the_api_object_is_the_documenting_kind():
    assert isinstance(api, KlachtenAPI)
