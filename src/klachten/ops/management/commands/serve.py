"""``klachten serve [--host 127.0.0.1] [--port 8000]``: the web application and the worker.

Brings the database up to date (one process at a time, ``core.schema``), collects the static
files once per version (``core.staticfiles``), then runs gunicorn and the background worker
side by side in the foreground. It prints the URL once the application answers a real HTTP
request — and, while the installation has no staff, a one-time link to set it up. A worker
that stops is started again with a growing pause, while the website stays up; Ctrl-C or
SIGTERM stops both cleanly (issue #10).
"""

from __future__ import annotations

import errno
import http.client
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connections
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.core.schema import schema_update
from klachten.ops.management.base import ProjectCommand, os_reason

logger = logging.getLogger("klachten.serve")

STARTUP_TIMEOUT_SECONDS = 90
SHUTDOWN_TIMEOUT_SECONDS = 30
PROBE_TIMEOUT_SECONDS = 10
# A worker that stops is started again after 1, 2, 4 … seconds, at most a minute apart; one
# that ran a minute before it stopped starts the series afresh.
WORKER_BACKOFF_FIRST_SECONDS = 1.0
WORKER_BACKOFF_MAX_SECONDS = 60.0
WORKER_STABLE_SECONDS = 60.0
# Addresses that mean "every interface": the site is reached on this machine's loopback.
WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return False
            raise CommandError(
                _("Kan niet luisteren op %(host)s poort %(port)s: %(reason)s.")
                % {"host": host, "port": port, "reason": os_reason(error)}
            ) from error
    return True


def _answers(host: str, port: int, host_header: str) -> bool:
    """Whether the application answers an HTTP request (any status but a server error)."""
    connection = http.client.HTTPConnection(host, port, timeout=PROBE_TIMEOUT_SECONDS)
    try:
        connection.request("GET", "/", headers={"Host": host_header})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return response.status < 500


def _probe_host(local: str, port: int) -> str:
    """The ``Host`` the readiness request names: one the application accepts, so the probe
    gets the page itself (the local address, else the base URL's host)."""
    for candidate in (f"{_url_host(local)}:{port}", urlsplit(settings.BASE_URL).netloc):
        domain, _port = split_domain_port(candidate)
        if domain and validate_host(domain, settings.ALLOWED_HOSTS):
            return candidate
    return f"{_url_host(local)}:{port}"


