"""The transactional outbox against a real SMTP server (R3, R15).

What is promised (``klachten.mail.outbox``): nothing is lost, a mail marked sent is never
sent again, no two workers send a message while a claim holds, and a worker that dies between
the server's "accepted" and the mark leaves a copy that is sent again — with the same
Message-ID, so the recipient's mail program shows it once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from klachten.complaints.services import (
    ActionData,
    complaint_assign,
    complaint_contact,
    complaint_plan_actions,
    complaint_register,
)
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import (
    CLAIM_LEASE,
    MAX_BACKOFF,
    MailAttachment,
    backoff,
    message_id,
    message_id_domain,
    outbox_deliver,
    outbox_enqueue,
)
from klachten.mail.tasks import deliver_outbox
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT, MailServer

# A run takes a moment of real time; stamps may be that much later than the ``now`` given.
SLACK = timedelta(seconds=10)


def register(receiver: Any, now: datetime = NOW) -> Any:
    return complaint_register(
        receiver=receiver,
        customer=CUSTOMER,
        received_at=now - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=now,
    )


class WorkerKilled(BaseException):
    """Stands for SIGKILL inside this process: nothing in the worker catches it."""


class DyingBackend(EmailBackend):
    """Django's SMTP backend in a worker that is killed right after the server accepted."""

    def send_messages(self, email_messages: Any) -> int:
        super().send_messages(email_messages)
        raise WorkerKilled


