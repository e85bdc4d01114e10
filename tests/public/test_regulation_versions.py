"""The regulation's versions (R17, #16 item 7): each change of what the regulation shows makes a
new dated version, every complaint has the version in force when it was received, and old
versions stay readable as a page and a PDF — also in the evidence pack for the audit."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from klachten.auditing import selectors as auditing
from klachten.complaints.services import Checklist, complaint_register
from klachten.core.errors import InvalidInput
from klachten.domain.workdays import AMSTERDAM
from klachten.ops.evidence import COVER, FILES, REGULATION, evidence_pack
from klachten.organisation import services
from klachten.organisation.models import RegulationVersion
from klachten.organisation.selectors import regulation_version_at, regulation_versions
from klachten.public.receivers import regulation_version_after_migrate
from klachten.public.regulation_versions import regulation_version_record
from klachten.reports.register import register_for
from tests.complaints.conftest import customer_data
from tests.conftest import logged_in

FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)  # version 1 from here
CHANGE = datetime(2026, 6, 1, 9, 0, tzinfo=AMSTERDAM)  # version 2: 21 days for the notice
LATER = datetime(2026, 9, 1, 9, 0, tzinfo=AMSTERDAM)


def _words(text: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _pdf_words(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.fixture(autouse=True)
def own_versions(db):
    """Each test keeps its own versions: ``migrate`` kept one at the real time, which a test
    on fixed dates must not depend on; the cached PDFs go too."""
    RegulationVersion.objects.all().delete()
    cache.clear()


@pytest.fixture
def two_versions(manager):
    """Version 1 from FIRST, version 2 from CHANGE with a longer delay-notice term (R16)."""
    first = regulation_version_record(now=FIRST)
    services.organisation_settings_update(
        actor=manager, changes={"delay_notice_days": 24}, now=CHANGE
    )
    assert first is not None
    return first, RegulationVersion.objects.get(number=2)


# --- A change makes a version -----------------------------------------------------------------


def test_a_change_the_regulation_shows_makes_a_dated_version_with_that_text(manager):
    """R17: the version keeps the text as it read from the moment of the change on."""
    first = regulation_version_record(now=FIRST)
    assert first is not None
    assert (first.number, first.in_force_from) == (1, FIRST)

    services.organisation_settings_update(
        actor=manager, changes={"third_party_name": "Geschillencommissie Onderwijs"}, now=CHANGE
    )
    second = RegulationVersion.objects.get(number=2)
    assert second.in_force_from == CHANGE
    nl = _words(str(second.content["nl"]))
    assert "Geschillencommissie Onderwijs" in nl
    assert "Sandra Kok" in _words(str(first.content["nl"]))
    assert "Sandra Kok" not in nl
    # Kept in English as well, for the English page.
    assert "Geschillencommissie Onderwijs" in str(second.content["en"])
    assert second.content["en"]["title"] != second.content["nl"]["title"]


@pytest.mark.parametrize(
    "change",
    [
        lambda manager: services.closing_days_add(
            actor=manager, first=date(2026, 12, 28), description="Kerstsluiting", now=CHANGE
        ),
        lambda manager: services.calendar_settings_update(
            actor=manager, good_friday_off=False, liberation_day_every_year=True, now=CHANGE
        ),
        lambda manager: services.organisation_settings_update(
            actor=manager, changes={"retention_years": 3}, now=CHANGE
        ),
    ],
    ids=["closing day", "calendar", "retention"],
)
def test_every_kind_of_setting_the_regulation_shows_makes_a_version(manager, change):
    regulation_version_record(now=FIRST)
    change(manager)
    assert [version.number for version in regulation_versions()] == [1, 2]


def test_a_change_the_regulation_does_not_show_makes_no_version(manager):
    """A reminder lead is no part of the regulation: its text, and so its version, stay."""
    regulation_version_record(now=FIRST)
    services.organisation_settings_update(
        actor=manager, changes={"reminder_settlement_day": 20}, now=CHANGE
    )
    assert regulation_version_record(now=LATER) is None
    assert [version.number for version in regulation_versions()] == [1]


def test_a_refused_change_keeps_no_version(manager):
    """Nothing half-saved: a refused term changes neither the settings nor the versions."""
    regulation_version_record(now=FIRST)
    with pytest.raises(InvalidInput):
        services.organisation_settings_update(
            actor=manager, changes={"settlement_days": 10, "delay_notice_days": 24}, now=CHANGE
        )
    assert [version.number for version in regulation_versions()] == [1]


def test_migrate_keeps_the_first_version_and_a_new_one_only_when_the_text_changed(manager):
    """After ``migrate``: the first version of a new installation; an update that did not
    change the wording keeps none."""
    with time_machine.travel(FIRST, tick=False):
        regulation_version_after_migrate(sender=None, using="default")
        regulation_version_after_migrate(sender=None, using="default")
    assert [(v.number, v.in_force_from) for v in regulation_versions()] == [(1, FIRST)]


# --- The version of a complaint ----------------------------------------------------------------


def _complaint(employee, received_at: datetime):
    return complaint_register(
        receiver=employee,
        customer=customer_data(email=f"k{received_at:%m%d}@example.nl"),
        received_at=received_at,
        channel="phone",
        report="Verslag.",
        checklist=Checklist(),
        now=received_at,
    )


def test_every_complaint_has_the_version_in_force_when_it_was_received(
    employee, manager, two_versions, api
):
    """R17: received before the change, version 1; after it, version 2; before the first
    version was kept (an old register's complaint), none. Also in the API."""
    before_any = _complaint(employee, FIRST - timedelta(days=30))
    under_first = _complaint(employee, CHANGE - timedelta(minutes=1))
    under_second = _complaint(employee, CHANGE)

    assert regulation_version_at(before_any.received_at) is None
    assert regulation_version_at(under_first.received_at).number == 1
    assert regulation_version_at(under_second.received_at).number == 2
    # The same answer from the list, as the register looks it up (no query per row).
    versions = regulation_versions()
    for complaint in (before_any, under_first, under_second):
        assert regulation_version_at(complaint.received_at, versions) == regulation_version_at(
            complaint.received_at
        )

    with time_machine.travel(LATER, tick=False):
        body = api.get(f"/api/v1/complaints/{under_first.reference}").json()
        assert body["regulation_version"]["number"] == 1
        assert body["regulation_version"]["url"].endswith("/regeling/versies/1/")
        assert (
            api.get(f"/api/v1/complaints/{before_any.reference}").json()["regulation_version"]
            is None
        )
        page = logged_in(manager).get(f"/meldingen/{under_second.reference}/").content.decode()
    assert 'href="/regeling/versies/2/"' in page
    assert "Klachtenregeling versie 2" in page
    # The auditor's dossier says it too (#16 item 4).
    sampled = auditing.dossier(
        complaint=under_first, now=LATER, placeholders=auditing.placeholders()
    )
    assert sampled.regulation_version.number == 1


def test_the_register_names_each_complaints_version(employee, manager, two_versions):
    _complaint(employee, CHANGE - timedelta(days=1))
    _complaint(employee, CHANGE + timedelta(days=1))
    register = register_for(
        staff=manager, first=date(2026, 1, 1), last=date(2026, 12, 31), now=LATER
    )
    assert [row.regulation_version for row in register.rows()] == [1, 2]


# --- Old versions stay readable -----------------------------------------------------------------


def test_the_versions_page_lists_each_version_with_its_dates(client, two_versions):
    with time_machine.travel(LATER, tick=False):
        response = client.get("/regeling/versies/")
    assert response.status_code == 200
    text = _words(response.content.decode())
    assert "1 juni 2026 09:00" in text
    assert "2 maart 2026 09:00" in text
    assert "geldt nu" in text
    html = response.content.decode()
    for number in (1, 2):
        assert f'href="/regeling/versies/{number}/"' in html
        assert f'href="/regeling/versies/{number}.pdf"' in html
    # The regulation in force says which version it is and links to the others.
    current = client.get("/regeling/").content.decode()
    assert "Versie 2, geldig sinds 1 juni 2026." in _words(current)
    assert 'href="/regeling/versies/"' in current


def test_an_old_version_reads_as_it_did_as_a_page_and_as_a_pdf(client, two_versions):
    """The old term (21 days) where the settings now say 24, with the dates it was in force."""
    with time_machine.travel(LATER, tick=False):
        page = _words(client.get("/regeling/versies/1/").content.decode())
        pdf_response = client.get("/regeling/versies/1.pdf")
        current = _words(client.get("/regeling/versies/2/").content.decode())
    assert "binnen 3 weken na ontvangst" in page
    assert "24 dagen" not in page
    assert "Versie 1, geldig van 2 maart 2026 09:00 tot 1 juni 2026 09:00" in page
    assert "Deze versie geldt niet meer" in page
    assert "24 dagen" in current
    assert "de versie die nu geldt" in current

    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert "versie-1.pdf" in pdf_response["Content-Disposition"]
    pdf = _pdf_words(pdf_response.content)
    assert "binnen 3 weken na ontvangst" in pdf
    assert "Deze versie geldt niet meer" in pdf


def test_an_old_version_reads_in_english_too(client, two_versions):
    response = client.get("/regeling/versies/1/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Version 1" in _words(response.content.decode())


@pytest.mark.parametrize("path", ["/regeling/versies/9/", "/regeling/versies/9.pdf"])
def test_an_unknown_version_is_not_found(client, two_versions, path):
    assert client.get(path).status_code == 404


def test_the_versions_page_costs_one_query_however_many_versions(client, manager):
    regulation_version_record(now=FIRST)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/regeling/versies/").status_code == 200
        return len(captured.captured_queries)

    few = count()
    for days in range(5):
        services.organisation_settings_update(
            actor=manager,
            changes={"delay_notice_days": 22 + days},
            now=CHANGE + timedelta(days=days),
        )
    assert len(regulation_versions()) == 6
    assert count() == few


# --- The evidence pack -------------------------------------------------------------------------


def _pack_texts(manager, first: date, last: date) -> tuple[str, str]:
    pack = evidence_pack(first=first, last=last, actor=manager, now=LATER)
    archive = zipfile.ZipFile(io.BytesIO(pack.file.read()))
    pack.file.close()
    return (
        _pdf_words(archive.read(COVER)),
        _pdf_words(archive.read(FILES[REGULATION][0])),
    )


def test_the_evidence_pack_holds_every_version_in_force_in_the_period(manager, two_versions):
    """#16 items 6 and 7: a year with a change holds both versions, each with its dates."""
    cover, regulation = _pack_texts(manager, date(2026, 1, 1), date(2026, 12, 31))
    assert "de 2 versies die in de periode golden" in cover
    assert "Versie 1: van 2 maart 2026 tot 1 juni 2026" in cover
    assert "Versie 2: sinds 1 juni 2026, geldt nu" in cover
    assert "binnen 3 weken na ontvangst" in regulation  # version 1's term
    assert "24 dagen" in regulation  # version 2's
    assert "Deze versie geldt niet meer" in regulation


def test_the_evidence_pack_of_a_period_under_one_version_holds_that_one(manager, two_versions):
    cover, regulation = _pack_texts(manager, date(2026, 3, 1), date(2026, 4, 30))
    assert "de versie die in de periode gold" in cover
    assert "Versie 1: van 2 maart 2026 tot 1 juni 2026" in cover
    assert "Versie 2" not in cover
    assert "24 dagen" not in regulation


def test_the_evidence_pack_says_so_when_no_version_was_kept_for_the_period(manager, two_versions):
    cover, regulation = _pack_texts(manager, date(2025, 1, 1), date(2025, 12, 31))
    assert "vóór de eerste vastgelegde versie" in cover
    assert "Klachtenregeling Kerngroep" in regulation
