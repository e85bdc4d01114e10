"""An audit in Chromium (#16 item 4): management draws a sample of dossiers, the auditor signs
in, lands on *Audit*, reads a dossier without the customer's personal data and cannot reach the
complaint itself."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from klachten.audit.models import AuditEntry
from klachten.complaints.services import Checklist, complaint_register
from tests.complaints.conftest import customer_data
from tests.conftest import PASSWORD


def _log_in(page: Any, username: str) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def test_management_samples_and_the_auditor_reads_without_personal_data(
    page: Any, browser: Any, live_server: Any, employee: Any, manager: Any, make_staff: Any
) -> None:
    from playwright.sync_api import expect

    now = timezone.now()
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(name="Mevrouw R. Hoogendoorn", email="r.hoogendoorn@example.nl"),
        naw_checked=True,
        received_at=now - timedelta(days=3),
        channel="phone",
        report="Mevrouw Hoogendoorn (r.hoogendoorn@example.nl) miste het examenrooster.",
        checklist=Checklist(not_interrupted=True),
        now=now - timedelta(days=3),
    )
    make_staff("ines", "auditor", first_name="Ines", email="ines@audit.example")

    _log_in(page, "marco")
    page.get_by_role("link", name="Audit").click()
    page.get_by_label("Kenmerk").fill(complaint.reference)
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("link", name=complaint.reference)).to_be_visible()

    auditor = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    _log_in(auditor, "ines")
    expect(auditor).to_have_url(re.compile(r"/audit/$"))
    expect(auditor.get_by_role("link", name="Nieuwe melding")).to_have_count(0)
    auditor.get_by_role("link", name=complaint.reference).click()
    expect(auditor.get_by_role("heading", name=f"Dossier {complaint.reference}")).to_be_visible()
    body = auditor.locator("main").inner_text()
    assert "miste het examenrooster" in body
    assert "Hoogendoorn" not in body
    assert "r.hoogendoorn@example.nl" not in body
    assert "[klant]" in body

    auditor.goto(f"/meldingen/{complaint.reference}/")
    expect(auditor.get_by_role("heading", name=complaint.reference)).to_have_count(0)
    assert AuditEntry.objects.filter(
        action="auditor_read", actor__username="ines", complaint=complaint
    ).exists()
    auditor.context.close()
