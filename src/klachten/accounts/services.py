"""Writes for staff members and API tokens (STYLE.md, 2)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from klachten.accounts.models import ApiToken, Role, Staff

TOKEN_PREFIX = "kk_"  # noqa: S105 - a visible marker of our tokens, not a secret
# Activity stamps are written at most this often per token, so API reads stay reads.
LAST_USED_RESOLUTION_SECONDS = 60


def token_digest(token: str) -> str:
    """The stored form of a token. Tokens carry 256 random bits, so a plain hash suffices."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def staff_create(
    *,
    username: str,
    role: Role | str,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    phone: str = "",
) -> Staff:
    """Create a staff member; only admins may use the Django admin (R2).

    Without a password the account cannot log in until one is set.
    """
    role = Role(role)
    username = username.strip()
    if not username:
        raise ValidationError(_("Geef een gebruikersnaam op."), code="username_required")
    if Staff.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("Gebruikersnaam %(username)s bestaat al."),
            code="username_taken",
            params={"username": username},
        )
    if email:
        validate_email(email)
    staff = Staff(
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        phone=phone,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password is None:
        staff.set_unusable_password()
    else:
        validate_password(password, user=staff)
        staff.set_password(password)
    staff.full_clean()
    staff.save()
    return staff


@transaction.atomic
def token_create(*, staff: Staff) -> tuple[ApiToken, str]:
    """Issue a new API token; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        staff=staff, digest=token_digest(token), prefix=token[: len(TOKEN_PREFIX) + 6]
    )
    return api_token, token


def token_revoke(*, api_token: ApiToken, now: datetime) -> None:
    """Revoke a token; requests with it are refused from now on."""
    ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(revoked_at=now)


def token_mark_used(*, api_token: ApiToken, now: datetime) -> None:
    """Record that a token was used, at most once a minute (for "laatst gebruikt")."""
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
