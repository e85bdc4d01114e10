"""The section navigation of *Instellingen* and the first-run checklist for the start page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.functional import Promise

from klachten.accounts.models import Staff
from klachten.organisation import selectors
from klachten.organisation.sections import SECTIONS

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    label: Promise
    url: str
    current: str  # the value of aria-current: "page", "true" (a page within it) or ""


@register.simple_tag(takes_context=True)
def settings_sections(context: template.Context, section: str = "") -> list[NavLink]:
    """Every section with its link; the one open is the current page, or holds it."""
    request = context.get("request")
    path = request.path if request is not None else ""
    links = []
    for each in SECTIONS:
        url = each.url
        current = "page" if url == path else "true" if each.key == section else ""
        links.append(NavLink(each.label, url, current))
    return links


@register.simple_tag
def setup_checklist_for(user: Any) -> list[selectors.SetupItem]:
    """What management still has to fill in (two queries); nothing for anyone else."""
    if not isinstance(user, Staff) or not user.may_change_settings:
        return []
    return selectors.setup_checklist()
