"""``klachten demo``: an empty database filled through the services, every status, the logins."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from klachten.accounts.models import Role, Staff, management_filter
from klachten.audit.models import AuditEntry
from klachten.complaints.models import ActionItem, Complaint
from klachten.customers.models import CustomerFile
from klachten.domain import wording
from klachten.domain.addressing import addressed_as, family_name
from klachten.domain.lifecycle import Outcome, Status
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.messaging.models import CustomerMessage, MessageChannel, MessageKind
from klachten.ops.management.commands.demo import EITHER, FEMALE, MALE, RECEIPT_CHANNELS
from klachten.organisation.models import Category

PASSWORD = "Kerngroep-demo-2026!"
# Wednesday 18 November 2026, 14:30.
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    """The demo hashes seven passwords; the test does not need them to be slow to crack."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple[str, ...]]:
    """The demo's content in registration order; references carry database ids, which
    PostgreSQL does not hand out again after a rollback, so they are left out."""
    return [
        (c.customer.name, c.customer.postcode, c.status, c.outcome, c.report)
        for c in Complaint.objects.select_related("customer").order_by("registered_at", "id")
    ]


def test_the_demo_fills_an_empty_database_with_every_status_and_prints_the_logins(
    db: None,
) -> None:
    output = demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    # Staff of every role; employees with a job title and direct phone for their card.
    roles = sorted(Staff.objects.values_list("role", flat=True))
    assert roles.count(Role.EMPLOYEE) == 4
    assert roles.count(Role.MANAGEMENT) == 2
    assert roles.count(Role.ADMIN) == 1
    for employee in Staff.objects.filter(role=Role.EMPLOYEE):
        assert employee.job_title
        assert employee.phone
        assert employee.email.endswith(".example")
    for staff in Staff.objects.all():
        role = staff.get_role_display().lower()
        assert re.search(rf"{staff.username}\s+{role}\s+.*{re.escape(PASSWORD)}", output)
    assert "http://127.0.0.1:8000/" in output
    assert "klachten serve" in output
    assert Client().login(username="petra", password=PASSWORD)

    # Every status and every outcome; a binding ruling; overdue ones.
    complaints = list(Complaint.objects.all())
    assert {c.status for c in complaints} == {status.value for status in Status}
    assert {c.outcome for c in complaints if c.outcome} == {outcome.value for outcome in Outcome}
    assert any(c.ruling_at is not None and c.status == Status.IN_PROGRESS for c in complaints)
    untouched = [
        c
        for c in complaints
        if c.status == Status.NEW and c.attention_due and c.attention_due < NOW - timedelta(days=14)
    ]
    assert untouched, "some complaints were received weeks ago and never picked up"
    assert any(c.receiver_id != c.handler_id for c in complaints)  # handed to a colleague

    # Forty customers with well-formed NAW (R6), a few with a second complaint.
    assert CustomerFile.objects.count() == 40
    assert len(complaints) > 40
    for customer in CustomerFile.objects.all():
        assert re.fullmatch(r"[1-9]\d{3} [A-Z]{2}", customer.postcode)
        assert customer.phone.startswith("+31 ")
    assert set(Category.objects.values_list("name", flat=True)) == {
        "Lesmateriaal",
        "Planning",
        "Docent",
        "Facturatie",
        "Locatie",
        "Examen",
    }


def test_the_demo_history_is_real_deadlines_audit_and_mail(db: None) -> None:
    """Made through the services: each complaint's history runs forward in time up to now,
    management was alerted of every one (R3) and every step is in the audit log (R2)."""
    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    # Management is alerted; the demo's admin keeps accounts and settings only (#15).
    managers = Staff.objects.filter(management_filter()).count()
    assert managers == Staff.objects.filter(role=Role.MANAGEMENT).count() >= 2
    for complaint in Complaint.objects.all():
        assert complaint.registered_at >= complaint.received_at
        assert complaint.contact_due > complaint.received_at
        moments = list(complaint.audit_entries.order_by("id").values_list("at", flat=True))
        assert moments == sorted(moments)
        assert moments[-1] <= NOW
        assert (
            OutboxMessage.objects.filter(
                key__startswith=f"{complaint.reference}-registered-"
            ).count()
            == managers
        )
    assert AuditEntry.objects.filter(action="close_after_ruling").exists()
    assert ActionItem.objects.filter(from_ruling=True).exists()


def test_what_the_customer_reads_passes_the_wording_guard(db: None) -> None:
    """R12, R13: solutions, actions and delay reasons contain no forbidden word and no blame."""
    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    texts = [
        *Complaint.objects.exclude(solution="").values_list("solution", flat=True),
        *Complaint.objects.exclude(delay_reason="").values_list("delay_reason", flat=True),
        *ActionItem.objects.values_list("what", flat=True),
    ]
    assert texts
    for text in set(texts):
        assert wording.check(text) == [], text


def test_the_same_seed_at_the_same_moment_gives_the_same_demo(db: None) -> None:
    with transaction.atomic():
        demo("--seed", "11", "--password", PASSWORD, "--now", NOW.isoformat())
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Complaint.objects.exists()

    demo("--seed", "11", "--password", PASSWORD, "--now", NOW.isoformat())

    assert fingerprint() == first


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 26, 3, 0, tzinfo=AMSTERDAM),  # Boxing Day, at night
        datetime(2027, 1, 4, 7, 30, tzinfo=AMSTERDAM),  # Monday before opening
        datetime(2027, 7, 14, 12, 0, tzinfo=AMSTERDAM),  # summer time
    ],
)
def test_the_demo_can_be_made_at_any_moment(db: None, moment: datetime) -> None:
    demo("--password", PASSWORD, "--now", moment.isoformat())
    assert {c.status for c in Complaint.objects.all()} == {status.value for status in Status}
    assert AuditEntry.objects.filter(at__gt=moment).count() == 0


