"""What the complaints app tells the apps above it (ARCHITECTURE.md: lower apps signal)."""

from django.dispatch import Signal

complaint_page_opened = Signal()
"""Sent by the complaint page before it renders, with ``complaint``. A receiver returns the
prepared reads (``core.prepared.Call``) that its parts of the page will make, so that they are
asked ahead with the page's own, in one round trip on PostgreSQL (#17 item 3)."""
