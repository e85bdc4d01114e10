"""Virus scanning of files from outside with ClamAV's clamd (issue #13, item 7).

Every file that comes from outside — the public form, the status page, an e-mail — is scanned
before it is stored, when ``settings.CLAMD_URL`` names a clamd: a UNIX socket
(``unix:///run/clamav/clamd.ctl`` or the bare path) or ``tcp://host:port``. An infected file
is refused (:class:`FileInfected`, 422) and never stored; when the scanner is configured but
cannot give an answer, the file is refused too (:class:`ScannerUnavailable`, 503) rather than
kept unscanned. With ``CLAMD_URL`` empty, scanning is off and files are stored as before.

The client speaks clamd's own protocol over the socket, nothing else in between: ``zPING`` →
``PONG`` for health, and ``zINSTREAM`` with the file in chunks, each prefixed by its length as a
4-byte big-endian number, ended by a zero length; clamd answers ``stream: OK``,
``stream: <signature> FOUND`` or ``<reason> ERROR``, terminated by a NUL byte. Every socket
operation has a timeout, so a hanging scanner costs the customer seconds, not the page.

The messages reach customers, so they avoid the words of R13; what is refused is never kept,
so nothing of it enters the customer file (R5).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
import struct
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from klachten.core.errors import InvalidInput, ServiceUnavailable

logger = logging.getLogger(__name__)

DEFAULT_PORT = 3310  # clamd's TCPSocket default
CONNECT_TIMEOUT = 5.0  # seconds to reach clamd
IO_TIMEOUT = 20.0  # seconds for any one send or receive, including clamd's scan of the file
CHUNK_SIZE = 64 * 1024  # bytes per INSTREAM chunk; clamd's StreamMaxLength bounds the whole
MAX_REPLY = 4096  # a clamd reply is one short line
# After clamd could not be reached or did not answer in time, files are refused at once for
# this many seconds instead of each waiting for the timeout again: a form with three files
# then takes one timeout, not three, and stays within the web server's request timeout.
UNREACHABLE_FOR = 15.0


# --- Errors ------------------------------------------------------------------------------------


class ScannerError(Exception):
    """clamd could not give a verdict: unreachable, timed out, said ERROR or something odd.

    ``unreachable``: it could not be reached or did not answer in time (not: it answered
    ERROR about this one file).
    """

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class FileInfected(InvalidInput):
    """``file_infected`` (422): the scanner found something in the file; it is not stored.

    ``signature`` is clamd's name for what it found; the message shows it without the
    ``.UNOFFICIAL`` clamd adds to names from databases other than ClamAV's own.
    """

    def __init__(self, *, name: str, signature: str, field: str = "file") -> None:
        super().__init__(
            "file_infected",
            _(
                "Het bestand %(name)s is geweigerd: er zit mogelijk een virus in "
                "(%(signature)s). Stuur het niet opnieuw; neem contact met ons op als u denkt "
                "dat dit niet klopt."
            ),
            {"name": name, "signature": signature.removesuffix(".UNOFFICIAL")},
            field=field,
        )
        self.signature = signature


class ScannerUnavailable(ServiceUnavailable):
    """``scanner_unavailable`` (503): scanning is on but gave no verdict; the file is not
    stored unscanned."""

    def __init__(self, *, name: str, field: str = "file") -> None:
        super().__init__(
            "scanner_unavailable",
            _(
                "Het bestand %(name)s kan nu niet op virussen worden gecontroleerd en is daarom "
                "niet bewaard. Probeer het over een paar minuten opnieuw."
            ),
            {"name": name},
            field=field,
        )


# --- The client --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    """clamd's verdict on one file: clean, or the name of the signature it found."""

    signature: str = ""

    @property
    def clean(self) -> bool:
        return not self.signature

    @property
    def infected(self) -> bool:
        return bool(self.signature)


@dataclass(frozen=True)
class Address:
    """Where clamd listens: a UNIX socket path, or a TCP host and port."""

    path: str = ""
    host: str = ""
    port: int = DEFAULT_PORT

    @classmethod
    def parse(cls, url: str) -> Address:
        """``unix:///run/clamav/clamd.ctl``, ``/run/clamav/clamd.ctl`` or ``tcp://host:port``
        (port 3310 when left out); ValueError for anything else."""
        url = url.strip()
        if url.startswith("/"):
            return cls(path=url)
        parts = urlsplit(url)
        if parts.scheme == "unix" and parts.path and not parts.netloc:
            return cls(path=unquote(parts.path))
        if parts.scheme == "tcp" and parts.hostname and parts.path in {"", "/"}:
            try:
                port = parts.port or DEFAULT_PORT
            except ValueError as error:  # a port that is not a number, or out of range
                raise ValueError(f"CLAMD_URL has no valid port: {url!r}") from error
            return cls(host=parts.hostname, port=port)
        raise ValueError(f"CLAMD_URL must be unix:///path, /path or tcp://host:port, not {url!r}")

    def __str__(self) -> str:
        return self.path or f"{self.host}:{self.port}"


