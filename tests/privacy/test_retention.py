"""Retention (R5): kept at least 1 year, gone after the configured term, never during a dispute;
and a customer's request to erase their data (AVG) with the same guards."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from klachten.audit.models import AuditEntry
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import STATUS_LINK_ERASED, ActionItem, Complaint, ContactMoment
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_contact,
    complaint_plan_actions,
    complaint_register,
)
from klachten.core.errors import NotAllowed
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import OrganisationSettings
from klachten.privacy.retention import (
    ANONYMOUS,
    ErasureRefused,
    customer_erase,
    retention_run,
)
from klachten.privacy.tasks import apply_retention

from .conftest import customer_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPORT = "Mevrouw Jansen vertelde dat de cursusmap van haar dochter ontbrak."
CLOSED = datetime(2024, 3, 15, 14, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=AMSTERDAM)


def closed_complaint(employee, *, closed_at: datetime = CLOSED, customer=None, **fields):
    """A complaint handled with contact, an action and an attachment, closed at ``closed_at``."""
    received = closed_at - timedelta(days=20)
    complaint = complaint_register(
        receiver=employee,
        customer=None if customer else customer_data(name="Mevrouw J. Jansen"),
        customer_file=customer,
        received_at=received,
        channel="phone",
        report=REPORT,
        checklist=Checklist(not_interrupted=True, apologised=True),
        now=received,
    )
    complaint_contact(
        complaint=complaint,
        actor=employee,
        at=received + timedelta(hours=2),
        channel="phone",
        summary="Mevrouw Jansen gebeld op 06-12345678.",
        agreed_term=(received + timedelta(days=10)).date(),
        now=received + timedelta(hours=2),
    )
    complaint_plan_actions(
        complaint=complaint,
        actor=employee,
        actions=[
            ActionData(what="Map naar Jansen, Dorpsstraat 1", who=employee, due=received.date())
        ],
        now=received + timedelta(hours=3),
    )
    attachment_add(
        complaint=complaint,
        actor=employee,
        file=SimpleUploadedFile("brief-jansen.pdf", PDF),
        now=received + timedelta(hours=4),
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed",
        outcome="solved",
        closed_at=closed_at,
        attention_due=None,
        solution="Nieuwe map voor mevrouw Jansen.",
        **fields,
    )
    return Complaint.objects.get(pk=complaint.pk)


def audit_text(complaint: Complaint) -> str:
    return json.dumps(
        list(AuditEntry.objects.filter(complaint=complaint).values("before", "after"))
    )


def test_a_complaint_is_kept_until_the_day_its_term_passes(employee):
    """R5, default 2 years: closed 15 March 2024 14:00 → kept on 15 March 2026 13:59."""
    complaint = closed_complaint(employee)

    assert retention_run(now=at("2026-03-14T14:00")).complaints == []
    assert retention_run(now=at("2026-03-15T13:59")).complaints == []
    complaint.refresh_from_db()
    assert complaint.report == REPORT

    assert retention_run(now=at("2026-03-16T14:00")).complaints == [(complaint.reference, CLOSED)]


def test_anonymising_removes_texts_personal_data_and_files_and_keeps_the_figures(
    employee, media_root, django_capture_on_commit_callbacks
):
    complaint = closed_complaint(employee)
    assert [path for path in media_root.rglob("*") if path.is_file()]

    with django_capture_on_commit_callbacks(execute=True):
        retention_run(now=at("2026-04-01T00:00"))

    complaint.refresh_from_db()
    assert complaint.anonymised_at is not None
    assert (complaint.report, complaint.solution) == ("", "")
    assert status_token_for(complaint) is None
    assert {name: getattr(complaint, name) for name in STATUS_LINK_ERASED} == STATUS_LINK_ERASED
    assert not complaint.attachments.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    assert ContactMoment.objects.get(complaint=complaint).summary == ""
    assert ActionItem.objects.get(complaint=complaint).what == ""
    text = audit_text(complaint)
    for word in ("Jansen", "06-12345678", "Dorpsstraat", "cursusmap"):
        assert word not in text
    # The trail and the figures stay: who did what when, the checklist, the outcome, dates.
    assert AuditEntry.objects.filter(complaint=complaint, action="contact").exists()
    assert (complaint.status, complaint.outcome, complaint.apologised) == ("closed", "solved", True)
    assert complaint.contacted_at is not None
    assert complaint.customer.name == ANONYMOUS
    assert complaint.customer.postcode == ""


def test_erasing_also_deletes_the_contacts_actions_and_audit_entries(employee):
    OrganisationSettings.objects.create(pk=1, retention_mode="erase")
    complaint = closed_complaint(employee)

    retention_run(now=at("2026-04-01T00:00"))

    assert not ContactMoment.objects.filter(complaint=complaint).exists()
    assert not ActionItem.objects.filter(complaint=complaint).exists()
    assert not AuditEntry.objects.filter(complaint=complaint).exists()
    complaint.refresh_from_db()
    assert complaint.report == ""
    assert complaint.received_at is not None  # the figures survive
    assert complaint.customer.name == ANONYMOUS


@pytest.mark.parametrize(("years", "kept_until"), [(1, "2025-03-15"), (3, "2027-03-15")])
def test_the_term_is_a_setting_of_one_to_three_years(employee, years, kept_until):
    OrganisationSettings.objects.create(pk=1, retention_years=years)
    closed_complaint(employee)
    day = date.fromisoformat(kept_until)

    assert retention_run(now=at(f"{day}T13:59")).complaints == []
    assert len(retention_run(now=at(f"{day}T14:00")).complaints) == 1


def test_a_term_outside_one_to_three_years_is_refused(employee):
    OrganisationSettings.objects.create(pk=1, retention_years=4)

    with pytest.raises(ValueError, match="1 to 3 years"):
        retention_run(now=at("2026-04-01T00:00"))


def test_an_open_dispute_holds_the_complaint_past_its_term(employee):
    """R11, R5: referred to the third party and no ruling yet: kept, whatever the date."""
    complaint = closed_complaint(employee, dispute_referred_at=CLOSED + timedelta(days=30))

    report = retention_run(now=at("2027-06-01T00:00"))

    assert report.complaints == []
    assert report.held_by_dispute == 1
    Complaint.objects.filter(pk=complaint.pk).update(ruling_at=CLOSED + timedelta(days=90))
    assert len(retention_run(now=at("2027-06-01T00:00")).complaints) == 1


def test_open_complaints_are_never_touched(employee):
    received = at("2020-01-06T10:00")
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=received,
        channel="phone",
        report=REPORT,
        checklist=Checklist(),
        now=received,
    )

    assert retention_run(now=at("2026-04-01T00:00")).complaints == []
    complaint.refresh_from_db()
    assert complaint.report == REPORT


def test_the_customer_file_keeps_its_naw_while_another_complaint_in_it_is_kept(employee):
    first = closed_complaint(employee)
    closed_complaint(employee, closed_at=at("2025-06-01T10:00"), customer=first.customer)

    retention_run(now=at("2026-04-01T00:00"))

    first.customer.refresh_from_db()
    assert first.customer.name == "Mevrouw J. Jansen"
    retention_run(now=at("2027-06-02T00:00"))
    first.customer.refresh_from_db()
    assert first.customer.name == ANONYMOUS


def test_a_dry_run_lists_what_would_go_and_changes_nothing(employee):
    complaint = closed_complaint(employee)
    out = StringIO()

    with time_machine.travel(at("2026-04-01T00:00"), tick=False):
        call_command("retention", "--dry-run", stdout=out)

    assert f"zou worden geanonimiseerd: {complaint.reference} (gesloten op 2024-03-15)" in (
        out.getvalue()
    )
    complaint.refresh_from_db()
    assert complaint.report == REPORT


def test_the_command_applies_the_term_and_logs_counts_only(employee, caplog):
    complaint = closed_complaint(employee)
    out = StringIO()

    with time_machine.travel(at("2026-04-01T00:00"), tick=False):
        call_command("retention", stdout=out)

    assert "1 melding geanonimiseerd (bewaartermijn 2 jaar)" in out.getvalue()
    assert "Jansen" not in caplog.text
    assert complaint.reference not in caplog.text
    complaint.refresh_from_db()
    assert complaint.anonymised_at is not None


def test_the_nightly_task_applies_the_term(employee):
    complaint = closed_complaint(employee)

    with time_machine.travel(at("2026-04-01T02:30"), tick=False):
        apply_retention.call_local()

    complaint.refresh_from_db()
    assert complaint.report == ""


def test_a_second_run_finds_nothing_more(employee):
    closed_complaint(employee)
    retention_run(now=at("2026-04-01T00:00"))

    assert retention_run(now=at("2026-04-02T00:00")).complaints == []


# --- A customer's request to erase (AVG) --------------------------------------------------------


def test_management_erases_a_customer_after_the_minimum_term(employee, manager):
    """AVG: on request, one year after closing, even when the configured term is longer."""
    OrganisationSettings.objects.create(pk=1, retention_years=3)
    complaint = closed_complaint(employee)

    assert (
        customer_erase(customer=complaint.customer, actor=manager, now=at("2025-03-16T00:00")) == 1
    )

    complaint.refresh_from_db()
    assert complaint.report == ""
    assert complaint.customer.name == ANONYMOUS
    assert not AuditEntry.objects.filter(complaint=complaint).exists()
    entry = AuditEntry.objects.get(action="customer_erased")
    assert (entry.actor, entry.after["complaints"]) == (manager, 1)


def test_erasing_a_customer_within_a_year_is_refused_and_erases_nothing(employee, manager):
    """R5: kept at least 1 year after closing; every reason is given."""
    complaint = closed_complaint(employee)
    closed_complaint(employee, closed_at=at("2025-01-10T10:00"), customer=complaint.customer)

    with pytest.raises(ErasureRefused) as refused:
        customer_erase(customer=complaint.customer, actor=manager, now=at("2025-06-01T00:00"))

    assert "minstens 1 jaar" in refused.value.detail
    complaint.refresh_from_db()
    assert complaint.report == REPORT
    assert not AuditEntry.objects.filter(action="customer_erased").exists()


def test_erasing_a_customer_with_an_open_dispute_is_refused(employee, manager):
    complaint = closed_complaint(employee, dispute_referred_at=CLOSED + timedelta(days=3))

    with pytest.raises(ErasureRefused) as refused:
        customer_erase(customer=complaint.customer, actor=manager, now=at("2026-06-01T00:00"))

    assert "geschil" in refused.value.detail


def test_only_management_erases_a_customer(employee):
    complaint = closed_complaint(employee)

    with pytest.raises(NotAllowed):
        customer_erase(customer=complaint.customer, actor=employee, now=at("2026-06-01T00:00"))


def test_the_messages_to_the_customer_and_every_mail_about_the_case_lose_their_words(employee):
    """R5: letters and e-mails (and the mail queue's copies, alerts included) go too."""
    from klachten.mail.models import OutboxMessage
    from klachten.messaging.models import CustomerMessage, MessageKind
    from klachten.messaging.services import customer_message_send

    complaint = closed_complaint(employee)
    Complaint.objects.filter(pk=complaint.pk).update(status="contacted", closed_at=None)
    customer_message_send(
        complaint=complaint,
        author=employee,
        kind=MessageKind.FREE,
        channel="email",
        subject="Uw map, mevrouw Jansen",
        body="Beste mevrouw Jansen,\n\nDe map komt eraan.",
        now=CLOSED - timedelta(days=1),
    )
    Complaint.objects.filter(pk=complaint.pk).update(status="closed", closed_at=CLOSED)
    assert OutboxMessage.objects.filter(key__startswith=complaint.reference).exists()

    retention_run(now=at("2026-04-01T00:00"))

    message = CustomerMessage.objects.get(complaint=complaint)
    assert (message.subject, message.body, message.recipient, message.card) == ("", "", "", {})
    assert message.kind == MessageKind.FREE  # that a message went out, and when, stays
    assert not OutboxMessage.objects.filter(key__startswith=f"{complaint.reference}-").exists()
