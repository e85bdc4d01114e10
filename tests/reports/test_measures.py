"""The database's compliance conditions say exactly what ``klachten.domain.figures`` says.

Complaints with every combination of facts the rules look at (contact before, at and after its
deadline, closed or referred before and after four weeks, delay notices before and after three
weeks, expected dates around midnight, follow-up checks, action plans) are stored, and each
measure's verdict is asked of the database and of the pure definition (R3, R4, R6, R8, R9, R10,
R14, R16).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachten.complaints.models import ActionItem, Complaint
from klachten.customers.models import CustomerFile
from klachten.domain.deadlines import deadlines_for
from klachten.domain.figures import MEASURES, CaseFacts, Verdict
from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM, WorkCalendar
from klachten.reports.measures import verdict, with_aliases
from klachten.reports.selectors import month_figures_compute

RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
DUE = deadlines_for(RECEIVED, WorkCalendar(), Terms())
NUMBERS = count()


def _moment(anchor: datetime) -> st.SearchStrategy[datetime | None]:
    """None, exactly ``anchor``, or whole hours around it (boundaries included)."""
    return st.none() | st.integers(-60, 60).map(lambda hours: anchor + timedelta(hours=hours))


cases = st.fixed_dictionaries(
    {
        "contacted_at": _moment(DUE.contact_due),
        "delay_notice_sent_at": _moment(DUE.delay_notice_due),
        "delay_expected_date": st.none() | st.dates(date(2026, 3, 28), date(2026, 4, 20)),
        "closed_at": st.none() | _moment(DUE.settlement_due) | _moment(DUE.contact_due),
        "dispute_referred_at": st.none() | st.just(None) | _moment(DUE.settlement_due),
        "not_interrupted": st.booleans(),
        "vented": st.booleans(),
        "put_at_ease": st.booleans(),
        "apologised": st.booleans(),
        "business_card_given": st.booleans(),
        "naw_checked": st.booleans(),
        "solution_proposed_at": st.none() | _moment(RECEIVED + timedelta(days=10)),
        "action": st.sampled_from(["none", "before", "after", "ruling"]),
        "outcome": st.sampled_from(["", "solved", "unsolved", "withdrawn", "ruling"]),
        "follow_up_solved": st.none() | st.booleans(),
        "follow_up_at": st.none() | _moment(RECEIVED + timedelta(days=12)),
        "imported": st.booleans(),
    }
)
moments = st.sampled_from(
    [
        DUE.contact_due - timedelta(hours=1),
        DUE.contact_due,
        DUE.contact_due + timedelta(microseconds=1),
        DUE.settlement_due,
        DUE.settlement_due + timedelta(hours=1),
        datetime(2026, 4, 10, 23, 59, tzinfo=AMSTERDAM),
        datetime(2026, 4, 11, 0, 0, tzinfo=AMSTERDAM),
        datetime(2026, 6, 1, 12, 0, tzinfo=AMSTERDAM),
    ]
)


def _store(facts: dict, staff) -> tuple[Complaint, CaseFacts]:
    number = next(NUMBERS)
    customer = CustomerFile.objects.create(
        name=f"Klant {number}",
        street="Lindenlaan",
        house_number="1",
        postcode="3512 AB",
        town="Utrecht",
        naw_checked_at=RECEIVED if facts["naw_checked"] else None,
    )
    closed_at = facts["closed_at"] if facts["outcome"] else None
    complaint = Complaint.objects.create(
        reference=f"KG-T-{number}",
        customer=customer,
        received_at=RECEIVED,
        channel="phone",
        report="Verslag",
        receiver=staff,
        handler=staff,
        registered_at=RECEIVED,
        contact_due=DUE.contact_due,
        delay_notice_due=DUE.delay_notice_due,
        settlement_due=DUE.settlement_due,
        status="closed" if closed_at else "in_progress",
        contacted_at=facts["contacted_at"],
        delay_notice_sent_at=facts["delay_notice_sent_at"],
        delay_expected_date=facts["delay_expected_date"],
        solution_proposed_at=facts["solution_proposed_at"],
        follow_up_solved=facts["follow_up_solved"],
        follow_up_at=facts["follow_up_at"],
        dispute_referred_at=facts["dispute_referred_at"],
        outcome=facts["outcome"] if closed_at else "",
        closed_at=closed_at,
        not_interrupted=facts["not_interrupted"],
        vented=facts["vented"],
        put_at_ease=facts["put_at_ease"],
        apologised=facts["apologised"],
        business_card_given=facts["business_card_given"],
        imported_at=RECEIVED + timedelta(days=400) if facts["imported"] else None,
    )
    proposed = facts["solution_proposed_at"]
    if facts["action"] != "none":
        made = (proposed or RECEIVED) + timedelta(hours=-1 if facts["action"] == "before" else 1)
        ActionItem.objects.create(
            complaint=complaint,
            what="Cursusmap nasturen",
            who=staff,
            due=date(2026, 3, 20),
            created_at=made,
            from_ruling=facts["action"] == "ruling",
        )
    pure = CaseFacts(
        received_at=RECEIVED,
        contact_due=DUE.contact_due,
        contacted_at=facts["contacted_at"],
        delay_notice_due=DUE.delay_notice_due,
        delay_notice_sent_at=facts["delay_notice_sent_at"],
        delay_expected_date=facts["delay_expected_date"],
        settlement_due=DUE.settlement_due,
        closed_at=closed_at,
        dispute_referred_at=facts["dispute_referred_at"],
        not_interrupted=facts["not_interrupted"],
        vented=facts["vented"],
        put_at_ease=facts["put_at_ease"],
        apologised=facts["apologised"],
        business_card_given=facts["business_card_given"],
        naw_checked=facts["naw_checked"],
        solution_proposed_at=proposed,
        action_before_solution=proposed is not None and facts["action"] == "before",
        outcome=facts["outcome"] if closed_at else "",
        follow_up_solved=facts["follow_up_solved"],
        follow_up_at=facts["follow_up_at"],
        imported=facts["imported"],
    )
    return complaint, pure


SQL_VERDICT = {1: Verdict.MET, 0: Verdict.NOT_MET, None: Verdict.NOT_APPLICABLE}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(cases, min_size=1, max_size=12), now=moments)
def test_the_database_decides_every_measure_as_the_domain_does(employee, batch, now):
    with transaction.atomic():
        stored = [_store(facts, employee) for facts in batch]
        queryset = with_aliases(Complaint.objects.filter(pk__in=[c.pk for c, _ in stored]))
        annotations = {m.key: verdict(m.key, now) for m in MEASURES}
        from_sql = {
            row["pk"]: row for row in queryset.annotate(**annotations).values("pk", *annotations)
        }
        expected_counts = {f"{m.key}_{part}": 0 for m in MEASURES for part in ("met", "applicable")}
        for complaint, pure in stored:
            for measure in MEASURES:
                expected = measure.verdict(pure, now)
                assert SQL_VERDICT[from_sql[complaint.pk][measure.key]] is expected, (
                    measure.key,
                    pure,
                    now,
                )
                expected_counts[f"{measure.key}_met"] += expected is Verdict.MET
                expected_counts[f"{measure.key}_applicable"] += (
                    expected is not Verdict.NOT_APPLICABLE
                )
        # The month figures count the same verdicts.
        figures = month_figures_compute(month=date(2026, 3, 1), now=now).figures["counts"]
        assert {key: figures[key] for key in expected_counts} == expected_counts
        transaction.set_rollback(True)
