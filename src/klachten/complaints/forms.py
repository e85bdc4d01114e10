"""The forms of the complaint screens: they check the shape of the input, nothing more.

Every rule (R3–R16) is decided by the services; their refusals are put next to the field they
concern with :func:`~klachten.core.forms.add_service_error`, so a form never loses what was
typed (UX.md).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import STATUS_CHOICES, Channel
from klachten.complaints.selectors import OVERVIEW_ORDERS
from klachten.complaints.services import ActionData, Checklist, Training
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError
from klachten.core.widgets import FastRadioSelect, FastSelect
from klachten.core.wording import text_check
from klachten.customers.models import SALUTATION_CHOICES
from klachten.customers.validation import CustomerData, customer_data_problems
from klachten.organisation.models import Category, Course, RootCause, Trainer
from klachten.organisation.selectors import courses_active, trainers_active

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_ERRORS = {"invalid": _("Vul een datum en tijd in, bijvoorbeeld 2 april 2026 14:00.")}
DATE_ERRORS = {"invalid": _("Vul een datum in, bijvoorbeeld 12 november 2026.")}


def _datetime_field(label: str | Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        error_messages=DATETIME_ERRORS,
    )


def _date_field(
    label: str | Any, *, message: str | Any = None, workday_check: bool = False
) -> forms.DateField:
    """A date picker; required when ``message`` (the Dutch "fill this in") is given. With
    ``workday_check`` a date on a weekend, holiday or closing day gets a warning (issue #10)."""
    field = forms.DateField(
        label=label,
        required=message is not None,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**DATE_ERRORS, "required": message or ""},
    )
    return workday_checked(field) if workday_check else field


def workday_checked(field: forms.DateField) -> forms.DateField:
    """Mark a date field for the live warning on days off (``complaints:date-check``)."""
    field.workday_check = True  # type: ignore[attr-defined]
    return field


def _text(label: str | Any, message: str | Any, *, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
        **kwargs,
    )


def _now_local() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def staff_choices(staff: Sequence[Staff]) -> list[tuple[str, str]]:
    """The active staff members as select options ("wie", the handler)."""
    return [(str(member.pk), str(member)) for member in staff if member.is_active]


def _set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, Any]]) -> None:
    """The field's and its widget's options. A flat list of (text, text) pairs is already
    what Django's ``normalize_choices`` would make of it, so it is set as it is: normalising
    the fifty staff members of the complaint page's forms took a tenth of a millisecond per
    form (#17 item 2). Anything else (groups, callables) goes through Django."""
    field = cast(forms.ChoiceField, form.fields[name])
    if all(
        type(pair) is tuple
        and len(pair) == 2
        and type(pair[0]) is str
        and (type(pair[1]) is str or isinstance(pair[1], Promise))
        for pair in choices
    ):
        field._choices = field.widget._choices = list(choices)  # type: ignore[attr-defined]
    else:
        field.choices = choices


def _staff_by_pk(staff: Sequence[Staff], pk: str) -> Staff:
    return next(member for member in staff if str(member.pk) == pk)


# --- Intake (R3–R6, R8, R14) -------------------------------------------------------------------


