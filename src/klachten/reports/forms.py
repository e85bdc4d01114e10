"""The forms of management insight: they check the shape of the input, nothing more."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.domain.figures import month_of, months_between
from klachten.organisation.models import RootCause
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


class MeasureForm(forms.Form):
    """An improvement measure and the root causes it addresses."""

    title = forms.CharField(
        label=_("Maatregel"),
        max_length=200,
        error_messages={"required": _("Vul in welke maatregel is genomen.")},
    )
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    root_causes = forms.MultipleChoiceField(
        label=_("Oorzaken waar de maatregel op ingaat"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één oorzaak waar de maatregel op ingaat."),
            "invalid_choice": _("Kies oorzaken uit de lijst."),
        },
    )
    taken_on = forms.DateField(
        label=_("Genomen op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul in wanneer de maatregel is genomen."),
            "invalid": _("Vul een datum in, bijvoorbeeld 12 november 2026."),
        },
    )

    def __init__(
        self, data: Any = None, *, root_causes: Sequence[RootCause], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.root_cause_list = list(root_causes)
        cast(forms.MultipleChoiceField, self.fields["root_causes"]).choices = [
            (str(cause.pk), cause.name) for cause in self.root_cause_list
        ]

    def chosen_root_causes(self) -> list[RootCause]:
        chosen = set(self.cleaned_data.get("root_causes") or [])
        return [cause for cause in self.root_cause_list if str(cause.pk) in chosen]
