"""The complaints regulation (R17): one content, two forms (the page and the PDF), generated
from the settings that also drive the system, so the text and the behaviour never disagree."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from klachten.domain.deadlines import deadlines_for
from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import services
from klachten.organisation.selectors import organisation_terms, work_calendar
from klachten.public.regulation import regulation_get

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def no_cached_pdf():
    """Each test starts without a cached PDF (the cache outlives the test database)."""
    cache.clear()


def _words(text: str) -> str:
    """Text with every run of white space as one space (PDF lines break anywhere)."""
    return " ".join(text.split())


def _squeezed(text: str) -> str:
    """Text without any white space: a PDF line may break inside an address (http:// 127…)."""
    return "".join(text.split())


def page_text(client: Client) -> str:
    response = client.get("/regeling/")
    assert response.status_code == 200
    body = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return _words(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def pdf_text(client: Client) -> str:
    response = client.get("/regeling.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return _words(" ".join(page.extract_text() for page in reader.pages))


def both(client: Client) -> tuple[str, str]:
    return page_text(client), pdf_text(client)


# --- What it says with the procedure's settings ------------------------------------------------


def test_the_regulation_is_public_and_states_the_procedures_terms(client, db):
    """R17, R3, R16, R5, R11: the default terms, retention and third party, in both forms."""
    for text in both(client):
        assert "Klachtenregeling Kerngroep" in text
        assert "binnen 24 uur op werkdagen" in text
        assert "binnen 3 weken na ontvangst" in text
        assert "binnen 4 weken na ontvangst" in text
        assert "na afsluiting 2 jaar bewaard" in text
        assert "Sandra Kok" in text
        assert "https://www.sandra-kok.nl" in _squeezed(text)
        assert "bindend" in text


def test_the_page_and_the_pdf_say_the_same(client, manager):
    """R17: every sentence of the one content is on the page and in the PDF."""
    services.closing_days_add(
        actor=manager,
        first=date(2026, 12, 28),
        last=date(2026, 12, 31),
        description="Kerstsluiting",
        now=NOW,
    )
    services.organisation_settings_update(
        actor=manager,
        changes={"street": "Oudegracht 100", "postcode": "3511AB", "town": "Utrecht"},
        now=NOW,
    )
    page, pdf = both(client)
    content = regulation_get(today=NOW.date())
    sentences = [_words(line) for line in content.plain_text().splitlines() if line.strip()]
    assert len(sentences) > 30
    for sentence in sentences:
        assert _squeezed(sentence) in _squeezed(page), sentence
        assert _squeezed(sentence) in _squeezed(pdf), sentence


def test_the_pdf_is_shown_in_the_browser_with_a_fitting_name(client, db):
    response = client.get("/regeling.pdf")
    assert response["Content-Disposition"] == 'inline; filename="klachtenregeling-kerngroep.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "title"), [("nl", "Klachtenregeling Kerngroep"), ("en", None)]
)
def test_the_pdf_is_tagged_for_accessibility_with_its_language_and_title(
    client, db, language, title
):
    """R17, issue #10 (11): PDF/UA-1 — a structure tree for screen readers, marked content,
    the document's language and its title, shown as the window title."""
    response = client.get("/regeling.pdf", headers={"Accept-Language": language})
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == language
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title
    if title:
        assert reader.metadata.title == title


def test_the_page_is_dutch_and_links_to_the_pdf(client, db):
    html = client.get("/regeling/").content.decode()
    assert '<html lang="nl">' in html
    assert 'href="/regeling.pdf"' in html
    assert "<h1>Klachtenregeling Kerngroep</h1>" in html
    assert '<a href="https://www.sandra-kok.nl"' in html


def test_the_regulation_speaks_english_on_request(client, db):
    """Through gettext: the page follows the language like every other page."""
    html = client.get("/regeling/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in html


def test_the_login_page_links_to_the_regulation(client, db):
    """R17: the regulation is reachable from the public front door."""
    assert 'href="/regeling/"' in client.get("/").content.decode()


def test_the_regulation_names_complaints_by_their_name(client, db):
    """R13's one exception (PROCEDURE.md): the formal regulation says "klacht"."""
    assert "klacht" in page_text(client).lower()


# --- Every setting changes both forms ----------------------------------------------------------


def test_changed_terms_change_the_page_and_the_pdf(client, manager):
    """R3, R16: 48 working hours, 2 and 6 weeks; in both forms, and the old words are gone."""
    services.organisation_settings_update(
        actor=manager,
        changes={"contact_working_hours": 48, "delay_notice_days": 14, "settlement_days": 42},
        now=NOW,
    )
    for text in both(client):
        assert "binnen 48 uur op werkdagen" in text
        assert "binnen 2 weken na ontvangst" in text
        assert "binnen 6 weken na ontvangst" in text
        assert "24 uur" not in text
        assert "3 weken" not in text
        assert "4 weken" not in text


def test_terms_that_are_not_whole_weeks_are_given_in_days(client, manager):
    """R16: 20 and 30 days are not rounded to weeks."""
    services.organisation_settings_update(
        actor=manager, changes={"delay_notice_days": 20, "settlement_days": 30}, now=NOW
    )
    for text in both(client):
        assert "binnen 20 dagen na ontvangst" in text
        assert "binnen 30 dagen na ontvangst" in text


def test_retention_changes_both_forms(client, manager):
    """R5: 3 years, then erased."""
    services.organisation_settings_update(
        actor=manager, changes={"retention_years": 3, "retention_mode": "erase"}, now=NOW
    )
    for text in both(client):
        assert "na afsluiting 3 jaar bewaard" in text
        assert "alle gegevens van de klacht gewist" in text
        assert "2 jaar" not in text


def test_retention_of_one_year_is_singular(client, manager):
    services.organisation_settings_update(actor=manager, changes={"retention_years": 1}, now=NOW)
    assert "na afsluiting 1 jaar bewaard" in page_text(client)


def test_the_third_party_changes_both_forms(client, manager):
    """R11: another independent third party, named with its website, its ruling binding."""
    services.organisation_settings_update(
        actor=manager,
        changes={
            "third_party_name": "Stichting Geschillen Opleidingen",
            "third_party_website": "https://geschillen.example.nl",
        },
        now=NOW,
    )
    for text in both(client):
        assert "Stichting Geschillen Opleidingen" in text
        assert "https://geschillen.example.nl" in _squeezed(text)
        assert (
            "Het oordeel van Stichting Geschillen Opleidingen over het geschil is bindend" in text
        )
        assert "Sandra Kok" not in text


def test_the_organisations_name_and_contact_details_change_both_forms(client, manager):
    """R17: who to contact, and whose regulation it is (also the PDF's file name)."""
    services.organisation_settings_update(
        actor=manager,
        changes={
            "name": "Kerngroep Opleidingen",
            "street": "Oudegracht 100",
            "postcode": "3511AB",
            "town": "Utrecht",
            "phone": "030 123 4567",
            "email": "info@kerngroep.nl",
            "website": "https://www.kerngroep.nl",
        },
        now=NOW,
    )
    for text in both(client):
        assert "Klachtenregeling Kerngroep Opleidingen" in text
        assert "Oudegracht 100" in text
        assert "3511 AB Utrecht" in text
        assert "Telefoon: 030 123 4567" in text
        assert "E-mail: info@kerngroep.nl" in text
        assert "Website:https://www.kerngroep.nl" in _squeezed(text)
    response = client.get("/regeling.pdf")
    assert (
        'filename="klachtenregeling-kerngroep-opleidingen.pdf"' in response["Content-Disposition"]
    )


def test_the_calendar_settings_change_the_listed_holidays(client, manager):
    """Good Friday worked, Liberation Day every year off: the regulation lists the days off."""
    before = page_text(client)
    assert "Goede Vrijdag" in before
    assert "Bevrijdingsdag (5 mei, in lustrumjaren: 2025, 2030, …)" in before
    services.calendar_settings_update(
        actor=manager, good_friday_off=False, liberation_day_every_year=True, now=NOW
    )
    for text in both(client):
        assert "Goede Vrijdag" not in text
        assert "Bevrijdingsdag (5 mei, elk jaar)" in text


def test_upcoming_closing_days_are_listed_as_periods(client, manager):
    """Closing days ahead, consecutive ones as one period; past ones are not listed."""
    services.closing_days_add(
        actor=manager,
        first=date(2026, 12, 28),
        last=date(2027, 1, 1),
        description="Kerstsluiting",
        now=NOW,
    )
    services.closing_days_add(
        actor=manager, first=date(2026, 10, 30), description="Studiedag", now=NOW
    )
    for text in both(client):
        assert "28 december 2026 tot en met 1 januari 2027 (Kerstsluiting)" in text
        assert "Studiedag" not in text


# --- What it says is what the system does ------------------------------------------------------


def _stated_terms(text: str) -> Terms:
    """The terms as the regulation states them, read back from its text."""

    def days(pattern: str) -> int:
        number, unit = re.search(pattern, text).groups()
        return int(number) * (7 if unit.startswith("we") else 1)

    return Terms(
        contact_working_hours=int(re.search(r"binnen (\d+) uur op werkdagen", text)[1]),
        delay_notice_days=days(r"daarvan binnen (\d+) (weken|week|dagen|dag) na ontvangst"),
        settlement_days=days(r"handelt iedere klacht af binnen (\d+) (weken|week|dagen|dag) na"),
    )


@pytest.mark.parametrize(
    "terms",
    [
        {},
        {"contact_working_hours": 8, "delay_notice_days": 7, "settlement_days": 14},
        {"contact_working_hours": 36, "delay_notice_days": 20, "settlement_days": 30},
        {"contact_working_hours": 72, "delay_notice_days": 28, "settlement_days": 56},
    ],
)
def test_the_stated_terms_are_the_terms_the_deadlines_are_computed_with(client, manager, terms):
    """R17: terms read back from the PDF give the deadlines the system computes, all year.

    Every receipt at 14:00 on every day of 2026, around Easter, King's Day, Christmas and the
    organisation's closing days: the deadlines under the stated terms are the deadlines
    registering a complaint would store.
    """
    if terms:
        services.organisation_settings_update(actor=manager, changes=terms, now=NOW)
    services.closing_days_add(
        actor=manager,
        first=date(2026, 12, 28),
        last=date(2026, 12, 31),
        description="Kerst",
        now=NOW,
    )
    stated = _stated_terms(pdf_text(client))
    assert stated == organisation_terms()
    calendar = work_calendar()
    for day in range(365):
        received_at = datetime(2026, 1, 1, 14, 0, tzinfo=AMSTERDAM) + timedelta(days=day)
        assert deadlines_for(received_at, calendar, stated) == deadlines_for(
            received_at, calendar, organisation_terms()
        )


@pytest.mark.parametrize(
    ("hours", "example"),
    [
        (24, "vrijdag om 14.00 uur, dan neemt Kerngroep uiterlijk op maandag om 14.00 uur"),
        (8, "vrijdag om 14.00 uur, dan neemt Kerngroep uiterlijk op vrijdag om 22.00 uur"),
        (34, "vrijdag om 14.00 uur, dan neemt Kerngroep uiterlijk op maandag om 24.00 uur"),
        (72, "vrijdag om 14.00 uur, dan neemt Kerngroep uiterlijk op woensdag om 14.00 uur"),
    ],
)
def test_the_contact_example_is_computed_by_the_domain(client, manager, hours, example):
    """R3: the example follows the term: working hours run only on working days, 00:00–24:00."""
    services.organisation_settings_update(
        actor=manager, changes={"contact_working_hours": hours}, now=NOW
    )
    for text in both(client):
        assert example in text


# --- Cost --------------------------------------------------------------------------------------


def test_the_page_costs_four_queries_however_many_closing_days(client, manager):
    """The three settings and the version in force (R17, #16 item 7)."""

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/regeling/").status_code == 200
        return len(captured.captured_queries)

    services.closing_days_add(actor=manager, first=date(2027, 3, 1), description="A", now=NOW)
    few = count()
    services.closing_days_add(
        actor=manager, first=date(2027, 4, 1), last=date(2027, 4, 30), description="B", now=NOW
    )
    assert count() == few == 4


def test_the_pdf_is_rendered_once_per_content(client, manager, monkeypatch):
    """The PDF is cached under a digest of its HTML: a changed setting renders a new one."""
    from klachten.public import regulation_views

    rendered = []
    original = regulation_views.html_to_pdf
    monkeypatch.setattr(
        regulation_views, "html_to_pdf", lambda html: rendered.append(html) or original(html)
    )
    first = client.get("/regeling.pdf").content
    assert client.get("/regeling.pdf").content == first
    services.organisation_settings_update(actor=manager, changes={"retention_years": 1}, now=NOW)
    client.get("/regeling.pdf")
    assert len(rendered) == 2
