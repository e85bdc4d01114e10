"""What messaging does when something below it happens: the complaint page's conversation."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from klachten.complaints.models import Complaint
from klachten.complaints.signals import complaint_page_opened
from klachten.core.prepared import Call
from klachten.messaging.selectors import conversation_reads


@receiver(complaint_page_opened, dispatch_uid="messaging.conversation_reads")
def conversation_reads_ahead(sender: object, *, complaint: Complaint, **kwargs: Any) -> list[Call]:
    """The messages, what the customer sent and the complaint's mails, which the page's
    conversation and mail state read: asked ahead with the page's own reads (#17 item 3)."""
    return conversation_reads(complaint)
