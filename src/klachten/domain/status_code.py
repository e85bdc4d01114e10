"""The short code of a customer's status link, for a person to type from a letter.

The status link carries 43 case-sensitive characters: fine in an e-mail, hopeless on paper.
A letter also prints a short code of ten characters from Crockford's base-32 alphabet
(digits and capitals without I, L, O and U), in two groups: "K7QM4-TXPR2". Typing is
forgiving: lower case, spaces and dashes are fine, and I and L are read as 1, O as 0.

The code is derived from the status token (SHA-256), so it needs no secret of its own and
ends with the token: a new status link gives a new code, and without a token there is none.
Fifty bits are far too many to guess under the status page's rate limit.
"""

from __future__ import annotations

import hashlib
from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH: Final = 10
GROUP: Final = 5
_READ_AS: Final = {"I": "1", "L": "1", "O": "0"}
_IGNORED: Final = frozenset(" -._\t")


def code_for(token: str) -> str:
    """The short code of the status token ``token``, without grouping ("K7QM4TXPR2")."""
    number = int.from_bytes(hashlib.sha256(f"status-code:{token}".encode()).digest()[:8])
    number >>= 64 - 5 * LENGTH
    digits = []
    for _ in range(LENGTH):
        number, digit = divmod(number, 32)
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def grouped(code: str) -> str:
    """ "K7QM4TXPR2" as it is printed: "K7QM4-TXPR2"."""
    return "-".join(code[index : index + GROUP] for index in range(0, len(code), GROUP))


def normalised(typed: str) -> str | None:
    """What a person typed as a code ("k7qm4 txpr2", "K7QM4-TXPR2"), or None when it cannot
    be one (a wrong length or a character outside the alphabet)."""
    kept = []
    for char in typed.strip().upper():
        if char in _IGNORED:
            continue
        char = _READ_AS.get(char, char)
        if char not in ALPHABET:
            return None
        kept.append(char)
    return "".join(kept) if len(kept) == LENGTH else None


def digest(code: str) -> str:
    """What is stored to find a complaint by its code: a SHA-256 digest, never the code."""
    return hashlib.sha256(f"status-code:{code}".encode()).hexdigest()
