"""Styled pages for "not found" and "something went wrong" (issue #10, item 17).

As in production: ``DEBUG`` is off (Django's test runner turns it off) and the test client
returns the 500 page instead of raising. Both pages sit inside the product's layout, in Dutch
or English, with no word of R13 (customers see them too). The 500 page needs no database and
no user, so it appears when the database is what failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from klachten.ops.error_pages import page_not_found, server_error
from tests.complaints.conftest import NOW, complaint  # noqa: F401 - a fixture used here
from tests.db_faults import writes_refused
from tests.public.conftest import page_text, r13_words


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect Dutch."""
    yield
    translation.deactivate()


def _client(language: str = "nl") -> Client:
    return Client(raise_request_exception=False, headers={"accept-language": language})


def _in_the_layout(html: str) -> None:
    assert "klachten/klachten.css" in html
    assert 'class="skip-link"' in html
    assert '<nav aria-label="' in html
    assert '<main id="inhoud"' in html


def test_debug_is_off_as_in_production():
    assert settings.DEBUG is False


@pytest.mark.parametrize(
    ("language", "title", "way_back"),
    [
        ("nl", "Deze pagina bestaat niet", "Iets laten weten over een cursus of training"),
        ("en", "This page does not exist", "Let us know about a course or training"),
    ],
)
def test_an_unknown_page_is_a_calm_404_in_the_layout(db, language, title, way_back):
    response = _client(language).get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    _in_the_layout(html)
    assert f'<html lang="{language}">' in html
    assert title in html
    assert way_back in html
    assert 'href="/melding/"' in html
    assert "<strong>Kerngroep</strong>" in html  # the organisation's name, as on /melding/
    assert r13_words(page_text(html)) == []


def test_staff_get_their_own_way_back(client, employee):
    client.force_login(employee)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Naar mijn meldingen" in html
    assert "<strong>Kerngroep</strong> Klachten" in html  # the staff layout, logged in
    assert "Uitloggen" in html


def test_the_status_page_keeps_its_own_calm_page_for_an_unknown_link(db):
    """R2: an unknown or revoked status link says nothing about why, on its own page."""
    response = _client().get("/status/dit-is-geen-geldige-link/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet (meer)" in html
    assert "Iets laten weten over een cursus of training" not in html


@pytest.mark.parametrize(
    ("language", "title"), [("nl", "Er ging iets mis"), ("en", "Something went wrong")]
)
def test_a_failure_is_a_styled_500_page(complaint, employee, language, title):  # noqa: F811
    """A real failure: with the database taking no writes, opening a complaint (whose every
    read is logged, R2) fails — the 500 page appears in the layout and the language."""
    client = _client(language)
    client.force_login(employee)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False), writes_refused():
        response = client.get(f"/meldingen/{complaint.reference}/")
    assert response.status_code == 500
    html = response.content.decode()
    _in_the_layout(html)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert r13_words(page_text(html)) == []
    assert "Traceback" not in html
    # Rendered without the request: no user, no language form that would need a CSRF token.
    assert "Uitloggen" not in html
    assert 'name="language"' not in html


def test_the_500_page_needs_no_database_and_no_user(django_assert_num_queries, db):
    request = RequestFactory().get("/meldingen/")
    assert not hasattr(request, "user")
    with django_assert_num_queries(0), translation.override("nl"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_under_api_both_pages_are_json(db):
    request = RequestFactory().get("/api/v1/iets")
    assert server_error(request).status_code == 500
    assert server_error(request)["Content-Type"] == "application/json"
    assert page_not_found(request, None)["Content-Type"] == "application/json"
