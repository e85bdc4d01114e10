"""Reads of the organisation's settings, and of what *Instellingen* shows about them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import CharField, Count, Model, Prefetch, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from klachten.accounts.models import Staff, management_filter
from klachten.core.clock import local_today
from klachten.core.prepared import Call, Prepared
from klachten.domain.terms import Terms
from klachten.domain.workdays import WorkCalendar
from klachten.organisation.models import (
    CalendarSettings,
    Category,
    ClosingDay,
    Course,
    OrganisationSettings,
    RegulationVersion,
    RootCause,
    Trainer,
)

_T = TypeVar("_T")
_S = TypeVar("_S", bound=Model)
_read_once: ContextVar[dict[str, Any] | None] = ContextVar("klachten_read_once", default=None)


@contextmanager
def settings_read_once() -> Iterator[None]:
    """Inside this block the settings, the calendar and the message templates are read once.

    For a write that needs them several times (registering a complaint with its receipt
    confirmation): read before its transaction begins, they are not read again while it holds
    SQLite's write lock, which every other writer waits for. Settings a concurrent change
    saves meanwhile apply from the next write on, as they would a moment later anyway.
    """
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def read_once(name: str, read: Callable[[], _T]) -> _T:
    """``read()``, or inside :func:`settings_read_once` what it returned the first time."""
    memo = _read_once.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]


def work_calendar() -> WorkCalendar:
    """The working-day calendar as management configured it (R3, R16). Two queries."""
    return read_once("calendar", _work_calendar)


_SINGLETONS: dict[type[Model], Prepared[Any]] = {}


def _singleton_query(model: type[Model]) -> Prepared[Any]:
    prepared = _SINGLETONS.get(model)
    if prepared is None:
        prepared = _SINGLETONS[model] = Prepared(
            lambda pk: model._default_manager.filter(pk=pk).order_by()[:1], "pk"
        )
    return prepared


def _singleton(model: type[_S], pk: int) -> _S | None:
    """The one row of a settings table, or None: by primary key, so without the ORDER BY that
    ``.first()`` adds, and by a query compiled once (#17 item 2: read on every page)."""
    found = _singleton_query(model)(pk=pk)
    return found[0] if found else None


_CLOSING_DAYS = Prepared(lambda: ClosingDay.objects.only("day").order_by())
_REGULATION_VERSIONS = Prepared(lambda: RegulationVersion.objects.defer("content").order_by())


def calendar_and_regulation_reads() -> list[Call]:
    """What :func:`work_calendar` and :func:`regulation_version_at` read, to be asked ahead
    (``read_ahead``)."""
    return [
        _singleton_query(CalendarSettings).ask(pk=CalendarSettings.SINGLETON_PK),
        _CLOSING_DAYS.ask(),
        _REGULATION_VERSIONS.ask(),
    ]


def _work_calendar() -> WorkCalendar:
    settings = _singleton(CalendarSettings, CalendarSettings.SINGLETON_PK) or CalendarSettings()
    return WorkCalendar(
        good_friday_off=settings.good_friday_off,
        liberation_day_every_year=settings.liberation_day_every_year,
        closing_days=frozenset(closing.day for closing in _CLOSING_DAYS()),
    )


def organisation_settings() -> OrganisationSettings:
    """The organisation's settings (R3, R5, R11, R16, R17); the defaults until management saves.

    One query. The unsaved default row is never written here: reads do not write.
    """
    return read_once("settings", _organisation_settings)


def _organisation_settings() -> OrganisationSettings:
    found = _singleton(OrganisationSettings, OrganisationSettings.SINGLETON_PK)
    return (
        found if found is not None else OrganisationSettings(pk=OrganisationSettings.SINGLETON_PK)
    )


def terms_of(settings: OrganisationSettings) -> Terms:
    """The deadline terms (R3, R16) of these settings, as the domain computes with them."""
    return Terms(
        contact_working_hours=settings.contact_working_hours,
        delay_notice_days=settings.delay_notice_days,
        settlement_days=settings.settlement_days,
    )


def organisation_terms() -> Terms:
    """The deadline terms in force now (R3, R16); PROCEDURE.md's until management changes them.

    One query. Every computation of deadlines asks here, so a changed term applies to the
    complaints registered afterwards; stored deadlines never move.
    """
    return terms_of(organisation_settings())


def calendar_settings() -> CalendarSettings:
    """The calendar settings (Good Friday, Liberation Day); the defaults until saved. One query."""
    found = _singleton(CalendarSettings, CalendarSettings.SINGLETON_PK)
    return found if found is not None else CalendarSettings(pk=CalendarSettings.SINGLETON_PK)


def calendar_of(settings: CalendarSettings, closing_days: list[ClosingDay]) -> WorkCalendar:
    """The working-day calendar of these settings and closing days, without a query."""
    return WorkCalendar(
        good_friday_off=settings.good_friday_off,
        liberation_day_every_year=settings.liberation_day_every_year,
        closing_days=frozenset(closing_day.day for closing_day in closing_days),
    )


def closing_days_all() -> list[ClosingDay]:
    """Every closing day, oldest first. One query."""
    return list(ClosingDay.objects.order_by("day"))


# --- The regulation's versions (R17, #16 item 7) ----------------------------------------------


def regulation_versions() -> list[RegulationVersion]:
    """Every version of the regulation, oldest first (a handful: one per change of settings)."""
    return list(RegulationVersion.objects.order_by("number"))


def regulation_version_latest() -> RegulationVersion | None:
    return RegulationVersion.objects.order_by("-number").first()


def regulation_version_at(
    moment: datetime, versions: Sequence[RegulationVersion] | None = None
) -> RegulationVersion | None:
    """The version in force at ``moment``: the last one in force from then or before; None
    before the first version was kept (an imported complaint of earlier years, say).

    With ``versions`` (oldest first, from :func:`regulation_versions`) no query is made: a
    register of many complaints looks each one up in the same list.
    """
    if versions is None:
        # A handful of rows, without their text, ordered here (#17 item 2).
        versions = sorted(
            _REGULATION_VERSIONS(), key=lambda version: (version.in_force_from, version.number)
        )
    starts = [version.in_force_from for version in versions]
    index = bisect_right(starts, moment)
    return versions[index - 1] if index else None


def categories_all() -> list[Category]:
    """Every category, also those out of use, by name (for *Instellingen*). One query."""
    return list(Category.objects.order_by("name"))


def root_causes_all() -> list[RootCause]:
    """Every root cause, also those out of use, by name (for *Instellingen*). One query."""
    return list(RootCause.objects.order_by("name"))


# --- Courses and trainers (#16 item 1) ---------------------------------------------------------


def trainers_all() -> list[Trainer]:
    """Every trainer, also those out of use, by name (for *Instellingen*). One query."""
    return list(Trainer.objects.order_by("name"))


def courses_all() -> list[Course]:
    """Every course, also those out of use, by name, with its trainers (for *Instellingen*).
    Two queries."""
    trainers = Prefetch("trainers", queryset=Trainer.objects.order_by("name"))
    return list(Course.objects.order_by("name").prefetch_related(trainers))


def trainers_of(course_id: int) -> list[Trainer]:
    """The trainers who give a course, by name. One query."""
    return list(Trainer.objects.filter(courses=course_id).order_by("name"))


def courses_active() -> list[Course]:
    """The courses in use, by name: what the intake and the public form offer. One query."""
    return list(Course.objects.filter(active=True).order_by("name"))


def trainers_active() -> list[Trainer]:
    """The trainers in use, by name: what the intake offers. One query."""
    return list(Trainer.objects.filter(active=True).order_by("name"))


def course_get_active(pk: int) -> Course | None:
    """A course still in use, by id (the API: an unknown or retired one is bad input)."""
    return Course.objects.filter(pk=pk, active=True).first()


def trainer_get_active(pk: int) -> Trainer | None:
    """A trainer still in use, by id."""
    return Trainer.objects.filter(pk=pk, active=True).first()


def courses_for_complaint(current_id: int | None) -> list[Course]:
    """The courses in use, and the complaint's own even when taken out of use since (so
    correcting another fact never loses it). One query."""
    return list(Course.objects.filter(Q(active=True) | Q(pk=current_id)).order_by("name"))


def trainers_for_complaint(current_id: int | None) -> list[Trainer]:
    """The trainers in use, and the complaint's own. One query."""
    return list(Trainer.objects.filter(Q(active=True) | Q(pk=current_id)).order_by("name"))


# --- The first-run checklist and the overview of *Instellingen* -------------------------------


@dataclass(frozen=True)
class SetupItem:
    """Something management still has to fill in, and the settings page where that is done."""

    code: str
    label: str
    detail: str
    url: str


def setup_checklist(*, today: date | None = None) -> list[SetupItem]:
    """What is still missing for customers to be told who to reach, and where to fill it in.

    Open while the organisation's phone, e-mail or address is empty (the mails otherwise say
    "bereik ons: Kerngroep" with nothing after it), while management has not yet saved the
    independent third party (R11), and while no closing day is set from today up to the end
    of next year. Empty when all is done. Two queries.
    """
    today = today if today is not None else local_today()
    settings = organisation_settings()
    items = []
    missing = [
        label
        for label, filled in (
            (_("telefoonnummer"), settings.phone),
            (_("e-mailadres"), settings.email),
            (_("adres"), settings.street and settings.postcode and settings.town),
        )
        if not filled
    ]
    if missing:
        items.append(
            SetupItem(
                code="contact_details",
                label=_("Contactgegevens van de organisatie invullen"),
                detail=_("Nog leeg: %(missing)s. Klanten lezen in elk bericht hoe ze u bereiken.")
                % {"missing": ", ".join(str(label) for label in missing)},
                url=reverse("organisation:details"),
            )
        )
    saved = not settings._state.adding
    if not (saved and settings.third_party_name and settings.third_party_website):
        items.append(
            SetupItem(
                code="third_party",
                label=_("Onafhankelijke derde vastleggen"),
                detail=_(
                    "Bij een geschil kan de klant naar een onafhankelijke derde; de "
                    "klachtenregeling en de berichten noemen die."
                ),
                url=reverse("organisation:details"),
            )
        )
    end_of_next_year = date(today.year + 1, 12, 31)
    if not ClosingDay.objects.filter(day__gte=today, day__lte=end_of_next_year).exists():
        items.append(
            SetupItem(
                code="calendar",
                label=_("Sluitingsdagen in de kalender zetten"),
                detail=_(
                    "Er staan geen sluitingsdagen voor dit jaar of volgend jaar in: de "
                    "termijnen lopen dan door op dagen dat u dicht bent."
                ),
                url=reverse("organisation:terms"),
            )
        )
    return items


@dataclass(frozen=True)
class SettingsOverview:
    """The counts that the index of *Instellingen* sums each section up with."""

    upcoming_closing_days: int
    categories_in_use: int
    root_causes_in_use: int
    courses_in_use: int
    trainers_in_use: int
    active_staff: int
    active_management: int


def _lists_in_use() -> dict[str, int]:
    """How many of each editable list are in use, in one query (a list none of which is in
    use is missing: 0)."""

    def count(model: type[Category | RootCause | Course | Trainer], kind: str) -> Any:
        return (
            model.objects.filter(active=True)
            .order_by()
            .values("active")
            .annotate(n=Count("pk"), kind=Value(kind, output_field=CharField()))
            .values_list("kind", "n")
        )

    rows = count(Category, "category").union(
        count(RootCause, "root_cause"), count(Course, "course"), count(Trainer, "trainer"), all=True
    )
    return dict(rows)


def settings_overview(*, today: date) -> SettingsOverview:
    """The counts for the index of *Instellingen*. Three queries."""
    in_use = _lists_in_use()
    categories, root_causes = in_use.get("category", 0), in_use.get("root_cause", 0)
    courses, trainers = in_use.get("course", 0), in_use.get("trainer", 0)
    staff = Staff.objects.filter(is_active=True).aggregate(
        total=Count("pk"), management=Count("pk", filter=management_filter())
    )
    return SettingsOverview(
        upcoming_closing_days=ClosingDay.objects.filter(day__gte=today).count(),
        categories_in_use=categories,
        root_causes_in_use=root_causes,
        courses_in_use=courses,
        trainers_in_use=trainers,
        active_staff=staff["total"],
        active_management=staff["management"],
    )


def staff_accounts() -> list[Staff]:
    """Every staff account, the active ones first, by name (*Medewerkers*). One query."""
    return list(Staff.objects.order_by("-is_active", "last_name", "first_name", "username"))
