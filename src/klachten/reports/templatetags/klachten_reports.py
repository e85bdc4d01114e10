"""Numbers the Dutch way in the management pages: 91,7%, 5,5 uur, +12 (R3, R16)."""

from __future__ import annotations

import base64

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.reports.insight import decimal, percent

register = template.Library()


@register.filter(name="percent")
def percent_filter(value: float | None) -> str:
    """A share as a whole percentage ("92%"), or "–" when nothing applied."""
    return percent(value)


@register.filter
def hours(value: float | None) -> str:
    """A median in hours ("5,5 uur"), or "–"."""
    if value is None:
        return "–"
    return _("%(hours)s uur") % {"hours": decimal(value, 1).removesuffix(",0")}


@register.filter
def days(value: float | None) -> str:
    """A median in days ("12 dagen"), or "–"."""
    if value is None:
        return "–"
    text = decimal(value, 1).removesuffix(",0")
    return ngettext("%(days)s dag", "%(days)s dagen", 1 if text == "1" else 2) % {"days": text}


@register.filter
def change(current: int, before: int) -> str:
    """How ``current`` compares with ``before``, in words: "12 meer", "3 minder", "gelijk"."""
    difference = current - before
    if difference > 0:
        return _("%(n)s meer") % {"n": difference}
    if difference < 0:
        return _("%(n)s minder") % {"n": -difference}
    return _("evenveel")


@register.filter
def svg_data_uri(svg: str) -> str:
    """A chart as a ``data:`` image, for the PDF (WeasyPrint draws it with its SVG renderer)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
