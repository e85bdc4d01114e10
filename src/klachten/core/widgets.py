"""Form widgets that render in Python.

Django renders a ``<select>`` through a template per option; a handler select lists every
staff member, so on pages shown all day that costs more than the page's database work.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A plain ``<select>`` (no option groups) with the same HTML as Django's, built directly."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        # html.escape of the text is what Django's escape() returns, without its check for
        # lazy arguments on each of a few hundred calls (#17 item 2).
        options = "".join(
            f'<option value="{html.escape(str(option_value))}"'
            f"{' selected' if str(option_value) in selected else ''}>"
            f"{html.escape(str(label))}</option>"
            for option_value, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 - escaped


class FastRadioSelect(forms.RadioSelect):
    """Radio buttons whose inputs are built directly, with the HTML of Django's
    ``input_option.html``: three template renders per choice otherwise (#17 item 2)."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        widget = context["widget"]
        value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        attrs = "".join(  # in their order, as django/forms/widgets/attrs.html
            f" {name}" if setting is True else f' {name}="{escape(setting)}"'
            for name, setting in widget["attrs"].items()
            if setting is not False
        )
        tag = (
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{attrs}>'
        )
        if widget.get("wrap_label"):
            target = widget["attrs"].get("id")
            opening = f' for="{escape(target)}"' if target else ""
            tag = f"<label{opening}>{tag}\n {escape(widget['label'])}</label>"
        return mark_safe(tag)  # noqa: S308 - every value is escaped
