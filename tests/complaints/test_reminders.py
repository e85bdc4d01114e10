"""Reminders before each deadline and one alert when it passes (issue #5; R3, R9, R15, R16).

The complaint of the fixture is received Monday 2 November 2026 09:55 (see conftest): contact
is due Tuesday 3 November 09:55, the delay notice by the end of Monday 23 November, settlement
by the end of Monday 30 November.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from klachten.complaints.models import Reminder
from klachten.complaints.reminders import Due, _send, reminders_send
from klachten.complaints.selectors import complaint_timeline
from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_contact,
    complaint_plan_actions,
    complaint_refer_to_dispute,
    complaint_register,
)
from klachten.complaints.tasks import send_reminders
from klachten.domain.reminders import Kind, Stage
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.organisation.models import OrganisationSettings

from .conftest import NOW, customer_data

pytestmark = pytest.mark.django_db


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=AMSTERDAM)


def mails(kind: Kind, stage: Stage) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(key__contains=f"-{kind}-{stage}-").order_by("to"))


def sent(complaint) -> set[tuple[str, str, str]]:
    return set(Reminder.objects.filter(complaint=complaint).values_list("kind", "stage", "target"))


def contact(complaint, actor, *, term: date, when: datetime):
    return complaint_contact(
        complaint=complaint,
        actor=actor,
        at=when,
        channel="phone",
        summary="Gebeld; nieuwe cursusmap wordt vandaag verstuurd.",
        agreed_term=term,
        management_consulted="Met de directie besproken.",
        now=when,
    )


def test_nothing_is_due_right_after_registering(complaint):
    assert reminders_send(now=NOW) == 0
    assert sent(complaint) == set()


def test_the_contact_reminder_goes_to_the_receiver_four_working_hours_before(
    complaint, employee, manager
):
    """R3, R15: due Tuesday 09:55, so reminded from 05:55; to the receiver and handler only."""
    assert reminders_send(now=at("2026-11-03T05:54")) == 0

    assert reminders_send(now=at("2026-11-03T05:55")) == 1

    [mail] = mails(Kind.CONTACT, Stage.REMINDER)
    assert mail.to == employee.email
    assert complaint.reference in mail.subject
    assert "Neem uiterlijk dinsdag 3 november om 09:55 contact op" in mail.body
    assert f"/meldingen/{complaint.reference}/" in mail.body  # the link (#10, item 14)
    assert complaint.report not in mail.body  # R2: no content of the case in a mail


def test_each_reminder_is_sent_once_however_often_the_task_runs(complaint, employee):
    for minute in range(10):
        reminders_send(now=at("2026-11-03T06:00") + timedelta(minutes=minute))

    assert len(mails(Kind.CONTACT, Stage.REMINDER)) == 1
    assert Reminder.objects.filter(complaint=complaint).count() == 1


def test_a_missed_contact_alerts_management_once(complaint, employee, manager):
    """R3: no contact by Tuesday 09:55: management, the receiver and handler hear it once."""
    reminders_send(now=at("2026-11-03T09:56"))
    reminders_send(now=at("2026-11-03T10:30"))

    breach = mails(Kind.CONTACT, Stage.BREACH)
    assert sorted(mail.to for mail in breach) == sorted([employee.email, manager.email])
    # The reminder's moment passed unnoticed (no worker ran): only the breach is sent.
    assert sent(complaint) == {("contact", "breach", "")}


def test_contact_in_time_means_no_alert(complaint, employee):
    contact(complaint, employee, term=date(2026, 11, 20), when=at("2026-11-02T15:00"))

    reminders_send(now=at("2026-11-03T12:00"))

    assert not mails(Kind.CONTACT, Stage.BREACH)
    assert not mails(Kind.CONTACT, Stage.REMINDER)


def test_the_delay_notice_is_asked_for_on_day_14_and_its_breach_reported_after_day_21(
    complaint, employee, manager
):
    """R16: day 14 is Monday 16 November; the deadline the end of Monday 23 November."""
    contact(complaint, employee, term=date(2026, 11, 27), when=at("2026-11-02T15:00"))
    reminders_send(now=at("2026-11-15T23:59"))
    assert not mails(Kind.DELAY_NOTICE, Stage.REMINDER)

    reminders_send(now=at("2026-11-16T00:00"))
    assert [mail.to for mail in mails(Kind.DELAY_NOTICE, Stage.REMINDER)] == [employee.email]

    reminders_send(now=at("2026-11-23T23:59"))
    assert not mails(Kind.DELAY_NOTICE, Stage.BREACH)
    reminders_send(now=at("2026-11-24T00:00"))
    assert manager.email in [mail.to for mail in mails(Kind.DELAY_NOTICE, Stage.BREACH)]


def test_settlement_is_reminded_on_day_25_and_its_breach_reported_once(
    complaint, employee, manager
):
    """R16: day 25 is Friday 27 November; the deadline the end of Monday 30 November."""
    contact(complaint, employee, term=date(2026, 11, 30), when=at("2026-11-02T15:00"))
    reminders_send(now=at("2026-11-26T23:59"))
    assert not mails(Kind.SETTLEMENT, Stage.REMINDER)

    reminders_send(now=at("2026-11-27T00:00"))
    assert len(mails(Kind.SETTLEMENT, Stage.REMINDER)) == 1

    reminders_send(now=at("2026-12-01T00:00"))
    reminders_send(now=at("2026-12-02T00:00"))
    assert len(mails(Kind.SETTLEMENT, Stage.BREACH)) == 2  # the manager and the employee


def test_the_agreed_term_is_reminded_the_working_day_before_and_a_new_term_again(
    complaint, employee
):
    """R3: a term on Monday 16 November is reminded from Friday 13 November 00:00."""
    contact(complaint, employee, term=date(2026, 11, 16), when=at("2026-11-02T15:00"))

    reminders_send(now=at("2026-11-12T23:59"))
    assert not mails(Kind.AGREED_TERM, Stage.REMINDER)
    reminders_send(now=at("2026-11-13T00:00"))
    assert len(mails(Kind.AGREED_TERM, Stage.REMINDER)) == 1

    contact(complaint, employee, term=date(2026, 11, 20), when=at("2026-11-13T09:00"))
    reminders_send(now=at("2026-11-19T00:00"))
    assert sent(complaint) >= {
        ("agreed_term", "reminder", "2026-11-16"),
        ("agreed_term", "reminder", "2026-11-20"),
    }


def test_an_action_reminds_whoever_does_it_and_its_breach_alerts_management(
    complaint, employee, manager, make_staff
):
    """R9: an action for Monday 9 November: reminded Friday 6 November, late from Tuesday."""
    colleague = make_staff("jan", email="jan@kerngroep.nl")
    contact(complaint, employee, term=date(2026, 11, 20), when=at("2026-11-02T15:00"))
    complaint_plan_actions(
        complaint=complaint,
        actor=employee,
        actions=[ActionData(what="Nieuwe cursusmap sturen", who=colleague, due=date(2026, 11, 9))],
        now=at("2026-11-02T16:00"),
    )

    reminders_send(now=at("2026-11-05T23:59"))
    assert not mails(Kind.ACTION, Stage.REMINDER)
    reminders_send(now=at("2026-11-06T00:00"))
    assert sorted(m.to for m in mails(Kind.ACTION, Stage.REMINDER)) == sorted(
        [employee.email, colleague.email]
    )

    reminders_send(now=at("2026-11-10T00:00"))
    assert sorted(m.to for m in mails(Kind.ACTION, Stage.BREACH)) == sorted(
        [employee.email, colleague.email, manager.email]
    )


def test_every_reminder_shows_on_the_timeline(complaint, employee):
    reminders_send(now=at("2026-11-03T06:00"))
    reminders_send(now=at("2026-11-03T10:00"))

    actions = [entry.action for entry in complaint_timeline(complaint)]
    assert actions[:2] == ["breach_sent", "reminder_sent"]
    assert complaint_timeline(complaint)[0].after["reminder_kind"] == "contact"


def test_the_timeline_says_what_a_reminder_was_about(client, complaint, employee):
    reminders_send(now=at("2026-11-03T06:00"))
    client.force_login(employee)

    page = client.get(f"/meldingen/{complaint.reference}/").content.decode()

    assert "Herinnering verstuurd" in page
    assert "contact met de klant" in page


def test_a_case_before_the_third_party_gets_no_r16_reminders(complaint, employee, manager):
    """R11: while the independent third party decides, the 3- and 4-week terms do not nag."""
    contact(complaint, employee, term=date(2026, 11, 20), when=at("2026-11-02T15:00"))
    complaint_refer_to_dispute(
        complaint=complaint, actor=manager, note="Voorgelegd.", now=at("2026-11-03T09:00")
    )

    reminders_send(now=at("2026-12-05T00:00"))

    assert not mails(Kind.DELAY_NOTICE, Stage.REMINDER)
    assert not mails(Kind.SETTLEMENT, Stage.BREACH)


def test_closed_complaints_are_left_alone(employee, manager):
    received = at("2026-10-01T10:00")
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=received,
        channel="phone",
        report="Verslag.",
        checklist=Checklist(),
        now=received,
    )
    type(complaint).objects.filter(pk=complaint.pk).update(attention_due=None, status="closed")

    assert reminders_send(now=at("2026-12-01T00:00")) == 0


def test_lead_times_are_settings(complaint, employee):
    """Management sets the lead: 8 working hours before the contact deadline."""
    OrganisationSettings.objects.create(pk=1, reminder_contact_working_hours=8)

    reminders_send(now=at("2026-11-03T01:55"))

    assert len(mails(Kind.CONTACT, Stage.REMINDER)) == 1


def test_two_runs_at_once_send_a_reminder_once(complaint):
    """The unique record decides: the second attempt sends nothing."""
    due = Due(complaint, Kind.CONTACT, Stage.REMINDER, "", complaint.contact_due)

    assert _send(due, at("2026-11-03T06:00")) == 1
    assert _send(due, at("2026-11-03T06:00")) == 0
    assert len(mails(Kind.CONTACT, Stage.REMINDER)) == 1


def test_the_worker_task_runs_on_the_clock(complaint):
    """The periodic task reads the clock: Tuesday 06:00 brings the contact reminder."""
    with time_machine.travel(at("2026-11-03T06:00"), tick=False):
        send_reminders.call_local()

    assert sent(complaint) == {("contact", "reminder", "")}


def test_a_long_weekend_is_skipped_when_counting_back(employee):
    """R3: received Thursday 2 April 2026 02:00, due Tuesday 7 April 02:00 after Easter;
    the reminder comes Thursday 22:00, and the weekend brings nothing more."""
    received = at("2026-04-02T02:00")
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=received,
        channel="phone",
        report="Verslag.",
        checklist=Checklist(),
        now=received,
    )

    assert reminders_send(now=at("2026-04-02T21:59")) == 0
    assert reminders_send(now=at("2026-04-02T22:00")) == 1
    for day in range(3, 7):
        assert reminders_send(now=at(f"2026-04-0{day}T12:00")) == 0
    assert reminders_send(now=at("2026-04-07T02:00")) == 1
    assert sent(complaint) == {("contact", "reminder", ""), ("contact", "breach", "")}


# --- A real worker process, killed mid-run ------------------------------------------------------

WORKER = Path(__file__).with_name("reminder_worker.py")


def run_worker(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}
    }
    env["KLACHTEN_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(WORKER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_worker_killed_mid_run_leaves_each_reminder_whole_and_the_next_run_sends_the_rest_once(
    tmp_path: Path,
) -> None:
    """Five contact reminders are due; the worker is SIGKILLed while writing the third. The two
    before it are complete (record, timeline and mail), the third left no trace; the next run
    sends the other three, and a run after that nothing: each reminder exactly once."""
    data = tmp_path / "data"
    setup = run_worker(data, "setup", "5")
    assert setup.returncode == 0, setup.stderr
    moment = at("2026-11-03T06:00").isoformat()

    killed = run_worker(data, "run", moment, "--die-in", "3")
    assert killed.returncode == -signal.SIGKILL

    again = run_worker(data, "run", moment)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout.strip().splitlines()[-1])
    assert report["sent"] == 3
    assert sorted(report["reminders"]) == [[pk, "contact", "reminder"] for pk in range(1, 6)]
    assert len(report["mails"]) == len(set(report["mails"])) == 5  # one receiver each

    last = json.loads(run_worker(data, "run", moment).stdout.strip().splitlines()[-1])
    assert last["sent"] == 0
    assert len(last["mails"]) == 5


def test_a_reminder_names_the_complaints_own_terms(employee, manager):
    """R3: with 48 working hours for contact, the mail says so (no fixed "24")."""
    OrganisationSettings.objects.create(pk=1, contact_working_hours=48)
    received = at("2026-11-02T10:00")
    complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=received,
        channel="phone",
        report="Verslag.",
        checklist=Checklist(),
        now=received,
    )

    reminders_send(now=at("2026-11-04T10:00"))

    [mail] = mails(Kind.CONTACT, Stage.BREACH)[:1]
    assert "binnen 48 werkuren" in mail.body


def test_a_backlog_drains_a_bounded_number_per_run_earliest_first(employee, monkeypatch):
    """After a long stop, each run sends at most PER_RUN of a kind, the earliest deadlines
    first; the rest follow in the next runs, each exactly once."""
    from klachten.complaints import reminders

    monkeypatch.setattr(reminders, "PER_RUN", 2)
    made = []
    for hour in range(5):
        received = at("2026-11-02T08:00") + timedelta(hours=hour)
        made.append(
            complaint_register(
                receiver=employee,
                customer=customer_data(),
                received_at=received,
                channel="phone",
                report="Verslag.",
                checklist=Checklist(),
                now=received,
            )
        )
    later_on = at("2026-11-04T12:00")  # every contact deadline has passed

    assert reminders_send(now=later_on) == 2
    assert {r.complaint_id for r in Reminder.objects.all()} == {made[0].pk, made[1].pk}
    assert reminders_send(now=later_on) == 2
    assert reminders_send(now=later_on) == 1
    assert reminders_send(now=later_on) == 0
    assert Reminder.objects.filter(kind="contact", stage="breach").count() == 5
