"""Queries compiled once (``klachten.core.prepared``, #17 item 2) give the rows Django gives.

Each prepared query of the complaint page is held to the same queryset run by Django: the
same rows, every field equal, the same deferred fields, in one query. And what a prepared
query cannot do exactly is refused when it is compiled, not answered wrongly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.db.models import Count, Model, Q
from django.test.utils import CaptureQueriesContext

from klachten.complaints import attachments as attachment_module
from klachten.complaints import selectors
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import ActionItem, Complaint
from klachten.complaints.services import (
    ActionData,
    Checklist,
    account_request,
    complaint_contact,
    complaint_plan_actions,
    complaint_register,
    note_add,
)
from klachten.core.prepared import Prepared
from klachten.messaging import selectors as messaging_selectors
from klachten.organisation import selectors as organisation_selectors
from klachten.organisation.models import (
    CalendarSettings,
    ClosingDay,
    OrganisationSettings,
    RegulationVersion,
)
from tests.complaints.conftest import NOW, customer_data, in_days, later


def _fields(row: Model) -> dict[str, Any]:
    deferred = row.get_deferred_fields()
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.attname not in deferred
    } | {"deferred": sorted(deferred)}


def _same(prepared: Prepared[Any], **values: int) -> list[Model]:
    expected = sorted((_fields(row) for row in prepared.build(**values)), key=lambda row: row["id"])
    with CaptureQueriesContext(connection) as captured:
        rows = prepared(**values)
    assert len(captured.captured_queries) == 1
    assert sorted((_fields(row) for row in rows), key=lambda row: row["id"]) == expected
    assert all(not row._state.adding and row._state.db == "default" for row in rows)
    return rows


@pytest.fixture
def busy(complaint: Complaint, employee, manager, make_staff) -> Complaint:
    """A complaint with something in every list of its page."""
    colleague = make_staff("collega", "employee", email="collega@kerngroep.nl")
    complaint = complaint_contact(
        complaint=complaint,
        actor=employee,
        at=later(hours=1),
        channel="phone",
        summary="Gebeld over de cursusmap.",
        agreed_term=in_days(10),
        now=later(hours=1),
    )
    complaint = complaint_plan_actions(
        complaint=complaint,
        actor=employee,
        actions=[ActionData(what=f"Actie {n}", who=colleague, due=in_days(3)) for n in range(3)],
        now=later(hours=2),
    )
    account_request(
        complaint=complaint,
        asked_by=employee,
        asked_of=colleague,
        question="Wat gebeurde er?",
        now=later(hours=3),
    )
    note_add(complaint=complaint, author=employee, text="Notitie", now=later(hours=4))
    attachment_add(
        complaint=complaint,
        actor=employee,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="brief.pdf"),
        now=later(hours=5),
    )
    return complaint


@pytest.mark.parametrize(
    "prepared",
    [
        selectors._CHANGES,
        selectors._ACTIONS,
        selectors._CONTACTS,
        selectors._ACCOUNT_REQUESTS,
        attachment_module._ATTACHMENTS,
        messaging_selectors._MAIL_OF_COMPLAINT,
    ],
    ids=["changes", "actions", "contacts", "account requests", "attachments", "mail"],
)
def test_each_list_of_the_complaint_page_is_the_querysets_rows(busy, prepared):
    rows = _same(prepared, complaint_id=busy.pk)
    assert rows, "the fixture puts something in every list"
    assert _same(prepared, complaint_id=busy.pk + 10_000) == []


def test_only_reads_the_fields_asked_and_the_rest_on_demand(busy):
    [mail, *_] = _same(messaging_selectors._MAIL_OF_COMPLAINT, complaint_id=busy.pk)
    assert {"body", "key", "complaint_id"} <= mail.get_deferred_fields()
    with CaptureQueriesContext(connection) as captured:
        assert mail.complaint_id == busy.pk  # deferred: read when asked, as Django does
    assert len(captured.captured_queries) == 1


def test_the_settings_lists_are_the_querysets_rows(busy, make_staff):
    ClosingDay.objects.create(day=in_days(20))
    for prepared in (
        selectors._STAFF,
        selectors._CATEGORIES_ACTIVE,
        selectors._ROOT_CAUSES_ACTIVE,
        organisation_selectors._CLOSING_DAYS,
        organisation_selectors._REGULATION_VERSIONS,
    ):
        _same(prepared)
    assert [member.username for member in selectors.staff_list()] == [
        member.username
        for member in type(selectors.staff_list()[0]).objects.order_by(
            "first_name", "last_name", "username"
        )
    ]


def test_the_calendar_and_the_regulation_read_as_before(busy):
    ClosingDay.objects.create(day=in_days(20))
    calendar = organisation_selectors._work_calendar()
    assert calendar.closing_days == frozenset(ClosingDay.objects.values_list("day", flat=True))
    versions = list(RegulationVersion.objects.order_by("in_force_from", "number"))
    found = organisation_selectors.regulation_version_at(NOW + timedelta(days=1))
    expected = [version for version in versions if version.in_force_from <= NOW + timedelta(days=1)]
    assert (found.pk if found else None) == (expected[-1].pk if expected else None)
    for model in (CalendarSettings, OrganisationSettings):
        row = organisation_selectors._singleton(model, model.SINGLETON_PK)
        stored = model.objects.filter(pk=model.SINGLETON_PK).first()
        assert (row and _fields(row)) == (stored and _fields(stored))


def test_the_page_lists_carry_their_complaint_and_people_without_queries(busy):
    people = selectors.staff_list()
    staff_by_pk = {member.pk: member for member in people}
    actions = selectors.complaint_actions(busy, staff_by_pk)
    with CaptureQueriesContext(connection) as captured:
        assert {action.complaint.reference for action in actions} == {busy.reference}
        assert {action.who.username for action in actions} == {"collega"}
    assert captured.captured_queries == []
    # Without the staff read, the same rows, joined as before.
    assert [a.pk for a in selectors.complaint_actions(busy)] == [a.pk for a in actions]


def test_what_a_prepared_query_cannot_answer_exactly_is_refused(db):
    refused = [
        Prepared(
            lambda id: ActionItem.objects.filter(complaint_id=id).annotate(n=Count("pk")), "id"
        ),
        Prepared(lambda id: ActionItem.objects.filter(complaint_id=id).values("what"), "id"),
        Prepared(lambda id: ActionItem.objects.filter(complaint__reference="x"), "id"),
    ]
    for prepared in refused:
        with pytest.raises(ImproperlyConfigured):
            prepared(id=1)
    actions = Prepared(lambda id: ActionItem.objects.filter(complaint_id=id), "id")
    with pytest.raises(TypeError):
        actions(id="1")  # type: ignore[arg-type]
    assert actions(id=1) == []


def test_joined_rows_text_and_a_repeated_id_read_as_django_reads_them(busy):
    joined = Prepared(
        lambda id, reference: ActionItem.objects.filter(
            Q(complaint_id=id) | Q(who_id=id), complaint__reference=reference
        ).select_related("who", "complaint__customer"),
        "id",
        texts=["reference"],
    )
    rows = _same(joined, id=busy.pk, reference=busy.reference)
    expected = {row.pk: row for row in joined.build(id=busy.pk, reference=busy.reference)}
    with CaptureQueriesContext(connection) as captured:
        for row in rows:
            assert _fields(row.who) == _fields(expected[row.pk].who)
            assert _fields(row.complaint.customer) == _fields(expected[row.pk].complaint.customer)
    assert captured.captured_queries == []
    assert joined(id=busy.pk, reference="KG-0000-00000") == []
    with pytest.raises(TypeError):
        joined(id=busy.pk, reference=1)  # type: ignore[arg-type]


def test_the_messages_and_what_the_customer_sent_are_the_querysets_rows(busy, employee):
    from klachten.messaging.models import IncomingMessage

    message = IncomingMessage.objects.create(
        complaint=busy,
        channel="email",
        sender="klant@example.nl",
        subject="Re: uw klacht",
        text="Dank u.",
        received_at=NOW,
        created_at=NOW,
    )
    message.attachments.add(busy.attachments.get())
    _same(messaging_selectors._INCOMING, complaint_id=busy.pk)
    [found] = messaging_selectors.incoming_messages(busy)
    with CaptureQueriesContext(connection) as captured:
        assert [a.original_name for a in found.attachments.all()] == ["brief.pdf"]
        assert found.complaint is busy
    assert captured.captured_queries == []
    _same(messaging_selectors._MESSAGES, complaint_id=busy.pk)


@pytest.mark.parametrize("role", ["management", "employee", "admin", "auditor"])
def test_the_complaint_page_reads_its_complaint_as_every_other_read(busy, make_staff, role):
    """R2 holds in the read compiled once: the same complaint, with the same joined rows, for
    whoever may see it, and NotFound for whoever may not."""
    from klachten.core.errors import NotFound

    reader = make_staff(f"lezer-{role}", role, email=f"{role}@kerngroep.nl")
    receiver = busy.receiver
    staff_by_pk = {member.pk: member for member in selectors.staff_list()}
    for who in (reader, receiver):
        try:
            expected = selectors.complaint_get_for(staff=who, reference=busy.reference)
        except NotFound:
            with pytest.raises(NotFound):
                selectors.complaint_get_for(
                    staff=who, reference=busy.reference, staff_by_pk=staff_by_pk
                )
            continue
        found = selectors.complaint_get_for(
            staff=who, reference=busy.reference, staff_by_pk=staff_by_pk
        )
        assert _fields(found) == _fields(expected)
        for name in ("customer", "category", "root_cause", "receiver", "handler"):
            ours, theirs = getattr(found, name), getattr(expected, name)
            assert (ours and _fields(ours)) == (theirs and _fields(theirs)), name
    if role in ("management",):
        assert selectors.complaint_get_for(staff=reader, reference=busy.reference)


def test_joined_is_the_same_query_with_its_people_joined(busy):
    joined = selectors._ACTIONS.joined("who", "done_by")
    assert joined is selectors._ACTIONS.joined("who", "done_by")  # compiled once
    rows = _same(joined, complaint_id=busy.pk)
    with CaptureQueriesContext(connection) as captured:
        assert {row.who.username for row in rows} == {"collega"}
    assert captured.captured_queries == []
    staff_by_pk = {member.pk: member for member in selectors.staff_list()}
    assert [_fields(a) for a in selectors.complaint_actions(busy)] == [
        _fields(a) for a in selectors.complaint_actions(busy, staff_by_pk)
    ]


def test_a_text_choice_is_passed_as_its_text(manager):
    from klachten.messaging.models import MessageKind, MessageTemplate

    MessageTemplate.objects.create(
        kind="receipt",
        subject="Ontvangen",
        body="Wij hebben uw melding.",
        updated_at=NOW,
        updated_by=manager,
    )
    [found] = _same(messaging_selectors._TEMPLATE, kind=MessageKind.RECEIPT)
    assert (found.subject, found.updated_by.username) == ("Ontvangen", manager.username)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


@postgres_only
def test_on_postgresql_a_call_executes_the_sessions_statement(busy, make_staff):
    """The rows are the queryset's, read by an EXECUTE of a statement the session prepared
    once; the SQL behind it is the queryset's, its constants written in."""
    from klachten.core.prepared import statement_sql

    staff = make_staff("ineke", "employee")
    prepared = Prepared(
        lambda pk: Complaint.objects.filter(Q(receiver_id=pk) | Q(handler_id=pk), status="new"),
        "pk",
    )
    for _ in range(3):
        _same(prepared, pk=staff.pk)
        _same(prepared, pk=busy.handler_id)
    with CaptureQueriesContext(connection) as captured:
        prepared(pk=staff.pk)
    [query] = captured.captured_queries
    assert query["sql"] == f"EXECUTE {prepared.statement}({staff.pk})"
    behind = statement_sql(query["sql"])
    assert behind.startswith("SELECT ")
    assert '"complaints_complaint"."status" = \'new\'' in behind
    assert behind.count("$1") == 2  # the one id, named once, used twice
    assert statement_sql("SELECT 1") == "SELECT 1"


