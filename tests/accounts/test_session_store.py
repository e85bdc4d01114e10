"""The session store (``klachten.accounts.sessions``, #17 item 2) reads what Django's database
store reads: the live session by its key, nothing for an expired or unknown key, in one
query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klachten.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> str:
    store = DjangoStore()
    store.update(data)
    store.save()
    assert store.session_key is not None
    return store.session_key


def test_a_live_session_reads_as_djangos():
    key = _saved(user="42", taal="nl")
    ours = SessionStore(session_key=key)
    with CaptureQueriesContext(connection) as captured:
        assert ours.load() == DjangoStore(session_key=key).load() == {"user": "42", "taal": "nl"}
    assert len(captured.captured_queries) == 2  # ours, then Django's
    assert ours.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown"])
def test_an_expired_or_unknown_session_reads_as_nothing(case):
    key = _saved(user="42")
    if case == "expired":
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
    else:
        key = key[:-4] + "zzzz"
    ours, django = SessionStore(session_key=key), DjangoStore(session_key=key)
    assert ours.load() == django.load() == {}
    assert ours.session_key is None
    assert django.session_key is None


def test_the_site_uses_it(client, employee):
    from django.conf import settings

    assert settings.SESSION_ENGINE == "klachten.accounts.sessions"
    client.force_login(employee)
    assert client.get("/").status_code == 200
    assert isinstance(client.session, SessionStore)
