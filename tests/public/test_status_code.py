"""``/status/``: the short code from a letter opens the customer's status page (issue #10, 12).

The code is forgiving to type, wrong codes count towards a rate limit per client address like
the public form (apart from its reports), and the code ends with the status link: renewed or
erased, it no longer opens anything. Only a digest of it is stored (R2).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import STATUS_LINK_ERASED, Complaint
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import Checklist, complaint_register, complaint_status_link_renew
from klachten.domain.status_code import code_for, grouped
from klachten.privacy.retention import customer_erase
from tests.complaints.conftest import customer_data
from tests.public.conftest import FORM, NOW, page_text, r13_words


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def complaint(employee, manager) -> Complaint:
    return complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=NOW,
        channel="phone",
        report="Lesdag vervallen.",
        checklist=Checklist(),
        now=NOW,
    )


def _code(complaint: Complaint) -> str:
    return grouped(code_for(status_token_for(complaint)))


def _try(client: Client, code: str):
    return client.post("/status/", {"code": code})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_code_page_asks_for_the_code_in_plain_words(db, language):
    response = Client().get("/status/", headers={"Accept-Language": language})
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert r13_words(text) == []
    assert 'name="code"' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: " ".join(code.replace("-", "")),
        lambda code: code.replace("1", "I").replace("0", "o"),
    ],
)
def test_the_code_opens_the_status_page_however_it_is_typed(complaint, typed):
    response = _try(Client(), typed(_code(complaint)))
    assert response.status_code == 302
    assert response["Location"] == f"/status/{status_token_for(complaint)}/"
    page = Client().get(response["Location"])
    assert page.status_code == 200


def test_only_a_digest_of_the_code_is_stored(complaint):
    code = code_for(status_token_for(complaint))
    stored = Complaint.objects.filter(pk=complaint.pk).values().get()
    assert stored["status_code_digest"]
    assert not any(code in str(value) for value in stored.values())


def test_an_unknown_code_is_explained_and_kept(complaint):
    response = _try(Client(), "AAAAA-BBBBB")
    assert response.status_code == 422
    text = page_text(response.content.decode())
    assert "Deze code kennen we niet" in text
    assert r13_words(text) == []
    assert 'value="AAAAA-BBBBB"' in response.content.decode()


def test_wrong_codes_are_limited_per_address_like_the_form(complaint, settings):
    """After as many wrong codes as the form takes reports, even the right code waits; another
    address is not held up, and the public form counts its reports apart."""
    settings.PUBLIC_RATE_LIMITS = ((3600, 3), (86400, 5))
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(3):
        assert _try(guesser, f"AAAAA-BBBB{attempt}").status_code == 422
    refused = _try(guesser, _code(complaint))
    assert refused.status_code == 429
    assert "te vaak een onbekende code" in page_text(refused.content.decode())
    assert _try(Client(REMOTE_ADDR="203.0.113.10"), _code(complaint)).status_code == 302
    assert guesser.post("/melding/", {**FORM}).status_code == 302
    with time_machine.travel(NOW.replace(hour=11, minute=1), tick=False):
        assert _try(guesser, _code(complaint)).status_code == 302


def test_a_right_code_never_counts_against_the_customer(complaint, settings):
    settings.PUBLIC_RATE_LIMITS = ((3600, 2),)
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _ in range(5):
        assert _try(client, _code(complaint)).status_code == 302


def test_a_renewed_link_takes_its_code_along(complaint, employee):
    old = _code(complaint)
    renewed = complaint_status_link_renew(complaint=complaint, actor=employee, send=False, now=NOW)
    assert _try(Client(), old).status_code == 422
    response = _try(Client(), _code(renewed))
    assert response["Location"] == f"/status/{status_token_for(renewed)}/"


def test_an_erased_case_has_no_code_any_more(complaint, manager):
    """R5: erasing the customer's data ends the link and its code, and keeps no digest."""
    code = _code(complaint)
    Complaint.objects.filter(pk=complaint.pk).update(status="closed", closed_at=NOW)
    customer_erase(
        customer=complaint.customer, actor=manager, now=NOW + timedelta(days=400)
    )  # R5: at least a year after closing
    complaint.refresh_from_db()
    assert {name: getattr(complaint, name) for name in STATUS_LINK_ERASED} == STATUS_LINK_ERASED
    assert _try(Client(), code).status_code == 422


def test_the_page_for_a_dead_link_points_to_the_code_form(db):
    response = Client().get("/status/ongeldige-link-ongeldige-link/")
    assert response.status_code == 404
    assert 'href="/status/"' in response.content.decode()
