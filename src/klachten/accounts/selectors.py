"""Reads for staff members and API tokens (STYLE.md, 2)."""

from __future__ import annotations

from django.conf import settings

from klachten.accounts.models import ApiToken, Role, Staff
from klachten.accounts.services import TOKEN_PREFIX, token_digest
from klachten.core.prepared import Prepared

# The digest is unique: no ORDER BY, and compiled once (#17: every API request).
_TOKEN = Prepared(
    lambda digest: (
        ApiToken.objects.select_related("staff")
        .filter(digest=digest, revoked_at__isnull=True, staff__is_active=True)
        .order_by()[:1]
    ),
    texts=["digest"],
)


def staff_for_token(token: str) -> tuple[Staff, ApiToken] | None:
    """The active staff member a bearer token belongs to, or None for any bad token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    found = _TOKEN(digest=token_digest(token))
    if not found:
        return None
    return found[0].staff, found[0]


def staff_get_by_username(username: str) -> Staff | None:
    """A staff member by user name (case-insensitive), or None."""
    return Staff.objects.filter(username__iexact=username).first()


def management_without_email() -> list[Staff]:
    """Active managers without an e-mail address: the alert of a new complaint reaches none of
    them (R3), so the start page warns about each. One query."""
    return list(
        Staff.objects.filter(role=Role.MANAGEMENT, is_active=True, email="").order_by("username")
    )


def second_factor_required(staff: Staff) -> bool:
    """Whether ``staff`` must sign in with a second factor after the password (#15, item 2).

    ``KLACHTEN_MFA``: ``management`` (default) asks it of management and admins, who see every
    complaint (R2); ``required`` of everyone; ``optional`` of nobody.
    """
    policy = settings.KLACHTEN_MFA
    if policy == "required":
        return True
    if policy == "management":
        return staff.role in {Role.MANAGEMENT, Role.ADMIN} or staff.is_superuser
    return False


def second_factor_set_up(staff: Staff) -> bool:
    """Whether ``staff`` has an authenticator app or a passkey (recovery codes alone are not)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=staff, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def sign_in_options() -> dict[str, object]:
    """What the login page offers: the password form, and the organisation's login (#15)."""
    from django.urls import reverse

    options: dict[str, object] = {"password_login": settings.PASSWORD_LOGIN_ENABLED}
    if settings.SSO_ENABLED:
        options["sso_name"] = settings.SSO_NAME
        options["sso_url"] = reverse(
            "openid_connect_login", kwargs={"provider_id": settings.OIDC_PROVIDER_ID}
        )
    return options
