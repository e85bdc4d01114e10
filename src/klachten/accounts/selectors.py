"""Reads for staff members and API tokens (STYLE.md, 2)."""

from __future__ import annotations

from klachten.accounts.models import ApiToken, Role, Staff
from klachten.accounts.services import TOKEN_PREFIX, token_digest


def staff_for_token(token: str) -> tuple[Staff, ApiToken] | None:
    """The active staff member a bearer token belongs to, or None for any bad token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    api_token = (
        ApiToken.objects.select_related("staff")
        .filter(digest=token_digest(token), revoked_at__isnull=True, staff__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    return api_token.staff, api_token


def staff_get_by_username(username: str) -> Staff | None:
    """A staff member by user name (case-insensitive), or None."""
    return Staff.objects.filter(username__iexact=username).first()


def management_without_email() -> list[Staff]:
    """Active managers without an e-mail address: the alert of a new complaint reaches none of
    them (R3), so the start page warns about each. One query."""
    return list(
        Staff.objects.filter(role=Role.MANAGEMENT, is_active=True, email="").order_by("username")
    )
