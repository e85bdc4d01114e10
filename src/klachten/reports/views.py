"""Management insight (UX.md, "Dashboard"): the figures, compliance per rule with its
drill-down, the annual report and the improvement measures; and every staff member's calendar.

Views are thin (STYLE.md, 3): they read the input, ask ``insight``/the selectors, call one
service, render. The dashboard is for management and admins; an employee gets a calm "not for
you" page (403), never a figure.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from klachten.accounts.models import Staff
from klachten.audit.services import auditor_read_log
from klachten.core.clock import local_today
from klachten.core.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotAllowed,
    NotFound,
    database_writes,
)
from klachten.core.forms import add_service_error
from klachten.domain.figures import MEASURE_KEYS
from klachten.domain.improvement import DEFAULT_CHECK_AFTER, RATE_DAYS, RECURRENCE_DAYS
from klachten.organisation.pseudonyms import trainers_pseudonymised
from klachten.reports import dimensions, feeds, insight, selectors, services
from klachten.reports.forms import (
    MeasureCheckForm,
    MeasureForm,
    PeriodForm,
    RegisterForm,
    ReportForm,
)
from klachten.reports.models import ImprovementMeasure
from klachten.reports.register import register_export, register_for, register_require_access
from klachten.reports.selectors import MEASURE_LABELS

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _forbidden(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"detail": error.detail}, status=403)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of a period against a year earlier, open complaints now, compliance per
    rule, the charts, and the annual report button."""
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_figures(staff)
    except NotAllowed as error:
        return _forbidden(request, error)
    auditor_read_log(actor=staff, what="dashboard", now=now)
    form = PeriodForm(request.GET or None, now=now)
    board = insight.dashboard(period=form.period, now=now)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period_query": form.query(),
            "board": board,
            "figures": board.insight.figures,
            "previous": board.insight.previous,
            "charts": {chart.key.removeprefix("chart-"): chart for chart in board.insight.charts},
            "report_form": ReportForm(now=now),
            "measure_panel": selectors.measure_panel(today=local_today(now)),
            "dimensions": dimensions.dashboard_dimensions(period=form.period, kept=board.kept),
        },
    )


