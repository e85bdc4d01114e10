"""``klachten serve``: a fresh data dir is created and migrated, the app and the worker run
together, the URL is printed once the application answers, links follow the port it listens
on, a worker that dies is started again while the site stays up, the static files are
collected once per version, and Ctrl-C or SIGTERM stops everything cleanly (issue #10)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.serving import (
    Serve,
    environment,
    get,
    port_is_closed,
    shared_static_root,
    stylesheet_url,
)


@pytest.fixture
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_static_root(tmp_path_factory)


@pytest.fixture
def env(tmp_path: Path, static_root: Path) -> dict[str, str]:
    return environment(tmp_path / "data", KLACHTEN_STATIC_ROOT=str(static_root))


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_runs_the_app_and_the_worker_and_stops_cleanly(tmp_path, env, stop_signal):
    serve = Serve(env, tmp_path)
    try:
        line = serve.ready()
        assert f"http://127.0.0.1:{serve.port}/" in line
        assert (tmp_path / "data" / "klachten.sqlite3").exists()

        # The URL is printed once the application answers, not merely once the port opens:
        # the first page is there at once — answered, not refused (however long a busy
        # machine takes to render it: no race against a clock).
        status, body = get(f"{serve.url}/")
        assert status == 200
        assert "Inloggen" in body.decode()
        status, _ = get(serve.url + stylesheet_url(body.decode()))
        assert status == 200

        # The worker beats on start-up; health turns green within seconds.
        health = serve.wait_for_health(lambda health: health["worker"])
        assert health["ok"] is True, health
        assert health["worker_restarts"] == 0
    finally:
        returncode = serve.stop(stop_signal)
    assert returncode == 0, serve.output
    assert "Gestopt." in serve.output
    assert "Traceback" not in serve.output
    # Both children are gone: nothing listens on the port any more.
    assert port_is_closed(serve.port)


def test_links_point_at_the_port_serve_listens_on(tmp_path, env):
    """Issue #10: without KLACHTEN_BASE_URL, the links in the regulation, mails, letters and
    feeds start with the address serve listens on, in the web processes and the worker."""
    serve = Serve(env, tmp_path)
    try:
        serve.ready()
        status, body = get(f"{serve.url}/regeling/")
        assert status == 200
        assert f"http://127.0.0.1:{serve.port}/melding/" in body.decode()
        assert "127.0.0.1:8000" not in body.decode()
        serve.wait_for_health(lambda health: health["worker"])
        worker = serve.children()
        worker_environment = Path(f"/proc/{worker['worker']}/environ").read_bytes().split(b"\0")
        assert f"KLACHTEN_BASE_URL=http://127.0.0.1:{serve.port}".encode() in worker_environment
    finally:
        assert serve.stop() == 0, serve.output


def test_a_configured_base_url_is_kept(tmp_path, env):
    serve = Serve({**env, "KLACHTEN_BASE_URL": "https://meldingen.kerngroep.example"}, tmp_path)
    try:
        line = serve.ready()
        assert "https://meldingen.kerngroep.example/" in line
        assert f"luistert op http://127.0.0.1:{serve.port}/" in line
        _, body = get(f"{serve.url}/regeling/")
        assert "https://meldingen.kerngroep.example/melding/" in body.decode()
    finally:
        assert serve.stop() == 0, serve.output


def test_a_worker_that_dies_is_started_again_and_the_site_stays_up(tmp_path, env):
    """Issue #10: kill -9 of the worker no longer stops the website; serve starts a new
    worker after a pause, logs it, and /gezondheid/ counts the restart."""
    serve = Serve(env, tmp_path)
    try:
        serve.ready()
        serve.wait_for_health(lambda health: health["worker"])
        first = serve.children()
        os.kill(first["worker"], signal.SIGKILL)

        health = serve.wait_for_health(lambda health: health["worker_restarts"] >= 1)
        assert health["worker_last_restart"] is not None
        serve.wait_for("opnieuw gestart")
        # The site answered all along and answers now; a new worker runs and beats.
        assert serve.process.poll() is None
        assert get(f"{serve.url}/")[0] == 200
        second = serve.children()
        assert second["worker"] != first["worker"]
        assert second["web"] == first["web"]
        serve.wait_for_health(lambda health: health["worker"] and health["ok"])
        assert "exitcode -9" in serve.output
    finally:
        returncode = serve.stop()
    assert returncode == 0, serve.output
    assert port_is_closed(serve.port)


def test_a_second_start_does_not_collect_the_static_files_again(tmp_path, env, static_root):
    """Issue #10: the static files are collected once per version, not at every start."""
    first = Serve(env, tmp_path)
    try:
        first.ready()
    finally:
        assert first.stop() == 0, first.output
    stamp = static_root / ".klachten-collected"
    assert stamp.exists()
    stamped = stamp.stat().st_mtime_ns
    sentinel = static_root / "left-alone.txt"
    sentinel.write_text("collectstatic --clear would remove me")

    second = Serve({**env, "KLACHTEN_DATA_DIR": str(tmp_path / "other")}, tmp_path)
    try:
        second.ready()
        _, body = get(f"{second.url}/")
        status, _ = get(second.url + stylesheet_url(body.decode()))
        assert status == 200
    finally:
        assert second.stop() == 0, second.output
    assert "klaargezet" not in second.output
    assert sentinel.exists()
    assert stamp.stat().st_mtime_ns == stamped


def test_static_files_come_from_the_package_when_they_cannot_be_collected(tmp_path, env):
    """A disk on which nothing can be collected does not stop serve (issue #10)."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the static folder should be")
    serve = Serve({**env, "KLACHTEN_STATIC_ROOT": str(blocked)}, tmp_path)
    try:
        serve.ready()
        status, body = get(f"{serve.url}/")
        assert status == 200
        assert "/static/vendor/pico/pico.min.css" in body.decode()
        status, _ = get(f"{serve.url}/static/vendor/pico/pico.min.css")
        assert status == 200
    finally:
        assert serve.stop() == 0, serve.output
    assert "rechtstreeks uit het geïnstalleerde pakket" in serve.output


def test_serve_prints_a_one_time_setup_link_while_there_is_no_staff(tmp_path, env):
    serve = Serve(env, tmp_path)
    try:
        serve.ready()
        link = serve.setup_link()
        assert link.startswith(f"http://127.0.0.1:{serve.port}/inrichten/")
        status, body = get(link)
        assert status == 200
        assert "Kerngroep Klachten inrichten" in body.decode()
    finally:
        assert serve.stop() == 0, serve.output


def test_serve_prints_no_setup_link_once_there_is_staff(tmp_path, env):
    subprocess.run(
        [sys.executable, "-m", "klachten", "createstaff", "anna", "--role", "employee"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    serve = Serve(env, tmp_path)
    try:
        serve.ready()
    finally:
        assert serve.stop() == 0, serve.output
    assert "/inrichten/" not in serve.output


def test_serve_refuses_a_port_in_use_in_one_dutch_line(tmp_path, env):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        serve = Serve(env, tmp_path, port=port)
        returncode = serve.process.wait(timeout=120)
        serve._reader.join(timeout=10)
    assert returncode != 0
    assert f"Poort {port} op 127.0.0.1 is al in gebruik" in serve.output
    assert "Traceback" not in serve.output


def test_django_commands_pass_through(tmp_path):
    env = environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "klachten", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
