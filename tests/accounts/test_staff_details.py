"""What a staff member is called, how they are reached, and the language of their mails
(#10, items 14, 19 and 20; R3, R14)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from klachten.accounts.models import Role, Staff
from klachten.accounts.services import staff_create, staff_set_language
from klachten.core.errors import InvalidInput

# --- R3: a manager is reachable -----------------------------------------------------------------


def test_createstaff_refuses_a_manager_without_an_email_address(db: None) -> None:
    """R3: an alert that reaches nobody is a breach, so a manager needs an address."""
    with pytest.raises(CommandError, match="Een directielid heeft een e-mailadres nodig"):
        call_command("createstaff", "anna", "--role", "management")
    assert not Staff.objects.filter(username="anna").exists()


def test_an_employee_and_an_admin_may_be_created_without_an_address(db: None) -> None:
    assert staff_create(username="kees", role=Role.EMPLOYEE).email == ""
    assert staff_create(username="root", role=Role.ADMIN).email == ""


def test_the_klachten_command_says_it_in_one_dutch_line_without_a_traceback(
    tmp_path: Path,
) -> None:
    """The real command, as a person types it: exit 1, one line, no traceback."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["KLACHTEN_DATA_DIR"] = str(tmp_path)
    klachten = [sys.executable, "-c", "from klachten.cli import main; main()"]
    migrate = subprocess.run(  # noqa: S603 - our own interpreter
        [*klachten, "migrate", "-v0"], env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [*klachten, "createstaff", "anna", "--role", "management"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Een directielid heeft een e-mailadres nodig" in result.stderr
    assert "Traceback" not in result.stderr


# --- Names without control characters (#10, item 19) --------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Petra\nX"),
        ("last_name", "de\rVries"),
        ("job_title", "Cursus\tcoördinator"),
        ("last_name", "de\u2028Vries"),
        ("first_name", "Pe\x00tra"),
    ],
)
def test_a_name_or_job_title_with_a_control_character_is_refused(
    db: None, field: str, value: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        staff_create(username="petra", role=Role.EMPLOYEE, **{field: value})
    assert "regeleinden" in refused.value.detail
    assert refused.value.field == field
    assert not Staff.objects.exists()


def test_createstaff_refuses_a_name_with_a_line_break(db: None) -> None:
    with pytest.raises(CommandError, match="regeleinden"):
        call_command("createstaff", "petra", "--role", "employee", "--first-name", "Petra\nBcc: x")


def test_the_admin_refuses_a_name_with_a_line_break(admin_user: Any, employee: Any) -> None:
    """The Django admin's staff form (admins only, R2) checks the same."""
    request = RequestFactory().post("/")
    request.user = admin_user
    staff_admin = site._registry[Staff]
    form_class = staff_admin.get_form(request, employee)
    data = {
        **{
            name: value
            for name, value in form_class(instance=employee).initial.items()
            if value is not None
        },
        "last_name": "de Vries\nX",
        "date_joined_0": "2026-11-02",
        "date_joined_1": "10:00:00",
    }
    data = {key: value for key, value in data.items() if not isinstance(value, list | tuple)}
    form = form_class(data, instance=employee)
    assert not form.is_valid()
    assert "last_name" in form.errors
    assert "language" in form.fields  # admins set the language of someone's mails too


def test_a_phone_number_is_kept_in_its_international_form(db: None) -> None:
    """R14: +31 on the card, in the vCard and in tel: links."""
    assert staff_create(username="p", role=Role.EMPLOYEE, phone="030 760 22 11").phone == (
        "+31 30 760 2211"
    )
    assert staff_create(username="q", role=Role.EMPLOYEE, phone="+32 2 123 45 67").phone == (
        "+32 2 123 45 67"
    )


# --- The language of one's mails (#10, item 14) -------------------------------------------------


def test_mijn_gegevens_shows_the_card_and_saves_the_language_of_ones_mails(
    employee: Any,
) -> None:
    client = Client()
    client.force_login(employee)
    html = client.get("/mijn-gegevens/").content.decode()
    assert "Mijn gegevens" in html
    assert 'href="tel:+31307602211"' in html
    assert 'name="language"' in html

    response = client.post("/mijn-gegevens/", {"language": "en"}, follow=True)
    employee.refresh_from_db()
    assert employee.language == "en"
    assert response.redirect_chain[-1][0] == "/mijn-gegevens/"
    assert client.cookies["django_language"].value == "en"  # the screens follow
    assert "your mails" in response.content.decode()


def test_an_unknown_language_is_refused(employee: Any) -> None:
    client = Client()
    client.force_login(employee)
    response = client.post("/mijn-gegevens/", {"language": "de"})
    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.language == "nl"
    with pytest.raises(InvalidInput) as refused:
        staff_set_language(staff=employee, language="fr")
    assert (refused.value.code, refused.value.field) == ("invalid_language", "language")


def test_the_menu_links_to_mijn_gegevens(employee: Any) -> None:
    client = Client()
    client.force_login(employee)
    assert 'href="/mijn-gegevens/"' in client.get("/").content.decode()


def test_createstaff_reads_nothing_from_stdin_without_the_flag(db: None, monkeypatch: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    call_command("createstaff", "kees", "--role", "employee", stdout=io.StringIO())
    assert Staff.objects.get(username="kees").language == "nl"
