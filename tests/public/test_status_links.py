"""Status links stored as digests (#15 item 5; R2, R5; docs/decisions.md).

The database holds no customer's status token: a nonce, from which the installation rebuilds
the link under its SECRET_KEY for every later mail, and the token's digest to find the page.
The link in a mail opens the page, a renewed or erased one (R5) opens nothing, the short code
still leads to it, a key that is gone takes the links along (a fallback key keeps them), and
the links handed out before #15 keep working after the migration.
"""

from __future__ import annotations

import importlib
import json
import re
import secrets
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.models import STATUS_LINK_ERASED, Complaint
from klachten.complaints.selectors import complaint_status_url, status_token_for
from klachten.complaints.services import (
    complaint_status_link_renew,
    complaint_take_up,
    customer_mail,
)
from klachten.domain.status_code import code_for, grouped
from klachten.mail.models import OutboxMessage
from klachten.privacy.retention import customer_erase
from tests.ops.serving import environment
from tests.ops.test_upgrade import BACKUP, run
from tests.public.conftest import NOW, later

MIGRATION = importlib.import_module("klachten.complaints.migrations.0015_status_token_digest")
LINK = re.compile(r"https?://\S+/status/([A-Za-z0-9_-]{20,64})/")


@pytest.fixture
def report(db, manager, clock, form_data) -> Complaint:
    """A report sent with the public form; the customer has the confirmation with the link."""
    assert Client().post("/melding/", form_data).status_code == 302
    return Complaint.objects.get()


def _mailed_token(subject_part: str = "") -> str:
    """The token in the newest mail to the customer (the outbox keeps what was sent)."""
    mail = (
        OutboxMessage.objects.filter(to="j.brouwer@example.nl", subject__contains=subject_part)
        .order_by("-pk")
        .first()
    )
    assert mail is not None
    found = LINK.search(mail.body)
    assert found is not None, mail.body
    return found.group(1)


def _opens(token: str) -> bool:
    response = Client().get(f"/status/{token}/")
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _code_opens(token: str) -> str | None:
    """Where the short code of ``token``, typed from a letter, leads (None: refused)."""
    response = Client(REMOTE_ADDR="203.0.113.50").post(
        "/status/", {"code": grouped(code_for(token))}
    )
    return response["Location"] if response.status_code == 302 else None