@postgres_only
@pytest.mark.django_db(transaction=True)  # a session closed and opened again, as in a worker
def test_on_postgresql_a_new_session_prepares_again_and_a_rollback_keeps_it(busy):
    from django.db import transaction

    prepared = Prepared(lambda pk: ActionItem.objects.filter(complaint_id=pk), "pk")
    _same(prepared, pk=busy.pk)
    connection.close()  # as after a failed health check: a new session without the statement
    _same(prepared, pk=busy.pk)

    fresh = Prepared(lambda pk: ActionItem.objects.filter(complaint_id=pk), "pk")
    with transaction.atomic():
        _same(fresh, pk=busy.pk)  # prepared inside a transaction that is rolled back
        transaction.set_rollback(True)
    _same(fresh, pk=busy.pk)


@postgres_only
def test_on_postgresql_a_statement_it_will_not_prepare_runs_as_plain_sql(busy):
    """PostgreSQL cannot type a bare ``$1``: the query runs as before, and the transaction it
    was asked in goes on."""
    from django.db import transaction

    untyped = Prepared(
        lambda pk: ActionItem.objects.extra(where=["%s IS NOT NULL"], params=[pk]), "pk"
    )
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            rows = untyped(pk=busy.pk)
        assert captured.captured_queries[0]["sql"].startswith("SELECT ")
        assert len(rows) == ActionItem.objects.count() > 0
        assert Complaint.objects.filter(pk=busy.pk).exists()  # not an aborted transaction


