"""The life of a complaint: the transition table and the guards of R3, R7, R9, R10, R11, R16."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachten.domain.lifecycle import (
    BOUND_BY_RULING,
    OPEN_STATUSES,
    OUTCOME_OF,
    RULES_OF_STEP,
    STANDALONE_CODES,
    TRANSITIONS,
    ContactInput,
    CustomerView,
    Decision,
    Facts,
    Outcome,
    Reason,
    ReasonCode,
    Status,
    Step,
    allowed_steps,
    blocking_reasons,
    closing_steps,
    decide,
    next_step,
)
from klachten.domain.workdays import NaiveDatetimeError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# A complaint received on Monday 25 November 2024; deadlines as PROCEDURE.md computes them.
DELAY_NOTICE_DUE = datetime(2024, 12, 17, tzinfo=AMSTERDAM)  # end of Monday 16 December
SETTLEMENT_DUE = datetime(2024, 12, 24, tzinfo=AMSTERDAM)  # end of Monday 23 December
NOW = datetime(2024, 12, 2, 10, 0, tzinfo=AMSTERDAM)
TERM = date(2024, 12, 13)
EXPECTED = date(2025, 1, 10)  # a delay notice's expected date, after the settlement deadline

BARE = Facts(delay_notice_due=DELAY_NOTICE_DUE, settlement_due=SETTLEMENT_DUE)
"""A complaint on which nothing has been done yet."""

READY = replace(
    BARE,
    agreed_term=TERM,
    action_count=2,
    customer_view=CustomerView.AGREES,
    follow_up_solved=True,
    delay_notice_sent_at=NOW,
    delay_expected_date=EXPECTED,
)
"""Facts that satisfy every guard except the ruling's own (R11)."""

RULED = replace(READY, ruling_recorded=True)
"""READY after the third party's binding ruling was recorded and carried out (R11)."""

TROUBLED = replace(
    BARE,
    action_count=3,
    open_action_count=1,
    customer_view=CustomerView.DISAGREES,
    follow_up_solved=False,
    delay_notice_sent_at=DELAY_NOTICE_DUE + timedelta(days=1),
)
"""Facts on which every guard that can object does."""

SHORTENING = replace(READY, delay_expected_date=date(2024, 12, 20))
"""A timely delay notice whose date lies before the settlement deadline (R16)."""

FACT_SETS = {
    "bare": BARE,
    "ready": READY,
    "ruled": RULED,
    "troubled": TROUBLED,
    "shortening": SHORTENING,
}
PAIRS = list(itertools.product(Status, Step))
PAIR_IDS = [f"{status}-{step}" for status, step in PAIRS]


def reason(code: ReasonCode, rule: str = "") -> Reason:
    """Shorthand for the reasons the tests expect."""
    return Reason(code, rule)


def satisfying(step: Step) -> Facts:
    """Facts on which ``step``'s guards all pass: a ruling only for closing after one (R11)."""
    return RULED if step is Step.CLOSE_AFTER_RULING else READY


# --- The table --------------------------------------------------------------------------------


def test_the_table_is_the_one_agreed_in_the_brief() -> None:
    """Restated step by step, the table has exactly these moves and no others."""
    new, contacted, in_progress = Status.NEW, Status.CONTACTED, Status.IN_PROGRESS
    proposed, accepted, verified = (
        Status.SOLUTION_PROPOSED,
        Status.SOLUTION_ACCEPTED,
        Status.VERIFIED,
    )
    closed, in_dispute = Status.CLOSED, Status.IN_DISPUTE
    loops = {status: status for status in OPEN_STATUSES}
    moves: dict[Step, dict[Status, Status]] = {
        Step.CONTACT: loops | {new: contacted},
        Step.PLAN_ACTIONS: {
            contacted: in_progress,
            in_progress: in_progress,
            proposed: proposed,
            accepted: accepted,
        },
        Step.SEND_DELAY_NOTICE: loops,
        Step.EXTEND: loops,
        Step.PROPOSE_SOLUTION: {contacted: proposed, in_progress: proposed},
        Step.ACCEPT_SOLUTION: {proposed: accepted},
        Step.REJECT_SOLUTION: {proposed: in_progress},
        Step.CONFIRM_SOLVED: {accepted: verified},
        Step.REPORT_UNSOLVED: {accepted: in_progress},
        Step.CLOSE_SOLVED: {verified: closed},
        Step.CLOSE_UNSOLVED: dict.fromkeys((contacted, in_progress, proposed, accepted), closed),
        Step.WITHDRAW: dict.fromkeys(OPEN_STATUSES - {in_dispute}, closed),
        Step.REFER_TO_DISPUTE: dict.fromkeys(
            (contacted, in_progress, proposed, accepted, verified, closed), in_dispute
        ),
        Step.RECORD_RULING: {in_dispute: in_progress},
        Step.CLOSE_AFTER_RULING: {in_progress: closed},
    }
    expected = {
        (source, step): target for step, edges in moves.items() for source, target in edges.items()
    }
    assert dict(TRANSITIONS) == expected


