"""The data dir is for the installation's owner alone (#15, item 6).

A real installation: ``klachten serve`` (the web application and the worker) on a data dir
that does not exist yet, a complaint with an attachment registered beside it, the alert to
management delivered by the worker into the mail folder, and ``klachten backup``. Every
process is started with the common umask 022, so only the product itself can make what it
writes private. Then every file in the data dir must be 0600 and every folder 0700: the
database and its WAL, the queue, the secret key, the attachments, the mail.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from klachten.core.datadir import datadir_make_private
from tests.ops.serving import STARTUP_TIMEOUT, Serve, environment, shared_static_root

PASSWORD = "Kerngroep-test-2026!"

REGISTER = f"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
import django
django.setup()
from django.core.files.base import ContentFile
from django.utils import timezone
from klachten.accounts.services import staff_create
from klachten.complaints.attachments import attachment_add
from klachten.complaints.services import Checklist, complaint_register
from klachten.customers.validation import CustomerData
petra = staff_create(username="petra", role="employee", email="petra@kerngroep.example",
                     password="{PASSWORD}")
staff_create(username="marco", role="management", email="marco@kerngroep.example",
             password="{PASSWORD}")
complaint = complaint_register(
    receiver=petra,
    customer=CustomerData(name="Anja de Boer", street="Kanaalweg", house_number="3",
                          postcode="3526 KL", town="Utrecht", email="anja@example.com"),
    received_at=None, channel="phone", report="Verkeerde datum op de uitnodiging.",
    checklist=Checklist(), now=timezone.now(),
)
attachment_add(
    complaint=complaint, actor=petra, file=ContentFile(b"%PDF-1.7 uitnodiging", name="u.pdf"),
    now=timezone.now(),
)
"""


@contextlib.contextmanager
def common_umask() -> Iterator[None]:
    """Processes started here inherit umask 022, as from a login shell or systemd."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(root: Path) -> dict[str, str]:
    """Every path under ``root`` (itself included) with its mode, as ``0o600``."""
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for directory, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(directory, name)
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def not_private(root: Path) -> dict[str, str]:
    expected = {True: oct(0o700), False: oct(0o600)}
    return {
        name: mode for name, mode in modes(root).items() if mode != expected[(root / name).is_dir()]
    }


def wait_for_file(folder: Path, serve: Serve) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if folder.is_dir() and any(folder.iterdir()):
            return
        assert serve.process.poll() is None, serve.output
        time.sleep(0.1)
    raise AssertionError(f"nothing arrived in {folder}:\n{serve.output}")


def test_everything_the_product_writes_in_the_data_dir_is_for_its_owner_alone(
    tmp_path, tmp_path_factory
):
    data = tmp_path / "data"
    env = environment(data, KLACHTEN_STATIC_ROOT=str(shared_static_root(tmp_path_factory)))
    backup = tmp_path / "backups" / "klachten.zip"
    backup.parent.mkdir()
    with common_umask():
        serve = Serve(env, tmp_path)
    try:
        serve.ready()
        serve.wait_for_health(lambda health: health["worker"])
        with common_umask():
            subprocess.run(  # noqa: S603 - our own interpreter
                [sys.executable, "-c", REGISTER], env=env, cwd=tmp_path, check=True, timeout=300
            )
        # The worker delivers the alert to management (R3) into the local mail folder.
        wait_for_file(data / "mail", serve)
        with common_umask():
            subprocess.run(  # noqa: S603 - our own interpreter
                [sys.executable, "-m", "klachten", "backup", str(backup)],
                env=env,
                cwd=tmp_path,
                check=True,
                timeout=300,
            )
        # While it runs: the database's WAL and shared memory are there too.
        written = modes(data)
        assert not_private(data) == {}, written
    finally:
        assert serve.stop() == 0, serve.output

    assert {
        ".",
        "klachten.sqlite3",
        "klachten.sqlite3-wal",
        "klachten.sqlite3-shm",
        "queue.sqlite3",
        "secret_key",
        "files",
        "mail",
    } <= set(written), written
    assert any(name.startswith("files/") for name in written), written
    assert any(name.startswith("mail/") for name in written), written
    assert not_private(data) == {}
    assert oct(stat.S_IMODE(backup.stat().st_mode)) == oct(0o600)


def test_an_older_data_dir_is_closed_to_others_on_start(tmp_path):
    """A data dir made by an earlier version (0755, its database 0644) is closed at once; a
    link to somewhere else is left alone."""
    data = tmp_path / "data"
    (data / "files").mkdir(parents=True)
    (data / "klachten.sqlite3").write_bytes(b"")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"")
    (data / "link").symlink_to(elsewhere)
    for path, mode in ((data, 0o755), (data / "files", 0o755), (data / "klachten.sqlite3", 0o644)):
        path.chmod(mode)
    elsewhere.chmod(0o644)
    before = os.umask(0o022)
    try:
        datadir_make_private(data)
        assert os.umask(0o022) == 0o077
    finally:
        os.umask(before)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "files").stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "klachten.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644


def test_uploads_are_stored_for_the_owner_alone(settings):
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_a_command_on_a_new_data_dir_makes_it_private(tmp_path):
    """Even a command that only reads the settings (``klachten check``) leaves a data dir
    that nobody else can enter."""
    data = tmp_path / "data"
    with common_umask():
        subprocess.run(
            [sys.executable, "-m", "klachten", "check"],
            env=environment(data),
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=300,
        )
    assert "queue.sqlite3" in modes(data)
    assert not_private(data) == {}
