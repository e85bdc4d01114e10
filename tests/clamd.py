"""A real clamd for the tests (issue #13, item 7): Debian's ClamAV daemon, not a mock.

The test writes everything clamd needs into a temporary directory: a signature database with
one signature only — the EICAR test file, so no download and a start in about a second —
and a ``clamd.conf`` listening on a UNIX socket there and on a free TCP port of 127.0.0.1.
clamd runs in the foreground as a child of the test session and is ready once it answers
``PING`` with ``PONG``; it is stopped when the session ends.

Needs the Debian package ``clamav-daemon`` (``apt-get install clamav-daemon``).

Use the fixtures by importing them into a test module or a conftest::

    from tests.clamd import clamd_fixture, clamd_server_fixture  # noqa: F401 - fixtures

(they register as ``clamd`` and ``clamd_server``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CLAMD = Path("/usr/sbin/clamd")
READY_TIMEOUT = 120.0  # seconds for clamd to load its database and answer PING

# The EICAR test file: 68 bytes every scanner reports, harmless by design.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
# The size of one stream clamd takes (its ``StreamMaxLength``); longer ones it refuses.
STREAM_MAX = 16 * 1024 * 1024


@dataclass
class ClamdServer:
    """A running clamd: its directory, UNIX socket, TCP port and process."""

    directory: Path
    socket_path: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def unix_url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def tcp_url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def log(self) -> str:
        path = self.directory / "clamd.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pong(socket_path: Path) -> bool:
    """clamd answers PING on its socket (spoken here directly, not through the code tested)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(socket_path))
            sock.sendall(b"zPING\0")
            return sock.recv(16) == b"PONG\0"
    except OSError:
        return False


def signature_database(directory: Path) -> None:
    """One body signature (``.ndb``): the EICAR string anywhere in any file, also inside a
    large one, under the name ClamAV's own database gives it."""
    (directory / "eicar.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n", encoding="ascii")


def clamd_config(directory: Path, *, socket_path: Path, port: int) -> Path:
    lines = [
        f"DatabaseDirectory {directory / 'db'}",
        f"LocalSocket {socket_path}",
        f"TCPSocket {port}",
        "TCPAddr 127.0.0.1",
        "Foreground yes",
        f"LogFile {directory / 'clamd.log'}",
        f"PidFile {directory / 'clamd.pid'}",
        f"StreamMaxLength {STREAM_MAX // (1024 * 1024)}M",
        "ScanArchive no",
        "SelfCheck 3600",
    ]
    if os.geteuid() == 0:  # clamd drops privileges to User; as root, stay root (CI)
        lines.append(f"User {pwd.getpwuid(os.getuid()).pw_name}")
    config = directory / "clamd.conf"
    config.write_text("\n".join(lines) + "\n", encoding="ascii")
    return config


def clamd_start() -> ClamdServer:
    """Write the database and configuration to a new directory, start clamd, wait for PONG."""
    assert CLAMD.exists(), "Install Debian's ClamAV daemon: apt-get install clamav-daemon"
    # A short path of its own: a UNIX socket's path may be at most 107 bytes long.
    directory = Path(tempfile.mkdtemp(prefix="klachten-clamd-"))
    (directory / "db").mkdir()
    signature_database(directory / "db")
    socket_path = directory / "clamd.sock"
    port = _free_port()
    config = clamd_config(directory, socket_path=socket_path, port=port)
    process = subprocess.Popen(  # noqa: S603 - a fixed program with our own configuration
        [str(CLAMD), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = ClamdServer(directory, socket_path, port, process)
    deadline = time.monotonic() + READY_TIMEOUT
    while not _pong(socket_path):
        if process.poll() is not None or time.monotonic() > deadline:
            clamd_stop(server)
            pytest.fail(f"clamd did not start:\n{server.log()}")
        time.sleep(0.05)
    return server


def clamd_stop(server: ClamdServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session", name="clamd_server")
def clamd_server_fixture() -> Iterator[ClamdServer]:
    """One clamd for the whole test session."""
    server = clamd_start()
    yield server
    clamd_stop(server)


@pytest.fixture(name="clamd")
def clamd_fixture(settings: Any, clamd_server: ClamdServer) -> Iterator[ClamdServer]:
    """Scanning on: ``CLAMD_URL`` is the test clamd's UNIX socket. No scanner is taken for
    unreachable because of an earlier test."""
    from klachten.core.scanning import scanner_unreachable_forget

    settings.CLAMD_URL = clamd_server.unix_url
    scanner_unreachable_forget()
    yield clamd_server
    scanner_unreachable_forget()