def test_without_a_password_one_is_generated_printed_and_works(db: None) -> None:
    output = demo()

    match = re.search(r"^\s+petra\s+medewerker\s+Petra de Vries\s+(\S+)$", output, re.MULTILINE)
    assert match is not None
    assert Client().login(username="petra", password=match[1])
    assert Client().login(username="marco", password=match[1])


def test_the_demo_refuses_a_database_that_is_not_empty(db: None, employee: Any) -> None:
    with pytest.raises(CommandError, match="niet leeg"):
        demo("--password", PASSWORD)
    assert not Complaint.objects.exists()
    assert Staff.objects.count() == 1


def test_a_weak_password_is_refused_and_nothing_is_made(db: None) -> None:
    with pytest.raises(CommandError, match=r"too short|te kort"):
        demo("--password", "123")
    assert not Staff.objects.exists()
    assert not Complaint.objects.exists()


def test_a_moment_without_a_time_zone_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="tijdzone"):
        demo("--password", PASSWORD, "--now", "2026-11-18T14:30:00")


def test_the_demo_gives_the_regulation_contact_details_and_keeps_the_procedures_terms(
    db: None,
) -> None:
    """R17: the demo's regulation names where to reach Kerngroep; R3, R16 terms stay default."""
    from klachten.domain.terms import Terms
    from klachten.organisation.selectors import organisation_settings, organisation_terms

    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())
    settings = organisation_settings()
    assert (settings.postcode, settings.town) == ("3511 AX", "Utrecht")
    assert organisation_terms() == Terms()


def test_the_demo_has_reports_from_the_website_unclaimed_and_taken_up(db: None) -> None:
    """R15: one report from the form waits to be taken up; others were taken up and are
    handled as usual; every web customer got a confirmation that passes R13."""
    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    web = list(Complaint.objects.filter(channel="web").select_related("customer"))
    unclaimed = [c for c in web if c.receiver_id is None]
    assert len(unclaimed) == 1
    assert unclaimed[0].status == Status.NEW
    taken = [c for c in web if c.receiver_id is not None]
    assert taken
    assert {c.status for c in taken} >= {Status.SOLUTION_PROPOSED}
    for complaint in taken:
        assert complaint.audit_entries.filter(action="taken_up").exists()
    for complaint in web:
        if complaint.customer.email:
            mail = OutboxMessage.objects.get(key=f"{complaint.reference}-confirmation")
            assert [f for f in wording.check(mail.body) if f.rule == "R13"] == []


def test_a_customer_file_says_how_letters_greet_where_the_first_name_makes_it_evident(
    db: None,
) -> None:
    """#10, item 12: "mevrouw" or "heer" in the customer file where the first name says it, no
    salutation where it does not ("Kim"); a letter greets as the file says."""
    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    customers = list(CustomerFile.objects.all())
    for customer in customers:
        first = customer.name.split()[0]
        assert first in {*FEMALE, *MALE, *EITHER}
        expected = "" if first in EITHER else "mevrouw" if first in FEMALE else "heer"
        assert customer.salutation == expected, customer.name
    assert {customer.salutation for customer in customers} == {"mevrouw", "heer", ""}
    for message in CustomerMessage.objects.select_related("complaint__customer"):
        customer = message.complaint.customer
        greeting = f"Geachte {addressed_as(customer.name, customer.salutation)},"
        assert message.body.startswith(greeting), (greeting, message.body[:60])
    # The officer's own report names the customer the same way: "De heer Bakker belde", or
    # the full name when the file has no salutation.
    for complaint in Complaint.objects.exclude(channel="web").select_related("customer"):
        customer = complaint.customer
        named = {
            "mevrouw": f"evrouw {family_name(customer.name)}",
            "heer": f"e heer {family_name(customer.name)}",
            "": customer.name,
        }[customer.salutation]
        assert named in complaint.report, (named, complaint.report[:80])


def test_complaints_taken_in_by_phone_at_the_desk_or_from_a_letter_show_their_receipt(
    db: None,
) -> None:
    """#10, item 9a: as the intake does it, the employee who took the complaint in confirmed
    its receipt at once — by e-mail, or by a letter posted the same or the next working day
    (one of the last day may still wait to be printed); the text passes R13."""
    demo("--seed", "3", "--password", PASSWORD, "--now", NOW.isoformat())

    complaints = list(Complaint.objects.select_related("customer", "receiver"))
    confirmed = [c for c in complaints if c.channel in RECEIPT_CHANNELS]
    assert {c.channel for c in confirmed} == {"phone", "desk", "letter"}
    channels = set()
    for complaint in complaints:
        receipts = list(complaint.customer_messages.filter(kind=MessageKind.RECEIPT))
        if complaint.channel not in RECEIPT_CHANNELS:
            assert receipts == [], complaint.channel
            continue
        [receipt] = receipts
        assert receipt.author == complaint.receiver
        assert receipt.created_at == complaint.registered_at
        assert "/status/" in receipt.body  # the private status link
        assert [f for f in wording.check(receipt.body) if f.rule == "R13"] == []
        expected = MessageChannel.EMAIL if complaint.customer.email else MessageChannel.LETTER
        assert receipt.channel == expected
        channels.add(receipt.channel)
        if receipt.channel == MessageChannel.EMAIL:
            assert receipt.outbox is not None
        elif complaint.received_at < NOW - timedelta(days=2):
            assert receipt.sent_at is not None
            assert receipt.posted_by == complaint.receiver
            assert complaint.registered_at < receipt.sent_at <= NOW
            assert complaint.audit_entries.filter(action="letter_posted").exists()
    assert channels == {MessageChannel.EMAIL, MessageChannel.LETTER}
