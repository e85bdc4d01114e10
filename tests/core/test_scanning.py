"""The clamd client (issue #13, item 7) against Debian's real clamd, started by the test with a
signature database that holds only the EICAR test file (tests/clamd.py).

Files from outside are scanned before they are stored; an infected file, or one that cannot
be scanned now, is refused with a message a customer can read (R13) and never kept (R5).
"""

from __future__ import annotations

import io
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from klachten.core import scanning
from klachten.core.errors import InvalidInput, ServiceUnavailable
from klachten.core.scanning import (
    Address,
    Clamd,
    FileInfected,
    ScannerError,
    ScannerUnavailable,
    ScanResult,
    file_scan_check,
    scan_bytes,
    scan_file,
    scanner,
    scanner_ping,
    scanner_unreachable_forget,
)
from klachten.domain import wording
from tests.clamd import (  # noqa: F401 - the fixtures clamd and clamd_server
    EICAR,
    SIGNATURE,
    STREAM_MAX,
    ClamdServer,
    clamd_fixture,
    clamd_server_fixture,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _forget_unreachable() -> Iterator[None]:
    scanner_unreachable_forget()
    yield
    scanner_unreachable_forget()


def _r13(text: str) -> list[str]:
    return [found.text for found in wording.check(text, language="nl") if found.rule == "R13"]


@pytest.fixture
def silent(tmp_path: Path) -> Iterator[str]:
    """A TCP port that takes connections but never says a word (a hanging scanner)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def closed_port() -> str:
    """A TCP port nobody listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


# --- Addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("unix:///run/clamav/clamd.ctl", Address(path="/run/clamav/clamd.ctl")),
        ("/run/clamav/clamd.ctl", Address(path="/run/clamav/clamd.ctl")),
        ("tcp://clamav.internal:3310", Address(host="clamav.internal", port=3310)),
        ("tcp://127.0.0.1:9999", Address(host="127.0.0.1", port=9999)),
        ("tcp://[::1]:3311", Address(host="::1", port=3311)),
        ("tcp://clamav.internal", Address(host="clamav.internal", port=3310)),
    ],
)
def test_clamd_url_names_a_unix_socket_or_a_tcp_address(url, address):
    assert Address.parse(url) == address


@pytest.mark.parametrize(
    "url", ["http://clamav:3310", "clamd.ctl", "tcp://", "tcp://host:port", "unix://host/x"]
)
def test_a_clamd_url_that_names_no_socket_is_refused(url):
    with pytest.raises(ValueError, match="CLAMD_URL"):
        Address.parse(url)


def test_without_clamd_url_scanning_is_off_and_every_file_passes(settings):
    settings.CLAMD_URL = ""
    assert scanner() is None
    assert scanner_ping() is None
    assert file_scan_check(name="eicar.txt", file=EICAR) is None
    with pytest.raises(ScannerError, match="no scanner configured"):
        scan_bytes(b"hello")


# --- The verdicts of the real clamd ------------------------------------------------------------


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_clamd_answers_ping_on_its_unix_socket_and_on_tcp(clamd_server: ClamdServer, transport):
    url = clamd_server.unix_url if transport == "unix" else clamd_server.tcp_url
    assert Clamd(url).ping() is True


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_a_clean_file_is_ok(clamd_server: ClamdServer, transport):
    url = clamd_server.unix_url if transport == "unix" else clamd_server.tcp_url
    assert Clamd(url).scan_bytes(PDF) == ScanResult()
    assert Clamd(url).scan_bytes(PDF).clean


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_the_eicar_file_is_found_with_its_signature_name(clamd_server: ClamdServer, transport):
    url = clamd_server.unix_url if transport == "unix" else clamd_server.tcp_url
    result = Clamd(url).scan_bytes(EICAR)
    assert result.infected
    assert not result.clean
    # clamd marks a signature from a database that is not ClamAV's own as ".UNOFFICIAL".
    assert result.signature.removesuffix(".UNOFFICIAL") == SIGNATURE


def test_a_big_file_is_streamed_in_chunks_and_scanned_to_its_last_byte(clamd_server):
    """10 MB in 64 KiB chunks (160 of them): the EICAR string at the very end is found, so
    clamd saw the whole stream; the same file without it is clean."""
    client = Clamd(clamd_server.unix_url, chunk_size=64 * 1024)
    padding = os.urandom(10 * 1024 * 1024)
    assert client.scan_file(io.BytesIO(padding)).clean
    infected = io.BytesIO(padding + EICAR)
    infected.seek(1234)  # scanned from its start whatever the position
    result = client.scan_file(infected)
    assert result.signature.startswith(SIGNATURE)
    assert infected.tell() == 0  # left at its start, ready to be stored


def test_the_file_may_come_in_pieces_of_any_size(clamd_server):
    client = Clamd(clamd_server.tcp_url, chunk_size=1000)
    pieces = [b"x" * 70_000, EICAR[:10], EICAR[10:], b"y" * 5]
    assert client.scan_chunks(pieces).signature.startswith(SIGNATURE)
    assert client.scan_chunks([b"x" * 70_000, b"y" * 5]).clean


def test_a_stream_longer_than_clamd_takes_is_never_called_clean(clamd_server):
    """clamd stops reading past its StreamMaxLength and says ERROR: that is no verdict."""
    with pytest.raises(ScannerError, match="size limit"):
        Clamd(clamd_server.unix_url).scan_bytes(b"x" * (STREAM_MAX + 1024 * 1024))


def test_an_empty_file_is_clean(clamd_server):
    assert Clamd(clamd_server.unix_url).scan_bytes(b"").clean


