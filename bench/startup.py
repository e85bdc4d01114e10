"""Time how quickly the ``klachten`` command answers and ``klachten serve`` is ready (issue #10).

    .venv/bin/python bench/startup.py [--runs 3]

Works in a temporary data dir of its own (SQLite) and prints, as the median of a few runs:

- ``klachten --help`` and ``klachten token create`` (on a migrated data dir with one staff
  member), start to exit — budget: about a second each;
- ``klachten serve`` on a migrated data dir whose static files are collected: from start to
  the printed URL, and the first page (``/``) right after it — budget ≤ 5 s and ≤ 1 s;
- the first start of a version, which collects the static files once;
- the import time of ``token create`` as ``python -X importtime`` counts it, with the largest
  top-level imports, to see what a command still loads that it does not need.

Nothing here is a test: the numbers depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

KLACHTEN = [sys.executable, "-m", "klachten"]


def _environment(data_dir: Path, static_root: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "KLACHTEN_BASE_URL"}
    }
    env.update(KLACHTEN_DATA_DIR=str(data_dir), KLACHTEN_STATIC_ROOT=str(static_root))
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _timed(run: Callable[[], None]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def _command(env: dict[str, str], *args: str) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([*KLACHTEN, *args], env=env, check=True, capture_output=True)  # noqa: S603

    return run


def _serve(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from start to the printed URL, and for the first page after it."""
    port = _free_port()
    began = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        [*KLACHTEN, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in process.stdout or ():
            if "draait op" in line:
                break
        else:
            raise SystemExit("serve stopped before it printed its URL")
        ready = time.perf_counter() - began
        page_began = time.perf_counter()
        url = f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
        return ready, time.perf_counter() - page_began
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _imports(env: dict[str, str], *args: str) -> tuple[float, list[tuple[int, str]]]:
    """Total import time of a command (seconds) and its largest top-level imports (µs)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-X", "importtime", "-m", "klachten", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    top: list[tuple[int, str]] = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:
            top.append((int(match.group(1)), match.group(3)))
    top.sort(reverse=True)
    return sum(cumulative for cumulative, _ in top) / 1e6, top[:8]


def _report(name: str, seconds: list[float]) -> None:
    print(
        f"{name:<44} median {statistics.median(seconds):6.2f} s"
        f"   (min {min(seconds):.2f}, max {max(seconds):.2f}, n={len(seconds)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="klachten-startup-") as scratch:
        root = Path(scratch)
        env = _environment(root / "data", root / "static")
        subprocess.run([*KLACHTEN, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        _command(env, "createstaff", "bench", "--role", "management", "--email", "b@x.example")()

        _report("klachten --help", [_timed(_command(env, "--help")) for _ in range(args.runs)])
        _report(
            "klachten token create",
            [_timed(_command(env, "token", "create", "bench")) for _ in range(args.runs)],
        )
        first_ready, first_page = _serve(env)
        print(f"{'serve, first start of a version: URL after':<44} {first_ready:13.2f} s")
        print(f"{'  and its first page':<44} {first_page:13.2f} s")
        runs = [_serve(env) for _ in range(args.runs)]
        _report("serve, migrated and collected: URL after", [ready for ready, _ in runs])
        _report("  first page after the URL", [page for _, page in runs])
        total, top = _imports(env, "token", "create", "bench")
        print(f"{'imports of token create (importtime)':<44} {total:13.2f} s")
        for cumulative, module in top:
            print(f"    {cumulative / 1000:8.1f} ms  {module}")


if __name__ == "__main__":
    main()
