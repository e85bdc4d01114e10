"""Options set on a form's choice fields (``forms._set_choices``, #17 item 2) are exactly what
Django's own setter makes of them, on the field and on its widget, and render the same."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from klachten.complaints.forms import _set_choices
from klachten.core.widgets import FastSelect


class _Form(forms.Form):
    plain = forms.ChoiceField(required=False)
    fast = forms.ChoiceField(required=False, widget=FastSelect)
    radio = forms.ChoiceField(required=False, widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "choices",
    [
        [("", gettext_lazy("Nog niemand")), ("12", "Petra de Vries"), ("7", "Jan & <Zoon>")],
        [("1", "Eén")],
        [],
        [(1, "een id als getal"), ("2", "twee")],  # not text: Django's way
        [("Groep", [("a", "A"), ("b", "B")]), ("c", "C")],  # a group: Django's way
        [["3", "een lijst"]],  # not a tuple: Django's way
    ],
)
def test_options_are_what_djangos_setter_makes(choices: list[Any]) -> None:
    ours, django = _Form(), _Form()
    for name in ("plain", "fast", "radio"):
        _set_choices(ours, name, choices)
        django.fields[name].choices = choices
        assert ours.fields[name].choices == django.fields[name].choices
        assert ours.fields[name].widget.choices == django.fields[name].widget.choices
        assert str(ours[name]) == str(django[name])
    # A copy of the form's fields (the next form) keeps its own options.
    again = _Form()
    assert again.fields["plain"].choices == []
