"""Writes for staff members and API tokens (STYLE.md, 2)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klachten.accounts.models import ApiToken, Role, SecurityAction, SecurityEvent, Staff
from klachten.core.errors import InvalidInput, InvalidInputs, NotAllowed, RateLimited
from klachten.core.phone import phone_international
from klachten.core.validation import email_address

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
    language: str = "",
    also_management: bool = False,
) -> Staff:
    """Create a staff member; only admins may use the Django admin (R2).

    ``also_management`` makes an admin management as well: without it an admin keeps the
    accounts and the settings but reads no complaint (#15, item 5). It means nothing for the
    other roles.

    Without a password the account cannot log in until one is set. A manager needs an e-mail
    address: management hears of every complaint at once by mail, and an alert that reaches
    nobody breaks R3. Names and the job title refuse line breaks and other control characters
    (they go into mail headers, vCards and calendar feeds); the direct phone number is kept in
    its international form (+31 …) when it parses, for the business card (R14).
    """
    role = Role(role)
    username = username.strip()
    email = email.strip()
    if not username:
        raise InvalidInput("username_required", _("Geef een gebruikersnaam op."), field="username")
    if Staff.objects.filter(username__iexact=username).exists():
        raise NotAllowed(
            "username_taken",
            _("Gebruikersnaam %(username)s bestaat al."),
            {"username": username},
            field="username",
        )
    if email:
        email = email_address(email, field="email")
    phone = phone_international(phone)  # +31 30 760 2211; kept as typed when it does not parse
    staff = Staff(
        username=username,
        email=email,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        job_title=job_title.strip(),
        phone=phone,
        language=language or settings.LANGUAGE_CODE,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        also_management=role == Role.ADMIN and also_management,
    )
    if staff.is_management and not email:
        raise InvalidInput(
            "management_email_required",
            _(
                "Een directielid heeft een e-mailadres nodig: de directie hoort elke nieuwe "
                "melding meteen per e-mail (R3). Geef een e-mailadres op."
            ),
            field="email",
        )
    if password is None:
        staff.set_unusable_password()
    else:
        _django_checked(lambda: validate_password(password, user=staff), field="password")
        staff.set_password(password)
    _django_checked(staff.full_clean)
    staff.save()
    return staff


def _django_checked(check: Callable[[], object], *, field: str | None = None) -> None:
    """Run one of Django's own checks (a password's strength, a model's validators) and say
    what it refuses as the coded errors every service raises, each on its field."""
    try:
        check()
    except ValidationError as error:
        found = (
            error.error_dict.items()
            if hasattr(error, "error_dict")
            else [(field, error.error_list)]
        )
        InvalidInputs.raise_any(
            [
                InvalidInput(
                    each.code or "invalid",
                    "%(message)s",
                    {"message": " ".join(each.messages)},
                    field=None if name == NON_FIELD_ERRORS else name,
                )
                for name, errors in found
                for each in errors
            ]
        )


def staff_set_language(*, staff: Staff, language: str) -> Staff:
    """The language of the mails the system sends this staff member (#10, item 14)."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(
            "invalid_language",
            _("Kies een van de talen: %(choices)s."),
            {"choices": ", ".join(code for code, _name in settings.LANGUAGES)},
            field="language",
        )
    if staff.language != language:
        staff.language = language
        staff.save(update_fields=["language"])
    return staff


@transaction.atomic
def token_create(*, staff: Staff, actor: Staff | None = None) -> tuple[ApiToken, str]:
    """Issue a new API token; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        staff=staff, digest=token_digest(token), prefix=token[: len(TOKEN_PREFIX) + 6]
    )
    security_event_append(
        action=SecurityAction.TOKEN_CREATED,
        now=api_token.created_at,
        username=staff.username,
        actor=actor,
        detail={"prefix": api_token.prefix},
    )
    return api_token, token


@transaction.atomic
def token_revoke(*, api_token: ApiToken, now: datetime, actor: Staff | None = None) -> None:
    """Revoke a token; requests with it are refused from now on."""
    if ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(revoked_at=now):
        security_event_append(
            action=SecurityAction.TOKEN_REVOKED,
            now=now,
            username=api_token.staff.username,
            actor=actor,
            detail={"prefix": api_token.prefix},
        )


def token_mark_used(*, api_token: ApiToken, now: datetime) -> None:
    """Record that a token was used, at most once a minute (for "laatst gebruikt")."""
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now


# --- The security log and the limits on guessing (#15, items 3 and 4) ---------------------------


def security_event_append(
    *,
    action: SecurityAction,
    now: datetime,
    username: str = "",
    actor: Staff | None = None,
    address: str | None = "",
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one entry to the security log. Nothing updates or deletes it."""
    return SecurityEvent.objects.create(
        at=now,
        action=action,
        username=username[:150],
        actor=actor,
        address=(address or "")[:45],
        detail=detail or {},
    )


def _token_window() -> timedelta:
    return timedelta(minutes=settings.KLACHTEN_LOGIN_COOLOFF_MINUTES)


def api_token_check(*, token: str, address: str, now: datetime) -> tuple[Staff, ApiToken] | None:
    """The staff member a bearer token belongs to, or None for a bad token (which is logged).

    An address that sent ``KLACHTEN_API_TOKEN_FAILURE_LIMIT`` bad tokens within the cool-off
    window gets RateLimited for every further bad token until the window has passed (ASVS
    2.2.1); nothing more is written for it, so a flood writes at most the limit per address.
    A good token is answered without counting: its 256 random bits cannot be guessed, and an
    API read keeps its fixed number of queries (tests/api pin them).
    """
    from klachten.accounts.selectors import staff_for_token

    found = staff_for_token(token)
    if found is not None:
        return found
    refused = SecurityEvent.objects.filter(
        action=SecurityAction.TOKEN_REFUSED, address=address, at__gte=now - _token_window()
    ).count()
    if refused >= settings.KLACHTEN_API_TOKEN_FAILURE_LIMIT:
        raise RateLimited(
            "too_many_attempts",
            _(
                "Te veel ongeldige API-sleutels vanaf dit adres. Probeer het over "
                "%(minutes)s minuten opnieuw."
            ),
            {"minutes": settings.KLACHTEN_LOGIN_COOLOFF_MINUTES},
        )
    security_event_append(
        action=SecurityAction.TOKEN_REFUSED,
        now=now,
        address=address,
        # The first characters only: enough to recognise a revoked token of ours.
        detail={"prefix": token[: len(TOKEN_PREFIX) + 6]},
    )
    return None


def login_unlock(
    *, username: str = "", address: str = "", actor: Staff | None, now: datetime
) -> int:
    """Lift the lockout of an account, an address or both (#15, item 3); returns how many
    records of failed attempts were removed. Logged even when there was nothing to lift."""
    from axes.handlers.proxy import AxesProxyHandler

    removed = 0
    if username:
        # Axes keeps the name as typed; one account may have been tried in several spellings.
        for typed in _typed_names(username):
            removed += AxesProxyHandler.reset_attempts(username=typed)
    if address:
        removed += AxesProxyHandler.reset_attempts(ip_address=address)
    security_event_append(
        action=SecurityAction.UNLOCKED,
        now=now,
        username=username,
        actor=actor,
        address=address,
        detail={"removed": removed},
    )
    return removed


def _typed_names(username: str) -> list[str]:
    from axes.models import AccessAttempt

    return list(
        AccessAttempt.objects.filter(username__iexact=username)
        .values_list("username", flat=True)
        .distinct()
    )


def staff_role_label(role: str, also_management: bool) -> str:
    """A role as the security log names it: ``admin+management`` for an admin who is both."""
    return f"{role}+management" if role == Role.ADMIN and also_management else str(role)


def staff_role_changed(*, staff: Staff, before: str, actor: Staff | None, now: datetime) -> None:
    """Log a change of role: who may see which complaints changes with it (R2).

    ``before`` as :func:`staff_role_label` gives it."""
    after = staff_role_label(staff.role, staff.also_management)
    if before != after:
        security_event_append(
            action=SecurityAction.ROLE_CHANGED,
            now=now,
            username=staff.username,
            actor=actor,
            detail={"before": before, "after": after},
        )
