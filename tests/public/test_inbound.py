"""E-mail in (#13): a mail becomes a message in the complaint's file, a new report, a bounce
or nothing — exactly once (R3, R5, R6, R15, R16)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from klachten.complaints.models import Complaint
from klachten.complaints.selectors import status_token_for
from klachten.customers.models import CustomerFile
from klachten.mail.models import InboundReceipt, OutboxMessage
from klachten.mail.outbox import message_id
from klachten.messaging.models import IncomingMessage
from klachten.public.inbound import mail_receive
from tests.complaints.conftest import NOW, customer_data, later
from tests.ops.serving import environment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def mail(
    *,
    sender: str = "Anja de Boer <anja@example.nl>",
    subject: str = "Les niet doorgegaan",
    text: str = "Goedemiddag,\n\nDe les van dinsdag ging niet door en niemand heeft mij gebeld.",
    sent: timedelta = timedelta(minutes=-5),
    headers: dict[str, str] | None = None,
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "klachten@kerngroep.nl"
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW + sent)
    message["Message-ID"] = f"<{abs(hash((sender, subject, text, sent)))}@example.nl>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if attachment is not None:
        name, data, kind = attachment
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_a_mail_that_matches_nothing_becomes_a_report_waiting_to_be_taken_up(manager) -> None:
    """R3, R15, R16: channel e-mail, no receiver yet, received when the mail was sent to
    the server (never later than now); management alerted; the customer confirmed."""
    received = mail_receive(mail(), now=NOW)
    assert received.outcome == "created"
    registered = Complaint.objects.get(reference=received.reference)
    assert registered.channel == "email"
    assert registered.receiver is None
    assert registered.received_at == NOW - timedelta(minutes=5)
    assert "niemand heeft mij gebeld" in registered.report
    assert registered.customer.email == "anja@example.nl"
    assert OutboxMessage.objects.filter(
        key__startswith=f"{registered.reference}-registered", to=manager.email
    ).exists()
    confirmation = OutboxMessage.objects.get(key=f"{registered.reference}-confirmation")
    assert confirmation.to == "anja@example.nl"
    assert status_token_for(registered) in confirmation.body
    [message] = IncomingMessage.objects.filter(complaint=registered)
    assert message.original.read().startswith(b"From: Anja de Boer")


def test_the_one_customer_file_with_the_sender_s_address_is_linked(manager) -> None:
    """R6: the file is linked when exactly one has that address."""
    known = CustomerFile.objects.create(**{**customer_data().__dict__, "email": "anja@example.nl"})
    received = mail_receive(mail(), now=NOW)
    assert Complaint.objects.get(reference=received.reference).customer == known


def test_a_reply_to_our_mail_goes_to_its_complaint_and_its_handler_hears(
    complaint, employee
) -> None:
    """R5, R15: threaded by In-Reply-To on the Message-ID the outbox set; once only."""
    ours = OutboxMessage.objects.filter(complaint=complaint).first()
    assert ours is not None
    answer = mail(
        subject=f"Re: {ours.subject}",
        text=(
            "Dank u. Vrijdag kan ik ook.\n\n"
            "Op ma 2 nov 2026 om 10:15 schreef Kerngroep <service@kerngroep.nl>:\n"
            "> Beste mevrouw"
        ),
        headers={"In-Reply-To": message_id(ours), "References": message_id(ours)},
    )
    received = mail_receive(answer, now=later(hours=2))
    assert (received.outcome, received.reference) == ("attached", complaint.reference)
    [message] = IncomingMessage.objects.filter(complaint=complaint)
    assert message.text.strip() == "Dank u. Vrijdag kan ik ook."
    assert "Beste mevrouw" in message.full_text
    assert OutboxMessage.objects.filter(
        key=f"{complaint.reference}-incoming-{message.pk}-{employee.pk}"
    ).exists()
    again = mail_receive(answer, now=later(hours=3))
    assert again.outcome == "ignored"
    assert IncomingMessage.objects.count() == 1


def test_a_reference_in_the_subject_finds_the_complaint(complaint) -> None:
    received = mail_receive(mail(subject=f"Vraag over {complaint.reference}"), now=later(hours=1))
    assert (received.outcome, received.reference) == ("attached", complaint.reference)


def test_a_file_with_the_mail_is_kept_and_a_refused_one_is_noted(complaint) -> None:
    kept = mail_receive(
        mail(
            subject=f"Bijlage bij {complaint.reference}",
            attachment=("rooster.pdf", PDF, "application/pdf"),
        ),
        now=later(hours=1),
    )
    refused = mail_receive(
        mail(
            subject=f"Nog een bij {complaint.reference}",
            attachment=("setup.exe", b"MZ\x90\x00", "application/octet-stream"),
        ),
        now=later(hours=2),
    )
    assert kept.outcome == refused.outcome == "attached"
    first, second = IncomingMessage.objects.filter(complaint=complaint).order_by("pk")
    assert [a.original_name for a in first.attachments.all()] == ["rooster.pdf"]
    assert not second.attachments.exists()
    assert any("setup.exe" in note for note in second.notes)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<cursusnieuws.example.nl>", "Precedence": "list"},
    ],
)
def test_auto_replies_and_list_mail_never_become_a_complaint(manager, headers) -> None:
    """#13, item 4: no loops, no noise."""
    received = mail_receive(mail(subject="Afwezig", headers=headers), now=NOW)
    assert received.outcome == "ignored"
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_bounce_of_our_mail_marks_it_not_delivered(complaint) -> None:
    ours = OutboxMessage.objects.filter(complaint=complaint).first()
    assert ours is not None
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@example.nl>"
    bounce["To"] = "service@kerngroep.nl"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Return-Path"] = "<>"
    bounce["Auto-Submitted"] = "auto-replied"
    bounce.set_content("This is the mail system. Your message could not be delivered.")
    report = EmailMessage()
    report.set_content(
        "Reporting-MTA: dns; mail.example.nl\n\n"
        f"Final-Recipient: rfc822; {ours.to}\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
    )
    original = EmailMessage()
    original["Message-ID"] = message_id(ours)
    original["Subject"] = ours.subject
    original.set_content("...")
    bounce.make_mixed()
    bounce.add_attachment(original)
    raw = bounce.as_bytes().replace(
        b"multipart/mixed", b"multipart/report; report-type=delivery-status", 1
    )
    received = mail_receive(raw, now=later(hours=1))
    ours.refresh_from_db()
    assert ours.failed_at is not None, received
    assert "bounce" in ours.last_error
    assert not IncomingMessage.objects.exists()


