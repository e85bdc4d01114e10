"""The privacy tests use the complaint fixtures: a complaint, the clock (tests/complaints)."""

from tests.complaints.conftest import complaint, customer_data, in_days, later, now

__all__ = ["complaint", "customer_data", "in_days", "later", "now"]
