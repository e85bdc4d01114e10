"""Writes for staff members and API tokens (STYLE.md, 2)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klachten.accounts.models import ApiToken, Role, Staff
from klachten.core.errors import InvalidInput, InvalidInputs, NotAllowed
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
) -> Staff:
    """Create a staff member; only admins may use the Django admin (R2).

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
    elif role == Role.MANAGEMENT:
        raise InvalidInput(
            "management_email_required",
            _(
                "Een directielid heeft een e-mailadres nodig: de directie hoort elke nieuwe "
                "melding meteen per e-mail (R3). Geef een e-mailadres op."
            ),
            field="email",
        )
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
