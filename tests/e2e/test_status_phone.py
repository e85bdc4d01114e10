"""The customer's status page on a phone, 390 × 844 px, in Chromium (issue 14, item 6):
nothing scrolls sideways, the stepper is in view, the action plan stacks as label/value rows,
the 1–5 scale is one row of big tap targets used with the keyboard, and axe finds nothing
serious. The live server runs on the real clock, so dates are relative to today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import WAIT_MS
from tests.e2e.test_status_code_journey import _serious

PHONE = {"width": 390, "height": 844}
LONG_WORDS = (
    "Op de eerste lesdag van de training Leidinggeven in de praktijk ontbrak de cursusmap, "
    "en de docent wist niet dat ik zou komen. "
) * 8


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """The customer's own phone: a small screen with touch, no login."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def _case(employee: Any, *, close: bool = False) -> str:
    """A report from the website form with long words, taken up, with an action plan of two
    lines (long ones) — and, when ``close``, solved, closed and asked for satisfaction (R1)."""
    from klachten.complaints.models import ActionItem, SatisfactionSurvey
    from klachten.complaints.selectors import status_token_for
    from klachten.complaints.services import (
        ActionData,
        Checklist,
        action_mark_done,
        complaint_close,
        complaint_contact,
        complaint_follow_up,
        complaint_plan_actions,
        complaint_propose_solution,
        complaint_record_view,
        complaint_register,
        complaint_request_follow_up,
        complaint_take_up,
    )
    from klachten.public.services import WebReport, web_report_text
    from tests.complaints.conftest import customer_data

    now = timezone.now()
    today = timezone.localdate()
    c = complaint_register(
        receiver=None,
        customer=customer_data(email="j.brouwer-van-den-heuvel-de-groot@example.nl"),
        received_at=now - timedelta(hours=3),
        channel="web",
        report=web_report_text(
            WebReport(
                course="Leidinggeven in de praktijk (Utrecht, najaar)",
                what_happened=LONG_WORDS,
                wish="Een nieuwe lesdag en de cursusmap per post.",
                language="nl",
            )
        ),
        checklist=Checklist(),
        now=now - timedelta(hours=3),
    )
    c = complaint_take_up(complaint=c, actor=employee, now=now - timedelta(hours=2))
    c = complaint_contact(
        complaint=c,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=today + timedelta(days=10),
        now=now - timedelta(minutes=90),
    )
    c = complaint_plan_actions(
        complaint=c,
        actor=employee,
        actions=[
            ActionData(
                what="Een nieuwe lesdag voor de training Leidinggeven in de praktijk aanbieden "
                "en de cursusmap met alle hand-outs per post naar u opsturen",
                who=employee,
                due=today + timedelta(days=3),
            ),
            ActionData(what="Bellen", who=employee, due=today + timedelta(days=5)),
        ],
        now=now - timedelta(minutes=80),
    )
    if close:
        c = complaint_propose_solution(
            complaint=c, actor=employee, solution="Nieuwe lesdag.", now=now - timedelta(minutes=70)
        )
        for action in ActionItem.objects.filter(complaint=c):
            action_mark_done(action=action, actor=employee, now=now - timedelta(minutes=60))
        c = complaint_record_view(
            complaint=c, actor=None, agrees=True, note="", now=now - timedelta(minutes=50)
        )
        c = complaint_request_follow_up(
            complaint=c, actor=employee, now=now - timedelta(minutes=40)
        )
        c = complaint_follow_up(
            complaint=c, actor=None, solved=True, note="", now=now - timedelta(minutes=30)
        )
        c = complaint_close(
            complaint=c, actor=employee, outcome="solved", note="", now=now - timedelta(minutes=20)
        )
        SatisfactionSurvey.objects.create(complaint=c, asked_at=now - timedelta(minutes=10))
    return str(status_token_for(c))


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_status_page_with_a_plan_fits_a_phone(phone, employee, manager):
    """390 px: no sideways scrolling; the stepper in view at the top with the current step;
    the action plan as label/value rows; the customer's own words; axe finds nothing serious."""
    phone.goto(f"/status/{_case(employee)}/")
    phone.get_by_role("heading", level=1).wait_for()
    _no_sideways_scroll(phone)

    stepper = phone.get_by_role("list", name="Hoe ver uw melding is")
    assert stepper.is_visible()
    assert stepper.bounding_box()["y"] < PHONE["height"]  # in view without scrolling
    assert stepper.get_by_role("listitem").count() == 5
    current = stepper.locator('[aria-current="step"]')
    assert current.locator(".step-label").text_content() == "Plan (nu)"

    # The plan stacks: each cell is a row the width of the table, labelled by its column.
    cell = phone.locator("table.stack td").first
    assert cell.evaluate("c => getComputedStyle(c, '::before').content") == '"Wat"'
    table = phone.locator("table.stack").bounding_box()
    box = cell.bounding_box()
    assert box["width"] >= table["width"] - 2
    words = phone.get_by_text("Een nieuwe lesdag en de cursusmap per post.")
    assert not words.is_visible()  # long words start folded away
    phone.get_by_text("Lees wat u ons schreef").click()
    assert words.is_visible()
    _no_sideways_scroll(phone)

    assert _serious(phone) == []


def test_the_satisfaction_scale_is_one_row_of_big_targets_used_with_the_keyboard(
    phone, employee, manager
):
    """R1: five radios side by side, each tap target at least 44 × 44 px; arrow keys move
    the choice; the answer is sent and thanked for."""
    phone.goto(f"/status/{_case(employee, close=True)}/")
    scale = phone.get_by_role("group", name="Hoe tevreden bent u over de afhandeling?")
    scale.wait_for()
    _no_sideways_scroll(phone)
    assert phone.locator('[aria-current="step"] .step-label').text_content() == "Afgerond (nu)"

    targets = scale.locator(".scale-options label")
    assert targets.count() == 5
    boxes = [targets.nth(n).bounding_box() for n in range(5)]
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes)
    assert _serious(phone) == []

    scale.get_by_role("radio", name="3").focus()
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowRight")
    assert scale.get_by_role("radio", name="4").is_checked()
    phone.get_by_role("group", name="Is de zaak voor u afgehandeld?").get_by_label("Ja").check()
    phone.get_by_role("button", name="Verstuur mijn antwoord").click()
    phone.get_by_text("U gaf ons een 4 van 5. Dank u wel.").wait_for()
    _no_sideways_scroll(phone)


@pytest.mark.parametrize("path", ["/status/", "/status/" + "x" * 43 + "/", "/melding/"])
def test_the_other_customer_pages_fit_a_phone_too(phone, db, path):
    """The code page, a dead link and the form: no sideways scrolling at 390 px either."""
    phone.goto(path)
    phone.get_by_role("heading", level=1).wait_for()
    _no_sideways_scroll(phone)
