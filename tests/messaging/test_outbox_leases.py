"""A claim is a short lease renewed while its worker lives (#10, item 23; R3: "at once").

Real worker processes against a real SMTP server: a worker killed with SIGKILL in the middle of
a delivery leaves a claim that runs out within seconds, and another worker sends the mail then;
a worker that is slow but alive keeps its claim, so nobody sends its mail a second time.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from klachten.mail import tasks
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import CLAIM_LEASE, CLAIM_RENEWAL, outbox_enqueue, outbox_next_wake
from tests.messaging.conftest import NOW, MailServer
from tests.messaging.test_outbox import WORKER, run_worker, worker_env

# Starting a Python process with Django takes a moment, long on a busy machine; it is never
# part of what is measured. Only a hang takes this many seconds.
READY_TIMEOUT = 300


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(WORKER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def report(worker: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = worker.communicate(timeout=READY_TIMEOUT)
    assert worker.returncode == 0, err
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def test_the_lease_is_seconds_and_renewed_many_times_within_it() -> None:
    """R3: a mail of a killed worker waits seconds, not minutes; a live claim is renewed ten
    times per lease, so a busy machine does not let it run out."""
    assert timedelta(seconds=10) >= CLAIM_LEASE
    assert CLAIM_LEASE / CLAIM_RENEWAL >= 10


def test_a_worker_killed_in_the_middle_of_a_delivery_is_taken_over_within_seconds(
    tmp_path: Path, smtp_server: MailServer
) -> None:
    """A real worker is SIGKILLed while the SMTP server holds its mail's DATA. Its claim runs
    out within the lease, and a second worker, running all along, sends the alert then: once,
    seconds after the kill."""
    env = worker_env(tmp_path / "data", smtp_server)
    setup = run_worker(env, "setup", "1")
    assert setup.returncode == 0, setup.stderr
    smtp_server.handler.hold = release = threading.Event()

    first = start_worker(env, "deliver", "now")
    second: subprocess.Popen[str] | None = None
    try:
        assert smtp_server.handler.data_started.wait(READY_TIMEOUT), "the first worker never sent"
        # The second worker is up before the kill: how long a new process takes to start on a
        # busy machine is no part of the seconds measured below.
        second = start_worker(env, "poll", str(READY_TIMEOUT), "--until-sent")
        assert second.stdout is not None
        assert second.stdout.readline().strip() == "ready", "the second worker never started"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=READY_TIMEOUT)
        killed_at = timezone.now()
        release.set()
        assert first.returncode == -signal.SIGKILL
        assert smtp_server.delivered == []
        result = report(second)
    finally:
        release.set()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.kill()

    assert result["sent"] == 1
    [alert] = result["outbox"]
    assert alert["sent"]
    assert alert["attempts"] == 2
    taken_over_after = datetime.fromisoformat(alert["sent_at"]) - killed_at
    assert taken_over_after <= CLAIM_LEASE + timedelta(seconds=5), taken_over_after
    assert [d.rcpt_tos for d in smtp_server.delivered] == [("d1@kerngroep.nl",)]


def test_a_slow_delivery_by_a_live_worker_is_not_taken_over(
    tmp_path: Path, smtp_server: MailServer
) -> None:
    """The server takes longer than a whole lease to accept the mail. The worker sending it
    renews its claim meanwhile, so a second worker polling all that time sends nothing, and
    the mail arrives exactly once."""
    env = worker_env(tmp_path / "data", smtp_server)
    setup = run_worker(env, "setup", "1")
    assert setup.returncode == 0, setup.stderr
    smtp_server.handler.delay = (CLAIM_LEASE + timedelta(seconds=4)).total_seconds()

    slow = start_worker(env, "deliver", "now")
    try:
        assert smtp_server.handler.data_started.wait(READY_TIMEOUT), "the worker never sent"
        # Polls from now until well past the moment an unrenewed claim would have run out.
        other = start_worker(env, "poll", str((CLAIM_LEASE + timedelta(seconds=2)).total_seconds()))
        meanwhile = report(other)
        done = report(slow)
    finally:
        if slow.poll() is None:
            slow.kill()

    assert meanwhile["sent"] == 0
    assert done["sent"] == 1
    [alert] = done["outbox"]
    assert (alert["sent"], alert["attempts"]) == (True, 1)
    assert len(smtp_server.delivered) == 1


# --- Coming back for a claim that runs out -----------------------------------------------------


def _queued(key: str, now: datetime) -> OutboxMessage:
    return outbox_enqueue(key=key, to="marco@kerngroep.nl", subject="Test", body="Test", now=now)


def test_the_next_wake_is_when_a_held_claim_runs_out_or_a_backoff_ends(db: None) -> None:
    """The worker knows when to come back: at the end of a dead worker's lease, or when a
    back-off ends; never in the past, nothing when nothing waits."""
    assert outbox_next_wake(NOW) is None
    held = _queued("vast", NOW)
    OutboxMessage.objects.filter(pk=held.pk).update(claimed_at=NOW, claimed_by="elders")
    assert outbox_next_wake(NOW + timedelta(seconds=2)) == NOW + CLAIM_LEASE
    waiting = _queued("wacht", NOW)
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=NOW + timedelta(seconds=5))
    assert outbox_next_wake(NOW + timedelta(seconds=2)) == NOW + timedelta(seconds=5)
    assert outbox_next_wake(NOW + timedelta(minutes=5)) == NOW + timedelta(minutes=5)


@pytest.fixture
def huey_immediate() -> Any:
    HUEY.immediate = True
    tasks._wake_at = None
    try:
        yield HUEY
    finally:
        HUEY.flush()
        HUEY.immediate = False
        tasks._wake_at = None


def test_a_run_that_finds_a_held_claim_schedules_one_wake_up_for_when_it_runs_out(
    db: None, huey_immediate: Any
) -> None:
    """R3: a killed worker's mail is sent seconds after its lease runs out, not at the next
    periodic run a minute later; a second run does not pile up another wake-up."""
    now = timezone.now()
    held = _queued("vast", now)
    OutboxMessage.objects.filter(pk=held.pk).update(claimed_at=now, claimed_by="elders")

    tasks._schedule_next_run(now)
    tasks._schedule_next_run(now + timedelta(seconds=1))

    [wake] = huey_immediate.scheduled()
    assert wake.name.endswith("deliver_outbox")
    eta = wake.eta.replace(tzinfo=UTC)  # Huey keeps its times in naive UTC
    assert now + CLAIM_LEASE <= eta <= now + CLAIM_LEASE + timedelta(seconds=2)
