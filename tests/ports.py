"""Ports for the servers the tests start (``klachten serve``, the SMTP server), safe when the
suite runs in several processes at once (pytest-xdist).

A port probed free with ``bind(("127.0.0.1", 0))`` and handed to a server that binds it a
moment later can be taken meanwhile: the kernel gives out the same range for every outgoing
connection of every process on the machine (Chromium's, the other test workers'). So each
test process takes its ports from a block of its own *below* that range, where the kernel
never hands out a port by itself, and checks each one free before using it.
"""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path

LOWEST = 20000  # above the ports of well-known services


def _ephemeral_start() -> int:
    """Where the kernel's own range for outgoing connections starts (Linux; else a guess)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _block() -> range:
    """This process's ports: one block per xdist worker (``gw0``, ``gw1``, …), or all."""
    top = max(_ephemeral_start(), LOWEST + 1000)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw")) if worker.removeprefix("gw").isdigit() else 0
    count = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")), index + 1)
    size = (top - LOWEST) // count
    start = LOWEST + index * size
    return range(start, start + size)


_BLOCK = _block()
_NEXT = itertools.cycle(_BLOCK)


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on and no other test process will use."""
    for _ in range(len(_BLOCK)):
        port = next(_NEXT)
        if _is_free(port):
            return port
    raise AssertionError(f"no free port in {_BLOCK.start}–{_BLOCK.stop - 1}")
