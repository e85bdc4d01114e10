"""Improvement measures as a cycle (#16 item 2; R1): plan, do, check the effect.

A measure has what, an owner, a due date and a status, the root causes and courses it
addresses, and an effect check; owners are reminded once per stage as action items are (R9);
the measures page sets each measure beside the complaints of its root causes and courses
before and after it took effect (the recurrence watch), in one query for the whole list.
The clock stands at Friday 1 May 2026, 12:00 in Amsterdam (``LOOK``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist
from klachten.core.errors import InvalidInput, InvalidInputs, NotAllowed
from klachten.domain.improvement import (
    Windows,
    check_is_due,
    is_overdue,
    per_period,
    recurrence_windows,
)
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import outbox_deliver
from klachten.organisation.models import Course, RootCause
from klachten.reports.models import ImprovementMeasure, MeasureReminder
from klachten.reports.reminders import measure_reminders_send
from klachten.reports.selectors import measure_panel, measure_rows, measures_recurrence
from klachten.reports.services import (
    MeasureData,
    measure_check_record,
    measure_create,
    measure_update,
)
from klachten.reports.tasks import send_measure_reminders
from tests.conftest import PASSWORD
from tests.messaging.conftest import smtp, smtp_server  # noqa: F401 - fixtures used here
from tests.reports.conftest import LOOK, _register

TODAY = LOOK.date()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


@pytest.fixture
def cause(db) -> RootCause:
    return RootCause.objects.create(name="Roosterwijziging")


@pytest.fixture
def other_cause(db) -> RootCause:
    return RootCause.objects.create(name="Lesmateriaal te laat")


@pytest.fixture
def course(db) -> Course:
    return Course.objects.create(name="BHV Basis")


def plan(owner, *causes, courses=(), **changes) -> MeasureData:
    fields = {
        "title": "Roosterwijzigingen twee weken vooraf melden",
        "description": "",
        "owner": owner,
        "due_on": TODAY + timedelta(days=30),
        "status": "planned",
        "root_causes": list(causes),
        "courses": list(courses),
    }
    fields.update(changes)
    return MeasureData(**fields)


def done(owner, *causes, taken_on: date, courses=(), **changes) -> MeasureData:
    fields = {
        "status": "done",
        "due_on": taken_on,
        "taken_on": taken_on,
        "check_due_on": taken_on + timedelta(days=90),
        **changes,
    }
    return plan(owner, *causes, courses=courses, **fields)


def codes(refused: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    error = refused.value
    return {each.code for each in getattr(error, "errors", (error,))}


# --- The pure rules ------------------------------------------------------------------------------


def test_the_watch_compares_90_days_before_with_up_to_90_days_after():
    windows = recurrence_windows(date(2026, 1, 1), today=date(2026, 12, 1))
    assert windows == Windows(date(2025, 10, 3), date(2026, 1, 1), date(2026, 4, 1))
    assert (windows.before_days, windows.after_days, windows.complete) == (90, 90, True)


def test_a_recent_measure_is_watched_up_to_today_included():
    windows = recurrence_windows(date(2026, 4, 20), today=date(2026, 5, 1))
    assert windows is not None
    assert windows.after_end == date(2026, 5, 2)
    assert (windows.after_days, windows.complete) == (12, False)


def test_a_measure_not_yet_in_effect_has_no_watch():
    assert recurrence_windows(None, today=date(2026, 5, 1)) is None
    assert recurrence_windows(date(2026, 5, 2), today=date(2026, 5, 1)) is None


def test_counts_are_normalised_per_30_days():
    assert per_period(6, 90) == 2.0
    assert per_period(1, 12) == 2.5
    assert per_period(3, 0) is None


def test_overdue_is_open_after_the_due_date_and_the_check_is_due_on_its_day():
    assert not is_overdue("planned", date(2026, 5, 1), date(2026, 5, 1))
    assert is_overdue("in_progress", date(2026, 4, 30), date(2026, 5, 1))
    assert not is_overdue("done", date(2026, 4, 30), date(2026, 5, 1))
    assert not is_overdue("cancelled", date(2026, 4, 30), date(2026, 5, 1))
    assert check_is_due("done", date(2026, 5, 1), "", date(2026, 5, 1))
    assert not check_is_due("done", date(2026, 5, 2), "", date(2026, 5, 1))
    assert not check_is_due("done", date(2026, 5, 1), "effective", date(2026, 5, 1))
    assert not check_is_due("in_progress", date(2026, 5, 1), "", date(2026, 5, 1))


# --- The services --------------------------------------------------------------------------------


def test_a_planned_measure_is_kept_with_its_owner_and_logged(manager, employee, cause, course):
    """R2: the change is in the audit log, not tied to a complaint."""
    measure = measure_create(actor=manager, data=plan(employee, cause, courses=[course]), now=LOOK)
    measure.refresh_from_db()
    assert (measure.owner, measure.status, measure.taken_on) == (employee, "planned", None)
    assert list(measure.courses.all()) == [course]
    entry = AuditEntry.objects.get(action="measure.created")
    assert entry.complaint_id is None
    assert entry.actor == manager
    assert entry.after["owner"] == employee.pk
    assert entry.after["courses"] == [course.pk]


def test_every_refusal_is_reported_at_once(manager):
    with pytest.raises(InvalidInputs) as refused:
        measure_create(
            actor=manager,
            data=plan(None, title=" ", due_on=None, status="someday"),
            now=LOOK,
        )
    assert codes(refused) == {
        "required",
        "root_cause_required",
        "owner_required",
        "invalid_status",
        "due_required",
    }
    assert "Kies wie eigenaar is van de maatregel." in refused.value.detail
    assert not ImprovementMeasure.objects.exists()


def test_a_course_alone_is_enough_to_aim_a_measure(manager, course):
    measure = measure_create(actor=manager, data=plan(manager, courses=[course]), now=LOOK)
    assert list(measure.root_causes.all()) == []


def test_a_done_measure_needs_the_day_it_took_effect_and_a_planned_check(manager, cause):
    with pytest.raises(InvalidInputs) as refused:
        measure_create(actor=manager, data=plan(manager, cause, status="done"), now=LOOK)
    assert codes(refused) == {"taken_on_required", "check_due_required"}


def test_a_planned_measure_is_not_yet_in_effect(manager, cause):
    with pytest.raises(InvalidInput) as refused:
        measure_create(
            actor=manager, data=plan(manager, cause, taken_on=date(2026, 4, 1)), now=LOOK
        )
    assert codes(refused) == {"planned_in_effect"}


def test_dates_must_be_sane(manager, cause):
    with pytest.raises(InvalidInput) as past:
        measure_create(
            actor=manager, data=plan(manager, cause, due_on=TODAY - timedelta(days=1)), now=LOOK
        )
    assert codes(past) == {"due_in_past"}
    with pytest.raises(InvalidInput) as far:
        measure_create(actor=manager, data=plan(manager, cause, due_on=date(2029, 1, 1)), now=LOOK)
    assert codes(far) == {"too_far_ahead"}
    with pytest.raises(InvalidInput) as before:
        measure_create(
            actor=manager,
            data=done(manager, cause, taken_on=date(2026, 4, 1), check_due_on=date(2026, 3, 31)),
            now=LOOK,
        )
    assert codes(before) == {"check_before_effect"}
    with pytest.raises(InvalidInput) as ancient:
        measure_create(
            actor=manager, data=done(manager, cause, taken_on=date(1899, 4, 1)), now=LOOK
        )
    assert "too_early" in codes(ancient)


def test_a_measure_that_became_overdue_can_still_be_changed(manager, employee, cause):
    """Its due date in the past is refused only when it is set, not when it stays."""
    with time_machine.travel(LOOK - timedelta(days=40), tick=False):
        measure = measure_create(
            actor=manager,
            data=plan(employee, cause, due_on=TODAY - timedelta(days=10)),
            now=LOOK - timedelta(days=40),
        )
    changed = measure_update(
        actor=manager,
        measure_id=measure.pk,
        data=plan(employee, cause, due_on=measure.due_on, status="in_progress"),
        now=LOOK,
    )
    assert changed.status == "in_progress"
    entry = AuditEntry.objects.get(action="measure.changed")
    assert (entry.before["status"], entry.after["status"]) == ("planned", "in_progress")


def test_only_management_keeps_measures(employee, cause):
    with pytest.raises(NotAllowed):
        measure_create(actor=employee, data=plan(employee, cause), now=LOOK)


def test_an_owner_who_left_cannot_be_given_a_measure(manager, employee, cause):
    employee.is_active = False
    employee.save()
    with pytest.raises(InvalidInput) as refused:
        measure_create(actor=manager, data=plan(employee, cause), now=LOOK)
    assert codes(refused) == {"owner_inactive"}


@pytest.fixture
def taken(manager, cause) -> ImprovementMeasure:
    return measure_create(
        actor=manager, data=done(manager, cause, taken_on=date(2026, 2, 1)), now=LOOK
    )


def test_the_effect_check_records_when_how_and_the_result(manager, taken):
    measure_check_record(
        actor=manager,
        measure_id=taken.pk,
        checked_on=date(2026, 4, 30),
        method="Meldingen over roosters vergeleken met het kwartaal ervoor.",
        result="effective",
        note="",
        now=LOOK,
    )
    taken.refresh_from_db()
    assert (taken.checked_on, taken.check_result, taken.checked_by) == (
        date(2026, 4, 30),
        "effective",
        manager,
    )
    entry = AuditEntry.objects.get(action="measure.effect_checked")
    assert entry.complaint_id is None
    assert entry.after["check_result"] == "effective"


def test_a_result_needs_a_method_and_a_date(manager, taken):
    with pytest.raises(InvalidInputs) as refused:
        measure_check_record(
            actor=manager,
            measure_id=taken.pk,
            checked_on=None,
            method="  ",
            result="effective",
            note="",
            now=LOOK,
        )
    assert codes(refused) == {"method_required", "checked_on_required"}
    taken.refresh_from_db()
    assert taken.check_result == ""


def test_not_effective_says_what_happens_next(manager, taken):
    with pytest.raises(InvalidInput) as refused:
        measure_check_record(
            actor=manager,
            measure_id=taken.pk,
            checked_on=TODAY,
            method="Deelnemers nagebeld.",
            result="not_effective",
            note="",
            now=LOOK,
        )
    assert codes(refused) == {"note_required"}


def test_the_check_date_lies_between_taking_effect_and_today(manager, taken):
    for checked_on, code in (
        (TODAY + timedelta(days=1), "checked_in_future"),
        (date(2026, 1, 31), "check_before_effect"),
    ):
        with pytest.raises(InvalidInput) as refused:
            measure_check_record(
                actor=manager,
                measure_id=taken.pk,
                checked_on=checked_on,
                method="Vergeleken.",
                result="effective",
                note="",
                now=LOOK,
            )
        assert codes(refused) == {code}


def test_a_measure_not_carried_out_has_no_effect_to_check(manager, cause):
    measure = measure_create(actor=manager, data=plan(manager, cause), now=LOOK)
    with pytest.raises(NotAllowed):
        measure_check_record(
            actor=manager,
            measure_id=measure.pk,
            checked_on=TODAY,
            method="Vergeleken.",
            result="effective",
            note="",
            now=LOOK,
        )


def test_a_checked_measure_stays_done(manager, cause, taken):
    measure_check_record(
        actor=manager,
        measure_id=taken.pk,
        checked_on=TODAY,
        method="Vergeleken.",
        result="effective",
        note="",
        now=LOOK,
    )
    with pytest.raises(InvalidInput) as refused:
        measure_update(
            actor=manager,
            measure_id=taken.pk,
            data=plan(manager, cause, status="in_progress", due_on=taken.due_on),
            now=LOOK,
        )
    assert "already_checked" in codes(refused)


# --- The recurrence watch ------------------------------------------------------------------------


def received(employee, moment: datetime, *, cause=None, course=None) -> Complaint:
    complaint = _register(employee, "Mevrouw Jansen", moment, Checklist(), naw_checked=False)
    Complaint.objects.filter(pk=complaint.pk).update(root_cause=cause, course=course)
    return complaint


def amsterdam(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


@pytest.fixture
def watched(manager, employee, cause, other_cause, course):
    """A measure against ``cause`` and ``course`` in effect from 1 March 2026: before is
    1 December 2025 to 28 February 2026 (90 days), after 1 March to 1 May (62 days, up to
    today). A second measure against ``other_cause`` took effect on 20 April (12 days)."""
    march = measure_create(
        actor=manager,
        data=done(manager, cause, courses=[course], taken_on=date(2026, 3, 1)),
        now=LOOK,
    )
    april = measure_create(
        actor=manager,
        data=done(manager, other_cause, taken_on=date(2026, 4, 20), title="Materiaal vooraf"),
        now=LOOK,
    )
    # Before the March measure: three complaints, one of them with both cause and course.
    received(employee, amsterdam(2025, 11, 30, 23, 30), cause=cause)  # a day too early
    received(employee, amsterdam(2025, 12, 1, 0, 30), cause=cause)
    received(employee, amsterdam(2026, 1, 10, 10), cause=cause, course=course)
    received(employee, amsterdam(2026, 2, 28, 23, 59), course=course)
    received(employee, amsterdam(2026, 1, 15, 10), cause=other_cause)  # neither measure's
    # After: 00:30 on 1 March in Amsterdam is still 28 February in UTC.
    received(employee, datetime(2026, 2, 28, 23, 30, tzinfo=UTC), cause=cause)
    # The April measure (before: 20 January to 19 April): two before (the first also counts
    # after March, by its course), one after.
    received(employee, amsterdam(2026, 4, 10, 9), cause=other_cause, course=course)
    received(employee, amsterdam(2026, 4, 19, 23, 59), cause=other_cause)
    received(employee, amsterdam(2026, 4, 20, 0, 0), cause=other_cause)
    received(employee, amsterdam(2026, 5, 2, 0, 0), cause=other_cause)  # after today
    return march, april


def test_the_watch_counts_the_complaints_before_and_after_taking_effect(watched):
    march, april = watched
    found = measures_recurrence(measure_rows_measures(), today=TODAY)
    assert (found[march.pk].before, found[march.pk].after) == (3, 2)
    assert (found[march.pk].windows.before_days, found[march.pk].windows.after_days) == (90, 62)
    assert (found[march.pk].before_rate, found[march.pk].after_rate) == (1.0, 1.0)
    assert (found[april.pk].before, found[april.pk].after) == (2, 1)
    assert (found[april.pk].before_rate, found[april.pk].after_rate) == (0.7, 2.5)
    assert found[april.pk].trend == "up"


def measure_rows_measures() -> list[ImprovementMeasure]:
    return [row.measure for row in measure_rows(today=TODAY)]


def test_the_watch_is_one_query_for_the_whole_list(watched, manager, cause):
    for number in range(6):
        measure_create(
            actor=manager,
            data=done(manager, cause, taken_on=date(2026, 1, 1 + number), title=f"M{number}"),
            now=LOOK,
        )
    measures = measure_rows_measures()
    with CaptureQueriesContext(connection) as captured:
        found = measures_recurrence(measures, today=TODAY)
    assert len(found) == 8
    assert len(captured.captured_queries) == 1


def test_a_planned_measure_has_no_figures(manager, cause):
    measure = measure_create(actor=manager, data=plan(manager, cause), now=LOOK)
    assert measures_recurrence([measure], today=TODAY) == {}


# --- The pages -----------------------------------------------------------------------------------


def _client(staff) -> Client:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    return client


@pytest.fixture
def management(manager) -> Client:
    return _client(manager)


@pytest.fixture
def overdue(manager, employee, cause):
    with time_machine.travel(LOOK - timedelta(days=20), tick=False):
        return measure_create(
            actor=manager,
            data=plan(employee, cause, due_on=TODAY - timedelta(days=1), title="Nieuw rooster"),
            now=LOOK - timedelta(days=20),
        )


@pytest.fixture
def check_due(manager, cause):
    return measure_create(
        actor=manager,
        data=done(
            manager,
            cause,
            taken_on=date(2026, 2, 1),
            check_due_on=TODAY,
            title="Vaste wijzigingsdag",
        ),
        now=LOOK,
    )


def test_the_list_puts_what_needs_attention_first_and_marks_it(
    management, watched, overdue, check_due
):
    text = management.get("/dashboard/maatregelen/").content.decode()
    assert (
        text.index("Nieuw rooster")
        < text.index("Vaste wijzigingsdag")
        < text.index("Roosterwijzigingen twee weken vooraf melden")
    )
    assert 'class="measure-late"' in text
    assert 'class="measure-check"' in text
    assert "<strong>1</strong> te laat" in text
    assert "<strong>1</strong> effect controleren" in text
    # The March measure's watch, and the note on how it is counted.
    assert "3 ervoor, 2 erna" in text
    assert "per 30 dagen: 1,0 → 1,0 (gelijk)" in text
    assert "omgerekend per 30 dagen" in text
    assert "erna pas 12 dagen" in text


def test_the_list_costs_the_same_whatever_the_number_of_measures(management, manager, cause):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert management.get("/dashboard/maatregelen/").status_code == 200
        return len(captured.captured_queries)

    measure_create(actor=manager, data=done(manager, cause, taken_on=date(2026, 3, 1)), now=LOOK)
    few = queries()
    for number in range(8):
        measure_create(
            actor=manager,
            data=done(manager, cause, taken_on=date(2026, 3, 2 + number), title=f"M{number}"),
            now=LOOK,
        )
    assert queries() == few


def test_management_plans_a_measure_on_the_form(management, manager, employee, cause, course):
    page = management.get("/dashboard/maatregelen/nieuw/")
    assert page.status_code == 200
    assert "Cursussen waar de maatregel op ingaat" in page.content.decode()
    response = management.post(
        "/dashboard/maatregelen/nieuw/",
        {
            "title": "Trainers krijgen het rooster eerder",
            "owner": str(employee.pk),
            "due_on": "2026-06-01",
            "status": "planned",
            "courses": [str(course.pk)],
        },
    )
    assert response.status_code == 302
    measure = ImprovementMeasure.objects.get()
    assert (measure.owner, measure.due_on, list(measure.courses.all())) == (
        employee,
        date(2026, 6, 1),
        [course],
    )


def test_the_form_shows_every_refusal_and_keeps_what_was_typed(management, manager, cause):
    response = management.post(
        "/dashboard/maatregelen/nieuw/",
        {
            "title": "Rooster eerder",
            "owner": str(manager.pk),
            "due_on": "2026-06-01",
            "status": "done",
            "root_causes": [str(cause.pk)],
        },
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "Vul in sinds wanneer de uitgevoerde maatregel in werking is." in text
    assert "Plan wanneer het effect van de maatregel wordt gecontroleerd." in text
    assert 'value="Rooster eerder"' in text


def test_management_changes_a_measure_and_records_its_effect(management, manager, cause, overdue):
    edit = management.get(f"/dashboard/maatregelen/{overdue.pk}/")
    assert 'value="Nieuw rooster"' in edit.content.decode()
    response = management.post(
        f"/dashboard/maatregelen/{overdue.pk}/",
        {
            "title": "Nieuw rooster",
            "owner": str(overdue.owner_id),
            "due_on": overdue.due_on.isoformat(),
            "status": "done",
            "taken_on": "2026-04-29",
            "check_due_on": "2026-07-29",
            "root_causes": [str(cause.pk)],
        },
    )
    assert response.status_code == 302
    refused = management.post(
        f"/dashboard/maatregelen/{overdue.pk}/effect/",
        {"checked_on": "2026-05-01", "check_method": "Nagebeld.", "check_result": "not_effective"},
    )
    assert refused.status_code == 422
    assert "Schrijf bij &#x27;niet effectief&#x27; op wat er nu gebeurt." in (
        refused.content.decode()
    )
    response = management.post(
        f"/dashboard/maatregelen/{overdue.pk}/effect/",
        {
            "checked_on": "2026-05-01",
            "check_method": "Nagebeld.",
            "check_result": "not_effective",
            "check_note": "Een nieuwe maatregel volgt.",
        },
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert (overdue.status, overdue.check_result) == ("done", "not_effective")
    listed = management.get("/dashboard/maatregelen/").content.decode()
    assert "niet effectief" in listed
    assert "Een nieuwe maatregel volgt." in listed


@pytest.mark.parametrize("suffix", ["", "nieuw/", "{pk}/", "{pk}/effect/"])
def test_employees_get_no_measures_page(employee, check_due, suffix):
    response = _client(employee).get("/dashboard/maatregelen/" + suffix.format(pk=check_due.pk))
    assert response.status_code == 403
    assert "alleen voor de directie" in response.content.decode()


@pytest.mark.parametrize("suffix", ["999999/", "999999/effect/"])
def test_a_measure_that_is_not_there_is_not_found(management, suffix):
    assert management.get("/dashboard/maatregelen/" + suffix).status_code == 404


def test_the_dashboard_panel_counts_open_overdue_and_checks_due(
    management, overdue, check_due, manager, cause
):
    measure_create(actor=manager, data=plan(manager, cause, title="Later"), now=LOOK)
    panel = measure_panel(today=TODAY)
    assert (panel.open, panel.overdue, panel.check_due) == (2, 1, 1)
    assert [row.measure.title for row in panel.attention] == [
        "Nieuw rooster",
        "Vaste wijzigingsdag",
    ]
    text = management.get("/dashboard/").content.decode()
    section = text[text.index('id="maatregelen-kop"') :]
    assert "<strong>2</strong> open" in section
    assert "<strong>1</strong> te laat" in section
    assert "<strong>1</strong> effect controleren" in section
    assert "Nieuw rooster" in section
    assert "Later" not in section


def test_the_annual_report_shows_owner_status_and_effect(manager, cause, taken):
    from klachten.reports.insight import annual_report, report_csv

    measure_check_record(
        actor=manager,
        measure_id=taken.pk,
        checked_on=date(2026, 4, 30),
        method="Vergeleken.",
        result="effective",
        note="",
        now=LOOK,
    )
    planned = measure_create(
        actor=manager, data=plan(manager, cause, title="Nog te doen"), now=LOOK
    )
    report = annual_report(year=2026, now=LOOK)
    assert {measure.pk for measure in report.measures} == {taken.pk, planned.pk}
    text = report_csv(report).decode("utf-8-sig")
    assert "eigenaar: Marco Jansen; status: uitgevoerd; effect: effectief (30-04-2026)" in text
    assert "Nog te doen (oorzaken: Roosterwijziging); eigenaar: Marco Jansen; status: gepland" in (
        text
    )


# --- The API -------------------------------------------------------------------------------------


def test_the_api_lists_the_measures_with_their_cycle_and_watch(manager, watched, overdue):
    from klachten.accounts.services import token_create
    from tests.conftest import ApiClient

    _, token = token_create(staff=manager)
    response = ApiClient(token).get("/api/v1/measures")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first, *_rest = body["items"]
    assert (first["title"], first["overdue"], first["status"]) == ("Nieuw rooster", True, "planned")
    assert first["recurrence"] is None
    march = next(item for item in body["items"] if item["taken_on"] == "2026-03-01")
    assert march["recurrence"] == {
        "before_from": "2025-12-01",
        "in_effect_from": "2026-03-01",
        "after_until": "2026-05-01",
        "before": 3,
        "after": 2,
        "before_days": 90,
        "after_days": 62,
        "before_per_30_days": 1.0,
        "after_per_30_days": 1.0,
    }
    assert [course["name"] for course in march["courses"]] == ["BHV Basis"]


def test_the_api_refuses_employees_the_measures(api, check_due):
    response = api.get("/api/v1/measures")
    assert response.status_code == 403
    assert response.json()["code"] == "management_only"


# --- Reminders -----------------------------------------------------------------------------------


def measure_mails(measure, stage: str) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(key__startswith=f"measure-{measure.pk}-{stage}-").order_by(
            "to"
        )
    )


def test_an_overdue_measure_reminds_its_owner_once(overdue, employee):
    """R9 as for action items: after the due date, one mail to the owner, however often the
    task runs."""
    assert measure_reminders_send(now=LOOK) == 1
    for minutes in range(0, 60, 5):
        assert measure_reminders_send(now=LOOK + timedelta(minutes=minutes)) == 0
    [mail] = measure_mails(overdue, "overdue")
    assert mail.to == employee.email
    assert "Verbetermaatregel niet op tijd klaar: Nieuw rooster" in mail.subject
    assert "uiterlijk do 30 apr 2026 klaar zijn" in mail.body
    # The owner is an employee: no link to a page they may not open, but who to tell.
    assert "/dashboard/" not in mail.body
    assert "Geef de stand door aan de directie" in mail.body
    assert MeasureReminder.objects.filter(measure=overdue).count() == 1
    assert AuditEntry.objects.filter(action="measure.overdue_reminded").count() == 1


def test_the_due_date_itself_is_in_time(manager, cause):
    measure_create(actor=manager, data=plan(manager, cause, due_on=TODAY), now=LOOK)
    assert measure_reminders_send(now=LOOK) == 0


def test_a_new_due_date_that_passes_is_reminded_again(manager, employee, cause, overdue):
    measure_reminders_send(now=LOOK)
    measure_update(
        actor=manager,
        measure_id=overdue.pk,
        data=plan(employee, cause, title="Nieuw rooster", due_on=TODAY + timedelta(days=3)),
        now=LOOK,
    )
    assert measure_reminders_send(now=LOOK + timedelta(days=3)) == 0
    assert measure_reminders_send(now=LOOK + timedelta(days=4)) == 1
    assert len(measure_mails(overdue, "overdue")) == 2


def test_a_due_effect_check_reminds_its_owner_once_until_recorded(manager, check_due):
    with time_machine.travel(LOOK - timedelta(days=1), tick=False):
        assert measure_reminders_send(now=LOOK - timedelta(days=1)) == 0
    assert measure_reminders_send(now=LOOK) == 1
    assert measure_reminders_send(now=LOOK + timedelta(hours=1)) == 0
    [mail] = measure_mails(check_due, "check_due")
    assert mail.to == manager.email
    assert "Effect controleren van verbetermaatregel: Vaste wijzigingsdag" in mail.subject
    assert f"/dashboard/maatregelen/{check_due.pk}/effect/" in mail.body  # management: a link


def test_a_recorded_check_is_not_reminded(manager, check_due):
    measure_check_record(
        actor=manager,
        measure_id=check_due.pk,
        checked_on=TODAY,
        method="Vergeleken.",
        result="effective",
        note="",
        now=LOOK,
    )
    assert measure_reminders_send(now=LOOK) == 0


def test_management_is_told_when_the_owner_has_left(manager, employee, overdue):
    employee.is_active = False
    employee.save()
    measure_reminders_send(now=LOOK)
    [mail] = measure_mails(overdue, "overdue")
    assert mail.to == manager.email
    assert "omdat de eigenaar van de maatregel geen berichten meer ontvangt" in mail.body


def test_the_worker_task_sends_them_and_they_reach_the_mail_server(
    smtp,  # noqa: F811 - the fixture
    overdue,
    employee,
):
    """The periodic task reads the clock; the outbox delivers to a real SMTP server."""
    assert send_measure_reminders.call_local() is None
    assert outbox_deliver(now=LOOK) == 1
    [delivered] = smtp.delivered
    assert delivered.rcpt_tos == (employee.email,)
    assert "Nieuw rooster" in str(delivered.message["Subject"])


# --- The upgrade ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_measures_recorded_before_the_cycle_become_done_and_owned_by_their_recorder(manager):
    """A measure recorded before #16 was taken: after the upgrade it is done, owned by whoever
    recorded it, due and in effect on the day it was taken, with no check planned (so nobody
    is mailed about old measures)."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("reports", "0002_root_causes_in_organisation")]
    after = [("reports", "0003_measure_cycle")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("reports", "ImprovementMeasure")
    old.objects.create(
        title="Roosters twee weken vooraf",
        taken_on=date(2025, 9, 1),
        recorded_by_id=manager.pk,
        recorded_at=LOOK - timedelta(days=300),
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    measure = ImprovementMeasure.objects.get()
    assert (measure.status, measure.owner, measure.due_on, measure.taken_on) == (
        "done",
        manager,
        date(2025, 9, 1),
        date(2025, 9, 1),
    )
    assert measure.check_due_on is None
    assert measure_reminders_send(now=LOOK) == 0


def test_the_check_page_of_a_measure_not_carried_out_says_why_there_is_no_form(management, overdue):
    text = management.get(f"/dashboard/maatregelen/{overdue.pk}/effect/").content.decode()
    assert "Het effect wordt gecontroleerd als de maatregel is uitgevoerd." in text
    assert 'name="check_result"' not in text
