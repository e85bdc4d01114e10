"""Seed a benchmark database: N complaints (10,000 open, the rest closed over ten years).

    KLACHTEN_DATA_DIR=/tmp/kk-bench .venv/bin/python bench/seed.py --complaints 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_bench KLACHTEN_DATA_DIR=/tmp/kk-bench-pg \
        .venv/bin/python bench/seed.py --complaints 1000000

Rows are written with bulk inserts straight into the tables (a benchmark needs volume, not
the services' one-by-one checks), but every value is what the services would store: deadlines
from the domain core, ``attention_due`` from the urgency rules, audit entries and actions.
Prints the staff logins and a few references for the timing script.

Fast at volume (#17, item 6: 1,000,000 complaints in at most five minutes): the seeded
tables' secondary indexes are dropped before the load and built again after it (one sort
each instead of a random B-tree insert per row), foreign keys are not checked row by row
(every id is the seed's own), rows go in large transactions — SQLite with ``executemany``
and no rollback journal, PostgreSQL with ``COPY`` — and the tables are analysed at the end.
A load that fails half-way leaves a database to throw away (its indexes dropped), never one
to use.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, models, transaction  # noqa: E402
from django.db.models import Max, Model  # noqa: E402

from klachten.accounts.models import Role, Staff  # noqa: E402
from klachten.accounts.services import staff_create, token_create  # noqa: E402
from klachten.audit.models import AuditEntry  # noqa: E402
from klachten.complaints.models import (  # noqa: E402
    ActionItem,
    Complaint,
    InternalNote,
    SatisfactionSurvey,
)
from klachten.customers.models import CustomerFile  # noqa: E402
from klachten.domain.deadlines import deadlines_for  # noqa: E402
from klachten.domain.lifecycle import Status  # noqa: E402
from klachten.domain.terms import Terms  # noqa: E402
from klachten.domain.urgency import attention_due, open_deadlines  # noqa: E402
from klachten.domain.workdays import AMSTERDAM, WorkCalendar  # noqa: E402
from klachten.messaging.models import (  # noqa: E402
    CustomerMessage,
    IncomingChannel,
    IncomingMessage,
    MessageChannel,
    MessageKind,
)
from klachten.organisation.models import Category  # noqa: E402
from klachten.organisation.selectors import organisation_terms, work_calendar  # noqa: E402

PASSWORD = "Bench-Kerngroep-2026!"  # noqa: S105 - a throwaway benchmark database
BATCH = 5000
OPEN_STATUSES = [
    Status.NEW,
    Status.CONTACTED,
    Status.IN_PROGRESS,
    Status.SOLUTION_PROPOSED,
    Status.SOLUTION_ACCEPTED,
    Status.VERIFIED,
    Status.IN_DISPUTE,
]
TOWNS = [
    ("Utrecht", "3512"),
    ("Amsterdam", "1017"),
    ("Rotterdam", "3011"),
    ("Zwolle", "8011"),
    ("Groningen", "9711"),
    ("Eindhoven", "5611"),
    ("Arnhem", "6811"),
    ("Leiden", "2311"),
]
SURNAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "El Amrani",
]
REPORTS = [
    "Cursusmap ontbrak bij de start van de training; deelnemer moest meekijken.",
    "Factuur bevat een lesdag die niet is doorgegaan.",
    "Docent was niet aanwezig op de afgesproken lesavond, geen bericht ontvangen.",
    "Examendatum verschoven zonder overleg; deelnemer had vrij genomen.",
    "Lokaal te klein voor de groep, geen stoel voor twee deelnemers.",
    "Inloggegevens voor de leeromgeving kwamen pas na twee weken.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(2026)
    call_command("migrate", verbosity=0)
    if Complaint.objects.exists():
        sys.exit("The database already has complaints; seed an empty data dir.")
    began = time.perf_counter()
    staff = _staff(args.employees)
    categories = [
        Category.objects.get_or_create(name=n)[0]
        for n in ("Lesmateriaal", "Planning", "Docent", "Facturatie", "Locatie")
    ]
    now = datetime.now(tz=UTC)
    # The organisation's calendar and terms, as registering a complaint uses them (R3, R16).
    calendar = work_calendar()
    terms = organisation_terms()
    closed = args.complaints - args.open
    # Closed complaints spread over ten years; open ones over the last six weeks.
    start = now - timedelta(days=3650)
    ids = {model: _next_id(model) for model in SEEDED}
    loader = Loader()
    made = 0
    while made < args.complaints:
        size = min(BATCH, args.complaints - made)
        customers, complaints, audit, actions, surveys = [], [], [], [], []
        for i in range(size):
            number = made + i
            is_open = number >= closed
            if is_open:
                received = now - timedelta(minutes=rng.randrange(10, 42 * 24 * 60))
            else:
                received = start + timedelta(seconds=(number / closed) * 3640 * 86400)
            customer = _customer(rng)
            customer.update(id=ids[CustomerFile] + number, created_at=received)
            customers.append(customer)
            complaint = _complaint(
                rng, number, customer["id"], received, is_open, staff, categories, calendar, terms
            )
            complaint["id"] = ids[Complaint] + number
            if not is_open and rng.random() < 0.2:  # R1: staff know whether they booked again
                complaint["booked_again"] = rng.random() < 0.6
            complaints.append(complaint)
            if complaint["closed_at"] is not None and rng.random() < 0.4:  # R1: answered
                surveys.append(
                    {
                        "complaint_id": complaint["id"],
                        "asked_at": complaint["closed_at"],
                        "reminded_at": None,
                        "answered_at": complaint["closed_at"] + timedelta(days=1),
                        "score": rng.choice((2, 3, 4, 4, 5, 5)),
                        "settled": rng.random() < 0.85,
                        "comment": "",
                    }
                )
            audit.extend(_audit(complaint))
            actions.append(
                {
                    "complaint_id": complaint["id"],
                    "what": "Cursusmap nasturen",
                    "who_id": complaint["handler_id"],
                    "due": (received + timedelta(days=3)).date(),
                    "from_ruling": False,
                    "created_at": received + timedelta(hours=2),
                    "done_at": complaint["closed_at"],
                    "done_by_id": complaint["handler_id"] if complaint["closed_at"] else None,
                }
            )
        for entry in audit:
            entry["id"] = ids[AuditEntry]
            ids[AuditEntry] += 1
        for action in actions:
            action["id"] = ids[ActionItem]
            ids[ActionItem] += 1
        for survey in surveys:
            survey["id"] = ids[SatisfactionSurvey]
            ids[SatisfactionSurvey] += 1
        loader.add(CustomerFile, customers)
        loader.add(Complaint, complaints)
        loader.add(AuditEntry, audit)
        loader.add(ActionItem, actions)
        loader.add(SatisfactionSurvey, surveys)
        made += size
        rate = made / (time.perf_counter() - began)
        print(f"\r{made:,} complaints ({rate:,.0f}/s)", end="", flush=True)
    loaded = time.perf_counter() - began
    print(f"\nLoaded in {loaded:,.0f} s; building the indexes again.", flush=True)
    loader.finish()
    print(f"\nSeeded in {time.perf_counter() - began:,.0f} s.")
    manager = Staff.objects.get(username="bench-directie")
    _, token = token_create(staff=manager)
    open_one = Complaint.objects.filter(attention_due__isnull=False).order_by("attention_due")[0]
    busy = _conversation(open_one, staff, now)
    print(f"login: bench-directie / {PASSWORD}")
    print(f"token: {token}")
    print(f"open complaint: {open_one.reference}")
    print(f"complaint with 50 messages and 20 notes: {busy}")


BUSY_FILE = "bench-busy-complaint.txt"
"""Where the reference of the complaint with a long conversation is kept for bench/pages.py."""


def _conversation(complaint: Complaint, staff: list[Staff], now: datetime) -> str:
    """#13, item 10: a long case — 25 messages each way and 20 internal notes — on one open
    complaint; its reference is written to the data dir for bench/pages.py."""
    author = Staff.objects.get(pk=complaint.handler_id) if complaint.handler_id else staff[0]
    card = {"name": str(author), "email": author.email}
    for n in range(25):
        at = complaint.received_at + timedelta(hours=n + 1)
        CustomerMessage.objects.create(
            complaint=complaint,
            kind=MessageKind.FREE,
            channel=MessageChannel.EMAIL,
            recipient="klant@example.nl",
            subject=f"Uw melding {complaint.reference}: bericht {n + 1}",
            body="Beste klant,\n\nHierbij ons antwoord op uw vraag over de planning.\n" * 4,
            card=card,
            author=author,
            created_at=at,
            sent_at=at,
        )
        IncomingMessage.objects.create(
            complaint=complaint,
            channel=IncomingChannel.EMAIL if n % 2 else IncomingChannel.STATUS_PAGE,
            sender="klant@example.nl",
            sender_name="Klant",
            subject=f"Re: Uw melding {complaint.reference}",
            text="Dank u wel. Ik heb nog een vraag over de nieuwe datum.\n" * 3,
            full_text="Dank u wel. Ik heb nog een vraag over de nieuwe datum.\n" * 6,
            received_at=at + timedelta(minutes=30),
            created_at=at + timedelta(minutes=30),
        )
    for n in range(20):
        InternalNote.objects.create(
            complaint=complaint,
            author=author,
            text=f"Notitie {n + 1}: gebeld met de docent over de les van dinsdag.",
            created_at=complaint.received_at + timedelta(hours=n + 2),
        )
    data_dir = os.environ.get("KLACHTEN_DATA_DIR")
    if data_dir:
        with open(os.path.join(data_dir, BUSY_FILE), "w", encoding="utf-8") as out:
            out.write(complaint.reference)
    return complaint.reference


def _next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


SEEDED: tuple[type[Model], ...] = (
    CustomerFile,
    Complaint,
    AuditEntry,
    ActionItem,
    SatisfactionSurvey,
)
"""The tables the bulk load writes, parents first."""
COMMIT_EVERY = 200_000
"""Rows per transaction: large, so the load is not a commit per batch (#17, item 6)."""


def _sqlite_datetime(value: datetime) -> str:
    """A datetime as Django stores it in SQLite: naive UTC, ``str()`` format."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


class Loader:
    """Bulk-loads rows (dicts by attribute name, ids included) into ``SEEDED``, no ORM work.

    On start it drops the tables' secondary indexes (the ones that are not a primary key or
    a unique constraint) and stops checking foreign keys; ``finish`` builds the indexes again
    from their own definitions, analyses the database and moves PostgreSQL's sequences past
    the loaded ids. A JSON field's value that is a ``str`` is taken as JSON already.
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.pending: dict[type[Model], list[tuple[Any, ...]]] = {m: [] for m in SEEDED}
        self.rows = 0
        self.replica = False
        self.shapes = {model: self._shape(model) for model in SEEDED}
        tables = [model._meta.db_table for model in SEEDED]
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index'"  # noqa: S608
                    f" AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    tables,
                )
                self.indexes = cursor.fetchall()
                # Outside a transaction: these pragmas cannot change inside one.
                for pragma in (
                    "foreign_keys=OFF",
                    "journal_mode=OFF",
                    "synchronous=OFF",
                    "cache_size=-524288",
                    "temp_store=MEMORY",
                ):
                    cursor.execute(f"PRAGMA {pragma}")
            else:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s)"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                    [tables],
                )
                self.indexes = cursor.fetchall()
                # Foreign keys are triggers: replica mode skips them. Only a superuser may
                # (the bench's postgres); anyone else loads with the checks, more slowly.
                try:
                    cursor.execute("SET session_replication_role = replica")
                    self.replica = True
                except DatabaseError:
                    print("Not a superuser: foreign keys are checked row by row.")
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        transaction.set_autocommit(False)

    def _shape(self, model: type[Model]) -> tuple[str, Any, list[int], list[int]]:
        meta = model._meta
        fields = list(meta.concrete_fields)
        names = [f.attname for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        if self.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        else:
            sql = f"COPY {table} ({columns}) FROM STDIN"
        # A column the seed does not name gets the model's default, as the ORM would give it
        # (a new column then needs no change here).
        defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        pick = operator.itemgetter(*names)
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        # SQLite stores dates and times as text, as Django writes them; psycopg takes them.
        moment_at = [
            i
            for i, f in enumerate(fields)
            if isinstance(f, models.DateField) and self.vendor == "sqlite"
        ]

        def row(values: dict[str, Any]) -> tuple[Any, ...]:
            out = pick({**defaults, **values})
            if not (json_at or moment_at):
                return out  # type: ignore[no-any-return]
            listed = list(out)
            for i in json_at:
                if listed[i] is not None and not isinstance(listed[i], str):
                    listed[i] = json.dumps(listed[i])
            for i in moment_at:
                value = listed[i]
                if isinstance(value, datetime):
                    listed[i] = _sqlite_datetime(value)
                elif value is not None:
                    listed[i] = str(value)
            return tuple(listed)

        return sql, row, json_at, moment_at

    def add(self, model: type[Model], objects: list[dict[str, Any]]) -> None:
        row = self.shapes[model][1]
        self.pending[model].extend(row(o) for o in objects)
        self.rows += len(objects)
        if self.rows >= COMMIT_EVERY:
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for model in SEEDED:  # parents first
                rows, sql = self.pending[model], self.shapes[model][0]
                if not rows:
                    continue
                if self.vendor == "sqlite":
                    cursor.executemany(sql, rows)
                else:
                    with cursor.cursor.copy(sql) as copy:
                        for values in rows:
                            copy.write_row(values)
                rows.clear()
        transaction.commit()
        self.rows = 0

    def finish(self) -> None:
        self.flush()
        transaction.set_autocommit(True)
        with connection.cursor() as cursor:
            for _, sql in self.indexes:
                cursor.execute(sql)
            if self.vendor == "sqlite":
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA foreign_key_check")
                if broken := cursor.fetchall():
                    raise SystemExit(f"foreign keys broken by the seed: {broken[:5]}")
            else:
                if self.replica:
                    cursor.execute("SET session_replication_role = DEFAULT")
                for model in SEEDED:
                    table = model._meta.db_table
                    # VACUUM too: the visibility map a live database's autovacuum keeps, so
                    # index-only scans (the list's bounded count, #17 item 3) work as there.
                    cursor.execute(f"VACUUM ANALYZE {table}")
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )


