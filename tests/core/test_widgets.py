"""The Python-rendered select gives the same choices, selection and escaping as Django's."""

from __future__ import annotations

from django import forms

from klachten.core.widgets import FastSelect


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
