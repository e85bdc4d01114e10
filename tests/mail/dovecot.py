"""A real IMAP server for the tests: Debian's Dovecot, configured by the test in a temporary
directory (#13 item 9). Debian package: ``dovecot-imapd`` (it brings ``dovecot-core``).

The server listens on 127.0.0.1 on a port of this test process's own (tests/ports.py), plain
IMAP without TLS, with one user from a passwd-file and a Maildir under the directory. Tests put
mail in with IMAP APPEND (:meth:`Dovecot.append`), as a mail server's delivery would.

Run as an ordinary user, everything runs as that user. Run as root (CI, the sandbox), Dovecot
refuses to run its login processes or to store mail as root, so those run as the unprivileged
users the Debian package creates (``dovenull``, ``dovecot``); the directory is then made in
/tmp, readable for them (pytest's own temporary directories are private to root), and short
enough for the Unix sockets Dovecot puts in it.

Use the ``dovecot`` fixture (import it into a test module or conftest), or
``running_dovecot()`` as a context manager in a script.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import pytest
from imapclient import IMAPClient

from tests.ports import free_port

DOVECOT = Path("/usr/sbin/dovecot")
HOST = "127.0.0.1"
USER = "klachten"
PASSWORD = "Kerngroep imap 2026/!"  # a space and a slash: URL-encoding is tested too
# Seconds the server may take to answer on its port; only a hang takes this long.
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0

CONFIG = """\
# Written by tests/mail/dovecot.py for one test; nothing here is read from /etc/dovecot.
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}
mail_location = maildir:{root}/mail
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _users() -> dict[str, str | int]:
    """Who runs what: the current user for everything, or, as root, Debian's users."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return {
            "internal_user": me.pw_name,
            "internal_group": group,
            "login_user": me.pw_name,
            "mail_uid": me.pw_uid,
            "mail_gid": me.pw_gid,
        }
    internal = _user("dovecot")
    return {
        "internal_user": internal.pw_name,
        "internal_group": grp.getgrgid(internal.pw_gid).gr_name,
        "login_user": _user("dovenull").pw_name,
        "mail_uid": internal.pw_uid,
        "mail_gid": internal.pw_gid,
    }


def _user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return pwd.getpwnam("nobody")


class Dovecot:
    """One Dovecot for one test: start, stop, restart on the same port and mail store."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.host = HOST
        self.port = port
        self.user = USER
        self.password = PASSWORD
        self.process: subprocess.Popen[bytes] | None = None
        users = _users()
        (root / "run").mkdir(mode=0o755)
        (root / "state").mkdir(mode=0o755)
        for folder in ("mail", "home"):
            (root / folder).mkdir(mode=0o700)
            os.chown(root / folder, int(users["mail_uid"]), int(users["mail_gid"]))
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        self.config = root / "dovecot.conf"
        self.config.write_text(CONFIG.format(root=root, host=HOST, port=port, **users))
        # The test run has the product's umask (077); Dovecot's own users read these.
        for name, mode in (
            ("run", 0o755),
            ("state", 0o755),
            ("passwd", 0o644),
            ("dovecot.conf", 0o644),
        ):
            if (root / name).exists():
                (root / name).chmod(mode)

    def url(self, folder: str = "INBOX", *, scheme: str = "imap", query: str = "") -> str:
        """The mailbox URL for ``MailboxConfig.from_url`` (user and password URL-encoded)."""
        user, password = quote(self.user, safe=""), quote(self.password, safe="")
        tail = f"?{query}" if query else ""
        return f"{scheme}://{user}:{password}@{self.host}:{self.port}/{quote(folder)}{tail}"

    def start(self) -> None:
        """Start the server and wait until it greets on its port."""
        if not DOVECOT.exists():
            pytest.fail(
                f"{DOVECOT} is missing: install Debian's dovecot-imapd (scripts/test does)",
                pytrace=False,
            )
        output = (self.root / "output.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [str(DOVECOT), "-F", "-c", str(self.config)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends every child too
        )
        output.close()
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"dovecot stopped at start:\n{self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=5) as probe:
                    probe.settimeout(5)
                    if probe.recv(200).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.05)  # between probes of the port, not a wait for readiness
        self.stop()
        raise AssertionError(f"dovecot did not answer within {READY_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop the server and every process it started, as a server going down would: open
        connections are cut. Dovecot's master leaves serving processes running when told to
        stop, so its whole process group (made for it at start) is ended."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid  # the master leads its own process group (start_new_session)
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # what outlived the master

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        texts = []
        for name in ("dovecot.log", "output.log"):
            path = self.root / name
            if path.exists():
                texts.append(path.read_text(errors="replace"))
        return "\n".join(texts)

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A separate, logged-in connection: another mail program, or the delivering server."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        try:
            client.login(self.user, self.password)
            yield client
        finally:
            try:
                client.logout()
            except Exception:
                client.shutdown()

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()) -> int:
        """Deliver one message into ``folder`` by IMAP APPEND; its UID (Dovecot's APPENDUID)."""
        with self.client() as client:
            answer = client.append(folder, raw, flags=flags)
        found = re.search(rb"APPENDUID \d+ (\d+)", answer)
        assert found, answer
        return int(found.group(1))


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """A started Dovecot in a fresh directory, stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="kg-imap-", dir="/tmp"))
    root.chmod(0o755)
    server = Dovecot(root, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot IMAP server of this test's own, with an empty INBOX."""
    with running_dovecot() as server:
        yield server
