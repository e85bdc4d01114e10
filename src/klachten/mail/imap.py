"""E-mail in: the IMAP mailbox the worker reads (#13 item 1), by imapclient.

This is the transport only. It knows nothing of complaints and keeps no records: the caller
(``messaging``) stores which UIDVALIDITY/UID it imported and decides what each mail becomes.
The shape of a safe import, where a kill -9 at any moment loses nothing and creates nothing
twice::

    with MailboxClient(MailboxConfig.from_url(settings.INBOUND_MAIL_URL)) as mailbox:
        while True:
            pending = mailbox.pending_uids(after_uid=last_uid_for(pending.uidvalidity))
            for uid in pending.uids:
                fetched = mailbox.fetch(uid, uidvalidity=pending.uidvalidity)
                if fetched is None:
                    continue  # removed by someone else meanwhile
                with transaction.atomic():
                    ...  # dedupe on (uidvalidity, uid) and Message-ID, store, record the UID
                mailbox.mark_handled(uid, uidvalidity=pending.uidvalidity)  # after the commit
            mailbox.idle_or_wait(60)

Fetching uses ``BODY.PEEK[]``, so a message stays unseen until :meth:`MailboxClient.mark_handled`
flags it ``$KlachtenImported`` and ``\\Seen`` (and moves it, with ``?processed=Folder``). A
worker killed between its commit and the flag finds the message again and its own dedupe
skips it; a worker killed before the commit imports it again from scratch.

A lost connection is reconnected once per call; a server that stays away raises
:class:`MailboxUnavailable`, for the caller's loop to wait and try again.
"""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from imapclient.imapclient import SocketTimeout

logger = logging.getLogger(__name__)

# The keyword that says "imported"; \Seen is set too, for people reading the mailbox.
HANDLED_FLAG = "$KlachtenImported"
SEEN = "\\Seen"
DELETED = "\\Deleted"
CONNECT_TIMEOUT = 30.0
# A read may take long: a 30 MB message over a slow line.
READ_TIMEOUT = 300.0
# RFC 2177: a client re-issues IDLE at least every 29 minutes; we never idle longer at once.
MAX_IDLE = 25 * 60.0

# What a dropped connection raises: imaplib's abort (EOF, BYE), and the socket's own errors
# (OSError covers refused, reset, broken pipe, timeouts and TLS errors).
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (IMAPClientAbortError, OSError, EOFError)

T = TypeVar("T")


class Security(StrEnum):
    """How the connection is protected: TLS from the start, STARTTLS, or not (tests only)."""

    SSL = "ssl"
    STARTTLS = "starttls"
    PLAIN = "plain"


_SCHEMES = {"imaps": Security.SSL, "imap+starttls": Security.STARTTLS, "imap": Security.PLAIN}
_DEFAULT_PORTS = {Security.SSL: 993, Security.STARTTLS: 143, Security.PLAIN: 143}


class MailboxError(Exception):
    """The mailbox cannot be used as configured: login refused, folder missing, a command
    refused. The message never contains the password."""


class MailboxUnavailable(MailboxError):
    """The server cannot be reached, or the connection was lost and could not be restored."""


# What idle_or_wait waits out instead of raising: the caller's next call reconnects or reports.
_WAIT_ERRORS: tuple[type[BaseException], ...] = (MailboxError, *_CONNECTION_ERRORS)


