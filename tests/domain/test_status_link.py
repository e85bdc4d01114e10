"""The status link kept without its token (#15 item 5; R2): rebuilt from a nonce under the
key, found by a digest, and a link from before #15 sealed so the same rules hold for it."""

from __future__ import annotations

import hashlib
import re
import secrets

from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.status_link import NONCE_BYTES, digest, seal, token_for

SECRET = "the-installation's-secret-key"
nonces = st.binary(min_size=NONCE_BYTES, max_size=NONCE_BYTES).map(bytes.hex)
# What the old column could hold: secrets.token_urlsafe(32), and anything up to 64 characters.
old_tokens = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    min_size=20,
    max_size=64,
) | st.text(min_size=1, max_size=64)


def test_a_link_is_43_url_safe_characters_like_the_random_ones_before_it():
    token = token_for(secret=SECRET, nonce=secrets.token_hex(NONCE_BYTES))
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


@given(nonce=nonces)
def test_the_same_nonce_and_key_give_the_same_link_every_time(nonce: str):
    """A later mail carries the link the customer already has: nothing to store but the
    nonce."""
    assert token_for(secret=SECRET, nonce=nonce) == token_for(secret=SECRET, nonce=nonce)


@given(nonce=nonces, other=nonces)
def test_another_nonce_or_another_key_gives_another_link(nonce: str, other: str):
    token = token_for(secret=SECRET, nonce=nonce)
    assert token_for(secret=SECRET + "x", nonce=nonce) != token
    assert token_for(secret=SECRET.encode(), nonce=nonce) == token  # Django allows bytes keys
    if other != nonce:
        assert token_for(secret=SECRET, nonce=other) != token


@given(nonce=nonces)
def test_what_is_stored_reveals_no_link(nonce: str):
    """The nonce and the digest are all a database copy holds; neither is the token."""
    token = token_for(secret=SECRET, nonce=nonce)
    assert digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in digest(token)
    assert token not in nonce


@given(nonce=nonces, old=old_tokens)
def test_a_link_from_before_15_is_sealed_and_opens_again_only_under_its_key(nonce: str, old: str):
    sealed = seal(secret=SECRET, nonce=nonce, token=old)
    assert token_for(secret=SECRET, nonce=nonce, sealed=sealed) == old
    assert token_for(secret=SECRET + "x", nonce=nonce, sealed=sealed) != old
    if len(old) >= 8:  # shorter strings may turn up in any hex text
        assert old not in sealed
    assert len(sealed) <= 512  # the column: 64 characters of at most 4 bytes each, in hex


def test_sealing_differs_per_nonce_so_equal_tokens_do_not_show():
    old = secrets.token_urlsafe(32)
    first = seal(secret=SECRET, nonce=secrets.token_hex(NONCE_BYTES), token=old)
    second = seal(secret=SECRET, nonce=secrets.token_hex(NONCE_BYTES), token=old)
    assert first != second
