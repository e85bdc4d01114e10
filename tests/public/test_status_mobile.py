"""The status page on a phone (issue 14, item 6): a stepper ontvangen → contact → plan →
oplossing → afgerond, the customer's own words, tables that stack, and a 1–5 scale (R1).

The layout itself is checked in Chromium at 390 px (tests/e2e/test_status_phone.py); these
tests pin what the page says: which step is done and which is current, in text and not by
colour alone, and that none of it uses the words of R13, in Dutch or English.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import ActionItem, Complaint, SatisfactionSurvey
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
    complaint_refer_to_dispute,
    complaint_register,
    complaint_request_follow_up,
    complaint_take_up,
)
from klachten.domain.lifecycle import Status
from klachten.public.selectors import progress
from klachten.public.services import WebReport, web_report_text
from tests.complaints.conftest import customer_data
from tests.public.conftest import NOW, later, page_text, r13_words

STEPS = ["Ontvangen", "Contact", "Plan", "Oplossing", "Afgerond"]


def _web_report(**fields: str) -> str:
    """The report exactly as the website form stores it (R5)."""
    words = {
        "course": "Excel voor gevorderden",
        "what_happened": "De lesdag van dinsdag ging niet door.\n\nNiemand had het me gezegd.",
        "wish": "Graag een nieuwe datum.",
        "language": "nl",
    } | fields
    return web_report_text(WebReport(**words))


@pytest.fixture
def handler(make_staff):
    return make_staff("sanne", "employee", first_name="Sanne", last_name="Visser")


@pytest.fixture
def web_case(manager):
    return complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report=_web_report(),
        checklist=Checklist(),
        now=NOW,
    )


def _contacted(case: Complaint, staff) -> Complaint:
    case = complaint_take_up(complaint=case, actor=staff, now=later(hours=1))
    return complaint_contact(
        complaint=case,
        actor=staff,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=(NOW + timedelta(days=10)).date(),
        now=later(hours=2),
    )


def _planned(case: Complaint, staff) -> Complaint:
    return complaint_plan_actions(
        complaint=_contacted(case, staff),
        actor=staff,
        actions=[
            ActionData(
                what="Nieuwe lesdatum aanbieden", who=staff, due=(NOW + timedelta(days=3)).date()
            )
        ],
        now=later(hours=3),
    )


def _proposed(case: Complaint, staff) -> Complaint:
    return complaint_propose_solution(
        complaint=_planned(case, staff),
        actor=staff,
        solution="U krijgt een nieuwe lesdag op vrijdag 20 november.",
        now=later(hours=4),
    )


def _closed(case: Complaint, staff) -> Complaint:
    case = _proposed(case, staff)
    for action in ActionItem.objects.filter(complaint=case):
        action_mark_done(action=action, actor=staff, now=later(hours=5))
    case = complaint_record_view(
        complaint=case, actor=None, agrees=True, note="", now=later(hours=5)
    )
    case = complaint_request_follow_up(complaint=case, actor=staff, now=later(hours=6))
    case = complaint_follow_up(complaint=case, actor=None, solved=True, note="", now=later(hours=7))
    return complaint_close(
        complaint=case, actor=staff, outcome="solved", note="", now=later(hours=8)
    )


def _in_dispute(case: Complaint, staff) -> Complaint:
    return complaint_refer_to_dispute(
        complaint=_contacted(case, staff), actor=staff, note="Nieuwe lesdag.", now=later(hours=3)
    )


def _get(case: Complaint, language: str = "nl"):
    with time_machine.travel(later(days=1), tick=False):
        response = Client(headers={"accept-language": language}).get(
            f"/status/{status_token_for(case)}/"
        )
    assert response.status_code == 200
    return response.content.decode()


def _stepper(html: str) -> list[tuple[str, str, bool]]:
    """(the words read aloud, the step's class, aria-current) for every step, in order."""
    found = re.search(r'<ol class="stepper"[^>]*>(.*?)</ol>', html, re.DOTALL)
    assert found, "no stepper"
    steps = re.findall(r"<li class=\"(step-\w+)\"([^>]*)>(.*?)</li>", found[1], re.DOTALL)
    return [
        (
            page_text(re.sub(r'<span class="step-mark"[^>]*>.*?</span>', "", body)),
            kind,
            'aria-current="step"' in attributes,
        )
        for kind, attributes, body in steps
    ]


# --- The stepper --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "current"),
    [
        (Status.NEW, 0),
        (Status.CONTACTED, 1),
        (Status.IN_PROGRESS, 2),
        (Status.SOLUTION_PROPOSED, 3),
        (Status.SOLUTION_ACCEPTED, 3),
        (Status.VERIFIED, 3),
        (Status.CLOSED, 4),
    ],
)
def test_every_status_stands_on_one_step_and_the_steps_before_it_are_done(status, current):
    """Pure: no database. Closed has all five done, the last one current."""
    steps = progress(Complaint(status=status), has_plan=False)
    assert [str(step.label) for step in steps] == STEPS
    assert [step.current for step in steps] == [index == current for index in range(5)]
    assert [step.done for step in steps] == [
        index < current or status == Status.CLOSED for index in range(5)
    ]


