"""Reads of the public pages: the customer's own case, by the token of their status link.

The status page shows what the customer may know of their own case and nothing else: no
report, no staff notes, no audit log, no other customer (R2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import ActionItem, Complaint, SatisfactionSurvey
from klachten.core.errors import NotFound
from klachten.domain import status_code
from klachten.domain.lifecycle import Outcome, Status
from klachten.messaging.models import CustomerMessage
from klachten.messaging.selectors import incoming_messages

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")

STATUS_WORDS = {
    Status.NEW: _("Ontvangen"),
    Status.CONTACTED: _("We hebben contact met u gehad"),
    Status.IN_PROGRESS: _("We werken aan een oplossing"),
    Status.SOLUTION_PROPOSED: _("We hebben u een oplossing voorgelegd"),
    Status.SOLUTION_ACCEPTED: _("U bent akkoord met de oplossing; we voeren haar uit"),
    Status.VERIFIED: _("Opgelost; we ronden af"),
    Status.CLOSED: _("Afgerond"),
    Status.IN_DISPUTE: _("Voorgelegd aan de onafhankelijke derde"),
}
OUTCOME_WORDS = {
    Outcome.SOLVED: _("Afgerond: het is opgelost"),
    Outcome.UNSOLVED: _("Afgerond"),
    Outcome.WITHDRAWN: _("Afgerond: ingetrokken op uw verzoek"),
    Outcome.RULING: _("Afgerond na de uitspraak van de onafhankelijke derde"),
}


@dataclass(frozen=True)
class PlannedAction:
    """One line of the action plan as the customer sees it: what, who, when (R9)."""

    what: str
    who: str
    due: date
    done: bool


@dataclass(frozen=True)
class Said:
    """One message of the conversation as the customer sees it: ours (``ours``) or theirs,
    by e-mail, letter or on this page, with the names of their files."""

    at: datetime
    ours: bool
    channel: str
    subject: str
    text: str
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StatusPage:
    """Everything the status page shows, and nothing more."""

    complaint: Complaint
    status_words: str
    actions: list[PlannedAction]
    card: Staff | None  # R14: the responsible employee, once someone took the report up
    asks_view: bool  # R7: a solution waits for the customer's view
    asks_follow_up: bool  # R10: the handler asked "is it solved for you?"
    messages: list[CustomerMessage]  # what was sent to the customer, exactly as sent
    asks_satisfaction: bool  # R1: after closing, how satisfied they are (once)
    satisfaction: SatisfactionSurvey | None
    conversation: list[Said] = field(default_factory=list)  # both ways, oldest first (#13)

    @property
    def may_write(self) -> bool:
        """The customer may write to us while the case is open (#13)."""
        return self.complaint.status != Status.CLOSED

    @property
    def settlement_goal(self) -> date | datetime:
        """By when it is settled (R16): the extended date after a delay notice, else the end
        of the fourth week."""
        return self.complaint.extended_until or self.complaint.settlement_due


def complaint_for_token(token: str) -> Complaint:
    """The complaint whose status link carries ``token``; NotFound for an unknown, revoked
    or erased one (R5), and for anything that is not a token at all (no query then)."""
    if not TOKEN.fullmatch(token or ""):
        raise NotFound("not_found", _("Deze pagina bestaat niet (meer)."))
    complaint = (
        Complaint.objects.select_related("handler", "satisfaction")
        .filter(status_token=token, status_token__isnull=False)
        .first()
    )
    if complaint is None:
        raise NotFound("not_found", _("Deze pagina bestaat niet (meer)."))
    return complaint


def complaint_for_code(typed: str) -> Complaint:
    """The complaint whose status link has the short code ``typed`` (as printed on a letter,
    typed in any case, with or without the dash); NotFound otherwise. Only the code's digest
    is stored; the code is checked against the live token again."""
    code = status_code.normalised(typed or "")
    if code is None:
        raise NotFound("not_found", _("Deze code kennen we niet."))
    complaint = (
        Complaint.objects.filter(
            status_code_digest=status_code.digest(code), status_token__isnull=False
        )
        .only("pk", "status_token")
        .first()
    )
    if complaint is None or status_code.code_for(str(complaint.status_token)) != code:
        raise NotFound("not_found", _("Deze code kennen we niet."))
    return complaint


def status_page(complaint: Complaint) -> StatusPage:
    """What the customer sees of their case: one query for the action plan, one for the
    messages sent (e-mails sent, letters posted; drafts never)."""
    actions = [
        PlannedAction(
            what=item.what, who=str(item.who), due=item.due, done=item.done_at is not None
        )
        for item in ActionItem.objects.filter(complaint=complaint)
        .select_related("who")
        .order_by("due", "id")
    ]
    status = Status(complaint.status)
    try:
        survey: SatisfactionSurvey | None = complaint.satisfaction
    except SatisfactionSurvey.DoesNotExist:
        survey = None
    sent = list(
        CustomerMessage.objects.filter(complaint=complaint, sent_at__isnull=False).order_by(
            "-sent_at", "-id"
        )
    )
    words = STATUS_WORDS[status]
    if status == Status.CLOSED and complaint.outcome:
        words = OUTCOME_WORDS[Outcome(complaint.outcome)]
    return StatusPage(
        complaint=complaint,
        status_words=str(words),
        actions=actions,
        card=complaint.handler,
        asks_view=status == Status.SOLUTION_PROPOSED and not complaint.customer_view,
        asks_follow_up=status == Status.SOLUTION_ACCEPTED
        and complaint.follow_up_requested_at is not None
        and complaint.follow_up_solved is None,
        asks_satisfaction=survey is not None
        and survey.answered_at is None
        and status == Status.CLOSED,
        satisfaction=survey,
        messages=sent,
        conversation=_conversation(complaint, sent),
    )


def _conversation(complaint: Complaint, sent: list[CustomerMessage]) -> list[Said]:
    """What we sent and what the customer sent, oldest first (#13; two more queries)."""
    said = [
        Said(
            at=message.sent_at or message.created_at,
            ours=True,
            channel=message.channel,
            subject=message.subject,
            text=message.body,
        )
        for message in sent
    ]
    said.extend(
        Said(
            at=message.received_at,
            ours=False,
            channel=message.channel,
            subject=message.subject,
            text=message.text,
            files=[file.original_name for file in message.attachments.all()],
        )
        for message in incoming_messages(complaint)
    )
    return sorted(said, key=lambda item: item.at)