def _staff(employees: int) -> list[Staff]:
    manager = staff_create(
        username="bench-directie",
        role=Role.MANAGEMENT,
        password=PASSWORD,
        first_name="Bench",
        last_name="Directie",
        email="directie@bench.example",
        # A complete card (R14): the registrations that bench/pages.py times send the receipt
        # confirmation with it, as they do in real use (issue #10, item 9a).
        job_title="Directeur",
        phone="030 760 22 01",
    )
    # One password hash for all: hashing fifty times would dominate a small seed.
    Staff.objects.bulk_create(
        Staff(
            username=f"bench-{number:03d}",
            role=Role.EMPLOYEE,
            password=manager.password,
            first_name=f"Medewerker {number}",
            email=f"medewerker{number}@bench.example",
        )
        for number in range(employees)
    )
    return list(Staff.objects.filter(role=Role.EMPLOYEE).order_by("pk"))


def _customer(rng: random.Random) -> dict[str, Any]:
    town, digits = rng.choice(TOWNS)
    surname = rng.choice(SURNAMES)
    return {
        "name": f"{rng.choice(['Mevrouw', 'De heer'])} {rng.choice('ABCDEFGHJKLMNPRSTW')}. "
        f"{surname}",
        "street": rng.choice(["Lindenlaan", "Kerkstraat", "Stationsweg", "Dorpsstraat"]),
        "house_number": str(rng.randint(1, 200)),
        "postcode": f"{digits} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLNPRT')}",
        "town": town,
        "country": "NL",
        "email": f"{surname.replace(' ', '').lower()}{rng.randint(1, 99999)}@example.nl",
        "phone": "+31 30 123 4567",
    }


