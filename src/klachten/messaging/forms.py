"""The forms of the message screens: the shape of the input, nothing more (the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klachten.complaints.forms import workday_checked
from klachten.core.forms import add_service_error
from klachten.core.wording import finding_message
from klachten.messaging.models import MessageChannel
from klachten.messaging.services import MAX_BODY, MAX_SUBJECT, WordingRefused

CONFIRM_LABEL = _("Ik heb de waarschuwing gelezen en verstuur toch")


class MessageForm(forms.Form):
    """A message to the customer: channel, subject, text and the R12 confirmation."""

    channel = forms.ChoiceField(
        label=_("Hoe gaat het bericht naar de klant?"),
        choices=MessageChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies e-mail of brief.")},
    )
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=MAX_SUBJECT,
        error_messages={"required": _("Vul het onderwerp in.")},
    )
    body = forms.CharField(
        label=_("Tekst"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": _("Vul de tekst in.")},
        help_text=_(
            "De controle loopt mee terwijl u typt: woorden van R13 houden het bericht tegen, "
            "met voorstellen om ze te vervangen; bij een waarschuwing bevestigt u "
            "hieronder dat u het toch zo verstuurt. Uw visitekaartje komt er vanzelf onder."
        ),
    )
    confirm_warnings = forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text=_("Alleen nodig als de controle een waarschuwing geeft (R12)."),
    )


class DelayForm(MessageForm):
    """R16: the delay notice also asks for the reason and the expected date."""

    reason = forms.CharField(
        label=_("Reden van het uitstel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vul de reden van het uitstel in.")},
        help_text=_("Deze reden komt letterlijk in het bericht aan de klant."),
    )
    expected_date = workday_checked(  # R16: refused on a day off; warned while typing
        forms.DateField(
            label=_("Verwachte datum van een besluit"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                "required": _("Vul de verwachte datum in."),
                "invalid": _("Vul een datum in, bijvoorbeeld 12 november 2026."),
            },
        )
    )

    field_order = ("reason", "expected_date", "channel", "subject", "body", "confirm_warnings")


class DelayDraftForm(forms.Form):
    """The first half of the delay notice: reason and date, from which the text is drafted."""

    reason = DelayForm.base_fields["reason"]
    expected_date = DelayForm.base_fields["expected_date"]


class TemplateForm(forms.Form):
    """Management's wording of one standard message, with placeholders."""

    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=MAX_SUBJECT,
        error_messages={"required": _("Vul het onderwerp in.")},
    )
    body = forms.CharField(
        label=_("Tekst"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 20}),
        error_messages={"required": _("Vul de tekst in.")},
        help_text=_(
            "Plaatshouders tussen dubbele accolades, zoals {{ klant }}, worden per melding "
            "ingevuld; de lijst staat hieronder. Het visitekaartje van wie het bericht "
            "verstuurt komt er vanzelf onder (R14)."
        ),
    )
    confirm_warnings = forms.BooleanField(label=CONFIRM_LABEL, required=False)


def add_refusal(form: forms.Form, error: Exception) -> None:
    """A service's refusal next to the field it concerns; each finding of the guard with it."""
    if isinstance(error, WordingRefused):
        for item in error.findings:
            field = item.field if item.field in form.fields else None
            message = f"{finding_message(item.finding)} ({item.finding.text})"
            form.add_error(field, message)
        if not any(item.finding.blocks for item in error.findings):
            form.add_error("confirm_warnings", error.detail)
        return
    add_service_error(form, error)  # type: ignore[arg-type]


def channel_initial(has_email: bool) -> dict[str, Any]:
    return {"channel": MessageChannel.EMAIL if has_email else MessageChannel.LETTER}
