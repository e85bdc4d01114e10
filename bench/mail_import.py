"""E-mail in: how fast queued mail is read into the complaints' files (#13; budget ≥ 50 mails
per second on SQLite).

    .venv/bin/python bench/mail_import.py [--mails 1000]

Makes a fresh data dir (SQLite), a manager and ten complaints, then puts ``--mails`` mails in
a real IMAP server (Dovecot, as the tests start it: Debian's dovecot-imapd): half new reports
from new customers, half replies to the product's own mails (threaded by In-Reply-To), some
with a PDF. Then it times ``mailbox_fetch`` reading them all — fetch, parse, attach or
register, alert, confirm, flag — in one process, and prints mails per second. Without Dovecot
it times ``mail_receive`` on the same mails instead, and says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
DATA = Path(tempfile.mkdtemp(prefix="kk-mail-bench-"))
os.environ["KLACHTEN_DATA_DIR"] = str(DATA)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests.public.test_inbound import PDF, mail  # noqa: E402

from klachten.accounts.services import staff_create  # noqa: E402
from klachten.complaints.services import Checklist, complaint_register  # noqa: E402
from klachten.customers.validation import CustomerData  # noqa: E402
from klachten.mail.models import OutboxMessage  # noqa: E402
from klachten.mail.outbox import message_id  # noqa: E402
from klachten.public.inbound import mail_receive, mailbox_fetch  # noqa: E402

BUDGET = 50.0


def the_mails(count: int) -> list[bytes]:
    """Half new reports, half replies to our mails; every tenth with a PDF."""
    staff = staff_create(username="bench", role="management", email="bench@kerngroep.nl")
    ours = []
    for n in range(10):
        complaint = complaint_register(
            receiver=staff,
            customer=CustomerData(
                name=f"Klant {n}",
                street="Oudegracht",
                house_number=str(n + 1),
                postcode="3511 AB",
                town="Utrecht",
                email=f"bestaand{n}@example.nl",
            ),
            received_at=None,
            channel="phone",
            report="Verslag van het gesprek.",
            checklist=Checklist(),
            now=timezone.now(),
        )
        ours.append(OutboxMessage.objects.filter(complaint=complaint).first())
    mails = []
    for n in range(count):
        attachment = ("bijlage.pdf", PDF, "application/pdf") if n % 10 == 0 else None
        if n % 2:
            answered = ours[n % len(ours)]
            mails.append(
                mail(
                    sender=f"bestaand{n % 10}@example.nl",
                    subject=f"Re: {answered.subject} ({n})",
                    headers={"In-Reply-To": message_id(answered)},
                    attachment=attachment,
                )
            )
        else:
            mails.append(
                mail(
                    sender=f"nieuw{n}@example.nl",
                    subject=f"Les {n} ging niet door",
                    attachment=attachment,
                )
            )
    return mails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mails", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    mails = the_mails(args.mails)
    try:
        from tests.mail.dovecot import running_dovecot

        server = running_dovecot()
        dovecot = server.__enter__()
    except BaseException as error:  # no Dovecot here: time the service alone
        print(f"no IMAP server ({error}); timing mail_receive alone")
        began = time.perf_counter()
        for raw in mails:
            mail_receive(raw, now=timezone.now())
        report(len(mails), time.perf_counter() - began, "mail_receive")
        return
    try:
        for raw in mails:
            dovecot.append(raw)
        with override_settings(INBOUND_MAIL_URL=dovecot.url()):
            began = time.perf_counter()
            read = sum(1 for _ in mailbox_fetch(once=True))
            elapsed = time.perf_counter() - began
        report(read, elapsed, "from Dovecot (IMAP), flagged on the server")
    finally:
        server.__exit__(None, None, None)
        shutil.rmtree(DATA, ignore_errors=True)


def report(count: int, elapsed: float, how: str) -> None:
    rate = count / elapsed
    verdict = "within" if rate >= BUDGET else "OVER"
    print(
        f"{count} mails read in {elapsed:.1f} s: {rate:,.0f} per second {how} "
        f"({verdict} budget ≥ {BUDGET:.0f}/s, SQLite)"
    )


if __name__ == "__main__":
    main()