def _complaint(
    rng: random.Random,
    number: int,
    customer_id: int,
    received: datetime,
    is_open: bool,
    staff: list[Staff],
    categories: list[Category],
    calendar: WorkCalendar,
    terms: Terms,
) -> dict[str, Any]:
    due = deadlines_for(received, calendar, terms)
    receiver = staff[number % len(staff)].pk
    status = rng.choice(OPEN_STATUSES) if is_open else Status.CLOSED
    contacted = status is not Status.NEW
    closed_at = received + timedelta(days=rng.randint(3, 27)) if not is_open else None
    agreed: date | None = (
        (received + timedelta(days=14)).astimezone(AMSTERDAM).date() if contacted else None
    )
    return {
        "reference": f"KG-{received.astimezone(AMSTERDAM).year}-B{number:07d}",
        "customer_id": customer_id,
        "received_at": received,
        "channel": "phone",
        "report": rng.choice(REPORTS),
        "receiver_id": receiver,
        "handler_id": receiver,
        "registered_at": received,
        "not_interrupted": True,
        "vented": True,
        "put_at_ease": True,
        "apologised": True,
        "business_card_given": rng.random() < 0.9,
        "management_informed_at": received,
        "management_consulted": "",
        "contact_due": due.contact_due,
        "delay_notice_due": due.delay_notice_due,
        "settlement_due": due.settlement_due,
        "contact_working_hours": terms.contact_working_hours,
        "delay_notice_days": terms.delay_notice_days,
        "settlement_days": terms.settlement_days,
        "attention_due": attention_due(
            open_deadlines(
                contact_due=due.contact_due,
                delay_notice_due=due.delay_notice_due,
                settlement_due=due.settlement_due,
                contacted=contacted,
                delay_notice_sent=False,
                closed=not is_open,
                agreed_term=agreed,
                extended_until=None,
            )
        ),
        "status": status.value,
        "contacted_at": received + timedelta(hours=rng.randint(1, 30)) if contacted else None,
        "agreed_term": agreed,
        "delay_reason": "",
        "solution": "",
        "customer_view": "",
        "customer_view_note": "",
        "follow_up_note": "",
        "dispute_note": "",
        "dispute_third_party": "",
        "ruling_text": "",
        "outcome": "" if is_open else "solved",
        "closing_note": "",
        "closed_at": closed_at,
        "category_id": rng.choice(categories).pk,
    }


CONTACTED = json.dumps({"status": "contacted"})
CLOSED_SOLVED = json.dumps({"status": "closed", "outcome": "solved"})


def _audit(complaint: dict[str, Any]) -> list[dict[str, Any]]:
    """The complaint's audit entries; ``before``/``after`` as JSON text (``Loader``)."""

    def entry(actor: int, at: datetime, action: str, after: str) -> dict[str, Any]:
        return {
            "complaint_id": complaint["id"],
            "actor_id": actor,
            "at": at,
            "action": action,
            "before": "{}",
            "after": after,
        }

    entries = [
        entry(
            complaint["receiver_id"],
            complaint["registered_at"],
            "registered",
            json.dumps({"reference": complaint["reference"]}),
        )
    ]
    if complaint["contacted_at"]:
        entries.append(
            entry(complaint["handler_id"], complaint["contacted_at"], "contact", CONTACTED)
        )
    if complaint["closed_at"]:
        entries.append(
            entry(complaint["handler_id"], complaint["closed_at"], "close_solved", CLOSED_SOLVED)
        )
    return entries


if __name__ == "__main__":
    main()
