"""The life of a complaint: its statuses, the handling steps and the guards on them.

A complaint moves from status to status by *steps*, the handling actions the API exposes.
``TRANSITIONS`` says which step leads from which status to which; ``decide`` adds the guards the
procedure puts on a step (R3, R7, R9, R10, R11, R16) and collects every reason that blocks it,
so the complaint page can show the next step with "eerst nacontrole (R10)" next to it (UX.md).

Reasons are stable codes with a rule ID, never text: the Django layer translates them. Time is
an argument (``now``), never read from a clock. All dates are Europe/Amsterdam dates
(PROCEDURE.md, "Deadlines, exactly"), whatever time zone the given datetimes carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from klachten.domain.delay_notice import settlement_goal
from klachten.domain.workdays import AMSTERDAM, end_of_day, require_aware


class Status(StrEnum):
    """Where a complaint stands. The values are stored in the database: never change them."""

    NEW = "new"  # registered, management informed (R3)
    CONTACTED = "contacted"  # customer contacted, term agreed (R3)
    IN_PROGRESS = "in_progress"  # the action plan is being carried out (R9)
    SOLUTION_PROPOSED = "solution_proposed"  # waiting for the customer's view (R7)
    SOLUTION_ACCEPTED = "solution_accepted"  # customer agreed; follow-up check to come (R10)
    VERIFIED = "verified"  # the follow-up check confirmed it is solved (R10)
    CLOSED = "closed"
    IN_DISPUTE = "in_dispute"  # referred to the independent third party (R11)


OPEN_STATUSES: Final = frozenset(Status) - {Status.CLOSED}


class Outcome(StrEnum):
    """How a complaint was closed. The values are stored in the database: never change them."""

    SOLVED = "solved"
    UNSOLVED = "unsolved"
    WITHDRAWN = "withdrawn"
    RULING = "ruling"  # closed after carrying out the third party's binding ruling (R11)


class Step(StrEnum):
    """A handling step, named as the API names it. The values are stable identifiers."""

    CONTACT = "contact"  # record a contact moment and the agreed term (R3)
    PLAN_ACTIONS = "plan_actions"  # make or extend the action plan: what, who, when (R9)
    SEND_DELAY_NOTICE = "send_delay_notice"  # reason and expected date (R16)
    EXTEND = "extend"  # move the settlement goal to the delay notice's expected date (R16)
    PROPOSE_SOLUTION = "propose_solution"  # put the solution to the customer (R7, R9)
    ACCEPT_SOLUTION = "accept_solution"  # the customer's view: agrees (R7)
    REJECT_SOLUTION = "reject_solution"  # the customer's view: disagrees (R7)
    CONFIRM_SOLVED = "confirm_solved"  # follow-up check: really solved (R10)
    REPORT_UNSOLVED = "report_unsolved"  # follow-up check: not solved after all (R10)
    CLOSE_SOLVED = "close_solved"
    CLOSE_UNSOLVED = "close_unsolved"
    WITHDRAW = "withdraw"  # the customer withdraws the complaint
    REFER_TO_DISPUTE = "refer_to_dispute"  # the customer goes to the third party (R11)
    RECORD_RULING = "record_ruling"  # the binding ruling; its consequences become actions (R11)
    CLOSE_AFTER_RULING = "close_after_ruling"  # the ruling has been carried out (R11)


RULES_OF_STEP: Final[Mapping[Step, tuple[str, ...]]] = MappingProxyType(
    {
        Step.CONTACT: ("R3", "R16"),
        Step.PLAN_ACTIONS: ("R9",),
        Step.SEND_DELAY_NOTICE: ("R16",),
        Step.EXTEND: ("R16",),
        Step.PROPOSE_SOLUTION: ("R7", "R9"),
        Step.ACCEPT_SOLUTION: ("R7",),
        Step.REJECT_SOLUTION: ("R7",),
        Step.CONFIRM_SOLVED: ("R10",),
        Step.REPORT_UNSOLVED: ("R10",),
        Step.CLOSE_SOLVED: ("R7", "R9", "R10"),
        Step.CLOSE_UNSOLVED: ("R7",),
        Step.WITHDRAW: (),
        Step.REFER_TO_DISPUTE: ("R11",),
        Step.RECORD_RULING: ("R11",),
        Step.CLOSE_AFTER_RULING: ("R11",),
    }
)
"""The procedure rules each step serves; a binding ruling (R11) may refuse most of them too."""

TRANSITIONS: Final[Mapping[tuple[Status, Step], Status]] = MappingProxyType(
    {
        # Registered; management informed (R3).
        (Status.NEW, Step.CONTACT): Status.CONTACTED,
        (Status.NEW, Step.SEND_DELAY_NOTICE): Status.NEW,
        (Status.NEW, Step.EXTEND): Status.NEW,
        (Status.NEW, Step.WITHDRAW): Status.CLOSED,
        # Customer contacted, term agreed (R3).
        (Status.CONTACTED, Step.CONTACT): Status.CONTACTED,
        (Status.CONTACTED, Step.PLAN_ACTIONS): Status.IN_PROGRESS,
        (Status.CONTACTED, Step.SEND_DELAY_NOTICE): Status.CONTACTED,
        (Status.CONTACTED, Step.EXTEND): Status.CONTACTED,
        (Status.CONTACTED, Step.PROPOSE_SOLUTION): Status.SOLUTION_PROPOSED,
        (Status.CONTACTED, Step.CLOSE_UNSOLVED): Status.CLOSED,
        (Status.CONTACTED, Step.WITHDRAW): Status.CLOSED,
        (Status.CONTACTED, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        # The action plan is being carried out (R9).
        (Status.IN_PROGRESS, Step.CONTACT): Status.IN_PROGRESS,
        (Status.IN_PROGRESS, Step.PLAN_ACTIONS): Status.IN_PROGRESS,
        (Status.IN_PROGRESS, Step.SEND_DELAY_NOTICE): Status.IN_PROGRESS,
        (Status.IN_PROGRESS, Step.EXTEND): Status.IN_PROGRESS,
        (Status.IN_PROGRESS, Step.PROPOSE_SOLUTION): Status.SOLUTION_PROPOSED,
        (Status.IN_PROGRESS, Step.CLOSE_UNSOLVED): Status.CLOSED,
        (Status.IN_PROGRESS, Step.WITHDRAW): Status.CLOSED,
        (Status.IN_PROGRESS, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        (Status.IN_PROGRESS, Step.CLOSE_AFTER_RULING): Status.CLOSED,
        # Waiting for the customer's view on the solution (R7).
        (Status.SOLUTION_PROPOSED, Step.CONTACT): Status.SOLUTION_PROPOSED,
        (Status.SOLUTION_PROPOSED, Step.PLAN_ACTIONS): Status.SOLUTION_PROPOSED,
        (Status.SOLUTION_PROPOSED, Step.SEND_DELAY_NOTICE): Status.SOLUTION_PROPOSED,
        (Status.SOLUTION_PROPOSED, Step.EXTEND): Status.SOLUTION_PROPOSED,
        (Status.SOLUTION_PROPOSED, Step.ACCEPT_SOLUTION): Status.SOLUTION_ACCEPTED,
        (Status.SOLUTION_PROPOSED, Step.REJECT_SOLUTION): Status.IN_PROGRESS,
        (Status.SOLUTION_PROPOSED, Step.CLOSE_UNSOLVED): Status.CLOSED,
        (Status.SOLUTION_PROPOSED, Step.WITHDRAW): Status.CLOSED,
        (Status.SOLUTION_PROPOSED, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        # The customer agreed; the follow-up check is to come (R10).
        (Status.SOLUTION_ACCEPTED, Step.CONTACT): Status.SOLUTION_ACCEPTED,
        (Status.SOLUTION_ACCEPTED, Step.PLAN_ACTIONS): Status.SOLUTION_ACCEPTED,
        (Status.SOLUTION_ACCEPTED, Step.SEND_DELAY_NOTICE): Status.SOLUTION_ACCEPTED,
        (Status.SOLUTION_ACCEPTED, Step.EXTEND): Status.SOLUTION_ACCEPTED,
        (Status.SOLUTION_ACCEPTED, Step.CONFIRM_SOLVED): Status.VERIFIED,
        (Status.SOLUTION_ACCEPTED, Step.REPORT_UNSOLVED): Status.IN_PROGRESS,
        (Status.SOLUTION_ACCEPTED, Step.CLOSE_UNSOLVED): Status.CLOSED,
        (Status.SOLUTION_ACCEPTED, Step.WITHDRAW): Status.CLOSED,
        (Status.SOLUTION_ACCEPTED, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        # The follow-up check confirmed it is solved (R10).
        (Status.VERIFIED, Step.CONTACT): Status.VERIFIED,
        (Status.VERIFIED, Step.SEND_DELAY_NOTICE): Status.VERIFIED,
        (Status.VERIFIED, Step.EXTEND): Status.VERIFIED,
        (Status.VERIFIED, Step.CLOSE_SOLVED): Status.CLOSED,
        (Status.VERIFIED, Step.WITHDRAW): Status.CLOSED,
        (Status.VERIFIED, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        # Closed; the customer may still go to the third party (R11).
        (Status.CLOSED, Step.REFER_TO_DISPUTE): Status.IN_DISPUTE,
        # With the third party, whose ruling is binding (R11).
        (Status.IN_DISPUTE, Step.CONTACT): Status.IN_DISPUTE,
        (Status.IN_DISPUTE, Step.SEND_DELAY_NOTICE): Status.IN_DISPUTE,
        (Status.IN_DISPUTE, Step.EXTEND): Status.IN_DISPUTE,
        (Status.IN_DISPUTE, Step.RECORD_RULING): Status.IN_PROGRESS,
    }
)
"""Which step leads from which status to which, before any guard is asked."""

OUTCOME_OF: Final[Mapping[Step, Outcome]] = MappingProxyType(
    {
        Step.CLOSE_SOLVED: Outcome.SOLVED,
        Step.CLOSE_UNSOLVED: Outcome.UNSOLVED,
        Step.WITHDRAW: Outcome.WITHDRAWN,
        Step.CLOSE_AFTER_RULING: Outcome.RULING,
    }
)
"""The outcome each closing step records."""

BOUND_BY_RULING: Final = frozenset(
    {
        Step.PROPOSE_SOLUTION,
        Step.ACCEPT_SOLUTION,
        Step.REJECT_SOLUTION,
        Step.CONFIRM_SOLVED,
        Step.REPORT_UNSOLVED,
        Step.CLOSE_SOLVED,
        Step.CLOSE_UNSOLVED,
        Step.WITHDRAW,
        Step.REFER_TO_DISPUTE,
        Step.RECORD_RULING,
    }
)
"""R11: the steps that would change the outcome, refused once a binding ruling is recorded."""


class CustomerView(StrEnum):
    """The customer's view on the proposed solution (R7)."""

    AGREES = "agrees"
    DISAGREES = "disagrees"


