"""*Instellingen* in the browser's words: an index and a page per section, each with one save;
who may see them, what each save does, what a refusal looks like, and what it costs
(UX.md "Instellingen"; issue #14, item 5; R3, R5, R11, R16, R17)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import services
from klachten.organisation.models import Category, ClosingDay, RootCause
from klachten.organisation.selectors import (
    calendar_settings,
    organisation_settings,
    organisation_terms,
    work_calendar,
)
from tests.conftest import logged_in

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)

SECTION_PAGES = [
    "/instellingen/",
    "/instellingen/organisatie/",
    "/instellingen/termijnen/",
    "/instellingen/herinneringen/",
    "/instellingen/indeling/",
    "/instellingen/medewerkers/",
]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def management(manager) -> Client:
    return logged_in(manager)


def _saves(html: str) -> int:
    """The primary saves on a page: its one form's button (rows' buttons are quiet)."""
    return html.count('class="settings-save"')


# --- Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SECTION_PAGES)
def test_management_opens_every_section_with_its_navigation(management, path):
    """Each section is its own page, with the section navigation marking where one is."""
    response = management.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Onderdelen van de instellingen"' in html
    assert f'href="{path}" aria-current="page"' in html
    assert _saves(html) <= 1


def test_the_index_sums_up_every_section_in_a_line(management):
    html = management.get("/instellingen/").content.decode()
    for heading in [
        "Instellingen",
        "Organisatie",
        "Termijnen en kalender",
        "Herinneringen",
        "Categorieën en oorzaken",
        "Berichtsjablonen",
        "Medewerkers",
    ]:
        assert heading in html, heading
    assert "Kerngroep; onafhankelijke derde: Sandra Kok." in html
    assert "Contact binnen 24 werkuren, uitstelbericht uiterlijk na 3 weken" in html
    assert "1 actief account, waarvan 1 van de directie." in html
    assert 'href="/berichtsjablonen/"' in html
    assert 'href="/regeling/"' in html
    assert _saves(html) == 0


def test_each_section_page_shows_its_own_form_only(management):
    organisation = management.get("/instellingen/organisatie/").content.decode()
    assert 'value="Sandra Kok"' in organisation
    assert "Contact met de klant binnen" not in organisation
    terms = management.get("/instellingen/termijnen/").content.decode()
    assert 'value="24"' in terms
    assert "contact met de klant binnen 24 werkuren" in terms
    assert "Goede Vrijdag is een vrije dag" in terms
    assert "Sluitingsdag toevoegen" in terms
    assert "Sandra Kok" not in terms
    lists = management.get("/instellingen/indeling/").content.decode()
    assert "Nieuwe categorie" in lists
    assert "Nieuwe oorzaak" in lists
    assert _saves(lists) == 0  # a row saves itself, with a quiet button


def test_staff_text_carries_no_rule_numbers(management):
    """UX.md: rule numbers belong in code and docs; staff see them only in a refusal."""
    for path in SECTION_PAGES:
        html = management.get(path).content.decode()
        for rule in ("(R3", "(R5", "(R11)", "(R16)", "(R17)", "R9)"):
            assert rule not in html, (path, rule)


def test_an_admin_sees_it_too_with_a_link_to_change_accounts(admin_user, manager):
    client = logged_in(admin_user)
    for path in SECTION_PAGES:
        assert client.get(path).status_code == 200, path
    accounts = client.get("/instellingen/medewerkers/").content.decode()
    assert 'href="/beheer/accounts/staff/"' in accounts
    management_view = logged_in(manager).get("/instellingen/medewerkers/").content.decode()
    assert "/beheer/" not in management_view  # only admins reach the admin


def test_the_accounts_section_lists_staff_with_role_and_state(management, employee, make_staff):
    gone = make_staff("oud", "employee", first_name="Oud", last_name="Gediende")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    html = management.get("/instellingen/medewerkers/").content.decode()
    assert "Petra de Vries" in html
    assert "Medewerker" in html
    assert "Marco Jansen" in html
    assert "Directie" in html
    assert "Oud Gediende" in html
    assert "niet actief" in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>")[0]  # read-only


@pytest.mark.parametrize("path", SECTION_PAGES)
def test_an_employee_is_refused_calmly(employee, path):
    """UX.md: Instellingen is management's; an employee gets a Dutch 403, no form."""
    response = logged_in(employee).get(path)
    assert response.status_code == 403
    assert "Alleen voor de directie" in response.content.decode()


