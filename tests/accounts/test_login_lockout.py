"""Throttling of failed logins and bad API tokens, and the security log (#15, item 3).

OWASP ASVS 4, 2.2.1: guessing a password or a token is stopped after a few tries, per account
and per address; an admin lifts a lockout; every login, failure and lockout is logged.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from klachten.accounts.models import Role, SecurityAction, SecurityEvent, Staff
from klachten.accounts.services import token_create
from tests.conftest import PASSWORD

LOCKED = "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw"


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = _login(client, username, "niet-het-wachtwoord", address)
        assert "_auth_user_id" not in client.session
        # The form again with "wrong password"; from the limit on, the lockout message.
        assert response.status_code in {200, 429}


def _actions(**filters: str) -> list[str]:
    return list(
        SecurityEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(employee: Staff) -> None:
    client = Client()
    _fail(client, "petra", 4)
    assert _login(client, "petra", PASSWORD).status_code == 302  # four were not enough
    client.logout()
    fifth = _login(client, "petra", "niet-het-wachtwoord")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    response = _login(client, "petra", PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_from_any_address(employee: Staff) -> None:
    client = Client()
    for number in range(5):
        _fail(client, "petra", 1, address=f"10.0.1.{number}")
    response = _login(client, "petra", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_lockout_is_per_address_for_every_account(employee: Staff, make_staff) -> None:
    """One address guessing at many names is stopped, also for a name it has not tried."""
    make_staff("kees")
    client = Client()
    for name in ("anna", "bert", "carla", "dirk", "eva"):
        _fail(client, name, 1, address="10.0.0.66")

    assert _login(client, "kees", PASSWORD, address="10.0.0.66").status_code == 429
    # The same account from another address is let in: only the address is locked.
    assert _login(Client(), "kees", PASSWORD, address="10.0.0.7").status_code == 302


def test_the_lockout_ends_after_the_cool_off(employee: Staff) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        _fail(client, "petra", 5)
        assert _login(client, "petra", PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert _login(client, "petra", PASSWORD).status_code == 302


def test_an_admin_unlocks_the_account_in_the_admin(employee: Staff, make_staff) -> None:
    admin = make_staff("root", Role.ADMIN)
    _fail(Client(), "petra", 5)
    assert _login(Client(), "petra", PASSWORD).status_code == 429

    beheer = Client()
    beheer.force_login(admin)
    response = beheer.post(
        "/beheer/accounts/staff/",
        {"action": "unlock", "_selected_action": [employee.pk]},
        follow=True,
    )

    assert "1 account vrijgegeven" in response.content.decode()
    assert _login(Client(), "petra", PASSWORD).status_code == 302
    unlocked = SecurityEvent.objects.get(action=SecurityAction.UNLOCKED)
    assert (unlocked.username, unlocked.actor) == ("petra", admin)


def test_klachten_unlock_lifts_the_lockout(employee: Staff) -> None:
    _fail(Client(), "petra", 5)
    out = io.StringIO()
    call_command("unlock", "petra", stdout=out)
    assert "petra" in out.getvalue()
    assert _login(Client(), "petra", PASSWORD).status_code == 302


def test_klachten_unlock_lifts_an_address(employee: Staff) -> None:
    for name in ("anna", "bert", "carla", "dirk", "eva"):
        _fail(Client(), name, 1, address="10.0.0.66")
    call_command("unlock", "--address", "10.0.0.66", stdout=io.StringIO())
    assert _login(Client(), "petra", PASSWORD, address="10.0.0.66").status_code == 302


def test_the_security_log_has_the_login_the_failures_and_the_lockout(employee: Staff) -> None:
    client = Client()
    assert _login(client, "petra", PASSWORD).status_code == 302
    client.logout()
    _fail(client, "petra", 5)
    _login(client, "petra", PASSWORD)  # refused while locked: logged, not counted

    assert _actions(username="petra") == [
        "login",
        "logout",
        *["login_failed"] * 5,
        "locked_out",
        "login_failed",
    ]
    locked = SecurityEvent.objects.get(action=SecurityAction.LOCKED_OUT)
    assert (locked.address, locked.detail) == ("10.0.0.1", {"failures": 5})
    last = SecurityEvent.objects.filter(action=SecurityAction.LOGIN_FAILED).last()
    assert last is not None
    assert last.detail == {"while_locked_out": True}


def test_token_creation_and_role_changes_are_logged(employee: Staff, make_staff) -> None:
    call_command("token", "create", "petra", stdout=io.StringIO())
    created = SecurityEvent.objects.get(action=SecurityAction.TOKEN_CREATED)
    assert created.username == "petra"
    assert created.detail["prefix"].startswith("kk_")

    admin = make_staff("root", Role.ADMIN)
    beheer = Client()
    beheer.force_login(admin)
    page = beheer.get(f"/beheer/accounts/staff/{employee.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data.update(
        role=Role.MANAGEMENT,
        date_joined_0=employee.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=employee.date_joined.strftime("%H:%M:%S"),
        last_login_0="",
        last_login_1="",
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = beheer.post(f"/beheer/accounts/staff/{employee.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    changed = SecurityEvent.objects.get(action=SecurityAction.ROLE_CHANGED)
    assert (changed.username, changed.actor) == ("petra", admin)
    assert changed.detail == {"before": "employee", "after": "management"}


# --- API tokens ----------------------------------------------------------------------------------


def test_bad_api_tokens_get_429_after_the_limit(employee: Staff, settings) -> None:
    settings.KLACHTEN_API_TOKEN_FAILURE_LIMIT = 3
    _, good = token_create(staff=employee)
    guesser = Client(headers={"authorization": "Bearer kk_geraden"}, REMOTE_ADDR="10.0.0.5")
    for _ in range(3):
        assert guesser.get("/api/v1/complaints").status_code == 401

    response = guesser.get("/api/v1/complaints")

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert response.json()["detail"]
    # A good token is not held up, from that address or another: 256 random bits are not
    # guessed, and counting for every good request would cost each API read a query.
    same_address = Client(headers={"authorization": f"Bearer {good}"}, REMOTE_ADDR="10.0.0.5")
    assert same_address.get("/api/v1/complaints").status_code == 200
    elsewhere = Client(headers={"authorization": f"Bearer {good}"}, REMOTE_ADDR="10.0.0.6")
    assert elsewhere.get("/api/v1/complaints").status_code == 200
    assert SecurityEvent.objects.filter(action=SecurityAction.TOKEN_REFUSED).count() == 3


def test_bad_api_tokens_are_forgotten_after_the_window(employee: Staff, settings) -> None:
    settings.KLACHTEN_API_TOKEN_FAILURE_LIMIT = 2
    with time_machine.travel(timezone.now(), tick=False) as clock:
        guesser = Client(headers={"authorization": "Bearer kk_fout"})
        for _ in range(2):
            guesser.get("/api/v1/complaints")
        assert guesser.get("/api/v1/complaints").status_code == 429
        clock.shift(timedelta(minutes=16))
        assert guesser.get("/api/v1/complaints").status_code == 401  # counted anew


@pytest.mark.parametrize("limit", [1])
def test_the_limit_is_a_setting(employee: Staff, settings, limit: int) -> None:
    settings.KLACHTEN_API_TOKEN_FAILURE_LIMIT = limit
    guesser = Client(headers={"authorization": "Bearer iets"})
    assert guesser.get("/api/v1/complaints").status_code == 401
    assert guesser.get("/api/v1/complaints").status_code == 429