class ReasonCode(StrEnum):
    """Why a step is refused: stable codes, translated by the Django layer."""

    NOT_ALLOWED_IN_STATUS = "not_allowed_in_status"
    COMPLAINT_CLOSED = "complaint_closed"
    CONTACT_FIRST = "contact_first"
    AGREED_TERM_REQUIRED = "agreed_term_required"
    AGREED_TERM_IN_PAST = "agreed_term_in_past"
    DELAY_NOTICE_REQUIRED = "delay_notice_required"
    EXTENSION_NOT_LATER = "extension_not_later"
    ACTION_PLAN_FIRST = "action_plan_first"
    ACTIONS_OPEN = "actions_open"
    CUSTOMER_VIEW_FIRST = "customer_view_first"
    CUSTOMER_DISAGREES = "customer_disagrees"
    FOLLOW_UP_CHECK_FIRST = "follow_up_check_first"
    FOLLOW_UP_NOT_SOLVED = "follow_up_not_solved"
    AWAITING_RULING = "awaiting_ruling"
    RULING_IS_BINDING = "ruling_is_binding"
    NO_RULING = "no_ruling"


STANDALONE_CODES: Final = frozenset(
    {
        ReasonCode.NOT_ALLOWED_IN_STATUS,
        ReasonCode.COMPLAINT_CLOSED,
        ReasonCode.AWAITING_RULING,
        ReasonCode.RULING_IS_BINDING,
    }
)
"""Refusals that are said alone: no other step taken now would make the step possible.

Every other code names something still to be done first, and all of those are listed together.
"""


