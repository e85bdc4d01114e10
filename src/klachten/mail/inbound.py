"""Inbound mail: one raw RFC 5322 message read into what the complaint file needs (#13).

This module is pure: it takes the bytes of one message and returns frozen dataclasses. It
touches no database, no network and no settings, so the worker, ``klachten mail import`` and
the tests all read mail the same way. The caller (``messaging``) decides what a mail becomes;
this module only reports what the mail *says*:

* :func:`parse` — the message as an :class:`InboundMail`: its identity (Message-ID,
  In-Reply-To, References), its people (From, Reply-To, To, Cc — never trusted as staff, the
  caller decides), when it reached our mail server (R3: the deadlines run from then), the new
  text with the quoted history folded away and the full text beside it (R5: the report in the
  customer file), the attachments within the size limits and the ones left out, with reasons.
* :func:`classify` — ``normal``, ``auto_reply``, ``bounce`` or ``list`` (#13 item 4: no
  complaint and no answer for anything but a normal mail), :func:`classification` with the
  reason; :func:`bounce_of` — for a bounce, which of our own mails did not arrive, for whom
  and why.
* :func:`thread_keys` — what to look up to attach a reply to its complaint (#13 item 2):
  Message-IDs, ``KG-YYYY-NNNNN`` references in the subject, plus-address tokens.

Bad input never raises (#13 item 8). Malformed MIME, wrong or missing charsets, 8-bit headers,
absurd nesting: :func:`parse` returns what it could read and lists what was wrong in
``defects``. Archives are never unpacked (a zip bomb stays the few kilobytes it was sent as);
the raw bytes are the caller's to keep as the ``.eml`` staff can open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import mimetypes
import quopri
import re
import textwrap
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser, HeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath

# The defaults follow ATTACHMENT_MAX_SIZE (10 MB) of the complaint's own attachments; the caller
# passes its configured limits.
DEFAULT_MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
DEFAULT_MAX_TOTAL_SIZE = 25 * 1024 * 1024
# Beyond these a message is hostile or broken; what lies past them is reported, not read.
MAX_PARTS = 500
MAX_MIME_DEPTH = 20
MAX_NESTED_MESSAGES = 3  # message/rfc822 inside message/rfc822 inside ...
MAX_HEADERS = 2000
MAX_REFERENCES = 100
MAX_DEFECTS = 100
MAX_FILENAME = 200
# Received/Date stamps before this are clocks set wrong, not arrival times.
EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)


class MailKind(StrEnum):
    """What a mail is, for the decision whether it may become or join a complaint (#13, 4)."""

    NORMAL = "normal"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    LIST = "list"


NORMAL = MailKind.NORMAL
AUTO_REPLY = MailKind.AUTO_REPLY
BOUNCE = MailKind.BOUNCE
LIST = MailKind.LIST


class SkipReason(StrEnum):
    """Why an attachment was left out (shown on the timeline by the caller, #13 item 8)."""

    TOO_LARGE = "too_large"  # over the per-file limit
    TOTAL_TOO_LARGE = "total_too_large"  # would take the mail over the total limit
    TOO_MANY_PARTS = "too_many_parts"  # past MAX_PARTS
    UNREADABLE = "unreadable"  # the part could not be decoded at all


@dataclass(frozen=True)
class Address:
    """One mailbox from an address header: ``address`` lower-cased, ``name`` decoded."""

    address: str
    name: str = ""

    @property
    def local_part(self) -> str:
        return self.address.rpartition("@")[0]

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True)
class Attachment:
    """A file that came with the mail, as sent: never unpacked, never converted.

    ``inline`` marks parts shown inside the HTML (logos in a signature, pasted screenshots);
    ``content_id`` is their ``Content-ID`` without brackets. A forwarded mail
    (``message/rfc822``) is an attachment too, as ``<subject>.eml``.
    """

    filename: str
    content_type: str
    content: bytes = field(repr=False)
    inline: bool = False
    content_id: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class SkippedAttachment:
    """An attachment left out; ``size`` is its decoded size in bytes (estimated when skipped
    before decoding)."""

    filename: str
    content_type: str
    size: int
    reason: SkipReason


@dataclass(frozen=True)
class RecipientStatus:
    """One recipient's block of a delivery status notification (RFC 3464).

    ``action`` is ``failed``, ``delayed``, ``delivered``, ``relayed`` or ``expanded``; only
    ``failed`` means the mail did not arrive. ``status`` is the enhanced code (``5.1.1``),
    ``diagnostic`` the receiving server's own words.
    """

    recipient: str
    action: str
    status: str = ""
    diagnostic: str = ""

    @property
    def failed(self) -> bool:
        return self.action == "failed"


