"""Every write to the organisation's settings (STYLE.md, 2): management's *Instellingen*.

Who we are, the independent third party (R11), the terms (R3, R16) and retention (R5), the
working-day calendar and closing days, and the editable lists of categories and root causes,
and of courses and trainers (#16 item 1).
The regulation (R17) and the deadline computation read what is written here, so each service
validates everything before it writes anything, in one transaction, and appends what changed
to the audit log (R2) with the settings as its subject instead of a complaint. A change of
what the regulation shows is also signalled (``regulation_settings_changed``), in the same
transaction, so that the new version of the regulation is kept with it (R17, #16 item 7).

A changed term or calendar applies to complaints registered afterwards: deadlines already
stored never move (PROCEDURE.md, "Deadlines, exactly").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.core.validation import email_address, phone_number, postcode
from klachten.domain.reminders import LEAD_BOUNDS
from klachten.domain.terms import consequence_problems, retention_problems, terms_problems
from klachten.organisation.models import (
    CalendarSettings,
    Category,
    ClosingDay,
    Course,
    OrganisationSettings,
    RetentionMode,
    RootCause,
    Trainer,
)
from klachten.organisation.signals import regulation_settings_changed
from klachten.organisation.texts import term_problem_text

DETAILS_FIELDS: Final = ("name", "street", "postcode", "town", "phone", "email", "website")
THIRD_PARTY_FIELDS: Final = ("third_party_name", "third_party_website")
TERMS_FIELDS: Final = (
    "contact_working_hours",
    "delay_notice_days",
    "settlement_days",
    "ruling_consequence_working_days",
    "retention_years",
    "retention_mode",
)
REMINDER_FIELDS: Final = (
    "reminder_contact_working_hours",
    "reminder_delay_notice_day",
    "reminder_settlement_day",
    "reminder_action_working_days",
)
REPORT_FIELDS: Final = ("trainers_pseudonymised",)  # #16 item 1
EDITABLE_FIELDS: Final = frozenset(
    DETAILS_FIELDS + THIRD_PARTY_FIELDS + TERMS_FIELDS + REMINDER_FIELDS + REPORT_FIELDS
)
TEXT_LIMITS: Final = {
    "name": 200,
    "street": 200,
    "postcode": 20,
    "town": 100,
    "phone": 40,
    "email": 254,
    "website": 200,
    "third_party_name": 200,
    "third_party_website": 200,
}
REQUIRED: Final = {
    "name": _("Vul de naam van de organisatie in."),
    "third_party_name": _("Vul de naam van de onafhankelijke derde in (R11)."),
    "third_party_website": _("Vul de website van de onafhankelijke derde in (R11)."),
}
CLOSING_RANGE_MAX_DAYS: Final = 31
DESCRIPTION_MAX: Final = 200
LIST_NAME_MAX: Final = 100
_SATURDAY: Final = 5


def _require_management(actor: Staff) -> None:
    """Only management and admins change the settings (UX.md, "Instellingen")."""
    if not actor.may_change_settings:
        raise NotAllowed("management_only", _("Alleen de directie wijzigt de instellingen."))


# --- Who we are, the third party, the terms (R3, R5, R11, R16, R17) ----------------------------


def _clean_text(name: str, value: Any) -> str:
    text = str(value if value is not None else "").strip()
    if not text and name in REQUIRED:
        raise InvalidInput("required", REQUIRED[name], field=name)
    if len(text) > TEXT_LIMITS[name]:
        raise InvalidInput(
            "too_long",
            _("Maximaal %(max)s tekens."),
            {"max": TEXT_LIMITS[name]},
            field=name,
        )
    if not text:
        return text
    # The organisation's own address and contact details: the checks and messages of a
    # customer's (R6), in one place.
    if name == "postcode":
        return postcode(text, "NL", field=name)
    if name == "phone":
        phone_number(text, "NL", field=name)
        return text  # kept as written: it is printed on letters and the business card
    if name == "email":
        return email_address(text, field=name)
    if name in {"website", "third_party_website"}:
        if "://" not in text:
            text = f"https://{text}"
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise InvalidInput(
                "invalid_url",
                _("Vul een webadres in, bijvoorbeeld https://www.kerngroep.nl."),
                field=name,
            ) from None
        return text
    return text


def _clean_number(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise InvalidInput("not_a_number", _("Vul een heel getal in."), field=name) from None
    return int(value)


def _check_terms(values: Mapping[str, Any]) -> None:
    """R3, R5, R11, R16: the first problem of the terms, in Dutch, next to its field."""
    problems = terms_problems(
        contact_working_hours=values["contact_working_hours"],
        delay_notice_days=values["delay_notice_days"],
        settlement_days=values["settlement_days"],
    ) + retention_problems(retention_years=values["retention_years"])
    problems += consequence_problems(
        ruling_consequence_working_days=values["ruling_consequence_working_days"]
    )
    if problems:
        problem = problems[0]
        raise InvalidInput(
            f"term_{problem.code}", term_problem_text(problem), problem.params, field=problem.field
        )
    if values["retention_mode"] not in RetentionMode.values:
        raise InvalidInput(
            "invalid_retention_mode",
            _("Kies wat er na de bewaartermijn gebeurt."),
            field="retention_mode",
        )


def _check_leads(values: Mapping[str, int]) -> None:
    """Each reminder's lead within its bounds, the first problem next to its field."""
    for name, limits in LEAD_BOUNDS.items():
        field = f"reminder_{name}"
        if not limits.minimum <= values[field] <= limits.maximum:
            raise InvalidInput(
                "lead_out_of_bounds",
                _("Kies een waarde van %(minimum)s tot en met %(maximum)s."),
                {"minimum": limits.minimum, "maximum": limits.maximum},
                field=field,
            )


