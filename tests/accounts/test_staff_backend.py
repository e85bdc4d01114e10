"""The signed-in staff member is read by a query compiled once (``accounts.backends``, #17
item 2): the same staff member as Django's ``ModelBackend`` reads, or nobody where it reads
nobody; a session signed in before the backend keeps working (R2: nobody is let in who was
not)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.accounts.backends import DJANGO_BACKEND, STAFF_BACKEND, StaffBackend
from klachten.accounts.models import Staff

pytestmark = pytest.mark.django_db


def _fields(staff: Staff | None) -> dict[str, object] | None:
    if staff is None:
        return None
    return {field.attname: getattr(staff, field.attname) for field in Staff._meta.concrete_fields}


@pytest.mark.parametrize("how", ["int", "str"])
def test_it_reads_the_staff_member_djangos_backend_reads(employee, manager, how):
    for member in (employee, manager):
        user_id = member.pk if how == "int" else str(member.pk)
        with CaptureQueriesContext(connection) as captured:
            ours = StaffBackend().get_user(user_id)
        assert len(captured.captured_queries) == 1
        assert ours is not None
        assert type(ours) is Staff
        assert _fields(ours) == _fields(ModelBackend().get_user(user_id)) is not None
        assert not ours.get_deferred_fields()


def test_nobody_where_djangos_backend_reads_nobody(employee):
    assert StaffBackend().get_user(employee.pk + 1000) is None
    assert ModelBackend().get_user(employee.pk + 1000) is None
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    assert StaffBackend().get_user(employee.pk) is None
    assert ModelBackend().get_user(employee.pk) is None


def test_signing_in_names_it_and_an_older_session_keeps_working(client, employee):
    from django.conf import settings

    assert STAFF_BACKEND in settings.AUTHENTICATION_BACKENDS
    assert DJANGO_BACKEND not in settings.AUTHENTICATION_BACKENDS
    client.force_login(employee)
    assert client.session[BACKEND_SESSION_KEY] == STAFF_BACKEND
    page = client.get("/meldingen/")
    assert page.status_code == 200
    assert page.context["user"] == employee

    # A session written while Django's own backend signed people in.
    session = client.session
    session[BACKEND_SESSION_KEY] = DJANGO_BACKEND
    session.save()
    assert client.get("/meldingen/").context["user"] == employee
    assert client.session[BACKEND_SESSION_KEY] == STAFF_BACKEND

    # A session whose password hash no longer matches is still ended, as by Django.
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    assert client.get("/meldingen/").status_code == 302
    assert SESSION_KEY not in client.session


def test_a_password_login_goes_through_it(client, employee):
    employee.set_password("Een-lang-wachtwoord-2026")
    employee.save()
    assert client.login(username=employee.username, password="Een-lang-wachtwoord-2026")
    assert client.session[BACKEND_SESSION_KEY] == STAFF_BACKEND