@pytest.mark.parametrize(
    ("facts", "current"),
    [
        ({}, 0),
        ({"contacted_at": NOW}, 1),
        ({"contacted_at": NOW, "plan": True}, 2),
        ({"contacted_at": NOW, "solution_proposed_at": NOW}, 3),
    ],
)
def test_a_dispute_stands_where_the_case_had_got_to_and_is_not_settled(facts, current):
    """R11: with the third party the case is not settled, whatever it had reached."""
    plan = facts.pop("plan", False)
    steps = progress(Complaint(status=Status.IN_DISPUTE, **facts), has_plan=plan)
    assert [step.current for step in steps] == [index == current for index in range(5)]
    assert not steps[4].done


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "current"),
    [
        (lambda case, staff: case, "Ontvangen"),
        (_contacted, "Contact"),
        (_planned, "Plan"),
        (_proposed, "Oplossing"),
        (_closed, "Afgerond"),
        (_in_dispute, "Contact"),
    ],
    ids=["new", "contacted", "planned", "proposed", "closed", "dispute"],
)
def test_the_stepper_marks_the_current_step_and_says_which_are_done(
    web_case, handler, make, current
):
    """An ordered list; the current step has aria-current="step" and says "nu", done steps
    say "afgerond" to a screen reader and carry a tick, so colour is never the only sign."""
    html = _get(make(web_case, handler))
    steps = _stepper(html)
    at = STEPS.index(current)
    assert [label.split(" (")[0] for label, _kind, _aria in steps] == STEPS
    for index, (label, kind, aria_current) in enumerate(steps):
        if index == at:
            assert (label, kind, aria_current) == (f"{STEPS[index]} (nu)", "step-current", True)
        elif index < at:
            assert (label, kind, aria_current) == (f"{STEPS[index]} (afgerond)", "step-done", False)
        else:
            assert (label, kind, aria_current) == (STEPS[index], "step-todo", False)
    assert html.count('aria-current="step"') == 1


# --- The customer's own words -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_customer_reads_back_what_they_wrote_on_the_form(web_case):
    """Their own words under their own questions; not the staff's labels or the form's line."""
    html = _get(web_case)
    text = page_text(html)
    assert "Wat u ons liet weten" in text
    for words in (
        "Excel voor gevorderden",
        "De lesdag van dinsdag ging niet door.",
        "Niemand had het me gezegd.",
        "Wat u graag wilt",
        "Graag een nieuwe datum.",
    ):
        assert words in text, words
    assert "Wat de klant graag wil" not in text
    assert "Via het formulier" not in text
    assert "<details" not in html  # short words are not folded away


@pytest.mark.django_db
def test_long_words_start_folded_away_and_a_missing_wish_is_left_out(manager):
    case = complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report=_web_report(what_happened="De docent kwam niet opdagen. " * 40, wish=""),
        checklist=Checklist(),
        now=NOW,
    )
    html = _get(case)
    assert re.search(r"<details class=\"own-words-fold\"><summary>Lees wat u ons schreef", html)
    assert "De docent kwam niet opdagen." in page_text(html)
    assert "Wat u graag wilt" not in page_text(html)


@pytest.mark.django_db
def test_a_report_an_employee_wrote_down_stays_with_the_staff(employee, manager):
    """R2, R5, R13: the employee's report of a phone call is internal (and may say "klacht");
    the page only says how the report reached us."""
    case = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=NOW,
        channel="phone",
        report="INTERN-VERSLAG Klacht: de cursusmap ontbrak.",
        checklist=Checklist(),
        now=NOW,
    )
    text = page_text(_get(case))
    assert "INTERN-VERSLAG" not in text
    assert "U heeft uw melding telefonisch aan ons doorgegeven." in text


