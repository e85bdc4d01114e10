"""``{% form_field %}`` (``complaints/templatetags/klachten_forms.py``, #17 item 2) writes
exactly what ``complaints/_field.html`` wrote as a template: that template's text is kept
below as the specification, and both render every kind of field — checkbox, radio and
checkbox groups, selects, dates the working-day check watches, texts the live wording check
watches (R12, R13), with and without errors, help, prefixes, ids — and every field of the
product's own forms."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import engines

from klachten.complaints import forms as complaint_forms
from klachten.complaints.templatetags.klachten_forms import field_html
from klachten.messaging import forms as message_forms
from klachten.public import forms as public_forms

FORMER_TEMPLATE = (
    '{% load klachten_i18n %}{% if field.widget_type == "checkbox" %}\n  <la'
    'bel for="{{ field.id_for_label }}">{{ field }} {{ field.label }}</labe'
    'l>\n  {% if field.errors %}<small id="{{ field.auto_id }}_error" class='
    '"error">{{ field.errors|join:" " }}</small>{% endif %}\n{% elif field.u'
    "se_fieldset %}\n  <fieldset{% if field.aria_describedby %} aria-describ"
    'edby="{{ field.aria_describedby }}"{% endif %}>\n    <legend>{{ field.l'
    'abel }}</legend>\n    {% for choice in field %}<label for="{{ choice.id'
    '_for_label }}">{{ choice.tag }} {{ choice.choice_label }}</label>{% en'
    'dfor %}\n    {% if field.errors %}<small id="{{ field.auto_id }}_error"'
    ' class="error">{{ field.errors|join:" " }}</small>{% endif %}\n    {% i'
    'f field.help_text %}<small id="{{ field.auto_id }}_helptext">{{ field.'
    "help_text }}</small>{% endif %}\n  </fieldset>\n{% else %}\n  <label for="
    '"{{ field.id_for_label }}">{{ field.label }}</label>\n  {% if field.nam'
    "e in checked %}\n    <div hx-post=\"{% url 'messaging:wording-check' %}?"
    'veld={{ field.html_name|urlencode }}"\n         hx-trigger="input delay'
    ':500ms, load" hx-target="#{{ field.auto_id }}_check" hx-swap="innerHTM'
    'L">{{ field }}</div>\n  {% elif field.field.workday_check %}{% include '
    '"complaints/_date_input.html" %}{% else %}{{ field }}{% endif %}\n  {% '
    'if field.errors %}<small id="{{ field.auto_id }}_error" class="error">'
    '{{ field.errors|join:" " }}</small>{% endif %}\n  {% if field.help_text'
    ' %}<small id="{{ field.auto_id }}_helptext">{{ field.help_text }}</sma'
    'll>{% endif %}\n  {% if field.name in checked %}<div id="{{ field.auto_'
    'id }}_check" class="wording-check" aria-live="polite"></div>{% endif %'
    "}\n{% endif %}\n"
)


class _Kinds(forms.Form):
    name = forms.CharField(label="Naam <b> & co", help_text="Zoals op de <map>.", max_length=5)
    body = forms.CharField(widget=forms.Textarea, help_text="De tekst.")
    agree = forms.BooleanField(label="Akkoord & <verder>", help_text="niet getoond")
    kind = forms.ChoiceField(
        choices=[("a", "Eén <a>"), ("b", "Twee & drie")],
        widget=forms.RadioSelect,
        help_text="Kies er één.",
    )
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    pick = forms.ChoiceField(choices=[("", "—"), ("1", "Een")], required=False)
    day = complaint_forms.workday_checked(forms.DateField(label="Datum", required=False))
    plain_day = forms.DateField(required=False)
    hidden_initial = forms.CharField(required=False, show_hidden_initial=True, initial="x")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


_BAD = {"name": "<script>te lang</script>", "kind": "zz", "day": "gisteren", "body": ""}


def _former(field: Any, **context: Any) -> str:
    template = engines["django"].from_string(FORMER_TEMPLATE)
    return template.render({"field": field, **context})


def _same(form: forms.BaseForm, checked: Any) -> int:
    compared = 0
    for field in form:
        context = {} if checked is None else {"checked": checked}
        assert str(field_html(field, checked)) == _former(field, **context), field.name
        through = engines["django"].from_string("{% include 'complaints/_field.html' %}")
        assert through.render({"field": field, **context}) == _former(field, **context)
        compared += 1
    return compared


@pytest.mark.parametrize("checked", [None, ["body", "name"], ("agree", "kind", "day"), "body"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: _Kinds(),
        lambda: _Kinds(_BAD),
        lambda: _Kinds(_BAD, prefix="p-1"),
        lambda: _Kinds(auto_id=False),
        lambda: _Kinds(_BAD, auto_id="veld_%s"),
    ],
    ids=["unbound", "errors", "prefix", "no ids", "own ids"],
)
def test_every_kind_of_field_is_written_as_the_template_wrote_it(db, make, checked):
    assert _same(make(), checked) == len(_Kinds.base_fields)


def test_the_products_forms_are_written_as_the_template_wrote_them(db, employee):
    from klachten.organisation.models import Category, RootCause

    category = Category.objects.create(name="Planning & <rooster>")
    cause = RootCause.objects.create(name="Communicatie")
    built = [
        complaint_forms.IntakeForm(),
        complaint_forms.IntakeForm({"report": "", "received_at": "nooit"}),
        complaint_forms.ContactForm(),
        complaint_forms.ContactForm({"summary": ""}),
        complaint_forms.SolutionForm(),
        complaint_forms.CloseForm(),
        complaint_forms.DisputeForm(),
        complaint_forms.ExtendForm(),
        complaint_forms.AssignForm(
            staff=[employee],
            categories=[category],
            root_causes=[cause],
            may_reassign=True,
            unclaimed=True,
            initial={"category": str(category.pk)},
        ),
        message_forms.MessageForm(),
        message_forms.MessageForm({"subject": "", "body": "x"}),
        public_forms.StatusCodeForm(),
        public_forms.ViewForm(),
        public_forms.SatisfactionForm(),
    ]
    compared = 0
    for form in built:
        for checked in (None, ["subject", "body", "summary", "report", "solution"]):
            compared += _same(form, checked)
    assert compared > 60
