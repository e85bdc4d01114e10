"""Management's settings: every write validated first, audited, never half-saved (R3, R5, R11,
R16, R17; UX.md "Instellingen")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from klachten.audit.models import AuditEntry
from klachten.complaints.services import Checklist, complaint_register
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import services
from klachten.organisation.models import Category, ClosingDay, OrganisationSettings, RootCause
from klachten.organisation.selectors import (
    calendar_settings,
    organisation_settings,
    organisation_terms,
    work_calendar,
)
from tests.complaints.conftest import customer_data

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)


def _register(receiver, received_at: datetime):
    return complaint_register(
        receiver=receiver,
        customer=customer_data(),
        received_at=received_at,
        channel="phone",
        report="De cursusmap ontbrak.",
        checklist=Checklist(),
        now=received_at,
    )


# --- Terms (R3, R16) and retention (R5) --------------------------------------------------------


def test_the_terms_are_the_procedures_until_management_changes_them(db):
    """R3, R16: no settings saved yet → 24 working hours, 21 and 28 days."""
    assert organisation_terms() == Terms()
    assert not OrganisationSettings.objects.exists()


def test_changed_terms_apply_to_complaints_registered_afterwards(employee, manager):
    """R3, R16: a complaint registered after the change gets the new terms."""
    services.organisation_settings_update(
        actor=manager,
        changes={"contact_working_hours": 48, "delay_notice_days": 14, "settlement_days": 42},
        now=NOW,
    )
    # Monday 2 March 2026 10:00, far from holidays.
    complaint = _register(employee, datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM))
    assert complaint.contact_due == datetime(2026, 3, 4, 10, 0, tzinfo=AMSTERDAM)
    assert complaint.delay_notice_due == datetime(2026, 3, 17, 0, 0, tzinfo=AMSTERDAM)
    assert complaint.settlement_due == datetime(2026, 4, 14, 0, 0, tzinfo=AMSTERDAM)


def test_changed_terms_never_move_deadlines_already_stored(employee, manager):
    """R3, R16: a complaint registered before the change keeps the deadlines it was given."""
    complaint = _register(employee, datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM))
    before = (complaint.contact_due, complaint.delay_notice_due, complaint.settlement_due)
    assert before == (
        datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM),
        datetime(2026, 3, 24, 0, 0, tzinfo=AMSTERDAM),
        datetime(2026, 3, 31, 0, 0, tzinfo=AMSTERDAM),
    )
    services.organisation_settings_update(
        actor=manager,
        changes={"contact_working_hours": 8, "delay_notice_days": 7, "settlement_days": 14},
        now=NOW,
    )
    complaint.refresh_from_db()
    assert (complaint.contact_due, complaint.delay_notice_due, complaint.settlement_due) == before


def test_a_term_outside_its_bounds_is_refused_and_nothing_is_saved(manager):
    """R3: 100 working hours is refused with a Dutch message on its field; the name stays."""
    with pytest.raises(InvalidInput) as refused:
        services.organisation_settings_update(
            actor=manager,
            changes={"name": "Kerngroep Opleidingen", "contact_working_hours": 100},
            now=NOW,
        )
    assert refused.value.field == "contact_working_hours"
    assert refused.value.detail == "Kies een waarde van 8 tot en met 72."
    assert organisation_settings().name == "Kerngroep"
    assert not AuditEntry.objects.exists()


def test_the_delay_notice_must_fall_before_the_settlement(manager):
    """R16: a delay notice after 28 days with settlement after 28 days is refused."""
    with pytest.raises(InvalidInput) as refused:
        services.organisation_settings_update(
            actor=manager, changes={"delay_notice_days": 28}, now=NOW
        )
    assert refused.value.field == "delay_notice_days"
    assert "vóór de afhandeltermijn" in refused.value.detail


@pytest.mark.parametrize("years", [0, 4])
def test_retention_is_at_least_1_and_at_most_3_years(manager, years):
    """R5: complaints are kept at least 1 and at most 3 years."""
    with pytest.raises(InvalidInput) as refused:
        services.organisation_settings_update(
            actor=manager, changes={"retention_years": years}, now=NOW
        )
    assert refused.value.field == "retention_years"


def test_a_change_is_written_to_the_audit_log_with_before_and_after(manager):
    """R2: who changed which setting, from what to what."""
    services.organisation_settings_update(
        actor=manager, changes={"retention_years": 3, "name": "Kerngroep"}, now=NOW
    )
    [entry] = AuditEntry.objects.all()
    assert entry.complaint is None
    assert entry.actor == manager
    assert entry.action == "settings.organisation"
    assert entry.before == {"retention_years": 2}
    assert entry.after == {"retention_years": 3}


def test_saving_the_same_values_again_writes_nothing(manager):
    services.organisation_settings_update(actor=manager, changes={"name": "Kerngroep"}, now=NOW)
    assert not AuditEntry.objects.exists()


def test_employees_may_not_change_the_settings(employee):
    """UX.md: Instellingen is management's."""
    with pytest.raises(NotAllowed):
        services.organisation_settings_update(
            actor=employee, changes={"contact_working_hours": 48}, now=NOW
        )
    assert organisation_terms() == Terms()