@dataclass(frozen=True)
class Reason:
    """One reason a step is refused: a stable code and the rule it serves ("" if none)."""

    code: ReasonCode
    rule: str


@dataclass(frozen=True)
class Decision:
    """Whether a step may be taken now, the status it leads to, and why not if it may not.

    ``target`` is set exactly when the step is allowed; ``reasons`` is empty exactly then.
    """

    allowed: bool
    target: Status | None
    reasons: tuple[Reason, ...]

    def __post_init__(self) -> None:
        """Refuse a decision that contradicts itself."""
        if self.allowed != (self.target is not None) or self.allowed == bool(self.reasons):
            raise ValueError(f"inconsistent decision: {self!r}")


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What the guards need to know about one complaint besides its status.

    ``customer_view`` and ``follow_up_solved`` are about the solution proposed last: the
    service that proposes a new solution clears them. A naive datetime raises
    ``NaiveDatetimeError``, as it does everywhere in the domain (``workdays``).
    """

    delay_notice_due: datetime  # R16: end of the 21st day after receipt
    settlement_due: datetime  # R16: end of the 28th day after receipt
    agreed_term: date | None = None  # R3: the term agreed with the customer so far
    action_count: int = 0  # R9
    open_action_count: int = 0  # R9: actions not yet done
    customer_view: CustomerView | None = None  # R7
    follow_up_solved: bool | None = None  # R10: None until the follow-up check is done
    delay_notice_sent_at: datetime | None = None  # R16
    delay_expected_date: date | None = None  # R16: the date the delay notice gave
    extended_until: date | None = None  # R16: the settlement goal after an extension
    ruling_recorded: bool = False  # R11

    def __post_init__(self) -> None:
        """Refuse facts no complaint can have; take a customer view as stored ("agrees")."""
        if self.customer_view is not None:
            object.__setattr__(self, "customer_view", CustomerView(self.customer_view))
        for name in ("delay_notice_due", "settlement_due", "delay_notice_sent_at"):
            moment = getattr(self, name)
            if moment is not None:
                require_aware(moment, name)
        if not 0 <= self.open_action_count <= self.action_count:
            raise ValueError(
                f"open_action_count {self.open_action_count} must lie between 0 and "
                f"action_count {self.action_count}"
            )


@dataclass(frozen=True)
class ContactInput:
    """What a CONTACT step is about to record (R3).

    ``agreed_term`` is the term agreed in this contact; ``None`` keeps the term agreed before,
    which is allowed for further contact moments but not for the first one.
    """

    agreed_term: date | None = None


_MAIN_STEP: Final[Mapping[Status, Step]] = MappingProxyType(
    {
        Status.NEW: Step.CONTACT,
        Status.CONTACTED: Step.PLAN_ACTIONS,
        Status.IN_PROGRESS: Step.PROPOSE_SOLUTION,
        Status.SOLUTION_PROPOSED: Step.ACCEPT_SOLUTION,
        Status.SOLUTION_ACCEPTED: Step.CONFIRM_SOLVED,
        Status.VERIFIED: Step.CLOSE_SOLVED,
        Status.IN_DISPUTE: Step.RECORD_RULING,
    }
)

_BEFORE_CUSTOMER_AGREED: Final = frozenset(
    {Status.NEW, Status.CONTACTED, Status.IN_PROGRESS, Status.SOLUTION_PROPOSED}
)
_BEFORE_FOLLOW_UP_CHECK: Final = _BEFORE_CUSTOMER_AGREED | {Status.SOLUTION_ACCEPTED}
_NEEDS_CONTACT_FIRST: Final = frozenset(
    {Step.PLAN_ACTIONS, Step.PROPOSE_SOLUTION, Step.REFER_TO_DISPUTE, Step.CLOSE_UNSOLVED}
)


def decide(
    status: Status,
    step: Step,
    facts: Facts,
    now: datetime,
    *,
    contact: ContactInput | None = None,
) -> Decision:
    """Decide whether ``step`` may be taken now on a complaint in ``status``.

    Without ``contact``, a CONTACT step is judged as the button on the complaint page: may a
    contact be recorded at all? With it, the agreed term is checked too (R3, R16), as the
    service does before recording. ``contact`` with any other step is a programming error
    (``ValueError``); a naive ``now`` raises ``NaiveDatetimeError``.

    A refusal because of the status or a binding ruling (``STANDALONE_CODES``) is given alone;
    otherwise every missing prerequisite is listed, each once, in a stable order.
    """
    require_aware(now, "now")
    status, step = Status(status), Step(step)  # a plain string from the database works too
    if contact is not None and step is not Step.CONTACT:
        raise ValueError(f"contact input given for step {step!r}")
    target = TRANSITIONS.get((status, step))
    reasons: list[Reason] = []
    if target is None:
        reasons.append(_refusal_in(status, step))
    if facts.ruling_recorded and step in BOUND_BY_RULING:
        reasons.append(Reason(ReasonCode.RULING_IS_BINDING, "R11"))
    standalone = [reason for reason in reasons if reason.code in STANDALONE_CODES]
    if standalone:
        return Decision(allowed=False, target=None, reasons=tuple(standalone))
    reasons.extend(_guard(step, facts, now, contact))
    if reasons:
        return Decision(allowed=False, target=None, reasons=tuple(dict.fromkeys(reasons)))
    return Decision(allowed=True, target=target, reasons=())


def allowed_steps(status: Status, facts: Facts, now: datetime) -> list[Step]:
    """The steps that may be taken now, in the order of ``Step``."""
    return [step for step in Step if decide(status, step, facts, now).allowed]


def closing_steps(status: Status, facts: Facts, now: datetime) -> list[Step]:
    """The closing steps that may be taken now, in the order of ``OUTCOME_OF``: the outcomes
    a close form offers. No "closed after the ruling" without a ruling (R11), no "solved"
    before the customer's view and the follow-up check (R7, R10)."""
    return [step for step in OUTCOME_OF if decide(status, step, facts, now).allowed]