class Clamd:
    """One clamd, reached anew for every command (clamd closes after each reply anyway)."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float | None = None,
        timeout: float | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        """``timeout`` bounds every send and receive (``IO_TIMEOUT`` unless given),
        ``connect_timeout`` reaching clamd (``CONNECT_TIMEOUT``)."""
        self.address = Address.parse(url)
        self.connect_timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
        self.timeout = IO_TIMEOUT if timeout is None else timeout
        self.chunk_size = chunk_size

    def _connect(self) -> socket.socket:
        try:
            if self.address.path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.settimeout(self.connect_timeout)
                    sock.connect(self.address.path)
                except BaseException:
                    sock.close()
                    raise
            else:
                sock = socket.create_connection(
                    (self.address.host, self.address.port), timeout=self.connect_timeout
                )
        except OSError as error:
            raise ScannerError(
                f"clamd at {self.address} cannot be reached: {error}", unreachable=True
            ) from error
        sock.settimeout(self.timeout)
        return sock

    def _reply(self, sock: socket.socket) -> str:
        """One NUL-terminated reply (or whatever came before clamd closed)."""
        data = b""
        while b"\0" not in data and len(data) < MAX_REPLY:
            try:
                part = sock.recv(MAX_REPLY)
            except OSError as error:
                raise ScannerError(
                    f"no answer from clamd at {self.address}: {error}", unreachable=True
                ) from error
            if not part:
                break
            data += part
        return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()

    def ping(self) -> bool:
        """True when clamd answers ``PONG``; never raises."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return self._reply(sock) == "PONG"
        except (OSError, ScannerError):
            return False

    def scan_chunks(self, chunks: Iterable[bytes]) -> ScanResult:
        """Stream the file to clamd (``zINSTREAM``) and read its verdict; ScannerError when
        it has none."""
        with self._connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), self.chunk_size):
                        piece = chunk[start : start + self.chunk_size]
                        sock.sendall(struct.pack(">I", len(piece)) + piece)
                sock.sendall(struct.pack(">I", 0))
            except OSError as error:
                # clamd stops reading when the stream passes its StreamMaxLength, says why and
                # closes: its reply, if any, tells more than the broken pipe.
                reply = self._reply_after_failure(sock)
                raise ScannerError(
                    f"clamd at {self.address} stopped reading: {reply or error}",
                    unreachable=not reply,
                ) from error
            return self._verdict(self._reply(sock))

    def _reply_after_failure(self, sock: socket.socket) -> str:
        try:
            return self._reply(sock)
        except ScannerError:
            return ""

    def _verdict(self, reply: str) -> ScanResult:
        if reply.endswith(" ERROR") or reply == "ERROR":
            raise ScannerError(f"clamd at {self.address} said: {reply}")
        _stream, colon, outcome = reply.partition(": ")
        if colon and outcome == "OK":
            return ScanResult()
        if colon and outcome.endswith(" FOUND") and outcome.removesuffix(" FOUND").strip():
            return ScanResult(signature=outcome.removesuffix(" FOUND").strip())
        raise ScannerError(f"clamd at {self.address} gave an unexpected answer: {reply!r}")

    def scan_bytes(self, data: bytes) -> ScanResult:
        return self.scan_chunks([data])

    def scan_file(self, file: IO[bytes]) -> ScanResult:
        """Scan an open binary file (or a Django ``File``) from its start; leaves it there."""
        return self.scan_chunks(_read_chunks(file, self.chunk_size))


def _read_chunks(file: IO[bytes], size: int) -> Iterator[bytes]:
    """The whole file in pieces, from its start; afterwards it is at its start again."""
    file.seek(0)
    try:
        while chunk := file.read(size):
            yield chunk
    finally:
        file.seek(0)


# --- Scanning as the settings say --------------------------------------------------------------


