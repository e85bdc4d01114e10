"""E-mail in, read by the worker (#13). Tasks only call services (ARCHITECTURE.md)."""

from __future__ import annotations

import logging
import time

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from klachten.mail.imap import MailboxError
from klachten.public.inbound import MailboxNotConfigured, mailbox_config, mailbox_fetch

logger = logging.getLogger(__name__)

# One run reads for this long (waiting with IDLE in between), then the next minute's run
# takes over: a mail is in the file within seconds where the server offers IDLE, within a
# minute where it does not.
RUN_SECONDS = 55.0


@db_periodic_task(crontab(minute="*"))
@lock_task("klachten-mailbox")  # one reader at a time, whatever the number of workers
def read_mailbox() -> None:
    """Every minute: the new mail of ``INBOUND_MAIL_URL`` into the complaints' files."""
    try:
        mailbox_config()
    except MailboxNotConfigured:
        return  # no mailbox configured: nothing to read
    deadline = time.monotonic() + RUN_SECONDS
    try:
        for received in mailbox_fetch(once=False, until=lambda: time.monotonic() > deadline):
            logger.info("Mail in: %s", received.line())
    except MailboxError as error:
        logger.warning("The mailbox could not be read: %s", error)
