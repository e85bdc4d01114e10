"""The test OpenID Connect provider (#15 item 1) works as a relying party sees it: discovery,
sign-in, authorization code (with and without PKCE), token, a signed ID token, userinfo — over
plain HTTP, with nothing of the product involved. The single sign-on journeys in Chromium rely
on it; if it breaks, they fail here first with a clearer message."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import secrets
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from jwcrypto import jwk, jwt

from tests.oidc.server import (
    DEFAULT_USERS,
    PRODUCT_VARIABLES,
    SETTINGS_MODULE,
    OidcProvider,
    child_environment,
    oidc_provider,  # noqa: F401 - the fixture is used here
    oidc_redirect_uris,  # noqa: F401 - used by oidc_provider
    oidc_users,  # noqa: F401 - used by oidc_provider
)

ANNA, BRAM = DEFAULT_USERS  # a verified and an unverified e-mail address


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self) -> Any:
        return json.loads(self.body)


class UserAgent:
    """A browser in miniature: keeps the provider's cookies, follows no redirects."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        parts = urlsplit(url)
        assert parts.scheme == "http"
        connection = http.client.HTTPConnection(parts.netloc, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, target, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, url: str, **options: Any) -> Answer:
        return self.request("GET", url, **options)

    def post(self, url: str, form: dict[str, str], **options: Any) -> Answer:
        return self.request("POST", url, form=form, **options)


@dataclass
class Flow:
    """What a relying party has at the end of a sign-in: the code exchanged for tokens."""

    state: str
    nonce: str
    code: str
    verifier: str | None


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(
    provider: OidcProvider,
    *,
    state: str,
    nonce: str,
    challenge: str | None,
    redirect_uri: str | None = None,
) -> str:
    discovery = provider.discovery()
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri or provider.redirect_uris[0],
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
    }
    if challenge:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return f"{discovery['authorization_endpoint']}?{urlencode(query)}"


def sign_in(agent: UserAgent, provider: OidcProvider, user: dict[str, Any], next_url: str) -> None:
    """Fill in the provider's sign-in page as a person would."""
    page = agent.get(next_url)
    assert page.status == 302, page.body
    login_url = urljoin(next_url, page.location)
    assert login_url.startswith(provider.login_url)
    form = agent.get(login_url)
    html = form.body.decode()
    assert form.status == 200
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", html)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf
    back_to = parse_qs(urlsplit(login_url).query)["next"][0]
    signed_in = agent.post(
        provider.login_url,
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "username": user["username"],
            "password": user["password"],
            "next": back_to,
        },
        headers={"Referer": login_url},
    )
    assert signed_in.status == 302, signed_in.body.decode()
    assert urljoin(next_url, signed_in.location) == urljoin(next_url, back_to)


def authorization_code(provider: OidcProvider, user: dict[str, Any], *, pkce: bool) -> Flow:
    """Sign ``user`` in and get an authorization code at the registered redirect URI."""
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier, challenge = pkce_pair() if pkce else (None, None)
    url = authorize_url(provider, state=state, nonce=nonce, challenge=challenge)
    agent = UserAgent()
    sign_in(agent, provider, user, url)
    # Signed in, the browser goes back to /o/authorize/, which (no consent screen) sends it
    # on to the relying party's callback with a code.
    back = agent.get(url)
    assert back.status == 302, back.body.decode()
    callback = urlsplit(back.location)
    assert back.location.startswith(provider.redirect_uris[0]), back.location
    query = parse_qs(callback.query)
    assert query["state"] == [state]
    return Flow(state=state, nonce=nonce, code=query["code"][0], verifier=verifier)


def exchange(
    provider: OidcProvider,
    flow: Flow,
    *,
    verifier: str | None = None,
    basic: bool = False,
    client_secret: str | None = None,
) -> Answer:
    """The token request of a confidential client: the secret in the form
    (``client_secret_post``, as the product sends it) or as HTTP Basic (``client_secret_basic``).
    """
    form = {
        "grant_type": "authorization_code",
        "code": flow.code,
        "redirect_uri": provider.redirect_uris[0],
    }
    if verifier or flow.verifier:
        form["code_verifier"] = verifier or flow.verifier or ""
    secret = client_secret or provider.client_secret
    headers = {}
    if basic:
        credentials = base64.b64encode(f"{provider.client_id}:{secret}".encode())
        headers["Authorization"] = f"Basic {credentials.decode()}"
    else:
        form |= {"client_id": provider.client_id, "client_secret": secret}
    return UserAgent().post(provider.discovery()["token_endpoint"], form, headers=headers)


def verified_claims(provider: OidcProvider, id_token: str, nonce: str) -> dict[str, Any]:
    """The ID token's claims, its RS256 signature checked against the provider's JWKS."""
    keys = UserAgent().get(provider.discovery()["jwks_uri"])
    assert keys.status == 200
    key_set = jwk.JWKSet.from_json(keys.body)
    token = jwt.JWT(
        jwt=id_token,
        key=key_set,
        algs=["RS256"],
        check_claims={"iss": provider.issuer, "aud": provider.client_id, "exp": None},
    )
    header = json.loads(token.header)
    assert header["alg"] == "RS256"
    assert header["kid"] in {key["kid"] for key in json.loads(keys.body)["keys"]}
    claims: dict[str, Any] = json.loads(token.claims)
    assert claims["nonce"] == nonce
    return claims


def userinfo(provider: OidcProvider, access_token: str) -> dict[str, Any]:
    answer = UserAgent().get(
        provider.discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
    )
    assert answer.status == 200, answer.body
    claims: dict[str, Any] = answer.json()
    return claims


# --- The provider's environment -------------------------------------------------------------


