"""Two-factor login for password sign-in (#15, item 2) and who may sign in by SSO (item 1).

Codes are computed here by RFC 6238 from the secret the activation page shows, independently
of the library that checks them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from klachten.accounts.adapters import verified_addresses
from klachten.accounts.models import SecurityAction, SecurityEvent, Staff
from tests.conftest import PASSWORD


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as authenticator apps compute it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _password_login(client: Client, username: str) -> str:
    response = client.post("/inloggen/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def _activate_totp(client: Client) -> str:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the library logs after commit
        return _activate_totp_now(client)


def _activate_totp_now(client: Client) -> str:
    page = client.get("/account/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    if secret is None:
        secret = re.search(r'value="([A-Z2-7]{16,})"', page.content.decode())
    assert secret, page.content.decode()
    response = client.post("/account/2fa/totp/activate/", {"code": totp(secret.group(1))})
    assert response.status_code == 302, response.content.decode()[:3000]
    return secret.group(1)


def _actions(username: str) -> list[str]:
    return list(
        SecurityEvent.objects.filter(username=username)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def mfa_default(settings) -> None:
    settings.KLACHTEN_MFA = "management"


@pytest.mark.usefixtures("mfa_default")
def test_management_must_set_up_a_second_factor_before_anything_else(manager: Staff) -> None:
    client = Client()
    assert _password_login(client, "marco") == "/"

    start = client.get("/")
    assert start.status_code == 302
    assert start["Location"] == "/account/2fa/"
    assert client.get("/meldingen/").status_code == 302
    # The setting-up pages themselves, and logging out, stay open.
    assert client.get("/account/2fa/").status_code == 200
    assert client.get("/account/2fa/totp/activate/").status_code == 200

    _activate_totp(client)

    assert client.get("/").status_code == 200
    assert SecurityAction.MFA_ADDED in _actions("marco")


@pytest.mark.usefixtures("mfa_default")
def test_an_employee_may_sign_in_with_the_password_alone_by_default(employee: Staff) -> None:
    client = Client()
    _password_login(client, "petra")
    assert client.get("/").status_code == 200


def test_required_for_everyone_when_the_setting_says_so(settings, employee: Staff) -> None:
    settings.KLACHTEN_MFA = "required"
    client = Client()
    _password_login(client, "petra")
    assert client.get("/")["Location"] == "/account/2fa/"


@pytest.mark.usefixtures("mfa_default")
def test_with_an_authenticator_app_the_password_alone_does_not_sign_in(manager: Staff) -> None:
    setup = Client()
    _password_login(setup, "marco")
    secret = _activate_totp(setup)

    client = Client()
    assert _password_login(client, "marco") == "/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/meldingen/")["Location"].startswith("/inloggen/")

    wrong = client.post("/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert SecurityAction.MFA_FAILED in _actions("marco")

    # Half a minute on: the app shows the next code (the one used to activate is spent).
    with time_machine.travel(time.time() + 31):
        right = client.post("/account/2fa/authenticate/", {"code": totp(secret)})
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert client.get("/").status_code == 200
    login = SecurityEvent.objects.filter(username="marco", action=SecurityAction.LOGIN).last()
    assert login is not None
    assert login.detail["methods"] == ["password", "mfa"]


@pytest.mark.usefixtures("mfa_default")
def test_guessing_codes_is_stopped_after_five(manager: Staff) -> None:
    """A six-digit code is not guessed: after five wrong ones even the right one is refused
    for a while (allauth's limit per account, in the shared cache)."""
    setup = Client()
    _password_login(setup, "marco")
    secret = _activate_totp(setup)

    client = Client()
    _password_login(client, "marco")
    wrong = "000000" if totp(secret) != "000000" else "111111"
    for _ in range(5):
        assert client.post("/account/2fa/authenticate/", {"code": wrong}).status_code == 200
    refused = client.post("/account/2fa/authenticate/", {"code": totp(secret)})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("mfa_default")
def test_a_recovery_code_signs_in_once(manager: Staff) -> None:
    setup = Client()
    _password_login(setup, "marco")
    _activate_totp(setup)
    page = setup.get("/account/2fa/recovery-codes/").content.decode()
    codes = re.findall(r"\b[0-9a-f]{8}\b", page)
    assert len(codes) >= 10, page

    client = Client()
    _password_login(client, "marco")
    assert client.post("/account/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200

    again = Client()
    _password_login(again, "marco")
    assert again.post("/account/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_allauth_pages_not_in_use_are_not_there(client: Client, employee: Staff) -> None:
    for path in ("/account/signup/", "/account/email/", "/account/password/change/"):
        assert client.get(path).status_code == 404
    assert client.get("/account/login/?next=/meldingen/")["Location"] == (
        "/inloggen/?next=/meldingen/"
    )


def test_the_provider_must_vouch_for_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    assert verified_addresses({"email": "Anna@Kerngroep.nl", "email_verified": True}) == [
        "anna@kerngroep.nl"
    ]
    assert verified_addresses({"email": "anna@kerngroep.nl", "email_verified": "true"}) == [
        "anna@kerngroep.nl"
    ]
    assert verified_addresses({"email": "anna@kerngroep.nl", "email_verified": False}) == []
    assert verified_addresses({"email": "anna@kerngroep.nl"}) == []
    assert verified_addresses({"email_verified": True}) == []
    # Entra ID: the tenant's own verified domains, or its xms_edov claim.
    assert verified_addresses({"email": "anna@kerngroep.nl", "xms_edov": True}) == [
        "anna@kerngroep.nl"
    ]
    monkeypatch.setenv("KLACHTEN_OIDC_VERIFIED_DOMAINS", "kerngroep.nl, @kerngroep.be")
    assert verified_addresses({"email": "anna@kerngroep.nl"}) == ["anna@kerngroep.nl"]
    assert verified_addresses({"email": "jan@kerngroep.be"}) == ["jan@kerngroep.be"]
    assert verified_addresses({"email": "anna@kerngroep.nl.evil.example"}) == []


@override_settings(PASSWORD_LOGIN_ENABLED=False, SSO_ENABLED=True, SSO_NAME="Microsoft 365")
def test_password_login_switched_off_when_sso_is_on(employee: Staff) -> None:
    client = Client()
    page = client.get("/inloggen/").content.decode()
    assert "Inloggen met Microsoft 365" in page
    assert 'name="password"' not in page

    response = client.post("/inloggen/", {"username": "petra", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/wachtwoord/vergeten/").status_code == 302
    assert not SecurityEvent.objects.filter(
        action=SecurityAction.LOGIN, at__gte=timezone.now().replace(year=2000)
    ).exists()
