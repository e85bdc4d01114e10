"""How staff sign in (#15, items 1 and 2), read from the environment.

Imported at the end of ``settings.py``, after ``security.py``: what is set here adds to what
is there.

- **Single sign-on** with any OpenID Connect provider (Microsoft Entra ID, Google Workspace, …)
  through django-allauth's ``openid_connect`` provider, when ``KLACHTEN_OIDC_ISSUER``,
  ``KLACHTEN_OIDC_CLIENT_ID`` and ``KLACHTEN_OIDC_CLIENT_SECRET`` are set. A provider login
  maps to an existing staff member by verified e-mail address; nobody gets an account or a role
  by signing in (``klachten.accounts.adapters``). ``KLACHTEN_PASSWORD_LOGIN=false`` switches
  password login off while SSO is on.
- **Two-factor login** for password sign-in (django-allauth's ``mfa``): an authenticator app
  (TOTP), passkeys and security keys (WebAuthn), and recovery codes. ``KLACHTEN_MFA`` says who
  must have one: ``management`` (the default: management and admins), ``required`` (everyone)
  or ``optional``.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from klachten.config import settings as _settings_module
from klachten.config.env import env_bool

_base: dict[str, Any] = vars(_settings_module)

INSTALLED_APPS = [
    *_base["INSTALLED_APPS"],
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # Its second-factor pages say "3 days ago" with Django's humanize tags.
    "django.contrib.humanize",
]
# After authentication: allauth keeps its login stages (the second factor) in the session.
_at = _base["MIDDLEWARE"].index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
_limits = _base["MIDDLEWARE"].index("klachten.accounts.middleware.SessionLimitsMiddleware") + 1
MIDDLEWARE = [
    *_base["MIDDLEWARE"][:_at],
    "allauth.account.middleware.AccountMiddleware",
    *_base["MIDDLEWARE"][_at:_limits],
    # After the session limits (and messages): a password sign-in of someone who must have a
    # second factor and has none goes to setting one up first (KLACHTEN_MFA).
    "klachten.accounts.middleware.SecondFactorRequiredMiddleware",
    *_base["MIDDLEWARE"][_limits:],
]

# --- Accounts: ours, not allauth's ----------------------------------------------------------

# Accounts are made by admins (Instellingen, `klachten createstaff`); the login page and the
# password pages are the product's own (klachten.accounts.views), allauth adds the second
# factor and the provider login to them.
ACCOUNT_ADAPTER = "klachten.accounts.adapters.StaffAccountAdapter"
SOCIALACCOUNT_ADAPTER = "klachten.accounts.adapters.StaffSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_LOGOUT_ON_GET = False
# Failed passwords are throttled by django-axes (settings.py): the password is checked by
# Django's form, which allauth's counters never see. allauth's own "login_failed" limits are
# kept: they are what stops guessing second-factor codes (5 per account per 5 minutes).
# Adding or removing a second factor asks for the password (or a factor) again after this long.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60

# --- Single sign-on (OpenID Connect) --------------------------------------------------------

OIDC_PROVIDER_ID = "sso"
_issuer = os.environ.get("KLACHTEN_OIDC_ISSUER", "").strip().rstrip("/")
_client_id = os.environ.get("KLACHTEN_OIDC_CLIENT_ID", "").strip()
_client_secret = os.environ.get("KLACHTEN_OIDC_CLIENT_SECRET", "").strip()
SSO_ENABLED = bool(_issuer and _client_id and _client_secret)
# The button's text: "Inloggen met <name>".
SSO_NAME = os.environ.get("KLACHTEN_OIDC_NAME", "").strip() or "Microsoft 365"
# Password login can only be switched off when there is another way in.
PASSWORD_LOGIN_ENABLED = not SSO_ENABLED or env_bool("KLACHTEN_PASSWORD_LOGIN", default=True)

SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": SSO_NAME,
                "client_id": _client_id,
                "secret": _client_secret,
                "settings": {
                    "server_url": _issuer,
                    "token_auth_method": "client_secret_post",
                    # PKCE as well as the client secret (RFC 9700).
                    "oauth_pkce_enabled": True,
                },
            }
        ]
        if SSO_ENABLED
        else [],
        "SCOPE": ["openid", "profile", "email"],
    }
}
# Only the provider's verified addresses say who someone is (adapters.py checks again).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
# No tokens or profile data of the provider are kept beyond the link itself.
SOCIALACCOUNT_QUERY_EMAIL = True

if SSO_ENABLED:
    # The login button posts to this site, which sends the browser on to the provider: the
    # Content Security Policy must let a form's redirect go there.
    _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_issuer))
    CONTENT_SECURITY_POLICY = {
        **_base["CONTENT_SECURITY_POLICY"],
        "DIRECTIVES": {
            **_base["CONTENT_SECURITY_POLICY"]["DIRECTIVES"],
            "form-action": [
                *_base["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"],
                _origin,
            ],
        },
    }

# --- Two-factor login -----------------------------------------------------------------------

_mfa = os.environ.get("KLACHTEN_MFA", "management").strip().lower() or "management"
if _mfa not in {"management", "required", "optional"}:
    # Settings load before any translation catalogue: the one line is Dutch itself.
    raise ValueError(f"KLACHTEN_MFA moet management, required of optional zijn, niet {_mfa!r}")
KLACHTEN_MFA = _mfa
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Kerngroep Klachten"
# The code before and after the current one are accepted too (RFC 6238, 5.2): typing takes
# time and phones' clocks drift. A code is accepted once (allauth marks it used in the cache).
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
MFA_TRUST_ENABLED = False
# Passkeys as the second factor after the password; signing in with a passkey alone is not
# offered (the password, or the provider, stays the first factor).
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# Browsers allow WebAuthn on http://localhost and http://127.0.0.1 only; over HTTPS always.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not _base.get("SECURE_SSL_REDIRECT", False)
MFA_ADAPTER = "klachten.accounts.adapters.StaffMfaAdapter"
