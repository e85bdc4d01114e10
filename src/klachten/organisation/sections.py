"""The sections of *Instellingen*, each its own page with one save (issue #14, item 5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """A page of *Instellingen*: its key, its name in the section navigation and its URL name."""

    key: str
    label: Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS: Final = (
    Section("organisatie", _("Organisatie"), "organisation:details"),
    Section("termijnen", _("Termijnen en kalender"), "organisation:terms"),
    Section("herinneringen", _("Herinneringen"), "organisation:reminders"),
    Section("indeling", _("Categorieën en oorzaken"), "organisation:lists"),
    Section("cursussen", _("Cursussen en trainers"), "organisation:courses"),
    # Its own page in messaging, which includes the section navigation itself.
    Section("berichtsjablonen", _("Berichtsjablonen"), "messaging:templates"),
    Section("medewerkers", _("Medewerkers"), "organisation:accounts"),
)
SECTION_OF: Final = {section.key: section for section in SECTIONS}
