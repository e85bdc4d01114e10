"""The organisation's terms in words (Dutch first), the same on every page and in the regulation.

R3, R16, R5, R17: the numbers come from the settings, never from the text, so "binnen 3 weken"
is written only while the system computes 21 days.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.domain.terms import TermProblem, Terms, whole_weeks


def working_hours_text(hours: int) -> str:
    """R3: "24 werkuren"."""
    return ngettext("%(count)d werkuur", "%(count)d werkuren", hours) % {"count": hours}


def days_text(days: int) -> str:
    """R16: "3 weken" for 21 days, "20 dagen" for 20: weeks only when they are whole."""
    weeks = whole_weeks(days)
    if weeks is not None:
        return ngettext("%(count)d week", "%(count)d weken", weeks) % {"count": weeks}
    return ngettext("%(count)d dag", "%(count)d dagen", days) % {"count": days}


def working_days_text(days: int) -> str:
    """R11: "5 werkdagen"."""
    return ngettext("%(count)d werkdag", "%(count)d werkdagen", days) % {"count": days}


def years_text(years: int) -> str:
    """R5: "2 jaar"."""
    return ngettext("%(count)d jaar", "%(count)d jaar", years) % {"count": years}


@dataclass(frozen=True)
class TermsText:
    """The three deadline terms in words, for labels ("24 werkuren", "3 weken", "4 weken")."""

    contact: str
    delay_notice: str
    settlement: str


def terms_text(terms: Terms) -> TermsText:
    """The terms in force, in words (R3, R16)."""
    return TermsText(
        contact=working_hours_text(terms.contact_working_hours),
        delay_notice=days_text(terms.delay_notice_days),
        settlement=days_text(terms.settlement_days),
    )


def term_problem_text(problem: TermProblem) -> str:
    """Why a term cannot be used, in Dutch, for next to its field."""
    if problem.code == "delay_notice_not_before_settlement":
        return (
            _(
                "Het uitstelbericht moet vóór de afhandeltermijn vallen: kies minder dan "
                "%(settlement_days)d dagen."
            )
            % problem.params
        )
    return _("Kies een waarde van %(min)d tot en met %(max)d.") % problem.params
