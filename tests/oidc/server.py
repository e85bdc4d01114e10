"""A real OpenID Connect provider for the tests (#15 item 1): a small Django site on
django-oauth-toolkit (``provider_settings.py``), served by gunicorn as a process of its own.

Each start gets a fresh directory with a SQLite database, a new RSA signing key (RS256) and a
port of this test process's own (tests/ports.py). The site runs with an environment of its own:
the product's settings (``DJANGO_SETTINGS_MODULE``, ``KLACHTEN_*``, ``DATABASE_URL``, …) are
removed, so it never reads the product's configuration or database.

- Issuer ``http://127.0.0.1:<port>/o``, discovery at ``<issuer>/.well-known/openid-configuration``.
- Authorization-code flow, PKCE (S256) allowed and checked when sent, no consent screen.
- Claims ``sub``, ``email``, ``email_verified``, ``name``, ``given_name``, ``family_name``, in
  the ID token and from userinfo (scopes ``openid email profile``).
- A sign-in page with the fields ``#id_username`` and ``#id_password`` and a "Sign in" button.

Use the ``oidc_provider`` fixture (import it, and the fixtures it uses, into a test module, as
with ``tests/mail/dovecot.py``), or :func:`running_oidc_provider` as a context manager.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypedDict

import pytest

from tests.ports import free_port

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SETTINGS_MODULE = "tests.oidc.provider_settings"
# Seconds the site may take to migrate, or to answer its discovery document after start; only
# a hang takes this long, a busy machine does not.
READY_TIMEOUT = 60.0
COMMAND_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0

# The product's configuration, which the provider must not see (CONTRACT.md's variables).
PRODUCT_VARIABLES = frozenset(
    {
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "EMAIL_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "REDIS_URL",
        "BASE_URL",
    }
)
PRODUCT_PREFIXES = ("KLACHTEN_",)

DEFAULT_CLIENT_ID = "kerngroep-klachten"


class OidcUser(TypedDict, total=False):
    """A user of the provider. ``username``, ``password`` and ``email`` are required;
    ``email_verified`` is true unless given."""

    username: str
    password: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str


DEFAULT_USERS: tuple[OidcUser, ...] = (
    {
        "username": "anna",
        "password": "Anna-idp-2026!",
        "email": "anna@kerngroep.nl",
        "email_verified": True,
        "first_name": "Anna",
        "last_name": "de Boer",
    },
    {
        "username": "bram",
        "password": "Bram-idp-2026!",
        "email": "bram@kerngroep.nl",
        "email_verified": False,
        "first_name": "Bram",
        "last_name": "Visser",
    },
)


def child_environment(root: Path, issuer: str, secret_key: str) -> dict[str, str]:
    """The provider's environment: this process's, without the product's configuration."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in PRODUCT_VARIABLES and not name.startswith(PRODUCT_PREFIXES)
    }
    python_path = [str(REPO), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    environment.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=os.pathsep.join(python_path),
        OIDC_PROVIDER_ROOT=str(root),
        OIDC_PROVIDER_ISSUER=issuer,
        OIDC_PROVIDER_SECRET_KEY=secret_key,
    )
    return environment


