"""Writes for the installation's own state."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Role, Staff
from klachten.accounts.services import staff_create
from klachten.core.errors import InvalidInput, NotFound
from klachten.ops.models import SetupToken, WorkerHeartbeat, WorkerRestart

# Restarts older than this are of no interest to monitoring any more.
WORKER_RESTART_KEEP = timedelta(days=30)
# The first account may do everything: see every complaint and be alerted of each one
# (management, R2, R3: ``also_management``) and add colleagues in the admin.
SETUP_ROLE = Role.ADMIN


def database_statistics_refresh() -> None:
    """SQLite: the planner's statistics of every table and index (``ANALYZE``, each index
    sampled at most 400 rows deep: milliseconds at a million complaints).

    Without them SQLite cannot tell indexes on the same columns apart, such as the audit log's
    index of a complaint's changes from that of all its entries, and may read every "viewed"
    entry of a complaint to show its timeline (#17). PostgreSQL keeps its own (autovacuum).
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=400")
        cursor.execute("ANALYZE")


def heartbeat_record(*, worker: str, now: datetime) -> None:
    """Record that ``worker`` is alive at ``now``."""
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"last_seen": now})


@transaction.atomic
def worker_restart_record(*, host: str, exit_code: int | None, now: datetime) -> None:
    """Record that ``serve`` on ``host`` restarted a worker that stopped with ``exit_code``."""
    WorkerRestart.objects.filter(at__lt=now - WORKER_RESTART_KEEP).delete()
    WorkerRestart.objects.create(host=host[:200], exit_code=exit_code, at=now)


# --- The first run: a one-time link to set the installation up (issue #10) ----------------


def setup_digest(token: str) -> str:
    """The stored form of a set-up token, keyed with this installation's secret key: a
    token means something only to the installation that printed it."""
    return salted_hmac("klachten.ops.setup", token, algorithm="sha256").hexdigest()


@transaction.atomic
def setup_link_create(*, now: datetime) -> str | None:
    """A new one-time set-up token while the installation has no staff; None once it has.

    Every token printed so far stays valid until one of them is used: two servers started
    together each print a link, and either works — once.
    """
    if Staff.objects.exists():
        return None
    token = secrets.token_urlsafe(32)
    SetupToken.objects.create(digest=setup_digest(token), created_at=now)
    return token


def _setup_link_use(token: str) -> None:
    """Spend the link (inside the caller's transaction), or refuse it as not found.

    A link is dead once the installation has staff; using one ends every other link too.
    """
    found = SetupToken.objects.select_for_update().filter(digest=setup_digest(token)).first()
    if found is None or Staff.objects.exists():
        raise NotFound(
            "setup_link_invalid",
            _("Deze link is al gebruikt of bestaat niet (meer)."),
        )
    SetupToken.objects.all().delete()


@transaction.atomic
def setup_first_account(
    *,
    token: str,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
) -> Staff:
    """Create the installation's first account with the one-time link (issue #10).

    It is a manager with the admin's rights, so it needs an e-mail address: an alert of a
    new complaint that reaches nobody breaks R3.
    """
    _setup_link_use(token)
    if not email.strip():
        raise InvalidInput(
            "email_required",
            _("Vul een e-mailadres in: de directie krijgt elke nieuwe melding per e-mail (R3)."),
            field="email",
        )
    return staff_create(
        username=username,
        role=SETUP_ROLE,
        also_management=True,
        email=email.strip(),
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )


# The demo account the newcomer is logged in as: a manager, who sees every screen.
SETUP_DEMO_LOGIN = "marco"


@transaction.atomic
def setup_demo(*, token: str, now: datetime) -> tuple[Staff, list[Staff], str]:
    """Fill the empty installation with the demo data (``klachten demo``) with the link.

    Returns the manager to log in as, every demo account and their shared password.
    """
    _setup_link_use(token)
    # The demo script is large and needed once in an installation's life: loaded here.
    from klachten.ops.management.commands.demo import (
        DEFAULT_SEED,
        build_demo,
        generated_password,
    )

    password = generated_password()
    demo = build_demo(seed=DEFAULT_SEED, password=password, now=now)
    login = next(staff for staff in demo.staff if staff.username == SETUP_DEMO_LOGIN)
    return login, demo.staff, password