@dataclass(frozen=True)
class InboundMail:
    """One received message as the complaint file needs it.

    Identity: ``message_id``, ``in_reply_to`` and ``references`` are normalised
    (``<local@domain>``, domain lower-cased; :func:`normalise_message_id`); ``message_id`` is
    ``""`` when the mail has none — dedupe on ``sha256`` (of the raw bytes) then.

    People: ``sender`` and ``sender_name`` (the first From mailbox, address lower-cased; ``""``
    when there is none), ``reply_to``, ``to``, ``cc``. None of them is proof of anything: a
    From of a staff member is only an address (#13 item 8).

    Time: ``received_at`` is when the mail reached the mail server, timezone-aware UTC and
    never after the ``now`` given to :func:`parse` (R3); ``date`` is the sender's own
    Date header, or None.

    Text: ``text`` is the new text with quoted history, the signature and "sent from my
    phone" folded away; ``full_text`` all of the body text; ``html`` the HTML body when there
    was one (``text_from_html`` says the text was made from it: an HTML-only mail).

    Files: ``attachments`` within the limits, ``skipped`` those left out. ``forwarded`` holds
    each enclosed message (message/rfc822) read the same way, without attachments of its own
    (they travel inside its ``.eml`` attachment).

    For :func:`classify`: the decoded ``headers`` in order (address headers only 8-bit
    decoded, their mailboxes are in the fields above), the top ``content_type`` and its
    ``report_type``, the ``delivery_status`` blocks and the Message-IDs of enclosed messages
    or headers (``enclosed_message_ids``). ``defects`` lists what was wrong with the mail.
    """

    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    sender: str
    sender_name: str
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None
    received_at: datetime
    text: str
    full_text: str
    html: str = field(repr=False)
    text_from_html: bool
    attachments: tuple[Attachment, ...]
    skipped: tuple[SkippedAttachment, ...]
    forwarded: tuple[InboundMail, ...] = field(repr=False)
    headers: tuple[tuple[str, str], ...] = field(repr=False)
    content_type: str
    report_type: str
    delivery_status: tuple[RecipientStatus, ...]
    enclosed_message_ids: tuple[str, ...]
    defects: tuple[str, ...]
    size: int
    sha256: str

    def header(self, name: str) -> str:
        """The first decoded value of header ``name`` (any case), or ``""``."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), "")

    def header_values(self, name: str) -> tuple[str, ...]:
        """Every decoded value of header ``name`` (any case), top first."""
        wanted = name.lower()
        return tuple(value for key, value in self.headers if key.lower() == wanted)

    def has_header(self, name: str) -> bool:
        wanted = name.lower()
        return any(key.lower() == wanted for key, _value in self.headers)

    @property
    def reply_address(self) -> str:
        """Where an answer goes: the first Reply-To, else the sender."""
        return self.reply_to[0].address if self.reply_to else self.sender


@dataclass(frozen=True)
class Bounce:
    """A bounce of one of our mails: which mail (its Message-IDs), and who could not get it.

    ``recipients`` may be empty when the bounce carries no machine-readable report; then the
    mail's original recipient is the one that failed.
    """

    message_ids: tuple[str, ...]
    recipients: tuple[RecipientStatus, ...]

    @property
    def permanent(self) -> bool:
        """Did delivery fail for good? A "delayed" notice alone is not a failure."""
        if not self.recipients:
            return True
        return any(recipient.failed for recipient in self.recipients)

    @property
    def failed_recipients(self) -> tuple[RecipientStatus, ...]:
        return tuple(recipient for recipient in self.recipients if recipient.failed)

    @property
    def diagnostic(self) -> str:
        """The receiving server's reason for the first failed (else first) recipient, ``""``
        when the bounce gives none."""
        for recipient in (*self.failed_recipients, *self.recipients):
            if recipient.diagnostic or recipient.status:
                return recipient.diagnostic or recipient.status
        return ""


@dataclass(frozen=True)
class Classification:
    """What :func:`classification` found: the kind and a short reason in English (for logs and
    ``klachten mail import``'s ``ignored: <reason>``), e.g. ``Auto-Submitted: auto-replied``."""

    kind: MailKind
    reason: str


@dataclass(frozen=True)
class ThreadKeys:
    """What to look up to attach a mail to its complaint, best first (#13 item 2).

    ``message_ids``: In-Reply-To, then References newest first (with ``our_domains`` given,
    the IDs on those domains first, order otherwise kept). ``references``: ``KG-YYYY-NNNNN``
    found in the subject, upper-cased. ``reply_tokens``: the ``TOKEN`` of every
    ``local+TOKEN@domain`` of the configured mailbox address among the recipients,
    lower-cased like every address here (so tokens must not depend on case).
    """

    message_ids: tuple[str, ...]
    references: tuple[str, ...]
    reply_tokens: tuple[str, ...]


# --- Decoding --------------------------------------------------------------------------------

# Labels that are in practice windows-1252 (WHATWG Encoding: browsers do the same).
_CP1252_LABELS = {"us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")


def _clean(text: str) -> str:
    """Text safe to store: no surrogates (from undecodable bytes), NUL or control characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def _codec(label: str | None) -> str | None:
    """Python's codec for a declared charset, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower().partition("*")[0]  # RFC 2231 language suffix
    if label in _CP1252_LABELS:
        return "cp1252"
    if label in {"utf8", "utf8mb4", "unicode-1-1-utf-8"}:
        return "utf-8"
    try:
        import codecs

        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, charset: str | None, defects: list[str] | None = None) -> str:
    """Bytes to text, whatever the label says: the declared charset, then UTF-8, then
    windows-1252, and last UTF-8 with replacement characters. Never raises (#13 item 8)."""
    declared = _codec(charset)
    if charset and declared is None and defects is not None:
        defects.append(f"unknown_charset: {_clean(charset)[:40]}")
    tried: list[str] = []
    for codec in (declared, "utf-8", "cp1252"):
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except (UnicodeError, LookupError):
            continue
        if declared and codec != declared and defects is not None:
            defects.append(f"charset_mismatch: declared {declared}, read as {codec}")
        return text
    if defects is not None:
        defects.append("undecodable_text")
    return (
        data.decode(declared or "utf-8", "replace")
        if declared
        else data.decode("cp1252", "replace")
    )