def test_open_statuses_are_all_but_closed() -> None:
    """Only a closed complaint is not open."""
    assert frozenset(Status) - OPEN_STATUSES == {Status.CLOSED}


def test_status_and_outcome_values_are_the_stored_ones() -> None:
    """The values live in the database; renaming one would orphan stored complaints."""
    assert [status.value for status in Status] == [
        "new",
        "contacted",
        "in_progress",
        "solution_proposed",
        "solution_accepted",
        "verified",
        "closed",
        "in_dispute",
    ]
    assert [outcome.value for outcome in Outcome] == ["solved", "unsolved", "withdrawn", "ruling"]


def test_every_step_into_closed_records_an_outcome() -> None:
    """The closing steps are exactly those that lead from an open status to CLOSED."""
    closing = {
        step
        for (source, step), target in TRANSITIONS.items()
        if target is Status.CLOSED and source is not Status.CLOSED
    }
    assert set(OUTCOME_OF) == closing
    assert OUTCOME_OF[Step.CLOSE_AFTER_RULING] is Outcome.RULING


def test_every_step_but_withdrawal_serves_a_rule_of_the_procedure() -> None:
    """RULES_OF_STEP ties each step to real rule IDs; a withdrawal serves none."""
    assert set(RULES_OF_STEP) == set(Step)
    for step, rules in RULES_OF_STEP.items():
        assert all(re.fullmatch(r"R([1-9]|1[0-7])", rule) for rule in rules), step
        assert bool(rules) == (step is not Step.WITHDRAW), step


@pytest.mark.parametrize(("status", "step"), PAIRS, ids=PAIR_IDS)
def test_a_step_is_allowed_exactly_where_the_table_has_it_once_its_guards_pass(
    status: Status, step: Step
) -> None:
    """With facts that satisfy every guard, the table alone decides, and names the target."""
    inputs = [None, ContactInput(TERM)] if step is Step.CONTACT else [None]
    for contact in inputs:
        decision = decide(status, step, satisfying(step), NOW, contact=contact)
        assert decision.allowed == ((status, step) in TRANSITIONS)
        assert decision.target == TRANSITIONS.get((status, step))


@pytest.mark.parametrize(("status", "step"), PAIRS, ids=PAIR_IDS)
def test_every_refusal_says_why_and_leads_nowhere(status: Status, step: Step) -> None:
    """Whatever the facts, a refused step has a reason, each reason once, and no target."""
    for facts in FACT_SETS.values():
        decision = decide(status, step, facts, NOW)
        if decision.allowed:
            assert (status, step) in TRANSITIONS
            assert decision.reasons == ()
        else:
            assert decision.reasons
            assert decision.target is None
            assert len(set(decision.reasons)) == len(decision.reasons)


def test_every_reason_code_can_occur_and_carries_a_real_rule() -> None:
    """No code is dead weight for the translators; every rule is an R-ID or empty."""
    seen: set[ReasonCode] = set()
    contacts = [
        None,
        ContactInput(),
        ContactInput(date(2024, 12, 1)),
        ContactInput(date(2025, 1, 6)),
    ]
    for (status, step), facts in itertools.product(PAIRS, FACT_SETS.values()):
        for contact in contacts if step is Step.CONTACT else [None]:
            for found in decide(status, step, facts, NOW, contact=contact).reasons:
                seen.add(found.code)
                assert re.fullmatch(r"|R([1-9]|1[0-7])", found.rule), found
    assert seen == set(ReasonCode)


# --- R3: contact and the agreed term -----------------------------------------------------------


def test_the_first_contact_must_agree_a_term() -> None:
    """R3: a contact from NEW without a term is refused."""
    decision = decide(Status.NEW, Step.CONTACT, BARE, NOW, contact=ContactInput())
    assert decision.reasons == (reason(ReasonCode.AGREED_TERM_REQUIRED, "R3"),)


def test_the_first_contact_with_a_term_makes_the_complaint_contacted() -> None:
    """R3: contact plus an agreed term moves NEW to CONTACTED."""
    decision = decide(Status.NEW, Step.CONTACT, BARE, NOW, contact=ContactInput(TERM))
    assert decision == Decision(allowed=True, target=Status.CONTACTED, reasons=())