class UidValidityChanged(MailboxError):
    """The folder's UIDVALIDITY is not the one the caller's UIDs belong to: its UIDs now name
    other messages (the folder was recreated or restored). The caller starts its bookkeeping
    afresh for the new value; dedupe on Message-ID keeps mail from being imported twice."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(f"UIDVALIDITY changed from {expected} to {current}")
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class MailboxConfig:
    """Where the mail comes in: ``INBOUND_MAIL_URL`` read by :meth:`from_url`."""

    host: str
    port: int
    username: str
    password: str = field(repr=False)
    security: Security = Security.SSL
    folder: str = "INBOX"
    processed_folder: str = ""

    @classmethod
    def from_url(cls, url: str) -> MailboxConfig:
        """``imaps://user:pass@host:993/INBOX``; also ``imap+starttls://`` and plain ``imap://``.

        User and password are URL-decoded (write ``@`` as ``%40``, ``/`` as ``%2F``); the path
        names the folder (default ``INBOX``, with the server's own separator:
        ``INBOX/Klachten`` or ``INBOX.Klachten``); ``?processed=Folder`` moves every handled
        message there. Raises ValueError, without the password, when the URL cannot be used.
        """
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise ValueError(f"not a mailbox URL: {_without_password(url)}") from error
        security = _SCHEMES.get(parts.scheme.lower())
        if security is None:
            raise ValueError(
                f"a mailbox URL starts with imaps://, imap+starttls:// or imap://, "
                f"not {parts.scheme or '(nothing)'}://"
            )
        if not parts.hostname:
            raise ValueError(f"the mailbox URL names no server: {_without_password(url)}")
        username = unquote(parts.username or "")
        password = unquote(parts.password or "")
        if not username or not password:
            raise ValueError(
                f"the mailbox URL needs a user and a password: {_without_password(url)}"
            )
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(query) - {"processed"})
        if unknown:
            raise ValueError(f"unknown mailbox URL option: {', '.join(unknown)}")
        processed = query.get("processed", [""])[-1].strip()
        folder = unquote(parts.path.lstrip("/")).strip() or "INBOX"
        if processed and processed == folder:
            raise ValueError("the processed folder cannot be the folder that is read")
        return cls(
            host=parts.hostname,
            port=port or _DEFAULT_PORTS[security],
            username=username,
            password=password,
            security=security,
            folder=folder,
            processed_folder=processed,
        )

    @property
    def display(self) -> str:
        """The URL without the password, for logs and messages."""
        scheme = {v: k for k, v in _SCHEMES.items()}[self.security]
        host = f"[{self.host}]" if ":" in self.host else self.host
        tail = f"?processed={quote(self.processed_folder)}" if self.processed_folder else ""
        user = quote(self.username, safe="")
        return f"{scheme}://{user}@{host}:{self.port}/{quote(self.folder)}{tail}"


def _without_password(url: str) -> str:
    return re.sub(r"(//[^/:@]*):[^@/]*@", r"\1:***@", url.strip())


@dataclass(frozen=True)
class Pending:
    """The UIDs still to import, and the UIDVALIDITY they belong to."""

    uidvalidity: int
    uids: tuple[int, ...]


@dataclass(frozen=True)
class FetchedMessage:
    """One message as stored on the server: its raw bytes (RFC 5322, to keep as ``.eml``),
    the server's arrival time (INTERNALDATE, aware UTC, or None) and its flags."""

    uidvalidity: int
    uid: int
    raw: bytes = field(repr=False)
    internal_date: datetime | None
    flags: tuple[str, ...]


def _flag_text(flag: Any) -> str:
    return flag.decode("utf-8", "replace") if isinstance(flag, bytes) else str(flag)