def _unescape_8bit(value: str, defects: list[str] | None = None) -> str:
    """A header value as the parser left it (raw 8-bit bytes as surrogates) to real text."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    if defects is not None:
        defects.append("8bit_header")
    return decode_bytes(value.encode("ascii", "surrogateescape"), None)


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"\?=[ \t\r\n]+=\?")


def _decode_word(encoding: str, payload: str) -> bytes:
    if encoding.lower() == "q":
        return quopri.decodestring(
            payload.replace("_", " ").encode("ascii", "replace"), header=True
        )
    data = payload.encode("ascii", "replace")
    data += b"=" * (-len(data) % 4)
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return b""


def decode_header_value(value: str, defects: list[str] | None = None) -> str:
    """A header value decoded: raw 8-bit bytes (UTF-8 or windows-1252) and RFC 2047 encoded
    words, adjacent words of one charset joined before decoding (a character split over two
    words survives). Folding and control characters become spaces. Never raises."""
    value = _unescape_8bit(value, defects)
    if "=?" in value:
        # Whitespace between two encoded words is not part of the text (RFC 2047, 6.2).
        value = _BETWEEN_WORDS.sub("?==?", value)
        pieces: list[str] = []
        position = 0
        pending: bytes = b""
        pending_charset: str | None = None

        def flush() -> None:
            nonlocal pending, pending_charset
            if pending_charset is not None:
                pieces.append(decode_bytes(pending, pending_charset, defects))
            pending, pending_charset = b"", None

        for match in _ENCODED_WORD.finditer(value):
            if match.start() > position:
                flush()
                pieces.append(value[position : match.start()])
            charset = match.group(1).lower()
            if pending_charset is not None and charset != pending_charset:
                flush()
            pending_charset = charset
            pending += _decode_word(match.group(2), match.group(3))
            position = match.end()
        flush()
        pieces.append(value[position:])
        value = "".join(pieces)
    value = re.sub(r"\s*[\r\n]+\s*", " ", value).replace("\t", " ")  # unfold
    return _clean(value).strip()


def normalise_message_id(value: str) -> str:
    """``<local@domain>`` with the domain lower-cased, brackets added when missing; ``""``
    for something that is no Message-ID. The outbox writes ``<key@host>`` the same way."""
    value = value.strip().strip("<>").strip()
    if not value or any(char.isspace() or char in "<>" for char in value):
        return ""
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return ""
    return _clean(f"<{local}@{domain.lower()}>")


_BRACKETED_ID = re.compile(r"<([^<>\s]+)>")


def message_ids_in(value: str) -> list[str]:
    """Every Message-ID in a header value (References, In-Reply-To), in order, no repeats.

    Broken mail programs leave out the brackets or separate with commas; such bare ``x@y``
    tokens are taken when no bracketed ID is there.
    """
    value = re.sub(r"\([^()]*\)", " ", value)  # comments
    found = _BRACKETED_ID.findall(value)
    if not found:
        found = [token for token in re.split(r"[\s,;]+", value) if "@" in token]
    ids: list[str] = []
    for candidate in found:
        normalised = normalise_message_id(candidate)
        if normalised and normalised not in ids:
            ids.append(normalised)
    return ids


def _addresses(values: Iterable[str], defects: list[str]) -> tuple[Address, ...]:
    """Mailboxes of address headers; display names decoded after splitting (a comma inside
    an encoded name does not split it)."""
    found: list[Address] = []
    seen: set[str] = set()
    for raw in values:
        try:
            pairs = getaddresses([_unescape_8bit(raw).replace("\r", " ").replace("\n", " ")])
        except Exception:  # the address parser has had crashes on hostile input
            defects.append("unparseable_address_header")
            continue
        for name, address in pairs:
            address = _clean(decode_header_value(address)).strip().strip("<>").strip()
            if "@" not in address or any(char.isspace() for char in address):
                continue
            local, _at, domain = address.rpartition("@")
            address = f"{local}@{domain}".lower()
            if address in seen:
                continue
            seen.add(address)
            found.append(Address(address=address, name=decode_header_value(name).strip("\"' ")))
    return tuple(found)


def _parse_date(value: str) -> datetime | None:
    """An RFC 5322 date as aware UTC; a date without zone (``-0000``) is taken as UTC."""
    if not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _arrival(
    headers: Sequence[tuple[str, str]],
    now: datetime,
    server_received_at: datetime | None,
    defects: list[str],
) -> tuple[datetime, datetime | None]:
    """(received_at, date): R3's clock starts when the mail reached our server.

    The top-most Received header was written by the last server, ours; then the server's
    own arrival time if the caller knows it (IMAP INTERNALDATE); then the sender's Date;
    else ``now``. Never later than ``now``: a sender's clock running ahead must not move
    the deadline.
    """
    date_value = next((value for key, value in headers if key.lower() == "date"), "")
    date = _parse_date(date_value)
    if date_value and date is None:
        defects.append("unparseable_date")
    candidates: list[datetime | None] = []
    received = next((value for key, value in headers if key.lower() == "received"), None)
    if received is not None:
        stamp = _parse_date(received.rpartition(";")[2]) if ";" in received else None
        if stamp is None:
            defects.append("unparseable_received")
        candidates.append(stamp)
    candidates += [server_received_at, date]
    for candidate in candidates:
        if candidate is None or candidate < EARLIEST_PLAUSIBLE:
            continue
        candidate = candidate.astimezone(UTC)
        if candidate > now:
            defects.append("arrival_in_future")
            return now, date
        return candidate, date
    return now, date


# --- Text ------------------------------------------------------------------------------------


def unflow(text: str, *, delsp: bool = False) -> str:
    """Plain text sent as ``format=flowed`` (RFC 3676: Apple Mail, Thunderbird) back into
    paragraphs: a line ending in a space continues on the next one."""
    out: list[str] = []
    buffer = ""
    buffer_quote = ""
    for line in text.split("\n"):
        quote = line[: len(line) - len(line.lstrip(">"))]
        content = line[len(quote) :]
        content = content.removeprefix(" ")  # space-stuffing
        if buffer and quote != buffer_quote:
            out.append(f"{buffer_quote} {buffer}" if buffer_quote else buffer)
            buffer = ""
        if content.endswith(" ") and content != "-- ":
            buffer += content[:-1] if delsp else content
            buffer_quote = quote
            continue
        full = buffer + content
        buffer = ""
        out.append(f"{quote} {full}" if quote else full)
    if buffer:
        out.append(f"{buffer_quote} {buffer}" if buffer_quote else buffer)
    return "\n".join(out)


def html_to_text(markup: str, defects: list[str] | None = None) -> str:
    """HTML mail as readable text, by inscriptis (it lays out tables and lists as a reader
    sees them); crude tag stripping only if the library gives up. Never raises."""
    if not markup.strip():
        return ""
    try:
        from inscriptis import get_text
        from inscriptis.model.config import ParserConfig

        # lxml refuses a str that declares its own encoding; the text is already decoded.
        cleaned = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
        text = str(get_text(cleaned, ParserConfig(display_links=False, display_images=False)))
        return textwrap.dedent(text)  # inscriptis indents some blocks; the margin means nothing
    except Exception:  # lxml and inscriptis raise many kinds on broken markup
        if defects is not None:
            defects.append("html_conversion_failed")
        stripped = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
        stripped = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>", "\n", stripped)
        return html.unescape(re.sub(r"<[^>]*>", "", stripped))


def _normalise_text(text: str) -> str:
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)  # trailing spaces (not in flowed text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").rstrip()


_TIME_OR_ADDRESS = re.compile(r"@|\b\d{1,2}[:.]\d{2}\b")
_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"Op\b.{1,300}?\bschreef\b.{0,300}?:"  # Gmail, Thunderbird, Outlook (nl)
    r"|Op\b.{1,300}?\bheeft\b.{1,300}?\bhet volgende geschreven\s*:"  # Apple Mail (nl)
    r"|On\b.{1,300}?\bwrote\s*:"  # English
    r"|Am\b.{1,300}?\bschrieb\b.{0,300}?:"  # German
    r"|Le\b.{1,300}?\ba écrit\s*:"  # French
    r")\s*$",
    re.IGNORECASE | re.DOTALL,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:Oorspronkelijk bericht|Original Message|Ursprüngliche Nachricht"
    r"|Message d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\**\s*(?:Van|From)\s*:\**\s*\S", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*\**\s*(?:Verzonden|Sent|Datum|Date|Gesendet)\s*:", re.IGNORECASE)
_HEADER_SUBJECT = re.compile(r"^\s*\**\s*(?:Onderwerp|Subject|Betreff)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^\s*(?:_{10,}|-{10,})\s*$")
_SIGNATURE = re.compile(r"^-- ?$")
_SENT_FROM = re.compile(
    r"^\s*(?:(?:Verzonden|Verstuurd) (?:vanaf|vanuit|met|via) (?:mijn|de) .{1,40}"
    r"|Sent from my .{1,40}|Sent from Outlook for (?:iOS|Android)"
    r"|(?:Get|Download) Outlook for (?:iOS|Android)|Outlook voor (?:iOS|Android) downloaden)\s*$",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|doorst|tr|wg|rv)\s*:", re.IGNORECASE)


def _attribution_at(lines: Sequence[str], index: int) -> int:
    """How many lines (1–3) from ``index`` form a reply attribution ("Op … schreef …:",
    "On … wrote:"), or 0. Mail programs wrap it, so up to three lines are joined; it must
    name an address or a time, so a customer's own "Op maandag schreef ik u:" stays."""
    if not re.match(r"^\s*(?:Op|On|Am|Le)\b", lines[index], re.IGNORECASE):
        return 0
    for size in (1, 2, 3):
        if index + size > len(lines):
            break
        joined = " ".join(line.strip() for line in lines[index : index + size])
        if _ATTRIBUTION.match(joined) and _TIME_OR_ADDRESS.search(joined):
            return size
    return 0