def test_an_employee_cannot_save_either(employee):
    client = logged_in(employee)
    response = client.post("/instellingen/termijnen/", {"contact_working_hours": "8"})
    assert response.status_code == 403
    response = client.post("/instellingen/organisatie/", {"name": "Iets anders"})
    assert response.status_code == 403
    assert organisation_terms().contact_working_hours == 24
    assert organisation_settings().name == "Kerngroep"


def test_a_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/instellingen/termijnen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_management_has_it_in_the_navigation_and_employees_do_not(management, employee):
    assert 'href="/instellingen/"' in management.get("/").content.decode()
    assert 'href="/instellingen/"' not in logged_in(employee).get("/").content.decode()


def test_the_message_templates_page_carries_the_section_navigation(management):
    html = management.get("/berichtsjablonen/").content.decode()
    assert 'href="/berichtsjablonen/" aria-current="page"' in html
    assert 'href="/instellingen/termijnen/"' in html


# --- Organisatie -------------------------------------------------------------------------------

ORGANISATION = {
    "name": "Kerngroep Opleidingen",
    "street": "Oudegracht 100",
    "postcode": "3511ab",
    "town": "Utrecht",
    "phone": "030 123 4567",
    "email": "info@kerngroep.nl",
    "website": "https://www.kerngroep.nl",
    "third_party_name": "Sandra Kok",
    "third_party_website": "https://www.sandra-kok.nl",
}


def test_organisation_details_and_the_third_party_are_saved_with_one_button(management):
    response = management.post(
        "/instellingen/organisatie/",
        {**ORGANISATION, "third_party_name": "Geschillencommissie"},
        follow=True,
    )
    assert response.redirect_chain == [("/instellingen/organisatie/", 302)]
    assert "De gegevens van de organisatie zijn opgeslagen." in response.content.decode()
    settings = organisation_settings()
    assert (settings.name, settings.postcode) == ("Kerngroep Opleidingen", "3511 AB")
    assert settings.third_party_name == "Geschillencommissie"


