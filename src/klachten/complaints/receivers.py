"""What complaints does when something below it happens (signals of ``klachten.mail``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from klachten.complaints.models import Complaint
from klachten.mail.models import MailPurpose, OutboxMessage
from klachten.mail.signals import mail_accepted


@receiver(mail_accepted, dispatch_uid="complaints.management_informed")
def management_informed(
    sender: object, *, message: OutboxMessage, accepted: datetime, **kwargs: Any
) -> None:
    """R3: management is told the moment the first alert is accepted by the mail server."""
    if message.purpose != MailPurpose.ALERT or message.complaint_id is None:
        return
    Complaint.objects.filter(pk=message.complaint_id, management_informed_at__isnull=True).update(
        management_informed_at=accepted
    )