class MailboxClient:
    """One connection to one folder, reconnecting when the connection is lost (#13 item 1).

    Not thread-safe: one client per worker. Connects on first use; use it as a context
    manager (or call :meth:`close`) to log out.
    """

    def __init__(
        self,
        config: MailboxConfig,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._timeout = SocketTimeout(connect=connect_timeout, read=read_timeout)
        self._sleep = sleep
        self._client: Any = None  # IMAPClient; Any because imapclient ships no type hints
        self._uidvalidity = 0
        self._keywords = False
        self._folder_checked = False

    # -- connection ------------------------------------------------------------------------

    def __enter__(self) -> MailboxClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def connect(self) -> None:
        """Connect, log in (after STARTTLS where asked) and select the folder; reads
        UIDVALIDITY and whether the folder keeps our keyword. Raises MailboxUnavailable when
        the server cannot be reached, MailboxError when it refuses."""
        self.close()
        config = self.config
        context = ssl.create_default_context() if config.security != Security.PLAIN else None
        client: Any = None
        try:
            client = IMAPClient(
                config.host,
                port=config.port,
                ssl=config.security == Security.SSL,
                ssl_context=context,
                timeout=self._timeout,
            )
            if config.security == Security.STARTTLS:
                client.starttls(context)
            client.login(config.username, config.password)
            client.normalise_times = False  # aware datetimes, not local naive ones
            selected = client.select_folder(config.folder)
        except LoginError as error:
            self._shutdown(client)
            raise MailboxError(f"{config.display}: the server refused the login") from error
        except _CONNECTION_ERRORS as error:
            self._shutdown(client)
            raise MailboxUnavailable(f"{config.display}: cannot connect: {error}") from error
        except IMAPClientError as error:
            self._shutdown(client)
            raise MailboxError(f"{config.display}: {error}") from error
        self._client = client
        self._uidvalidity = int(selected.get(b"UIDVALIDITY", 0))
        permanent = {_flag_text(flag) for flag in selected.get(b"PERMANENTFLAGS", ())}
        self._keywords = "\\*" in permanent or HANDLED_FLAG in permanent
        logger.info(
            "Connected to %s (UIDVALIDITY %s, keywords %s)",
            config.display,
            self._uidvalidity,
            "yes" if self._keywords else "no",
        )

    def close(self) -> None:
        """Log out and close the connection, if there is one. Never raises."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # a connection already gone cannot log out; close it regardless
            self._shutdown(client)

    @staticmethod
    def _shutdown(client: Any) -> None:
        if client is None:
            return
        with suppress(Exception):  # closing a broken socket may fail; it is closed anyway
            client.shutdown()

    def _ensure(self) -> Any:
        if self._client is None:
            self.connect()
        return self._client

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._shutdown(client)

    def _run(self, operation: Callable[[Any], T]) -> T:
        """Run ``operation`` on the connection; on a lost connection reconnect once and run it
        again (every operation here may safely run twice)."""
        for attempt in (1, 2):
            client = self._ensure()
            try:
                return operation(client)
            except _CONNECTION_ERRORS as error:
                self._drop()
                if attempt == 2:
                    raise MailboxUnavailable(
                        f"{self.config.display}: connection lost: {error}"
                    ) from error
                logger.info("Connection to %s lost (%s); reconnecting", self.config.display, error)
            except IMAPClientError as error:
                raise MailboxError(f"{self.config.display}: {error}") from error
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def uidvalidity(self) -> int:
        """The folder's UIDVALIDITY as of the current connection (connects if needed)."""
        self._ensure()
        return self._uidvalidity

    def _check(self, uidvalidity: int) -> None:
        if uidvalidity != self._uidvalidity:
            raise UidValidityChanged(uidvalidity, self._uidvalidity)

    # -- reading -----------------------------------------------------------------------------

    def pending_uids(self, *, after_uid: int = 0) -> Pending:
        """The UIDs not yet handled, oldest first, with the UIDVALIDITY they belong to.

        Not handled: without our ``$KlachtenImported`` keyword (on a server that refuses
        keywords: unseen), and not deleted. With ``after_uid`` (the highest UID the caller
        imported under this UIDVALIDITY) only UIDs above it, whether or not someone read them
        in their mail program meanwhile.
        """

        def search(client: Any) -> Pending:
            criteria: list[str] = ["NOT", "DELETED"]
            if self._keywords:
                criteria += ["NOT", "KEYWORD", HANDLED_FLAG]
            elif not after_uid:
                criteria += ["UNSEEN"]
            if after_uid:
                # "n:*" always includes the highest UID, even below n: filtered below.
                criteria += ["UID", f"{after_uid + 1}:*"]
            uids = sorted(int(uid) for uid in client.search(criteria) if int(uid) > after_uid)
            return Pending(uidvalidity=self._uidvalidity, uids=tuple(uids))

        return self._run(search)

    def fetch(self, uid: int, *, uidvalidity: int) -> FetchedMessage | None:
        """One message's raw bytes by UID, without marking it seen (``BODY.PEEK[]``); None
        when it is gone. Raises UidValidityChanged when ``uidvalidity`` is no longer current."""

        def fetch(client: Any) -> FetchedMessage | None:
            self._check(uidvalidity)
            response = client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE", "FLAGS"])
            data = response.get(uid)
            raw = data.get(b"BODY[]") if data else None
            if not raw:  # expunged by someone else: the server answers NIL, or nothing
                return None
            internal = data.get(b"INTERNALDATE")
            if isinstance(internal, datetime) and internal.year > 1970:
                aware = internal if internal.tzinfo else internal.replace(tzinfo=UTC)
                internal = aware.astimezone(UTC)
            else:
                internal = None
            return FetchedMessage(
                uidvalidity=uidvalidity,
                uid=uid,
                raw=bytes(raw),
                internal_date=internal,
                flags=tuple(_flag_text(flag) for flag in data.get(b"FLAGS", ())),
            )

        return self._run(fetch)

    # -- marking -----------------------------------------------------------------------------

    def mark_handled(self, uid: int, *, uidvalidity: int) -> None:
        """Flag a message imported (``$KlachtenImported`` and ``\\Seen``) and, when a processed
        folder is configured, move it there. Call only after the import's transaction
        committed; calling it twice is harmless. Raises UidValidityChanged rather than flag
        another message under the same number."""

        def mark(client: Any) -> None:
            self._check(uidvalidity)
            flags = [SEEN, HANDLED_FLAG] if self._keywords else [SEEN]
            client.add_flags([uid], flags, silent=True)
            folder = self.config.processed_folder
            if not folder:
                return
            if not self._folder_checked:
                self._create_folder(client, folder)
                self._folder_checked = True
            if client.has_capability("MOVE"):
                client.move([uid], folder)
            else:  # an old server: copy, then delete the original as far as it lets us (a
                # retry after a lost connection may leave a second copy in the processed folder)
                client.copy([uid], folder)
                client.add_flags([uid], [DELETED], silent=True)
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge([uid])

        self._run(mark)

    @staticmethod
    def _create_folder(client: Any, folder: str) -> None:
        if client.folder_exists(folder):
            return
        try:
            client.create_folder(folder)
        except IMAPClientError:
            if not client.folder_exists(folder):  # another worker may have just created it
                raise

    # -- waiting -----------------------------------------------------------------------------

    def idle_or_wait(self, seconds: float) -> bool:
        """Wait until new mail may be there, at most ``seconds`` (and at most 25 minutes).

        With IMAP IDLE (when the server offers it) this returns True as soon as the server
        reports a new message; without, it sleeps and returns False, and the caller polls.
        A lost or unreachable connection returns True after waiting, for the caller to look
        again (and reconnect). Never raises for connection trouble.
        """
        seconds = max(0.0, min(seconds, MAX_IDLE))
        started = time.monotonic()
        try:
            client = self._ensure()
            if not client.has_capability("IDLE"):
                self._sleep(seconds)
                return False
            # Mail that arrived since the last command is reported now, not during IDLE.
            _text, responses = client.noop()
            if _new_mail(responses):
                return True
            client.idle()
        except _WAIT_ERRORS as error:
            logger.info("Cannot wait on %s (%s)", self.config.display, error)
            self._drop()
            self._sleep(max(0.0, seconds - (time.monotonic() - started)))
            return True
        except IMAPClientError as error:
            raise MailboxError(f"{self.config.display}: {error}") from error
        return self._idle(client, started + seconds)

    def _idle(self, client: Any, deadline: float) -> bool:
        """In IDLE until the server reports new mail or the deadline passes."""
        woken = False
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                asked = time.monotonic()
                responses = client.idle_check(timeout=remaining)
                if _new_mail(responses):
                    woken = True
                    break
                if any(isinstance(r, tuple) and r[:1] == (b"BYE",) for r in responses):
                    raise IMAPClientAbortError("the server said BYE during IDLE")
                if not responses and time.monotonic() - asked < remaining - 0.5:
                    # idle_check returns early and empty when the server closed the connection.
                    raise IMAPClientAbortError("connection closed during IDLE")
            _text, responses = client.idle_done()
            return woken or _new_mail(responses)
        except _CONNECTION_ERRORS as error:
            logger.info("Connection to %s lost in IDLE (%s)", self.config.display, error)
            self._drop()
            return True
        except IMAPClientError as error:
            self._drop()
            raise MailboxError(f"{self.config.display}: {error}") from error


def _new_mail(responses: Any) -> bool:
    """Do these untagged responses announce a message (``* n EXISTS``, ``* n RECENT``)?"""
    for response in responses or ():
        if isinstance(response, tuple) and any(
            item in (b"EXISTS", b"RECENT") for item in response[1:2]
        ):
            return True
    return False
