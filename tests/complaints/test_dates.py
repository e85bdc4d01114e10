"""Dates on days off get a warning; a ruling's consequences come within the short term (#10).

A date on a weekend, a public holiday or one of the organisation's closing days — an action
item's date (R9), a consequence of a ruling or the ruling's own date (R11), an agreed term
(R3) — is allowed but warned about, live while typing and after saving. The consequences of a
binding ruling are due within the short term the settings name (R11: "Kerngroep handles the
consequences quickly"), 5 working days unless management chose otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import Complaint
from klachten.complaints.services import (
    ActionData,
    complaint_contact,
    complaint_record_ruling,
    complaint_refer_to_dispute,
)
from klachten.core.errors import InvalidInputs
from klachten.organisation.models import ClosingDay
from klachten.organisation.selectors import organisation_settings
from klachten.organisation.services import organisation_settings_update
from tests.complaints.conftest import NOW, PAGE_TIME, in_days
from tests.conftest import logged_in


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contacted(complaint: Complaint, employee: Any) -> Complaint:
    return complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )


@pytest.fixture
def disputed(contacted: Complaint, employee: Any) -> Complaint:
    return complaint_refer_to_dispute(
        complaint=contacted, actor=employee, note="Klant schakelt de derde in.", now=PAGE_TIME
    )


def _ruling(employee: Any, *dues: str, ruled_on: str = "2026-10-30") -> dict[str, str]:
    data = {
        "ruled_on": ruled_on,
        "text": "Kosteloos opnieuw.",
        "acties-TOTAL_FORMS": "3",
        "acties-INITIAL_FORMS": "0",
    }
    for index, due in enumerate(dues):
        data[f"acties-{index}-what"] = f"Gevolg {index + 1}"
        data[f"acties-{index}-who"] = str(employee.pk)
        data[f"acties-{index}-due"] = due
    return data


# --- R11: the short term for the consequences of a ruling -------------------------------------


def test_a_consequence_thirty_days_out_is_refused_with_the_latest_date(
    disputed: Complaint, employee: Any
) -> None:
    """R11: 5 working days after Monday 2 November is Monday 9 November; 2 December is too
    late. Every line is judged in one round, next to its own date; nothing is recorded."""
    response = logged_in(employee).post(
        f"/meldingen/{disputed.reference}/uitspraak/",
        _ruling(employee, "2026-12-02", "2026-11-09", "2026-12-01"),
    )
    assert response.status_code == 200
    rows = response.context["form"].actions.forms
    expected = "uiterlijk maandag 9 november 2026 (R11)"
    assert expected in rows[0].errors["due"][0]
    assert "due" not in rows[1].errors
    assert expected in rows[2].errors["due"][0]
    assert "binnen 5 werkdagen" in rows[0].errors["due"][0]
    disputed.refresh_from_db()
    assert disputed.ruling_at is None
    assert not disputed.actions.exists()


def test_the_page_names_the_short_term_from_the_settings(
    disputed: Complaint, employee: Any, manager: Any
) -> None:
    """R11: the step's explanation follows the setting."""
    organisation_settings_update(
        actor=manager, changes={"ruling_consequence_working_days": 3}, now=PAGE_TIME
    )
    html = logged_in(employee).get(f"/meldingen/{disputed.reference}/uitspraak/").content.decode()
    assert "binnen 3 werkdagen gedaan, uiterlijk donderdag 5 november 2026" in html


def test_the_setting_moves_the_latest_date(
    disputed: Complaint, employee: Any, manager: Any
) -> None:
    """R11: with 8 working days, Thursday 12 November is allowed, Friday 13 is not."""
    organisation_settings_update(
        actor=manager, changes={"ruling_consequence_working_days": 8}, now=PAGE_TIME
    )
    consequence = ActionData(what="Gevolg", who=employee, due=date(2026, 11, 13))
    with pytest.raises(InvalidInputs) as refused:
        complaint_record_ruling(
            complaint=disputed,
            actor=employee,
            text="",
            consequences=[consequence],
            ruled_on=date(2026, 11, 3),
            now=PAGE_TIME,
        )
    # The missing text, the date in the future and the late consequence, all at once.
    assert [(error.code, error.field) for error in refused.value.errors] == [
        ("required", "text"),
        ("ruling_in_future", "ruled_on"),
        ("consequence_too_late", "consequences.0.due"),
    ]
    ruled = complaint_record_ruling(
        complaint=disputed,
        actor=employee,
        text="Kosteloos opnieuw.",
        consequences=[ActionData(what="Gevolg", who=employee, due=date(2026, 11, 12))],
        now=PAGE_TIME,
    )
    assert ruled.actions.get().due == date(2026, 11, 12)