def _outlook_block_at(lines: Sequence[str], index: int) -> bool:
    """Does an Outlook header block ("Van: … Verzonden: … Onderwerp: …") start here?"""
    if not _HEADER_FROM.match(lines[index]):
        return False
    window = lines[index + 1 : index + 8]
    return any(_HEADER_SENT.match(line) for line in window) and any(
        _HEADER_SUBJECT.match(line) for line in window
    )


def fold_quoted(text: str, *, forwarded: bool = False) -> str:
    """The new text of a reply: quoted history, the signature and "sent from my iPhone" folded
    away (#13 item 2; R5 keeps the whole text beside it).

    Cut at the first of: a reply attribution ("Op … schreef …:", "On … wrote:", Apple's
    "… het volgende geschreven:"), "-----Oorspronkelijk bericht-----", an Outlook header block
    ("Van:/Verzonden:/Onderwerp:", with the rule line above it), a signature separator "-- ".
    ``>``-quoted lines are dropped wherever they are, so answers written between quotes stay;
    an attribution followed by ``>`` quotes is then only dropped, not cut at.

    A forwarded mail (``forwarded=True``) keeps what it forwards: that is its message. When
    nothing would be left, the whole text is returned: nothing is ever lost.
    """
    text = _normalise_text(text)
    if forwarded or not text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _SIGNATURE.match(line) or _ORIGINAL_MESSAGE.match(line):
            break
        if _RULE.match(line) and any(
            _outlook_block_at(lines, following)
            for following in range(index + 1, min(index + 3, len(lines)))
        ):
            break
        if _outlook_block_at(lines, index):
            break
        attribution = _attribution_at(lines, index)
        if attribution:
            rest = lines[index + attribution :]
            if any(item.lstrip().startswith(">") for item in rest):
                index += attribution  # inline quoting: drop the attribution, keep answers
                continue
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
        index += 1
    while kept and (not kept[-1].strip() or _SENT_FROM.match(kept[-1])):
        kept.pop()
    folded = _normalise_text("\n".join(kept))
    return folded or text


# --- The MIME walk ---------------------------------------------------------------------------


@dataclass
class _Limits:
    max_attachment_size: int
    max_total_size: int
    collect_attachments: bool


@dataclass
class _Walk:
    """What one walk over a message's MIME tree collects."""

    limits: _Limits
    now: datetime
    nesting: int
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    skipped: list[SkippedAttachment] = field(default_factory=list)
    forwarded: list[InboundMail] = field(default_factory=list)
    delivery_status: list[RecipientStatus] = field(default_factory=list)
    enclosed_ids: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    parts: int = 0
    total: int = 0

    def count_part(self) -> bool:
        """Count one part; False once there are more than MAX_PARTS."""
        self.parts += 1
        if self.parts == MAX_PARTS + 1:
            self.defects.append("too_many_parts")
        return self.parts <= MAX_PARTS


