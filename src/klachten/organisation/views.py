"""*Instellingen*: management's settings, a page per section (UX.md, "Management"; #14, item 5).

An index sums each section up in a line; each section is its own page with one form and one
save — who we are and the independent third party (R11), the terms (R3, R16), retention (R5)
and the calendar, the reminders, and the staff accounts to look up. Lists (closing days,
categories and root causes, courses and trainers, #16) keep a small button per row. Views
are thin (STYLE.md, 3): they parse the form, call one service and go back to the section with
a short confirmation; a refusal is shown next to its field with everything typed kept.
Employees get a calm 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klachten.accounts.models import Role, Staff
from klachten.core.clock import local_today
from klachten.core.errors import ApplicationError, NotFound
from klachten.core.forms import add_service_error
from klachten.organisation import selectors, services
from klachten.organisation.forms import (
    CALENDAR_FIELDS,
    ClosingDaysForm,
    CourseEditForm,
    ListItemEditForm,
    ListItemForm,
    OrganisationForm,
    RemindersForm,
    TermsCalendarForm,
    TrainerReportsForm,
)
from klachten.organisation.models import OrganisationSettings
from klachten.organisation.sections import SECTION_OF, SECTIONS, Section
from klachten.organisation.services import (
    DETAILS_FIELDS,
    REMINDER_FIELDS,
    REPORT_FIELDS,
    TERMS_FIELDS,
    THIRD_PARTY_FIELDS,
)
from klachten.organisation.texts import terms_text, working_days_text, working_hours_text

View = Callable[..., HttpResponseBase]


def management_required(view: View) -> View:
    """Logged in, and management or admin; anyone else gets a calm Dutch 403 page."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not cast(Staff, request.user).may_change_settings:
            return render(request, "organisation/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _section_page(
    request: HttpRequest, key: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    section = SECTION_OF[key]
    return render(
        request,
        f"organisation/{template}",
        {"section": section.key, "title": section.label, **context},
    )


def _back(key: str, anchor: str = "") -> HttpResponse:
    """To the section's page, where the confirmation or the error shows."""
    return redirect(SECTION_OF[key].url + (f"#{anchor}" if anchor else ""))


def _save(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    done: str | Callable[[dict[str, Any]], str],
    back: Callable[[], HttpResponse],
    again: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """Validate a form, call its service, and go ``back`` with ``done``; or show ``again`` why
    not, with everything typed kept."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done if isinstance(done, str) else done(form.cleaned_data))
            return back()
    return again(form)


def _initial(settings: OrganisationSettings, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in names}


# --- The index ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSummary:
    section: Section
    summary: str


def _summaries(today: Any) -> list[SectionSummary]:
    """Each section in one line, as it stands now."""
    settings = selectors.organisation_settings()
    overview = selectors.settings_overview(today=today)
    terms = terms_text(selectors.terms_of(settings))
    lines = {
        "organisatie": _("%(name)s; onafhankelijke derde: %(third_party)s.")
        % {"name": settings.name, "third_party": settings.third_party_name or "—"},
        "termijnen": _(
            "Contact binnen %(contact)s, uitstelbericht uiterlijk na %(delay_notice)s, "
            "afhandeling uiterlijk na %(settlement)s; %(closing_days)s."
        )
        % {
            "contact": terms.contact,
            "delay_notice": terms.delay_notice,
            "settlement": terms.settlement,
            "closing_days": ngettext(
                "%(count)d komende sluitingsdag",
                "%(count)d komende sluitingsdagen",
                overview.upcoming_closing_days,
            )
            % {"count": overview.upcoming_closing_days},
        },
        "herinneringen": _(
            "Herinnering %(contact)s voor het contact, op dag %(delay_notice)d om een "
            "uitstelbericht, op dag %(settlement)d voor de afhandeling, %(actions)s voor acties."
        )
        % {
            "contact": working_hours_text(settings.reminder_contact_working_hours),
            "delay_notice": settings.reminder_delay_notice_day,
            "settlement": settings.reminder_settlement_day,
            "actions": working_days_text(settings.reminder_action_working_days),
        },
        "indeling": _("%(categories)s en %(root_causes)s in gebruik.")
        % {
            "categories": ngettext(
                "%(count)d categorie", "%(count)d categorieën", overview.categories_in_use
            )
            % {"count": overview.categories_in_use},
            "root_causes": ngettext(
                "%(count)d oorzaak", "%(count)d oorzaken", overview.root_causes_in_use
            )
            % {"count": overview.root_causes_in_use},
        },
        "cursussen": _("%(courses)s en %(trainers)s in gebruik.")
        % {
            "courses": ngettext("%(count)d cursus", "%(count)d cursussen", overview.courses_in_use)
            % {"count": overview.courses_in_use},
            "trainers": ngettext(
                "%(count)d trainer", "%(count)d trainers", overview.trainers_in_use
            )
            % {"count": overview.trainers_in_use},
        },
        "berichtsjablonen": _("De vaste teksten van brieven en e-mails aan klanten."),
        "medewerkers": ngettext(
            "%(count)d actief account, waarvan %(management)d van de directie.",
            "%(count)d actieve accounts, waarvan %(management)d van de directie.",
            overview.active_staff,
        )
        % {"count": overview.active_staff, "management": overview.active_management},
    }
    return [SectionSummary(section, lines[section.key]) for section in SECTIONS]


@management_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    """The sections of *Instellingen*, each summed up in a line (UX.md, "Instellingen")."""
    return render(request, "organisation/settings.html", {"summaries": _summaries(local_today())})


# --- Organisatie: who we are and the independent third party -----------------------------------


def _organisation_page(request: HttpRequest, form: forms.Form | None = None) -> HttpResponse:
    settings = selectors.organisation_settings()
    form = form or OrganisationForm(initial=_initial(settings, DETAILS_FIELDS + THIRD_PARTY_FIELDS))
    return _section_page(request, "organisatie", "section_organisation.html", {"form": form})


@management_required
@require_http_methods(["GET", "POST"])
def organisation_page(request: HttpRequest) -> HttpResponse:
    """Who we are (on the regulation, R17) and the independent third party (R11), one save."""
    if request.method == "GET":
        return _organisation_page(request)
    return _save(
        request,
        OrganisationForm(request.POST),
        lambda data: services.organisation_settings_update(
            actor=_staff(request), changes=data, now=timezone.now()
        ),
        _("De gegevens van de organisatie zijn opgeslagen."),
        lambda: _back("organisatie"),
        lambda form: _organisation_page(request, form),
    )


# --- Termijnen en kalender: terms, retention, holidays and closing days ------------------------


def _terms_page(
    request: HttpRequest,
    form: forms.Form | None = None,
    closing_days_form: forms.Form | None = None,
) -> HttpResponse:
    settings = selectors.organisation_settings()
    calendar = selectors.calendar_settings()
    closing_days = selectors.closing_days_all()
    today = local_today()
    initial = _initial(settings, TERMS_FIELDS) | {
        name: getattr(calendar, name) for name in CALENDAR_FIELDS
    }
    context = {
        "settings": settings,
        "terms_text": terms_text(selectors.terms_of(settings)),
        "form": form or TermsCalendarForm(initial=initial),
        "closing_days_form": closing_days_form or ClosingDaysForm(prefix="sluiting"),
        "upcoming_closing_days": [day for day in closing_days if day.day >= today],
        "past_closing_days": [day for day in closing_days if day.day < today][::-1],
    }
    return _section_page(request, "termijnen", "section_terms.html", context)


@management_required
@require_http_methods(["GET", "POST"])
def terms_page(request: HttpRequest) -> HttpResponse:
    """R3, R16: the terms; R5: retention; the disputed holidays. One save for all of them;
    new terms apply to complaints registered from now."""
    if request.method == "GET":
        return _terms_page(request)
    return _save(
        request,
        TermsCalendarForm(request.POST),
        lambda data: services.terms_and_calendar_update(
            actor=_staff(request),
            terms={name: data[name] for name in TERMS_FIELDS},
            good_friday_off=data["good_friday_off"],
            liberation_day_every_year=data["liberation_day_every_year"],
            now=timezone.now(),
        ),
        _(
            "De termijnen en de kalender zijn opgeslagen. Nieuwe termijnen gelden voor "
            "meldingen die vanaf nu binnenkomen; de termijnen van bestaande meldingen blijven "
            "staan."
        ),
        lambda: _back("termijnen"),
        lambda form: _terms_page(request, form=form),
    )


@management_required
@require_POST
def closing_days_add(request: HttpRequest) -> HttpResponse:
    """Add a closing day or a period of them (R3, R16)."""
    return _save(
        request,
        ClosingDaysForm(request.POST, prefix="sluiting"),
        lambda data: services.closing_days_add(actor=_staff(request), now=timezone.now(), **data),
        _("De sluitingsdagen zijn toegevoegd."),
        lambda: _back("termijnen", "sluitingsdagen"),
        lambda form: _terms_page(request, closing_days_form=form),
    )


@management_required
@require_POST
def closing_day_remove(request: HttpRequest, closing_day_id: int) -> HttpResponse:
    """Remove a closing day (R3, R16); deadlines already set stay as they are."""
    try:
        removed = services.closing_day_remove(
            actor=_staff(request), closing_day_id=closing_day_id, now=timezone.now()
        )
    except NotFound as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("Sluitingsdag %(day)s is verwijderd.") % {"day": removed.day.strftime("%d-%m-%Y")},
        )
    return _back("termijnen", "sluitingsdagen")


# --- Herinneringen -----------------------------------------------------------------------------


def _reminders_page(request: HttpRequest, form: forms.Form | None = None) -> HttpResponse:
    settings = selectors.organisation_settings()
    form = form or RemindersForm(initial=_initial(settings, REMINDER_FIELDS))
    return _section_page(request, "herinneringen", "section_reminders.html", {"form": form})


@management_required
@require_http_methods(["GET", "POST"])
def reminders_page(request: HttpRequest) -> HttpResponse:
    """How early reminders come before each deadline (issue #5)."""
    if request.method == "GET":
        return _reminders_page(request)
    return _save(
        request,
        RemindersForm(request.POST),
        lambda data: services.organisation_settings_update(
            actor=_staff(request), changes=data, now=timezone.now()
        ),
        _("De herinneringen zijn opgeslagen."),
        lambda: _back("herinneringen"),
        lambda form: _reminders_page(request, form),
    )


# --- Categorieën en oorzaken -------------------------------------------------------------------


@dataclass
class ListRows:
    """A list (categories or root causes) on the page: the add form and a form per row."""

    slug: str
    add_form: forms.Form
    rows: list[tuple[Any, forms.Form]]


def _list_rows(
    slug: str, items: list[Any], add_form: forms.Form | None, bound: tuple[int, Any] | None
) -> ListRows:
    rows = []
    for item in items:
        if bound is not None and bound[0] == item.pk:
            form = bound[1]
        else:
            form = ListItemEditForm(
                prefix=f"{slug}-{item.pk}", initial={"name": item.name, "active": item.active}
            )
        rows.append((item, form))
    return ListRows(slug, add_form or ListItemForm(prefix=slug), rows)


def _lists_page(request: HttpRequest, **bound: Any) -> HttpResponse:
    """Both lists; ``bound`` holds the one form that was just refused."""
    context = {
        "categories": _list_rows(
            "categorie",
            selectors.categories_all(),
            bound.get("categorie_add"),
            bound.get("categorie_row"),
        ),
        "root_causes": _list_rows(
            "oorzaak",
            selectors.root_causes_all(),
            bound.get("oorzaak_add"),
            bound.get("oorzaak_row"),
        ),
    }
    return _section_page(request, "indeling", "section_lists.html", context)


@management_required
@require_GET
def lists_page(request: HttpRequest) -> HttpResponse:
    """Categories and root causes, the lists complaints are sorted by for the reports."""
    return _lists_page(request)


def _list_add(request: HttpRequest, slug: str, create: Callable[..., object]) -> HttpResponse:
    return _save(
        request,
        ListItemForm(request.POST, prefix=slug),
        lambda data: create(actor=_staff(request), name=data["name"], now=timezone.now()),
        lambda data: _("“%(name)s” is toegevoegd.") % {"name": data["name"]},
        lambda: _back("indeling", f"{slug}-lijst"),
        lambda form: _lists_page(request, **{f"{slug}_add": form}),
    )


def _list_update(
    request: HttpRequest, slug: str, item_id: int, update: Callable[..., object]
) -> HttpResponse:
    form = ListItemEditForm(request.POST, prefix=f"{slug}-{item_id}")
    if form.is_valid():
        try:
            update(
                actor=_staff(request),
                item_id=item_id,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
                now=timezone.now(),
            )
        except NotFound as error:
            messages.error(request, error.detail)
            return _back("indeling", f"{slug}-lijst")
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is opgeslagen.") % {"name": form.cleaned_data["name"]}
            )
            return _back("indeling", f"{slug}-lijst")
    return _lists_page(request, **{f"{slug}_row": (item_id, form)})


@management_required
@require_POST
def category_add(request: HttpRequest) -> HttpResponse:
    """A new category."""
    return _list_add(request, "categorie", services.category_create)


@management_required
@require_POST
def category_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a category or take it out of use."""
    return _list_update(
        request,
        "categorie",
        item_id,
        lambda item_id, **kwargs: services.category_update(category_id=item_id, **kwargs),
    )


@management_required
@require_POST
def root_cause_add(request: HttpRequest) -> HttpResponse:
    """A new root cause."""
    return _list_add(request, "oorzaak", services.root_cause_create)


@management_required
@require_POST
def root_cause_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a root cause or take it out of use."""
    return _list_update(
        request,
        "oorzaak",
        item_id,
        lambda item_id, **kwargs: services.root_cause_update(root_cause_id=item_id, **kwargs),
    )


# --- Cursussen en trainers (#16 item 1) --------------------------------------------------------


def _course_rows(
    courses: list[Any], trainers: list[Any], bound: tuple[int, forms.Form] | None
) -> list[tuple[Any, forms.Form]]:
    """Each course with its form: name, in use, and the trainers on offer for it (those in
    use, and those it already has)."""
    rows = []
    for course in courses:
        if bound is not None and bound[0] == course.pk:
            rows.append((course, bound[1]))
            continue
        own = list(course.trainers.all())
        rows.append(
            (
                course,
                CourseEditForm(
                    prefix=f"cursus-{course.pk}",
                    trainers=_trainer_choices(trainers, own),
                    initial={
                        "name": course.name,
                        "active": course.active,
                        "trainers": [str(trainer.pk) for trainer in own],
                    },
                ),
            )
        )
    return rows


def _trainer_choices(trainers: list[Any], own: list[Any]) -> list[tuple[int, str]]:
    mine = {trainer.pk for trainer in own}
    return [(t.pk, t.name) for t in trainers if t.active or t.pk in mine]


def _courses_page(request: HttpRequest, **bound: Any) -> HttpResponse:
    """Both lists; ``bound`` holds the one form that was just refused."""
    trainers = selectors.trainers_all()
    context = {
        "reports_form": bound.get("reports")
        or TrainerReportsForm(initial=_initial(selectors.organisation_settings(), REPORT_FIELDS)),
        "trainers": _list_rows(
            "trainer", trainers, bound.get("trainer_add"), bound.get("trainer_row")
        ),
        "courses": ListRows(
            "cursus",
            bound.get("cursus_add") or ListItemForm(prefix="cursus"),
            _course_rows(selectors.courses_all(), trainers, bound.get("cursus_row")),
        ),
    }
    return _section_page(request, "cursussen", "section_courses.html", context)


@management_required
@require_GET
def courses_page(request: HttpRequest) -> HttpResponse:
    """Courses with their trainers, and the trainers: what a complaint concerns (#16 item 1)."""
    return _courses_page(request)


@management_required
@require_POST
def trainer_reports(request: HttpRequest) -> HttpResponse:
    """Whether reports show trainers by name or as "Trainer A" (#16 item 1)."""
    return _save(
        request,
        TrainerReportsForm(request.POST),
        lambda data: services.organisation_settings_update(
            actor=_staff(request), changes=data, now=timezone.now()
        ),
        _("De weergave van trainers in rapportages is opgeslagen."),
        lambda: _back("cursussen", "trainers-rapportages"),
        lambda form: _courses_page(request, reports=form),
    )


@management_required
@require_POST
def trainer_add(request: HttpRequest) -> HttpResponse:
    """A new trainer."""
    return _save(
        request,
        ListItemForm(request.POST, prefix="trainer"),
        lambda data: services.trainer_create(
            actor=_staff(request), name=data["name"], now=timezone.now()
        ),
        lambda data: _("“%(name)s” is toegevoegd.") % {"name": data["name"]},
        lambda: _back("cursussen", "trainer-lijst"),
        lambda form: _courses_page(request, trainer_add=form),
    )


@management_required
@require_POST
def trainer_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a trainer or take them out of use."""
    form = ListItemEditForm(request.POST, prefix=f"trainer-{item_id}")
    return _row_save(
        request,
        form,
        item_id,
        lambda data: services.trainer_update(
            actor=_staff(request),
            trainer_id=item_id,
            name=data["name"],
            active=data["active"],
            now=timezone.now(),
        ),
        "trainer",
        lambda: _courses_page(request, trainer_row=(item_id, form)),
    )


@management_required
@require_POST
def course_add(request: HttpRequest) -> HttpResponse:
    """A new course; its trainers are ticked on its row afterwards."""
    return _save(
        request,
        ListItemForm(request.POST, prefix="cursus"),
        lambda data: services.course_create(
            actor=_staff(request), name=data["name"], now=timezone.now()
        ),
        lambda data: _("“%(name)s” is toegevoegd.") % {"name": data["name"]},
        lambda: _back("cursussen", "cursus-lijst"),
        lambda form: _courses_page(request, cursus_add=form),
    )


@management_required
@require_POST
def course_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename a course, take it out of use, or change who gives it."""
    form = CourseEditForm(
        request.POST,
        prefix=f"cursus-{item_id}",
        trainers=_trainer_choices(selectors.trainers_all(), selectors.trainers_of(item_id)),
    )
    return _row_save(
        request,
        form,
        item_id,
        lambda data: services.course_update(
            actor=_staff(request),
            course_id=item_id,
            name=data["name"],
            active=data["active"],
            trainer_ids=form.trainer_ids(),
            now=timezone.now(),
        ),
        "cursus",
        lambda: _courses_page(request, cursus_row=(item_id, form)),
    )


def _row_save(
    request: HttpRequest,
    form: forms.Form,
    item_id: int,
    save: Callable[[dict[str, Any]], object],
    slug: str,
    again: Callable[[], HttpResponse],
) -> HttpResponse:
    """One row of a list saved, as :func:`_list_update` does for categories."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except NotFound as error:
            messages.error(request, error.detail)
            return _back("cursussen", f"{slug}-lijst")
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is opgeslagen.") % {"name": form.cleaned_data["name"]}
            )
            return _back("cursussen", f"{slug}-lijst")
    return again()


# --- Medewerkers -------------------------------------------------------------------------------


@management_required
@require_GET
def accounts_page(request: HttpRequest) -> HttpResponse:
    """The staff accounts with their role and whether they are active, to look up; the admin
    (``/beheer/``, admins only) creates and changes them."""
    admin_url = (
        reverse("admin:accounts_staff_changelist") if _staff(request).role == Role.ADMIN else None
    )
    context = {"accounts": selectors.staff_accounts(), "admin_url": admin_url}
    return _section_page(request, "medewerkers", "section_accounts.html", context)