# --- Tables and the scale -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_cell_of_the_action_plan_carries_its_column_name(web_case, handler):
    """R9: on a phone the table stacks; every cell keeps its label (wat, wie, wanneer, klaar)."""
    html = _get(_planned(web_case, handler))
    table = re.search(r'<table class="stack">(.*?)</table>', html, re.DOTALL)
    assert table
    assert re.findall(r"<td data-label=\"([^\"]+)\">", table[1]) == [
        "Wat",
        "Wie",
        "Wanneer",
        "Klaar",
    ]
    assert '<th scope="col">Wat</th>' in html  # real table semantics at wider widths


def _asked(case: Complaint, staff) -> Complaint:
    case = _closed(case, staff)
    SatisfactionSurvey.objects.create(complaint=case, asked_at=later(hours=9))
    return case


@pytest.mark.django_db
def test_satisfaction_is_a_row_of_five_radios_in_one_fieldset_with_its_ends_explained(
    web_case, handler
):
    """R1: one fieldset, one legend, radios 1 to 5 each inside its own label (the tap target),
    and the ends of the scale said in words the fieldset points to."""
    html = _get(_asked(web_case, handler))
    fieldset = re.search(r'<fieldset class="scale"([^>]*)>(.*?)</fieldset>', html, re.DOTALL)
    assert fieldset
    attributes, body = fieldset[1], fieldset[2]
    assert body.count("<legend>") == 1
    assert "Hoe tevreden bent u over de afhandeling?" in body
    radios = re.findall(
        r'<label for="([^"]+)"><input type="radio" name="score" value="(\d)"[^>]*id="([^"]+)"', body
    )
    assert [value for _for, value, _id in radios] == ["1", "2", "3", "4", "5"]
    assert all(label_for == input_id for label_for, _value, input_id in radios)
    ends = re.search(r'<p class="scale-ends" id="([^"]+)">', body)
    assert ends
    assert f'aria-describedby="{ends[1]}"' in attributes
    assert "1 = zeer ontevreden" in page_text(body)
    assert "5 = zeer tevreden" in page_text(body)


@pytest.mark.django_db
def test_a_missing_score_is_said_in_the_summary_and_inside_the_scale(web_case, handler):
    """GOV.UK habit: every error in the summary, and the field's own message beside it."""
    case = _asked(web_case, handler)
    with time_machine.travel(later(days=1), tick=False):
        response = Client().post(
            f"/status/{status_token_for(case)}/", {"vraag": "tevredenheid", "settled": "ja"}
        )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="error-summary"' in html
    fieldset = re.search(r'<fieldset class="scale"([^>]*)>(.*?)</fieldset>', html, re.DOTALL)
    assert fieldset
    assert "Kies een cijfer van 1 tot en met 5." in fieldset[2]
    assert "id_score_error" in fieldset[1]


# --- R13 on every state, in both languages ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_word_of_r13_on_the_stepper_or_the_own_words_in_any_state(manager, handler, language):
    """R13: new, contacted, planned, proposed, closed with the scale, and in dispute."""
    pages = []
    for index, make in enumerate(
        (lambda case, staff: case, _contacted, _planned, _proposed, _asked, _in_dispute)
    ):
        case = complaint_register(
            receiver=None,
            customer=customer_data(name=f"Mevrouw {index}", email=f"m{index}@example.nl"),
            received_at=NOW,
            channel="web",
            report=_web_report(language=language),
            checklist=Checklist(),
            now=NOW,
        )
        pages.append(_get(make(case, handler), language=language))
    for html in pages:
        text = page_text(html)
        assert r13_words(text) == [], text


@pytest.mark.django_db
def test_the_public_stylesheet_is_on_every_customer_page(web_case, client):
    """The phone layout lives in its own stylesheet, linked from every public page."""
    with time_machine.travel(later(days=1), tick=False):
        pages = [
            client.get(f"/status/{status_token_for(web_case)}/"),
            client.get("/status/"),
            client.get("/status/" + "x" * 43 + "/"),
            client.get("/melding/"),
        ]
    for response in pages:
        assert "klachten/public.css" in response.content.decode()
