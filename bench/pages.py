"""Time the main pages and the API through a real gunicorn server (issue budgets).

    KLACHTEN_DATA_DIR=/tmp/kk-bench .venv/bin/python bench/seed.py --complaints 1000000
    KLACHTEN_DATA_DIR=/tmp/kk-bench .venv/bin/python bench/pages.py

On PostgreSQL the same with ``DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/kk_bench``)
for both commands, and a data dir of its own.

First the floor (#17, item 6; bench/floor.py): the same gunicorn serving a bare Django page
over the same database — the 50 open complaints nearest their deadline, one template, no
middleware. Every figure after it is also printed as a ratio to the floor's p50.

Starts gunicorn (2 workers) on 127.0.0.1 against the seeded data dir, logs in as the seeded
manager, and lets two concurrent clients (each on a worker of its own) request each page for a
while; prints p50, p95 and p99 per page (budget: p95 ≤ 30 ms for the overview, a complaint page
and the API list; ≤ 50 ms for the live wording check of a 5 kB message while typing; ≤ 100 ms
for the management dashboard, whose first visit computes the kept month figures), the rate of
registering complaints through the API (budget ≥ 150 per second), the annual report and a letter
as PDF (budgets ≤ 3 s and ≤ 1 s), the resident memory of each web worker after all this (budget
≤ 150 MiB, #17) and of a background worker that has delivered the resulting mail (budget: flat
in N). Every request loop is bounded in count and time and talks only to 127.0.0.1.

Time each run on a freshly seeded data dir: a run registers a few thousand complaints today
that stay open, so a second run on the same data dir measures a larger open workload (and a
busier "today" for the dashboard's figures) than the seed describes.
"""

from __future__ import annotations

import argparse
import contextlib
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
            if status >= 300:  # a redirect (to the login, say) is not the page
                raise SystemExit(f"HTTP {status}: {body[:200]!r}")
            with lock:
                durations.append(elapsed)
            count += 1

    _spread(clients, make_request)
    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    cpu = _server_cpu()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if SERVER and durations:
        CPU_PER_REQUEST[:] = [(_server_cpu() - cpu) * 1000 / len(durations)]
    return durations


def _children(server: subprocess.Popen[bytes]) -> list[int]:
    """The process ids of gunicorn's workers."""
    return [
        int(pid)
        for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ]


def _worker_of(client: Client) -> int | None:
    """The server process holding the other end of ``client``'s open connection, if any:
    the socket's inode from /proc/net/tcp, then the worker with that socket among its files."""
    sock = client.connection.sock
    if sock is None or not SERVER:
        return None
    here = sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if (
            int(local.split(":")[1], 16) == client.connection.port
            and int(remote.split(":")[1], 16) == here
        ):
            inode = fields[9]
    if inode is None:
        return None
    for pid in _children(SERVER[0]):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                        return pid
    return None


def _spread(clients: list[Client], make_request: Callable[[Client], tuple[int, bytes]]) -> None:
    """Give each client its own worker process before a timed run (as many as there are).

    gunicorn's workers accept connections as they come and keep a keep-alive connection, so
    two clients land on one worker or on two from one run to the next, and the same page
    measured 2x apart (#17). Each client makes one untimed request; a client whose worker
    another client already has connects again, until they differ (or after 50 tries).
    """
    if not SERVER or len(clients) < 2:
        return
    workers = len(_children(SERVER[0]))
    taken: set[int] = set()
    for client in clients[:workers]:
        for _ in range(50):
            make_request(client)
            worker = _worker_of(client)
            if worker is not None and worker not in taken:
                taken.add(worker)
                break
            client.connection.close()


SERVER: list[subprocess.Popen[bytes]] = []
"""The gunicorn being timed, whose workers' CPU time ``_timed`` reads."""
CPU_PER_REQUEST: list[float] = []
"""The server's CPU milliseconds per request in the last ``_timed`` run (with whatever else
the server did meanwhile): the other processes of a shared machine inflate it far less than
the wall-clock times."""


def _server_cpu() -> float:
    """User and system seconds of the server's worker processes so far."""
    if not SERVER:
        return 0.0
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in _children(SERVER[0]):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


FLOOR: list[float] = []
"""The floor page's p50 in ms, once measured (the unit of every ratio)."""


def _report(name: str, durations: list[float]) -> float:
    """Print p50, p95 and p99, each also as a ratio to the floor's p50; return the p50."""
    durations.sort()

    def at(share: float) -> float:
        return durations[max(0, int(len(durations) * share + 0.5) - 1)]

    p50 = statistics.median(durations)
    floor = FLOOR[0] if FLOOR else p50
    cpu = f"  cpu={CPU_PER_REQUEST[0]:5.1f} ms/req" if CPU_PER_REQUEST else ""
    print(
        f"{name:<28} n={len(durations):>5}  p50={p50:6.1f} ms ({p50 / floor:4.1f}x)"
        f"  p95={at(0.95):6.1f} ms ({at(0.95) / floor:4.1f}x)"
        f"  p99={at(0.99):6.1f} ms ({at(0.99) / floor:4.1f}x){cpu}",
        flush=True,
    )
    CPU_PER_REQUEST.clear()
    return p50