def test_the_provider_never_sees_the_products_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its own settings module; none of the product's variables (its database, data dir,
    secret key) reach the provider's process."""
    for name in PRODUCT_VARIABLES:
        monkeypatch.setenv(name, "product")
    monkeypatch.setenv("KLACHTEN_DATA_DIR", "/srv/klachten")
    monkeypatch.setenv("KLACHTEN_MFA", "required")
    environment = child_environment(tmp_path, "http://127.0.0.1:1/o", "secret")
    assert environment["DJANGO_SETTINGS_MODULE"] == SETTINGS_MODULE
    assert environment["OIDC_PROVIDER_ROOT"] == str(tmp_path)
    leaked = {name for name, value in environment.items() if value == "product"}
    assert leaked == set()
    assert [name for name in environment if name.startswith("KLACHTEN_")] == []


# --- As a relying party sees it --------------------------------------------------------------


def test_discovery_names_the_issuer_its_endpoints_keys_and_claims(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    discovery = oidc_provider.discovery()
    assert discovery["issuer"] == oidc_provider.issuer
    assert oidc_provider.issuer == f"http://127.0.0.1:{oidc_provider.port}/o"
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert discovery[endpoint].startswith(oidc_provider.issuer + "/"), endpoint
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    assert {"sub", "email", "email_verified", "name", "given_name", "family_name"} <= set(
        discovery["claims_supported"]
    )
    keys = UserAgent().get(discovery["jwks_uri"]).json()["keys"]
    assert [(key["kty"], key["alg"], key["use"]) for key in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # the public half only


@pytest.mark.parametrize(
    ("pkce", "basic"),
    [(True, False), (False, True)],
    ids=["pkce-and-secret-in-form", "secret-as-basic-auth"],
)
def test_a_verified_user_signs_in_and_the_relying_party_gets_signed_claims(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
    pkce: bool,
    basic: bool,
) -> None:
    """As the product asks (PKCE, client_secret_post), and as other relying parties may."""
    flow = authorization_code(oidc_provider, dict(ANNA), pkce=pkce)
    tokens = exchange(oidc_provider, flow, basic=basic)
    assert tokens.status == 200, tokens.body
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    claims = verified_claims(oidc_provider, body["id_token"], flow.nonce)
    expected = {
        "email": "anna@kerngroep.nl",
        "email_verified": True,
        "name": "Anna de Boer",
        "given_name": "Anna",
        "family_name": "de Boer",
    }
    assert {name: claims[name] for name in expected} == expected
    assert claims["sub"]
    info = userinfo(oidc_provider, body["access_token"])
    assert info == {"sub": claims["sub"], **expected}


def test_an_unverified_address_comes_through_as_email_verified_false(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    flow = authorization_code(oidc_provider, dict(BRAM), pkce=True)
    body = exchange(oidc_provider, flow).json()
    claims = verified_claims(oidc_provider, body["id_token"], flow.nonce)
    assert (claims["email"], claims["email_verified"]) == ("bram@kerngroep.nl", False)
    info = userinfo(oidc_provider, body["access_token"])
    assert (info["email"], info["email_verified"]) == ("bram@kerngroep.nl", False)
    assert info["sub"] == claims["sub"]


def test_a_code_is_refused_with_the_wrong_pkce_verifier_and_works_only_once(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    flow = authorization_code(oidc_provider, dict(ANNA), pkce=True)
    wrong = exchange(oidc_provider, flow, verifier=pkce_pair()[0])
    assert wrong.status == 400
    assert wrong.json()["error"] == "invalid_grant"
    flow = authorization_code(oidc_provider, dict(ANNA), pkce=True)
    assert exchange(oidc_provider, flow).status == 200
    again = exchange(oidc_provider, flow)
    assert again.status == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_gets_no_tokens(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    flow = authorization_code(oidc_provider, dict(ANNA), pkce=True)
    answer = exchange(oidc_provider, flow, client_secret="geraden")
    assert answer.status == 401
    assert answer.json()["error"] == "invalid_client"


def test_a_wrong_password_does_not_sign_in(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    agent = UserAgent()
    form = agent.get(oidc_provider.login_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body.decode())
    assert csrf
    answer = agent.post(
        oidc_provider.login_url,
        {"csrfmiddlewaretoken": csrf.group(1), "username": "anna", "password": "geraden"},
        headers={"Referer": oidc_provider.login_url},
    )
    assert answer.status == 200
    assert "Wrong username or password" in answer.body.decode()


def test_redirect_uris_and_users_can_change_while_the_provider_runs(
    oidc_provider: OidcProvider,  # noqa: F811 - the fixture
) -> None:
    """What a journey needs when it learns the product's callback only after the start; and
    a user whose address becomes verified."""
    original = list(oidc_provider.redirect_uris)
    callback = f"http://127.0.0.1:{oidc_provider.port + 1}/accounts/oidc/test/login/callback/"
    url = authorize_url(oidc_provider, state="s", nonce="n", challenge=None, redirect_uri=callback)
    agent = UserAgent()
    sign_in(agent, oidc_provider, dict(ANNA), url)
    refused = agent.get(url)
    assert refused.status == 400  # an unregistered redirect URI is never redirected to
    try:
        oidc_provider.set_redirect_uris([callback])
        accepted = agent.get(url)
        assert accepted.status == 302
        assert accepted.location.startswith(callback + "?code=")

        oidc_provider.add_users([{**BRAM, "email_verified": True, "first_name": "Bram J."}])
        flow = authorization_code(oidc_provider, dict(BRAM), pkce=True)
        body = exchange(oidc_provider, flow).json()
        claims = verified_claims(oidc_provider, body["id_token"], flow.nonce)
        assert (claims["email_verified"], claims["given_name"]) == (True, "Bram J.")
    finally:
        oidc_provider.add_users([BRAM])
        oidc_provider.set_redirect_uris(original)