def test_the_module_functions_use_clamd_url(clamd):
    assert scan_bytes(PDF).clean
    assert scan_file(io.BytesIO(EICAR)).signature.startswith(SIGNATURE)
    assert scanner_ping() is True


# --- A scanner that is down, missing or hanging ------------------------------------------------


def test_a_missing_socket_is_no_verdict(tmp_path):
    client = Clamd(f"unix://{tmp_path / 'clamd.ctl'}")
    assert client.ping() is False
    with pytest.raises(ScannerError, match="cannot be reached"):
        client.scan_bytes(PDF)


def test_a_closed_port_is_no_verdict(closed_port):
    client = Clamd(closed_port)
    assert client.ping() is False
    with pytest.raises(ScannerError, match="cannot be reached"):
        client.scan_bytes(PDF)


def test_a_scanner_that_does_not_answer_times_out(silent):
    client = Clamd(silent, timeout=0.5)
    assert client.ping() is False
    with pytest.raises(ScannerError, match="no answer"):
        client.scan_bytes(PDF)


# --- The check every file from outside passes --------------------------------------------------


def test_a_clean_file_passes_the_check(clamd):
    file = io.BytesIO(PDF)
    assert file_scan_check(name="factuur.pdf", file=file) == ScanResult()
    assert file.tell() == 0
    assert file_scan_check(name="factuur.pdf", file=PDF) == ScanResult()


def test_an_infected_file_is_refused_with_a_calm_dutch_message_naming_file_and_signature(clamd):
    """R13: the customer reads this message; it blames nobody and uses none of the words."""
    with pytest.raises(FileInfected) as refused:
        file_scan_check(name="rooster.txt", file=io.BytesIO(EICAR))
    error = refused.value
    assert isinstance(error, InvalidInput)
    assert (error.code, error.status, error.field) == ("file_infected", 422, "file")
    assert error.signature.startswith(SIGNATURE)
    assert error.detail == (
        "Het bestand rooster.txt is geweigerd: er zit mogelijk een virus in "
        "(Eicar-Test-Signature). Stuur het niet opnieuw; neem contact met ons op als u denkt "
        "dat dit niet klopt."
    )
    assert _r13(error.detail) == []


@pytest.mark.parametrize("url", ["closed_port", "silent", "missing"])
def test_when_the_scanner_gives_no_verdict_the_file_is_refused_not_kept_unscanned(
    request, settings, monkeypatch, tmp_path, url
):
    settings.CLAMD_URL = (
        f"unix://{tmp_path / 'clamd.ctl'}" if url == "missing" else request.getfixturevalue(url)
    )
    monkeypatch.setattr(scanning, "IO_TIMEOUT", 0.5)  # the default waits 20 s for an answer
    with pytest.raises(ScannerUnavailable) as refused:
        file_scan_check(name="factuur.pdf", file=io.BytesIO(PDF))
    error = refused.value
    assert isinstance(error, ServiceUnavailable)
    assert (error.code, error.status, error.field) == ("scanner_unavailable", 503, "file")
    assert error.detail == (
        "Het bestand factuur.pdf kan nu niet op virussen worden gecontroleerd en is daarom "
        "niet bewaard. Probeer het over een paar minuten opnieuw."
    )
    assert _r13(error.detail) == []


def test_after_a_scanner_did_not_answer_the_next_files_are_refused_without_waiting_again(
    settings, monkeypatch, silent
):
    """A form with three files waits for one timeout, not three (the web server's request
    timeout is 30 s); after UNREACHABLE_FOR seconds, or when told, it is tried again."""
    settings.CLAMD_URL = silent
    monkeypatch.setattr(scanning, "IO_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(ScannerUnavailable):
        file_scan_check(name="factuur.pdf", file=PDF)
    assert time.monotonic() - started >= 0.5
    # Were the next files sent to the silent scanner, each would now wait a whole minute.
    monkeypatch.setattr(scanning, "IO_TIMEOUT", 60.0)
    started = time.monotonic()
    for name in ("rooster.pdf", "brief.pdf"):
        with pytest.raises(ScannerUnavailable):
            file_scan_check(name=name, file=PDF)
    assert time.monotonic() - started < 60  # refused at once: no timeout waited
    monkeypatch.setattr(scanning, "IO_TIMEOUT", 0.5)
    scanner_unreachable_forget()
    started = time.monotonic()
    with pytest.raises(ScannerUnavailable):
        file_scan_check(name="factuur.pdf", file=PDF)
    assert time.monotonic() - started >= 0.5


def test_an_error_about_one_file_does_not_hold_up_the_next(clamd):
    """clamd refusing one stream (too long) is about that file; the next is scanned."""
    with pytest.raises(ScannerUnavailable):
        file_scan_check(name="groot.pdf", file=b"x" * (STREAM_MAX + 1024 * 1024))
    assert file_scan_check(name="factuur.pdf", file=PDF) == ScanResult()


def test_a_clamd_url_that_names_no_socket_refuses_files(settings):
    settings.CLAMD_URL = "http://clamav:3310"
    with pytest.raises(ScannerUnavailable):
        file_scan_check(name="factuur.pdf", file=PDF)
    assert scanner_ping() is False


def test_a_file_found_clean_is_scanned_again_once_its_content_changed(clamd):
    """The second check of the same upload (form, then service) may skip clamd — but only
    for exactly the content that was found clean."""
    file = io.BytesIO(PDF)
    assert file_scan_check(name="factuur.pdf", file=file) is not None
    file.seek(0)
    file.write(EICAR)
    file.seek(0)
    with pytest.raises(FileInfected):
        file_scan_check(name="factuur.pdf", file=file)