def test_read_ahead_answers_each_call_once_and_forgets_the_rest(busy, employee, make_staff):
    """Inside ``read_ahead`` each call asked ahead gets the queryset's rows; on PostgreSQL
    from one round trip at the start, on SQLite by its own query as usual. What is not taken
    is forgotten when the block ends; other values are read as usual."""
    from klachten.core.prepared import read_ahead

    actions = Prepared(lambda pk: ActionItem.objects.filter(complaint_id=pk), "pk")
    staff = Prepared(lambda pk: type(employee).objects.filter(pk=pk), "pk")
    someone = make_staff("iemand", "employee")
    expected_actions = [_fields(row) for row in actions.build(pk=busy.pk)]
    postgres = connection.vendor == "postgresql"
    with CaptureQueriesContext(connection) as ahead:
        with read_ahead([actions.ask(pk=busy.pk), staff.ask(pk=someone.pk)]):
            with CaptureQueriesContext(connection) as inside:
                first = actions(pk=busy.pk)
                again = actions(pk=busy.pk)  # taken once: read anew
                other = staff(pk=employee.pk)  # other values: read as usual
            left = [len(p._ahead.get(connections["default"], {})) for p in (actions, staff)]
        forgotten = [p._ahead.get(connections["default"]) for p in (actions, staff)]
    assert left == ([0, 1] if connection.vendor == "postgresql" else [0, 0])
    assert forgotten == [None, None]
    assert [_fields(row) for row in first] == [_fields(row) for row in again]
    assert sorted(map(str, (_fields(r) for r in first))) == sorted(map(str, expected_actions))
    assert [row.pk for row in other] == [employee.pk]
    assert len(inside.captured_queries) == (2 if postgres else 3)
    assert len(ahead.captured_queries) == 3  # the batch, or nothing, before the block
    if postgres:
        assert ahead.captured_queries[0]["sql"].count("EXECUTE klachten_") == 2


