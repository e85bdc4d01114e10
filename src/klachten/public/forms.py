"""The customer's forms: the report (``/melding/``) and the two answers on the status page.

Every word a customer reads here avoids the words of R13 (tests/public pins that, in Dutch and
English). The forms check the shape of the input and its size; the services decide the rest
(NAW, R6; the lifecycle, R7 and R10), and their refusals come back next to the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from klachten.complaints.attachments import ACCEPT, clean_name, file_type_check
from klachten.core.errors import ApplicationError
from klachten.customers.models import SALUTATION_CHOICES
from klachten.customers.validation import CustomerData
from klachten.organisation.models import Course, OrganisationSettings
from klachten.public.uploads import Skipped

MAX_COURSE = 200
OTHER_COURSE = "anders"  # the picker's "Anders, namelijk": the course is in ``course``
MAX_WHAT_HAPPENED = 5_000
MAX_WISH = 2_000
MAX_COMMENT = 2_000

# The countries most of Kerngroep's participants live in; NAW is checked later (R6).
COUNTRIES = [
    ("NL", _("Nederland")),
    ("BE", _("België")),
    ("DE", _("Duitsland")),
    ("LU", _("Luxemburg")),
    ("FR", _("Frankrijk")),
    ("GB", _("Verenigd Koninkrijk")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _required(message: Any) -> dict[str, Any]:
    return {
        "required": message,
        "max_length": _("Dit is te lang: maximaal %(limit_value)d tekens."),
    }


class FilesChecked(forms.Form):
    """A form with ``attachments`` from outside: every file checked before anything is saved
    (count, size, type by its content; a virus when a scanner is configured), and the files
    the upload handler left out named too (``skipped``)."""

    skipped: list[Skipped]

    @property
    def max_file_size(self) -> int:
        return int(settings.PUBLIC_MAX_FILE_SIZE)

    def clean_attachments(self) -> list[UploadedFile]:
        """Every file checked now (count, size, type by its content), so a refusal comes back
        before anything is saved; the files the upload handler left out are named too."""
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        errors: list[str] = []
        for skipped in self.skipped:
            name = clean_name(skipped.name)
            if skipped.reason == "too_many":
                errors.append(
                    str(_("%(name)s is niet meegestuurd: ten hoogste %(count)s bestanden."))
                    % {"name": name, "count": settings.PUBLIC_MAX_FILES}
                )
            else:
                errors.append(
                    str(_("%(name)s is te groot: ten hoogste %(size)s per bestand."))
                    % {"name": name, "size": filesizeformat(self.max_file_size)}
                )
        if len(files) > settings.PUBLIC_MAX_FILES:
            errors.append(
                str(_("Stuur ten hoogste %(count)s bestanden mee."))
                % {"count": settings.PUBLIC_MAX_FILES}
            )
        for file in files:
            name = clean_name(file.name or "")
            if file.size is not None and file.size > self.max_file_size:
                errors.append(
                    str(_("%(name)s is te groot: ten hoogste %(size)s per bestand."))
                    % {"name": name, "size": filesizeformat(self.max_file_size)}
                )
                continue
            if not file.size:
                errors.append(str(_("%(name)s is leeg.")) % {"name": name})
                continue
            try:
                file_type_check(name=name, file=file)
            except ApplicationError as error:
                errors.append(error.detail)
        if errors:
            errors.append(str(_("Kies de bestanden die u wilt meesturen opnieuw.")))
            raise forms.ValidationError(errors)
        return files


class ReportForm(FilesChecked):
    """ "Laat het ons weten": NAW, the course, what went wrong, what they would like, consent.

    ``website`` is the honeypot: hidden from people (and from screen readers), filled in by
    bots; the service drops such a report silently.
    """

    name = forms.CharField(
        label=_("Naam"), max_length=200, error_messages=_required(_("Vul uw naam in."))
    )
    street = forms.CharField(
        label=_("Straat"), max_length=200, error_messages=_required(_("Vul uw straat in."))
    )
    house_number = forms.CharField(
        label=_("Huisnummer"),
        max_length=20,
        error_messages=_required(_("Vul uw huisnummer in.")),
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=20, error_messages=_required(_("Vul uw postcode in."))
    )
    town = forms.CharField(
        label=_("Woonplaats"), max_length=100, error_messages=_required(_("Vul uw woonplaats in."))
    )
    country = forms.ChoiceField(label=_("Land"), choices=COUNTRIES, initial="NL")
    salutation = forms.ChoiceField(
        label=_("Hoe spreken we u aan in een brief? (niet verplicht)"),
        choices=SALUTATION_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    # The address itself is checked by the service, as every customer's is (R6).
    email = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput,
        help_text=_("Hierheen sturen we de bevestiging en de link naar uw persoonlijke pagina."),
        error_messages=_required(_("Vul uw e-mailadres in.")),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer (niet verplicht)"),
        max_length=30,
        required=False,
        help_text=_("Dan kunnen we u ook bellen."),
    )
    # #16 item 1: a picker of the courses in use, with "Anders, namelijk" and a text field
    # for a course that is not in it. Without courses in use, the text field alone, as
    # before. Both are plain fields: it works without JavaScript, with a keyboard and a
    # screen reader; ``course`` keeps its name (the text, as ever).
    course_choice = forms.ChoiceField(
        label=_("Om welke cursus of training gaat het?"),
        required=False,
        error_messages={"invalid_choice": _("Kies een cursus of training uit de lijst.")},
    )
    course = forms.CharField(
        label=_("Om welke cursus of training gaat het?"),
        max_length=MAX_COURSE,
        required=False,
        error_messages=_required(_("Vul de naam van de cursus of training in.")),
    )
    what_happened = forms.CharField(
        label=_("Wat is er misgegaan?"),
        max_length=MAX_WHAT_HAPPENED,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Vertel het in uw eigen woorden; neem gerust de ruimte."),
        error_messages=_required(_("Vertel ons wat er is misgegaan.")),
    )
    wish = forms.CharField(
        label=_("Wat zou u graag willen? (niet verplicht)"),
        max_length=MAX_WISH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld een nieuwe datum, een vergoeding of een gesprek."),
        error_messages=_required(""),
    )
    attachments = MultipleFileField(
        label=_("Bestanden meesturen (niet verplicht)"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "Ik geef toestemming om mijn gegevens te gebruiken om mijn melding af te handelen."
        ),
        error_messages={
            "required": _("Zonder uw toestemming kunnen we uw melding niet behandelen.")
        },
    )
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        organisation: OrganisationSettings,
        skipped: list[Skipped] | None = None,
        courses: Sequence[Course] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.skipped = skipped or []
        self.courses = list(courses)
        if self.courses:
            choice = self.fields["course_choice"]
            assert isinstance(choice, forms.ChoiceField)  # noqa: S101 - declared above
            choice.choices = [
                ("", _("Kies een cursus of training")),
                *((str(course.pk), course.name) for course in self.courses),
                (OTHER_COURSE, _("Anders, namelijk …")),
            ]
            self.fields["course"].label = _("Anders, namelijk")
            self.fields["course"].help_text = _(
                "Staat de cursus of training niet in de lijst? Schrijf dan hier hoe die heet."
            )
        else:
            del self.fields["course_choice"]
        self.fields["consent"].help_text = _(
            "%(organisation)s gebruikt uw gegevens alleen om uw melding af te handelen, deelt "
            "ze met niemand daarbuiten en bewaart ze tot uiterlijk %(years)s jaar na afronding."
        ) % {"organisation": organisation.name, "years": organisation.retention_years}
        self.fields["attachments"].help_text = _(
            "Ten hoogste %(count)s bestanden van elk maximaal %(size)s: PDF, JPEG, PNG, tekst, "
            "Word, Excel of e-mail."
        ) % {"count": settings.PUBLIC_MAX_FILES, "size": filesizeformat(self.max_file_size)}

    def clean(self) -> dict[str, Any]:
        """A course from the list, or its name in the customer's own words (#16 item 1)."""
        data = super().clean() or {}
        if "course" in self.errors or "course_choice" in self.errors:
            return data
        picked = data.get("course_choice") or ""
        if picked in {"", OTHER_COURSE} and not (data.get("course") or "").strip():
            if picked or not self.courses:
                self.add_error("course", _("Vul de naam van de cursus of training in."))
            else:
                self.add_error(
                    "course_choice",
                    _("Kies een cursus of training, of vul bij Anders de naam in."),
                )
        return data

    def picked_course(self) -> Course | None:
        """The course picked from the list; None for "Anders" or without a list."""
        picked = self.cleaned_data.get("course_choice") or ""
        return next((course for course in self.courses if str(course.pk) == picked), None)

    def course_name(self) -> str:
        """The course as the report names it: the one picked, or the customer's words."""
        picked = self.picked_course()
        return picked.name if picked is not None else self.cleaned_data["course"]

    def customer_data(self) -> CustomerData:
        data = self.cleaned_data
        return CustomerData(
            name=data["name"],
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            town=data["town"],
            country=data["country"],
            email=data["email"],
            phone=data["phone"],
            salutation=data.get("salutation") or "",
        )


