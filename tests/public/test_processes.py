"""What several gunicorn workers (separate processes) share: the rate limit of the public
form, and who takes up a report first (R15). Real processes on one SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("report_process.py")

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the processes use their own SQLite file; PostgreSQL locks rows as well",
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}
    }
    env["KLACHTEN_DATA_DIR"] = str(data_dir)
    env["ALLOWED_HOSTS"] = "testserver"
    return env


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = _env(tmp_path / "data")
    _run(env, "setup")
    return env


def test_the_rate_limit_holds_across_worker_processes(env: dict[str, str]) -> None:
    """Two reports from one address in two processes fill the limit; a third process refuses
    the third, and another address is still welcome."""
    assert _run(env, "submit", "203.0.113.7") == "302"
    assert _run(env, "submit", "203.0.113.7") == "302"
    assert _run(env, "submit", "203.0.113.7") == "429"
    assert _run(env, "submit", "198.51.100.4") == "302"


def test_two_processes_taking_up_the_same_report_at_once_give_it_one_receiver(
    env: dict[str, str], tmp_path: Path
) -> None:
    """R15: the first employee who takes it up becomes receiver; the other is told."""
    assert _run(env, "submit", "203.0.113.8") == "302"
    start_line = tmp_path / "start"
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(SCRIPT), "take-up", name, "--wait-for", str(start_line)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("petra", "sanne")
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        start_line.touch()
        outputs = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert [process.returncode for process in processes] == [0, 0], [e for _, e in outputs]
    answers = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    assert answers == ["already_taken_up", "taken"]
