"""The forms of *Instellingen*: they check the shape of the input and show every problem at once.

The services decide and write (``organisation.services``); their refusals go next to the field
they name with :func:`klachten.core.forms.add_service_error`. The terms are checked here
with the domain's own bounds too, so all their problems show together (STYLE.md, 4).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from klachten.domain import terms as bounds
from klachten.domain.deadlines import RULING_CONSEQUENCE_WORKING_DAYS
from klachten.domain.reminders import LEAD_BOUNDS, ReminderLeads
from klachten.domain.terms import consequence_problems, retention_problems, terms_problems
from klachten.organisation.models import OrganisationSettings, RetentionMode
from klachten.organisation.services import DETAILS_FIELDS, TERMS_FIELDS, THIRD_PARTY_FIELDS
from klachten.organisation.texts import term_problem_text

DATE_FORMAT = "%Y-%m-%d"
CALENDAR_FIELDS = ("good_friday_off", "liberation_day_every_year")
NUMBER_ERRORS = {
    "required": _("Vul een getal in."),
    "invalid": _("Vul een heel getal in."),
}


def _text(label: Any, *, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": kwargs.pop("required_message", _("Vul dit in.")),
            "max_length": _("Maximaal %(limit_value)d tekens."),
        },
        **kwargs,
    )


def _url(label: Any, *, required: bool = False, required_message: Any = None) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=required,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "required": required_message or _("Vul dit in."),
            "invalid": _("Vul een webadres in, bijvoorbeeld https://www.kerngroep.nl."),
            "max_length": _("Maximaal %(limit_value)d tekens."),
        },
    )


def _number(label: Any, limits: bounds.Bounds, help_text: Any, default: int) -> forms.IntegerField:
    """A whole number within ``limits``; the help text names the bounds and the default."""
    return forms.IntegerField(
        label=label,
        help_text=format_lazy(help_text, min=limits.minimum, max=limits.maximum, default=default),
        error_messages=NUMBER_ERRORS,
        widget=forms.NumberInput(attrs={"min": limits.minimum, "max": limits.maximum}),
    )


def _date(label: Any, *, required: bool, required_message: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "required": required_message,
            "invalid": _("Vul een datum in, bijvoorbeeld 28 december 2026."),
        },
    )


class DetailsForm(forms.Form):
    """Who we are: on the regulation (R17), letters and the public pages."""

    name = _text(
        _("Naam van de organisatie"),
        max_length=200,
        required=True,
        required_message=_("Vul de naam van de organisatie in."),
    )
    street = _text(_("Straat en huisnummer"), max_length=200)
    postcode = _text(_("Postcode"), max_length=20)
    town = _text(_("Plaats"), max_length=100)
    phone = _text(_("Telefoon"), max_length=40)
    # Checked by the service, as a customer's address is (R6): one set of messages.
    email = forms.CharField(label=_("E-mail"), required=False, widget=forms.EmailInput)
    website = _url(_("Website"))


class ThirdPartyForm(forms.Form):
    """R11: the independent third party for disputes, named in the regulation (R17)."""

    third_party_name = _text(
        _("Naam van de onafhankelijke derde"),
        max_length=200,
        required=True,
        required_message=_("Vul de naam van de onafhankelijke derde in (R11)."),
    )
    third_party_website = _url(
        _("Website van de onafhankelijke derde"),
        required=True,
        required_message=_("Vul de website van de onafhankelijke derde in (R11)."),
    )


class TermsForm(forms.Form):
    """R3, R16: the deadline terms; R11: the short term for the consequences of a ruling;
    R5: how long a closed complaint is kept, and then what."""

    contact_working_hours = _number(
        _("Contact met de klant binnen (werkuren)"),
        bounds.CONTACT_WORKING_HOURS,
        _("Van {min} tot en met {max}. De klachtenprocedure zegt {default}."),
        bounds.DEFAULT_TERMS.contact_working_hours,
    )
    delay_notice_days = _number(
        _("Uitstelbericht uiterlijk na (dagen)"),
        bounds.DELAY_NOTICE_DAYS,
        _(
            "Van {min} tot en met {max}, vóór de afhandeltermijn. De klachtenprocedure zegt "
            "{default}."
        ),
        bounds.DEFAULT_TERMS.delay_notice_days,
    )
    settlement_days = _number(
        _("Afhandeling uiterlijk na (dagen)"),
        bounds.SETTLEMENT_DAYS,
        _("Van {min} tot en met {max}. De klachtenprocedure zegt {default}."),
        bounds.DEFAULT_TERMS.settlement_days,
    )
    ruling_consequence_working_days = _number(
        _("Gevolgen van een uitspraak uiterlijk na (werkdagen)"),
        bounds.CONSEQUENCE_WORKING_DAYS,
        _(
            "Van {min} tot en met {max}. Standaard {default}: de gevolgen van een bindende "
            "uitspraak worden snel afgehandeld."
        ),
        RULING_CONSEQUENCE_WORKING_DAYS,
    )
    retention_years = _number(
        _("Bewaartermijn na afsluiten (jaren)"),
        bounds.RETENTION_YEARS,
        _("Van {min} tot en met {max} jaar. Standaard {default}."),
        OrganisationSettings._meta.get_field("retention_years").get_default(),
    )
    retention_mode = forms.ChoiceField(
        label=_("Na de bewaartermijn"),
        choices=RetentionMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat er na de bewaartermijn gebeurt."),
            "invalid_choice": _("Kies wat er na de bewaartermijn gebeurt."),
        },
    )

    def clean(self) -> dict[str, Any]:
        """Every problem of the terms at once, next to its field (R3, R5, R16)."""
        data = super().clean() or {}
        numbers = ("contact_working_hours", "delay_notice_days", "settlement_days")
        if all(data.get(name) is not None for name in numbers):
            for problem in terms_problems(**{name: data[name] for name in numbers}):
                self.add_error(problem.field, term_problem_text(problem))
        if data.get("retention_years") is not None:
            for problem in retention_problems(retention_years=data["retention_years"]):
                self.add_error(problem.field, term_problem_text(problem))
        if data.get("ruling_consequence_working_days") is not None:
            for problem in consequence_problems(
                ruling_consequence_working_days=data["ruling_consequence_working_days"]
            ):
                self.add_error(problem.field, term_problem_text(problem))
        return data


class RemindersForm(forms.Form):
    """How early the handler and the receiver are reminded before each deadline (issue #5)."""

    reminder_contact_working_hours = _number(
        _("Herinnering voor het contact (werkuren vooraf)"),
        LEAD_BOUNDS["contact_working_hours"],
        _("Van {min} tot en met {max}. Standaard {default}."),
        ReminderLeads().contact_working_hours,
    )
    reminder_delay_notice_day = _number(
        _("Vraag om een uitstelbericht op dag"),
        LEAD_BOUNDS["delay_notice_day"],
        _("Dag {min} tot en met {max} na ontvangst. Standaard dag {default}."),
        ReminderLeads().delay_notice_day,
    )
    reminder_settlement_day = _number(
        _("Herinnering voor de afhandeling op dag"),
        LEAD_BOUNDS["settlement_day"],
        _("Dag {min} tot en met {max} na ontvangst. Standaard dag {default}."),
        ReminderLeads().settlement_day,
    )
    reminder_action_working_days = _number(
        _("Herinnering voor acties en afgesproken termijnen (werkdagen vooraf)"),
        LEAD_BOUNDS["action_working_days"],
        _("Van {min} tot en met {max}. Standaard {default}."),
        ReminderLeads().action_working_days,
    )


class CalendarForm(forms.Form):
    """Which disputed public holidays are days off (PROCEDURE.md, "Deadlines, exactly")."""

    good_friday_off = forms.BooleanField(label=_("Goede Vrijdag is een vrije dag"), required=False)
    liberation_day_every_year = forms.BooleanField(
        label=_("Bevrijdingsdag (5 mei) is elk jaar een vrije dag"),
        required=False,
        help_text=_("Uit: alleen in lustrumjaren (2025, 2030, …)."),
    )


class OrganisationForm(DetailsForm, ThirdPartyForm):
    """*Organisatie*: who we are and the independent third party, saved together in one go."""

    field_order = (*DETAILS_FIELDS, *THIRD_PARTY_FIELDS)

    @property
    def details_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in DETAILS_FIELDS]

    @property
    def third_party_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in THIRD_PARTY_FIELDS]


