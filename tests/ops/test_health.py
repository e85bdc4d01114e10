"""``/gezondheid/`` tells monitoring when the database takes no writes (issue #10, item 21).

A probe row is written and rolled back at every call, and a write a request saw fail counts
for five minutes. The keys are added beside the existing ones. No mock: the database really
refuses writes (tests/db_faults.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from klachten.core.errors import write_failure_forget
from klachten.ops.models import WorkerHeartbeat
from tests.complaints.conftest import NOW
from tests.complaints.test_views import INTAKE
from tests.db_faults import writes_refused


@pytest.fixture
def worker_alive(db):
    from klachten.ops.tasks import heartbeat

    heartbeat.call_local()


def test_health_says_writes_work_and_leaves_no_probe_behind(client, worker_alive):
    before = WorkerHeartbeat.objects.count()
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database_writes"] is True
    assert body["database_write_failed_at"] is None
    assert WorkerHeartbeat.objects.count() == before


def test_health_reports_that_the_database_takes_no_writes(client, worker_alive):
    with writes_refused():
        response = client.get("/gezondheid/")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["database"] is True  # it still answers
    assert body["worker"] is True
    assert body["database_writes"] is False


@pytest.fixture
def forget_failures() -> Iterator[None]:
    yield
    write_failure_forget()


def test_a_write_a_request_saw_fail_counts_for_five_minutes(
    worker_alive, employee, forget_failures
):
    """A full SQLite disk shows only at commit, which the probe never does: so a failure a
    request met keeps health red for a while, even when the probe's write goes through."""
    staff = Client()
    staff.force_login(employee)
    failed_at = NOW + timedelta(hours=1)  # after the intake's moment of receipt
    with time_machine.travel(failed_at, tick=False) as clock:
        with writes_refused(forget=False):
            assert staff.post("/meldingen/nieuw/", INTAKE).status_code == 503
        clock.shift(timedelta(minutes=4))
        soon = Client().get("/gezondheid/")
        clock.shift(timedelta(minutes=2))
        later = Client().get("/gezondheid/")
    assert soon.status_code == 503
    assert soon.json()["database_writes"] is False
    assert datetime.fromisoformat(soon.json()["database_write_failed_at"]) == failed_at
    assert later.status_code == 200
    assert later.json()["database_writes"] is True
    assert datetime.fromisoformat(later.json()["database_write_failed_at"]) == failed_at
