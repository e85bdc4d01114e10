"""Settings of the test OpenID Connect provider (#15 item 1), a Django site of its own.

Nothing here comes from the product (``klachten.config.settings``): ``server.py`` starts this
site with an environment of its own, in which only these variables count:

- ``OIDC_PROVIDER_ROOT``: the directory with the SQLite database and ``signing-key.pem``, the
  RSA key (RS256) that ``server.py`` generates for every start;
- ``OIDC_PROVIDER_ISSUER``: the issuer, ``http://127.0.0.1:<port>/o``;
- ``OIDC_PROVIDER_SECRET_KEY``: Django's secret key, random per start.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: start the provider with tests/oidc/server.py"
        )
    return value


ROOT = Path(_required("OIDC_PROVIDER_ROOT"))
ISSUER = _required("OIDC_PROVIDER_ISSUER").rstrip("/")
SECRET_KEY = _required("OIDC_PROVIDER_SECRET_KEY")

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.oidc",  # the login template and the oidc_provision command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "tests.oidc.provider_urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ROOT / "provider.sqlite3",
        # The web process and a provisioning command may write at the same moment.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The product runs on the same host (127.0.0.1) on another port, and browsers do not keep
# cookies apart by port: with Django's default names the provider's session and CSRF cookies
# would overwrite the product's own.
SESSION_COOKIE_NAME = "oidc_provider_session"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Test users only; a real hash would cost a third of a second per login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": (ROOT / "signing-key.pem").read_text(),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc.validators.ClaimsValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Name",
        "email": "E-mail address",
    },
    "DEFAULT_SCOPES": ["openid"],
    # PKCE is allowed (and checked when sent), not required: a confidential client such as the
    # product may leave it out, as Entra ID allows.
    "PKCE_REQUIRED": False,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Tracebacks go to the server's log (``OidcProvider.log()``), also without DEBUG.
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