class TermsCalendarForm(TermsForm, CalendarForm):
    """*Termijnen en kalender*: the terms, retention and the disputed holidays in one go."""

    field_order = (*TERMS_FIELDS, *CALENDAR_FIELDS)

    @property
    def term_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TERMS_FIELDS if not name.startswith("retention_")]

    @property
    def retention_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TERMS_FIELDS if name.startswith("retention_")]

    @property
    def calendar_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CALENDAR_FIELDS]


class ClosingDaysForm(forms.Form):
    """One closing day, or a period of them (Christmas week), with what it is (R3, R16)."""

    first = _date(
        _("Datum (of eerste dag)"),
        required=True,
        required_message=_("Vul de datum van de sluitingsdag in."),
    )
    last = _date(_("Tot en met (leeg voor één dag)"), required=False)
    description = _text(
        _("Omschrijving"),
        max_length=200,
        required=True,
        required_message=_("Vul een omschrijving in, bijvoorbeeld Kerstsluiting."),
    )


class ListItemForm(forms.Form):
    """A new category or root cause."""

    name = _text(_("Naam"), max_length=100, required=True, required_message=_("Vul een naam in."))


class ListItemEditForm(forms.Form):
    """Rename a category or root cause, or take it out of use."""

    name = _text(_("Naam"), max_length=100, required=True, required_message=_("Vul een naam in."))
    active = forms.BooleanField(label=_("In gebruik"), required=False)


class CourseEditForm(ListItemEditForm):
    """Rename a course, take it out of use, and say who gives it (#16 item 1).

    The trainers on offer are those in use and those the course already has.
    """

    trainers = forms.MultipleChoiceField(
        label=_("Trainers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies trainers uit de lijst van trainers in gebruik.")},
    )

    def __init__(self, *args: Any, trainers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainers"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(pk), name) for pk, name in trainers]

    def trainer_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("trainers") or []]


class TrainerReportsForm(forms.Form):
    """Whether reports name trainers or show them as "Trainer A" (#16 item 1)."""

    trainers_pseudonymised = forms.BooleanField(
        label=_("Trainers in rapportages gepseudonimiseerd tonen"),
        required=False,
        help_text=_(
            "Op het dashboard, in de overzichten per trainer en in het register staat dan "
            "„Trainer A”, „Trainer B” in plaats van de naam. Elke trainer houdt altijd "
            "dezelfde letter."
        ),
    )