def test_the_same_mail_of_the_mailbox_is_handled_once(manager) -> None:
    """Exactly once: the folder's UIDVALIDITY and the UID are written with the result."""
    raw = mail()
    first = mail_receive(raw, now=NOW, mailbox="box", uidvalidity=7, uid=41)
    second = mail_receive(raw, now=NOW, mailbox="box", uidvalidity=7, uid=41)
    assert first.outcome == "created"
    assert second.again
    assert second.reference == first.reference
    assert Complaint.objects.count() == 1
    assert InboundReceipt.objects.count() == 1


def test_a_mail_from_a_staff_address_is_still_the_customer_s(employee, manager) -> None:
    """A forged ``From:`` of a staff member is never trusted as staff."""
    received = mail_receive(mail(sender=f"Petra <{employee.email}>"), now=NOW)
    registered = Complaint.objects.get(reference=received.reference)
    assert registered.receiver is None
    assert registered.handler is None


def test_a_date_in_the_future_is_received_now(manager) -> None:
    """R3, R16: a deadline never runs from a moment that has not come."""
    received = mail_receive(mail(sent=timedelta(days=3)), now=NOW)
    assert Complaint.objects.get(reference=received.reference).received_at <= NOW


def test_the_command_prints_the_reference_or_why_it_was_ignored(tmp_path: Path) -> None:
    """CONTRACT.md: ``klachten mail import FILE.eml`` / ``-``."""
    env = environment(tmp_path / "data")
    run = [sys.executable, "-m", "klachten", "mail", "import"]
    source = tmp_path / "klacht.eml"
    source.write_bytes(mail())
    created = subprocess.run(  # noqa: S603 - our own entry point
        [*run, str(source)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().startswith("KG-"), created.stdout
    ignored = subprocess.run(  # noqa: S603 - our own entry point
        [*run, "-"],
        env=env,
        input=mail(headers={"Auto-Submitted": "auto-replied"}).decode(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ignored.returncode == 0, ignored.stderr
    assert ignored.stdout.startswith("ignored: "), ignored.stdout
    empty = tmp_path / "leeg.eml"
    empty.write_bytes(b"")
    refused = subprocess.run(  # noqa: S603 - our own entry point
        [*run, str(empty)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("klachten: ")


def test_a_mail_the_database_refuses_leaves_no_file_behind(complaint, settings) -> None:
    """Nothing half-saved: the original and the attachments written before the database
    refused are removed with the rolled-back transaction; the mail stays to be read again."""
    from django.db import DatabaseError

    from tests.db_faults import writes_refused

    root = Path(settings.MEDIA_ROOT)

    def files() -> set[Path]:
        return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()

    before = files()
    answer = mail(
        subject=f"Re: {complaint.reference}",
        attachment=("rooster.pdf", PDF, "application/pdf"),
    )
    with writes_refused(), pytest.raises(DatabaseError):
        mail_receive(answer, now=later(hours=1), mailbox="INBOX", uidvalidity=1, uid=7)
    assert files() == before
    assert not IncomingMessage.objects.exists()
    received = mail_receive(answer, now=later(hours=2), mailbox="INBOX", uidvalidity=1, uid=7)
    assert received.outcome == "attached"
    [message] = IncomingMessage.objects.filter(complaint=complaint)
    assert message.original
    assert [a.original_name for a in message.attachments.all()] == ["rooster.pdf"]