def scanner() -> Clamd | None:
    """The configured clamd, or None when ``CLAMD_URL`` is empty (scanning is off).

    ValueError for a ``CLAMD_URL`` that names no socket.
    """
    url = str(getattr(settings, "CLAMD_URL", "") or "").strip()
    return Clamd(url) if url else None


def scanning_enabled() -> bool:
    return scanner() is not None


def scanner_ping() -> bool | None:
    """For health checks: True/False whether the configured clamd answers, None when off."""
    try:
        clamd = scanner()
    except ValueError:
        return False
    return None if clamd is None else clamd.ping()


def _configured() -> Clamd:
    try:
        clamd = scanner()
    except ValueError as error:
        raise ScannerError(str(error)) from error
    if clamd is None:
        raise ScannerError("no scanner configured (CLAMD_URL is empty)")
    return clamd


def scan_bytes(data: bytes) -> ScanResult:
    """The configured clamd's verdict on ``data``; ScannerError without one or without an
    answer."""
    return _configured().scan_bytes(data)


def scan_file(file: IO[bytes]) -> ScanResult:
    """The configured clamd's verdict on an open binary file, read from its start (and left
    there); ScannerError without a scanner or without an answer."""
    return _configured().scan_file(file)


# A file object found clean, with the digest of what was scanned: the public form checks its
# files before it saves anything and the service checks them again as it stores them; the
# second check of the same, unchanged upload need not send it to clamd again.
_found_clean: weakref.WeakKeyDictionary[IO[bytes], tuple[str, str]] = weakref.WeakKeyDictionary()


def _digest(file: IO[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in _read_chunks(file, CHUNK_SIZE):
        sha.update(chunk)
    return sha.hexdigest()


def _remembered_clean(file: IO[bytes], url: str) -> bool:
    """True when this very file object, with this very content, was found clean by clamd at
    ``url`` before."""
    try:
        remembered = _found_clean.get(file)
    except TypeError:  # not weak-referenceable: always scan
        return False
    return remembered is not None and remembered == (url, _digest(file))


def _scan_and_remember(clamd: Clamd, file: IO[bytes], url: str) -> ScanResult:
    sha = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for chunk in _read_chunks(file, clamd.chunk_size):
            sha.update(chunk)
            yield chunk

    result = clamd.scan_chunks(hashed())
    if result.clean:
        with contextlib.suppress(TypeError):  # not weak-referenceable: scanned every time
            _found_clean[file] = (url, sha.hexdigest())
    return result


# clamd addresses that recently could not be reached, with the monotonic time until which
# files are refused without trying again (UNREACHABLE_FOR).
_unreachable_until: dict[str, float] = {}


def scanner_unreachable_forget() -> None:
    """Try every scanner again at the next file (after a repair, and between tests)."""
    _unreachable_until.clear()


def file_scan_check(
    *, name: str, file: IO[bytes] | bytes, field: str = "file"
) -> ScanResult | None:
    """Refuse a file from outside that clamd finds infected, or that cannot be scanned now.

    ``file`` is the content (bytes) or an open binary file (a Django ``UploadedFile``), read
    from its start and left there. Returns None when scanning is off (``CLAMD_URL`` empty),
    else the clean verdict; raises :class:`FileInfected` (422) or :class:`ScannerUnavailable`
    (503), whose messages name the file for the customer without the words of R13 — and
    nothing refused is ever stored (R5).
    """
    try:
        clamd = scanner()
    except ValueError as error:
        logger.error("Virus scanner misconfigured, file refused: %s", error)
        raise ScannerUnavailable(name=name, field=field) from error
    if clamd is None:
        return None
    url = str(clamd.address)
    if not isinstance(file, bytes) and _remembered_clean(file, url):
        return ScanResult()
    if time.monotonic() < _unreachable_until.get(url, 0.0):
        raise ScannerUnavailable(name=name, field=field)
    try:
        if isinstance(file, bytes):
            result = clamd.scan_bytes(file)
        else:
            result = _scan_and_remember(clamd, file, url)
    except ScannerError as error:
        logger.error("Virus scanner gave no verdict, file refused: %s", error)
        if error.unreachable:
            _unreachable_until[url] = time.monotonic() + UNREACHABLE_FOR
        raise ScannerUnavailable(name=name, field=field) from error
    _unreachable_until.pop(url, None)
    if result.infected:
        logger.warning("Virus scanner refused a file: %s", result.signature)
        raise FileInfected(name=name, signature=result.signature, field=field)
    return result