def _once(name: str, milliseconds: float) -> None:
    """A single timing, with its ratio to the floor's p50."""
    ratio = f" ({milliseconds / FLOOR[0]:,.1f}x)" if FLOOR else ""
    print(f"{name:<28} {milliseconds:9.1f} ms{ratio}", flush=True)


def _pdfs(page: Client, api: Client, reference: str, runs: int = 3) -> None:
    """The annual report PDF of this year and of last year (budget ≤ 3 s) and a letter PDF
    (budget ≤ 1 s), each requested ``runs`` times: the slowest and the median (#17 item 1)."""

    def timed(name: str, path: str, budget: float) -> None:
        durations = []
        for _ in range(runs):
            began = time.perf_counter()
            status, body = page.request("GET", path)
            durations.append((time.perf_counter() - began) * 1000)
            if status != 200 or not body.startswith(b"%PDF"):
                raise SystemExit(f"{name}: HTTP {status}, {body[:80]!r}")
        print(
            f"{name:<28} median {statistics.median(durations):8.1f} ms, slowest "
            f"{max(durations):8.1f} ms (budget ≤ {budget:,.0f} ms)",
            flush=True,
        )

    year = time.localtime().tm_year
    for shown in (year, year - 1):
        timed(
            f"annual report {shown} PDF", f"/dashboard/jaarverslag/?jaar={shown}&formaat=pdf", 3000
        )
    letter = json.dumps(
        {
            "kind": "free",
            "channel": "letter",
            "subject": "Uw melding",
            "body": "Geachte mevrouw,\n\nDank voor uw bericht. Wij bellen u deze week.\n",
        }
    )
    status, body = api.request(
        "POST",
        f"/api/v1/complaints/{reference}/messages",
        letter,
        {"Content-Type": "application/json"},
    )
    if status != 201:
        raise SystemExit(f"letter: HTTP {status}, {body[:200]!r}")
    message = json.loads(body)["id"]
    timed("letter PDF", f"/meldingen/{reference}/berichten/{message}/brief.pdf", 1000)


def _gunicorn(env: dict[str, str], port: int, app: str, *extra: str) -> subprocess.Popen[bytes]:
    """gunicorn as ``klachten serve`` runs it: the application loaded once before the fork
    (``--preload``), 2 workers, 4 threads each, on 127.0.0.1."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            *extra,
            "--preload",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ],
        env=env,
    )


def _workers_rss(server: subprocess.Popen[bytes]) -> list[int]:
    """The resident memory of each of gunicorn's worker processes, in KiB."""
    return [_rss_kib(pid) for pid in _children(server)]


def _floor(env: dict[str, str], seconds: float) -> None:
    """Time bench/floor.py's page with the same server and clients as the product's pages."""
    bench = str(Path(__file__).resolve().parent)
    floor_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "floor",
        "PYTHONPATH": os.pathsep.join(filter(None, [bench, env.get("PYTHONPATH")])),
    }
    port = _free_port()
    server = _gunicorn(floor_env, port, "django.core.wsgi:get_wsgi_application()")
    SERVER[:] = [server]
    try:
        _wait(port)
        clients = [Client(port), Client(port)]
        for client in clients:  # warm up
            status, body = client.request("GET", "/")
            if status != 200 or body.count(b"<tr>") < 2:
                raise SystemExit(f"floor page: HTTP {status}")
        p50 = _report(
            "floor (bare Django)", _timed(clients, lambda c: c.request("GET", "/"), seconds, 5000)
        )
        FLOOR.append(p50)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


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
    # The seeded manager has no second factor: KLACHTEN_MFA=optional lets the password login
    # open the pages instead of the second factor's set-up (#15; timing a redirect is no use).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "klachten.config.settings",
        "KLACHTEN_MFA": os.environ.get("KLACHTEN_MFA", "optional"),
    }
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
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"database: {database}", flush=True)
    _floor(env, args.seconds)
    port = _free_port()
    server = _gunicorn(
        env,
        port,
        "klachten.config.wsgi:application",
        "--config=python:klachten.config.gunicorn_conf",  # warms each worker, as serve does
    )
    SERVER[:] = [server]
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
        _once("worker keeps the figures", (time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        status, _ = pages[0].request("GET", args.dashboard)
        if status != 200:
            raise SystemExit(f"dashboard: HTTP {status}")
        _once("dashboard, first visit", (time.perf_counter() - began) * 1000)
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
        _pdfs(pages[0], api[0], reference)
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
        cpu_each = CPU_PER_REQUEST[0] if CPU_PER_REQUEST else float("nan")
        _report("API register", registered)
        print(f"{'registering':<28} {rate:,.0f} complaints per second (budget ≥ 150)")
        # What two idle cores would allow, from the server's CPU time per registration: the
        # wall-clock rate above falls with whatever else the machine runs.
        print(
            f"{'registering, CPU':<28} {cpu_each:.1f} ms per complaint in the server:"
            f" at most {2000 / cpu_each:,.0f} per second on 2 idle cores"
        )
        rss = ", ".join(f"{kib / 1024:,.0f}" for kib in _workers_rss(server))
        print(f"{'web workers memory':<28} {rss} MiB resident (budget ≤ 150 each)")
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