def test_an_admin_may_change_the_settings(admin_user):
    services.organisation_settings_update(
        actor=admin_user, changes={"settlement_days": 35}, now=NOW
    )
    assert organisation_terms().settlement_days == 35


# --- Who we are and the third party (R11, R17) -------------------------------------------------


def test_contact_details_are_checked_and_the_postcode_written_properly(manager):
    settings = services.organisation_settings_update(
        actor=manager,
        changes={
            "street": "Oudegracht 100",
            "postcode": "3511ab",
            "town": "Utrecht",
            "phone": "030 123 4567",
            "email": "info@kerngroep.nl",
            "website": "www.kerngroep.nl",
        },
        now=NOW,
    )
    assert settings.postcode == "3511 AB"
    assert settings.website == "https://www.kerngroep.nl"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "postcode",
            "35110",
            "Een Nederlandse postcode is vier cijfers en twee letters, zoals 1234 AB.",
        ),
        ("phone", "12", "Dit telefoonnummer klopt niet."),
        ("email", "info@", "Dit e-mailadres klopt niet."),
        ("name", "  ", "Vul de naam van de organisatie in."),
        ("third_party_name", "", "Vul de naam van de onafhankelijke derde in (R11)."),
        (
            "third_party_website",
            "geen adres",
            "Vul een webadres in, bijvoorbeeld https://www.kerngroep.nl.",
        ),
    ],
)
def test_bad_details_are_refused_in_dutch_on_their_field(manager, field, value, message):
    with pytest.raises(InvalidInput) as refused:
        services.organisation_settings_update(actor=manager, changes={field: value}, now=NOW)
    assert (refused.value.field, refused.value.detail) == (field, message)


def test_an_unknown_setting_is_refused(manager):
    with pytest.raises(InvalidInput) as refused:
        services.organisation_settings_update(actor=manager, changes={"pk": 2}, now=NOW)
    assert refused.value.code == "unknown_field"


# --- The calendar and closing days (R3, R16) ---------------------------------------------------


def test_calendar_settings_change_the_working_days(manager):
    """Good Friday becomes a working day; Liberation Day every year a day off."""
    services.calendar_settings_update(
        actor=manager, good_friday_off=False, liberation_day_every_year=True, now=NOW
    )
    calendar = work_calendar()
    assert calendar.is_working_day(date(2026, 4, 3))  # Good Friday 2026
    assert not calendar.is_working_day(date(2026, 5, 5))  # Liberation Day 2026
    assert calendar_settings().good_friday_off is False
    assert AuditEntry.objects.get().action == "settings.calendar"


def test_a_closing_day_is_no_longer_a_working_day(manager):
    """R3, R16: management's closing days are taken out of the working days."""
    services.closing_days_add(
        actor=manager, first=date(2026, 12, 28), description="Kerstsluiting", now=NOW
    )
    assert not work_calendar().is_working_day(date(2026, 12, 28))
    assert work_calendar().is_working_day(date(2026, 12, 29))


def test_a_closing_period_skips_the_weekend(manager):
    """Christmas week 2026: Monday 28 December up to Sunday 3 January → its five weekdays."""
    added = services.closing_days_add(
        actor=manager,
        first=date(2026, 12, 28),
        last=date(2027, 1, 3),
        description="Kerstsluiting",
        now=NOW,
    )
    assert [closing_day.day for closing_day in added] == [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]
    entry = AuditEntry.objects.get()
    assert entry.action == "settings.closing_days_added"
    assert entry.after["days"][0] == "2026-12-28"