@transaction.atomic
def organisation_settings_update(
    *, actor: Staff, changes: Mapping[str, Any], now: datetime
) -> OrganisationSettings:
    """Change who we are, the third party (R11), the terms (R3, R16) or retention (R5).

    ``changes`` holds any of the editable fields; all of them are checked before anything is
    written. New terms apply to complaints registered from now on; stored deadlines stay.
    """
    _require_management(actor)
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            "unknown_field",
            _("Onbekende instelling: %(name)s."),
            {"name": ", ".join(unknown)},
            field=unknown[0],
        )
    settings, _created = OrganisationSettings.objects.select_for_update().get_or_create(
        pk=OrganisationSettings.SINGLETON_PK
    )
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in TEXT_LIMITS:
            cleaned[name] = _clean_text(name, value)
        elif name == "retention_mode":
            cleaned[name] = str(value)
        elif name in REPORT_FIELDS:
            cleaned[name] = bool(value)
        else:
            cleaned[name] = _clean_number(name, value)
    _check_terms({name: cleaned.get(name, getattr(settings, name)) for name in TERMS_FIELDS})
    _check_leads({name: cleaned.get(name, getattr(settings, name)) for name in REMINDER_FIELDS})
    changed = {name: value for name, value in cleaned.items() if getattr(settings, name) != value}
    if changed:
        before = {name: getattr(settings, name) for name in changed}
        for name, value in changed.items():
            setattr(settings, name, value)
        settings.save(update_fields=list(changed))
        audit_append(
            complaint=None,
            actor=actor,
            action="settings.organisation",
            now=now,
            before=before,
            after=changed,
        )
        regulation_settings_changed.send(sender=OrganisationSettings, now=now)
    return settings


# --- The working-day calendar (R3, R16) --------------------------------------------------------


@transaction.atomic
def calendar_settings_update(
    *, actor: Staff, good_friday_off: bool, liberation_day_every_year: bool, now: datetime
) -> CalendarSettings:
    """Whether Good Friday and Liberation Day outside lustrum years are days off (R3, R16)."""
    _require_management(actor)
    settings, _created = CalendarSettings.objects.select_for_update().get_or_create(
        pk=CalendarSettings.SINGLETON_PK
    )
    after = {
        "good_friday_off": bool(good_friday_off),
        "liberation_day_every_year": bool(liberation_day_every_year),
    }
    before = {name: getattr(settings, name) for name in after}
    if before != after:
        for name, value in after.items():
            setattr(settings, name, value)
        settings.save(update_fields=list(after))
        audit_append(
            complaint=None,
            actor=actor,
            action="settings.calendar",
            now=now,
            before=before,
            after=after,
        )
        regulation_settings_changed.send(sender=CalendarSettings, now=now)
    return settings


