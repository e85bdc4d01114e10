"""A form field as the staff and customer pages show it, rendered in Python (#17 item 2).

``complaints/_field.html`` is included for every field of every form (a hundred places): a
label, the widget, its errors and help, and for a text the wording guard checks while typing
(R12, R13; ``checked`` in the context names those fields) the live check's box. As template
lookups that was about a tenth of a millisecond per field. ``{% form_field field %}`` writes
exactly what that template wrote, whitespace included (a test renders the template's former
text beside it for every kind of field); every value is escaped as the template escaped it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.forms import BoundField
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _errors(field: BoundField, id_: str) -> str:
    errors = field.errors
    if not errors:
        return ""
    joined = " ".join(str(conditional_escape(error)) for error in errors)  # type: ignore[arg-type]  # ErrorList iterates as text
    return f'<small id="{id_}_error" class="error">{joined}</small>'


def _help(field: BoundField, id_: str) -> str:
    if not field.help_text:
        return ""
    return f'<small id="{id_}_helptext">{conditional_escape(field.help_text)}</small>'


def field_html(field: BoundField, checked: Any = None) -> SafeString:
    """What ``complaints/_field.html`` rendered for ``field``."""
    id_ = str(conditional_escape(field.auto_id))
    label = conditional_escape(field.label)
    if field.widget_type == "checkbox":
        return mark_safe(  # noqa: S308 - every value is escaped
            f'\n  <label for="{conditional_escape(field.id_for_label)}">{field} {label}</label>'
            f"\n  {_errors(field, id_)}\n\n"
        )
    if field.use_fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        choices = "".join(
            f'<label for="{conditional_escape(choice.id_for_label)}">{choice.tag()} '
            f"{conditional_escape(choice.choice_label)}</label>"
            for choice in field
        )
        return mark_safe(  # noqa: S308 - every value is escaped
            f"\n  <fieldset{aria}>\n    <legend>{label}</legend>\n    {choices}"
            f"\n    {_errors(field, id_)}\n    {_help(field, id_)}\n  </fieldset>\n\n"
        )
    try:
        live = field.name in checked
    except TypeError:  # no ``checked`` in the context: as the template's ``in``, no
        live = False
    if live:
        url = reverse("messaging:wording-check")
        name = conditional_escape(quote(field.html_name, safe="/"))
        widget = (
            f'\n    <div hx-post="{url}?veld={name}"\n         hx-trigger="input delay:500ms, load"'
            f' hx-target="#{id_}_check" hx-swap="innerHTML">{field}</div>\n  '
        )
        box = f'<div id="{id_}_check" class="wording-check" aria-live="polite"></div>'
    else:
        # A date the working-day check watches (R16, #10): its own template, as before.
        widget = (
            get_template("complaints/_date_input.html").render({"field": field})
            if getattr(field.field, "workday_check", False)
            else str(field)
        )
        box = ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'\n  <label for="{conditional_escape(field.id_for_label)}">{label}</label>\n  {widget}'
        f"\n  {_errors(field, id_)}\n  {_help(field, id_)}\n  {box}\n\n"
    )


@register.simple_tag(takes_context=True)
def form_field(context: template.Context, field: BoundField) -> SafeString:
    """``{% form_field field %}``: the field with its label, errors and help (see above)."""
    return field_html(field, context.get("checked"))