class Command(ProjectCommand):
    help = "Migrate, then run the web application (gunicorn) and the background worker."
    # gunicorn loads every URL and view itself before it answers; checking them here too
    # would only slow the start (issue #10). `klachten check` runs the checks.
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="gunicorn worker processes (default: $WEB_CONCURRENCY or 2).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(
                _("Kies een poort van 1 tot en met 65535, niet %(port)s.") % {"port": port}
            )
        if options["workers"] < 1:
            raise CommandError(_("Kies minstens 1 webproces (--workers)."))
        if not _port_free(host, port):
            raise CommandError(
                _("Poort %(port)s op %(host)s is al in gebruik; kies een andere met --port.")
                % {"port": port, "host": host}
            )
        local = WILDCARD_HOSTS.get(host, host)
        environment = dict(os.environ)
        # Links in mails, letters, the regulation and feeds point where this server listens,
        # unless KLACHTEN_BASE_URL says otherwise (CONTRACT.md).
        if not os.environ.get("KLACHTEN_BASE_URL"):
            environment["KLACHTEN_BASE_URL"] = f"http://{_url_host(local)}:{port}"
            settings.BASE_URL = environment["KLACHTEN_BASE_URL"]
            if host in WILDCARD_HOSTS:
                self.stderr.write(
                    _(
                        "Let op: links in mails wijzen naar %(url)s; zet KLACHTEN_BASE_URL op "
                        "het adres waarop collega's en klanten deze installatie bereiken."
                    )
                    % {"url": settings.BASE_URL}
                )

        if schema_update():
            self.stderr.write(_("De database is bijgewerkt naar deze versie."))
        self._prepare_static(environment)
        setup_token = self._setup_token()
        connections.close_all()  # the children open their own

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        web = self._start_web(environment, host, port, options["workers"])
        # The worker starts once the site answers: the two would only compete for the
        # processor while the first page is being prepared.
        worker: subprocess.Popen[bytes] | None = None
        worker_started = 0.0
        backoff = WORKER_BACKOFF_FIRST_SECONDS
        restart_at: float | None = None
        failure = ""
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        host_header = _probe_host(local, port)
        try:
            while not stopping:
                if web.poll() is not None:
                    failure = (
                        _("De webtoepassing stopte onverwacht; Kerngroep Klachten stopt.")
                        if worker is not None
                        else _("De webtoepassing startte niet; zie de meldingen hierboven.")
                    )
                    break
                if worker is None:
                    if _answers(local, port, host_header):
                        self._announce(setup_token, f"http://{_url_host(local)}:{port}/")
                        worker, worker_started = self._start_worker(environment), time.monotonic()
                    elif time.monotonic() > deadline:
                        failure = _(
                            "De webtoepassing antwoordde niet binnen %(seconds)s s; zie de "
                            "meldingen hierboven."
                        ) % {"seconds": STARTUP_TIMEOUT_SECONDS}
                        break
                    else:
                        time.sleep(0.05)
                    continue
                now = time.monotonic()
                if restart_at is None and worker.poll() is not None and not stopping:
                    if now - worker_started >= WORKER_STABLE_SECONDS:
                        backoff = WORKER_BACKOFF_FIRST_SECONDS
                    logger.warning(
                        _(
                            "De achtergrondverwerker stopte onverwacht (exitcode %(code)s); "
                            "over %(seconds).0f s start hij opnieuw. De website blijft "
                            "bereikbaar."
                        ),
                        {"code": worker.returncode, "seconds": backoff},
                    )
                    self._record_restart(worker.returncode)
                    restart_at = now + backoff
                    backoff = min(backoff * 2, WORKER_BACKOFF_MAX_SECONDS)
                if restart_at is not None and now >= restart_at and not stopping:
                    worker, worker_started, restart_at = self._start_worker(environment), now, None
                    logger.warning(_("De achtergrondverwerker is opnieuw gestart."))
                time.sleep(0.25)
        finally:
            self._stop([child for child in (web, worker) if child is not None])
        if failure:
            raise CommandError(failure)
        self.stdout.write(_("Gestopt."))

    def _prepare_static(self, environment: dict[str, str]) -> None:
        """The static files of this version, collected once; else straight from the package."""
        if settings.STATIC_FROM_PACKAGE:
            return
        from klachten.core.staticfiles import static_collect_once

        try:
            if static_collect_once():
                self.stderr.write(_("De vaste bestanden (opmaak, scripts) zijn klaargezet."))
        except OSError as error:
            environment["KLACHTEN_STATIC_FROM_PACKAGE"] = "true"
            self.stderr.write(
                _(
                    "Let op: de vaste bestanden konden niet worden klaargezet in %(folder)s "
                    "(%(reason)s); ze komen nu rechtstreeks uit het geïnstalleerde pakket."
                )
                % {"folder": settings.STATIC_ROOT, "reason": os_reason(error)}
            )

    @staticmethod
    def _setup_token() -> str | None:
        from klachten.ops.services import setup_link_create

        return setup_link_create(now=timezone.now())

    def _announce(self, setup_token: str | None, listening: str) -> None:
        where = f"{settings.BASE_URL}/"
        if where != listening:  # behind a reverse proxy: say where this process listens too
            where += " " + _("(luistert op %(address)s)") % {"address": listening}
        self.stdout.write(
            _("Kerngroep Klachten draait op %(url)s (Ctrl-C om te stoppen)") % {"url": where}
        )
        if setup_token:
            self.stdout.write(
                _(
                    "Nog geen accounts. Open deze link (werkt één keer) om het eerste account "
                    "aan te maken of demogegevens in te vullen:"
                )
            )
            self.stdout.write(f"  {settings.BASE_URL}{reverse('setup', args=[setup_token])}")
        self.stdout.flush()

    @staticmethod
    def _start_web(
        environment: dict[str, str], host: str, port: int, workers: int
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "klachten.config.wsgi:application",
                "--config=python:klachten.config.gunicorn_conf",
                "--preload",
                f"--bind={_url_host(host)}:{port}",
                f"--workers={workers}",
                "--worker-class=gthread",
                "--threads=4",
                "--graceful-timeout=10",
                "--log-level=warning",
            ],
            env=environment,
        )

    @staticmethod
    def _start_worker(environment: dict[str, str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "klachten", "worker"], env=environment)

    @staticmethod
    def _record_restart(exit_code: int | None) -> None:
        """Note the restart for ``/gezondheid/``; a database that does not answer is logged."""
        from klachten.ops.services import worker_restart_record

        try:
            worker_restart_record(
                host=socket.gethostname(), exit_code=exit_code, now=timezone.now()
            )
        except DatabaseError as error:
            logger.warning(
                _("De herstart kon niet worden vastgelegd: %(reason)s"), {"reason": error}
            )
        finally:
            connections.close_all()

    @staticmethod
    def _stop(children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
