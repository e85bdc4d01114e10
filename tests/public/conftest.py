"""Fixtures for the public pages: a filled form, a clock, the customer's words checked."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine

from klachten.domain import wording
from klachten.domain.workdays import AMSTERDAM
from tests.complaints.conftest import complaint  # noqa: F401 - a fixture used here too
from tests.messaging.conftest import smtp, smtp_server  # noqa: F401 - fixtures used here too

# Monday 2 November 2026, 10:00: a working day far from any holiday.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)

FORM = {
    "name": "Mevrouw J. Brouwer",
    "street": "Lange Nieuwstraat",
    "house_number": "21",
    "postcode": "3512 pd",
    "town": "Utrecht",
    "country": "NL",
    "email": "j.brouwer@example.nl",
    "phone": "06 1234 5678",
    "course": "Excel voor gevorderden",
    "what_happened": "De lesdag van dinsdag ging niet door en niemand had mij dat laten weten.",
    "wish": "Graag een nieuwe datum en een vergoeding van mijn reiskosten.",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    """Each test keeps its files to itself, so "nothing left behind" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def form_data() -> dict[str, Any]:
    return dict(FORM)


class _Text(HTMLParser):
    """The text a reader meets: visible text, the title, and labels read aloud."""

    SKIP = frozenset({"script", "style"})
    SPOKEN = ("aria-label", "title", "alt", "placeholder", "value")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        for name, value in attrs:
            if name in self.SPOKEN and value and not (tag == "input" and name == "value"):
                self.parts.append(value)
        if tag == "button" or tag == "option":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def r13_words(text: str) -> list[str]:
    """R13: the forbidden words in ``text``: klacht, probleem, problem, fout in any form, and
    in an English text also complaint, fault, error, mistake (#11)."""
    language = wording.language_of(text)
    return [
        finding.text for finding in wording.check(text, language=language) if finding.rule == "R13"
    ]


def later(**delta: float) -> datetime:
    return NOW + timedelta(**delta)
