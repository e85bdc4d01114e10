"""Every read of complaints (STYLE.md, 2). Selectors apply who may see what (R2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.core.errors import NotFound
from klachten.domain.lifecycle import OPEN_STATUSES

PAGE_SIZE = 50


def visible_to(staff: Staff) -> Q:
    """R2: employees see what they received or handle; management and admins see all."""
    if staff.is_management:
        return Q()
    return Q(receiver=staff) | Q(handler=staff)


def complaints_for(staff: Staff) -> QuerySet[Complaint]:
    """The complaints ``staff`` may see, with what every list shows, in one query."""
    return Complaint.objects.filter(visible_to(staff)).select_related(
        "customer", "receiver", "handler", "category"
    )


def complaint_get_for(*, staff: Staff, reference: str) -> Complaint:
    """One complaint by reference; NotFound — never "forbidden" — for one ``staff`` may not see.

    Also counts its action items (for the lifecycle facts) in the same query.
    """
    complaint = (
        complaints_for(staff)
        .select_related("root_cause")
        .annotate(
            action_total=Count("actions"),
            action_open=Count("actions", filter=Q(actions__done_at__isnull=True)),
        )
        .filter(reference=reference)
        .first()
    )
    if complaint is None:
        raise NotFound(
            "not_found", _("Melding %(reference)s niet gevonden."), {"reference": reference}
        )
    complaint._action_counts = (complaint.action_total, complaint.action_open)  # type: ignore[attr-defined]
    return complaint


@dataclass(frozen=True)
class OverviewFilter:
    """The overview's filters (UX.md): mine, status, overdue, category, search words."""

    mine: bool = False
    status: str = ""
    overdue: bool = False
    category_id: int | None = None
    search: str = ""
    include_closed: bool = False


def complaint_overview(
    *,
    staff: Staff,
    filters: OverviewFilter,
    now: datetime,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[Complaint]:
    """Open complaints, the nearest deadline first (an index scan on ``attention_due``)."""
    queryset = complaints_for(staff)
    if filters.mine:
        queryset = queryset.filter(Q(receiver=staff) | Q(handler=staff))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    elif not filters.include_closed:
        queryset = queryset.filter(status__in=[status.value for status in OPEN_STATUSES])
    if filters.overdue:
        queryset = queryset.filter(attention_due__lt=now)
    if filters.category_id:
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
    ordered = (
        queryset.order_by("attention_due", "id")
        if not filters.include_closed
        else (queryset.order_by("-received_at", "-id"))
    )
    return list(ordered[offset : offset + limit])