class IntakeForm(forms.Form):
    """One page for the employee on the phone: customer, report, checklist (UX.md)."""

    NEW_CUSTOMER = ""

    customer_search = forms.CharField(
        label=_("Zoek een klantmap"),
        required=False,
        help_text=_("Naam, postcode of e-mailadres; de resultaten verschijnen terwijl u typt."),
    )
    customer_id = forms.CharField(label=_("Klant"), required=False)

    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    street = forms.CharField(label=_("Straat"), max_length=200, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    town = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)
    country = forms.CharField(
        label=_("Land"),
        max_length=2,
        initial="NL",
        required=False,
        help_text=_("Landcode, bijvoorbeeld NL of BE."),
    )
    email = forms.CharField(label=_("E-mailadres"), max_length=254, required=False)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=30, required=False)
    salutation = forms.ChoiceField(
        label=_("Aanhef in brieven"),
        choices=SALUTATION_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_("„Geachte mevrouw De Vries”; zonder voorkeur de volledige naam."),
    )
    naw_checked = forms.BooleanField(label=_("NAW gecontroleerd met de klant"), required=False)

    report = _text(
        _("Verslag"),
        _("Vul het verslag in."),
        rows=12,
        help_text=_(
            "Wat vertelde de klant, in uw eigen woorden. Het verslag is intern en komt in de "
            "klantmap."
        ),
    )

    not_interrupted = forms.BooleanField(label=_("Niet onderbroken"), required=False)
    vented = forms.BooleanField(label=_("Stoom laten afblazen"), required=False)
    put_at_ease = forms.BooleanField(label=_("Op het gemak gesteld"), required=False)
    apologised = forms.BooleanField(label=_("Excuses aangeboden"), required=False)
    business_card_given = forms.BooleanField(label=_("Visitekaartje gegeven"), required=False)

    channel = forms.ChoiceField(
        label=_("Kanaal"), choices=Channel.choices, initial=Channel.PHONE, widget=FastSelect
    )
    received_at = _datetime_field(_("Ontvangen op"))

    # What the complaint concerns (#16 item 1), from management's lists.
    course = forms.ChoiceField(label=_("Cursus of training"), required=False, widget=FastSelect)
    course_text = forms.CharField(
        label=_("Staat de cursus niet in de lijst? Naam van de cursus"),
        max_length=200,
        required=False,
    )
    trainer = forms.ChoiceField(label=_("Trainer"), required=False, widget=FastSelect)
    training_location = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    training_date = _date_field(_("Datum van de training"))
    # Every complaint is acknowledged in writing (#10, item 9a); unticked, none is sent.
    send_receipt = forms.BooleanField(
        label=_("Ontvangstbevestiging sturen"),
        required=False,
        initial=True,
        help_text=_(
            "Met de persoonlijke statuslink en uw visitekaartje: per e-mail als er een "
            "e-mailadres is, anders als brief om te printen."
        ),
    )

    NAW_REQUIRED: ClassVar[dict[str, Any]] = {
        "name": _("Vul de naam in."),
        "street": _("Vul de straat in."),
        "house_number": _("Vul het huisnummer in."),
        "postcode": _("Vul de postcode in."),
        "town": _("Vul de woonplaats in."),
    }
    CHECKLIST = ("not_interrupted", "vented", "put_at_ease", "apologised", "business_card_given")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _now_local
        self.courses, self.trainers = courses_active(), trainers_active()
        set_training_choices(self, self.courses, self.trainers)

    def clean_customer_id(self) -> int | None:
        value = (self.cleaned_data.get("customer_id") or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(_("Kies een klantmap uit de lijst."))
        return int(value)

    def clean(self) -> dict[str, Any]:
        """Without a picked customer file, every NAW field is needed (R6): say all at once,
        together with every other problem of the customer's details and the moment."""
        data = super().clean() or {}
        if data.get("customer_id") is None:
            for field, message in self.NAW_REQUIRED.items():
                if not (data.get(field) or "").strip() and field not in self.errors:
                    self.add_error(field, message)
            add_customer_problems(self, customer_data_of(data))
        received_at = data.get("received_at")
        if received_at is not None and received_at > timezone.now():
            self.add_error("received_at", _("Een melding kan niet in de toekomst ontvangen zijn."))
        return data

    def customer_data(self) -> CustomerData:
        data = self.cleaned_data
        return CustomerData(
            name=data["name"],
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            town=data["town"],
            country=data["country"] or "NL",
            email=data["email"],
            phone=data["phone"],
            salutation=data.get("salutation") or "",
        )

    def checklist(self) -> Checklist:
        return Checklist(**{item: bool(self.cleaned_data[item]) for item in self.CHECKLIST})

    def training(self) -> Training:
        return training_of(self.cleaned_data, self.courses, self.trainers)


def set_training_choices(
    form: forms.BaseForm, courses: Sequence[Course], trainers: Sequence[Trainer]
) -> None:
    """The course and trainer pickers of a form (#16 item 1)."""
    _set_choices(
        form,
        "course",
        [("", _("Kies een cursus")), *((str(item.pk), item.name) for item in courses)],
    )
    _set_choices(
        form,
        "trainer",
        [("", _("Kies een trainer")), *((str(item.pk), item.name) for item in trainers)],
    )


def training_of(
    data: Mapping[str, Any], courses: Sequence[Course], trainers: Sequence[Trainer]
) -> Training:
    """The training a form's cleaned data names, with the course and trainer it picked."""
    return Training(
        course=next((c for c in courses if str(c.pk) == data.get("course")), None),
        trainer=next((t for t in trainers if str(t.pk) == data.get("trainer")), None),
        location=data.get("training_location") or "",
        day=data.get("training_date"),
        course_text=data.get("course_text") or "",
    )


class TrainingForm(forms.Form):
    """Correct what a complaint concerns (#16 item 1): the intake's own fields, with the
    complaint's course and trainer on offer even when out of use since."""

    def __init__(
        self,
        data: Any = None,
        *,
        courses: Sequence[Course],
        trainers: Sequence[Trainer],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        for name in ("course", "course_text", "trainer", "training_location", "training_date"):
            self.fields[name] = copy.deepcopy(IntakeForm.base_fields[name])
        self.fields["course_text"].label = _("Cursus in de woorden van de klant")
        self.fields["course_text"].help_text = _(
            "Wat de klant noemde als de cursus niet in de lijst stond."
        )
        self.courses, self.trainers = courses, trainers
        set_training_choices(self, courses, trainers)

    def training(self) -> Training:
        return training_of(self.cleaned_data, self.courses, self.trainers)


def customer_data_of(data: Mapping[str, Any]) -> CustomerData:
    """The customer's details as a form has them: every field of ``CustomerData`` the form
    holds (a field added to the intake later comes along), missing ones empty."""
    defaults = {item.name: item.default for item in dataclasses.fields(CustomerData)}
    return CustomerData(
        **{
            name: data.get(name) or (default if isinstance(default, str) else "")
            for name, default in defaults.items()
        }
    )


def add_customer_problems(form: forms.BaseForm, data: CustomerData) -> None:
    """R6: every problem of the customer's details next to its field, in the same round as
    the form's own errors (a wrong postcode with a missing name, issue #10); a field that has
    an error already keeps that one."""
    _cleaned, problems = customer_data_problems(data)
    for problem in problems:
        field = (problem.field or "").removeprefix("customer.")
        if field in form.fields and field not in form.errors:
            form.add_error(field, problem.detail)


class CustomerFileForm(forms.Form):
    """Correct a customer file (R6): the intake's own customer fields, in the intake's order,
    with the same checks and the "gecontroleerd met de klant" tick. The fields are taken from
    ``IntakeForm``, so a field the intake gains for the customer file appears here too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = {item.name for item in dataclasses.fields(CustomerData)} | {"naw_checked"}
        for name, field in IntakeForm.base_fields.items():
            if name in wanted:
                self.fields[name] = copy.deepcopy(field)
        self.fields["naw_checked"].help_text = _(
            "Lees naam en adres aan de klant voor en laat ze bevestigen (R6). Wijzigt u naam "
            "of adres zonder die controle, dan staat de klantmap weer als niet gecontroleerd."
        )

    def clean(self) -> dict[str, Any]:
        """Every NAW field is needed and checked like at intake (R6), all errors at once."""
        data = super().clean() or {}
        for field, message in IntakeForm.NAW_REQUIRED.items():
            if not (data.get(field) or "").strip() and field not in self.errors:
                self.add_error(field, message)
        add_customer_problems(self, customer_data_of(data))
        return data

    def customer_data(self) -> CustomerData:
        return customer_data_of(self.cleaned_data)


# --- The handling steps ------------------------------------------------------------------------


class ContactForm(forms.Form):
    """R3: the contact with the customer, in consultation with management, and the term."""

    at = _datetime_field(_("Moment van contact"))
    channel = forms.ChoiceField(
        label=_("Kanaal"), choices=Channel.choices, initial=Channel.PHONE, widget=FastSelect
    )
    summary = _text(_("Verslag van het gesprek"), _("Vul het verslag van het gesprek in."))
    agreed_term = _date_field(_("Afgesproken termijn"), workday_check=True)
    management_consulted = forms.CharField(
        label=_("Overleg met de directie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Met wie van de directie is het contact afgestemd, en wat is besproken."),
    )

    def clean(self) -> dict[str, Any]:
        """A contact in the future is refused with the other errors, in one round."""
        data = super().clean() or {}
        if data.get("at") is not None and data["at"] > timezone.now():
            self.add_error("at", _("Contact kan niet in de toekomst liggen."))
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = _now_local
        self.fields["agreed_term"].help_text = _(
            "De datum die u de klant noemt: dan hoort de klant uiterlijk een antwoord of "
            "oplossing. Bij het eerste contact verplicht (R3)."
        )


class ActionRowForm(forms.Form):
    """One line of the action plan: what, who, when (R9)."""

    what = forms.CharField(label=_("Wat"), max_length=500, required=False)
    who = forms.ChoiceField(label=_("Wie"), required=False, widget=FastSelect)
    due = _date_field(_("Wanneer"), workday_check=True)

    def __init__(
        self,
        *args: Any,
        staff: Sequence[Staff] = (),
        default_due: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.default_due = default_due
        _set_choices(self, "who", [("", _("Kies een medewerker")), *staff_choices(staff)])

    def clean(self) -> dict[str, Any]:
        """A filled line needs all three parts; an empty line is skipped. Where the form has a
        default date (the consequences of a ruling, R11), a line without one gets it."""
        data = super().clean() or {}
        if not any(data.get(field) for field in ("what", "who", "due")):
            return data
        if not data.get("due") and "due" not in self.errors and self.default_due is not None:
            data["due"] = self.default_due
        if not (data.get("what") or "").strip() and "what" not in self.errors:
            self.add_error("what", _("Vul in wat er gebeurt."))
        if not data.get("who") and "who" not in self.errors:
            self.add_error("who", _("Kies wie het doet."))
        if not data.get("due") and "due" not in self.errors:
            self.add_error("due", _("Vul in wanneer het klaar is."))
        if data.get("due") and data["due"] < local_today():
            self.add_error("due", _("Deze datum ligt in het verleden."))
        what = (data.get("what") or "").strip()
        if what and "what" not in self.errors and not text_check(text=what).sendable:
            self.add_error("what", _("Deze tekst gaat naar de klant: herformuleer eerst (R13)."))
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(field) for field in ("what", "who", "due"))

    def action(self) -> ActionData:
        data = self.cleaned_data
        return ActionData(
            what=data["what"], who=_staff_by_pk(self.staff, data["who"]), due=data["due"]
        )


class BaseActionFormSet(forms.BaseFormSet):
    """Several lines of what / who / when; empty lines are left out."""

    def __init__(
        self,
        *args: Any,
        staff: Sequence[Staff] = (),
        default_due: date | None = None,
        **kwargs: Any,
    ) -> None:
        self.staff = staff
        self.default_due = default_due
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(index),
            "staff": self.staff,
            "default_due": self.default_due,
        }

    def filled(self) -> list[tuple[int, ActionRowForm]]:
        """The filled lines with their position on the page."""
        return [
            (index, form)
            for index, form in enumerate(self.forms)
            if isinstance(form, ActionRowForm) and not form.is_blank()
        ]

    def actions(self) -> list[ActionData]:
        return [form.action() for _index, form in self.filled()]

    def add_service_error(self, error: ApplicationError) -> bool:
        """Put "actions.2.due" next to the third *filled* line; False if it names no line."""
        parts = (error.field or "").split(".")
        filled = self.filled()
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            _index, form = filled[int(parts[1])]
            form.add_error(parts[2] if parts[2] in form.fields else None, error.detail)
            return True
        return False


ActionFormSet = cast(
    type[BaseActionFormSet],
    forms.formset_factory(
        ActionRowForm, formset=BaseActionFormSet, extra=3, max_num=20, absolute_max=20
    ),
)


class ActionPlanForm(forms.Form):
    """R9: the action plan as a form with several lines (a formset inside one form)."""

    def __init__(
        self,
        data: Any = None,
        *,
        staff: Sequence[Staff] = (),
        default_due: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.default_due = default_due
        self.actions = ActionFormSet(data, prefix="acties", staff=staff, default_due=default_due)

    def is_valid(self) -> bool:
        """Both the form and every line; all errors are collected, not only the first."""
        form_valid = super().is_valid()
        return self.actions.is_valid() and form_valid

    def place_service_error(self, error: ApplicationError) -> bool:
        """ "actions.1.due" → the date on the second filled line of the plan."""
        return bool(self.actions.add_service_error(error))

    def planned(self) -> list[ActionData]:
        return self.actions.actions()


class ExtendForm(forms.Form):
    """R16: move the settlement goal to the delay notice's expected date (no input)."""


class SolutionForm(forms.Form):
    """R7, R9: the solution put to the customer."""

    solution = _text(
        _("Voorgestelde oplossing"),
        _("Vul de oplossing in."),
        rows=6,
        help_text=_("Deze tekst gaat naar de klant en wordt gecontroleerd op R12 en R13."),
    )


YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


class CustomerViewForm(forms.Form):
    """R7: the customer's view on the proposed solution."""

    agrees = forms.ChoiceField(
        label=_("Is de klant akkoord met de oplossing?"),
        choices=[("ja", _("Akkoord")), ("nee", _("Niet akkoord"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies akkoord of niet akkoord.")},
    )
    note = forms.CharField(
        label=_("Toelichting van de klant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FollowUpForm(forms.Form):
    """R10: did the check with the customer confirm it is solved?"""

    solved = forms.ChoiceField(
        label=_("Is het volgens de klant opgelost?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    note = _text(_("Verslag van de nacontrole"), _("Vul het verslag van de nacontrole in."))


OUTCOMES = [
    ("solved", _("Opgelost")),
    ("unsolved", _("Niet opgelost")),
    ("withdrawn", _("Ingetrokken door de klant")),
    ("ruling", _("Afgehandeld na de uitspraak")),
]


class CloseForm(forms.Form):
    """Close with an outcome; "opgelost" only after R7 and R10, "na uitspraak" after R11.

    ``offered`` are the outcomes the complaint may be closed with now (the lifecycle decides,
    ``lifecycle.closing_steps``); the form offers only those.
    """

    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de uitkomst."),
            "invalid_choice": _("Met deze uitkomst kan de melding nu niet worden afgesloten."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, offered: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offered is not None:
            _set_choices(self, "outcome", [item for item in OUTCOMES if item[0] in offered])


class DisputeForm(forms.Form):
    """R11: the customer engages the independent third party."""

    note = _text(
        _("Wat is aan de onafhankelijke derde voorgelegd"),
        _("Vul in wat aan de derde is voorgelegd."),
    )


class RulingForm(ActionPlanForm):
    """R11: the binding ruling (its date and text) and its consequences as action items; a
    consequence without a date gets the short default term."""

    ruled_on = _date_field(_("Datum van de uitspraak"), workday_check=True)
    text = _text(_("Uitspraak"), _("Vul de uitspraak in."), rows=6)


class AssignForm(forms.Form):
    """Handler (R15), category and root cause; only management and the receiver reassign."""

    handler = forms.ChoiceField(label=_("Behandelaar"), required=False, widget=FastSelect)
    category = forms.ChoiceField(label=_("Categorie"), required=False, widget=FastSelect)
    root_cause = forms.ChoiceField(label=_("Oorzaak"), required=False, widget=FastSelect)
    booked_again = forms.ChoiceField(
        label=_("Heeft de klant daarna opnieuw geboekt?"),
        choices=[("unknown", _("Niet bekend")), ("yes", _("Ja")), ("no", _("Nee"))],
        required=False,
        widget=FastRadioSelect,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        staff: Sequence[Staff],
        categories: Sequence[Category],
        root_causes: Sequence[RootCause],
        may_reassign: bool,
        unclaimed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.staff, self.categories, self.root_causes = staff, categories, root_causes
        if may_reassign:
            nobody = [("", _("Nog niemand: kies wie de melding oppakt"))] if unclaimed else []
            _set_choices(self, "handler", [*nobody, *staff_choices(staff)])
        else:
            del self.fields["handler"]
        _set_choices(
            self,
            "category",
            [
                ("", _("Nog niet ingedeeld")),
                *((str(item.pk), item.name) for item in categories),
            ],
        )
        _set_choices(
            self,
            "root_cause",
            [
                ("", _("Nog niet bekend")),
                *((str(item.pk), item.name) for item in root_causes),
            ],
        )

    def changes(self, *, handler: Staff | None) -> dict[str, Any]:
        """The service's arguments for what changed; an unchanged handler is not mailed."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("handler") and data["handler"] != str(handler.pk if handler else ""):
            changes["handler"] = _staff_by_pk(self.staff, data["handler"])
        if data.get("category"):
            changes["category"] = next(c for c in self.categories if str(c.pk) == data["category"])
        if data.get("root_cause"):
            changes["root_cause"] = next(
                r for r in self.root_causes if str(r.pk) == data["root_cause"]
            )
        if data.get("booked_again") and data["booked_again"] != self.initial.get("booked_again"):
            changes["booked_again"] = data["booked_again"]
        return changes


# --- The overview ------------------------------------------------------------------------------


class OverviewForm(forms.Form):
    """The overview's filters and search, as a GET form (UX.md)."""

    mijn = forms.BooleanField(label=_("Alleen mijn meldingen"), required=False)
    op_te_pakken = forms.BooleanField(label=_("Alleen nog op te pakken"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    te_laat = forms.BooleanField(label=_("Alleen te laat"), required=False)
    categorie = forms.TypedChoiceField(
        label=_("Categorie"), required=False, coerce=int, widget=FastSelect
    )
    afgesloten = forms.BooleanField(label=_("Ook afgesloten meldingen"), required=False)
    zoek = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=200,
        help_text=_("Kenmerk, klantnaam, postcode of woorden uit het verslag."),
    )
    bijna = forms.BooleanField(label=_("Alleen bijna te laat"), required=False)
    sorteer = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    pagina = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        _set_choices(self, "status", [("", _("Alle open meldingen")), *STATUS_CHOICES])
        _set_choices(
            self,
            "sorteer",
            [
                ("", ""),
                *((f"{sign}{name}", name) for name in OVERVIEW_ORDERS for sign in ("", "-")),
            ],
        )
        _set_choices(
            self,
            "categorie",
            [
                ("", _("Alle categorieën")),
                *((item.pk, item.name) for item in categories),
            ],
        )
