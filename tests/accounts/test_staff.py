"""Staff members, roles and API tokens (CONTRACT.md: createstaff, token create)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from klachten.accounts.models import ApiToken, Role, Staff
from klachten.accounts.selectors import staff_for_token
from klachten.accounts.services import staff_create, token_create
from klachten.core.errors import NotAllowed


def test_createstaff_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Een-Sterk-Wachtwoord-42\n"))
    out = io.StringIO()
    call_command(
        "createstaff",
        "anna",
        "--role",
        "management",
        "--email",
        "anna@kerngroep.nl",
        "--password-stdin",
        stdout=out,
    )
    anna = Staff.objects.get(username="anna")
    assert anna.role == Role.MANAGEMENT
    assert anna.is_management
    assert anna.check_password("Een-Sterk-Wachtwoord-42")
    assert not anna.is_staff  # the Django admin is for admins only (R2)
    assert "anna" in out.getvalue()


def test_an_admin_may_use_the_django_admin(db):
    root = staff_create(username="root", role=Role.ADMIN)
    assert root.is_staff
    assert root.is_superuser
    assert not root.has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kees", "--role", "employee", "--email", "geen-adres"], "e-mailadres"),
        (["petra", "--role", "employee"], "bestaat al"),
    ],
)
def test_createstaff_refuses_bad_input_clearly(employee, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("createstaff", *args)


def test_createstaff_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n"))
    with pytest.raises(CommandError):
        call_command("createstaff", "kees", "--role", "employee", "--password-stdin")
    assert not Staff.objects.filter(username="kees").exists()


def test_token_create_prints_a_token_that_is_stored_only_hashed(employee):
    out = io.StringIO()
    call_command("token", "create", "petra", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("kk_")
    stored = ApiToken.objects.get(staff=employee)
    assert token not in {stored.digest, stored.prefix}
    assert stored.digest != token
    assert staff_for_token(token) == (employee, stored)


def test_token_create_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="Er is geen account met de gebruikersnaam 'niemand'"):
        call_command("token", "create", "niemand")


def test_token_revoke_by_prefix(employee):
    api_token, token = token_create(staff=employee)
    call_command("token", "revoke", api_token.prefix, stdout=io.StringIO())
    assert staff_for_token(token) is None


def test_an_unknown_role_is_refused(db):
    with pytest.raises(ValueError, match="boss"):
        staff_create(username="x", role="boss")


def test_usernames_are_unique_regardless_of_case(employee):
    with pytest.raises(NotAllowed) as refused:
        staff_create(username="PETRA", role=Role.EMPLOYEE)
    assert (refused.value.code, refused.value.field) == ("username_taken", "username")
