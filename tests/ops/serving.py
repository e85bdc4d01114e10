"""A real ``klachten serve`` process for the tests: started on a fresh data dir, its output
read as it comes, waited for by what it prints and what it answers (never by the clock).

Safe with the suite in several processes (pytest-xdist): each serve gets a port of its test
process's own (``tests.ports``) and a data dir under its test's ``tmp_path``. The limits below
only trip when something truly hangs; a busy machine merely takes longer.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.ports import free_port

# Seconds. Generous on purpose: a loaded machine (every core running tests, the first
# collection of the static files) is slow, not broken; only a hang takes this long.
STARTUP_TIMEOUT = 300
REQUEST_TIMEOUT = 120
STOP_TIMEOUT = 120


def get(url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - localhost
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def shared_static_root(tmp_path_factory: Any) -> Path:
    """One folder of collected static files for every serve of this test process: collected
    by the first, reused by the others (as ``KLACHTEN_STATIC_ROOT`` allows). Under xdist the
    base temp dir is the worker's own, so each worker collects once, into a folder of its own
    (the folder is safe to share, core/staticfiles.py locks it, but need not be)."""
    return Path(tmp_path_factory.getbasetemp()) / "static-shared"


def stylesheet_url(html: str) -> str:
    """The Pico stylesheet's address as the page names it (fingerprinted once collected)."""
    match = re.search(r'href="(/static/vendor/pico/pico\.min[^"]*\.css)"', html)
    assert match, html
    return match.group(1)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The test's environment for a fresh installation in ``data_dir`` (SQLite unless told)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "KLACHTEN_BASE_URL",
            "KLACHTEN_STATIC_ROOT",
            "KLACHTEN_STATIC_FROM_PACKAGE",
            "EMAIL_URL",
        }
    }
    env["KLACHTEN_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


class Serve:
    """``klachten serve --port PORT`` in a subprocess, with its merged output collected."""

    def __init__(self, env: dict[str, str], cwd: Path, port: int | None = None) -> None:
        self.env = env
        self.data_dir = Path(env["KLACHTEN_DATA_DIR"])
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "klachten", "serve", "--port", str(self.port), "--workers", "1"],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = STARTUP_TIMEOUT) -> str:
        """The first line of output that holds ``text``; fails when serve stops first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"serve did not print {text!r}:\n{self.output}")

    def ready(self) -> str:
        """Wait for the line with the URL it serves."""
        return self.wait_for("draait op")

    def setup_link(self) -> str:
        line = self.wait_for("/inrichten/")
        return line.strip()

    def health(self) -> dict[str, Any]:
        _, body = get(f"{self.url}/gezondheid/")
        return dict(json.loads(body))

    def wait_for_health(self, check: Any, timeout: float = STARTUP_TIMEOUT) -> dict[str, Any]:
        """Poll /gezondheid/ until ``check`` holds; a request that is slow or refused on a
        busy machine is simply asked again, until ``timeout`` says serve truly hangs."""
        deadline = time.monotonic() + timeout
        health: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                health = self.health()
            except (OSError, ValueError) as error:  # URLError, a timeout, a half answer
                health = {"error": repr(error)}
            else:
                if check(health):
                    return health
            if self.process.poll() is not None:
                break
            time.sleep(0.25)
        raise AssertionError(f"health never became as expected: {health}\n{self.output}")

    def children(self) -> dict[str, int]:
        """The pids of serve's children by role: ``web`` (gunicorn) and ``worker``."""
        pid = self.process.pid
        found: dict[str, int] = {}
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        for child in text.split():
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"gunicorn" in command:
                found["web"] = int(child)
            elif b"worker" in command:
                found["worker"] = int(child)
        return found

    def stop(self, stop_signal: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(stop_signal)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._reader.join(timeout=10)
        return self.process.returncode

    def kill(self) -> None:
        """Stop serve and its children at once (a failed test leaves nothing running)."""
        if self.process.poll() is None:
            try:
                children = list(self.children().values())
            except OSError:
                children = []
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait()


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True
