"""Step and reason names in templates."""

from __future__ import annotations

from django import template

from klachten.complaints.texts import step_text
from klachten.domain.lifecycle import Step

register = template.Library()


@register.filter
def step_name(step: str) -> str:
    """``{{ step|step_name }}``: the button text of a lifecycle step."""
    return step_text(Step(step))