def blocking_reasons(status: Status, step: Step, facts: Facts, now: datetime) -> tuple[Reason, ...]:
    """Why ``step`` may not be taken now; empty if it may ("eerst nacontrole, R10", UX.md)."""
    return decide(status, step, facts, now).reasons


def next_step(status: Status, facts: Facts, now: datetime) -> Step | None:
    """The one step the complaint page offers as its main button (UX.md).

    The step may still wait for something (``blocking_reasons`` says what), but it is never
    ruled out by the status or a binding ruling; then there is no main step and this is
    ``None``, as it is for a closed complaint. Whether a delay notice is needed first (R16) is
    the handler's judgement, so it is never proposed here.
    """
    status = Status(status)
    step = _MAIN_STEP.get(status)
    if status is Status.IN_PROGRESS:
        if facts.ruling_recorded:
            step = Step.CLOSE_AFTER_RULING  # R11: carry out the ruling, then close
        elif facts.action_count == 0:
            step = Step.PLAN_ACTIONS  # R9: a solution says what will be done
    if step is None:
        return None
    reasons = decide(status, step, facts, now).reasons
    if any(reason.code in STANDALONE_CODES for reason in reasons):
        return None
    return step


def _refusal_in(status: Status, step: Step) -> Reason:
    """Why the table has no ``step`` from ``status``: what comes first, where that is clear."""
    if status is Status.CLOSED:
        return Reason(ReasonCode.COMPLAINT_CLOSED, "")
    if status is Status.IN_DISPUTE and step is not Step.REFER_TO_DISPUTE:
        return Reason(ReasonCode.AWAITING_RULING, "R11")
    if status is Status.NEW and step in _NEEDS_CONTACT_FIRST:
        return Reason(ReasonCode.CONTACT_FIRST, "R3")
    if step in (Step.CONFIRM_SOLVED, Step.REPORT_UNSOLVED) and status in _BEFORE_CUSTOMER_AGREED:
        return Reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7")
    if step is Step.CLOSE_SOLVED and status in _BEFORE_FOLLOW_UP_CHECK:
        return Reason(ReasonCode.FOLLOW_UP_CHECK_FIRST, "R10")
    return Reason(ReasonCode.NOT_ALLOWED_IN_STATUS, "")


