"""``klachten serve [--host 127.0.0.1] [--port 8000]``: the web application and the worker.

Applies migrations, then runs gunicorn and the background worker side by side in the
foreground, prints the URL once the site answers, and stops both cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

STARTUP_TIMEOUT_SECONDS = 60
SHUTDOWN_TIMEOUT_SECONDS = 30


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = "Migrate, then run the web application (gunicorn) and the background worker."

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
        if not _port_free(host, port):
            raise CommandError(f"Port {port} on {host} is already in use; choose another --port.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        children = {
            "web": subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "klachten.config.wsgi:application",
                    f"--bind={_url_host(host)}:{port}",
                    f"--workers={options['workers']}",
                    "--worker-class=gthread",
                    "--threads=4",
                    "--graceful-timeout=10",
                    "--log-level=warning",
                ]
            ),
            "worker": subprocess.Popen([sys.executable, "-m", "klachten", "worker"]),
        }
        exit_code = 0
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
            while not stopping and not _answers(host, port):
                if self._exited(children) or time.monotonic() > deadline:
                    raise CommandError("The web application did not start; see the log above.")
                time.sleep(0.1)
            if not stopping:
                self.stdout.write(
                    f"Kerngroep Klachten draait op http://{_url_host(host)}:{port}/ "
                    "(Ctrl-C om te stoppen)"
                )
                self.stdout.flush()
            while not stopping:
                if name := self._exited(children):
                    self.stderr.write(f"The {name} process stopped unexpectedly; stopping.")
                    exit_code = 1
                    break
                time.sleep(0.2)
        finally:
            self._stop(children)
        if exit_code:
            sys.exit(exit_code)
        self.stdout.write("Gestopt.")

    @staticmethod
    def _exited(children: dict[str, subprocess.Popen[bytes]]) -> str | None:
        return next((name for name, child in children.items() if child.poll() is not None), None)

    @staticmethod
    def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