@transaction.atomic
def terms_and_calendar_update(
    *,
    actor: Staff,
    terms: Mapping[str, Any],
    good_friday_off: bool,
    liberation_day_every_year: bool,
    now: datetime,
) -> None:
    """*Termijnen en kalender* saved in one go: the terms and retention (R3, R5, R16) and the
    disputed holidays; a refusal of either writes neither."""
    organisation_settings_update(actor=actor, changes=terms, now=now)
    calendar_settings_update(
        actor=actor,
        good_friday_off=good_friday_off,
        liberation_day_every_year=liberation_day_every_year,
        now=now,
    )


@transaction.atomic
def closing_days_add(
    *, actor: Staff, first: date, last: date | None = None, description: str, now: datetime
) -> list[ClosingDay]:
    """Close the organisation on ``first`` (up to and including ``last``) (R3, R16).

    Saturdays and Sundays in a period are skipped (they are never working days); a single
    Saturday or Sunday, a day already closed, or a period of more than 31 days is refused.
    """
    _require_management(actor)
    description = (description or "").strip()
    if not description:
        raise InvalidInput(
            "required",
            _("Vul een omschrijving in, bijvoorbeeld Kerstsluiting."),
            field="description",
        )
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            "too_long", _("Maximaal %(max)s tekens."), {"max": DESCRIPTION_MAX}, field="description"
        )
    last = last or first
    if last < first:
        raise InvalidInput(
            "period_reversed",
            _("De laatste dag ligt vóór de eerste dag."),
            field="last",
        )
    if (last - first).days + 1 > CLOSING_RANGE_MAX_DAYS:
        raise InvalidInput(
            "period_too_long",
            _("Voeg hoogstens %(max)s dagen tegelijk toe."),
            {"max": CLOSING_RANGE_MAX_DAYS},
            field="last",
        )
    days = [
        first + timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if (first + timedelta(days=offset)).weekday() < _SATURDAY
    ]
    if not days:
        raise InvalidInput(
            "weekend",
            _("Zaterdag en zondag zijn al geen werkdagen."),
            field="first",
        )
    taken = set(ClosingDay.objects.filter(day__in=days).values_list("day", flat=True))
    new_days = [day for day in days if day not in taken]
    if not new_days:
        raise InvalidInput(
            "already_closed",
            _("Deze dag is al een sluitingsdag.")
            if len(days) == 1
            else _("Deze dagen zijn al sluitingsdagen."),
            field="first",
        )
    created = ClosingDay.objects.bulk_create(
        [ClosingDay(day=day, description=description) for day in new_days]
    )
    audit_append(
        complaint=None,
        actor=actor,
        action="settings.closing_days_added",
        now=now,
        after={"days": [day.isoformat() for day in new_days], "description": description},
    )
    regulation_settings_changed.send(sender=ClosingDay, now=now)
    return created


@transaction.atomic
def closing_day_remove(*, actor: Staff, closing_day_id: int, now: datetime) -> ClosingDay:
    """The organisation is open after all on that day (R3, R16); stored deadlines stay."""
    _require_management(actor)
    closing_day = ClosingDay.objects.select_for_update().filter(pk=closing_day_id).first()
    if closing_day is None:
        raise NotFound("closing_day_not_found", _("Deze sluitingsdag bestaat niet (meer)."))
    closing_day.delete()
    audit_append(
        complaint=None,
        actor=actor,
        action="settings.closing_day_removed",
        now=now,
        before={"day": closing_day.day, "description": closing_day.description},
    )
    regulation_settings_changed.send(sender=ClosingDay, now=now)
    return closing_day


# --- Categories and root causes ----------------------------------------------------------------

ListModel = type[Category] | type[RootCause] | type[Course] | type[Trainer]


