"""R2 as a matrix: who may read what of one confidential complaint, page by page.

A complaint is confidential (R2): only its receiver, its handler and management read it, and
every read is logged. Admins keep accounts and settings and read complaints only when also
management (#15 item 5); the auditor reads the register without names, the figures, the
measures and the dossiers management sampled, pseudonymised, and no complaint page, customer
file or message (#16 item 4). Anonymous visitors are sent to the login page (the API: 401).

``MATRIX`` below is the whole expectation, one line per resource and one column per actor;
each cell is a test of its own. Where the product is known to differ from what R2 asks, the
cell keeps asserting R2 and is marked ``xfail(strict=True)`` in ``KNOWN_GAPS``, with the
reason, so the gap is visible and a fix turns it into a failure to be unmarked.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachten.accounts.models import Staff
from klachten.accounts.services import token_create
from klachten.audit.models import AuditEntry
from klachten.auditing.services import sample_add
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import Attachment, Complaint
from klachten.complaints.services import Checklist, complaint_assign, complaint_register, note_add
from klachten.messaging.models import CustomerMessage, MessageKind
from klachten.messaging.services import customer_message_send
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data
from tests.conftest import ApiClient, logged_in

# What must never reach anyone without a right to the complaint (R2): the customer's name,
# e-mail address and phone number, the report, the internal note.
NAME = "Bakker"
EMAIL = "a.bakker@example.nl"
PHONE = "030 123 4567"
REPORT = (
    "Cursusmap voor de training Leidinggeven ontbrak bij de start. "
    f"Terugbellen op {PHONE} of mailen naar {EMAIL}."
)
REPORT_MARK = "Leidinggeven ontbrak"
NOTE = "Trainer gebeld over de ontbrekende map."
ATTACHMENT = b"Aantekening: mevrouw Bakker belde om 10.15 uur."
SECRETS = (NAME, EMAIL, PHONE, REPORT_MARK, NOTE)

# --- The actors -------------------------------------------------------------------------------

ANON = "anonymous"
RECEIVER = "receiver"
OTHER = "other_employee"
HANDLER = "handler"
MANAGER = "management"
ADMIN = "admin_only"
ADMIN_MGMT = "admin_management"
AUDITOR_SAMPLED = "auditor_sampled"
AUDITOR_UNSAMPLED = "auditor_unsampled"
ACTORS = (
    ANON,
    RECEIVER,
    OTHER,
    HANDLER,
    MANAGER,
    ADMIN,
    ADMIN_MGMT,
    AUDITOR_SAMPLED,
    AUDITOR_UNSAMPLED,
)

# --- The outcomes -----------------------------------------------------------------------------

READ = "200 read"  # 200, the complaint's content shown (the resource's ``shows``)
LISTED = "200 listed"  # 200, the complaint's reference in the list
NAMED = "200 named"  # 200, a register with the customer's name in its row
NAMELESS = "200 nameless"  # 200, the complaint's row without the customer's name
UNLISTED = "200 unlisted"  # 200, nothing of the complaint in it
PAGE = "200"  # 200, a page that is not about this complaint
PSEUDONYMISED = "200 pseudonymised"  # the auditor's dossier: no name, e-mail or phone
LOGIN = "302 login"
UNAUTHORISED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"
REFUSED = frozenset({LOGIN, UNAUTHORISED, FORBIDDEN, NOT_FOUND})
NOTHING_OF_IT = REFUSED | {UNLISTED}


@dataclass(frozen=True)
class World:
    """One confidential complaint with everything around it, and the staff of every role."""

    complaint: Complaint
    message: CustomerMessage
    attachment: Attachment
    staff: dict[str, Staff]


@dataclass(frozen=True)
class Resource:
    """A URL that shows something of the complaint, or a page that must not.

    ``shows``: what a permitted read must contain; ``logged``: the audit action a permitted
    read writes (R2), None for pages that are not a read of this complaint.
    """

    path: Callable[[World], str]
    api: bool = False
    method: str = "get"
    data: dict[str, str] | None = None
    shows: str | None = None
    logged: str | None = None
    per_complaint: bool = True  # the log entry names the complaint (a register does not)


REGISTER_PERIOD = {"van": "2026-11-01", "tot": "2026-11-30"}
API_PERIOD = {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"}

RESOURCES: dict[str, Resource] = {
    "complaint_page": Resource(
        lambda w: f"/meldingen/{w.complaint.reference}/", shows=REPORT_MARK, logged="viewed"
    ),
    "message_page": Resource(
        lambda w: f"/meldingen/{w.complaint.reference}/berichten/{w.message.pk}/",
        shows=f"mevrouw {NAME}",
        logged="viewed",
    ),
    "message_compose": Resource(
        lambda w: f"/meldingen/{w.complaint.reference}/berichten/vrij/",
        shows=EMAIL,
        logged="viewed",
    ),
    "attachment": Resource(
        lambda w: f"/bijlagen/{w.complaint.reference}/{w.attachment.pk}/",
        shows=f"mevrouw {NAME}",
        logged="viewed",
    ),
    "customer_file": Resource(
        lambda w: f"/meldingen/klantmap/{w.complaint.customer_id}/",
        shows=NAME,
        logged="customer_file_viewed",  # one entry naming the file and its complaints
        per_complaint=False,
    ),
    "customer_export": Resource(
        lambda w: f"/meldingen/klantmap/{w.complaint.customer_id}/export/",
        method="post",
        shows=REPORT_MARK,
        logged="customer_exported",
        per_complaint=False,
    ),
    "overview": Resource(lambda w: "/meldingen/"),
    "api_detail": Resource(
        lambda w: f"/api/v1/complaints/{w.complaint.reference}",
        api=True,
        shows=REPORT_MARK,
        logged="viewed",
    ),
    "api_list": Resource(lambda w: "/api/v1/complaints", api=True),
    "api_messages": Resource(
        lambda w: f"/api/v1/complaints/{w.complaint.reference}/messages",
        api=True,
        shows=f"mevrouw {NAME}",
        logged="viewed",
    ),
    "api_notes": Resource(
        lambda w: f"/api/v1/complaints/{w.complaint.reference}/notes",
        api=True,
        shows=NOTE,
        logged="viewed",
    ),
    "api_register_names": Resource(
        lambda w: "/api/v1/register",
        api=True,
        data={**API_PERIOD, "names": "true"},
        logged="register_exported",
        per_complaint=False,
    ),
    "api_register_no_names": Resource(
        lambda w: "/api/v1/register",
        api=True,
        data={**API_PERIOD, "names": "false"},
        logged="register_exported",
        per_complaint=False,
    ),
    "register_page": Resource(lambda w: "/dashboard/register/"),
    "register_download": Resource(
        lambda w: "/dashboard/register/",
        data={**REGISTER_PERIOD, "formaat": "csv", "namen": "on"},
        logged="register_exported",
        per_complaint=False,
    ),
    "dashboard": Resource(lambda w: "/dashboard/"),
    "drill_compliance": Resource(lambda w: "/dashboard/naleving/r14/"),
    "drill_per_course": Resource(lambda w: "/dashboard/per-cursus/geen/"),
    "measures": Resource(lambda w: "/dashboard/maatregelen/"),
    "settings": Resource(lambda w: "/instellingen/"),
    "settings_terms": Resource(lambda w: "/instellingen/termijnen/"),
    "settings_accounts": Resource(lambda w: "/instellingen/medewerkers/"),
    "audit_index": Resource(lambda w: "/audit/"),
    "audit_dossier": Resource(
        lambda w: f"/audit/dossier/{w.complaint.reference}/",
        shows=REPORT_MARK,
        logged="auditor_read",
    ),
    "evidence_pack": Resource(lambda w: "/audit/bewijspakket/"),
}

# fmt: off
# Columns: anonymous, receiver, other employee, handler, management, admin only,
# admin + management, auditor (complaint sampled), auditor (not sampled).
MATRIX: dict[str, tuple[str, ...]] = {
    # The complaint and what belongs to it: its people and management (R2, R15, #15 item 5).
    "complaint_page":     (LOGIN, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "message_page":       (LOGIN, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "message_compose":    (LOGIN, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "attachment":         (LOGIN, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "customer_file":      (LOGIN, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    # The AVG export is handed to the customer by management only (R2: to no one else).
    "customer_export":    (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "overview":           (LOGIN, LISTED, UNLISTED, LISTED, LISTED, UNLISTED, LISTED, UNLISTED, UNLISTED),  # noqa: E501
    "api_detail":         (UNAUTHORISED, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "api_list":           (UNAUTHORISED, LISTED, UNLISTED, LISTED, LISTED, UNLISTED, LISTED, UNLISTED, UNLISTED),  # noqa: E501
    "api_messages":       (UNAUTHORISED, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    "api_notes":          (UNAUTHORISED, READ, NOT_FOUND, READ, READ, NOT_FOUND, READ, NOT_FOUND, NOT_FOUND),  # noqa: E501
    # The register: management with names; the auditor every row, never a name (#16 item 4).
    "api_register_names": (UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NAMED, FORBIDDEN, NAMED, NAMELESS, NAMELESS),  # noqa: E501
    "api_register_no_names": (UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NAMELESS, FORBIDDEN, NAMELESS, NAMELESS, NAMELESS),  # noqa: E501
    "register_page":      (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, FORBIDDEN, PAGE, PAGE, PAGE),  # noqa: E501
    "register_download":  (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NAMED, FORBIDDEN, NAMED, NAMELESS, NAMELESS),  # noqa: E501
    # Figures: management and the auditor; the drill-downs name complaints: management only.
    "dashboard":          (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, FORBIDDEN, PAGE, PAGE, PAGE),  # noqa: E501
    "drill_compliance":   (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LISTED, FORBIDDEN, LISTED, FORBIDDEN, FORBIDDEN),  # noqa: E501
    "drill_per_course":   (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LISTED, FORBIDDEN, LISTED, FORBIDDEN, FORBIDDEN),  # noqa: E501
    "measures":           (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, FORBIDDEN, PAGE, PAGE, PAGE),  # noqa: E501
    # Settings: management and admins; never the auditor (#16 item 4).
    "settings":           (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, PAGE, PAGE, FORBIDDEN, FORBIDDEN),  # noqa: E501
    "settings_terms":     (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, PAGE, PAGE, FORBIDDEN, FORBIDDEN),  # noqa: E501
    "settings_accounts":  (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, PAGE, PAGE, FORBIDDEN, FORBIDDEN),  # noqa: E501
    # The audit: management chooses the sample and sees it as the auditor does.
    "audit_index":        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LISTED, FORBIDDEN, LISTED, LISTED, UNLISTED),  # noqa: E501
    "audit_dossier":      (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PSEUDONYMISED, FORBIDDEN, PSEUDONYMISED, PSEUDONYMISED, NOT_FOUND),  # noqa: E501
    "evidence_pack":      (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PAGE, FORBIDDEN, PAGE, PAGE, PAGE),  # noqa: E501
}
# fmt: on

# Cells where the product is known to answer otherwise than R2 asks: (resource, actor) for the
# outcome, or (resource, actor, "log") for the audit-log entry of a permitted read.
KNOWN_GAPS: dict[tuple[str, ...], str] = {}

CELLS = [
    (resource, actor, outcome)
    for resource, row in MATRIX.items()
    for actor, outcome in zip(ACTORS, row, strict=True)
]
LOGGED_READS = [
    (resource, actor)
    for resource, actor, outcome in CELLS
    if RESOURCES[resource].logged and outcome not in NOTHING_OF_IT
]


def _params(
    cells: list[tuple[str, ...]], gap_key: Callable[[tuple[str, ...]], tuple[str, ...]]
) -> list[Any]:
    params = []
    for cell in cells:
        reason = KNOWN_GAPS.get(gap_key(cell))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(*cell, id=f"{cell[0]}-{cell[1]}", marks=marks))
    return params


# --- The world --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Attachments in a data dir of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def _world(make_staff: Callable[..., Staff], actor: str) -> World:
    """Petra receives the complaint, management hands it to Hanna; Jan has no part in it.
    The complaint is in the audit sample, except for the auditor who finds it unsampled."""
    card = {"job_title": "Cursuscoördinator", "phone": "030 760 22 11"}
    receiver = make_staff(
        "petra", "employee", first_name="Petra", last_name="de Vries", email="p@kg.nl", **card
    )
    handler = make_staff(
        "hanna", "employee", first_name="Hanna", last_name="Smits", email="h@kg.nl", **card
    )
    manager = make_staff(
        "marco", "management", first_name="Marco", last_name="Jansen", email="m@kg.nl", **card
    )
    staff = {
        RECEIVER: receiver,
        HANDLER: handler,
        MANAGER: manager,
        OTHER: make_staff("jan", "employee", first_name="Jan", email="j@kg.nl"),
        ADMIN: make_staff("linda", "admin", email="linda@kg.nl"),
        ADMIN_MGMT: make_staff("beheer", "admin", also_management=True, email="b@kg.nl"),
    }
    auditor = make_staff("ines", "auditor", first_name="Ines", email="ines@audit.example")
    staff[AUDITOR_SAMPLED] = staff[AUDITOR_UNSAMPLED] = auditor

    complaint = complaint_register(
        receiver=receiver,
        customer=customer_data(),
        naw_checked=True,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=Checklist(not_interrupted=True, vented=True, apologised=True),
        now=NOW,
    )
    complaint = complaint_assign(complaint=complaint, actor=manager, handler=handler, now=NOW)
    message = customer_message_send(
        complaint=complaint,
        author=receiver,
        kind=MessageKind.FREE,
        channel="letter",
        subject="Uw melding",
        body=f"Geachte mevrouw {NAME},\n\nWij bellen u morgen.",
        now=NOW,
    )
    note_add(complaint=complaint, author=handler, text=NOTE, now=NOW)
    attachment = attachment_add(
        complaint=complaint,
        actor=receiver,
        file=SimpleUploadedFile("aantekening.txt", ATTACHMENT),
        now=NOW,
    )
    if actor != AUDITOR_UNSAMPLED:
        sample_add(actor=manager, reference=complaint.reference, now=NOW)
    complaint.refresh_from_db()
    assert complaint.receiver == receiver
    assert complaint.handler == handler
    return World(complaint=complaint, message=message, attachment=attachment, staff=staff)


def _client(world: World, actor: str, resource: Resource) -> Any:
    staff = world.staff.get(actor)
    if resource.api:
        if staff is None:
            return ApiClient(None)
        _token, raw = token_create(staff=staff)
        return ApiClient(raw)
    return Client() if staff is None else logged_in(staff)


def _ask(world: World, actor: str, resource: Resource) -> Any:
    client = _client(world, actor, resource)
    path = resource.path(world)
    if resource.method == "post":
        return client.post(path, resource.data or {})
    if resource.api:
        return client.get(path, **(resource.data or {}))
    return client.get(path, resource.data or {})


def _body(response: Any) -> str:
    """The response as text: a download joined, a ZIP's members one after another."""
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return "\n".join(
                package.read(name).decode("utf-8", "replace") for name in package.namelist()
            )
    return raw.decode("utf-8-sig", "replace")


