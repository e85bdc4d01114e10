"""The real SMTP server of the outbox tests, for the API's delivery states (#10, items 19, 20)."""

from tests.messaging.conftest import smtp, smtp_server

__all__ = ["smtp", "smtp_server"]  # fixtures, found by name
