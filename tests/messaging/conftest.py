"""A real SMTP server for the outbox tests (aiosmtpd on 127.0.0.1, a free port of this test
process's own: tests/ports.py).

The server records every accepted mail with the connection it came over, and can be told to
answer 451 (temporarily refused), to refuse one recipient, to take its time, or to hold a
mail in the middle of its delivery.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from klachten.complaints.services import Checklist
from klachten.customers.validation import CustomerData
from klachten.domain.workdays import AMSTERDAM
from tests.ports import free_port

# Seconds the server's thread may take to come up; only a hang takes this long.
READY_TIMEOUT = 120

# Monday 2 November 2026, 10:00: a working day far from any holiday.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)

CUSTOMER = CustomerData(
    name="Mevrouw A. Bakker",
    street="Lindenlaan",
    house_number="12a",
    postcode="3512 AB",
    town="Utrecht",
    email="a.bakker@example.nl",
    phone="030 123 4567",
)
REPORT = "Cursusmap voor de training Leidinggeven ontbrak bij de start."
CHECKLIST = Checklist(not_interrupted=True, vented=True, apologised=True)


@dataclass(frozen=True)
class Delivered:
    """One mail the server accepted: envelope, parsed message, and the client's address."""

    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    peer: Any

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class RecordingHandler:
    """An aiosmtpd handler that keeps what it accepts and refuses on request."""

    def __init__(self) -> None:
        self.delivered: list[Delivered] = []
        self.refuse_data: str | None = None  # e.g. "451 4.3.0 ..." for every mail
        self.refuse_rcpt: dict[str, str] = {}  # recipient -> reply
        self.delay = 0.0  # seconds before answering DATA
        self.data_started = threading.Event()  # set when a client has sent a mail's DATA
        # When set, the first mail's DATA is held until this event is set, then refused
        # (451) and not recorded: a delivery in progress, for a worker killed in the middle.
        self.hold: threading.Event | None = None
        self._held = False

    async def handle_RCPT(  # noqa: N802 - the hook names are aiosmtpd's
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if reply := self.refuse_rcpt.get(address):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - the hook names are aiosmtpd's
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.data_started.set()
        if self.hold is not None and not self._held:
            self._held = True
            while not self.hold.is_set():
                await asyncio.sleep(0.05)
            return "451 4.4.2 Verbinding verbroken tijdens de aflevering"
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse_data:
            return self.refuse_data
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.delivered.append(Delivered(tuple(envelope.rcpt_tos), message, session.peer))
        return "250 2.0.0 Message accepted for delivery"


class MailServer:
    """A real SMTP server on a fixed free port that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def delivered(self) -> list[Delivered]:
        return self.handler.delivered

    def start(self) -> None:
        # aiosmtpd gives its thread 5 s to come up by default: too little on a busy machine.
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=READY_TIMEOUT
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(settings: Any, smtp_server: MailServer) -> MailServer:
    """Send through the real SMTP server, as ``EMAIL_URL=smtp://127.0.0.1:port`` would."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    # As in production (config/settings.py): a busy machine must not time a delivery out.
    settings.EMAIL_TIMEOUT = 30
    return smtp_server


@pytest.fixture
def second_manager(make_staff: Callable[..., Any]) -> Any:
    return make_staff(
        "ingrid", "management", first_name="Ingrid", last_name="Smit", email="ingrid@kerngroep.nl"
    )


@pytest.fixture
def colleague(make_staff: Callable[..., Any]) -> Any:
    return make_staff(
        "sanne", "employee", first_name="Sanne", last_name="Visser", email="sanne@kerngroep.nl"
    )
