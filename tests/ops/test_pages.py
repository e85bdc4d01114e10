"""The staff pages: the Dutch login page, the start page and the two everyday tools."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def logged_in(employee) -> Client:
    client = Client()
    assert client.login(username=employee.username, password=PASSWORD)
    return client


def test_the_home_page_is_a_dutch_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Kerngroep" in html
    assert "Inloggen" in html
    assert 'autocomplete="current-password"' in html
    assert "vendor/pico/pico.min.css" in html


def test_a_wrong_password_is_explained_in_dutch_and_the_name_is_kept(client, employee):
    response = client.post("/inloggen/", {"username": "petra", "password": "fout-wachtwoord"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in html
    assert 'value="petra"' in html
    assert 'aria-invalid="true"' in html


def test_logging_in_leads_to_the_start_page(client, employee):
    response = client.post("/inloggen/", {"username": "petra", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "Goedendag, Petra" in html
    assert "Uitloggen" in html


def test_logging_out_ends_the_session(logged_in):
    response = logged_in.post("/uitloggen/", follow=True)
    assert "Inloggen" in response.content.decode()
    assert logged_in.get("/tekstcontrole/").status_code == 302


def test_the_interface_speaks_english_on_request(client, db):
    response = client.get("/", headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_the_wording_page_shows_findings_with_suggestions(logged_in):
    """R13: the live check shows the forbidden word and one-click suggestions."""
    response = logged_in.post(
        "/tekstcontrole/",
        {"text": "Wij hebben uw klacht ontvangen."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # only the fragment for htmx
    assert "<mark>klacht</mark>" in html
    assert "data-suggestion=" in html
    assert "Zo kan de tekst niet naar de klant" in html


def test_the_wording_page_without_htmx_keeps_the_text(logged_in):
    """Nothing a user wrote is lost: the full page keeps the text under the findings."""
    response = logged_in.post("/tekstcontrole/", {"text": "Het probleem is opgelost."})
    html = response.content.decode()
    assert "Het probleem is opgelost.</textarea>" in html
    assert "<mark>probleem</mark>" in html


def test_an_empty_text_gets_a_dutch_error(logged_in):
    response = logged_in.post("/tekstcontrole/", {"text": ""})
    assert "Er is geen tekst om te controleren." in response.content.decode()


def test_the_deadline_calculator_writes_end_of_day_deadlines_as_people_read_them(logged_in):
    """R3/R16: Thursday 2 April 2026 14:00 → contact Tuesday 7 April 14:00, and the delay
    notice 'uiterlijk donderdag 23 april' (the end of day 21)."""
    response = logged_in.get("/termijnen/", {"received_at": "2026-04-02T14:00"})
    html = response.content.decode()
    assert "dinsdag 7 april 2026, 14:00" in html
    assert "uiterlijk donderdag 23 april 2026" in html
    assert "uiterlijk donderdag 30 april 2026" in html


def test_the_deadline_calculator_explains_bad_input(logged_in):
    response = logged_in.get("/termijnen/", {"received_at": "morgen"})
    assert "Vul een datum en tijd in" in response.content.decode()


@pytest.mark.parametrize("path", ["/tekstcontrole/", "/termijnen/"])
def test_tools_need_a_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_only_admins_reach_the_django_admin(client, employee, manager, admin_user):
    """R2: the admin is for admins only; employees and management are sent to its login."""
    for staff in (employee, manager):
        client.force_login(staff)
        assert client.get("/beheer/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/beheer/").status_code == 200


def test_health_reports_the_database_and_a_silent_worker(client, db):
    response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert (
        response.json().items()
        >= {
            "ok": False,
            "database": True,
            "worker": False,
            "worker_last_seen": None,
            "database_writes": True,
            "mail_failed": 0,
            "database_write_failed_at": None,
            "worker_restarts": 0,
            "worker_last_restart": None,
        }.items()
    )


def test_health_is_ok_after_a_worker_heartbeat(client, db):
    from klachten.ops.tasks import heartbeat

    heartbeat.call_local()
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert response.json()["worker"] is True


def test_the_admin_never_shows_complaint_texts_or_customer_files(client, admin_user):
    """R2: the Django admin cannot be used to read complaints, customer files or the log."""
    from django.contrib import admin

    from klachten.audit.models import AuditEntry
    from klachten.complaints.models import Complaint
    from klachten.customers.models import CustomerFile

    for model in (Complaint, CustomerFile, AuditEntry):
        assert not admin.site.is_registered(model), model
    client.force_login(admin_user)
    assert client.get("/beheer/organisation/category/").status_code == 200
    assert client.get("/beheer/complaints/complaint/").status_code == 404


def test_health_counts_the_workers_serve_restarted(client, db):
    """Issue #10: a worker that died and was started again by `klachten serve` shows."""
    from datetime import timedelta

    from django.utils import timezone

    from klachten.ops.services import worker_restart_record

    now = timezone.now()
    worker_restart_record(host="server-1", exit_code=-9, now=now - timedelta(days=2))
    worker_restart_record(host="server-1", exit_code=-9, now=now - timedelta(minutes=5))
    body = client.get("/gezondheid/").json()
    assert body["worker_restarts"] == 1  # the last 24 hours
    assert body["worker_last_restart"] == (now - timedelta(minutes=5)).isoformat()
