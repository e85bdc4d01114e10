"""Every read of complaints (STYLE.md, 2). Selectors apply who may see what (R2)."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry
from klachten.complaints.models import (
    STATUS_CHOICES,
    AccountRequest,
    ActionItem,
    Complaint,
    ContactMoment,
    InternalNote,
    Reminder,
)
from klachten.core.errors import NotFound
from klachten.core.prepared import Call, Prepared, PreparedCounts, PreparedValues
from klachten.customers.models import CustomerFile
from klachten.domain import status_link
from klachten.domain.lifecycle import (
    OPEN_STATUSES,
    CustomerView,
    Facts,
    Reason,
    Status,
    Step,
    allowed_steps,
    blocking_reasons,
    next_step,
)
from klachten.domain.workdays import AMSTERDAM, DayOff, DayOffKind
from klachten.organisation.models import Category, ClosingDay, RootCause
from klachten.organisation.selectors import work_calendar

_M = TypeVar("_M", bound=Model)

StaffByPk = Mapping[int, Staff]
"""Every staff member by primary key (:func:`staff_list`), for a page that has read them
anyway: the lists of one complaint then name their people without joining the staff table."""

PAGE_SIZE = 50


UNCLAIMED = Q(receiver__isnull=True)
"""A report from the website that no employee has taken up yet (R15)."""


def visible_to(staff: Staff) -> Q:
    """R2: employees see what they received or handle; management sees all (an admin only
    when management too, #15); an auditor none here (#16).

    A report from the website that nobody has taken up yet is every staff member's, so that
    someone takes it up (R15); once taken, the normal rule applies. A colleague asked for
    their account of what happened sees that one complaint until they answered (R10).
    """
    return _visible_to(_sight(staff), staff.pk)


def _sight(staff: Staff) -> str:
    """Which of the rules of ``visible_to`` is ``staff``'s."""
    if staff.is_management:
        return "all"
    if staff.is_auditor:
        return "none"
    return "admin" if staff.is_admin else "employee"


def _visible_to(sight: str, staff_id: int) -> Q:
    if sight == "all":
        return Q()
    if sight == "none":
        return Q(pk__in=[])  # the sampled dossiers only, without personal data (auditing app)
    mine = Q(receiver_id=staff_id) | Q(handler_id=staff_id)
    if sight == "admin":
        # Keeps accounts and settings, not the queue of reports still to be taken up (#15).
        return mine
    asked = AccountRequest.objects.filter(asked_of_id=staff_id, answered_at__isnull=True)
    return mine | UNCLAIMED | Q(pk__in=asked.values("complaint_id"))


def complaints_for(staff: Staff) -> QuerySet[Complaint]:
    """The complaints ``staff`` may see, with what every list shows, in one query."""
    return Complaint.objects.filter(visible_to(staff)).select_related(
        "customer", "receiver", "handler", "category"
    )


_COMPLAINT_PAGE: dict[str, Prepared[Complaint]] = {}
"""The complaint page's read of its complaint, per rule of ``visible_to`` (compiled once)."""


def complaint_get_for(
    *, staff: Staff, reference: str, staff_by_pk: StaffByPk | None = None
) -> Complaint:
    """One complaint by reference; NotFound — never "forbidden" — for one ``staff`` may not see.

    With ``staff_by_pk`` (the complaint page, which reads the staff anyway) the receiver and
    handler come from there, and the course and trainer are read by key when the page shows
    them: PostgreSQL plans a join of nine tables in about 5 ms and one of five in 0.5 ms,
    while the rows themselves take a tenth of a millisecond (#17 items 2, 3).
    """
    if staff_by_pk is None:
        found = Complaint.objects.filter(visible_to(staff)).select_related(
            "customer", "category", "root_cause", "satisfaction"
        )
        found = found.select_related("receiver", "handler", "course", "trainer")
        # The reference is unique: no ORDER BY for .first() to compile (#17 item 2).
        rows = list(found.filter(reference=reference).order_by()[:1])
    else:
        sight = _sight(staff)
        prepared = _COMPLAINT_PAGE.get(sight)
        if prepared is None:
            prepared = _COMPLAINT_PAGE[sight] = Prepared(
                lambda reference, staff_id=0: (
                    Complaint.objects.filter(_visible_to(sight, staff_id), reference=reference)
                    .select_related("customer", "category", "root_cause", "satisfaction")
                    .order_by()[:1]
                ),
                # Management's rule reads no id.
                *(("staff_id",) if sight in ("admin", "employee") else ()),
                texts=["reference"],
            )
        rows = prepared(staff_id=staff.pk, reference=reference)
    if not rows:
        raise NotFound(
            "not_found", _("Melding %(reference)s niet gevonden."), {"reference": reference}
        )
    if staff_by_pk is not None:
        with_people(rows, staff_by_pk, "receiver", "handler")
    return rows[0]


def complaint_get_for_take_up(*, staff: Staff, reference: str) -> Complaint:
    """The complaint ``staff`` wants to take up: one they may see, or a report from the
    website that was everyone's until a colleague took it up meanwhile.

    R15: whoever comes second is told who was first (``complaint_take_up`` refuses with
    ``already_taken_up``), not "not found". Only reports that were once every staff member's
    (audited as taken up) are found this way; any other complaint ``staff`` may not see stays
    not found (R2).
    """
    taken_up = AuditEntry.objects.filter(complaint=OuterRef("pk"), action="taken_up")
    complaint = (
        Complaint.objects.filter(visible_to(staff) | Q(Exists(taken_up)))
        .select_related("customer", "receiver", "handler", "category")
        .filter(reference=reference)
        .first()
    )
    if complaint is None:
        raise NotFound(
            "not_found", _("Melding %(reference)s niet gevonden."), {"reference": reference}
        )
    return complaint


@dataclass(frozen=True)
class OverviewRow:
    """One row of the overview: plain values, no model instances (fifty rows stay cheap)."""

    reference: str
    status: str
    channel: str
    category: str
    customer_name: str
    customer_postcode: str
    customer_town: str
    receiver: str
    handler: str
    attention_due: datetime | None
    contact_due: datetime
    contacted_at: datetime | None
    delay_notice_due: datetime
    delay_notice_sent_at: datetime | None
    agreed_term: date | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def unclaimed(self) -> bool:
        """A report from the website that nobody has taken up yet (R15)."""
        return not self.receiver


STATUS_LABELS = dict(STATUS_CHOICES)
_OVERVIEW_VALUES = (
    "reference",
    "status",
    "channel",
    "category__name",
    "customer__name",
    "customer__postcode",
    "customer__town",
    "receiver_id",
    "handler_id",
    "attention_due",
    "contact_due",
    "contacted_at",
    "delay_notice_due",
    "delay_notice_sent_at",
    "agreed_term",
)


def _person(username: str | None, first_name: str | None, last_name: str | None) -> str:
    """As ``Staff.__str__``: the full name, or the user name; "" for nobody (not taken up)."""
    if username is None:
        return ""
    return f"{first_name} {last_name}".strip() or username


_STAFF_NAMES = Prepared(
    lambda: Staff.objects.only("username", "first_name", "last_name").order_by()
)
"""Every staff member's names, for lists that name receivers and handlers (#17 item 3)."""


def _staff_names() -> dict[int, str]:
    """Every staff member's name by id, for the overview's rows: joining the staff table twice
    made PostgreSQL plan the overview's query for 1.2 ms, the rows took 0.3 (#17 item 3)."""
    return {pk: _person(*names) for pk, *names in _STAFF_NAME_VALUES()}


_STAFF_NAME_VALUES = PreparedValues(
    lambda: Staff.objects.order_by().values_list("pk", "username", "first_name", "last_name")
)


def _overview_row(values: tuple[Any, ...], names: Mapping[int, str]) -> OverviewRow:
    (
        reference,
        status,
        channel,
        category,
        name,
        postcode,
        town,
        receiver_id,
        handler_id,
        attention,
        contact_due,
        contacted_at,
        delay_due,
        delay_sent,
        agreed_term,
    ) = values
    receiver = names.get(receiver_id, "") if receiver_id else ""
    handler = names.get(handler_id, "") if handler_id else ""
    return OverviewRow(
        reference=reference,
        status=status,
        channel=channel,
        category=category or "",
        customer_name=name,
        customer_postcode=postcode,
        customer_town=town,
        receiver=receiver,
        handler="" if handler == receiver else handler,
        attention_due=attention,
        contact_due=contact_due,
        contacted_at=contacted_at,
        delay_notice_due=delay_due,
        delay_notice_sent_at=delay_sent,
        agreed_term=agreed_term,
    )


@dataclass(frozen=True)
class OverviewFilter:
    """The overview's filters (UX.md): mine, not yet taken up, status, overdue, category,
    search words."""

    mine: bool = False
    unclaimed: bool = False
    status: str = ""
    overdue: bool = False
    category_id: int | None = None
    search: str = ""
    include_closed: bool = False
    # Nearly late: the nearest deadline falls before this moment (and is not past).
    soon_until: datetime | None = None
    # A column to sort by (``OVERVIEW_ORDERS``), "-" first for descending; "" the default.
    order: str = ""


OVERVIEW_ORDERS: Mapping[str, tuple[str, ...]] = {
    "termijn": ("attention_due", "id"),
    "kenmerk": ("reference",),
    "klant": ("customer__name", "id"),
    "categorie": ("category__name", "attention_due", "id"),
    "status": ("status", "attention_due", "id"),
    "behandelaar": ("handler__first_name", "handler__last_name", "attention_due", "id"),
    "ontvangen": ("received_at", "id"),
}
"""The overview's sortable columns (#14): the name in the URL and the ordering it means."""


def complaint_overview(
    *,
    staff: Staff,
    filters: OverviewFilter,
    now: datetime,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[OverviewRow]:
    """Open complaints, the nearest deadline first (an index scan on ``attention_due``).

    Without search words the query is compiled once per kind of filter and page
    (``_overview_prepared``, #17 item 2): building and compiling it took longer than running it.
    Pages past the first ``PREPARED_PAGES`` are compiled each time, as searches are: each would
    be a statement of its own, kept by every PostgreSQL session that read it.
    """
    sight = _sight(staff)
    if filters.search.strip() or sight == "none" or offset > PREPARED_PAGES * limit:
        queryset = _overview_queryset(sight, staff.pk, filters, now)
        rows: list[tuple[Any, ...]] = list(queryset[offset : offset + limit])
    else:
        shape = _OverviewShape(
            sight=sight,
            mine=filters.mine,
            unclaimed=filters.unclaimed,
            status=bool(filters.status),
            include_closed=filters.include_closed,
            overdue=filters.overdue,
            soon=filters.soon_until is not None,
            category=filters.category_id is not None,
            order=filters.order,
            limit=limit,
            offset=offset,
        )
        given: dict[str, Any] = {}
        if shape.needs_staff:
            given["staff"] = staff.pk
        if filters.status:
            given["status"] = filters.status
        if shape.needs_now:
            given["now"] = now
        if filters.soon_until is not None:
            given["soon_until"] = filters.soon_until
        if filters.category_id is not None:
            given["category"] = filters.category_id
        rows = _overview_prepared(shape)(**given)
    names = _staff_names()
    return [_overview_row(values, names) for values in rows]


PREPARED_PAGES = 20
"""How many of the overview's pages are compiled once (``complaint_overview``)."""


@dataclass(frozen=True)
class _OverviewShape:
    """What the overview's query looks like, without its values: one compiled query each."""

    sight: str
    mine: bool
    unclaimed: bool
    status: bool
    include_closed: bool
    overdue: bool
    soon: bool
    category: bool
    order: str
    limit: int
    offset: int

    @property
    def needs_staff(self) -> bool:
        return self.mine or self.sight in ("admin", "employee")

    @property
    def needs_now(self) -> bool:
        return self.overdue or self.soon


@lru_cache(maxsize=256)
def _overview_prepared(shape: _OverviewShape) -> PreparedValues:
    """The overview's query of this shape, compiled once per connection."""

    def build(
        staff: int = 0,
        status: str = "",
        now: datetime | None = None,
        soon_until: datetime | None = None,
        category: int | None = None,
    ) -> QuerySet[Complaint, tuple[Any, ...]]:
        filters = OverviewFilter(
            mine=shape.mine,
            unclaimed=shape.unclaimed,
            status=status,
            overdue=shape.overdue,
            category_id=category,
            include_closed=shape.include_closed,
            soon_until=soon_until,
            order=shape.order,
        )
        queryset = _overview_queryset(shape.sight, staff, filters, now)
        return queryset[shape.offset : shape.offset + shape.limit]

    return PreparedValues(
        build,
        *(["staff"] if shape.needs_staff else []),
        *(["category"] if shape.category else []),
        texts=["status"] if shape.status else [],
        moments=[
            *(["now"] if shape.needs_now else []),
            *(["soon_until"] if shape.soon else []),
        ],
    )


def _overview_queryset(
    sight: str, staff_id: int, filters: OverviewFilter, now: datetime | None
) -> QuerySet[Complaint, tuple[Any, ...]]:
    """The overview's rows (``_OVERVIEW_VALUES``) of ``filters``, in their order."""
    queryset = Complaint.objects.filter(_visible_to(sight, staff_id))
    if filters.mine:
        queryset = queryset.filter(Q(receiver_id=staff_id) | Q(handler_id=staff_id))
    if filters.unclaimed:
        queryset = queryset.filter(UNCLAIMED)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    elif not filters.include_closed:
        # Open means "has a deadline to meet": attention_due is NULL exactly when closed, so
        # this is a range scan of the (attention_due, id) index that stops after one page.
        queryset = queryset.filter(attention_due__isnull=False)
    if filters.overdue:
        queryset = queryset.filter(attention_due__lt=now)
    if filters.soon_until is not None:
        queryset = queryset.filter(attention_due__gte=now, attention_due__lt=filters.soon_until)
    if filters.category_id is not None:
        queryset = queryset.filter(category_id=filters.category_id)
    if words := filters.search.strip():
        queryset = queryset.filter(
            Q(reference__iexact=words)
            | Q(customer__name__icontains=words)
            | Q(
                customer__postcode__iexact=words.replace(" ", "")[:4]
                + " "
                + words.replace(" ", "")[4:]
            )
            | Q(report__icontains=words)
        )
    column = filters.order.removeprefix("-")
    if column in OVERVIEW_ORDERS:
        fields = OVERVIEW_ORDERS[column]
        if filters.order.startswith("-"):
            fields = tuple(f"-{field}" for field in fields)
        if column == "termijn" and filters.include_closed:
            # Closed complaints have no deadline: after the open ones, newest first.
            due = F("attention_due")
            first = (
                due.desc(nulls_last=True)
                if filters.order.startswith("-")
                else due.asc(nulls_last=True)
            )
            ordered = queryset.order_by(first, "-received_at", "-id")
        else:
            ordered = queryset.order_by(*fields)
    elif not filters.include_closed:
        ordered = queryset.order_by("attention_due", "id")
    else:
        ordered = queryset.order_by("-received_at", "-id")
    return ordered.values_list(*_OVERVIEW_VALUES)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a complaint's timeline: who did what, when (UX.md), newest first."""

    at: datetime
    actor: Staff | None
    action: str
    before: dict[str, object]
    after: dict[str, object]


def complaint_page_reads(complaint: Complaint) -> list[Call]:
    """What the complaint page reads of its complaint's lists with the staff's names at hand,
    and the categories and root causes it offers: asked together (``read_ahead``; #17 item 3)."""
    pk = complaint.pk
    return [
        *(rows.ask(complaint_id=pk) for rows in (_ACTIONS, _CHANGES, _CONTACTS, _NOTES)),
        _ACCOUNT_REQUESTS.ask(complaint_id=pk),
        _CATEGORIES_ACTIVE.ask(),
        _ROOT_CAUSES_ACTIVE.ask(),
    ]


def complaint_rows(
    rows: Prepared[_M], complaint: Complaint, staff_by_pk: StaffByPk | None, *fields: str
) -> list[_M]:
    """The rows of one complaint (``rows`` built for its ``complaint_id``), unordered, each
    with its ``complaint`` set, and their staff members in ``fields``: from ``staff_by_pk``,
    or joined. Either way by a query compiled once (#17 item 2)."""
    if staff_by_pk is None:
        found = rows.joined(*fields)(complaint_id=complaint.pk)
    else:
        found = with_people(rows(complaint_id=complaint.pk), staff_by_pk, *fields)
    for row in found:
        row._state.fields_cache["complaint"] = complaint
    return found


def with_people(rows: list[_M], staff_by_pk: StaffByPk, *fields: str) -> list[_M]:
    """``rows`` with their staff members in ``fields`` set from ``staff_by_pk``, no query."""
    for row in rows:
        for name in fields:
            member = staff_by_pk.get(getattr(row, f"{name}_id"))
            if member is not None:  # one added since the list was read is loaded as usual
                setattr(row, name, member)
    return rows


_CHANGES = Prepared(
    lambda complaint_id: (
        AuditEntry.objects.filter(complaint_id=complaint_id).exclude(action="viewed").order_by()
    ),
    "complaint_id",
)
_ACTIONS = Prepared(
    lambda complaint_id: ActionItem.objects.filter(complaint_id=complaint_id).order_by(),
    "complaint_id",
)
_CONTACTS = Prepared(
    lambda complaint_id: ContactMoment.objects.filter(complaint_id=complaint_id).order_by(),
    "complaint_id",
)
_ACCOUNT_REQUESTS = Prepared(
    lambda complaint_id: AccountRequest.objects.filter(complaint_id=complaint_id).order_by(),
    "complaint_id",
)


def complaint_timeline(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[TimelineEntry]:
    """Every change of the complaint from the audit log, newest first; reads are left out.

    One query, whatever the length of the history.
    """
    entries = complaint_rows(_CHANGES, complaint, staff_by_pk, "actor")
    return [
        TimelineEntry(at=e.at, actor=e.actor, action=e.action, before=e.before, after=e.after)
        for e in sorted(entries, key=lambda e: (e.at, e.pk), reverse=True)
    ]


def complaint_actions(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[ActionItem]:
    """The action plan (R9): what, who, when, done — one query."""
    actions = complaint_rows(_ACTIONS, complaint, staff_by_pk, "who", "done_by")
    return sorted(actions, key=lambda a: (a.due, a.pk))


def complaint_contacts(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[ContactMoment]:
    """The contact moments (R3), newest first — one query."""
    contacts = complaint_rows(_CONTACTS, complaint, staff_by_pk, "by")
    return sorted(contacts, key=lambda c: (c.at, c.pk), reverse=True)


def customer_file_get_for(
    *, staff: Staff, customer_id: int
) -> tuple[CustomerFile, list[Complaint]]:
    """A customer file with the complaints ``staff`` may see in it (R2, R5).

    An employee who may see none of its complaints gets NotFound, as for a complaint.
    """
    customer = CustomerFile.objects.filter(pk=customer_id).first()
    complaints = (
        list(complaints_for(staff).filter(customer_id=customer_id).order_by("-received_at"))
        if customer is not None
        else []
    )
    if customer is None or (not staff.is_management and not complaints):
        raise NotFound("not_found", _("Klantmap niet gevonden."))
    return customer, complaints


_POSTCODE_AND_NUMBER = re.compile(
    r"^\s*(\d{4})\s*([A-Za-z]{2})\s*,?\s*(\d+)\s*[-/]?\s*([A-Za-z0-9]{0,4})\s*$"
)


def customer_exact_match(words: str) -> Q | None:
    """What the customer on the phone can confirm: their e-mail address, or their postcode
    and house number ("3512 AB 12a"); None for anything else (#15, R2: need to know)."""
    words = words.strip()
    if "@" in words and " " not in words:
        return Q(email__iexact=words)
    found = _POSTCODE_AND_NUMBER.match(words)
    if found is None:
        return None
    digits, letters, number, suffix = found.groups()
    return Q(
        postcode__iexact=f"{digits} {letters}",
        house_number__iregex=rf"^\s*{number}\s*[-/]?\s*{re.escape(suffix)}\s*$",
    )


def customer_files_search(*, staff: Staff, words: str, limit: int = 10) -> list[CustomerFile]:
    """Customer files for the intake's "existing customer" search (R2, R5, R6).

    Management browses by name, postcode or e-mail. An employee finds a file only by an exact
    match the customer on the phone can confirm — the e-mail address, or postcode and house
    number — and never sees a list of other people's names (#15: need to know). Only NAW and
    contact details are returned, never complaints; erased files are not found. The caller
    logs the look-up (``customer_lookup_log``).
    """
    words = words.strip()
    if len(words) < 2 or staff.is_auditor:
        return []
    if not staff.is_management:
        exact = customer_exact_match(words)
        if exact is None:
            return []
        return list(
            CustomerFile.objects.filter(exact, anonymised_at__isnull=True).order_by("name")[:limit]
        )
    compact = words.replace(" ", "").upper()
    postcode = f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact
    return list(
        CustomerFile.objects.filter(
            Q(name__icontains=words) | Q(postcode__iexact=postcode) | Q(email__iexact=words)
        ).order_by("name")[:limit]
    )


@dataclass(frozen=True)
class OverviewCounts:
    """The numbers on top of the management overview (UX.md)."""

    new: int
    overdue: int
    soon: int
    in_dispute: int
    # Open reports from the website that nobody has taken up yet (R15), for every staff
    # member's overview: the (receiver, attention_due) index.
    unclaimed: int


def complaint_reference_visible(*, staff: Staff, reference: str) -> str | None:
    """The reference as stored when ``staff`` may see that complaint (R2), else None: a
    search for an exact reference opens the complaint. One query on the unique index."""
    return (
        complaints_for(staff)
        .filter(reference=reference.strip().upper())
        .values_list("reference", flat=True)
        .first()
    )


def overview_counts(*, staff: Staff, now: datetime, soon_until: datetime) -> OverviewCounts:
    """New, late, nearly late and disputed open complaints, and the reports not yet taken up.

    Four counts, each a range of an index (status, attention_due), instead of one pass over
    every open complaint: constant and small whatever the number of complaints; asked in one
    query, compiled once per rule of ``visible_to`` (``_overview_counts``).
    """
    sight = _sight(staff)
    prepared = _overview_counts(sight)
    if sight in ("admin", "employee"):
        found = prepared(staff=staff.pk, now=now, soon_until=soon_until)
    elif sight == "all":
        found = prepared(now=now, soon_until=soon_until)
    else:  # none: only the reports not yet taken up, which name no moment
        found = prepared()
    new, overdue, soon, in_dispute, unclaimed = found
    return OverviewCounts(
        new=new, overdue=overdue, soon=soon, in_dispute=in_dispute, unclaimed=unclaimed
    )


@cache
def _overview_counts(sight: str) -> PreparedCounts:
    """``overview_counts``'s query for one rule of ``visible_to``."""

    def build(
        staff: int = 0, now: datetime | None = None, soon_until: datetime | None = None
    ) -> list[QuerySet[Complaint]]:
        unclaimed = Complaint.objects.filter(UNCLAIMED, attention_due__isnull=False)
        if sight == "none":  # sees no complaint here: four zeros, asked of nobody
            return [*[Complaint.objects.none()] * 4, unclaimed]
        open_ = Complaint.objects.filter(_visible_to(sight, staff), attention_due__isnull=False)
        return [
            open_.filter(status="new"),
            open_.filter(attention_due__lt=now),
            open_.filter(attention_due__gte=now, attention_due__lt=soon_until),
            open_.filter(status="in_dispute"),
            unclaimed,  # R15: every staff member's, whoever may see them
        ]

    names = ["staff"] if sight in ("admin", "employee") else []
    return PreparedCounts(build, *names, moments=[] if sight == "none" else ["now", "soon_until"])


# --- Reads for the staff pages (complaints/views.py) -------------------------------------------
# Added for the web screens; read-only, and every complaint read goes through visible_to (R2).


# How long a customer file an employee found stays theirs to pick (#15, need to know): a
# working day, so a call taken in the morning can be registered in the afternoon.
CUSTOMER_PICK_WINDOW = timedelta(hours=12)


def customer_file_for_intake(*, customer_id: int, staff: Staff, now: datetime) -> CustomerFile:
    """The customer file picked at intake, to register a new complaint in it (R5).

    Management may pick any file. An employee only one they know: that holds a complaint they
    received or handle, or that they found themselves in the last ``CUSTOMER_PICK_WINDOW`` by
    the customer's e-mail address or postcode and house number (``customer_files_search``,
    logged as ``customer_looked_up``). A file id alone, which counts up, opens no one's name
    and address (R2, #15 item 5): any other id is "not found", exactly as one that does not
    exist. Returns NAW and contact details, never complaints.
    """
    customer = CustomerFile.objects.filter(pk=customer_id).first()
    if customer is None or not (
        staff.is_management
        or customer_found_recently(staff=staff, customer_id=customer_id, now=now)
    ):
        raise NotFound("not_found", _("Klantmap niet gevonden."), field="customer_id")
    return customer


def customer_found_recently(*, staff: Staff, customer_id: int, now: datetime) -> bool:
    """Whether ``staff`` knows this customer file: one of their own complaints is in it, or
    they found it in a search of their own, lately. Two queries at most, on indexes (the audit
    log's actor, action and time; a day's look-ups are a handful)."""
    if complaints_for(staff).filter(customer_id=customer_id).exists():
        return True
    lookups = AuditEntry.objects.filter(
        actor=staff, action="customer_looked_up", at__gte=now - CUSTOMER_PICK_WINDOW
    ).values_list("after", flat=True)
    return any(customer_id in (after or {}).get("found", []) for after in lookups)


def action_get_for(*, staff: Staff, reference: str, action_id: int) -> ActionItem:
    """One action item of a complaint ``staff`` may see (R2, R9); NotFound otherwise."""
    action = (
        ActionItem.objects.select_related("complaint")
        .filter(complaint__in=complaints_for(staff), complaint__reference=reference, pk=action_id)
        .first()
    )
    if action is None:
        raise NotFound("not_found", _("Actie niet gevonden."))
    return action


_STAFF = Prepared(lambda: Staff.objects.order_by("first_name", "last_name", "username"))
_CATEGORIES_ACTIVE = Prepared(lambda: Category.objects.filter(active=True).order_by("name"))
_ROOT_CAUSES_ACTIVE = Prepared(lambda: RootCause.objects.filter(active=True).order_by("name"))


def staff_list() -> list[Staff]:
    """Every staff member by name, for "wie" (R9) and the handler (R15) — one query.

    Inactive staff are included so names in the history stay readable; forms offer only the
    active ones.
    """
    return _STAFF()


def categories_active() -> list[Category]:
    """The categories in use, by name — one query."""
    return _CATEGORIES_ACTIVE()


def root_causes_active() -> list[RootCause]:
    """The root causes in use, by name — one query."""
    return _ROOT_CAUSES_ACTIVE()


def category_get_active(pk: int) -> Category | None:
    """A category still in use, by id."""
    return Category.objects.filter(pk=pk, active=True).first()


def root_cause_get_active(pk: int) -> RootCause | None:
    """A root cause still in use, by id."""
    return RootCause.objects.filter(pk=pk, active=True).first()


COUNT_LIMIT = 10_000
"""The list counts what its filter selects up to this many, never the whole table (#17 item 3)."""


@dataclass(frozen=True)
class ListPerson:
    """A staff member as a list row names them: ``str()`` as ``Staff`` gives it."""

    username: str
    first_name: str
    last_name: str

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass(frozen=True)
class ListCustomer:
    """The customer's fields a list row shows, by the names ``Customer`` gives them."""

    pk: int
    name: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str
    email: str
    phone: str
    salutation: str
    naw_checked_at: datetime | None


@dataclass(frozen=True)
class ListChoice:
    """A category as a list row shows it."""

    pk: int
    name: str


@dataclass(frozen=True)
class ComplaintListRow:
    """One complaint of ``complaints_page``: plain values by the names ``Complaint`` gives
    them (a list row reads either), no model instances — building fifty complaints with their
    customer, receiver, handler and category was a third of the API list's time (#17 item 2).
    """

    pk: int
    reference: str
    status: str
    received_at: datetime
    channel: str
    contact_due: datetime
    delay_notice_due: datetime
    settlement_due: datetime
    agreed_term: date | None
    attention_due: datetime | None
    outcome: str
    closed_at: datetime | None
    customer: ListCustomer
    receiver: ListPerson | None
    handler: ListPerson | None
    category: ListChoice | None


@dataclass(frozen=True)
class ComplaintsPage:
    """One page of ``complaints_page``.

    ``count`` is exact when ``count_exact``; past ``COUNT_LIMIT`` it is ``COUNT_LIMIT`` and
    ``count_exact`` is False. ``has_more`` says whether a next page exists; ``next_cursor``
    is where it starts (keyset: no OFFSET to walk, however deep).
    """

    items: list[ComplaintListRow]
    count: int
    count_exact: bool
    has_more: bool
    next_cursor: str | None


def complaint_cursor(complaint: Complaint | ComplaintListRow) -> str:
    """The keyset position after ``complaint`` in the newest-first order (``complaint_newest``):
    its received moment in microseconds since the epoch and its id."""
    micros = (complaint.received_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{complaint.pk}"


def read_complaint_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The (received_at, id) of a cursor from ``complaint_cursor``; None when it is not one."""
    micros, _, pk = cursor.partition(".")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
        return None
    return _EPOCH + timedelta(microseconds=int(micros)), int(pk)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PERSON_FIELDS = tuple(f.name for f in fields(ListPerson))
_NESTED = ("customer", "receiver", "handler", "category")
# The columns of a list row, named as the dataclasses above name them (``pk`` is ``id``).
_CUSTOMER_FIELDS = tuple("id" if f.name == "pk" else f.name for f in fields(ListCustomer))
_OWN_NAMES = tuple(f.name for f in fields(ComplaintListRow) if f.name not in _NESTED)
_OWN_FIELDS = tuple("id" if name == "pk" else name for name in _OWN_NAMES)
# In the order ``_list_row`` takes them apart.
_LIST_FIELDS = (
    *_OWN_FIELDS,
    *(f"customer__{name}" for name in _CUSTOMER_FIELDS),
    "receiver_id",
    "handler_id",
    "category_id",
    "category__name",
)


def _list_people() -> dict[int, ListPerson]:
    """Every staff member as a list row names them, by id: the list takes its receivers and
    handlers from here instead of joining the staff table twice, which PostgreSQL took longer
    to plan than to run (#17 item 3)."""
    return {
        member.pk: ListPerson(*(getattr(member, name) for name in _PERSON_FIELDS))
        for member in _STAFF_NAMES()
    }


def _list_row(values: tuple[Any, ...], people: Mapping[int, ListPerson]) -> ComplaintListRow:
    own, rest = values[: len(_OWN_FIELDS)], values[len(_OWN_FIELDS) :]
    customer, rest = rest[: len(_CUSTOMER_FIELDS)], rest[len(_CUSTOMER_FIELDS) :]
    receiver_id, handler_id, category_id, category_name = rest
    return ComplaintListRow(
        **dict(zip(_OWN_NAMES, own, strict=True)),
        customer=ListCustomer(*customer),
        receiver=people.get(receiver_id) if receiver_id is not None else None,
        handler=people.get(handler_id) if handler_id is not None else None,
        category=ListChoice(category_id, category_name) if category_id is not None else None,
    )


def complaints_page(
    *,
    staff: Staff,
    status: str | None,
    overdue: bool,
    now: datetime,
    offset: int,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> ComplaintsPage:
    """R2: what ``staff`` may see, newest first (the ``complaint_newest`` index); one page,
    ``after`` a keyset position when given. Three queries whatever the number of complaints:
    the page (one row more, for ``has_more``), the staff's names, and a count bounded by
    ``COUNT_LIMIT`` — never a count of the whole table (#17 item 3; it cost 462 ms a request
    on PostgreSQL at 1M)."""
    queryset = complaints_for(staff)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        open_statuses = [value.value for value in OPEN_STATUSES]
        queryset = queryset.filter(status__in=open_statuses, attention_due__lt=now)
    # Only the columns a list row shows (``api.helpers.complaint_summary_out``), as plain
    # values: a complaint has some sixty, and building them was a third of the list's time
    # (#17 item 2).
    ordered = queryset.order_by("-received_at", "-id")
    if after is not None:
        at, pk = after
        ordered = ordered.filter(Q(received_at__lt=at) | Q(received_at=at, pk__lt=pk))
    found = ordered.values_list(*_LIST_FIELDS)[offset : offset + limit + 1]
    people = _list_people()
    rows = [_list_row(values, people) for values in found]
    has_more = len(rows) > limit
    rows = rows[:limit]
    count = queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return ComplaintsPage(
        items=rows,
        count=min(count, COUNT_LIMIT),
        count_exact=count <= COUNT_LIMIT,
        has_more=has_more,
        next_cursor=complaint_cursor(rows[-1]) if has_more else None,
    )


def status_link_secrets() -> list[str | bytes]:
    """The keys a status link may be made under: ``SECRET_KEY``, then its fallbacks."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def status_token_for(complaint: Complaint) -> str | None:
    """The token of the customer's live status link, rebuilt from the complaint's nonce
    (#15 item 5; ``domain.status_link``): only its digest is stored.

    Tried under ``SECRET_KEY`` and its fallbacks, so a link made under a key that was rotated
    out keeps working while the old key is a fallback. None without a link (erased, R5), or
    when no key configured now is the one it was made under: such a link opens nothing.
    """
    if not complaint.status_nonce or not complaint.status_token_digest:
        return None
    for secret in status_link_secrets():
        token = status_link.token_for(
            secret=secret, nonce=complaint.status_nonce, sealed=complaint.status_legacy_sealed
        )
        if hmac.compare_digest(status_link.digest(token), complaint.status_token_digest):
            return token
    return None


def complaint_status_url(complaint: Complaint) -> str | None:
    """The customer's private status page (CONTRACT.md ``/status/<token>/``), absolute, for mails.

    None once the case's data is erased (R5) or the link died with its key.
    """
    token = status_token_for(complaint)
    if token is None:
        return None
    return f"{settings.BASE_URL}/status/{token}/"


@dataclass(frozen=True)
class NamedDayOff:
    """A date staff picked that is not a working day, with why (R9, R11: a warning, issue #10);
    ``name`` is the holiday's name or the closing day's description."""

    off: DayOff
    name: str


def days_off(days: Iterable[date]) -> list[NamedDayOff]:
    """The given dates that fall on a weekend, a public holiday or one of the organisation's
    closing days, in the order given, each once. Two queries for the calendar, one more only
    when a closing day is among them; none for no dates."""
    wanted = list(dict.fromkeys(days))
    if not wanted:
        return []
    calendar = work_calendar()
    found = [off for off in map(calendar.day_off, wanted) if off is not None]
    closing = [off.day for off in found if off.kind is DayOffKind.CLOSING_DAY]
    names = (
        dict(ClosingDay.objects.filter(day__in=closing).values_list("day", "description"))
        if closing
        else {}
    )
    return [NamedDayOff(off, off.name or names.get(off.day, "")) for off in found]


# --- What may happen next (the complaint page and the API ask the same) -----------------------


def complaint_facts(complaint: Complaint, *, action_counts: tuple[int, int] | None = None) -> Facts:
    """What the lifecycle guards need to know about a complaint.

    ``action_counts`` (total, open) saves two queries when the caller has the actions at hand.
    """
    counts = action_counts
    if counts is None:
        total = complaint.actions.count()
        open_ = complaint.actions.filter(done_at__isnull=True).count()
    else:
        total, open_ = counts
    return Facts(
        delay_notice_due=complaint.delay_notice_due,
        settlement_due=complaint.settlement_due,
        agreed_term=complaint.agreed_term,
        action_count=total,
        open_action_count=open_,
        customer_view=CustomerView(complaint.customer_view) if complaint.customer_view else None,
        follow_up_solved=complaint.follow_up_solved,
        delay_notice_sent_at=complaint.delay_notice_sent_at,
        delay_expected_date=complaint.delay_expected_date,
        extended_until=complaint.extended_until,
        ruling_recorded=complaint.ruling_at is not None,
    )


@dataclass(frozen=True)
class NextSteps:
    """What may happen next to a complaint: the step offered first (one button, UX.md), why it
    waits, and every step allowed now. A report from the website that nobody has taken up has
    no step yet: taking it up comes first (R15)."""

    main: Step | None
    waits_for: tuple[Reason, ...]
    allowed: tuple[Step, ...]
    awaiting_take_up: bool


def complaint_next_steps(
    complaint: Complaint, now: datetime, *, action_counts: tuple[int, int] | None = None
) -> NextSteps:
    """The one answer to "what may happen next" for the complaint page and the API (R15, and
    the lifecycle's rules). ``action_counts`` (total, open) saves two queries."""
    if complaint.receiver_id is None:
        return NextSteps(None, (), (), awaiting_take_up=True)
    facts = complaint_facts(complaint, action_counts=action_counts)
    status = Status(complaint.status)
    main = next_step(status, facts, now)
    return NextSteps(
        main=main,
        waits_for=blocking_reasons(status, main, facts, now) if main else (),
        allowed=tuple(allowed_steps(status, facts, now)),
        awaiting_take_up=False,
    )


# --- Internal notes (R10: the colleague's side) -------------------------------------------------


_NOTES = Prepared(
    lambda complaint_id: (
        InternalNote.objects.filter(complaint_id=complaint_id).select_related("answers").order_by()
    ),
    "complaint_id",
)


def complaint_notes(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[InternalNote]:
    """The notes staff keep with a complaint, oldest first, with their authors. One query."""
    if staff_by_pk is None:
        notes = complaint_rows(_NOTES, complaint, None, "author", "answers__asked_by")
    else:
        notes = complaint_rows(_NOTES, complaint, staff_by_pk, "author")
        with_people([n.answers for n in notes if n.answers is not None], staff_by_pk, "asked_by")
    return sorted(notes, key=lambda n: (n.created_at, n.pk))


def complaint_account_requests(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[AccountRequest]:
    """Who was asked for their account, by whom, and whether they answered. One query."""
    asked = complaint_rows(_ACCOUNT_REQUESTS, complaint, staff_by_pk, "asked_by", "asked_of")
    return sorted(asked, key=lambda a: (a.asked_at, a.pk))


# --- Start: what needs the user now (#14) -------------------------------------------------------

QUEUE_ROWS = 6
"""How many complaints (or actions) each part of the work queue shows; the rest is a link."""


@dataclass(frozen=True)
class DueAction:
    """An action item of the action plan (R9) that is due, with its complaint's reference."""

    reference: str
    what: str
    who: str
    due: date


@dataclass(frozen=True)
class WorkQueue:
    """The Start page's work queue: late, nearly late, waiting to be taken up, actions due;
    for management also the deadlines that passed unmet in the last seven days."""

    counts: OverviewCounts  # ``counts.unclaimed``: the reports still to be taken up (R15)
    overdue: list[OverviewRow]
    soon: list[OverviewRow]
    unclaimed: list[OverviewRow]
    actions: list[DueAction]
    actions_count: int
    breaches_count: int | None


def work_queue(*, staff: Staff, now: datetime, soon_until: datetime) -> WorkQueue:
    """What needs ``staff`` now: for an employee the complaints they may see (their own) and
    their own action items; for management the whole institute. A fixed number of queries,
    each a range of an index, whatever the number of complaints."""
    today = now.astimezone(AMSTERDAM).date()
    actions = (
        ActionItem.objects.filter(done_at__isnull=True, due__lte=today)
        .filter(complaint__in=complaints_for(staff).filter(attention_due__isnull=False))
        .order_by("due", "id")
    )
    if not staff.is_management:
        actions = actions.filter(who=staff)
    due_actions = [
        DueAction(reference=reference, what=what, who=_person(user, first, last), due=due)
        for reference, what, user, first, last, due in actions.values_list(
            "complaint__reference",
            "what",
            "who__username",
            "who__first_name",
            "who__last_name",
            "due",
        )[:QUEUE_ROWS]
    ]
    breaches = None
    if staff.is_management:
        breaches = Reminder.objects.filter(
            stage="breach", sent_at__gte=now - timedelta(days=7)
        ).count()
    return WorkQueue(
        counts=overview_counts(staff=staff, now=now, soon_until=soon_until),
        overdue=complaint_overview(
            staff=staff, filters=OverviewFilter(overdue=True), now=now, limit=QUEUE_ROWS
        ),
        soon=complaint_overview(
            staff=staff, filters=OverviewFilter(soon_until=soon_until), now=now, limit=QUEUE_ROWS
        ),
        unclaimed=complaint_overview(
            staff=staff, filters=OverviewFilter(unclaimed=True), now=now, limit=QUEUE_ROWS
        ),
        actions=due_actions,
        actions_count=actions.count() if len(due_actions) == QUEUE_ROWS else len(due_actions),
        breaches_count=breaches,
    )