def test_the_api_refuses_a_late_consequence(api: Any, disputed: Complaint) -> None:
    """R11: 422 ``consequence_too_late`` on the consequence's date; a consequence without a
    date gets the last day of the term."""
    url = f"/api/v1/complaints/{disputed.reference}/ruling"
    late = {"what": "Nieuwe cursusdatum", "who": "petra", "due": "2026-12-02"}
    response = api.post(url, {"text": "Kosteloos opnieuw.", "consequences": [late]})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (
        "consequence_too_late",
        "consequences.0.due",
    )
    undated = {"what": "Nieuwe cursusdatum", "who": "petra"}
    response = api.post(url, {"text": "Kosteloos opnieuw.", "consequences": [undated]})
    assert response.status_code == 200
    assert response.json()["actions"][0]["due"] == "2026-11-09"


def test_management_sets_the_short_term_within_its_bounds(manager: Any) -> None:
    """R11: shown in Instellingen, 1 to 10 working days, and stated in the regulation (R17)."""
    client = logged_in(manager)
    html = client.get("/instellingen/termijnen/").content.decode()
    assert "Gevolgen van een uitspraak uiterlijk na (werkdagen)" in html
    assert 'name="ruling_consequence_working_days" value="5"' in html
    terms = {
        "contact_working_hours": "24",
        "delay_notice_days": "21",
        "settlement_days": "28",
        "retention_years": "2",
        "retention_mode": "anonymise",
        "good_friday_off": "on",  # the holidays are saved on the same page
    }
    refused = client.post(
        "/instellingen/termijnen/", {**terms, "ruling_consequence_working_days": "30"}
    )
    assert refused.status_code == 200
    assert "Kies een waarde van 1 tot en met 10." in refused.content.decode()
    assert organisation_settings().ruling_consequence_working_days == 5
    saved = client.post(
        "/instellingen/termijnen/", {**terms, "ruling_consequence_working_days": "3"}
    )
    assert saved.status_code == 302
    assert organisation_settings().ruling_consequence_working_days == 3
    regulation = Client().get("/regeling/").content.decode()
    assert "uiterlijk 3 werkdagen nadat het oordeel bekend is" in regulation


# --- Warnings for dates on days off ------------------------------------------------------------


def test_the_live_check_names_the_day_off(employee: Any) -> None:
    """A weekend, a holiday by its name, a closing day by its description; nothing for a
    working day or for no date at all."""
    ClosingDay.objects.create(day=date(2026, 12, 28), description="Kerstsluiting")
    client = logged_in(employee)

    def check(value: str) -> str:
        return client.get("/meldingen/datumcontrole/", {"acties-0-due": value}).content.decode()

    assert "zaterdag 7 november 2026 valt in het weekend" in check("2026-11-07")
    assert "vrijdag 25 december 2026 is een feestdag (Eerste kerstdag)" in check("2026-12-25")
    assert "maandag 28 december 2026 is een sluitingsdag (Kerstsluiting)" in check("2026-12-28")
    assert "Let op" not in check("2026-11-09")
    assert "Let op" not in check("")
    assert Client().get("/meldingen/datumcontrole/?d=2026-11-07").status_code == 302


def test_the_date_fields_that_promise_something_carry_the_live_check(
    disputed: Complaint, contacted: Complaint, employee: Any
) -> None:
    """R3, R9, R11: the agreed term, every action line and the ruling's date."""
    client = logged_in(employee)
    html = client.get(f"/meldingen/{disputed.reference}/uitspraak/").content.decode()
    assert html.count('hx-get="/meldingen/datumcontrole/"') == 1 + 3 + 1  # date, rows, template
    html = client.get(f"/meldingen/{contacted.reference}/contact/").content.decode()
    assert html.count('hx-get="/meldingen/datumcontrole/"') == 1


def test_an_action_on_a_saturday_is_saved_with_a_warning(
    contacted: Complaint, employee: Any
) -> None:
    """R9: not a refusal: the plan is saved, and the page says the date is no working day."""
    response = logged_in(employee).post(
        f"/meldingen/{contacted.reference}/acties/",
        {
            "acties-TOTAL_FORMS": "3",
            "acties-INITIAL_FORMS": "0",
            "acties-0-what": "Cursusmap nasturen",
            "acties-0-who": str(employee.pk),
            "acties-0-due": "2026-11-07",
            "acties-1-what": "Docent bellen",
            "acties-1-who": str(employee.pk),
            "acties-1-due": "2026-11-05",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][1] == 302
    assert contacted.actions.count() == 2
    assert "Let op: zaterdag 7 november 2026 valt in het weekend, dat is geen werkdag." in html
    assert "donderdag 5 november 2026 valt" not in html


def test_a_ruling_dated_on_a_sunday_is_saved_with_a_warning(
    disputed: Complaint, employee: Any
) -> None:
    """R11: the ruling's date may be a Sunday (the third party decides when it decides), but
    it is worth a second look."""
    response = logged_in(employee).post(
        f"/meldingen/{disputed.reference}/uitspraak/",
        _ruling(employee, "2026-11-06", ruled_on="2026-11-01"),
        follow=True,
    )
    html = response.content.decode()
    assert Complaint.objects.get(pk=disputed.pk).ruling_on == date(2026, 11, 1)
    assert "Let op: zondag 1 november 2026 valt in het weekend" in html
