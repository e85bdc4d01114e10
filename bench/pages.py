"""Time the main pages and the API through a real gunicorn server (issue budgets).

    KLACHTEN_DATA_DIR=/tmp/kk-bench .venv/bin/python bench/seed.py --complaints 1000000
    KLACHTEN_DATA_DIR=/tmp/kk-bench .venv/bin/python bench/pages.py

Starts gunicorn (2 workers) on 127.0.0.1 against the seeded data dir, logs in as the seeded
manager, and lets two concurrent clients request each page for a while; prints p50 and p95
per page (budget: p95 ≤ 30 ms for the overview, a complaint page and the API list; ≤ 50 ms
for the live wording check of a 5 kB message while typing; ≤ 100 ms
for the management dashboard, whose first visit computes the kept month figures), the rate
of registering complaints through the API (budget ≥ 150 per second) and the resident memory
of a background worker that has delivered the resulting mail (budget: flat in N).
Every request loop is bounded in count and time and talks only to 127.0.0.1.

Time each run on a freshly seeded data dir: a run registers a few thousand complaints today
that stay open, so a second run on the same data dir measures a larger open workload (and a
busier "today" for the dashboard's figures) than the seed describes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

KEEP_FIGURES = "from klachten.reports.tasks import keep_dashboard_figures as k; k.call_local()"
PASSWORD = "Bench-Kerngroep-2026!"  # noqa: S105 - the seeded benchmark account
MANAGER = "bench-directie"


class Client:
    """One keep-alive HTTP connection with a session cookie or a bearer token."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=all_headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closed the idle keep-alive connection: open a new one, once.
            self.connection.close()
            self.connection.connect()
            self.connection.request(method, path, body=body, headers=all_headers)
            response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def log_in(self) -> None:
        status, page = self.request("GET", "/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"login page: {status}")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token[1].decode(), "username": MANAGER, "password": PASSWORD}
        )
        status, _ = self.request(
            "POST",
            "/inloggen/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )
        if status != 302:
            raise SystemExit(f"login failed: {status}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _timed(
    clients: list[Client],
    make_request: Callable[[Client], tuple[int, bytes]],
    seconds: float,
    max_requests: int,
) -> list[float]:
    """Run the clients concurrently; return each request's duration in milliseconds."""
    durations: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(client: Client) -> None:
        count = 0
        while time.monotonic() < stop_at and count < max_requests:
            began = time.perf_counter()
            status, body = make_request(client)
            elapsed = (time.perf_counter() - began) * 1000
            if status >= 400:
                raise SystemExit(f"HTTP {status}: {body[:200]!r}")
            with lock:
                durations.append(elapsed)
            count += 1

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return durations


def _report(name: str, durations: list[float]) -> None:
    durations.sort()
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    print(
        f"{name:<28} n={len(durations):>5}  p50={statistics.median(durations):6.1f} ms"
        f"  p95={p95:6.1f} ms"
    )


def _live_check_text(size: int) -> str:
    """A Dutch letter of about ``size`` characters, with one R13 word and one R12 sentence."""
    sentences = [
        "Hartelijk dank voor uw bericht over de cursus Projectmatig Werken.",
        "Het spijt ons dat het lesmateriaal niet op tijd bij u was.",
        "Mijn collega Petra neemt morgen contact met u op over een nieuwe datum.",
        "Wij bieden u aan de gemiste lesdag kosteloos in te halen.",
        "U kunt mij altijd bereiken op 030 123 45 67.",
        "Wilt u ons laten weten of deze oplossing voor u goed werkt?",
    ]
    parts = [
        "Geachte mevrouw Jansen,",
        "Uw klacht is ontvangen.",
        "De drukkerij heeft de readers te laat geleverd.",
    ]
    i = 0
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(sentences[i % len(sentences)])
        i += 1
    return " ".join(parts)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--overview", default="/meldingen/")
    parser.add_argument("--complaint-page", default="/meldingen/{reference}/")
    parser.add_argument("--dashboard", default="/dashboard/")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "klachten.config.settings"}
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    subprocess.run(
        [sys.executable, "-m", "klachten", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    token = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "klachten", "token", "create", MANAGER],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "klachten.config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ],
        env=env,
    )
    try:
        _wait(port)
        pages = [Client(port), Client(port)]
        for client in pages:
            client.log_in()
        api = [Client(port), Client(port)]
        for client in api:
            client.headers["Authorization"] = f"Bearer {token}"
        status, body = api[0].request("GET", "/api/v1/complaints?overdue=true&page_size=1")
        items = json.loads(body)["items"] if status == 200 else []
        status, body = api[0].request("GET", "/api/v1/complaints?page_size=1")
        reference = (items or json.loads(body)["items"])[0]["reference"]
        complaint_page = args.complaint_page.format(reference=reference)
        for client in pages + api:  # warm up
            client.request("GET", args.overview)
        limit = 5000
        _report(
            "overview " + args.overview,
            _timed(pages, lambda c: c.request("GET", args.overview), args.seconds, limit),
        )
        # The worker keeps the dashboard's month figures every minute (#14): what it costs once
        # on a freshly seeded data dir, then the first visit as staff meet it after a start.
        began = time.perf_counter()
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "klachten", "shell", "-c", KEEP_FIGURES],
            env=env,
            check=True,
        )
        print(f"{'worker keeps the figures':<28} {(time.perf_counter() - began) * 1000:9.1f} ms")
        began = time.perf_counter()
        status, _ = pages[0].request("GET", args.dashboard)
        if status != 200:
            raise SystemExit(f"dashboard: HTTP {status}")
        print(f"{'dashboard, first visit':<28} {(time.perf_counter() - began) * 1000:9.1f} ms")
        for client in pages[1:]:  # every worker process draws its charts once
            client.request("GET", args.dashboard)
        _report(
            "dashboard " + args.dashboard,
            _timed(pages, lambda c: c.request("GET", args.dashboard), args.seconds, limit),
        )
        body = json.dumps(
            {
                "customer": {
                    "name": "Mevrouw B. Bench",
                    "street": "Lindenlaan",
                    "house_number": "1",
                    "postcode": "3512 AB",
                    "town": "Utrecht",
                    "country": "NL",
                    "email": "bench@example.nl",
                    "phone": "",
                },
                "channel": "phone",
                "report": "Benchmark: cursusmap ontbrak.",
                "checklist": {"not_interrupted": True},
            }
        )
        # The dashboard while complaints keep coming in, one a second: each new complaint
        # makes its day's kept figures stale, so some views compute that day again (measured
        # before the burst of registrations below, which would make today unusually busy).
        stop = threading.Event()

        def register_slowly() -> None:
            while not stop.wait(1.0):
                api[0].request(
                    "POST", "/api/v1/complaints", body, {"Content-Type": "application/json"}
                )

        writer = threading.Thread(target=register_slowly)
        writer.start()
        try:
            _report(
                "dashboard, 1 new/s",
                _timed(pages, lambda c: c.request("GET", args.dashboard), args.seconds, limit),
            )
        finally:
            stop.set()
            writer.join()
        _report(
            "complaint page",
            _timed(pages, lambda c: c.request("GET", complaint_page), args.seconds, limit),
        )
        # #13, item 10: a case with 25 messages each way and 20 notes (bench/seed.py).
        busy_file = Path(os.environ.get("KLACHTEN_DATA_DIR", ".")) / "bench-busy-complaint.txt"
        if busy_file.exists():
            busy_page = args.complaint_page.format(reference=busy_file.read_text().strip())
            status, _ = pages[0].request("GET", busy_page)
            if status != 200:
                raise SystemExit(f"complaint page with a long conversation: HTTP {status}")
            _report(
                "complaint, 50 msgs+20 notes",
                _timed(pages, lambda c: c.request("GET", busy_page), args.seconds, limit),
            )
        _report(
            "API list /api/v1/complaints",
            _timed(api, lambda c: c.request("GET", "/api/v1/complaints"), args.seconds, limit),
        )
        # The live check of the message editor while typing (#11: a 5 kB text, p95 ≤ 50 ms):
        # a letter with a word of R13 and a blaming sentence, as htmx posts it.
        letter = _live_check_text(5_000)
        form = urllib.parse.urlencode({"subject": "Uw bericht", "body": letter})
        for client in pages:  # each session its own CSRF token, as the editor page gives it
            _, page = client.request("GET", "/tekstcontrole/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if token is None:
                raise SystemExit("no CSRF token on /tekstcontrole/")
            client.headers["X-CSRFToken"] = token[1].decode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
            "Referer": "http://127.0.0.1/",
        }
        status, answer = pages[0].request("POST", "/tekstcontrole/?veld=body", form, headers)
        if status != 200 or b"R12" not in answer or b"R13" not in answer:
            raise SystemExit(f"live check: HTTP {status}, expected an R12 and an R13 finding")
        _report(
            "live check, 5 kB message",
            _timed(
                pages,
                lambda c: c.request("POST", "/tekstcontrole/?veld=body", form, headers),
                args.seconds,
                limit,
            ),
        )
        for client in pages:
            client.headers.pop("X-CSRFToken", None)
        began = time.perf_counter()
        registered = _timed(
            api,
            lambda c: c.request(
                "POST", "/api/v1/complaints", body, {"Content-Type": "application/json"}
            ),
            args.seconds,
            limit,
        )
        rate = len(registered) / (time.perf_counter() - began)
        _report("API register", registered)
        print(f"{'registering':<28} {rate:,.0f} complaints per second (budget ≥ 150)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    worker = subprocess.Popen(
        [sys.executable, "-m", "klachten", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(20)  # start-up, and delivery of the alerts queued above
        print(f"{'worker memory':<28} {_rss_kib(worker.pid) / 1024:,.0f} MiB resident")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
