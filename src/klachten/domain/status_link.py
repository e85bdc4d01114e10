"""The customer's private status link ``/status/<token>/``, kept without its token (#15 item
5; R2; docs/decisions.md, "Status links stored as digests").

A complaint stores a random *nonce* and the SHA-256 *digest* of its token, never the token.
The token is rebuilt when a mail or letter needs it: an HMAC-SHA256 of the nonce under a key
derived from Django's ``SECRET_KEY`` for this one purpose, url-safe base64 (43 characters, as
the random tokens before it). A copy of the database alone holds no working link; the
installation, which holds the key, can write the same link into every later mail. A page is
found by the digest of the token in its address.

Links issued before #15 were random and cannot be rebuilt from a nonce. Their token is kept
*sealed*: XOR-ed with a keystream of HMAC-SHA256 blocks under the same key and the row's own
nonce (a stream cipher with a pseudo-random function; the nonce is never used for another
link). The same rules then hold for both kinds: the key rebuilds the link, a new nonce
revokes it, and without the key nothing in the database opens a page.

Pure functions: the secret is an argument, so the rules are tested without Django.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

PURPOSE: Final = b"klachten.status-link"  # the key is used for nothing else
NONCE_BYTES: Final = 32


def _key(secret: str | bytes) -> bytes:
    """The key of status links, derived from ``secret`` (Django's ``SECRET_KEY``)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hashlib.sha256(PURPOSE + b"\x00" + raw).digest()


def _mac(key: bytes, label: bytes, nonce: str, counter: int = 0) -> bytes:
    message = label + bytes.fromhex(nonce) + counter.to_bytes(4, "big")
    return hmac.new(key, message, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: str, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(_mac(key, b"sealed:", nonce, counter) for counter in range(blocks))[:length]


def token_for(*, secret: str | bytes, nonce: str, sealed: str = "") -> str:
    """The token of the link that ``nonce`` (and, for a link from before #15, ``sealed``)
    stands for under ``secret``.

    Under another secret the answer is another token, whose digest finds nothing.
    """
    key = _key(secret)
    if sealed:
        data = bytes.fromhex(sealed)
        plain = bytes(a ^ b for a, b in zip(data, _keystream(key, nonce, len(data)), strict=True))
        return plain.decode(errors="replace")
    return base64.urlsafe_b64encode(_mac(key, b"link:", nonce)).rstrip(b"=").decode()


def seal(*, secret: str | bytes, nonce: str, token: str) -> str:
    """An existing ``token`` in the form :func:`token_for` opens with the same ``nonce``."""
    data = token.encode()
    stream = _keystream(_key(secret), nonce, len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).hex()


def digest(token: str) -> str:
    """What is stored to find a complaint by its link: SHA-256, as for API tokens. A token
    carries 256 bits (random, or an HMAC under the key), so a plain hash suffices."""
    return hashlib.sha256(token.encode()).hexdigest()
