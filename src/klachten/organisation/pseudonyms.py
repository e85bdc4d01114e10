"""Trainers shown without their names in reports (#16 item 1).

The figures per trainer go to people who need not know names, so management may have reports
say "Trainer A", "Trainer B" instead (``OrganisationSettings.trainers_pseudonymised``).

*Which letter.* A trainer's letters are its database id written in the letters of a
spreadsheet's columns (1 → A, 26 → Z, 27 → AA, …). So a label is stable across reports,
periods and downloads (the dashboard, the drill-down and the register of March and of the
whole year say the same "Trainer C"), needs no query and no stored state, and never shifts when
a trainer is renamed, taken out of use or (which complaints prevent) removed. The letters follow
the order in which trainers were added to the list, not their names, so they reveal nothing but
that order. A keyed hash would hide even that, but gives long codes that collide and that no
one can say out loud in a meeting.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from klachten.organisation.selectors import organisation_settings


class TrainerLike(Protocol):
    """A trainer as reports hold it: its id and its name (a ``Trainer`` is one)."""

    @property
    def pk(self) -> int | None: ...

    @property
    def name(self) -> str: ...


def letters(number: int) -> str:
    """``number`` (1 or more) in spreadsheet-column letters: 1 → A, 26 → Z, 27 → AA."""
    if number < 1:
        raise ValueError(number)
    found = ""
    while number:
        number, rest = divmod(number - 1, 26)
        found = chr(ord("A") + rest) + found
    return found


def trainer_pseudonym(trainer_id: int) -> str:
    """The pseudonym of the trainer with id ``trainer_id`` ("Trainer C" for 3), in every
    report the same."""
    return _("Trainer %(letters)s") % {"letters": letters(trainer_id)}


def trainer_label(trainer: TrainerLike | None, pseudonymise: bool) -> str:
    """How a report names ``trainer``: its name, or with ``pseudonymise`` its pseudonym;
    empty for no trainer (the caller says "Geen trainer" where it needs to)."""
    if trainer is None or trainer.pk is None:
        return ""
    return trainer_pseudonym(trainer.pk) if pseudonymise else trainer.name


def trainers_pseudonymised() -> bool:
    """Whether reports show trainers pseudonymised (the setting; one query, once a request)."""
    return organisation_settings().trainers_pseudonymised
