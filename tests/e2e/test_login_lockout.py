"""Guessing a password in Chromium (#15, item 3): after five wrong passwords the login page
says the account is locked, and the right password is refused until an admin lifts it."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from tests.conftest import PASSWORD

LOCKED = (
    "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw of vraag de beheerder om "
    "uw account vrij te geven."
)


def _try(page: Any, password: str) -> None:
    page.get_by_label("Gebruikersnaam").fill("petra")
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    page: Any, employee: Any
) -> None:
    page.goto("/inloggen/")
    for _ in range(4):
        _try(page, "raden-2026-nogmaals")
        page.get_by_role("alert").wait_for()
        assert LOCKED not in page.get_by_role("alert").inner_text()
    _try(page, "raden-2026-nogmaals")
    assert page.get_by_role("alert").inner_text() == LOCKED

    _try(page, PASSWORD)  # the right password, too late
    assert page.get_by_role("alert").inner_text() == LOCKED
    assert page.get_by_role("link", name="Wachtwoord vergeten?").is_visible()

    call_command("unlock", "petra", stdout=io.StringIO())
    _try(page, PASSWORD)
    page.get_by_role("heading", name="Goedendag, Petra").wait_for()
