"""The first run (issue #10): while an installation has no staff, ``klachten serve`` prints a
one-time link to a page that creates the first account — a manager who gets every alert, so
with an e-mail address (R3) — or fills in the demo data, and logs the newcomer in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from klachten.accounts.models import Role, Staff
from klachten.ops.models import SetupToken
from klachten.ops.services import setup_link_create

ACCOUNT = {
    "keuze": "account",
    "first_name": "Marieke",
    "last_name": "de Boer",
    "email": "marieke@kerngroep.nl",
    "username": "marieke",
    "password1": "Klachten-inrichten-2026",
    "password2": "Klachten-inrichten-2026",
}


@pytest.fixture
def token(db: None) -> str:
    made = setup_link_create(now=timezone.now())
    assert made is not None
    return made


def _url(token: str) -> str:
    return f"/inrichten/{token}/"


def test_the_link_opens_the_setup_page_with_both_choices(client: Client, token: str) -> None:
    response = client.get(_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kerngroep Klachten inrichten" in html
    assert 'value="account"' in html
    assert 'value="demo"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_only_a_keyed_digest_of_the_token_is_stored(token: str) -> None:
    [stored] = SetupToken.objects.all()
    assert token not in stored.digest
    assert len(stored.digest) == 64


def test_the_first_account_is_a_manager_with_email_and_is_logged_in(
    client: Client, token: str
) -> None:
    """R3: the first account is alerted of every complaint, so it has an e-mail address."""
    response = client.post(_url(token), ACCOUNT, follow=True)

    staff = Staff.objects.get()
    assert staff.username == "marieke"
    assert staff.email == "marieke@kerngroep.nl"
    assert staff.role == Role.ADMIN
    assert staff.is_management
    assert staff.check_password(ACCOUNT["password1"])
    html = response.content.decode()
    assert "Goedendag, Marieke" in html  # the start page, logged in
    assert "Uitloggen" in html


def test_the_link_works_once(client: Client, token: str) -> None:
    client.post(_url(token), ACCOUNT)
    other = Client()
    response = other.get(_url(token))
    assert response.status_code == 404
    assert "Deze link werkt niet meer" in response.content.decode()
    response = other.post(_url(token), {**ACCOUNT, "username": "indringer"})
    assert response.status_code == 404
    response = other.post(_url(token), {"keuze": "demo"})
    assert response.status_code == 404
    assert list(Staff.objects.values_list("username", flat=True)) == ["marieke"]
    assert not SetupToken.objects.exists()


def test_the_link_is_dead_once_staff_exist(client: Client, token: str, employee: Any) -> None:
    """An account made otherwise (``klachten createstaff``) ends the link as well."""
    assert client.get(_url(token)).status_code == 404
    assert setup_link_create(now=timezone.now()) is None


def test_a_made_up_token_is_not_found(client: Client, token: str) -> None:
    response = client.get(_url(token[:-2] + "xx"))
    assert response.status_code == 404
    assert "Deze link werkt niet meer" in response.content.decode()


def test_every_error_shows_at_once_and_what_was_typed_stays(client: Client, token: str) -> None:
    """R3: no account without an e-mail address; every finding in one summary."""
    response = client.post(
        _url(token),
        {**ACCOUNT, "email": "", "first_name": "", "password2": "iets-anders-2026"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="foutmeldingen"' in html
    assert "Vul een e-mailadres in" in html
    assert "Vul uw voornaam in." in html
    assert "De twee wachtwoorden zijn niet gelijk." in html
    assert 'value="marieke"' in html  # the user name is kept
    assert 'value="de Boer"' in html
    assert not Staff.objects.exists()
    # The link still works after a refused attempt.
    assert client.get(_url(token)).status_code == 200


def test_a_weak_password_is_refused_with_the_reason(client: Client, token: str) -> None:
    weak = {"password1": "12345678", "password2": "12345678"}
    response = client.post(_url(token), {**ACCOUNT, **weak})
    html = response.content.decode()
    assert "Dit wachtwoord is te algemeen." in html
    assert "Dit wachtwoord bevat alleen cijfers." in html
    assert not Staff.objects.exists()


def test_the_demo_fills_the_installation_and_logs_in_a_manager(
    client: Client, token: str, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    response = client.post(_url(token), {"keuze": "demo"}, follow=True)

    assert Staff.objects.filter(role=Role.MANAGEMENT).count() == 2
    html = response.content.decode()
    assert "De demogegevens staan klaar" in html
    assert "Goedendag, Marco" in html
    message = next(str(m) for m in response.context["messages"])
    password = message.rsplit("wachtwoord ", 1)[1].split(" ")[0]
    assert Client().login(username="petra", password=password)
    assert client.get(_url(token)).status_code == 404


def test_the_login_page_says_where_the_first_account_comes_from(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    assert "Deze installatie heeft nog geen accounts" in html


def test_the_login_page_keeps_quiet_once_there_is_staff(client: Client, employee: Any) -> None:
    html = client.get("/").content.decode()
    assert "nog geen accounts" not in html


def test_the_setup_page_speaks_english_on_request(client: Client, token: str) -> None:
    with translation.override("nl"):  # the request's English does not outlive the test
        html = client.get(_url(token), headers={"Accept-Language": "en"}).content.decode()
    assert "Set up Kerngroep Klachten" in html
    assert "Create the account and log in" in html
