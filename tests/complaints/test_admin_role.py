"""Admins keep accounts and settings, and read complaints only when management too (#15, 5; R2).

R2 names who may see a complaint: its receiver, its handler and management. An admin account
is for the upkeep of the installation (accounts, settings); made management as well
(``also_management``, the first account of an installation is), it is management.
"""

from __future__ import annotations

import importlib
import io
from typing import Any

from django.apps import apps
from django.core.management import call_command

from klachten.accounts.models import Role, SecurityAction, SecurityEvent, Staff
from klachten.accounts.services import staff_role_changed, staff_role_label
from klachten.complaints.services import management_staff
from tests.complaints.conftest import NOW
from tests.conftest import ApiClient, logged_in


def test_an_admin_keeps_the_settings_but_reads_no_complaint(complaint, admin_only) -> None:
    client = logged_in(admin_only)

    assert client.get("/instellingen/").status_code == 200
    assert client.get("/beheer/").status_code == 200
    assert client.get(f"/meldingen/{complaint.reference}/").status_code == 404
    overview = client.get("/meldingen/").content.decode()
    assert complaint.reference not in overview
    home = client.get("/").content.decode()
    assert complaint.reference not in home
    assert 'href="/instellingen/"' in home
    assert 'href="/dashboard/"' not in home
    assert client.get(f"/meldingen/klantmap/{complaint.customer_id}/").status_code == 404

    from klachten.accounts.services import token_create

    _token, raw = token_create(staff=admin_only)
    api = ApiClient(raw)
    assert api.get("/api/v1/complaints").json()["items"] == []
    assert api.get(f"/api/v1/complaints/{complaint.reference}").status_code == 404


def test_an_admin_who_is_management_too_reads_every_complaint(complaint, admin_user) -> None:
    client = logged_in(admin_user)

    assert client.get(f"/meldingen/{complaint.reference}/").status_code == 200
    assert client.get(f"/meldingen/klantmap/{complaint.customer_id}/").status_code == 200
    assert client.get("/instellingen/").status_code == 200
    assert admin_user in management_staff()


def test_only_management_is_told_of_a_new_complaint(manager, admin_user, admin_only) -> None:
    told = set(management_staff())
    assert told == {manager, admin_user}
    assert admin_only.is_admin
    assert not admin_only.is_management
    assert admin_only.may_change_settings


def test_createstaff_makes_an_admin_management_too_when_asked(db) -> None:
    out = io.StringIO()
    call_command(
        "createstaff", "linda", "--role", "admin", "--email", "linda@kerngroep.nl", stdout=out
    )
    call_command(
        "createstaff",
        "ruud",
        "--role",
        "admin,management",
        "--email",
        "ruud@kerngroep.nl",
        stdout=out,
    )

    assert Staff.objects.get(username="linda").is_management is False
    ruud = Staff.objects.get(username="ruud")
    assert (ruud.role, ruud.also_management, ruud.is_management) == (Role.ADMIN, True, True)


def test_making_an_admin_management_is_logged_as_a_change_of_role(admin_only) -> None:
    before = staff_role_label(admin_only.role, admin_only.also_management)
    admin_only.also_management = True
    admin_only.save()

    staff_role_changed(staff=admin_only, before=before, actor=None, now=NOW)

    event = SecurityEvent.objects.get(action=SecurityAction.ROLE_CHANGED)
    assert event.detail == {"before": "admin", "after": "admin+management"}


def test_upgrading_keeps_every_existing_admin_reading_what_they_read(make_staff) -> None:
    """Before this change every admin was management; the migration keeps that."""
    earlier = make_staff("oud", "admin", email="oud@kerngroep.nl")
    employee = make_staff("kees", "employee")
    assert not earlier.also_management
    migration = importlib.import_module("klachten.accounts.migrations.0005_admin_also_management")

    migration.admins_keep_what_they_had(apps, None)

    earlier.refresh_from_db()
    employee.refresh_from_db()
    assert earlier.is_management
    assert not employee.also_management


# --- Need to know at intake: a file id alone opens nobody's file (#15, item 5; R2) -----------


def _register_in(api: ApiClient, customer_id: int) -> Any:
    return api.post(
        "/api/v1/complaints",
        {
            "customer_id": customer_id,
            "channel": "phone",
            "report": "Belt opnieuw over het certificaat.",
            "checklist": {},
            "send_receipt": False,
        },
    )


def test_an_employee_registers_in_a_file_only_after_finding_it_themselves(
    complaint, make_staff
) -> None:
    from klachten.accounts.services import token_create

    kees = make_staff("kees", "employee", email="kees@kerngroep.nl")
    _token, raw = token_create(staff=kees)
    api = ApiClient(raw)

    # An id that counts up is no way into a stranger's name and address.
    refused = _register_in(api, complaint.customer_id)
    assert refused.status_code == 422
    assert refused.json()["code"] == "unknown_customer"
    assert _register_in(api, complaint.customer_id + 1000).json()["code"] == "unknown_customer"

    # The customer on the phone confirms their e-mail address: found, and logged.
    page = logged_in(kees).get(
        "/meldingen/klanten/zoeken/", {"customer_search": "a.bakker@example.nl"}
    )
    assert "Bakker" in page.content.decode()

    registered = _register_in(api, complaint.customer_id)
    assert registered.status_code == 201, registered.content
    assert registered.json()["customer"]["name"] == "Mevrouw A. Bakker"


def test_management_registers_in_any_file(complaint, manager) -> None:
    from klachten.accounts.services import token_create

    _token, raw = token_create(staff=manager)
    assert _register_in(ApiClient(raw), complaint.customer_id).status_code == 201
