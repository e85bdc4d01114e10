"""The short code of a status link (issue #10, 12): typed from a letter, forgiving, unique
enough, and derived from the token so it ends with it."""

from __future__ import annotations

import secrets

from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.status_code import ALPHABET, LENGTH, code_for, digest, grouped, normalised

tokens = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    min_size=43,
    max_size=43,
)


def test_a_code_is_ten_unambiguous_characters_in_two_groups():
    code = code_for("x" * 43)
    assert len(code) == LENGTH
    assert set(code) <= set(ALPHABET)
    assert not set(code) & set("ILOU")
    assert grouped(code) == f"{code[:5]}-{code[5:]}"


@given(token=tokens)
def test_whatever_way_it_is_typed_it_reads_as_the_same_code(token: str):
    code = code_for(token)
    assert normalised(code) == code
    assert normalised(grouped(code)) == code
    assert normalised(grouped(code).lower()) == code
    assert normalised(f"  {code[:3]} {code[3:7]}.{code[7:]} ") == code
    assert normalised(code.replace("1", "l").replace("0", "O").lower()) == code


def test_what_cannot_be_a_code_is_none():
    for typed in ("", "K7QM4", "K7QM4-TXPR2-X", "K7QM4-TXPU2", "K7QM4-TXP!2", "é" * 10):
        assert normalised(typed) is None


def test_codes_differ_per_token_and_stay_the_same_for_one():
    made = [secrets.token_urlsafe(32) for _ in range(2000)]
    codes = {code_for(token) for token in made}
    assert len(codes) == len(made)
    assert code_for(made[0]) == code_for(made[0])


def test_only_a_digest_of_the_code_is_stored():
    code = code_for("y" * 43)
    assert len(digest(code)) == 64
    assert code not in digest(code)
