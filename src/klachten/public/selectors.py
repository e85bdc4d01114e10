"""Reads of the public pages: the customer's own case, by the token of their status link.

The status page shows what the customer may know of their own case and nothing else: no
staff notes, no audit log, no other customer (R2). Of the report (R5) it shows only what the
customer wrote themself on the website form, recognised by the form's own layout; a report
written down by an employee stays with the staff (it is internal and may use words the
customer never reads, R13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import ActionItem, Channel, Complaint, SatisfactionSurvey
from klachten.complaints.selectors import status_token_for
from klachten.core.errors import NotFound
from klachten.domain import status_code, status_link
from klachten.domain.lifecycle import Outcome, Status
from klachten.messaging.models import CustomerMessage
from klachten.messaging.selectors import incoming_messages

# domain.status_link: 43 characters of the URL-safe base64 alphabet (and links from before #15,
# secrets.token_urlsafe(32), the same).
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


# The customer's five steps, in order (issue 14): ontvangen → contact → plan → oplossing →
# afgerond. Each status stands on one of them; a dispute stands where the case had got to.
PROGRESS_STEPS = (_("Ontvangen"), _("Contact"), _("Plan"), _("Oplossing"), _("Afgerond"))
STEP_OF_STATUS = {
    Status.NEW: 0,
    Status.CONTACTED: 1,
    Status.IN_PROGRESS: 2,
    Status.SOLUTION_PROPOSED: 3,
    Status.SOLUTION_ACCEPTED: 3,
    Status.VERIFIED: 3,
    Status.CLOSED: 4,
}

# How a report reached us when it was not typed on the website form.
CHANNEL_WORDS = {
    Channel.PHONE: _("U heeft uw melding telefonisch aan ons doorgegeven."),
    Channel.DESK: _("U heeft uw melding aan de balie aan ons doorgegeven."),
    Channel.EMAIL: _("U heeft uw melding per e-mail aan ons gestuurd."),
    Channel.LETTER: _("U heeft uw melding per brief aan ons gestuurd."),
    Channel.WEB: _("U heeft uw melding via onze website aan ons gestuurd."),
}

# Above this many characters the customer's own words start folded away (<details>).
LONG_REPORT = 600


@dataclass(frozen=True)
class ProgressStep:
    """One step of the stepper: done, the current one, or still to come."""

    label: str
    done: bool
    current: bool


@dataclass(frozen=True)
class OwnWords:
    """One part of what the customer wrote on the form: the question and their answer."""

    label: str
    text: str


def progress(complaint: Complaint, *, has_plan: bool) -> list[ProgressStep]:
    """The stepper: every step before the current one is done; a closed case has all five
    done. In a dispute (R11) the case stands where it had got to, and is not settled."""
    status = Status(complaint.status)
    if status in STEP_OF_STATUS:
        at = STEP_OF_STATUS[status]
    elif complaint.solution_proposed_at:
        at = 3
    elif has_plan:
        at = 2
    elif complaint.contacted_at:
        at = 1
    else:
        at = 0
    closed = status == Status.CLOSED
    return [
        ProgressStep(label=str(label), done=index < at or closed, current=index == at)
        for index, label in enumerate(PROGRESS_STEPS)
    ]


def _web_report_layout() -> re.Pattern[str]:
    """The layout ``services.web_report_text`` gives a report from the form, in the
    organisation's language: course, what happened, the wish (optional), the form's line."""
    with translation.override(settings.LANGUAGE_CODE):
        course = re.escape(gettext("Cursus of training"))
        happened = re.escape(gettext("Wat is er misgegaan"))
        wish = re.escape(gettext("Wat de klant graag wil"))
        sent = re.escape(
            gettext("Via het formulier op de website, ingevuld in het %(language)s.")
        ).replace(re.escape("%(language)s"), "[^\\n]+")
    return re.compile(
        rf"{course}: (?P<course>.*?)\n\n{happened}:\n(?P<happened>.*?)"
        rf"(?:\n\n{wish}:\n(?P<wish>.*?))?\n\n{sent}",
        re.DOTALL,
    )


def own_words(complaint: Complaint) -> list[OwnWords]:
    """What the customer wrote on the website form, as they wrote it; nothing for a report
    that an employee wrote down (phone, desk, letter) or that no longer has the form's
    layout: that one is the staff's (R2, R5)."""
    if complaint.channel != Channel.WEB:
        return []
    found = _web_report_layout().fullmatch(complaint.report.strip())
    if found is None:
        return []
    parts = [
        OwnWords(label=str(_("Cursus of training")), text=found["course"]),
        OwnWords(label=str(_("Wat is er misgegaan?")), text=found["happened"]),
    ]
    if found["wish"]:
        parts.append(OwnWords(label=str(_("Wat u graag wilt")), text=found["wish"]))
    return parts


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
    progress: list[ProgressStep] = field(default_factory=list)  # the stepper (issue 14)
    own_words: list[OwnWords] = field(default_factory=list)  # what they wrote on the form
    channel_words: str = ""  # how the report reached us

    @property
    def own_words_long(self) -> bool:
        """Long words start folded away, so the page stays short on a phone."""
        return sum(len(part.text) for part in self.own_words) > LONG_REPORT

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
    or erased one (R5), one made under a key no longer configured, and for anything that is
    not a token at all (no query then).

    Only the token's digest is stored (#15 item 5): the unique index on it finds the row, and
    the token must be the one the complaint's nonce gives under a configured key.
    """
    if not TOKEN.fullmatch(token or ""):
        raise NotFound("not_found", _("Deze pagina bestaat niet (meer)."))
    complaint = (
        Complaint.objects.select_related("handler", "satisfaction")
        .filter(status_token_digest=status_link.digest(token))
        .first()
    )
    if complaint is None or status_token_for(complaint) != token:
        raise NotFound("not_found", _("Deze pagina bestaat niet (meer)."))
    return complaint


def status_token_for_code(typed: str) -> str:
    """The token of the status link with the short code ``typed`` (as printed on a letter,
    typed in any case, with or without the dash); NotFound otherwise. Only the code's digest
    is stored; the code is checked against the live link again, rebuilt from its nonce."""
    code = status_code.normalised(typed or "")
    if code is None:
        raise NotFound("not_found", _("Deze code kennen we niet."))
    complaint = (
        Complaint.objects.filter(status_code_digest=status_code.digest(code))
        .only("pk", "status_nonce", "status_token_digest", "status_legacy_sealed")
        .first()
    )
    token = None if complaint is None else status_token_for(complaint)
    if token is None or status_code.code_for(token) != code:
        raise NotFound("not_found", _("Deze code kennen we niet."))
    return token


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
        progress=progress(complaint, has_plan=bool(actions)),
        own_words=own_words(complaint),
        channel_words=str(CHANNEL_WORDS.get(Channel(complaint.channel), "")),
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
