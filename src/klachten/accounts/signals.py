"""Logins, failed logins and lockouts into the security log (#15, item 3).

The receivers of Django's signals connect when this module is imported, in the accounts app's
``ready()``, before axes (last in ``INSTALLED_APPS``) connects its own: a failed login is
logged before the lockout it causes. ``locked_out`` is connected to axes' signal there.

Django and django-axes announce them as signals; these receivers only write the log and stamp
the session's start for the session limits (``accounts.middleware``).
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from klachten.accounts.models import SecurityAction, Staff
from klachten.accounts.services import security_event_append

# The moment of login, as a POSIX timestamp, in the session (accounts.middleware).
SESSION_LOGIN_AT = "klachten_login_at"
SESSION_SEEN_AT = "klachten_seen_at"


def request_address(request: HttpRequest | None) -> str:
    """The client's address as the lockout counts it (``AXES_CLIENT_IP_CALLABLE``)."""
    if request is None:
        return ""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return address or ""


@receiver(user_logged_in, dispatch_uid="klachten.accounts.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Staff, **kwargs: Any) -> None:
    now = timezone.now()
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = now.timestamp()
        request.session[SESSION_SEEN_AT] = now.timestamp()
    security_event_append(
        action=SecurityAction.LOGIN,
        now=now,
        username=user.username,
        actor=user,
        address=request_address(request),
        # How: "password", "mfa" (the second factor), "socialaccount" (the organisation's SSO).
        detail={"methods": login_methods(request, user)},
    )


def login_methods(request: HttpRequest | None, user: Staff) -> list[str]:
    """The ways this session's user proved who they are, in order (allauth keeps them)."""
    from allauth.account.authentication import get_authentication_records

    if request is None or not hasattr(request, "session"):
        return []
    return [str(record.get("method")) for record in get_authentication_records(request, user)]


@receiver(user_logged_out, dispatch_uid="klachten.accounts.logout")
def _logged_out(
    sender: Any, request: HttpRequest | None, user: Staff | None, **kwargs: Any
) -> None:
    if user is None or getattr(request, "klachten_session_expired", False):
        return  # an expired session is logged as such (accounts.middleware)
    security_event_append(
        action=SecurityAction.LOGOUT,
        now=timezone.now(),
        username=user.username,
        actor=user,
        address=request_address(request),
    )


def _refused_while_locked(request: HttpRequest | None) -> bool:
    """Whether the lockout backend refused this attempt before any password was checked.

    Axes marks a request locked both when the backend refuses it and when this very failure
    reaches the limit; only in the latter has it counted the failures.
    """
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


@receiver(user_login_failed, dispatch_uid="klachten.accounts.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_event_append(
        action=SecurityAction.LOGIN_FAILED,
        now=timezone.now(),
        username=str(credentials.get("username") or ""),
        address=request_address(request),
        # Refused while locked: the password was not even checked.
        detail={"while_locked_out": _refused_while_locked(request)},
    )


def locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return  # a further attempt while locked: logged as a failed login already
    security_event_append(
        action=SecurityAction.LOCKED_OUT,
        now=timezone.now(),
        username=username or "",
        address=ip_address or "",
        detail={"failures": failures},
    )


def _mfa_event(action: SecurityAction) -> Any:
    def receiver(sender: Any, request: HttpRequest | None, user: Staff, **kwargs: Any) -> None:
        authenticator = kwargs.get("authenticator")
        security_event_append(
            action=action,
            now=timezone.now(),
            username=user.username,
            actor=user,
            address=request_address(request),
            detail={"type": getattr(authenticator, "type", "")},
        )

    return receiver


def connect_mfa_signals() -> None:
    """Second factors added, removed, renewed and failed into the security log (#15, 2–3)."""
    from allauth.mfa import signals as mfa

    for signal, action in (
        (mfa.authenticator_added, SecurityAction.MFA_ADDED),
        (mfa.authenticator_removed, SecurityAction.MFA_REMOVED),
        (mfa.authenticator_reset, SecurityAction.MFA_CODES_RENEWED),
        (mfa.authentication_failed, SecurityAction.MFA_FAILED),
    ):
        signal.connect(
            _mfa_event(action), dispatch_uid=f"klachten.accounts.{action.value}", weak=False
        )