def test_a_closing_day_moves_deadlines_of_later_complaints_but_not_stored_ones(employee, manager):
    """R16: day 21 after Monday 2 March 2026 is Monday 23 March; closed → Friday 20 March.

    The complaint registered before the closing day was added keeps its deadline.
    """
    earlier = _register(employee, datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM))
    services.closing_days_add(
        actor=manager, first=date(2026, 3, 23), description="Studiedag", now=NOW
    )
    later = _register(employee, datetime(2026, 3, 2, 11, 0, tzinfo=AMSTERDAM))
    earlier.refresh_from_db()
    assert earlier.delay_notice_due == datetime(2026, 3, 24, 0, 0, tzinfo=AMSTERDAM)
    assert later.delay_notice_due == datetime(2026, 3, 21, 0, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("first", "last", "field", "code"),
    [
        (date(2026, 12, 26), None, "first", "weekend"),
        (date(2026, 12, 31), date(2026, 12, 28), "last", "period_reversed"),
        (date(2026, 12, 1), date(2027, 1, 15), "last", "period_too_long"),
    ],
)
def test_closing_days_that_make_no_sense_are_refused(manager, first, last, field, code):
    with pytest.raises(InvalidInput) as refused:
        services.closing_days_add(
            actor=manager, first=first, last=last, description="Sluiting", now=NOW
        )
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not ClosingDay.objects.exists()


def test_a_day_already_closed_is_refused(manager):
    services.closing_days_add(actor=manager, first=date(2026, 12, 28), description="Kerst", now=NOW)
    with pytest.raises(InvalidInput) as refused:
        services.closing_days_add(
            actor=manager, first=date(2026, 12, 28), description="Nog eens", now=NOW
        )
    assert refused.value.code == "already_closed"


def test_a_closing_day_needs_a_description(manager):
    with pytest.raises(InvalidInput) as refused:
        services.closing_days_add(actor=manager, first=date(2026, 12, 28), description=" ", now=NOW)
    assert refused.value.field == "description"


def test_removing_a_closing_day_makes_it_a_working_day_again(manager):
    [closing_day] = services.closing_days_add(
        actor=manager, first=date(2026, 12, 28), description="Kerst", now=NOW
    )
    services.closing_day_remove(actor=manager, closing_day_id=closing_day.pk, now=NOW)
    assert work_calendar().is_working_day(date(2026, 12, 28))
    assert AuditEntry.objects.filter(action="settings.closing_day_removed").count() == 1
    with pytest.raises(NotFound):
        services.closing_day_remove(actor=manager, closing_day_id=closing_day.pk, now=NOW)


def test_employees_may_not_change_closing_days(employee):
    with pytest.raises(NotAllowed):
        services.closing_days_add(
            actor=employee, first=date(2026, 12, 28), description="Kerst", now=NOW
        )


# --- Categories and root causes ----------------------------------------------------------------


def test_a_category_is_added_renamed_and_taken_out_of_use(manager):
    category = services.category_create(actor=manager, name="  Lesmateriaal ", now=NOW)
    assert category.name == "Lesmateriaal"
    assert category.active
    services.category_update(
        actor=manager, category_id=category.pk, name="Cursusmateriaal", active=False, now=NOW
    )
    category.refresh_from_db()
    assert (category.name, category.active) == ("Cursusmateriaal", False)
    assert [entry.action for entry in AuditEntry.objects.order_by("id")] == [
        "settings.category_added",
        "settings.category_changed",
    ]


def test_a_name_already_in_the_list_is_refused_whatever_its_case(manager):
    services.category_create(actor=manager, name="Planning", now=NOW)
    with pytest.raises(InvalidInput) as refused:
        services.category_create(actor=manager, name="planning", now=NOW)
    assert (refused.value.field, refused.value.code) == ("name", "duplicate_name")
    other = services.category_create(actor=manager, name="Docent", now=NOW)
    with pytest.raises(InvalidInput):
        services.category_update(
            actor=manager, category_id=other.pk, name="PLANNING", active=True, now=NOW
        )
    assert Category.objects.count() == 2


def test_root_causes_work_the_same(manager):
    cause = services.root_cause_create(actor=manager, name="Communicatie", now=NOW)
    services.root_cause_update(
        actor=manager, root_cause_id=cause.pk, name="Communicatie", active=False, now=NOW
    )
    assert RootCause.objects.get().active is False
    with pytest.raises(NotFound):
        services.root_cause_update(
            actor=manager, root_cause_id=cause.pk + 1, name="X", active=True, now=NOW
        )


def test_a_category_out_of_use_leaves_the_choice_but_stays_with_its_complaints(employee, manager):
    """Complaints keep their category; new choices offer only those in use."""
    from klachten.complaints.selectors import categories_active

    category = services.category_create(actor=manager, name="Planning", now=NOW)
    complaint = _register(employee, NOW - timedelta(hours=1))
    complaint.category = category
    complaint.save(update_fields=["category"])
    services.category_update(
        actor=manager, category_id=category.pk, name="Planning", active=False, now=NOW
    )
    complaint.refresh_from_db()
    assert complaint.category == category
    assert category not in list(categories_active())


def test_employees_may_not_change_the_lists(employee):
    with pytest.raises(NotAllowed):
        services.category_create(actor=employee, name="Planning", now=NOW)