def _list_name(model: ListModel, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("required", _("Vul een naam in."), field="name")
    if len(name) > LIST_NAME_MAX:
        raise InvalidInput(
            "too_long", _("Maximaal %(max)s tekens."), {"max": LIST_NAME_MAX}, field="name"
        )
    same: models.QuerySet[Any] = model.objects.filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise InvalidInput("duplicate_name", _("Deze naam staat al in de lijst."), field="name")
    return name


def _list_item_create(model: ListModel, *, actor: Staff, name: str, now: datetime) -> Any:
    _require_management(actor)
    item = model.objects.create(name=_list_name(model, name), active=True)
    audit_append(
        complaint=None,
        actor=actor,
        action=f"settings.{model._meta.model_name}_added",
        now=now,
        after={"id": item.pk, "name": item.name},
    )
    return item


def _list_item_update(
    model: ListModel, *, actor: Staff, item_id: int, name: str, active: bool, now: datetime
) -> Any:
    _require_management(actor)
    item = model.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound("list_item_not_found", _("Dit onderdeel van de lijst bestaat niet (meer)."))
    new_name, new_active = _list_name(model, name, exclude=item.pk), bool(active)
    before = {"name": item.name, "active": item.active}
    after = {"name": new_name, "active": new_active}
    if before != after:
        item.name, item.active = new_name, new_active
        item.save(update_fields=["name", "active"])
        audit_append(
            complaint=None,
            actor=actor,
            action=f"settings.{model._meta.model_name}_changed",
            now=now,
            before={"id": item.pk, **before},
            after={"id": item.pk, **after},
        )
    return item


@transaction.atomic
def category_create(*, actor: Staff, name: str, now: datetime) -> Category:
    """A new category for complaints (for the reports)."""
    return _list_item_create(Category, actor=actor, name=name, now=now)


@transaction.atomic
def category_update(
    *, actor: Staff, category_id: int, name: str, active: bool, now: datetime
) -> Category:
    """Rename a category or take it out of use; complaints keep theirs."""
    return _list_item_update(
        Category, actor=actor, item_id=category_id, name=name, active=active, now=now
    )


@transaction.atomic
def root_cause_create(*, actor: Staff, name: str, now: datetime) -> RootCause:
    """A new root cause (to learn from every complaint)."""
    return _list_item_create(RootCause, actor=actor, name=name, now=now)


@transaction.atomic
def root_cause_update(
    *, actor: Staff, root_cause_id: int, name: str, active: bool, now: datetime
) -> RootCause:
    """Rename a root cause or take it out of use; complaints keep theirs."""
    return _list_item_update(
        RootCause, actor=actor, item_id=root_cause_id, name=name, active=active, now=now
    )


# --- Courses and trainers (#16 item 1) ---------------------------------------------------------


@transaction.atomic
def trainer_create(*, actor: Staff, name: str, now: datetime) -> Trainer:
    """A new trainer, to pick on a complaint and on a course."""
    return _list_item_create(Trainer, actor=actor, name=name, now=now)


@transaction.atomic
def trainer_update(
    *, actor: Staff, trainer_id: int, name: str, active: bool, now: datetime
) -> Trainer:
    """Rename a trainer or take them out of use; complaints and courses keep theirs."""
    return _list_item_update(
        Trainer, actor=actor, item_id=trainer_id, name=name, active=active, now=now
    )


@transaction.atomic
def course_create(*, actor: Staff, name: str, now: datetime) -> Course:
    """A new course or training, to pick on a complaint and on the public form."""
    return _list_item_create(Course, actor=actor, name=name, now=now)


@transaction.atomic
def course_update(
    *,
    actor: Staff,
    course_id: int,
    name: str,
    active: bool,
    trainer_ids: Sequence[int] | None = None,
    now: datetime,
) -> Course:
    """Rename a course, take it out of use, and/or say who gives it (``trainer_ids``; None
    keeps them). A trainer out of use stays with a course that has them, but is not added to
    one; complaints keep their course whatever changes here."""
    course = _list_item_update(
        Course, actor=actor, item_id=course_id, name=name, active=active, now=now
    )
    if trainer_ids is None:
        return course
    wanted = set(trainer_ids)
    before = set(course.trainers.values_list("pk", flat=True))
    if wanted == before:
        return course
    usable = set(
        Trainer.objects.filter(pk__in=wanted - before, active=True).values_list("pk", flat=True)
    )
    if usable != wanted - before:
        raise InvalidInput(
            "unknown_trainer",
            _("Kies trainers uit de lijst van trainers in gebruik."),
            field="trainers",
        )
    course.trainers.set(wanted)
    audit_append(
        complaint=None,
        actor=actor,
        action="settings.course_trainers",
        now=now,
        before={"id": course.pk, "trainers": sorted(before)},
        after={"id": course.pk, "trainers": sorted(wanted)},
    )
    return course