_SIGNATURE_TYPES = {
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-signature",
}


def _safe_filename(name: str, content_type: str, number: int) -> str:
    """A file name to show and store: no directories, no control characters, not too long;
    ``bijlage-N.ext`` when the mail gave none."""
    name = decode_header_value(name) if name else ""
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name.strip(" .")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        if content_type == "message/rfc822":
            extension = ".eml"
        return f"bijlage-{number}{extension}"
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_FILENAME - len(extension) - 1]}.{extension}"
        else:
            name = name[:MAX_FILENAME]
    return name


def _part_filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:
        return ""
    if isinstance(name, tuple):  # an RFC 2231 value the library left undecoded
        name = str(name[2])
    return _unescape_8bit(str(name))


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _estimated_size(part: Message) -> int:
    """The decoded size of a leaf part, estimated without decoding it."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding == "base64":
        return len(payload) * 3 // 4
    return len(payload)


def _payload_bytes(part: Message, walk: _Walk) -> bytes:
    """A leaf part's content, transfer encoding undone; broken base64 is read as far as it
    goes (the library notes a defect)."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        walk.defects.append("undecodable_part")
        payload = part.get_payload()
        return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data if isinstance(data, bytes) else b""


def _part_text(part: Message, walk: _Walk) -> str:
    data = _payload_bytes(part, walk)
    try:
        charset = part.get_param("charset")
    except Exception:
        charset = None
    if isinstance(charset, tuple):
        charset = str(charset[2])
    text = decode_bytes(data, str(charset) if charset else None, walk.defects)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        flowed = str(part.get_param("format") or "").lower() == "flowed"
        delsp = str(part.get_param("delsp") or "").lower() == "yes"
    except Exception:
        flowed = delsp = False
    return unflow(text, delsp=delsp) if flowed else text


def _add_attachment(
    walk: _Walk,
    *,
    filename: str,
    content_type: str,
    content: bytes | None,
    estimate: int,
    inline: bool,
    content_id: str,
) -> None:
    """Keep a file within the limits, else list it as skipped with the reason."""
    if not walk.limits.collect_attachments:
        return
    size = len(content) if content is not None else estimate
    reason: SkipReason | None = None
    if content is None or size > walk.limits.max_attachment_size:
        reason = SkipReason.TOO_LARGE
    elif walk.total + size > walk.limits.max_total_size:
        reason = SkipReason.TOTAL_TOO_LARGE
    if reason is not None or content is None:
        walk.skipped.append(
            SkippedAttachment(
                filename=filename,
                content_type=content_type,
                size=size,
                reason=reason or SkipReason.TOO_LARGE,
            )
        )
        return
    walk.total += size
    walk.attachments.append(
        Attachment(
            filename=filename,
            content_type=content_type,
            content=content,
            inline=inline,
            content_id=content_id,
        )
    )


def _leaf_attachment(part: Message, walk: _Walk, content_type: str) -> None:
    number = len(walk.attachments) + len(walk.skipped) + 1
    filename = _safe_filename(_part_filename(part), content_type, number)
    content_id = _clean(str(part.get("content-id", ""))).strip().strip("<>")
    inline = _disposition(part) == "inline" or (bool(content_id) and _disposition(part) == "")
    estimate = _estimated_size(part)
    # Too large even allowing for line breaks in base64: skipped without decoding.
    if estimate > walk.limits.max_attachment_size * 1.05 + 1024:
        content = None
    else:
        content = _payload_bytes(part, walk)
    _add_attachment(
        walk,
        filename=filename,
        content_type=content_type,
        content=content,
        estimate=estimate,
        inline=inline,
        content_id=content_id,
    )


def _delivery_status(part: Message, walk: _Walk) -> None:
    """The recipient blocks of a message/delivery-status part (RFC 3464)."""
    payload = part.get_payload()
    blocks: list[Message] = []
    if isinstance(payload, list):
        blocks = [block for block in payload if isinstance(block, Message)]
    else:
        text = _payload_bytes(part, walk).decode("utf-8", "replace").replace("\r\n", "\n")
        blocks = [HeaderParser().parsestr(block) for block in re.split(r"\n\s*\n", text)]
    for block in blocks:
        raw_recipient = str(block.get("final-recipient") or block.get("original-recipient") or "")
        if not raw_recipient:
            continue
        recipient = decode_header_value(raw_recipient.rpartition(";")[2]).strip().strip("<>")
        walk.delivery_status.append(
            RecipientStatus(
                recipient=recipient.lower(),
                action=decode_header_value(str(block.get("action", ""))).lower(),
                status=decode_header_value(str(block.get("status", ""))),
                diagnostic=decode_header_value(str(block.get("diagnostic-code", ""))),
            )
        )


def _enclosed_headers(part: Message, walk: _Walk) -> None:
    """text/rfc822-headers: the headers of the mail a report is about (its Message-ID)."""
    data = _payload_bytes(part, walk)
    headers = BytesHeaderParser(policy=compat32).parsebytes(data)
    for value in headers.get_all("message-id", []):
        walk.enclosed_ids.extend(message_ids_in(_unescape_8bit(str(value))))