@postgres_only
def test_read_ahead_that_fails_half_way_keeps_nothing(busy, monkeypatch):
    """Rows read ahead before a failure are not left for a later call to take as fresh."""
    from klachten.core.prepared import read_ahead

    first = Prepared(lambda pk: ActionItem.objects.filter(complaint_id=pk), "pk")
    second = Prepared(lambda pk: Complaint.objects.filter(pk=pk), "pk")

    def broken(*args: object, **kwargs: object) -> list[Any]:
        raise RuntimeError("the second result")

    monkeypatch.setattr(second, "_made", broken)
    with pytest.raises(RuntimeError), read_ahead([first.ask(pk=busy.pk), second.ask(pk=busy.pk)]):
        pass
    assert first._ahead.get(connections["default"]) is None


# --- Values, counts and moments (#17 item 2: the overview compiled once) ------------------------


@pytest.fixture
def mixed(employee, manager, make_staff) -> list[Complaint]:
    """Complaints of every kind the overview tells apart: new and handled, late and not,
    disputed, closed, with and without a category, taken up or not, someone else's."""
    from klachten.organisation.models import Category

    other = make_staff("anders", "employee", email="anders@kerngroep.nl")
    planning = Category.objects.create(name="Planning")
    found = []
    for number in range(12):
        complaint = complaint_register(
            receiver=(employee, other, manager)[number % 3],
            customer=customer_data(name=f"Klant {number}", postcode=f"35{number:02d} AB"),
            received_at=NOW - timedelta(hours=number + 1),
            channel="phone",
            report=f"Verslag {number}",
            checklist=Checklist(apologised=True),
            now=NOW,
        )
        changes: dict[str, Any] = {"attention_due": NOW + timedelta(days=number - 4)}
        if number % 4 == 1:
            changes |= {"status": "in_treatment", "handler": employee}
        if number == 5:
            changes |= {"status": "in_dispute"}
        if number == 7:
            changes |= {"status": "closed", "attention_due": None}
        if number % 3 == 2:
            changes |= {"category": planning}
        if number in (3, 10):
            changes |= {"receiver": None}
        Complaint.objects.filter(pk=complaint.pk).update(**changes)
        found.append(complaint)
    return found