def _signing_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class OidcProvider:
    """One provider in one directory: provision, start, stop.

    ``issuer``, ``client_id``, ``client_secret`` and ``port`` are what a relying party needs;
    :meth:`add_users`, :meth:`register_client` and :meth:`set_redirect_uris` change users and
    clients, also while the site runs.
    """

    def __init__(
        self,
        root: Path,
        *,
        redirect_uris: Sequence[str],
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str | None = None,
        port: int | None = None,
    ) -> None:
        self.root = root
        self.host = HOST
        self.port = port or free_port()
        self.issuer = f"http://{HOST}:{self.port}/o"
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(32)
        self.redirect_uris = list(redirect_uris)
        self.process: subprocess.Popen[bytes] | None = None
        self.environment = child_environment(root, self.issuer, secrets.token_urlsafe(50))
        key = root / "signing-key.pem"
        key.touch(mode=0o600)
        key.write_text(_signing_key_pem())

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def login_url(self) -> str:
        """The provider's sign-in page (a browser is sent there by ``/o/authorize/``)."""
        return f"http://{HOST}:{self.port}/accounts/login/"

    def manage(self, *arguments: str, stdin: str = "") -> str:
        """Run one of the provider site's management commands in its environment."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "django", *arguments],
            env=self.environment,
            cwd=self.root,
            input=stdin.encode(),
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        output = (done.stdout + done.stderr).decode(errors="replace")
        if done.returncode != 0:
            raise AssertionError(f"provider command {arguments} failed:\n{output}")
        return output

    def migrate(self) -> None:
        self.manage("migrate", "--no-input", "-v", "0")

    def add_users(self, users: Iterable[Mapping[str, Any]]) -> None:
        """Create users, or update those with the same username (password, e-mail, names,
        ``email_verified``)."""
        self._provision(users=[dict(user) for user in users])

    def register_client(
        self, client_id: str, client_secret: str, redirect_uris: Sequence[str]
    ) -> None:
        """Register a confidential RS256 client without consent screen, or update it."""
        self._provision(
            clients=[
                {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "redirect_uris": list(redirect_uris),
                }
            ]
        )

    def set_redirect_uris(self, redirect_uris: Sequence[str]) -> None:
        """Replace the redirect URIs of the provider's own client (:attr:`client_id`)."""
        self.register_client(self.client_id, self.client_secret, redirect_uris)
        self.redirect_uris = list(redirect_uris)

    def _provision(self, **document: list[dict[str, Any]]) -> None:
        self.manage("oidc_provision", stdin=json.dumps(document))

    def start(self) -> None:
        """Start the site and wait until it serves its discovery document."""
        output = (self.root / "output.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.oidc.provider_wsgi:application",
                f"--bind={HOST}:{self.port}",
                "--workers=1",
                "--worker-class=gthread",
                "--threads=8",
                "--timeout=120",
                "--graceful-timeout=5",
                "--no-control-socket",
                "--access-logfile=-",
            ],
            env=self.environment,
            cwd=self.root,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
        output.close()
        self._wait_until_ready()

    def discovery(self) -> dict[str, Any]:
        """The discovery document, as a relying party reads it."""
        with urllib.request.urlopen(self.discovery_url, timeout=10) as answer:  # noqa: S310
            document: dict[str, Any] = json.load(answer)
        return document

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the OIDC provider stopped at start:\n{self.log()}")
            try:
                if self.discovery().get("issuer") == self.issuer:
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)  # between probes of the port, not a wait for readiness
        self.stop()
        raise AssertionError(
            f"the OIDC provider did not answer within {READY_TIMEOUT} s:\n{self.log()}"
        )

    def stop(self) -> None:
        """Stop gunicorn and its workers (the process group made for it at start)."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # a worker that outlived the master

    def log(self) -> str:
        path = self.root / "output.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def running_oidc_provider(
    root: Path,
    *,
    users: Iterable[Mapping[str, Any]] = DEFAULT_USERS,
    redirect_uris: Sequence[str],
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str | None = None,
) -> Iterator[OidcProvider]:
    """A started provider in ``root`` (an existing, empty directory) with ``users`` and one
    confidential client; stopped afterwards (the directory is the caller's)."""
    provider = OidcProvider(
        root, redirect_uris=redirect_uris, client_id=client_id, client_secret=client_secret
    )
    try:
        provider.migrate()
        provider.add_users(users)
        provider.register_client(provider.client_id, provider.client_secret, redirect_uris)
        provider.start()
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="module")
def oidc_users() -> list[OidcUser]:
    """The provider's users; override in a test module to change them. By default ``anna``
    (verified address) and ``bram`` (``email_verified`` false), see :data:`DEFAULT_USERS`."""
    return [OidcUser(**user) for user in DEFAULT_USERS]


@pytest.fixture(scope="module")
def oidc_redirect_uris() -> list[str]:
    """The redirect URIs of the provider's client. Override in a test module with the
    product's callback, e.g. from ``live_server`` (session scope, so a module fixture may use
    it): ``[f"{live_server.url}/accounts/oidc/<provider_id>/login/callback/"]``."""
    return [f"http://{HOST}:9/oidc/callback/"]  # port 9 (discard): only seen in a Location


@pytest.fixture(scope="module")
def oidc_provider(
    tmp_path_factory: pytest.TempPathFactory,
    oidc_users: list[OidcUser],
    oidc_redirect_uris: list[str],
) -> Iterator[OidcProvider]:
    """A running OpenID Connect provider for the tests of one module."""
    root = tmp_path_factory.mktemp("oidc-provider")
    with running_oidc_provider(root, users=oidc_users, redirect_uris=oidc_redirect_uris) as p:
        yield p
