"""The staff member's own password and the limits of a session (#15, item 4; ASVS 2.1.1,
2.5, 3.3)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from klachten.accounts.models import SecurityAction, SecurityEvent, Staff
from klachten.accounts.services import staff_create
from klachten.core.errors import InvalidInput
from tests.conftest import PASSWORD

NEW_PASSWORD = "Een-nieuw-wachtwoord-2026"


def test_a_password_needs_at_least_twelve_characters(db: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        staff_create(username="kees", role="employee", password="Kort-2026!x")  # 11
    assert refused.value.code == "password_too_short"
    assert "12" in refused.value.detail
    assert staff_create(username="kees", role="employee", password="Lang-2026!xyz").pk


def test_createstaff_takes_a_twelve_character_password_and_refuses_a_shorter(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Tulp-Molen-42\n"))
    call_command("createstaff", "anna", "--role", "employee", "--password-stdin")
    assert Staff.objects.get(username="anna").check_password("Tulp-Molen-42")
    monkeypatch.setattr("sys.stdin", io.StringIO("Tulp-Mol-42\n"))
    with pytest.raises(CommandError):
        call_command("createstaff", "bert", "--role", "employee", "--password-stdin")


def test_my_details_links_to_changing_the_password(client: Client, employee: Staff) -> None:
    client.force_login(employee)
    assert 'href="/wachtwoord/wijzigen/"' in client.get("/mijn-gegevens/").content.decode()


def test_a_staff_member_changes_their_own_password(client: Client, employee: Staff) -> None:
    client.force_login(employee)
    short = client.post(
        "/wachtwoord/wijzigen/",
        {"old_password": PASSWORD, "new_password1": "Kort-2026!x", "new_password2": "Kort-2026!x"},
    )
    assert short.status_code == 200
    assert "12" in short.content.decode()

    response = client.post(
        "/wachtwoord/wijzigen/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Wachtwoord gewijzigd" in response.content.decode()
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    assert SecurityEvent.objects.filter(
        action=SecurityAction.PASSWORD_CHANGED, username="petra"
    ).exists()


def test_a_forgotten_password_is_reset_by_a_link_in_an_email(employee: Staff, settings) -> None:
    settings.BASE_URL = "https://klachten.example.nl"
    client = Client()
    assert 'href="/wachtwoord/vergeten/"' in client.get("/inloggen/").content.decode()

    response = client.post("/wachtwoord/vergeten/", {"email": "PETRA@kerngroep.nl"}, follow=True)
    assert "Kijk in uw e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petra@kerngroep.nl"]
    assert message.subject == "Nieuw wachtwoord voor Kerngroep Klachten"
    link = re.search(r"https://klachten\.example\.nl(/wachtwoord/herstellen/\S+/)", message.body)
    assert link, message.body

    form = client.get(link[1], follow=True)  # Django moves the token out of the address
    assert "Nieuw wachtwoord kiezen" in form.content.decode()
    short = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kort-2026!x", "new_password2": "Kort-2026!x"},
    )
    assert "12" in short.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Wachtwoord opgeslagen" in done.content.decode()
    assert (
        Client().post("/inloggen/", {"username": "petra", "password": NEW_PASSWORD}).status_code
        == 302
    )
    logged = SecurityEvent.objects.filter(username="petra").order_by("id")
    assert [*logged.values_list("action", flat=True)] == [
        "password_reset_requested",
        "password_reset",
        "login",
    ]
    # The link works once.
    assert "werkt niet meer" in client.get(link[1], follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db: None) -> None:
    response = Client().post("/wachtwoord/vergeten/", {"email": "niemand@example.nl"}, follow=True)
    assert "Kijk in uw e-mail" in response.content.decode()
    assert mail.outbox == []


# --- Session limits -----------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time(employee: Staff, settings) -> None:
    settings.KLACHTEN_SESSION_IDLE_MINUTES = 120
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(employee)
        clock.shift(timedelta(minutes=119))
        assert client.get("/mijn-gegevens/").status_code == 200  # activity: counts anew
        clock.shift(timedelta(minutes=119))
        assert client.get("/mijn-gegevens/").status_code == 200
        clock.shift(timedelta(minutes=121))

        response = client.get("/mijn-gegevens/", follow=True)

    assert response.redirect_chain[0][0] == "/inloggen/?next=%2Fmijn-gegevens%2F"
    assert "120 minuten niets heeft gedaan" in response.content.decode()
    assert "_auth_user_id" not in client.session
    expired = SecurityEvent.objects.get(action=SecurityAction.SESSION_EXPIRED)
    assert expired.detail == {"why": "idle"}


def test_the_overview_poll_does_not_keep_a_session_alive(employee: Staff) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(employee)
        for _ in range(4):
            clock.shift(timedelta(minutes=30))
            client.get("/", headers={"HX-Request": "true", "HX-Trigger": "overzicht"})
        clock.shift(timedelta(minutes=30))  # 150 minutes after the last request of her own
        response = client.get("/", headers={"HX-Request": "true", "HX-Trigger": "overzicht"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/inloggen/")


def test_a_session_ends_at_most_twelve_hours_after_login(employee: Staff) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(employee)
        for _ in range(11):
            clock.shift(timedelta(hours=1))
            assert client.get("/mijn-gegevens/").status_code == 200
        clock.shift(timedelta(hours=1, minutes=1))
        response = client.get("/mijn-gegevens/", follow=True)
    assert "een sessie duurt hoogstens 12 uur" in response.content.decode()
    assert SecurityEvent.objects.get(action=SecurityAction.SESSION_EXPIRED).detail == {
        "why": "absolute"
    }
