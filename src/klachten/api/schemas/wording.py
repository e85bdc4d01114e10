"""The body and answer of ``POST /api/v1/wording/check`` (R12, R13)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class WordingIn(Schema):
    text: str
    language: Literal["nl", "en"] | None = Field(
        None,
        description="The language to check in, the customer's when known; "
        "left out or null: the language the text is written in",
    )


class FindingOut(Schema):
    start: int
    end: int
    text: str
    rule: Literal["R13", "R12"]
    code: str
    blocks: bool
    message: str
    suggestions: list[str]
    party: str | None = Field(
        None, description="R12: the words of the text that name the party blamed"
    )
    words: list[str] = Field(
        default_factory=list,
        description="R12: the words of the sentence that weighed most towards blame, "
        "strongest first",
    )


class WordingOut(Schema):
    ok: bool
    sendable: bool
    language: Literal["nl", "en"] = Field(description="The language the text was checked in")
    findings: list[FindingOut]
