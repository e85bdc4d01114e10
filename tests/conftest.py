"""Shared fixtures: staff members of each role, an API client with a real token; and what
lets the suite run in several processes at once (pytest-xdist, ``scripts/test``) on a busy
machine without a test depending on either."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hypothesis
import pytest

if TYPE_CHECKING:
    from klachten.accounts.models import Staff

# Django is imported inside the fixtures, so the pure domain tests also run without it
# (``pytest -p no:django tests/domain``).

PASSWORD = "Kerngroep-test-2026!"

# Hypothesis gives each example 200 ms and fails slow data generation by default: clocks that
# a machine with every core busy misses. What a property test checks never depends on speed.
hypothesis.settings.register_profile(
    "klachten", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("klachten")

# The fixtures through which pytest-django gives a test the configured database.
DATABASE_FIXTURES = frozenset(
    {"django_db_setup", "db", "transactional_db", "django_db_reset_sequences", "live_server"}
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config: pytest.Config, specs: list[Any]) -> None:
    """Each xdist worker gets a data dir of its own (``KLACHTEN_DATA_DIR``), in its
    environment before it reads the settings: the queue, the mail spool, stored files and the
    secret key are never shared between two test processes, nor are the data dirs of the
    commands that a test starts with the inherited environment."""
    base = os.environ.get("KLACHTEN_DATA_DIR")
    if not base:
        base = tempfile.mkdtemp(prefix="klachten-tests-")
        config.add_cleanup(lambda: shutil.rmtree(base, ignore_errors=True))
    for number, spec in enumerate(specs):
        data_dir = Path(base, f"worker-{spec.id or number}")
        data_dir.mkdir(parents=True, exist_ok=True)
        spec.env["KLACHTEN_DATA_DIR"] = str(data_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use the configured database (``-m database``: the PostgreSQL pass
    of .ci/run). Tests that reach it through a command of their own (``DATABASE_URL`` in a
    subprocess) carry ``pytest.mark.database`` themselves.

    And give every test an id of its own. schemathesis names its tests by operation
    (``test_…[GET /api/v1/…]``), but under pytest 9 all of them get the one id of the
    function; xdist hands out the tests of a file by id, so only the first of them ran and the
    others were silently left out. Such tests get the id of a parametrised test; should that
    ever not work, collection fails rather than leave tests out."""
    _unique_ids(items)
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


def _unique_ids(items: list[pytest.Item]) -> None:
    counts = Counter(item.nodeid for item in items)
    for item in items:
        node_id = getattr(item, "_id", None)  # pytest 9's structured id (no public setter)
        if counts[item.nodeid] > 1 and "[" in item.name and node_id is not None:
            with contextlib.suppress(AttributeError, ValueError):
                params = item.name.partition("[")[2].removesuffix("]")
                item._id = node_id.with_params(params)
    duplicated = sorted(
        node_id for node_id, count in Counter(i.nodeid for i in items).items() if count > 1
    )
    if duplicated:
        raise pytest.UsageError(
            "Tests share an id, so pytest-xdist would run only one of each: "
            + ", ".join(duplicated)
        )


def pytest_configure(config: pytest.Config) -> None:
    """Tests render templates without running collectstatic first."""
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    # Hashing passwords properly costs a third of a second per staff member; tests need none.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A password sign-in of management asks for a second factor by default (#15, item 2):
    # tests/accounts/test_second_factor.py and tests/e2e/test_sign_in_journeys.py test that
    # default; the other tests sign in with the password alone.
    settings.KLACHTEN_MFA = "optional"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _dutch_first() -> Iterator[None]:
    """Each test starts in the interface's first language: a page asked for in English
    leaves English active in the thread (LocaleMiddleware does not switch back), and a test
    that calls a service directly after it on the same worker would read English."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: the limits on second-factor codes and the
    used-code marks live there (#15), keyed by account ids a later test may reuse."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_staff(db: None) -> Callable[..., Staff]:
    from klachten.accounts.models import Role
    from klachten.accounts.services import staff_create

    def make(username: str = "petra", role: str = Role.EMPLOYEE, **fields: Any) -> Staff:
        return staff_create(username=username, role=role, password=PASSWORD, **fields)

    return make


@pytest.fixture
def employee(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(
        "petra",
        "employee",
        first_name="Petra",
        last_name="de Vries",
        email="petra@kerngroep.nl",
        job_title="Cursuscoördinator",
        phone="030 760 22 11",
    )


@pytest.fixture
def manager(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(
        "marco",
        "management",
        first_name="Marco",
        last_name="Jansen",
        email="marco@kerngroep.nl",
        job_title="Directeur",
        phone="030 760 22 01",
    )


@pytest.fixture
def admin_user(make_staff: Callable[..., Staff]) -> Staff:
    """An admin who is management too, as the first account of an installation is."""
    return make_staff("beheer", "admin", also_management=True, email="beheer@kerngroep.nl")


@pytest.fixture
def admin_only(make_staff: Callable[..., Staff]) -> Staff:
    """An admin who keeps accounts and settings and reads no complaint (#15, item 5)."""
    return make_staff("linda", "admin", email="linda@kerngroep.nl")


class ApiClient:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, token: str | None) -> None:
        from django.test import Client

        self.client = Client()
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: bytes | str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(
            path, data=data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api(employee: Staff) -> ApiClient:
    from klachten.accounts.services import token_create

    _, token = token_create(staff=employee)
    return ApiClient(token)


@pytest.fixture
def anonymous_api(db: None) -> ApiClient:
    return ApiClient(None)


def logged_in(staff: Staff) -> Any:
    """A test client with ``staff`` logged in (the pages' own session, no password round)."""
    from django.test import Client

    client = Client()
    client.force_login(staff)
    return client