def _tables_holding(text: str) -> dict[str, list[str]]:
    """Every table and column of the whole database whose value contains ``text``."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if text in str(value):
                        found.setdefault(table, []).append(name)
    return found


def test_the_link_in_the_confirmation_opens_the_page_and_no_column_holds_the_token(report):
    """R2: a copy of the database gives no working link. Only the mail as sent (the outbox's
    record of it) holds the link; the complaint holds a nonce and digests."""
    token = _mailed_token()
    page = Client().get(f"/status/{token}/")
    assert page.status_code == 200
    assert report.reference in page.content.decode()
    assert _tables_holding(token) == {OutboxMessage._meta.db_table: ["body"]}
    row = Complaint.objects.filter(pk=report.pk).values().get()
    assert row["status_nonce"]
    assert row["status_token_digest"]
    assert row["status_legacy_sealed"] == ""


def test_later_mails_carry_the_same_link_without_storing_it(report):
    """The satisfaction survey and the follow-up check (R1, R10) need the link again: it is
    rebuilt, not renewed, so the link in the first mail keeps working."""
    token = _mailed_token()
    assert status_token_for(report) == token
    assert complaint_status_url(report) == f"{settings.BASE_URL}/status/{token}/"
    customer_mail(complaint=report, key="again", template="public/mail/follow_up.txt", now=NOW)
    assert _mailed_token("opgelost") == token
    assert _opens(token)


def test_the_short_code_still_finds_the_page(report):
    token = _mailed_token()
    assert _code_opens(token) == f"/status/{token}/"


def test_a_renewed_link_stops_working_and_the_new_one_comes_by_mail(report, employee):
    """R2: a link that reached someone else is revoked by a new nonce."""
    old = _mailed_token()
    c = complaint_take_up(complaint=report, actor=employee, now=later(hours=1))
    complaint_status_link_renew(complaint=c, actor=employee, send=True, now=later(hours=2))
    new = _mailed_token("nieuwe persoonlijke link")
    assert new != old
    assert not _opens(old)
    assert _code_opens(old) is None
    assert _opens(new)
    assert _code_opens(new) == f"/status/{new}/"


def test_erasing_the_customers_data_ends_the_link_and_its_code(report, manager):
    """R5: nothing is left to rebuild the link from, nor to find it by."""
    token = _mailed_token()
    Complaint.objects.filter(pk=report.pk).update(status="closed", closed_at=NOW)
    customer_erase(customer=report.customer, actor=manager, now=NOW + timedelta(days=400))
    report.refresh_from_db()
    assert {name: getattr(report, name) for name in STATUS_LINK_ERASED} == STATUS_LINK_ERASED
    assert not _opens(token)
    assert _code_opens(token) is None
    assert complaint_status_url(report) is None


def test_a_new_secret_key_ends_every_link_unless_the_old_key_is_a_fallback(report, settings):
    """The key rebuilds the links: with another SECRET_KEY the old links open nothing (the
    way to end them all, should the key have leaked); with the old key among
    SECRET_KEY_FALLBACKS they keep working and mails keep carrying them."""
    token = _mailed_token()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + secrets.token_urlsafe(40)
    assert not _opens(token)
    assert _code_opens(token) is None
    assert complaint_status_url(report) is None

    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert _opens(token)
    assert _code_opens(token) == f"/status/{token}/"
    assert complaint_status_url(report) == f"{settings.BASE_URL}/status/{token}/"


def test_a_mail_after_the_key_is_gone_carries_a_new_working_link(report, settings):
    """A link whose key is gone opens nothing; the next mail replaces it rather than carry a
    dead link, and the audit log says so (without the token)."""
    old = _mailed_token()
    settings.SECRET_KEY = "a-new-key-" + secrets.token_urlsafe(40)
    customer_mail(complaint=report, key="after-key", template="public/mail/follow_up.txt", now=NOW)
    new = _mailed_token("opgelost")
    assert new != old
    assert _opens(new)
    assert not _opens(old)
    entry = AuditEntry.objects.get(complaint=report, action="status_link_renewed")
    assert entry.actor is None
    assert new not in json.dumps([entry.before, entry.after])


# --- The migration (0015_status_token_digest) --------------------------------------------------


def test_the_migration_keeps_a_link_from_before_it_working(report, employee):
    """A link handed out before #15 was random: it cannot come from a nonce, so the migration
    seals it under the key. It opens the page, its code still works, later mails carry the
    same link, and it is revoked, or ends with the key, like any other."""
    old = secrets.token_urlsafe(32)  # as status_link_new made them before #15
    kept = MIGRATION.kept_link(old, secret=settings.SECRET_KEY)
    Complaint.objects.filter(pk=report.pk).update(**kept)
    report.refresh_from_db()

    assert _opens(old)
    assert _code_opens(old) == f"/status/{old}/"
    assert complaint_status_url(report) == f"{settings.BASE_URL}/status/{old}/"
    assert old not in json.dumps(Complaint.objects.filter(pk=report.pk).values().get(), default=str)

    c = complaint_take_up(complaint=report, actor=employee, now=later(hours=1))
    complaint_status_link_renew(complaint=c, actor=employee, send=False, now=later(hours=2))
    assert not _opens(old)
    assert _code_opens(old) is None


def test_a_real_installation_from_before_keeps_its_customers_links(tmp_path: Path) -> None:
    """The backup of an installation made before #12 (tests/ops/test_upgrade.py) holds plain
    tokens. After ``klachten migrate`` each of them finds its own complaint, its short code
    too, later mails carry it, and the database holds none of them any more."""
    assert run(tmp_path, "restore", str(BACKUP)).returncode == 0
    database = tmp_path / "data" / "klachten.sqlite3"
    with sqlite3.connect(database) as db:
        before = dict(
            db.execute(
                "SELECT reference, status_token FROM complaints_complaint "
                "WHERE status_token IS NOT NULL"
            ).fetchall()
        )
    assert len(before) > 10
    migrated = run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr

    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json, sys; django.setup();"
            "from klachten.complaints.models import Complaint;"
            "from klachten.complaints.selectors import complaint_status_url;"
            "from klachten.public.selectors import complaint_for_token, status_token_for_code;"
            "from klachten.domain.status_code import code_for;"
            "links = json.load(sys.stdin); seen = {}\n"
            "for reference, token in links.items():\n"
            "    c = Complaint.objects.get(reference=reference)\n"
            "    seen[reference] = [complaint_for_token(token).pk == c.pk,"
            " complaint_status_url(c).endswith(f'/status/{token}/'),"
            " status_token_for_code(code_for(token)) == token]\n"
            "print(json.dumps(seen))",
        ],
        input=json.dumps(before),
        env=environment(tmp_path / "data", DJANGO_SETTINGS_MODULE="klachten.config.settings"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout) == {reference: [True, True, True] for reference in before}
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT * FROM complaints_complaint").fetchall()
    stored = json.dumps(rows, default=str)
    assert not [token for token in before.values() if token in stored]
