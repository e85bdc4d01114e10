"""The lifecycle's codes in words (Dutch first): reasons a step waits, and step names (UX.md)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from klachten.domain.lifecycle import Reason, ReasonCode, Step
from klachten.domain.workdays import DayOff, DayOffKind

REASONS = {
    ReasonCode.NOT_ALLOWED_IN_STATUS: _("Deze stap past niet bij de huidige status."),
    ReasonCode.COMPLAINT_CLOSED: _("Deze melding is afgesloten."),
    ReasonCode.CONTACT_FIRST: _("Eerst contact opnemen met de klant."),
    ReasonCode.AGREED_TERM_REQUIRED: _("Spreek een termijn af met de klant."),
    ReasonCode.AGREED_TERM_IN_PAST: _("De afgesproken termijn ligt in het verleden."),
    ReasonCode.DELAY_NOTICE_REQUIRED: _("Eerst een uitstelbericht dat op tijd is verstuurd."),
    ReasonCode.EXTENSION_NOT_LATER: _(
        "De verwachte datum uit het uitstelbericht ligt niet na de huidige afhandeltermijn: "
        "verlengen maakt de termijn nooit korter."
    ),
    ReasonCode.ACTION_PLAN_FIRST: _("Eerst een actieplan: wat, wie, wanneer."),
    ReasonCode.ACTIONS_OPEN: _("Eerst alle acties afronden."),
    ReasonCode.CUSTOMER_VIEW_FIRST: _("Eerst de mening van de klant over de oplossing."),
    ReasonCode.CUSTOMER_DISAGREES: _("De klant is het niet eens met de oplossing."),
    ReasonCode.FOLLOW_UP_CHECK_FIRST: _("Eerst nacontrole bij de klant."),
    ReasonCode.FOLLOW_UP_NOT_SOLVED: _("Volgens de nacontrole is het nog niet opgelost."),
    ReasonCode.AWAITING_RULING: _("Eerst de uitspraak van de onafhankelijke derde."),
    ReasonCode.RULING_IS_BINDING: _("De uitspraak is bindend; de uitkomst ligt vast."),
    ReasonCode.NO_RULING: _("Er is nog geen uitspraak."),
}

STEPS = {
    Step.CONTACT: _("Contact opnemen en termijn afspreken"),
    Step.PLAN_ACTIONS: _("Actieplan maken"),
    Step.SEND_DELAY_NOTICE: _("Uitstelbericht sturen"),
    Step.EXTEND: _("Termijn verlengen"),
    Step.PROPOSE_SOLUTION: _("Oplossing voorleggen"),
    Step.ACCEPT_SOLUTION: _("Mening van de klant vastleggen"),
    Step.REJECT_SOLUTION: _("Klant niet akkoord"),
    Step.CONFIRM_SOLVED: _("Nacontrole"),
    Step.REPORT_UNSOLVED: _("Nacontrole: niet opgelost"),
    Step.CLOSE_SOLVED: _("Afsluiten"),
    Step.CLOSE_UNSOLVED: _("Afsluiten als niet opgelost"),
    Step.WITHDRAW: _("Ingetrokken door de klant"),
    Step.REFER_TO_DISPUTE: _("Voorleggen aan onafhankelijke derde"),
    Step.RECORD_RULING: _("Uitspraak vastleggen"),
    Step.CLOSE_AFTER_RULING: _("Afsluiten na uitspraak"),
}


def reason_text(reason: Reason) -> str:
    """One reason a step waits, in the active language, with the rule the lifecycle names."""
    text = str(REASONS[reason.code])
    return f"{text[:-1]} ({reason.rule})." if reason.rule else text


def step_text(step: Step) -> str:
    """The name of a step as the button says it."""
    return str(STEPS[step])


DAY_OFF = {
    DayOffKind.WEEKEND: _("Let op: %(day)s valt in het weekend, dat is geen werkdag."),
    DayOffKind.HOLIDAY: _("Let op: %(day)s is een feestdag (%(name)s), geen werkdag."),
    DayOffKind.CLOSING_DAY: _("Let op: %(day)s is een sluitingsdag (%(name)s), geen werkdag."),
}


def day_off_text(off: DayOff, name: str = "") -> str:
    """A warning for a date on a day that is not a working day (issue #10): not a refusal, a
    date staff may keep on purpose, but worth a second look."""
    text = str(DAY_OFF[off.kind]) % {"day": date_format(off.day, "l j F Y"), "name": name or "—"}
    return text.replace(" (—)", "")