class ViewForm(forms.Form):
    """R7: the customer's view of the proposed solution."""

    agrees = forms.ChoiceField(
        label=_("Bent u het eens met deze oplossing?"),
        choices=[
            ("ja", _("Ja, daar ben ik het mee eens")),
            ("nee", _("Nee, daar ben ik het niet mee eens")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    comment = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(""),
    )


class FollowUpAnswerForm(forms.Form):
    """R10: the customer's answer to the follow-up check."""

    solved = forms.ChoiceField(
        label=_("Is het voor u opgelost?"),
        choices=[("ja", _("Ja, het is opgelost")), ("nee", _("Nee, nog niet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    comment = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(""),
    )


class SatisfactionForm(forms.Form):
    """R1: how satisfied the customer is, whether it is settled for them, and a comment."""

    score = forms.TypedChoiceField(
        # The ends of the scale are explained beside it on the status page (issue 14).
        label=_("Hoe tevreden bent u over de afhandeling?"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")},
    )
    settled = forms.ChoiceField(
        label=_("Is de zaak voor u afgehandeld?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    comment = forms.CharField(
        label=_("Wilt u nog iets kwijt? (niet verplicht)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(""),
    )


class StatusCodeForm(forms.Form):
    """The short code from a letter (``domain.status_code``), to open the status page."""

    code = forms.CharField(
        label=_("Uw code"),
        max_length=40,
        help_text=_(
            "Tien tekens, zoals K7QM4-TXPR2; hoofdletters of kleine letters maakt niet uit."
        ),
        error_messages=_required(_("Vul de code uit onze brief in.")),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class StatusMessageForm(FilesChecked):
    """The customer writes to us on their status page, with files if they like (#13)."""

    prefix = "bericht"  # beside the questions' forms on the same page

    text = forms.CharField(
        label=_("Uw bericht"),
        max_length=MAX_WHAT_HAPPENED,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_required(_("Schrijf eerst uw bericht.")),
    )
    attachments = MultipleFileField(label=_("Bestanden meesturen (niet verplicht)"), required=False)

    def __init__(self, *args: Any, skipped: list[Skipped] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skipped = skipped or []
        self.fields["attachments"].help_text = _(
            "Ten hoogste %(count)s bestanden van elk maximaal %(size)s: PDF, JPEG, PNG, tekst, "
            "Word, Excel of e-mail."
        ) % {"count": settings.PUBLIC_MAX_FILES, "size": filesizeformat(self.max_file_size)}
