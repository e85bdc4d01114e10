"""Signing in as the institute's IT department sets it up (#15, items 1 and 2), in Chromium.

- A manager signs in with a password, must set up an authenticator app first (codes computed
  here by RFC 6238), and from then on needs a code after the password.
- A manager adds a passkey (Chromium's virtual authenticator) and signs in with it.
- Staff sign in with the organisation's OpenID Connect provider: a real provider site started
  by the test (tests/oidc), matched to their account by verified e-mail address; an address the
  provider does not vouch for, or that no staff member has, gets no one in.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from klachten.accounts.models import SecurityAction, SecurityEvent, Staff
from tests.accounts.test_second_factor import totp
from tests.conftest import PASSWORD
from tests.oidc.server import OidcProvider, oidc_provider, oidc_users  # noqa: F401


@pytest.fixture
def mfa_default(settings: Any) -> None:
    settings.KLACHTEN_MFA = "management"


def _password_login(page: Any, username: str) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def _log_out(page: Any) -> None:
    page.goto("/")
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="Inloggen").wait_for()


@pytest.mark.usefixtures("mfa_default")
def test_a_manager_sets_up_an_authenticator_app_and_then_needs_its_code(
    page: Any, manager: Staff
) -> None:
    from playwright.sync_api import expect

    _password_login(page, "marco")
    # Straight to setting up a second factor: nothing else opens before it.
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(
        page.get_by_text("Voor uw rol is een tweede stap bij het inloggen verplicht")
    ).to_be_visible()
    page.goto("/meldingen/")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))

    page.goto("/account/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp(secret))
    page.get_by_role("button", name="Activeer").click()
    # The first factor made: the recovery codes are offered, and the start page opens.
    page.goto("/")
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    _log_out(page)

    _password_login(page, "marco")
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    page.locator("#id_code").fill("123456" if totp(secret) != "123456" else "654321")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    page.locator("#id_code").fill(totp(secret))
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()

    actions = list(SecurityEvent.objects.filter(username="marco").values_list("action", flat=True))
    assert SecurityAction.MFA_ADDED in actions
    assert SecurityAction.MFA_FAILED in actions


@pytest.mark.usefixtures("mfa_default")
def test_a_manager_signs_in_with_a_passkey(page: Any, manager: Staff) -> None:
    from playwright.sync_api import expect

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    _password_login(page, "marco")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    page.goto("/account/2fa/webauthn/add/")
    page.locator("#id_name").fill("Laptop van Marco")
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    page.goto("/")
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    _log_out(page)

    _password_login(page, "marco")
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    page.locator("#mfa_webauthn_authenticate").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    login = SecurityEvent.objects.filter(username="marco", action=SecurityAction.LOGIN).last()
    assert login is not None
    assert login.detail["methods"] == ["password", "mfa"]


@pytest.fixture(scope="module")
def oidc_redirect_uris(live_server: Any) -> list[str]:
    return [f"{live_server.url}/account/oidc/sso/login/callback/"]


@pytest.fixture
def sso(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:  # noqa: F811
    """The product configured as KLACHTEN_OIDC_* would configure it, for this provider."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": settings.OIDC_PROVIDER_ID,
                    "name": "Kerngroep-account",
                    "client_id": oidc_provider.client_id,
                    "secret": oidc_provider.client_secret,
                    "settings": {
                        "server_url": oidc_provider.issuer,
                        "token_auth_method": "client_secret_post",
                        "oauth_pkce_enabled": True,
                    },
                }
            ],
        }
    }
    settings.SSO_ENABLED = True
    settings.SSO_NAME = "Kerngroep-account"
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **directives,
            "form-action": [*directives["form-action"], f"http://127.0.0.1:{oidc_provider.port}"],
        },
    }
    # Single sign-on is not asked for a second factor: the provider has its own.
    settings.KLACHTEN_MFA = "required"
    return oidc_provider


def _sso_login(page: Any, username: str, password: str) -> None:
    page.context.clear_cookies()  # signed out at the provider too
    page.goto("/inloggen/")
    page.get_by_role("button", name="Inloggen met Kerngroep-account").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_staff_sign_in_with_the_organisations_provider(
    page: Any, sso: OidcProvider, make_staff: Any
) -> None:
    from playwright.sync_api import expect

    make_staff("anna", "employee", first_name="Anna", email="Anna@Kerngroep.nl")
    make_staff("bram", "management", first_name="Bram", email="bram@kerngroep.nl")

    _sso_login(page, "anna", "Anna-idp-2026!")
    page.get_by_role("heading", name="Goedendag, Anna").wait_for()
    login = SecurityEvent.objects.filter(username="anna", action=SecurityAction.LOGIN).last()
    assert login is not None
    assert login.detail["methods"] == ["socialaccount"]
    assert SecurityEvent.objects.filter(action=SecurityAction.SSO_LINKED, username="anna").exists()
    _log_out(page)

    # The provider does not vouch for bram's address: no one is signed in.
    _sso_login(page, "bram", "Bram-idp-2026!")
    expect(page).to_have_url(re.compile(r"/inloggen/$"))
    expect(page.get_by_text("Uw organisatie gaf geen bevestigd e-mailadres door")).to_be_visible()
    page.goto("/meldingen/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))

    # A verified address that no staff member has: no account is made.
    sso.add_users(
        [
            {
                "username": "carla",
                "password": "Carla-idp-2026!",
                "email": "carla@kerngroep.nl",
                "email_verified": True,
            }
        ]
    )
    _sso_login(page, "carla", "Carla-idp-2026!")
    expect(page.get_by_text("Er is geen medewerker met dit e-mailadres")).to_be_visible()
    assert not Staff.objects.filter(email__iexact="carla@kerngroep.nl").exists()
    refused = SecurityEvent.objects.filter(action=SecurityAction.SSO_REFUSED)
    assert {event.detail["reason"] for event in refused} == {"unverified", "unknown"}
