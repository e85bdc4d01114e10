"""Reading the mailbox (#13, items 1 and 9) against a real IMAP server (Dovecot): every mail
is handled exactly once, also when the worker is killed in the middle of a run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from klachten.complaints.models import Complaint
from klachten.mail.models import InboundReceipt
from klachten.messaging.models import IncomingMessage
from klachten.public.inbound import mailbox_fetch
from tests.complaints.conftest import NOW
from tests.mail.dovecot import Dovecot, dovecot  # noqa: F401 - the fixture
from tests.ops.serving import environment
from tests.public.test_inbound import mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_mail_is_read_once_and_flagged(dovecot: Dovecot, manager) -> None:  # noqa: F811
    for n in range(3):
        dovecot.append(mail(sender=f"klant{n}@example.nl", subject=f"Les {n} vervallen"))
    dovecot.append(mail(subject="Afwezig", headers={"Auto-Submitted": "auto-replied"}))
    with override_settings(INBOUND_MAIL_URL=dovecot.url()):
        first = list(mailbox_fetch(once=True))
        again = list(mailbox_fetch(once=True))
    assert [r.outcome for r in first] == ["created", "created", "created", "ignored"]
    assert again == []
    assert Complaint.objects.filter(channel="email").count() == 3
    assert InboundReceipt.objects.filter(marked_at__isnull=False).count() == 4
    with dovecot.client() as client:
        client.select_folder("INBOX")
        assert client.search(["UNSEEN"]) == []


def test_a_mail_read_before_a_crash_is_only_flagged_the_next_time(
    dovecot: Dovecot,  # noqa: F811
    manager,
) -> None:
    """The receipt is written with the mail; the server flag comes after the commit. A run
    that stopped in between finds the receipt and does not handle the mail again."""
    from klachten.public.inbound import mail_receive

    uid = dovecot.append(mail())
    with override_settings(INBOUND_MAIL_URL=dovecot.url()):
        from klachten.mail.imap import MailboxClient, MailboxConfig

        with MailboxClient(MailboxConfig.from_url(dovecot.url())) as box:
            name = box.config.display
            validity = box.uidvalidity
        mail_receive(
            mail(), now=NOW, mailbox=name, uidvalidity=validity, uid=uid
        )  # committed, never flagged: the worker died here
        [received] = list(mailbox_fetch(once=True))
    assert received.again
    assert Complaint.objects.count() == 1
    assert IncomingMessage.objects.count() == 1


def test_a_worker_killed_while_it_reads_200_mails_loses_none_and_doubles_none(
    dovecot: Dovecot,  # noqa: F811
    tmp_path: Path,
) -> None:
    """#13, item 9: kill -9 the reader in the middle of 200 mails; start it again; each mail
    is in exactly once."""
    count = 200
    for n in range(count):
        dovecot.append(mail(sender=f"klant{n}@example.nl", subject=f"Melding nummer {n}"))
    env = environment(tmp_path / "data", INBOUND_MAIL_URL=dovecot.url())
    command = [sys.executable, "-m", "klachten", "mail", "fetch", "--once"]
    database = tmp_path / "data" / "klachten.sqlite3"

    def handled() -> int:
        if not database.exists():
            return 0
        try:
            with sqlite3.connect(database, timeout=30) as db:
                (found,) = db.execute("SELECT count(*) FROM mail_inboundreceipt").fetchone()
        except sqlite3.OperationalError:
            return 0  # not migrated yet
        return int(found)

    reader = subprocess.Popen(  # noqa: S603 - our own entry point
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        started = time.monotonic()
        while handled() < 20:  # readiness: it is well into the batch, not a timer
            assert reader.poll() is None, reader.stderr.read() if reader.stderr else ""
            assert time.monotonic() - started < 600, "the reader never got going"
            time.sleep(0.05)
    finally:
        os.kill(reader.pid, signal.SIGKILL)
        reader.wait(timeout=60)
    assert handled() < count  # it was stopped halfway
    finished = subprocess.run(  # noqa: S603 - our own entry point
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(database) as db:
        (complaints,) = db.execute(
            "SELECT count(*) FROM complaints_complaint WHERE channel = 'email'"
        ).fetchone()
        (messages,) = db.execute("SELECT count(*) FROM messaging_incomingmessage").fetchone()
        (distinct,) = db.execute(
            "SELECT count(DISTINCT message_id) FROM messaging_incomingmessage"
        ).fetchone()
    assert complaints == messages == distinct == count
    assert handled() == count
    with dovecot.client() as client:
        client.select_folder("INBOX")
        assert client.search(["UNSEEN"]) == []
