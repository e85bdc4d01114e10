"""The forms of management insight: they check the shape of the input, nothing more."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError
from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.domain.figures import month_of, months_between
from klachten.organisation.models import Course, RootCause
from klachten.reports.models import ImprovementMeasure
from klachten.reports.register import register_period
from klachten.reports.selectors import Period

MAX_MONTHS = 120  # ten years: a period's months are computed at most once each
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class MonthInput(forms.TextInput):
    input_type = "month"


def _month_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=7,
        widget=MonthInput(),
        help_text=_("Maand als jjjj-mm, bijvoorbeeld 2026-01."),
    )


def _parse_month(value: str) -> date | None:
    match = _MONTH.fullmatch(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if year not in SUPPORTED_YEARS or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


class PeriodForm(forms.Form):
    """Whole months by receipt, from ``van`` to ``tot`` included; this year by default."""

    van = _month_field(_("Van maand"))
    tot = _month_field(_("Tot en met maand"))

    def __init__(self, data: Any = None, *, now: datetime, **kwargs: Any) -> None:
        default = Period.this_year(now)
        kwargs.setdefault(
            "initial", {"van": f"{default.first:%Y-%m}", "tot": f"{default.last:%Y-%m}"}
        )
        super().__init__(data, **kwargs)
        self.now = now

    def _month(self, name: str) -> date | None:
        value = cast(str, self.cleaned_data.get(name) or "")
        if not value.strip():
            return None
        month = _parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("Vul een maand in als jjjj-mm, bijvoorbeeld 2026-01."), code="invalid"
            )
        return month

    def clean_van(self) -> date | None:
        return self._month("van")

    def clean_tot(self) -> date | None:
        return self._month("tot")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        default = Period.this_year(self.now)
        first = data.get("van") or (
            default.first if data.get("tot") is None else data["tot"].replace(month=1)
        )
        last = data.get("tot") or max(first, min(default.last, first.replace(month=12)))
        if last < first:
            self.add_error("tot", _("De laatste maand ligt vóór de eerste."))
        elif len(months_between(first, last)) > MAX_MONTHS:
            self.add_error("tot", _("Kies een periode van hooguit tien jaar."))
        data["period"] = Period(first, last)
        return data

    @property
    def period(self) -> Period:
        """The chosen period, or this year when the input is missing or wrong."""
        if self.is_valid():
            return cast(Period, self.cleaned_data["period"])
        return Period.this_year(self.now)

    def query(self) -> str:
        """The period as a query string, for links that keep it."""
        period = self.period
        return f"van={period.first:%Y-%m}&tot={period.last:%Y-%m}"


class ReportForm(forms.Form):
    """The annual report: which year, PDF or CSV."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    formaat = forms.ChoiceField(
        label=_("Formaat"),
        choices=[("pdf", _("PDF")), ("csv", _("CSV voor Excel"))],
        initial="pdf",
    )

    def __init__(self, data: Any = None, *, now: datetime, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        this_year = month_of(now).year
        years = [(year, str(year)) for year in range(this_year, this_year - 11, -1)]
        field = cast(forms.TypedChoiceField, self.fields["jaar"])
        field.choices = years
        field.initial = this_year if month_of(now).month == 12 else this_year - 1
        field.error_messages = {
            "required": _("Kies een jaar."),
            "invalid_choice": _("Kies een jaar uit de lijst."),
        }


class RegisterForm(forms.Form):
    """The register of complaints (#16 item 3): received from ``van`` to ``tot`` (both
    included), as XLSX or CSV, with or without the customers' names."""

    van = forms.DateField(
        label=_("Ontvangen vanaf"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de eerste dag van de periode in."),
            "invalid": _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-01-01."),
        },
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de laatste dag van de periode in."),
            "invalid": _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-12-31."),
        },
    )
    formaat = forms.ChoiceField(
        label=_("Formaat"),
        choices=[("xlsx", _("Excel (XLSX)")), ("csv", _("CSV voor Excel"))],
        initial="xlsx",
        error_messages={
            "required": _("Kies XLSX of CSV."),
            "invalid_choice": _("Kies XLSX of CSV."),
        },
    )
    namen = forms.BooleanField(
        label=_("Met de namen van de klanten"),
        required=False,
        initial=True,
        help_text=_("Zet dit uit voor een register dat u aan iemand buiten de directie geeft."),
    )

    def __init__(self, data: Any = None, *, now: datetime, **kwargs: Any) -> None:
        today = local_today(now)
        kwargs.setdefault(
            "initial",
            {"van": today.replace(month=1, day=1), "tot": today, "formaat": "xlsx", "namen": True},
        )
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            register_period(data["van"], data["tot"], first_field="van", last_field="tot")
        except ApplicationError as error:
            field = error.field if error.field in self.fields else None
            detail = error.detail
            if error.code == "out_of_range":
                detail = str(
                    _("Kies een datum van %(first)s tot en met %(last)s.")
                    % {"first": SUPPORTED_YEARS[0], "last": SUPPORTED_YEARS[-1]}
                )
            self.add_error(field, detail)
        return data


def _date_field(label: Any, *, required: bool, missing: Any = "", help_text: Any = "") -> Any:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": missing,
            "invalid": _("Vul een datum in, bijvoorbeeld 12 november 2026."),
        },
    )


