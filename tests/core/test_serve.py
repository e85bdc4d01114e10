"""``klachten serve``: a fresh data dir is created and migrated, the app and the worker run
together, the URL is printed when ready, and Ctrl-C or SIGTERM stops both cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - localhost
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _start(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["KLACHTEN_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "klachten", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_url(process: subprocess.Popen[str], timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if "http://" in line:
            return line
    process.kill()
    raise AssertionError("serve did not print its URL:\n" + "".join(seen))


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_runs_the_app_and_the_worker_and_stops_cleanly(tmp_path, stop_signal):
    port = _free_port()
    process = _start(tmp_path, port)
    try:
        line = _wait_for_url(process)
        assert f"http://127.0.0.1:{port}/" in line
        assert (tmp_path / "data" / "klachten.sqlite3").exists()

        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Inloggen" in body.decode()
        status, _ = _get(f"http://127.0.0.1:{port}/static/vendor/pico/pico.min.css")
        assert status == 200

        # The worker beats on start-up; health turns green within seconds.
        deadline = time.monotonic() + 30
        health: dict[str, object] = {}
        while time.monotonic() < deadline:
            status, body = _get(f"http://127.0.0.1:{port}/gezondheid/")
            health = json.loads(body)
            if health["worker"]:
                break
            time.sleep(0.5)
        assert health["ok"] is True, health
    finally:
        process.send_signal(stop_signal)
        try:
            output = process.communicate(timeout=40)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, output
    # Both children are gone: nothing listens on the port any more.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()


def test_serve_refuses_a_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start(tmp_path, port)
        output = process.communicate(timeout=60)[0]
    assert process.returncode != 0
    assert "already in use" in output


def test_django_commands_pass_through(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KLACHTEN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "klachten", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
