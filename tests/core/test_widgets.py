"""The Python-rendered widgets give the same choices, selection and escaping as Django's."""

from __future__ import annotations

import pytest
from django import forms

from klachten.core.widgets import FastRadioSelect, FastSelect


class _Form(forms.Form):
    who = forms.ChoiceField(
        choices=[("", "—"), ("1", "Petra <de Vries>"), ("2", "Ahmed")], widget=FastSelect
    )


def test_fast_select_marks_the_value_and_escapes_labels():
    html = str(_Form({"who": "2"})["who"])
    assert html.startswith("<select ")
    assert 'name="who"' in html
    assert 'id="id_who"' in html
    assert '<option value="2" selected>Ahmed</option>' in html
    assert "Petra &lt;de Vries&gt;" in html
    assert html.count(" selected") == 1


def test_fast_select_carries_the_accessibility_attributes_of_an_error():
    form = _Form({"who": "9"})
    assert not form.is_valid()
    html = str(form["who"])
    assert 'aria-invalid="true"' in html


_CHOICES = [("unknown", "Niet <bekend>"), ("yes", "Ja"), ("no", "Nee & meer")]


def _radio_form(widget: type[forms.RadioSelect]) -> type[forms.Form]:
    attrs = {"data-note": 'a "b"', "disabled": True, "hidden": False}
    return type(
        "RadioForm",
        (forms.Form,),
        {"booked": forms.ChoiceField(choices=_CHOICES, widget=widget(attrs=attrs))},
    )


@pytest.mark.parametrize("data", [None, {"booked": "yes"}, {"booked": "maybe"}])
def test_fast_radio_buttons_are_the_html_of_djangos(data):
    """Each choice's input, alone and wrapped in its label, is byte for byte Django's own
    (attributes in their order, escaping, checked, required, the error's aria-invalid)."""
    django_form = _radio_form(forms.RadioSelect)(data, initial={"booked": "no"})
    fast_form = _radio_form(FastRadioSelect)(data, initial={"booked": "no"})
    django_form.is_valid(), fast_form.is_valid()
    for django_choice, fast_choice in zip(django_form["booked"], fast_form["booked"], strict=True):
        assert str(fast_choice.tag()) == str(django_choice.tag())
        assert str(fast_choice.tag(wrap_label=True)) == str(django_choice.tag(wrap_label=True))
    assert str(fast_form["booked"]) == str(django_form["booked"])
    assert "Niet &lt;bekend&gt;" in str(fast_form["booked"])


def test_fast_select_options_are_djangos_escaping_of_every_character():
    """Options are escaped as Django's ``escape`` does, quotes and ampersands and lazy labels
    in the active language included."""
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext_lazy

    hard = 'O\'Brien & "Zonen" <b>'
    choices = [(hard, hard), ("lazy", gettext_lazy("Opslaan")), (7, 7)]
    widget = FastSelect(choices=choices)
    with translation.override("en"):
        html = widget.render("x", hard)
    expected = "".join(
        f'<option value="{escape(value)}"{" selected" if value == hard else ""}>'
        f"{escape(label)}</option>"
        for value, label in [(hard, hard), ("lazy", "Save"), (7, 7)]
    )
    assert html == f'<select name="x">{expected}</select>'