class MeasureForm(forms.Form):
    """An improvement measure as a cycle (#16 item 2): what, who owns it, by when, its status,
    since when it is in effect, when its effect is checked, and the root causes and courses it
    addresses. The shape only; the rules are the service's (``services.measure_create``)."""

    title = forms.CharField(
        label=_("Maatregel"),
        max_length=200,
        error_messages={"required": _("Vul in welke maatregel is genomen.")},
    )
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(
        label=_("Eigenaar"),
        coerce=int,
        help_text=_("Wie zorgt dat de maatregel wordt uitgevoerd; krijgt de herinneringen."),
        error_messages={
            "required": _("Kies wie eigenaar is van de maatregel."),
            "invalid_choice": _("Kies een eigenaar uit de lijst."),
        },
    )
    due_on = _date_field(
        _("Klaar op"), required=True, missing=_("Vul in wanneer de maatregel klaar moet zijn.")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ImprovementMeasure.Status.choices,
        initial=ImprovementMeasure.Status.PLANNED,
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
    taken_on = _date_field(
        _("In werking sinds"),
        required=False,
        help_text=_("Leeg zolang de maatregel gepland is; nodig als hij is uitgevoerd."),
    )
    check_due_on = _date_field(
        _("Effect controleren op"),
        required=False,
        help_text=_(
            "Wanneer wordt bekeken of de maatregel werkt; de eigenaar krijgt dan een "
            "herinnering. Nodig als de maatregel is uitgevoerd."
        ),
    )
    root_causes = forms.MultipleChoiceField(
        label=_("Oorzaken waar de maatregel op ingaat"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies oorzaken uit de lijst.")},
    )
    courses = forms.MultipleChoiceField(
        label=_("Cursussen waar de maatregel op ingaat"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies cursussen uit de lijst.")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        root_causes: Sequence[RootCause],
        courses: Sequence[Course] = (),
        owners: Sequence[Staff] = (),
        measure: ImprovementMeasure | None = None,
        **kwargs: Any,
    ) -> None:
        if measure is not None and not kwargs.get("initial"):
            kwargs["initial"] = _measure_initial(measure)
        super().__init__(data, **kwargs)
        # A measure keeps its root causes, courses and owner also when taken out of use.
        self.root_cause_list = _with_kept(root_causes, measure.root_causes.all() if measure else [])
        self.course_list = _with_kept(courses, measure.courses.all() if measure else [])
        self.owner_list = _with_kept(owners, [measure.owner] if measure else [])
        cast(forms.MultipleChoiceField, self.fields["root_causes"]).choices = [
            (str(cause.pk), cause.name) for cause in self.root_cause_list
        ]
        cast(forms.MultipleChoiceField, self.fields["courses"]).choices = [
            (str(course.pk), course.name) for course in self.course_list
        ]
        cast(forms.TypedChoiceField, self.fields["owner"]).choices = [
            ("", _("Kies een eigenaar")),
            *((staff.pk, str(staff)) for staff in self.owner_list),
        ]

    def chosen_root_causes(self) -> list[RootCause]:
        chosen = set(self.cleaned_data.get("root_causes") or [])
        return [cause for cause in self.root_cause_list if str(cause.pk) in chosen]

    def chosen_courses(self) -> list[Course]:
        chosen = set(self.cleaned_data.get("courses") or [])
        return [course for course in self.course_list if str(course.pk) in chosen]

    def chosen_owner(self) -> Staff | None:
        owner = self.cleaned_data.get("owner")
        return next((staff for staff in self.owner_list if staff.pk == owner), None)


M = TypeVar("M", RootCause, Course, Staff)


def _with_kept(choices: Sequence[M], kept: Iterable[M]) -> list[M]:
    """The choices in use, and after them those a measure has that are no longer in use."""
    listed = list(choices)
    known = {item.pk for item in listed}
    return listed + [item for item in kept if item.pk not in known]


def _measure_initial(measure: ImprovementMeasure) -> dict[str, Any]:
    return {
        "title": measure.title,
        "description": measure.description,
        "owner": measure.owner_id,
        "due_on": measure.due_on,
        "status": measure.status,
        "taken_on": measure.taken_on,
        "check_due_on": measure.check_due_on,
        "root_causes": [str(cause.pk) for cause in measure.root_causes.all()],
        "courses": [str(course.pk) for course in measure.courses.all()],
    }


class MeasureCheckForm(forms.Form):
    """The check of a measure's effect: when, how, effective or not, and a note."""

    checked_on = _date_field(
        _("Gecontroleerd op"),
        required=True,
        missing=_("Vul in wanneer het effect is gecontroleerd."),
    )
    check_method = forms.CharField(
        label=_("Hoe gecontroleerd"),
        help_text=_(
            "Bijvoorbeeld: meldingen over deze oorzaak vergeleken, deelnemers nagebeld, "
            "evaluaties gelezen."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf hoe het effect is gecontroleerd.")},
    )
    check_result = forms.ChoiceField(
        label=_("Resultaat"),
        choices=ImprovementMeasure.Result.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of de maatregel effectief was of niet."),
            "invalid_choice": _("Kies of de maatregel effectief was of niet."),
        },
    )
    check_note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        help_text=_("Bij 'niet effectief': wat er nu gebeurt, bijvoorbeeld een nieuwe maatregel."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, measure: ImprovementMeasure, today: date, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "checked_on": measure.checked_on or today,
                "check_method": measure.check_method,
                "check_result": measure.check_result,
                "check_note": measure.check_note,
            },
        )
        super().__init__(data, **kwargs)