def _enclosed_message(part: Message, walk: _Walk) -> None:
    """message/rfc822: a forwarded mail, or the returned original in a bounce. Kept as an
    ``.eml`` attachment and read as a mail of its own (``forwarded``)."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        _leaf_attachment(part, walk, "message/rfc822")
        return
    for value in inner.get_all("message-id", []):
        walk.enclosed_ids.extend(message_ids_in(_unescape_8bit(str(value))))
    try:
        data = inner.as_bytes(policy=compat32)
    except Exception:
        walk.defects.append("unserialisable_enclosed_message")
        data = inner.as_string(policy=compat32).encode("utf-8", "surrogateescape")
    if walk.nesting + 1 > MAX_NESTED_MESSAGES:
        walk.defects.append("nested_messages_too_deep")
    else:
        walk.forwarded.append(
            _read_message(
                inner,
                raw=data,
                now=walk.now,
                server_received_at=None,
                limits=_Limits(walk.limits.max_attachment_size, walk.limits.max_total_size, False),
                nesting=walk.nesting + 1,
            )
        )
    subject = decode_header_value(str(inner.get("subject", "")))
    number = len(walk.attachments) + len(walk.skipped) + 1
    given = _part_filename(part)
    filename = _safe_filename(
        given or (f"{subject[:80]}.eml" if subject else ""), "message/rfc822", number
    )
    _add_attachment(
        walk,
        filename=filename,
        content_type="message/rfc822",
        content=data,
        estimate=len(data),
        inline=False,
        content_id="",
    )


def _walk_part(part: Message, walk: _Walk, depth: int) -> None:
    """Visit one MIME part: body text, attachment, report, enclosed mail, or more parts."""
    if not walk.count_part():
        if walk.limits.collect_attachments and not part.is_multipart():
            walk.skipped.append(
                SkippedAttachment(
                    filename=_safe_filename(_part_filename(part), part.get_content_type(), 0),
                    content_type=part.get_content_type(),
                    size=_estimated_size(part),
                    reason=SkipReason.TOO_MANY_PARTS,
                )
            )
        return
    if depth > MAX_MIME_DEPTH:
        walk.defects.append("mime_too_deep")
        return
    content_type = part.get_content_type()
    main, _slash, sub = content_type.partition("/")
    try:
        if content_type in ("message/rfc822", "message/global"):
            _enclosed_message(part, walk)
        elif content_type in ("message/delivery-status", "message/global-delivery-status"):
            _delivery_status(part, walk)
        elif content_type in ("text/rfc822-headers", "message/global-headers"):
            _enclosed_headers(part, walk)
        elif part.is_multipart():
            children = [child for child in part.get_payload() if isinstance(child, Message)]
            if sub == "alternative":
                _walk_alternative(children, walk, depth + 1)
                return
            if sub == "signed":
                children = [c for c in children if c.get_content_type() not in _SIGNATURE_TYPES]
            for child in children:
                _walk_part(child, walk, depth + 1)
        elif (
            main == "text"
            and sub in ("plain", "html")
            and _disposition(part) != "attachment"
            and not _part_filename(part)
        ):
            text = _part_text(part, walk)
            (walk.html if sub == "html" else walk.plain).append(text)
        elif main == "multipart":  # declared multipart, but no parts could be found
            walk.plain.append(_part_text(part, walk))
        else:
            _leaf_attachment(part, walk, content_type)
    except RecursionError:
        walk.defects.append("mime_too_deep")
    except Exception as error:  # one broken part must not lose the rest of the mail
        walk.defects.append(f"unreadable_part: {content_type}: {type(error).__name__}")
        if walk.limits.collect_attachments:
            walk.skipped.append(
                SkippedAttachment(
                    filename=_safe_filename(_part_filename(part), content_type, 0),
                    content_type=content_type,
                    size=_estimated_size(part),
                    reason=SkipReason.UNREADABLE,
                )
            )
    finally:  # after decoding, which adds defects of its own (broken base64)
        walk.defects.extend(type(defect).__name__ for defect in getattr(part, "defects", ()))


def _walk_alternative(children: list[Message], walk: _Walk, depth: int) -> None:
    """Of the alternatives, the plain text if there is one with text in it, else the richest
    (the last: HTML, or multipart/related with HTML and its images)."""
    plain = next(
        (
            child
            for child in children
            if child.get_content_type() == "text/plain" and _disposition(child) != "attachment"
        ),
        None,
    )
    if plain is not None:
        before = len(walk.plain)
        _walk_part(plain, walk, depth)
        if any(text.strip() for text in walk.plain[before:]):
            return
        del walk.plain[before:]
    richest = [child for child in children if child is not plain][-1:]
    for child in richest:
        _walk_part(child, walk, depth)


# --- Reading a whole message -----------------------------------------------------------------


def _parse_bytes(raw: bytes, defects: list[str]) -> Message:
    """The message tree; on a tree too deep for the parser, the headers with the body as
    text."""
    try:
        return BytesParser(policy=compat32).parsebytes(raw)
    except RecursionError:
        defects.append("mime_too_deep")
    except Exception as error:
        defects.append(f"unparseable_mime: {type(error).__name__}")
    try:
        message = BytesHeaderParser(policy=compat32).parsebytes(raw)
        del message["content-type"]
        return message
    except Exception:
        return Message(policy=compat32)


def _decoded_headers(message: Message, defects: list[str]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for key, value in list(message.raw_items())[:MAX_HEADERS]:
        name = _clean(_unescape_8bit(str(key))).strip()
        raw_value = str(value)
        if name.lower() in _ADDRESS_HEADERS:
            # Kept raw (8-bit decoded only) so the address parser sees the original quoting.
            headers.append((name, _clean(_unescape_8bit(raw_value, defects))))
        else:
            headers.append((name, decode_header_value(raw_value, defects)))
    return headers


_ADDRESS_HEADERS = {"from", "to", "cc", "reply-to", "sender", "delivered-to", "x-original-to"}


def _read_message(
    message: Message,
    *,
    raw: bytes,
    now: datetime,
    server_received_at: datetime | None,
    limits: _Limits,
    nesting: int,
    defects: Sequence[str] = (),
) -> InboundMail:
    walk = _Walk(limits=limits, now=now, nesting=nesting, defects=list(defects))
    headers = _decoded_headers(message, walk.defects)

    def values(name: str) -> list[str]:
        return [value for key, value in headers if key.lower() == name]

    raw_message_id = next(iter(values("message-id")), "")
    message_ids = message_ids_in(raw_message_id)
    if not message_ids:
        walk.defects.append("no_message_id")
    in_reply_to = [mid for value in values("in-reply-to") for mid in message_ids_in(value)]
    references = [mid for value in values("references") for mid in message_ids_in(value)]
    received_at, date = _arrival(headers, now, server_received_at, walk.defects)

    try:
        _walk_part(message, walk, 0)
    except RecursionError:
        walk.defects.append("mime_too_deep")

    plain = "\n\n".join(text for text in walk.plain if text.strip())
    html_body = "\n".join(walk.html)
    text_from_html = not plain.strip() and bool(html_body.strip())
    full_text = _normalise_text(html_to_text(html_body, walk.defects) if text_from_html else plain)
    subject = next(iter(values("subject")), "")
    try:
        content_type = message.get_content_type()
        report_type = str(message.get_param("report-type") or "").lower()
    except Exception:
        content_type, report_type = "text/plain", ""
    sender = _addresses(values("from"), walk.defects)
    return InboundMail(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=tuple(in_reply_to),
        references=tuple(references[-MAX_REFERENCES:]),
        subject=subject,
        sender=sender[0].address if sender else "",
        sender_name=sender[0].name if sender else "",
        reply_to=_addresses(values("reply-to"), walk.defects),
        to=_addresses(values("to"), walk.defects),
        cc=_addresses(values("cc"), walk.defects),
        date=date,
        received_at=received_at,
        text=fold_quoted(full_text, forwarded=bool(_FORWARD_SUBJECT.match(subject))),
        full_text=full_text,
        html=_clean(html_body),
        text_from_html=text_from_html,
        attachments=tuple(walk.attachments),
        skipped=tuple(walk.skipped),
        forwarded=tuple(walk.forwarded),
        headers=tuple(headers),
        content_type=content_type,
        report_type=_clean(report_type),
        delivery_status=tuple(walk.delivery_status),
        enclosed_message_ids=tuple(dict.fromkeys(walk.enclosed_ids)),
        defects=tuple(dict.fromkeys(_clean(defect) for defect in walk.defects))[:MAX_DEFECTS],
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def parse(
    raw: bytes,
    *,
    now: datetime,
    server_received_at: datetime | None = None,
    max_attachment_size: int = DEFAULT_MAX_ATTACHMENT_SIZE,
    max_total_size: int = DEFAULT_MAX_TOTAL_SIZE,
) -> InboundMail:
    """Read one raw RFC 5322 message (#13 items 1–3 and 8). Never raises on bad input.

    ``now`` (aware) bounds ``received_at`` (R3: a sender's clock cannot move a deadline);
    ``server_received_at`` is the mail server's own arrival time when the caller has it (the
    IMAP INTERNALDATE), used when no Received header can be read. Attachments over
    ``max_attachment_size``, or past ``max_total_size`` together, are left out and listed
    in ``skipped`` (the text is always kept).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    if server_received_at is not None and server_received_at.tzinfo is None:
        raise ValueError("server_received_at must be timezone-aware")
    limits = _Limits(max_attachment_size, max_total_size, True)
    defects: list[str] = []
    try:
        message = _parse_bytes(raw, defects)
        return _read_message(
            message,
            raw=raw,
            now=now,
            server_received_at=server_received_at,
            limits=limits,
            nesting=0,
            defects=defects,
        )
    except Exception as error:  # the last guard: a mail we cannot read is still reported
        defects.append(f"internal_error: {type(error).__name__}")
        return _unreadable(raw, now, defects)


def _unreadable(raw: bytes, now: datetime, defects: list[str]) -> InboundMail:
    """What is left of a mail the reader failed on: its bytes as text, nothing else."""
    text = _normalise_text(raw.decode("utf-8", "replace"))
    return InboundMail(
        message_id="",
        in_reply_to=(),
        references=(),
        subject="",
        sender="",
        sender_name="",
        reply_to=(),
        to=(),
        cc=(),
        date=None,
        received_at=now,
        text=text,
        full_text=text,
        html="",
        text_from_html=False,
        attachments=(),
        skipped=(),
        forwarded=(),
        headers=(),
        content_type="text/plain",
        report_type="",
        delivery_status=(),
        enclosed_message_ids=(),
        defects=tuple(dict.fromkeys(defects)),
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


# --- Classifying -----------------------------------------------------------------------------

# Subject prefixes that auto-responders write and people do not (Outlook, Exchange, Gmail…).
_AUTO_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:automatisch antwoord|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response"
    r"|out of (?:the )?office(?: autoreply| reply)?|afwezigheidsbericht|afwezigheidsmelding"
    r"|abwesenheitsnotiz|réponse automatique)\s*:",
    re.IGNORECASE,
)
# Words that may be an auto-reply's subject, but also a customer's ("Docent afwezig"): only
# counted together with some header evidence.
_AUTO_SUBJECT_WORDS = re.compile(
    r"\b(?:out of (?:the )?office|afwezig\w*|automatisch antwoord|automatic reply"
    r"|auto[- ]?reply|vacation|vakantie)\b",
    re.IGNORECASE,
)
_AUTO_MAILER = re.compile(r"autorespon|auto-respon|vacation|autoreply", re.IGNORECASE)
_DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
_MESSAGE_ID_LINE = re.compile(r"^\s*Message-ID\s*:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


def _empty_return_path(mail: InboundMail) -> bool:
    values = mail.header_values("Return-Path")
    return bool(values) and all(value.strip() in ("<>", "") for value in values)


def bounce_of(mail: InboundMail) -> Bounce:
    """Which of our mails a bounce is about, best evidence first: the returned message or its
    headers, then the bounce's own In-Reply-To/References, then Message-ID lines quoted in
    its text (old-style bounces that paste the original)."""
    ids = list(mail.enclosed_message_ids)
    if not ids:
        ids = list(dict.fromkeys([*mail.in_reply_to, *reversed(mail.references)]))
    if not ids:
        quoted = (normalise_message_id(found) for found in _MESSAGE_ID_LINE.findall(mail.full_text))
        ids = [mid for mid in dict.fromkeys(quoted) if mid and mid != mail.message_id]
    recipients = list(mail.delivery_status)
    if not recipients:
        for value in mail.header_values("X-Failed-Recipients"):
            for address in re.split(r"[\s,;]+", value):
                if "@" in address:
                    recipients.append(
                        RecipientStatus(recipient=address.strip("<>").lower(), action="failed")
                    )
    return Bounce(message_ids=tuple(ids), recipients=tuple(recipients))


def classify(mail: InboundMail) -> MailKind:
    """Normal mail, auto-reply, bounce or list mail (#13 item 4); :func:`classification` says
    why, :func:`bounce_of` which mail a bounce is about."""
    return classification(mail).kind


def classification(mail: InboundMail) -> Classification:
    """Normal mail, auto-reply, bounce or list mail (#13 item 4: only normal mail may become
    or join a complaint, and nothing automatic is ever answered: no mail loops).

    Bounce: a delivery report (multipart/report; report-type=delivery-status, or any
    message/delivery-status part), X-Failed-Recipients, a MAILER-DAEMON or postmaster
    sender, or an empty Return-Path without auto-reply evidence. Auto-reply: Auto-Submitted
    other than "no" (RFC 3834), X-Autoreply/X-Autorespond, Precedence bulk/junk/auto_reply,
    a read receipt (report-type=disposition-notification), a subject prefix that only
    responders write ("Automatisch antwoord:", "Out of Office:"), or an auto-reply word in
    the subject ("Afwezig") together with header evidence. List: List-Id, Precedence list,
    Mailing-List, or List-Unsubscribe together with Precedence.
    """
    sender_local = mail.sender.rpartition("@")[0]
    if mail.report_type == "delivery-status" or mail.delivery_status:
        return Classification(MailKind.BOUNCE, "delivery status notification")
    if mail.has_header("X-Failed-Recipients"):
        return Classification(MailKind.BOUNCE, "X-Failed-Recipients")
    if sender_local in _DAEMONS:
        return Classification(MailKind.BOUNCE, f"sent by {sender_local}")

    auto_submitted = mail.header("Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return Classification(MailKind.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}")
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if mail.has_header(name) and mail.header(name).strip().lower() not in ("no", "false"):
            return Classification(MailKind.AUTO_REPLY, name)
    precedence = mail.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply", "auto-reply"):
        return Classification(MailKind.AUTO_REPLY, f"Precedence: {precedence}")
    if mail.report_type == "disposition-notification":
        return Classification(MailKind.AUTO_REPLY, "read receipt")
    if _AUTO_SUBJECT_PREFIX.match(mail.subject):
        return Classification(MailKind.AUTO_REPLY, "auto-reply subject")
    weak_evidence = (
        mail.has_header("X-Auto-Response-Suppress")
        or _empty_return_path(mail)
        or bool(_AUTO_MAILER.search(mail.header("X-Mailer") + " " + mail.header("User-Agent")))
    )
    if weak_evidence and _AUTO_SUBJECT_WORDS.search(mail.subject):
        return Classification(MailKind.AUTO_REPLY, "auto-reply subject and headers")

    if _empty_return_path(mail):
        return Classification(MailKind.BOUNCE, "empty Return-Path")

    if mail.has_header("List-Id"):
        return Classification(MailKind.LIST, "List-Id")
    if mail.has_header("Mailing-List"):
        return Classification(MailKind.LIST, "Mailing-List")
    if precedence == "list":
        return Classification(MailKind.LIST, "Precedence: list")
    if mail.has_header("List-Unsubscribe") and precedence:
        return Classification(MailKind.LIST, f"List-Unsubscribe, Precedence: {precedence}")
    return Classification(MailKind.NORMAL, "")


# --- Threading -------------------------------------------------------------------------------

COMPLAINT_REFERENCE = re.compile(r"(?<![\w-])KG-\d{4}-\d{5}(?![\w-])", re.IGNORECASE)
_REPLY_TOKEN = re.compile(r"[A-Za-z0-9._=-]{1,100}")


def thread_keys(
    mail: InboundMail,
    *,
    our_domains: Collection[str] = (),
    mailbox_address: str = "",
) -> ThreadKeys:
    """What to look up, in order, to attach ``mail`` to the complaint it answers (#13 item 2).

    ``our_domains``: the domains of the Message-IDs the outbox writes (``message_id_domain()``);
    IDs on them are put first, as they name our own mails. ``mailbox_address``: the product's
    mailbox (``meldingen@…``); a recipient ``meldingen+TOKEN@…`` yields ``TOKEN``. Recipients
    are To, Cc, Delivered-To and X-Original-To (the last two name Bcc deliveries).
    """
    ids = list(dict.fromkeys([*mail.in_reply_to, *reversed(mail.references)]))
    ids = [mid for mid in ids if mid != mail.message_id]
    domains = {domain.lower().strip() for domain in our_domains}
    if domains:
        ours = [mid for mid in ids if mid[1:-1].rpartition("@")[2] in domains]
        ids = ours + [mid for mid in ids if mid not in ours]
    references = tuple(
        dict.fromkeys(found.upper() for found in COMPLAINT_REFERENCE.findall(mail.subject))
    )
    tokens: list[str] = []
    local, _at, domain = mailbox_address.strip().lower().rpartition("@")
    if local and domain:
        extra = _addresses(
            [*mail.header_values("Delivered-To"), *mail.header_values("X-Original-To")], []
        )
        for address in (*mail.to, *mail.cc, *extra):
            if address.domain != domain or not address.local_part.startswith(f"{local}+"):
                continue
            token = address.local_part[len(local) + 1 :]
            if _REPLY_TOKEN.fullmatch(token) and token not in tokens:
                tokens.append(token)
    return ThreadKeys(message_ids=tuple(ids), references=references, reply_tokens=tuple(tokens))