@login_required
@require_GET
def compliance_failures(request: HttpRequest, slug: str) -> HttpResponse:
    """The complaints of the period where one measure was not met (the drill-down)."""
    key = slug.replace("-", "_")
    if key not in MEASURE_KEYS:
        raise Http404
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_management(staff)
    except NotAllowed as error:
        return _forbidden(request, error)
    form = PeriodForm(request.GET or None, now=now)
    period = form.period
    figures = insight.period_numbers(period=period, now=now)
    line = figures.compliance[key]
    page = request.GET.get("pagina", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    rows = selectors.compliance_failures(
        staff=staff,
        key=key,
        period=period,
        now=now,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    base = f"?{form.query()}&pagina="
    return render(
        request,
        "reports/compliance_failures.html",
        {
            "form": form,
            "period_query": form.query(),
            "line": line,
            "label": MEASURE_LABELS[key],
            "rows": rows,
            "page_number": number,
            "previous_link": f"{base}{number - 1}" if number > 1 else "",
            "next_link": f"{base}{number + 1}" if number * PAGE_SIZE < line.not_met else "",
        },
    )


@login_required
@require_GET
def dimension_complaints(request: HttpRequest, segment: str, key: str) -> HttpResponse:
    """The complaints of the period behind one line of the table per course or per trainer
    (#16 item 1): management only (R2), 50 to a page, trainers as the setting says."""
    dimension = dimensions.DIMENSIONS.get(segment)
    if dimension is None:
        raise Http404
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_management(staff)
    except NotAllowed as error:
        return _forbidden(request, error)
    form = PeriodForm(request.GET or None, now=now)
    page = request.GET.get("pagina", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    try:
        drill = dimensions.dimension_complaints(
            staff=staff,
            dimension=dimension,
            key=key,
            period=form.period,
            now=now,
            pseudonymise=trainers_pseudonymised(),
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
    except NotFound as error:
        raise Http404(error.detail) from error
    base = f"?{form.query()}&pagina="
    return render(
        request,
        "reports/dimension_complaints.html",
        {
            "form": form,
            "period_query": form.query(),
            "drill": drill,
            "page_number": number,
            "previous_link": f"{base}{number - 1}" if number > 1 else "",
            "next_link": f"{base}{number + 1}" if number * PAGE_SIZE < drill.count else "",
        },
    )


@login_required
@require_GET
def annual_report(request: HttpRequest) -> HttpResponseBase:
    """The annual report as a download (the same as ``klachten report``)."""
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_figures(staff)
    except NotAllowed as error:
        return _forbidden(request, error)
    auditor_read_log(actor=staff, what="annual_report", now=now)
    form = ReportForm(request.GET or None, now=now)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
        return redirect("reports:dashboard")
    year, file_format = form.cleaned_data["jaar"], form.cleaned_data["formaat"]
    report = insight.annual_report(year=year, now=now)
    if file_format == "csv":
        body, content_type = insight.report_csv(report), "text/csv; charset=utf-8"
    else:
        body, content_type = insight.report_pdf(report), "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    name = insight.report_filename(year, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def measures(request: HttpRequest) -> HttpResponseBase:
    """Improvement measures as a cycle (#16 item 2): what needs attention first (overdue,
    effect check due), each with its owner, status, effect and the recurrence watch."""
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_figures(staff)
    except NotAllowed as error:
        return _forbidden(request, error)
    auditor_read_log(actor=staff, what="measures", now=now)
    rows = selectors.measure_rows(today=local_today(now))
    return render(
        request,
        "reports/measures.html",
        {
            "rows": rows,
            "open_count": sum(row.open for row in rows),
            "overdue_count": sum(row.overdue for row in rows),
            "check_due_count": sum(row.check_due for row in rows),
            "window_days": RECURRENCE_DAYS,
            "rate_days": RATE_DAYS,
        },
    )


def _measure_data(form: MeasureForm) -> services.MeasureData:
    data = form.cleaned_data
    return services.MeasureData(
        title=data["title"],
        description=data["description"],
        owner=form.chosen_owner(),
        due_on=data["due_on"],
        status=data["status"],
        root_causes=form.chosen_root_causes(),
        courses=form.chosen_courses(),
        taken_on=data["taken_on"],
        check_due_on=data["check_due_on"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_form(request: HttpRequest, measure_id: int | None = None) -> HttpResponseBase:
    """A new measure (``maatregelen/nieuw/``) or a change to one (``maatregelen/<id>/``)."""
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_management(staff)
        measure = selectors.measure_get(measure_id) if measure_id is not None else None
    except NotAllowed as error:
        return _forbidden(request, error)
    except NotFound as error:
        raise Http404(error.detail) from error
    initial = None
    if measure is None:
        initial = {"owner": staff.pk, "status": ImprovementMeasure.Status.PLANNED}
    form = MeasureForm(
        request.POST if request.method == "POST" else None,
        root_causes=selectors.root_causes_all(),
        courses=selectors.courses_all(),
        owners=selectors.measure_owners(),
        measure=measure,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with database_writes():
                    if measure is None:
                        saved = services.measure_create(
                            actor=staff, data=_measure_data(form), now=now
                        )
                    else:
                        saved = services.measure_update(
                            actor=staff, measure_id=measure.pk, data=_measure_data(form), now=now
                        )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status if error.status >= 500 else 422
            else:
                messages.success(
                    request, _("Maatregel opgeslagen: %(title)s") % {"title": saved.title}
                )
                return redirect("reports:measures")
        else:
            status = 422
    return render(
        request,
        "reports/measure_form.html",
        {"form": form, "measure": measure, "check_after_days": DEFAULT_CHECK_AFTER.days},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_check(request: HttpRequest, measure_id: int) -> HttpResponseBase:
    """Record whether a measure worked: when and how it was checked, the result, a note."""
    staff, now = _staff(request), timezone.now()
    try:
        selectors.require_management(staff)
        measure = selectors.measure_get(measure_id)
    except NotAllowed as error:
        return _forbidden(request, error)
    except NotFound as error:
        raise Http404(error.detail) from error
    form = MeasureCheckForm(
        request.POST if request.method == "POST" else None,
        measure=measure,
        today=local_today(now),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with database_writes():
                    services.measure_check_record(
                        actor=staff,
                        measure_id=measure.pk,
                        checked_on=data["checked_on"],
                        method=data["check_method"],
                        result=data["check_result"],
                        note=data["check_note"],
                        now=now,
                    )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status if error.status >= 500 else 422
            else:
                messages.success(
                    request,
                    _("Effect vastgelegd: %(title)s") % {"title": measure.title},
                )
                return redirect("reports:measures")
        else:
            status = 422
    recurrence = selectors.measures_recurrence([measure], today=local_today(now)).get(measure.pk)
    return render(
        request,
        "reports/measure_check.html",
        {
            "form": form,
            "measure": measure,
            "recurrence": recurrence,
            "window_days": RECURRENCE_DAYS,
            "rate_days": RATE_DAYS,
        },
        status=status,
    )


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponseBase:
    """The register of complaints of a period, to download (#16 item 3): the form, and with
    ``formaat`` in the query the file itself. ``van`` and ``tot`` alone fill the form in (the
    dashboard's link passes its period). Management only (R2); every download is logged."""
    staff, now = _staff(request), timezone.now()
    try:
        register_require_access(staff)
    except Forbidden as error:
        return render(request, "reports/forbidden.html", {"detail": error.detail}, status=403)
    wants_file = "formaat" in request.GET
    form = RegisterForm(request.GET if wants_file else None, now=now)
    if not wants_file:
        form.initial.update(_register_days(request))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            found = register_export(
                register=register_for(
                    staff=staff, first=data["van"], last=data["tot"], now=now, names=data["namen"]
                ),
                file_format=data["formaat"],
                actor=staff,
                now=now,
            )
        except InvalidInput as error:  # more complaints than an Excel sheet holds
            form.add_error("formaat" if error.field == "format" else None, error.detail)
        else:
            return FileResponse(
                found.file,
                as_attachment=True,
                filename=found.filename,
                content_type=found.content_type,
            )
    return render(request, "reports/register.html", {"form": form})


def _register_days(request: HttpRequest) -> dict[str, date]:
    """``van`` and ``tot`` from the query where they are days (a wrong one is left out)."""
    days = {}
    for name in ("van", "tot"):
        try:
            days[name] = date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            continue
    return days


# --- Calendar feeds (every staff member) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponseBase:
    """The staff member's private calendar address: make a new one (shown once) or stop it."""
    staff, now = _staff(request), timezone.now()
    context: dict[str, Any] = {}
    if request.method == "POST":
        if "intrekken" in request.POST:
            services.feed_revoke(staff=staff, now=now)
            messages.success(request, _("De agenda-link werkt niet meer."))
            return redirect("feeds:settings")
        _feed, token = services.feed_create(staff=staff, now=now)
        # The address the calendar service fetches from: the installation's public one.
        context["new_url"] = settings.BASE_URL + reverse("feeds:feed", args=[token])
    context["feed"] = selectors.feed_current(staff)
    return render(request, "reports/feed_settings.html", context)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponseBase:
    """The iCalendar feed behind a private address (no login: calendars cannot log in).

    Only what the address's owner may see (R2), and no customer's name or complaint text: a
    calendar service keeps a copy, so events carry the reference, the kind of date and a link.
    GET and HEAD; the ETag is the digest of the feed (the same data gives the same bytes) and
    ``Last-Modified`` the latest change of any complaint, so a calendar that asks again with
    ``If-None-Match`` or ``If-Modified-Since`` gets 304 while nothing changed.
    """
    found = selectors.feed_for_token(services.feed_digest(token))
    if found is None:
        raise Http404
    now = timezone.now()
    services.feed_mark_used(feed=found, now=now)
    body = feeds.calendar(staff=found.staff, base_url=settings.BASE_URL)
    changed = selectors.complaints_last_changed() or found.created_at
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = '"%s"' % hashlib.sha256(body).hexdigest()[:32]  # noqa: UP031 - quotes
    response["Last-Modified"] = http_date(min(changed, now).timestamp())
    response["Content-Disposition"] = 'inline; filename="kerngroep-klachten.ics"'
    # Private (the address is a secret), and stored only to be revalidated: no-cache, not
    # no-store, so calendar services keep the validators and ask with them.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return (
        get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(min(changed, now).timestamp()),
            response=response,
        )
        or response
    )
