"""Dates on days off get a warning in the API too, never a refusal (#10, item 8; R3, R9, R11).

What the step forms say while typing — a weekend, a public holiday by its name, one of the
organisation's closing days by its description — the step endpoints answer in ``warnings``,
with the field each date came from, by the same calendar and in the same words, in the
request's language. The step is taken all the same.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine

from klachten.complaints.models import ActionItem
from klachten.organisation.models import ClosingDay
from tests.api.test_complaints import registration
from tests.complaints.conftest import NOW
from tests.conftest import ApiClient

URL = "/api/v1/complaints"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> Any:
    """Monday 2 November 2026, 10:00."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reference(api: ApiClient, manager: Any, clock: Any) -> str:
    response = api.post(URL, registration())
    assert response.status_code == 201, response.json()
    return str(response.json()["reference"])


def step(api: ApiClient, reference: str, name: str, body: Any = None) -> dict[str, Any]:
    response = api.post(f"{URL}/{reference}/{name}", body)
    assert response.status_code == 200, response.json()
    return dict(response.json())


def contact(api: ApiClient, reference: str, term: str) -> dict[str, Any]:
    body = {"channel": "phone", "summary": "Teruggebeld.", "agreed_term": term}
    return step(api, reference, "contact", body)


def test_an_agreed_term_on_a_saturday_is_kept_with_a_warning(
    api: ApiClient, reference: str
) -> None:
    """R3: the term is what was agreed with the customer; the API says it is no working day."""
    body = contact(api, reference, "2026-11-14")
    assert body["agreed_term"] == "2026-11-14"
    assert body["warnings"] == [
        {
            "field": "agreed_term",
            "code": "not_a_working_day",
            "date": "2026-11-14",
            "kind": "weekend",
            "message": "Let op: zaterdag 14 november 2026 valt in het weekend, dat is geen "
            "werkdag.",
        }
    ]


def test_a_term_on_a_working_day_has_no_warnings(api: ApiClient, reference: str) -> None:
    assert contact(api, reference, "2026-11-13")["warnings"] == []


def test_each_action_on_a_day_off_is_named_by_its_field(api: ApiClient, reference: str) -> None:
    """R9: a closing day by its description, a holiday by its name, a working day not at
    all; every line is saved."""
    ClosingDay.objects.create(day=date(2026, 11, 20), description="Studiedag")
    contact(api, reference, "2026-11-13")
    plan = [
        {"what": "Cursusmap nasturen", "who": "petra", "due": "2026-11-19"},
        {"what": "Docent bellen", "who": "petra", "due": "2026-11-20"},
        {"what": "Nieuwe datum plannen", "who": "petra", "due": "2026-12-25"},
    ]
    body = step(api, reference, "actions", {"actions": plan})
    assert [(w["field"], w["date"], w["kind"]) for w in body["warnings"]] == [
        ("actions.1.due", "2026-11-20", "closing_day"),
        ("actions.2.due", "2026-12-25", "holiday"),
    ]
    assert body["warnings"][0]["message"] == (
        "Let op: vrijdag 20 november 2026 is een sluitingsdag (Studiedag), geen werkdag."
    )
    assert body["warnings"][1]["message"] == (
        "Let op: vrijdag 25 december 2026 is een feestdag (Eerste kerstdag), geen werkdag."
    )
    assert ActionItem.objects.filter(complaint__reference=reference).count() == 3


def test_a_ruling_and_its_consequences_on_days_off_in_english(
    api: ApiClient, reference: str
) -> None:
    """R11: the ruling's date and each consequence's date; the message follows the
    request's language like every message of the API. A consequence without a date gets the
    last day of the short term, a working day, so no warning."""
    contact(api, reference, "2026-11-13")
    step(api, reference, "dispute", {"note": "Klant schakelt de derde in."})
    api.headers["Accept-Language"] = "en"
    body = step(
        api,
        reference,
        "ruling",
        {
            "ruled_on": "2026-11-01",
            "text": "Kosteloos opnieuw.",
            "consequences": [
                {"what": "Nieuwe cursusdatum", "who": "petra", "due": "2026-11-07"},
                {"what": "Cursusgeld terugbetalen", "who": "petra"},
            ],
        },
    )
    assert [(w["field"], w["date"]) for w in body["warnings"]] == [
        ("ruled_on", "2026-11-01"),
        ("consequences.0.due", "2026-11-07"),
    ]
    assert body["warnings"][1]["message"] == (
        "Note: Saturday 7 November 2026 falls in the weekend, which is not a working day."
    )
    assert body["ruling_on"] == "2026-11-01"
    assert [action["due"] for action in body["actions"]] == ["2026-11-07", "2026-11-09"]


def test_steps_without_dates_answer_an_empty_list(api: ApiClient, reference: str) -> None:
    """One shape for every step's answer: ``warnings`` is always there."""
    contact(api, reference, "2026-11-13")
    body = step(api, reference, "dispute", {"note": "Klant schakelt de derde in."})
    assert body["warnings"] == []


def test_the_readme_shows_what_the_api_answers(api: ApiClient, reference: str) -> None:
    """The README's example of ``warnings`` is the answer, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"```json\n(\{\"warnings\": .*?)\n```", readme, re.S)
    assert documented, "the README shows the warnings of a step"
    contact(api, reference, "2026-11-13")
    plan = [
        {"what": "Cursusmap nasturen", "who": "petra", "due": "2026-11-19"},
        {"what": "Nieuwe datum plannen", "who": "petra", "due": "2026-12-25"},
    ]
    body = step(api, reference, "actions", {"actions": plan})
    assert {"warnings": body["warnings"]} == json.loads(documented.group(1))