def kill_worker_after_send(settings: Any, now: datetime) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    with pytest.raises(WorkerKilled):
        outbox_deliver(now=now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# --- What is sent, to whom ---------------------------------------------------------------------


def test_registering_a_complaint_mails_every_manager_once_with_the_reference(
    smtp: MailServer, employee: Any, manager: Any, second_manager: Any, admin_only: Any
) -> None:
    """R3: management hears of every complaint at once — one mail per manager, the reference
    in the subject, and no content of the complaint in the mail (R2). An admin who is not
    management is not told (#15, item 5)."""
    complaint = register(employee)

    assert outbox_deliver(now=NOW) == 2

    by_recipient = {d.rcpt_tos: d.message for d in smtp.delivered}
    assert set(by_recipient) == {(manager.email,), (second_manager.email,)}
    for message in by_recipient.values():
        assert complaint.reference in str(message["Subject"])
        assert "Cursusmap" not in message.get_content()
    for row in OutboxMessage.objects.all():
        assert row.sent_at is not None
        assert row.last_error == ""
        [copy] = [d for d in smtp.delivered if d.rcpt_tos == (row.to,)]
        assert copy.message_id == message_id(row) == f"<{row.key}@{message_id_domain()}>"


def test_a_step_reaches_the_receiver_and_handler_but_never_the_actor(
    smtp: MailServer, employee: Any, colleague: Any, manager: Any
) -> None:
    """R15: the receiver stays attached and hears of every step, also when a colleague
    handles the complaint; whoever takes the step is not mailed about it."""
    complaint = register(employee)
    complaint = complaint_assign(
        complaint=complaint, actor=manager, handler=colleague, now=NOW + timedelta(hours=1)
    )
    outbox_deliver(now=NOW + timedelta(hours=1))
    smtp.delivered.clear()

    complaint = complaint_contact(
        complaint=complaint,
        actor=colleague,
        at=None,
        channel="phone",
        summary="Mevrouw gebeld, excuses aangeboden, nieuwe map toegezegd.",
        agreed_term=date(2026, 11, 9),
        now=NOW + timedelta(hours=2),
    )
    assert outbox_deliver(now=NOW + timedelta(hours=2)) == 1
    assert [d.rcpt_tos for d in smtp.delivered] == [(employee.email,)]
    assert complaint.reference in str(smtp.delivered[0].message["Subject"])
    smtp.delivered.clear()

    complaint_plan_actions(
        complaint=complaint,
        actor=manager,
        actions=[ActionData(what="Nieuwe cursusmap sturen", who=colleague, due=date(2026, 11, 4))],
        now=NOW + timedelta(hours=3),
    )
    assert outbox_deliver(now=NOW + timedelta(hours=3)) == 2
    assert sorted(d.rcpt_tos for d in smtp.delivered) == sorted(
        [(employee.email,), (colleague.email,)]
    )


# --- Failures: nothing is lost -----------------------------------------------------------------


def test_a_refusing_server_leaves_the_mail_queued_with_the_error_and_a_backoff(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """A 451 ("try again later") is not a delivery: the mail stays queued, says why, waits
    30 seconds, and goes out on a later run."""
    register(employee)
    smtp.handler.refuse_data = "451 4.3.0 Tijdelijk niet beschikbaar"

    assert outbox_deliver(now=NOW) == 0

    row = OutboxMessage.objects.get()
    assert row.sent_at is None
    assert row.claimed_at is None
    assert row.attempts == 1
    assert "451" in row.last_error
    assert NOW + timedelta(seconds=30) <= row.next_attempt_at <= NOW + timedelta(seconds=30) + SLACK

    smtp.handler.refuse_data = None
    assert outbox_deliver(now=NOW + timedelta(seconds=10)) == 0  # still waiting
    assert smtp.delivered == []

    assert outbox_deliver(now=NOW + timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.last_error == ""
    assert row.attempts == 2
    assert [d.rcpt_tos for d in smtp.delivered] == [(manager.email,)]


def test_a_stopped_server_delays_the_mail_with_growing_backoff_until_it_is_back(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """Nothing listens: each failed run records the error and waits twice as long as the
    last time; once the server runs again the mail is delivered."""
    register(employee)
    smtp.stop()

    assert outbox_deliver(now=NOW) == 0
    row = OutboxMessage.objects.get()
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    first_wait = row.next_attempt_at - NOW

    second_run = NOW + timedelta(minutes=1)
    assert outbox_deliver(now=second_run) == 0
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - second_run >= 2 * first_wait - SLACK

    smtp.start()
    assert outbox_deliver(now=NOW + timedelta(minutes=5)) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert [d.rcpt_tos for d in smtp.delivered] == [(manager.email,)]


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == MAX_BACKOFF


def test_one_refused_mail_does_not_hold_up_the_rest_of_the_run(
    smtp: MailServer, employee: Any, manager: Any, second_manager: Any, make_staff: Any
) -> None:
    """After a failure the broken SMTP session is dropped and the next mail gets a fresh one;
    mails that go through share one connection."""
    make_staff("joost", "management", email="joost@kerngroep.nl")
    register(employee)
    first = OutboxMessage.objects.order_by("next_attempt_at", "id").first()
    assert first is not None
    smtp.handler.refuse_rcpt[first.to] = "451 4.2.1 Postbus tijdelijk vol"

    assert outbox_deliver(now=NOW) == 2

    first.refresh_from_db()
    assert first.sent_at is None
    assert "451" in first.last_error
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 2
    assert len({d.peer for d in smtp.delivered}) == 1  # one connection for the two that went


# --- Never twice; the crash window -------------------------------------------------------------


def test_a_mail_marked_sent_is_never_sent_again(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    register(employee)
    assert outbox_deliver(now=NOW) == 1

    for later in (timedelta(minutes=1), CLAIM_LEASE * 2, timedelta(days=3)):
        assert outbox_deliver(now=NOW + later) == 0
    assert len(smtp.delivered) == 1


def test_a_killed_workers_claim_holds_for_the_lease_then_the_same_mail_is_sent_again(
    smtp: MailServer, settings: Any, employee: Any, manager: Any
) -> None:
    """The worker dies after the server accepted and before the mark. While its claim holds
    nobody sends the mail; after the lease it is sent again under the same Message-ID."""
    register(employee)
    kill_worker_after_send(settings, NOW)
    row = OutboxMessage.objects.get()
    assert row.sent_at is None
    assert row.claimed_at is not None
    assert len(smtp.delivered) == 1

    assert outbox_deliver(now=NOW + CLAIM_LEASE - timedelta(seconds=1)) == 0
    assert len(smtp.delivered) == 1

    assert outbox_deliver(now=NOW + CLAIM_LEASE + timedelta(seconds=1)) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 2
    assert [d.message_id for d in smtp.delivered] == [message_id(row)] * 2

    assert outbox_deliver(now=NOW + timedelta(hours=1)) == 0
    assert len(smtp.delivered) == 2


def test_a_held_claim_does_not_block_the_rest_of_the_queue(
    smtp: MailServer, settings: Any, employee: Any, manager: Any, second_manager: Any
) -> None:
    """A run takes the next due mails past the claimed ones, even with a batch of one."""
    register(employee)
    kill_worker_after_send(settings, NOW)
    held = OutboxMessage.objects.get(claimed_at__isnull=False)

    assert outbox_deliver(now=NOW + CLAIM_LEASE / 2, limit=1) == 1

    assert OutboxMessage.objects.get(sent_at__isnull=False).pk != held.pk


def test_claims_are_stamped_when_they_are_made_not_when_the_run_began(
    smtp: MailServer, employee: Any, manager: Any, second_manager: Any, make_staff: Any
) -> None:
    """A slow server must not age the claims of a batch: the last claim of a run that took a
    second is a second younger than the run, so no other worker takes it over early."""
    make_staff("joost", "management", email="joost@kerngroep.nl")
    register(employee)
    smtp.handler.delay = 0.5

    assert outbox_deliver(now=NOW) == 3

    last = OutboxMessage.objects.order_by("-next_attempt_at", "-id").first()
    assert last is not None
    assert last.claimed_at is not None
    assert last.claimed_at >= NOW + timedelta(seconds=1)
    assert last.sent_at is not None
    assert last.sent_at >= last.claimed_at


# --- Waking the worker -------------------------------------------------------------------------


def test_a_transaction_that_queues_many_mails_wakes_the_worker_once(
    employee: Any, manager: Any, second_manager: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        register(employee)
    assert OutboxMessage.objects.count() == 2
    assert len(callbacks) == 1


def test_a_key_queued_twice_is_one_mail_and_a_fresh_key_is_one_insert(
    db: None, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The same key queues one mail, however often; a key that names what the transaction
    just created (``fresh``, #17 item 5) is queued by one INSERT plus one for its attachments,
    with what the ordinary way stores, and wakes the worker the same way."""
    now = timezone.now()
    fields: dict[str, Any] = {"to": "marco@kerngroep.nl", "subject": "Test", "now": now}
    card = MailAttachment(filename="kaart.vcf", content=b"BEGIN:VCARD", content_type="text/vcard")
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(2):
        fresh = outbox_enqueue(
            key="b", body="drie", attachments=[card], fresh=True, purpose="customer", **fields
        )
    assert len(callbacks) == 1
    stored = OutboxMessage.objects.get(key="b")
    assert (stored.pk, stored.body, stored.purpose, stored.next_attempt_at) == (
        fresh.pk,
        "drie",
        "customer",
        now,
    )
    assert [(a.filename, bytes(a.content)) for a in stored.attachments.all()] == [
        ("kaart.vcf", b"BEGIN:VCARD")
    ]

    first = outbox_enqueue(key="a", body="een", **fields)
    again = outbox_enqueue(key="a", body="twee", **fields)
    assert again.pk == first.pk
    assert OutboxMessage.objects.get(key="a").body == "een"


def test_registering_queues_its_alerts_without_looking_them_up_first(
    employee: Any, manager: Any, second_manager: Any
) -> None:
    """#17 item 5: the alerts of a new complaint are new by their key (its reference), so
    registering queues each by one INSERT, without a SELECT of the outbox first."""
    with CaptureQueriesContext(connection) as queries:
        register(employee)
    outbox = [q["sql"] for q in queries.captured_queries if "outboxmessage" in q["sql"]]
    assert len(outbox) == 2
    assert all(sql.startswith("INSERT") for sql in outbox)


@pytest.mark.django_db(transaction=True)
def test_a_mail_queued_outside_a_transaction_is_delivered_by_the_wake_up() -> None:
    """Outside a transaction ``on_commit`` runs at once; it must run after the row exists,
    or the immediate delivery finds nothing and the mail waits for the periodic run."""
    HUEY.immediate = True
    try:
        outbox_enqueue(
            key="losse-melding",
            to="marco@kerngroep.nl",
            subject="Test",
            body="Test",
            now=timezone.now(),
        )
    finally:
        HUEY.immediate = False
    assert [message.to for message in mail.outbox] == [["marco@kerngroep.nl"]]
    assert OutboxMessage.objects.get().sent_at is not None


def test_the_wake_up_task_leaves_nothing_in_hueys_result_store(db: None) -> None:
    """Huey keeps every task's return value until it is read; nobody reads these, so a
    returned count would pile up in the queue database with every mail."""
    HUEY.immediate = True
    try:
        deliver_outbox()
        assert HUEY.storage.result_store_size() == 0
    finally:
        HUEY.immediate = False


# --- Real processes: a killed worker, two workers at once --------------------------------------

WORKER = Path(__file__).with_name("outbox_worker.py")


def worker_env(data_dir: Path, smtp_server: MailServer) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}
    }
    env["KLACHTEN_DATA_DIR"] = str(data_dir)
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    return env


def run_worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(WORKER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def deliver_in_process(env: dict[str, str], now: datetime) -> dict[str, Any]:
    result = run_worker(env, "deliver", now.isoformat())
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_worker_process_killed_between_send_and_mark_loses_nothing_and_resends_once(
    tmp_path: Path, smtp_server: MailServer
) -> None:
    """A real worker process is SIGKILLed right after the SMTP server accepted its first mail.
    Within the lease the mail is left alone (the other alert goes out); after it, the mail is
    sent again with the same Message-ID; a later run sends nothing."""
    env = worker_env(tmp_path / "data", smtp_server)
    setup = run_worker(env, "setup", "2")
    assert setup.returncode == 0, setup.stderr

    killed = run_worker(env, "deliver", NOW.isoformat(), "--die-after-send")
    assert killed.returncode == -signal.SIGKILL
    assert len(smtp_server.delivered) == 1
    first_copy = smtp_server.delivered[0]

    within_lease = deliver_in_process(env, NOW + CLAIM_LEASE / 2)
    assert within_lease["sent"] == 1
    held, other = within_lease["outbox"]
    assert (held["sent"], held["claimed"], held["attempts"]) == (False, True, 1)
    assert other["sent"]
    assert len(smtp_server.delivered) == 2

    after_lease = deliver_in_process(env, NOW + CLAIM_LEASE + timedelta(minutes=1))
    assert after_lease["sent"] == 1
    assert all(row["sent"] for row in after_lease["outbox"])
    copies = [d for d in smtp_server.delivered if d.rcpt_tos == first_copy.rcpt_tos]
    assert len(copies) == 2
    assert {d.message_id for d in copies} == {f"<{held['key']}@{message_id_domain()}>"}
    assert str(copies[0].message["Subject"]) == str(copies[1].message["Subject"])

    assert deliver_in_process(env, NOW + timedelta(hours=1))["sent"] == 0
    assert len(smtp_server.delivered) == 3


def test_two_worker_processes_at_once_never_send_the_same_mail_twice(
    tmp_path: Path, smtp_server: MailServer
) -> None:
    """Two workers start on the same queue at the same instant against a slow server; every
    mail is sent exactly once, and both workers did part of the work."""
    env = worker_env(tmp_path / "data", smtp_server)
    setup = run_worker(env, "setup", "10")
    assert setup.returncode == 0, setup.stderr
    smtp_server.handler.delay = 0.3
    start_line = tmp_path / "start"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                str(WORKER),
                "deliver",
                NOW.isoformat(),
                "--wait-for",
                str(start_line),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        start_line.touch()
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert [worker.returncode for worker in workers] == [0, 0], [err for _, err in outputs]
    sent = [json.loads(out.strip().splitlines()[-1])["sent"] for out, _ in outputs]

    ids = [d.message_id for d in smtp_server.delivered]
    assert len(ids) == 10
    assert len(set(ids)) == 10
    assert sum(sent) == 10
    assert min(sent) >= 1