def _guard(step: Step, facts: Facts, now: datetime, contact: ContactInput | None) -> list[Reason]:
    """What the facts still lack for ``step``, whatever the status."""
    reasons: list[Reason] = []
    if step is Step.CONTACT and contact is not None:
        reasons.extend(_agreed_term_reasons(facts, now, contact.agreed_term))
    elif step is Step.EXTEND:
        if not _delay_notice_in_time(facts):
            reasons.append(Reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"))
        elif not _extension_is_later(facts):
            reasons.append(Reason(ReasonCode.EXTENSION_NOT_LATER, "R16"))
    elif step is Step.PROPOSE_SOLUTION:
        if facts.action_count == 0:
            reasons.append(Reason(ReasonCode.ACTION_PLAN_FIRST, "R9"))
    elif step is Step.CLOSE_SOLVED:
        if facts.customer_view is None:
            reasons.append(Reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7"))
        elif facts.customer_view != CustomerView.AGREES:
            reasons.append(Reason(ReasonCode.CUSTOMER_DISAGREES, "R7"))
        if facts.follow_up_solved is None:
            reasons.append(Reason(ReasonCode.FOLLOW_UP_CHECK_FIRST, "R10"))
        elif not facts.follow_up_solved:
            reasons.append(Reason(ReasonCode.FOLLOW_UP_NOT_SOLVED, "R10"))
        if facts.open_action_count:
            reasons.append(Reason(ReasonCode.ACTIONS_OPEN, "R9"))
    elif step is Step.CLOSE_UNSOLVED:
        if facts.customer_view is None:
            reasons.append(Reason(ReasonCode.CUSTOMER_VIEW_FIRST, "R7"))
    elif step is Step.CLOSE_AFTER_RULING:
        if not facts.ruling_recorded:
            reasons.append(Reason(ReasonCode.NO_RULING, "R11"))
        if facts.open_action_count:
            reasons.append(Reason(ReasonCode.ACTIONS_OPEN, "R11"))
    return reasons


def _agreed_term_reasons(facts: Facts, now: datetime, proposed: date | None) -> list[Reason]:
    """R3: a contact leaves a term agreed; R16: a term past settlement needs a delay notice.

    Only a newly proposed term is checked against today and the settlement deadline; a further
    contact that keeps an earlier term may well take place after that term has passed.
    """
    if proposed is None:
        if facts.agreed_term is None:
            return [Reason(ReasonCode.AGREED_TERM_REQUIRED, "R3")]
        return []
    reasons: list[Reason] = []
    if proposed < now.astimezone(AMSTERDAM).date():
        reasons.append(Reason(ReasonCode.AGREED_TERM_IN_PAST, "R3"))
    if end_of_day(proposed) > facts.settlement_due and not _delay_notice_in_time(facts):
        reasons.append(Reason(ReasonCode.DELAY_NOTICE_REQUIRED, "R16"))
    return reasons


def _extension_is_later(facts: Facts) -> bool:
    """R16: an extension moves the settlement deadline in force later, never earlier."""
    expected = facts.delay_expected_date
    return expected is not None and end_of_day(expected) > settlement_goal(
        facts.settlement_due, facts.extended_until
    )


def _delay_notice_in_time(facts: Facts) -> bool:
    """R16: a delay notice was sent no later than its deadline."""
    sent_at = facts.delay_notice_sent_at
    return sent_at is not None and sent_at <= facts.delay_notice_due