def test_prepared_values_are_the_querysets_rows_with_moments_converted(mixed, employee):
    """A values_list() compiled once gives the rows Django gives, datetimes converted; a
    moment reaches the SQL as the field's column takes it, and only an aware one is taken."""
    from klachten.core.prepared import PreparedValues

    values = PreparedValues(
        lambda staff, now: (
            Complaint.objects.filter(
                Q(receiver_id=staff) | Q(handler_id=staff), attention_due__lt=now
            )
            .order_by("attention_due", "id")
            .values_list("reference", "attention_due", "received_at", "customer__name")
        ),
        "staff",
        moments=["now"],
    )
    for moment in (NOW, NOW + timedelta(days=3, minutes=7), NOW - timedelta(days=30)):
        expected = list(values.build(staff=employee.pk, now=moment))
        with CaptureQueriesContext(connection) as captured:
            assert values(staff=employee.pk, now=moment) == expected
        assert len(captured.captured_queries) == 1
    assert values(staff=employee.pk, now=NOW + timedelta(days=30))  # rows, with datetimes
    row = values(staff=employee.pk, now=NOW + timedelta(days=30))[0]
    assert row[1].utcoffset() is not None
    assert row[2].utcoffset() is not None
    with pytest.raises(TypeError):
        values(staff=employee.pk, now=NOW.replace(tzinfo=None))
    with pytest.raises(ImproperlyConfigured):  # a model queryset is Prepared's, not these
        PreparedValues(lambda: Complaint.objects.all())()