def test_the_contact_button_is_offered_before_the_term_is_known() -> None:
    """R3, UX.md: without the contact's input only the status is judged."""
    assert decide(Status.NEW, Step.CONTACT, BARE, NOW).allowed
    assert next_step(Status.NEW, BARE, NOW) is Step.CONTACT


def test_a_further_contact_may_keep_the_term_even_after_it_has_passed() -> None:
    """R3: a later contact moment need not agree a new term; calling after the term is normal."""
    facts = replace(READY, agreed_term=date(2024, 11, 29))
    decision = decide(Status.IN_PROGRESS, Step.CONTACT, facts, NOW, contact=ContactInput())
    assert decision.allowed
    assert decision.target is Status.IN_PROGRESS


def test_a_term_before_today_in_amsterdam_is_refused() -> None:
    """R3: just after midnight in Amsterdam, while still the day before in UTC, that day is past."""
    now = datetime(2024, 12, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 December in Amsterdam
    past = decide(Status.NEW, Step.CONTACT, BARE, now, contact=ContactInput(date(2024, 12, 2)))
    today = decide(Status.NEW, Step.CONTACT, BARE, now, contact=ContactInput(date(2024, 12, 3)))
    assert past.reasons == (reason(ReasonCode.AGREED_TERM_IN_PAST, "R3"),)
    assert today.allowed


def test_a_term_on_the_settlement_day_needs_no_delay_notice() -> None:
    """R16: the settlement deadline is the end of 23 December, even when stored in UTC."""
    facts = replace(BARE, settlement_due=datetime(2024, 12, 23, 23, 0, tzinfo=UTC))
    on_the_day = ContactInput(date(2024, 12, 23))
    the_day_after = ContactInput(date(2024, 12, 24))
    assert decide(Status.NEW, Step.CONTACT, facts, NOW, contact=on_the_day).allowed
    assert decide(Status.NEW, Step.CONTACT, facts, NOW, contact=the_day_after).reasons == (
        reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"),
    )


@pytest.mark.parametrize(
    ("sent_at", "allowed"),
    [
        (None, False),
        (DELAY_NOTICE_DUE - timedelta(days=3), True),
        (DELAY_NOTICE_DUE + timedelta(microseconds=1), False),
    ],
    ids=["no notice", "notice in time", "notice too late"],
)
def test_a_term_past_settlement_needs_a_delay_notice_sent_in_time(
    sent_at: datetime | None, allowed: bool
) -> None:
    """R16: more time than four weeks only with a delay notice sent before the 3-week mark."""
    facts = replace(READY, delay_notice_sent_at=sent_at)
    contact = ContactInput(date(2025, 1, 10))
    decision = decide(Status.CONTACTED, Step.CONTACT, facts, NOW, contact=contact)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reasons == (reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"),)


def test_a_contact_hears_every_objection_to_its_term_at_once() -> None:
    """R3, R16: a late complaint, a term in the past and past settlement: both reasons."""
    facts = replace(BARE, settlement_due=NOW - timedelta(days=5))
    contact = ContactInput(NOW.date() - timedelta(days=1))
    assert decide(Status.NEW, Step.CONTACT, facts, NOW, contact=contact).reasons == (
        reason(ReasonCode.AGREED_TERM_IN_PAST, "R3"),
        reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"),
    )


def test_contact_input_with_another_step_is_a_programming_error() -> None:
    """Only CONTACT takes a contact's input."""
    with pytest.raises(ValueError, match="contact input"):
        decide(Status.CONTACTED, Step.PLAN_ACTIONS, READY, NOW, contact=ContactInput(TERM))


@pytest.mark.parametrize(
    "step",
    [Step.PLAN_ACTIONS, Step.PROPOSE_SOLUTION, Step.REFER_TO_DISPUTE, Step.CLOSE_UNSOLVED],
)
def test_nothing_is_planned_proposed_referred_or_closed_before_contact(step: Step) -> None:
    """R3: from NEW, these steps wait for the contact with the customer."""
    assert blocking_reasons(Status.NEW, step, READY, NOW) == (
        reason(ReasonCode.CONTACT_FIRST, "R3"),
    )


def test_what_waits_for_contact_also_lists_what_else_is_missing() -> None:
    """R3, R9: proposing a solution from NEW needs contact and an action plan."""
    assert blocking_reasons(Status.NEW, Step.PROPOSE_SOLUTION, BARE, NOW) == (
        reason(ReasonCode.CONTACT_FIRST, "R3"),
        reason(ReasonCode.ACTION_PLAN_FIRST, "R9"),
    )


# --- R9: the action plan ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.CONTACTED, Status.IN_PROGRESS])
def test_a_solution_says_what_will_be_done(status: Status) -> None:
    """R9: no solution is proposed without at least one action item."""
    assert blocking_reasons(status, Step.PROPOSE_SOLUTION, BARE, NOW) == (
        reason(ReasonCode.ACTION_PLAN_FIRST, "R9"),
    )
    with_plan = replace(BARE, action_count=1, open_action_count=1)
    assert decide(status, Step.PROPOSE_SOLUTION, with_plan, NOW).target is Status.SOLUTION_PROPOSED


@pytest.mark.parametrize(
    "status", [Status.IN_PROGRESS, Status.SOLUTION_PROPOSED, Status.SOLUTION_ACCEPTED]
)
def test_actions_can_be_added_while_the_plan_runs(status: Status) -> None:
    """R9: planning more actions keeps the complaint where it is."""
    assert decide(status, Step.PLAN_ACTIONS, BARE, NOW).target is status


# --- R7 and R10: the customer's view and the follow-up check ----------------------------------


@pytest.mark.parametrize("step", [Step.CONFIRM_SOLVED, Step.REPORT_UNSOLVED])
@pytest.mark.parametrize(
    "status", [Status.NEW, Status.CONTACTED, Status.IN_PROGRESS, Status.SOLUTION_PROPOSED]
)
def test_the_follow_up_check_waits_for_the_customer_to_agree(status: Status, step: Step) -> None:
    """R7: there is nothing to check before the customer accepted the solution."""
    assert blocking_reasons(status, step, READY, NOW) == (
        reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7"),
    )


def test_closing_as_solved_waits_for_the_follow_up_check() -> None:
    """R10: the UX example "eerst nacontrole (R10)" once the customer has agreed."""
    assert blocking_reasons(Status.SOLUTION_ACCEPTED, Step.CLOSE_SOLVED, READY, NOW) == (
        reason(ReasonCode.FOLLOW_UP_CHECK_FIRST, "R10"),
    )


def test_closing_as_solved_early_names_the_check_and_the_missing_view() -> None:
    """R10, R7: before VERIFIED and without a customer view, both are named, the check once."""
    assert blocking_reasons(Status.IN_PROGRESS, Step.CLOSE_SOLVED, BARE, NOW) == (
        reason(ReasonCode.FOLLOW_UP_CHECK_FIRST, "R10"),
        reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7"),
    )


def test_closing_as_solved_hears_every_objection_at_once() -> None:
    """R7, R10, R9: a customer who disagrees, a failed check and an open action, all named."""
    assert blocking_reasons(Status.VERIFIED, Step.CLOSE_SOLVED, TROUBLED, NOW) == (
        reason(ReasonCode.CUSTOMER_DISAGREES, "R7"),
        reason(ReasonCode.FOLLOW_UP_NOT_SOLVED, "R10"),
        reason(ReasonCode.ACTIONS_OPEN, "R9"),
    )


def test_a_verified_complaint_with_nothing_open_closes_as_solved() -> None:
    """R7, R9, R10: agreed, checked, all actions done."""
    decision = decide(Status.VERIFIED, Step.CLOSE_SOLVED, READY, NOW)
    assert decision.target is Status.CLOSED
    assert OUTCOME_OF[Step.CLOSE_SOLVED] is Outcome.SOLVED


def test_closing_as_unsolved_needs_the_customer_involved() -> None:
    """R7: a complaint closes unsolved only once the customer gave a view on a solution."""
    assert blocking_reasons(Status.IN_PROGRESS, Step.CLOSE_UNSOLVED, BARE, NOW) == (
        reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7"),
    )
    for view in CustomerView:
        facts = replace(BARE, customer_view=view)
        assert decide(Status.IN_PROGRESS, Step.CLOSE_UNSOLVED, facts, NOW).allowed


def test_a_rejected_solution_or_a_failed_check_goes_back_to_the_plan() -> None:
    """R7, R10: the customer's no and an unsolved follow-up both return to IN_PROGRESS."""
    rejected = decide(Status.SOLUTION_PROPOSED, Step.REJECT_SOLUTION, BARE, NOW)
    unsolved = decide(Status.SOLUTION_ACCEPTED, Step.REPORT_UNSOLVED, BARE, NOW)
    assert rejected.target is unsolved.target is Status.IN_PROGRESS


# --- R16: delay notice and extension ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "allowed"),
    [
        (None, False),
        (DELAY_NOTICE_DUE - timedelta(days=1), True),
        (DELAY_NOTICE_DUE, True),
        (DELAY_NOTICE_DUE + timedelta(microseconds=1), False),
    ],
    ids=["no notice", "a day early", "at the deadline", "just too late"],
)
def test_an_extension_needs_a_delay_notice_sent_in_time(
    sent_at: datetime | None, allowed: bool
) -> None:
    """R16: no extension past the settlement deadline without a timely delay notice."""
    facts = replace(BARE, delay_notice_sent_at=sent_at, delay_expected_date=EXPECTED)
    decision = decide(Status.IN_PROGRESS, Step.EXTEND, facts, NOW)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reasons == (reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"),)


def test_a_delay_notice_can_be_sent_in_every_open_status_even_late() -> None:
    """R16: telling the customer late is still better than not telling them."""
    late = NOW + timedelta(days=30)
    assert all(decide(s, Step.SEND_DELAY_NOTICE, BARE, late).allowed for s in OPEN_STATUSES)


# --- R11: dispute and binding ruling ----------------------------------------------------------


def test_a_closed_complaint_can_still_go_to_the_third_party() -> None:
    """R11: the customer may engage the third party after closure."""
    assert decide(Status.CLOSED, Step.REFER_TO_DISPUTE, READY, NOW).target is Status.IN_DISPUTE


@pytest.mark.parametrize("step", sorted(set(Step) - {Step.REFER_TO_DISPUTE}))
def test_a_closed_complaint_refuses_every_other_step_with_one_reason(step: Step) -> None:
    """Nothing but a referral reopens a closed complaint; no further reason is added."""
    assert blocking_reasons(Status.CLOSED, step, BARE, NOW) == (
        reason(ReasonCode.COMPLAINT_CLOSED),
    )


def test_in_dispute_only_the_ruling_moves_the_complaint_on() -> None:
    """R11: the third party decides; meanwhile only contact and R16 notices are possible."""
    assert allowed_steps(Status.IN_DISPUTE, READY, NOW) == [
        Step.CONTACT,
        Step.SEND_DELAY_NOTICE,
        Step.EXTEND,
        Step.RECORD_RULING,
    ]
    assert blocking_reasons(Status.IN_DISPUTE, Step.CLOSE_SOLVED, BARE, NOW) == (
        reason(ReasonCode.AWAITING_RULING, "R11"),
    )
    assert blocking_reasons(Status.IN_DISPUTE, Step.REFER_TO_DISPUTE, BARE, NOW) == (
        reason(ReasonCode.NOT_ALLOWED_IN_STATUS),
    )


def test_a_ruling_turns_into_work_on_the_action_plan() -> None:
    """R11: its consequences become action items, so the complaint is in progress again."""
    assert decide(Status.IN_DISPUTE, Step.RECORD_RULING, READY, NOW).target is Status.IN_PROGRESS


@pytest.mark.parametrize("step", sorted(BOUND_BY_RULING))
def test_nobody_can_change_the_outcome_after_a_binding_ruling(step: Step) -> None:
    """R11: where the table would allow it, the step is refused for the ruling alone."""
    status = next(source for source, s in TRANSITIONS if s is step)
    assert decide(status, step, READY, NOW).allowed
    assert blocking_reasons(status, step, RULED, NOW) == (
        reason(ReasonCode.RULING_IS_BINDING, "R11"),
    )


def test_after_a_ruling_only_its_consequences_and_closing_remain() -> None:
    """R11: contact, more actions, R16 notices, and closing after the ruling."""
    assert allowed_steps(Status.IN_PROGRESS, RULED, NOW) == [
        Step.CONTACT,
        Step.PLAN_ACTIONS,
        Step.SEND_DELAY_NOTICE,
        Step.EXTEND,
        Step.CLOSE_AFTER_RULING,
    ]


def test_a_complaint_closed_after_a_ruling_stays_closed() -> None:
    """R11: not even a new referral reopens it."""
    assert allowed_steps(Status.CLOSED, RULED, NOW) == []
    assert blocking_reasons(Status.CLOSED, Step.REFER_TO_DISPUTE, RULED, NOW) == (
        reason(ReasonCode.RULING_IS_BINDING, "R11"),
    )


def test_closing_after_a_ruling_needs_the_ruling_and_its_actions_done() -> None:
    """R11: without a ruling, and with actions open, both reasons are given."""
    facts = replace(BARE, action_count=1, open_action_count=1)
    assert blocking_reasons(Status.IN_PROGRESS, Step.CLOSE_AFTER_RULING, facts, NOW) == (
        reason(ReasonCode.NO_RULING, "R11"),
        reason(ReasonCode.ACTIONS_OPEN, "R11"),
    )
    done = replace(RULED, open_action_count=0)
    assert decide(Status.IN_PROGRESS, Step.CLOSE_AFTER_RULING, done, NOW).target is Status.CLOSED


# --- Everything else --------------------------------------------------------------------------


def test_a_step_the_status_rules_out_gets_the_generic_reason_alone() -> None:
    """A step that makes no sense in a status is not padded with the facts' objections."""
    assert blocking_reasons(Status.CONTACTED, Step.ACCEPT_SOLUTION, BARE, NOW) == (
        reason(ReasonCode.NOT_ALLOWED_IN_STATUS),
    )


def test_standalone_reasons_are_the_ones_no_prerequisite_can_cure() -> None:
    """The closed, not-allowed and ruling reasons are said alone (see decide)."""
    assert {
        ReasonCode.NOT_ALLOWED_IN_STATUS,
        ReasonCode.COMPLAINT_CLOSED,
        ReasonCode.AWAITING_RULING,
        ReasonCode.RULING_IS_BINDING,
    } == STANDALONE_CODES


def test_withdrawal_closes_any_open_complaint_outside_a_dispute() -> None:
    """A customer may withdraw at any time until the third party is involved (R11)."""
    for status in OPEN_STATUSES - {Status.IN_DISPUTE}:
        assert decide(status, Step.WITHDRAW, BARE, NOW).target is Status.CLOSED
    assert OUTCOME_OF[Step.WITHDRAW] is Outcome.WITHDRAWN


def test_allowed_steps_follow_the_order_of_step() -> None:
    """R7, R10: once the customer agreed, the check, planning and closing unsolved are open."""
    without_notice = replace(READY, delay_notice_sent_at=None)
    assert allowed_steps(Status.SOLUTION_ACCEPTED, without_notice, NOW) == [
        Step.CONTACT,
        Step.PLAN_ACTIONS,
        Step.SEND_DELAY_NOTICE,
        Step.CONFIRM_SOLVED,
        Step.REPORT_UNSOLVED,
        Step.CLOSE_UNSOLVED,
        Step.WITHDRAW,
        Step.REFER_TO_DISPUTE,
    ]


@pytest.mark.parametrize(
    ("status", "facts", "expected"),
    [
        (Status.NEW, BARE, Step.CONTACT),
        (Status.CONTACTED, BARE, Step.PLAN_ACTIONS),
        (Status.IN_PROGRESS, READY, Step.PROPOSE_SOLUTION),
        (Status.IN_PROGRESS, BARE, Step.PLAN_ACTIONS),
        (Status.IN_PROGRESS, RULED, Step.CLOSE_AFTER_RULING),
        (Status.IN_PROGRESS, replace(RULED, open_action_count=1), Step.CLOSE_AFTER_RULING),
        (Status.SOLUTION_PROPOSED, READY, Step.ACCEPT_SOLUTION),
        (Status.SOLUTION_ACCEPTED, READY, Step.CONFIRM_SOLVED),
        (Status.VERIFIED, READY, Step.CLOSE_SOLVED),
        (Status.VERIFIED, TROUBLED, Step.CLOSE_SOLVED),
        (Status.IN_DISPUTE, READY, Step.RECORD_RULING),
        (Status.CLOSED, READY, None),
        (Status.SOLUTION_PROPOSED, RULED, None),
    ],
    ids=[
        "new",
        "contacted",
        "in progress",
        "in progress without a plan",
        "in progress after a ruling",
        "in progress after a ruling with actions open",
        "solution proposed",
        "solution accepted",
        "verified",
        "verified but objections",
        "in dispute",
        "closed",
        "main step ruled out by a ruling",
    ],
)
def test_the_main_button_shows_the_next_step_of_the_procedure(
    status: Status, facts: Facts, expected: Step | None
) -> None:
    """UX.md: one button; it may wait for something, but is never ruled out."""
    assert next_step(status, facts, NOW) is expected


def test_the_main_button_says_what_it_waits_for() -> None:
    """UX.md, R11: after a ruling, the close button waits for the open actions."""
    facts = replace(RULED, open_action_count=1)
    step = next_step(Status.IN_PROGRESS, facts, NOW)
    assert step is Step.CLOSE_AFTER_RULING
    assert blocking_reasons(Status.IN_PROGRESS, step, facts, NOW) == (
        reason(ReasonCode.ACTIONS_OPEN, "R11"),
    )


def test_statuses_and_steps_may_come_as_stored_strings() -> None:
    """What the database returns is a plain string; it is judged the same."""
    stored_status: Any = "verified"
    stored_step: Any = "close_solved"
    stored_view: Any = "agrees"
    facts = replace(READY, customer_view=stored_view)
    assert decide(stored_status, stored_step, facts, NOW).target is Status.CLOSED
    assert next_step(stored_status, facts, NOW) is Step.CLOSE_SOLVED


def test_naive_datetimes_are_refused() -> None:
    """Deadlines are Amsterdam instants; a naive datetime's date would depend on the server."""
    naive = datetime(2024, 12, 2, 10, 0)
    with pytest.raises(NaiveDatetimeError, match="now"):
        decide(Status.NEW, Step.CONTACT, BARE, naive)
    with pytest.raises(NaiveDatetimeError, match="delay_notice_sent_at"):
        replace(BARE, delay_notice_sent_at=naive)


@pytest.mark.parametrize(("actions", "still_open"), [(1, 2), (0, -1)])
def test_impossible_action_counts_are_refused(actions: int, still_open: int) -> None:
    """R9: open actions are a part of all actions."""
    with pytest.raises(ValueError, match="open_action_count"):
        replace(BARE, action_count=actions, open_action_count=still_open)


def test_a_decision_cannot_contradict_itself() -> None:
    """An allowed decision has a target and no reasons; a refusal the other way round."""
    with pytest.raises(ValueError, match="inconsistent"):
        Decision(allowed=True, target=None, reasons=())
    with pytest.raises(ValueError, match="inconsistent"):
        Decision(allowed=False, target=None, reasons=())


# --- Properties -------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(AMSTERDAM)
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def any_facts(draw: st.DrawFn) -> Facts:
    """Facts of any complaint, consistent or not with its status."""
    actions = draw(st.integers(0, 4))
    return Facts(
        delay_notice_due=draw(moments),
        settlement_due=draw(moments),
        agreed_term=draw(st.none() | days),
        action_count=actions,
        open_action_count=draw(st.integers(0, actions)),
        customer_view=draw(st.none() | st.sampled_from(CustomerView)),
        follow_up_solved=draw(st.none() | st.booleans()),
        delay_notice_sent_at=draw(st.none() | moments),
        ruling_recorded=draw(st.booleans()),
    )


def assert_the_procedure_holds(status: Status, facts: Facts, now: datetime) -> None:
    """The invariants of R7, R10, R11, R16 for every step in one situation."""
    for step in Step:
        decision = decide(status, step, facts, now)
        assert decision.allowed == (not decision.reasons)
        if not decision.allowed:
            continue
        assert decision.target == TRANSITIONS[status, step]
        if status is Status.CLOSED:
            assert step is Step.REFER_TO_DISPUTE
        if step is Step.CLOSE_SOLVED:
            assert facts.customer_view is CustomerView.AGREES
            assert facts.follow_up_solved is True
            assert facts.open_action_count == 0
        if step is Step.EXTEND:
            assert facts.delay_notice_sent_at is not None
            assert facts.delay_notice_sent_at <= facts.delay_notice_due
        if facts.ruling_recorded:
            assert step not in BOUND_BY_RULING


@settings(max_examples=200, deadline=None, database=None)
@given(status=st.sampled_from(Status), facts=any_facts(), now=moments)
def test_no_facts_let_a_step_past_its_guards(status: Status, facts: Facts, now: datetime) -> None:
    """R7, R10, R11, R16 hold for any facts, even facts no real complaint would have."""
    assert_the_procedure_holds(status, facts, now)


@settings(max_examples=200, deadline=None, database=None)
@given(facts=any_facts(), now=moments, term=st.none() | days)
def test_a_contact_never_promises_a_late_term_without_a_timely_notice(
    facts: Facts, now: datetime, term: date | None
) -> None:
    """R3, R16: an allowed contact leaves a term that is today or later, and within the
    settlement deadline unless a delay notice went out in time."""
    decision = decide(Status.CONTACTED, Step.CONTACT, facts, now, contact=ContactInput(term))
    if decision.allowed and term is not None:
        assert term >= now.date()
        notice = facts.delay_notice_sent_at
        if term >= facts.settlement_due.astimezone(AMSTERDAM).date() + timedelta(days=1):
            assert notice is not None
            assert notice <= facts.delay_notice_due
    if decision.allowed and term is None:
        assert facts.agreed_term is not None


def carry_out(
    step: Step, facts: Facts, now: datetime, contact: ContactInput | None, data: Any
) -> Facts:
    """What the services record when ``step`` is taken, as far as the guards can see."""
    if step is Step.CONTACT and contact is not None and contact.agreed_term is not None:
        return replace(facts, agreed_term=contact.agreed_term)
    if step in (Step.PLAN_ACTIONS, Step.RECORD_RULING):
        added = data.draw(st.integers(0 if step is Step.RECORD_RULING else 1, 3))
        facts = replace(
            facts,
            action_count=facts.action_count + added,
            open_action_count=facts.open_action_count + added,
        )
        return replace(facts, ruling_recorded=facts.ruling_recorded or step is Step.RECORD_RULING)
    recorded: dict[Step, dict[str, Any]] = {
        Step.SEND_DELAY_NOTICE: {"delay_notice_sent_at": facts.delay_notice_sent_at or now},
        Step.PROPOSE_SOLUTION: {"customer_view": None, "follow_up_solved": None},
        Step.ACCEPT_SOLUTION: {"customer_view": CustomerView.AGREES},
        Step.REJECT_SOLUTION: {"customer_view": CustomerView.DISAGREES},
        Step.CONFIRM_SOLVED: {"follow_up_solved": True},
        Step.REPORT_UNSOLVED: {"follow_up_solved": False},
    }
    return replace(facts, **recorded.get(step, {}))


def choose_step(data: st.DataObject, status: Status, facts: Facts, now: datetime) -> Step:
    """Mostly the main button, so walks get far; else any allowed step, or any step at all."""
    main, allowed = next_step(status, facts, now), allowed_steps(status, facts, now)
    how = data.draw(st.sampled_from(["main", "main", "allowed", "any"]), label="how")
    if how == "main" and main is not None:
        return main
    if how == "allowed" and allowed:
        return data.draw(st.sampled_from(allowed), label="allowed step")
    return data.draw(st.sampled_from(Step), label="any step")


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), received=moments)
def test_random_walks_through_the_procedure_keep_its_rules(
    data: st.DataObject, received: datetime
) -> None:
    """From registration on, any sequence of steps, finished actions and passing time keeps
    R7, R10, R11 and R16: nothing leaves CLOSED but a referral, nothing changes the outcome
    after a ruling but closing after it, and an open complaint always has a main step."""
    status = Status.NEW
    facts = Facts(
        delay_notice_due=received + timedelta(days=21), settlement_due=received + timedelta(days=28)
    )
    now = received
    outcome: Outcome | None = None
    for _ in range(data.draw(st.integers(1, 40), label="length")):
        assert_the_procedure_holds(status, facts, now)
        assert (next_step(status, facts, now) is None) == (status is Status.CLOSED)
        move = data.draw(st.sampled_from(["step", "step", "step", "action done", "time passes"]))
        if move == "action done":
            facts = replace(facts, open_action_count=max(0, facts.open_action_count - 1))
            continue
        if move == "time passes":
            now += timedelta(hours=data.draw(st.integers(1, 240)))
            continue
        step = choose_step(data, status, facts, now)
        contact = None
        if step is Step.CONTACT:
            today = now.astimezone(AMSTERDAM).date()
            term = st.dates(
                min_value=today - timedelta(days=3), max_value=today + timedelta(days=60)
            )
            contact = ContactInput(data.draw(st.none() | term, label="term"))
        decision = decide(status, step, facts, now, contact=contact)
        if not decision.allowed:
            assert decision.reasons
            continue
        assert decision.target is not None
        if status is Status.CLOSED:
            assert step is Step.REFER_TO_DISPUTE
            assert decision.target is Status.IN_DISPUTE
        changes_outcome = step in OUTCOME_OF or step is Step.REFER_TO_DISPUTE
        if facts.ruling_recorded and changes_outcome:
            assert step is Step.CLOSE_AFTER_RULING
        if facts.ruling_recorded and outcome is Outcome.RULING:
            pytest.fail(f"{step} was allowed after closing on a binding ruling")
        facts = carry_out(step, facts, now, contact, data)
        status = decision.target
        outcome = OUTCOME_OF.get(step, None if step is Step.REFER_TO_DISPUTE else outcome)


# --- The outcomes a close form offers (issue #10) ----------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_the_close_form_offers_exactly_the_closing_steps_allowed_now(status: Status) -> None:
    """Whatever the facts, an outcome is offered exactly when its step would be allowed."""
    for facts, step in itertools.product(FACT_SETS.values(), OUTCOME_OF):
        offered = closing_steps(status, facts, NOW)
        assert (step in offered) == decide(status, step, facts, NOW).allowed


def test_no_closing_after_the_ruling_without_one() -> None:
    """R11: in progress without a dispute, "afgehandeld na de uitspraak" is not an outcome."""
    facts = replace(READY, customer_view=None, follow_up_solved=None)
    assert closing_steps(Status.IN_PROGRESS, facts, NOW) == [Step.WITHDRAW]
    assert closing_steps(Status.IN_PROGRESS, RULED, NOW) == [Step.CLOSE_AFTER_RULING]
    assert closing_steps(Status.VERIFIED, READY, NOW) == [Step.CLOSE_SOLVED, Step.WITHDRAW]