def _log_count(world: World, actor: str, resource: Resource) -> int:
    staff = world.staff.get(actor)
    if staff is None or resource.logged is None:
        return 0
    entries = AuditEntry.objects.filter(actor=staff, action=resource.logged)
    if resource.per_complaint:
        entries = entries.filter(complaint=world.complaint)
    return entries.count()


# --- The cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(("resource", "actor", "outcome"), _params(CELLS, lambda c: c[:2]))
def test_cell(make_staff, media_root, resource: str, actor: str, outcome: str) -> None:
    """R2: the answer of one (resource, actor) cell of the matrix, and nothing confidential
    in any answer that refuses or leaves the complaint out."""
    world = _world(make_staff, actor)
    spec = RESOURCES[resource]
    reference = world.complaint.reference

    response = _ask(world, actor, spec)
    status = response.status_code

    if outcome == LOGIN:
        assert status == 302, status
        assert response["Location"].startswith("/inloggen/"), response["Location"]
    elif outcome in {UNAUTHORISED, FORBIDDEN, NOT_FOUND}:
        assert status == int(outcome), status
    else:
        assert status == 200, status
    # A page repeats the address it was asked for (the language switch's ``next``).
    body = _body(response).replace(spec.path(world), "")

    if outcome in NOTHING_OF_IT:
        for secret in SECRETS:
            assert secret not in body, secret
        # What was not shown is not in the log as read either.
        reader = world.staff.get(actor)
        if reader is not None:
            viewed = AuditEntry.objects.filter(actor=reader, action="viewed")
            assert not viewed.filter(complaint=world.complaint).exists()
        if outcome != NOT_FOUND:  # "Melding KG-… niet gevonden" repeats what was asked
            assert reference not in body
    elif outcome == READ:
        assert spec.shows is not None
        assert spec.shows in body
    elif outcome == LISTED:
        assert reference in body
    elif outcome == NAMED:
        assert reference in body
        assert NAME in body
    elif outcome == NAMELESS:
        assert reference in body
        assert NAME not in body
    elif outcome == PSEUDONYMISED:
        # #16 item 4: the dossier without the customer's personal data, the report kept.
        assert reference in body
        assert REPORT_MARK in body
        for personal in (NAME, EMAIL, PHONE, "Lindenlaan"):
            assert personal not in body, personal
        assert "[klant]" in body
    else:
        assert outcome == PAGE


@pytest.mark.parametrize(("resource", "actor"), _params(LOGGED_READS, lambda c: (*c, "log")))
def test_a_permitted_read_is_logged(make_staff, media_root, resource: str, actor: str) -> None:
    """R2: every read of the complaint is in the audit log, with who read it."""
    world = _world(make_staff, actor)
    spec = RESOURCES[resource]
    before = _log_count(world, actor, spec)

    assert _ask(world, actor, spec).status_code == 200

    assert _log_count(world, actor, spec) == before + 1


def test_the_matrix_covers_every_actor_and_resource() -> None:
    """Every resource has a line with a cell for every actor, and every gap names a cell."""
    assert set(MATRIX) == set(RESOURCES)
    assert all(len(row) == len(ACTORS) for row in MATRIX.values())
    cells = {(resource, actor) for resource, actor, _outcome in CELLS}
    for key in KNOWN_GAPS:
        assert key[:2] in cells, key