def test_prepared_counts_are_each_querysets_count(mixed, employee, make_staff):
    from klachten.core.prepared import PreparedCounts

    auditor = make_staff("telt-niet", "auditor", email="a@kerngroep.nl")
    counted = PreparedCounts(
        lambda staff, now: [
            Complaint.objects.filter(receiver_id=staff),
            Complaint.objects.filter(attention_due__lt=now),
            selectors.complaints_for(auditor),  # pk__in=[]: 0 without a subquery
            Complaint.objects.filter(Q(receiver_id=staff) | Q(handler_id=staff), status="new"),
        ],
        "staff",
        moments=["now"],
    )
    for moment in (NOW, NOW + timedelta(days=2), NOW + timedelta(days=20)):
        expected = [q.count() for q in counted.build(staff=employee.pk, now=moment)]
        with CaptureQueriesContext(connection) as captured:
            assert counted(staff=employee.pk, now=moment) == expected
        assert len(captured.captured_queries) == 1
    assert expected[1] == 11
    assert expected[2] == 0


_SHAPES = [
    {},
    {"mine": True},
    {"unclaimed": True},
    {"status": "new"},
    {"status": "in_dispute", "order": "-klant"},
    {"overdue": True},
    {"soon": True},
    {"overdue": True, "mine": True, "order": "behandelaar"},
    {"category": True},
    {"include_closed": True},
    {"include_closed": True, "order": "-termijn"},
    {"order": "ontvangen"},
    {"order": "-status", "mine": True, "category": True},
]


@pytest.mark.parametrize("role", ["management", "employee", "admin", "auditor"])
def test_the_overview_compiled_once_reads_what_django_reads(mixed, employee, make_staff, role):
    """Every kind of filter and order, for every rule of who sees what (R2), on two pages
    and at two moments: the rows and the counts are those of the queryset run by Django."""
    from klachten.organisation.models import Category

    staff = (
        employee
        if role == "employee"
        else make_staff(f"{role}-1", role, email=f"{role}@kerngroep.nl")
    )
    planning = Category.objects.get(name="Planning")
    for moment in (NOW, NOW + timedelta(days=3, hours=5)):
        for shape in _SHAPES:
            filters = selectors.OverviewFilter(
                mine=shape.get("mine", False),
                unclaimed=shape.get("unclaimed", False),
                status=shape.get("status", ""),
                overdue=shape.get("overdue", False),
                category_id=planning.pk if shape.get("category") else None,
                include_closed=shape.get("include_closed", False),
                soon_until=moment + timedelta(days=2) if shape.get("soon") else None,
                order=shape.get("order", ""),
            )
            queryset = selectors._overview_queryset(
                selectors._sight(staff), staff.pk, filters, moment
            )
            for limit, offset in ((5, 0), (5, 5)):
                expected = list(queryset[offset : offset + limit])
                rows = selectors.complaint_overview(
                    staff=staff, filters=filters, now=moment, limit=limit, offset=offset
                )
                assert [row.reference for row in rows] == [values[0] for values in expected]
                assert [row.attention_due for row in rows] == [values[9] for values in expected]
        soon_until = moment + timedelta(days=2)
        open_ = selectors.complaints_for(staff).filter(attention_due__isnull=False)
        assert selectors.overview_counts(
            staff=staff, now=moment, soon_until=soon_until
        ) == selectors.OverviewCounts(
            new=open_.filter(status="new").count(),
            overdue=open_.filter(attention_due__lt=moment).count(),
            soon=open_.filter(attention_due__gte=moment, attention_due__lt=soon_until).count(),
            in_dispute=open_.filter(status="in_dispute").count(),
            unclaimed=Complaint.objects.filter(
                selectors.UNCLAIMED, attention_due__isnull=False
            ).count(),
        )


