"""An installation made before the layers were drawn (#12) upgrades with every row intact.

``data/backup-before-layers.zip`` is a real backup: ``klachten demo`` and ``klachten backup``
run by the code of ``main`` just before #12 (commit a4da27d) (SQLite, 43 complaints, 389
audit entries, 345 e-mails). Here it is restored by today's code and migrated; the moved models
(the audit log, the lists, the outbox) are read through their new apps.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.ops.serving import environment

BACKUP = Path(__file__).with_name("data") / "backup-before-layers.zip"
# Django's own books, which migrating adds to: the migrations applied, and the content types
# and permissions of models added since.
GROWS = {"django_migrations", "django_content_type", "auth_permission"}


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "klachten", *args],
        env=environment(tmp_path / "data"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_backup_from_before_the_layers_restores_and_migrates_with_every_row(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(BACKUP) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    counted = manifest["database"]["tables"]
    assert counted["complaints_auditentry"] > 0
    assert counted["messaging_outboxmessage"] > 0

    restored = run(tmp_path, "restore", str(BACKUP))
    assert restored.returncode == 0, restored.stderr
    migrated = run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "audit.0001_auditentry_from_complaints" in migrated.stdout

    with sqlite3.connect(tmp_path / "data" / "klachten.sqlite3") as db:
        for table, rows in counted.items():
            (now,) = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            if table in GROWS:
                assert now >= rows, table
            else:
                assert now == rows, table
        moved = dict(
            db.execute(
                "SELECT model, app_label FROM django_content_type WHERE model IN "
                "('auditentry', 'category', 'rootcause', 'outboxmessage', 'outboxattachment')"
            ).fetchall()
        )
    assert moved == {
        "auditentry": "audit",
        "category": "organisation",
        "rootcause": "organisation",
        "outboxmessage": "mail",
        "outboxattachment": "mail",
    }

    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup();"
            "from klachten.audit.models import AuditEntry;"
            "from klachten.mail.models import OutboxMessage;"
            "from klachten.organisation.models import Category, RootCause;"
            "from klachten.complaints.models import Complaint;"
            "c = Complaint.objects.exclude(category=None).select_related('category').first();"
            "print(json.dumps([AuditEntry.objects.count(), OutboxMessage.objects.count(),"
            " Category.objects.count(), RootCause.objects.count(),"
            " c.category.name, c.audit_entries.count() > 0]))",
        ],
        env=environment(tmp_path / "data", DJANGO_SETTINGS_MODULE="klachten.config.settings"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert read.returncode == 0, read.stderr
    audit, outbox, categories, causes, name, has_audit = json.loads(read.stdout)
    assert audit == counted["complaints_auditentry"]
    assert outbox == counted["messaging_outboxmessage"]
    assert categories == counted["complaints_category"]
    assert causes == counted["complaints_rootcause"]
    assert name
    assert has_audit