def test_a_service_refusal_shows_next_to_its_field_and_keeps_the_input(management):
    """The postcode is checked by the service: its message lands next to the postcode."""
    response = management.post("/instellingen/organisatie/", {**ORGANISATION, "postcode": "ABCD"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="foutmeldingen"' in html
    assert 'id="id_postcode_error"' in html
    assert "Een Nederlandse postcode is vier cijfers en twee letters, zoals 1234 AB." in html
    assert 'value="ABCD"' in html
    assert 'value="Oudegracht 100"' in html
    assert organisation_settings().postcode == ""


def test_the_third_party_is_required(management):
    """R11: without a third party the regulation could not name one."""
    response = management.post(
        "/instellingen/organisatie/",
        {**ORGANISATION, "third_party_name": "", "third_party_website": ""},
    )
    html = response.content.decode()
    assert "Nog niet opgeslagen" in html
    assert "Vul de naam van de onafhankelijke derde in (R11)." in html
    assert "Vul de website van de onafhankelijke derde in (R11)." in html
    assert organisation_settings().name == "Kerngroep"


# --- Termijnen en kalender ---------------------------------------------------------------------

TERMS = {
    "contact_working_hours": "48",
    "delay_notice_days": "14",
    "settlement_days": "42",
    "ruling_consequence_working_days": "5",
    "retention_years": "3",
    "retention_mode": "erase",
    "good_friday_off": "on",
}


def test_terms_retention_and_holidays_are_saved_with_one_button(management):
    """R3, R16, R5: saved, with the message that existing complaints keep their deadlines."""
    response = management.post(
        "/instellingen/termijnen/", {**TERMS, "liberation_day_every_year": "on"}, follow=True
    )
    assert response.redirect_chain == [("/instellingen/termijnen/", 302)]
    html = response.content.decode()
    assert "termijnen van bestaande meldingen blijven staan" in html
    assert "contact met de klant binnen 48 werkuren" in html
    assert "uitstelbericht uiterlijk na 2 weken" in html
    assert "afhandeling uiterlijk na 6 weken" in html
    settings = organisation_settings()
    assert (settings.retention_years, settings.retention_mode) == (3, "erase")
    assert not work_calendar().is_working_day(date(2026, 5, 5))


def test_the_holidays_follow_the_ticks(management):
    management.post("/instellingen/termijnen/", {**TERMS, "good_friday_off": ""})
    calendar = work_calendar()
    assert calendar.is_working_day(date(2026, 4, 3))  # Good Friday unticked
    assert calendar.is_working_day(date(2026, 5, 5))  # not a lustrum year


def test_every_problem_with_the_terms_shows_next_to_its_field_and_nothing_is_saved(management):
    """R3, R16, R5: all problems at once, in Dutch, with what was typed kept; the holidays
    on the same form are not saved either."""
    response = management.post(
        "/instellingen/termijnen/",
        {
            **TERMS,
            "contact_working_hours": "100",
            "settlement_days": "10",
            "retention_years": "5",
            "good_friday_off": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nog niet opgeslagen" in html
    assert html.count("Kies een waarde van") == 3 * 2  # in the summary and next to the field
    assert 'id="id_contact_working_hours_error"' in html
    assert 'id="id_settlement_days_error"' in html
    assert 'id="id_retention_years_error"' in html
    assert 'value="100"' in html
    assert organisation_terms().contact_working_hours == 24
    assert calendar_settings().good_friday_off is True


def test_a_delay_notice_on_or_after_the_settlement_is_explained(management):
    response = management.post(
        "/instellingen/termijnen/", {**TERMS, "delay_notice_days": "28", "settlement_days": "28"}
    )
    assert "Het uitstelbericht moet vóór de afhandeltermijn vallen" in response.content.decode()


def test_not_a_number_is_explained(management):
    response = management.post("/instellingen/termijnen/", {**TERMS, "settlement_days": "vier"})
    assert "Vul een heel getal in." in response.content.decode()


def test_closing_days_are_added_listed_and_removed_on_the_terms_page(management):
    """R3, R16: the Christmas week becomes closing days; one is removed again."""
    response = management.post(
        "/instellingen/sluitingsdagen/",
        {
            "sluiting-first": "2026-12-28",
            "sluiting-last": "2026-12-31",
            "sluiting-description": "Kerstsluiting",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/instellingen/termijnen/#sluitingsdagen", 302)]
    html = response.content.decode()
    assert "De sluitingsdagen zijn toegevoegd." in html
    assert "ma 28 dec 2026" in html
    assert html.count("Kerstsluiting") == 4
    assert not work_calendar().is_working_day(date(2026, 12, 29))
    removed = ClosingDay.objects.get(day=date(2026, 12, 29))
    response = management.post(
        f"/instellingen/sluitingsdagen/{removed.pk}/verwijderen/", follow=True
    )
    assert response.redirect_chain == [("/instellingen/termijnen/#sluitingsdagen", 302)]
    assert "Sluitingsdag 29-12-2026 is verwijderd." in response.content.decode()
    assert work_calendar().is_working_day(date(2026, 12, 29))


def test_a_closing_day_with_bad_input_is_explained_in_dutch(management):
    response = management.post(
        "/instellingen/sluitingsdagen/",
        {"sluiting-first": "28-12", "sluiting-description": ""},
    )
    html = response.content.decode()
    assert "Vul een datum in, bijvoorbeeld 28 december 2026." in html
    assert "Vul een omschrijving in, bijvoorbeeld Kerstsluiting." in html
    assert 'value="24"' in html  # the terms form is still there, as it was
    response = management.post(
        "/instellingen/sluitingsdagen/",
        {"sluiting-first": "2026-12-26", "sluiting-description": "Zaterdag"},
    )
    assert "Zaterdag en zondag zijn al geen werkdagen." in response.content.decode()
    assert not ClosingDay.objects.exists()


def test_removing_a_closing_day_that_is_gone_says_so(management):
    response = management.post("/instellingen/sluitingsdagen/999/verwijderen/", follow=True)
    assert "Deze sluitingsdag bestaat niet (meer)." in response.content.decode()


# --- Herinneringen -----------------------------------------------------------------------------

REMINDERS = {
    "reminder_contact_working_hours": "8",
    "reminder_delay_notice_day": "12",
    "reminder_settlement_day": "24",
    "reminder_action_working_days": "2",
}


def test_the_reminder_lead_times_are_saved(management):
    """Issue #5: lead times are settings; the reminder run reads them."""
    from klachten.complaints.reminders import reminder_leads
    from klachten.domain.reminders import ReminderLeads

    response = management.post("/instellingen/herinneringen/", REMINDERS, follow=True)

    assert response.redirect_chain == [("/instellingen/herinneringen/", 302)]
    assert "De herinneringen zijn opgeslagen." in response.content.decode()
    assert reminder_leads(organisation_settings()) == ReminderLeads(8, 12, 24, 2)


def test_a_reminder_after_its_deadline_is_refused_next_to_the_field(management):
    response = management.post(
        "/instellingen/herinneringen/", {**REMINDERS, "reminder_settlement_day": "30"}
    )

    html = response.content.decode()
    assert "Nog niet opgeslagen" in html
    assert "Kies een waarde van 1 tot en met 27." in html
    assert 'id="id_reminder_settlement_day_error"' in html
    assert 'value="30"' in html
    assert organisation_settings().reminder_settlement_day == 25


# --- Categorieën en oorzaken -------------------------------------------------------------------


def test_categories_are_added_renamed_and_deactivated(management):
    response = management.post(
        "/instellingen/categorieen/", {"categorie-name": "Lesmateriaal"}, follow=True
    )
    assert response.redirect_chain == [("/instellingen/indeling/#categorie-lijst", 302)]
    assert "“Lesmateriaal” is toegevoegd." in response.content.decode()
    category = Category.objects.get()
    response = management.post(
        f"/instellingen/categorieen/{category.pk}/",
        {f"categorie-{category.pk}-name": "Cursusmateriaal"},
        follow=True,
    )
    assert response.redirect_chain == [("/instellingen/indeling/#categorie-lijst", 302)]
    assert "“Cursusmateriaal” is opgeslagen." in response.content.decode()
    category.refresh_from_db()
    assert (category.name, category.active) == ("Cursusmateriaal", False)
    assert 'value="Cursusmateriaal"' in response.content.decode()


def test_a_duplicate_category_is_refused_next_to_the_name(management, manager):
    first = services.category_create(actor=manager, name="Planning", now=NOW)
    other = services.category_create(actor=manager, name="Docent", now=NOW)
    response = management.post(
        f"/instellingen/categorieen/{other.pk}/",
        {f"categorie-{other.pk}-name": "planning", f"categorie-{other.pk}-active": "on"},
    )
    html = response.content.decode()
    assert f'id="id_categorie-{other.pk}-name_error"' in html
    assert "Deze naam staat al in de lijst." in html
    assert 'value="planning"' in html
    assert first.name == Category.objects.get(pk=first.pk).name


def test_root_causes_are_added_from_the_page(management):
    response = management.post("/instellingen/oorzaken/", {"oorzaak-name": "Communicatie"})
    assert response.status_code == 302
    assert response["Location"] == "/instellingen/indeling/#oorzaak-lijst"
    assert RootCause.objects.get().name == "Communicatie"
    response = management.post("/instellingen/oorzaken/", {"oorzaak-name": ""})
    assert "Vul een naam in." in response.content.decode()


def test_pages_without_a_form_only_read(management):
    for path in ("/instellingen/", "/instellingen/indeling/", "/instellingen/medewerkers/"):
        assert management.post(path).status_code == 405, path
    assert management.get("/instellingen/sluitingsdagen/").status_code == 405


# --- Cost --------------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_settings_pages_cost_the_same_for_3_and_20_items(management, manager):
    """Constant queries, however many closing days, categories and root causes."""

    weekdays = [day for day in (date(2027, 3, 1 + k) for k in range(31)) if day.weekday() < 5]

    def fill(count: int, offset: int) -> None:
        for number in range(offset, offset + count):
            services.category_create(actor=manager, name=f"Categorie {number}", now=NOW)
            services.root_cause_create(actor=manager, name=f"Oorzaak {number}", now=NOW)
            services.closing_days_add(
                actor=manager, first=weekdays[number % len(weekdays)], description="Dag", now=NOW
            )

    fill(3, 0)
    few = {path: _queries(management, path) for path in SECTION_PAGES}
    fill(17, 3)  # 20 weekdays in March 2027
    many = {path: _queries(management, path) for path in SECTION_PAGES}
    assert few == many, (few, many)
    assert max(many.values()) <= 10, many