@postgres_only
def test_on_postgresql_a_query_with_a_moment_runs_as_plain_sql(mixed, employee):
    """A moment is a range's bound: a generic plan of a prepared statement cannot know how
    much it selects, so such a query is sent as SQL with its values each time."""
    from klachten.core.prepared import PreparedValues

    values = PreparedValues(
        lambda now: Complaint.objects.filter(attention_due__lt=now).values_list("reference"),
        moments=["now"],
    )
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            values(now=NOW)
        [query] = captured.captured_queries
        assert not query["sql"].startswith("EXECUTE")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner and its ANALYZE")
def test_the_timeline_reads_past_no_view_once_the_statistics_are_kept(busy, employee):
    """Every page view adds a "viewed" entry to the audit log. The timeline reads a
    complaint's changes by their own index, so its cost does not grow with its views, once
    the worker's nightly statistics (``database_statistics_refresh``) tell SQLite which index
    that is (#17)."""
    from klachten.audit.models import AuditEntry
    from klachten.ops.services import database_statistics_refresh
    from klachten.ops.tasks import refresh_database_statistics

    AuditEntry.objects.bulk_create(
        AuditEntry(complaint=busy, actor=employee, at=later(hours=6), action="viewed")
        for _ in range(500)
    )
    sql = selectors._CHANGES.build(complaint_id=busy.pk).query.sql_with_params()
    database_statistics_refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl, idx FROM sqlite_stat1 WHERE tbl = 'complaints_auditentry'")
        assert ("complaints_auditentry", "audit_complaint_changes") in cursor.fetchall()
        cursor.execute("EXPLAIN QUERY PLAN " + sql[0], sql[1])
        assert "USING INDEX audit_complaint_changes" in " ".join(str(r) for r in cursor.fetchall())
    assert [e.action for e in selectors.complaint_timeline(busy)].count("viewed") == 0
    refresh_database_statistics.call_local()  # the nightly task runs the same


def test_rows_are_made_as_django_makes_them_and_signals_still_heard(busy, employee):
    """A prepared query fills a plain model's instance as ``Model.from_db`` would (#17): the
    same attributes in the same order, the same state, deferred fields deferred. A model
    whose instances a ``post_init`` receiver hears is made by ``from_db`` itself."""
    from django.db.models.signals import post_init

    from klachten.accounts.models import Staff
    from klachten.audit.models import AuditEntry

    cases: list[tuple[Prepared[Any], Any]] = [
        (Prepared(lambda: Staff.objects.order_by("pk")), Staff.objects.order_by("pk")),
        (
            Prepared(lambda pk: AuditEntry.objects.filter(complaint_id=pk).order_by("pk"), "pk"),
            AuditEntry.objects.filter(complaint_id=busy.pk).order_by("pk"),
        ),
        (
            Prepared(lambda pk: Complaint.objects.filter(pk=pk).only("reference", "status"), "pk"),
            Complaint.objects.filter(pk=busy.pk).only("reference", "status"),
        ),
    ]
    for prepared, queryset in cases:
        values = {"pk": busy.pk} if prepared.kinds else {}
        ours, theirs = prepared(**values), list(queryset)
        assert ours
        for mine, django in zip(ours, theirs, strict=True):
            assert type(mine) is type(django)
            assert [k for k in mine.__dict__ if k != "_state"] == [
                k for k in django.__dict__ if k != "_state"
            ]
            assert {k: v for k, v in mine.__dict__.items() if k != "_state"} == {
                k: v for k, v in django.__dict__.items() if k != "_state"
            }
            assert (mine._state.adding, mine._state.db) == (False, "default")
            assert mine.get_deferred_fields() == django.get_deferred_fields()
    heard: list[Any] = []

    def hear(sender: Any, instance: Any, **kwargs: Any) -> None:
        heard.append(instance)

    post_init.connect(hear, sender=Staff)
    try:
        rows = cases[0][0]()
    finally:
        post_init.disconnect(hear, sender=Staff)
    assert heard == rows
    assert rows
