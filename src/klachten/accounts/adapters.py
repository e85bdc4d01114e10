"""What django-allauth may do here: sign staff in, never make accounts (#15, items 1 and 2).

Accounts and roles are kept in the product (Instellingen, ``klachten createstaff``); a login
at the institute's OpenID Connect provider only says *which* existing staff member signs in,
by an e-mail address the provider vouches for. R2: nobody gets to complaints by signing in.
"""

from __future__ import annotations

import os
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.accounts.models import SecurityAction, Staff
from klachten.accounts.services import security_event_append
from klachten.accounts.signals import request_address


class StaffAccountAdapter(DefaultAccountAdapter):
    """No sign-up; after login the start page."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse(settings.LOGIN_REDIRECT_URL)


def verified_addresses(data: dict[str, Any]) -> list[str]:
    """The e-mail addresses the provider vouches for, in lower case.

    ``email_verified`` (OpenID Connect Core 5.1) where the provider sends it; Microsoft Entra ID
    sends ``xms_edov`` ("e-mail domain owner verified") when the app registration asks for it,
    and otherwise nothing, though an address in the tenant's own verified domains cannot be
    someone else's: those domains are named in ``KLACHTEN_OIDC_VERIFIED_DOMAINS``.
    """
    email = str(data.get("email") or "").strip().lower()
    if not email or "@" not in email:
        return []
    if _truthy(data.get("email_verified")) or _truthy(data.get("xms_edov")):
        return [email]
    domains = {
        domain.strip().lower().lstrip("@")
        for domain in os.environ.get("KLACHTEN_OIDC_VERIFIED_DOMAINS", "").split(",")
        if domain.strip()
    }
    if email.rsplit("@", 1)[1] in domains:
        return [email]
    return []


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """The provider's claims: the ID token's, with the user-info answer over them."""
    extra = sociallogin.account.extra_data or {}
    claims: dict[str, Any] = {}
    for part in ("id_token", "userinfo"):
        if isinstance(extra.get(part), dict):
            claims.update(extra[part])
    if not claims and isinstance(extra, dict):
        claims = dict(extra)
    return claims


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Maps a provider login to an existing, active staff member by verified e-mail address."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                self._refuse(request, sociallogin, "inactive")
            return
        addresses = verified_addresses(_claims(sociallogin))
        matches = list(
            Staff.objects.filter(email__iexact=addresses[0], is_active=True)[:2]
            if addresses
            else []
        )
        if len(matches) != 1:
            reason = "unverified" if not addresses else ("ambiguous" if matches else "unknown")
            self._refuse(request, sociallogin, reason)
        staff = matches[0]
        # The link is made once; from then on the provider's subject (``sub``) says who it is,
        # even if the address changes at either end.
        sociallogin.connect(request, staff)
        security_event_append(
            action=SecurityAction.SSO_LINKED,
            now=timezone.now(),
            username=staff.username,
            actor=staff,
            address=request_address(request),
            detail={"provider": sociallogin.account.provider, "email": addresses[0]},
        )

    def _refuse(self, request: HttpRequest, sociallogin: SocialLogin, reason: str) -> None:
        claims = _claims(sociallogin)
        security_event_append(
            action=SecurityAction.SSO_REFUSED,
            now=timezone.now(),
            username=str(claims.get("email") or claims.get("sub") or "")[:150],
            actor=None,
            address=request_address(request),
            detail={"provider": sociallogin.account.provider, "reason": reason},
        )
        text = {
            "unverified": _(
                "Uw organisatie gaf geen bevestigd e-mailadres door. Vraag de beheerder om hulp."
            ),
            "inactive": _("Dit account is uitgeschakeld. Vraag de beheerder om hulp."),
        }.get(
            reason,
            _(
                "Er is geen medewerker met dit e-mailadres in Kerngroep Klachten. Vraag de "
                "beheerder een account voor u aan te maken met hetzelfde e-mailadres."
            ),
        )
        messages.error(request, text)
        raise ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        security_event_append(
            action=SecurityAction.SSO_REFUSED,
            now=timezone.now(),
            username="",
            actor=None,
            address=request_address(request),
            detail={"provider": getattr(provider, "id", ""), "reason": str(error or "error")},
        )
        messages.error(
            request,
            _(
                "Inloggen bij uw organisatie is niet gelukt of afgebroken. Probeer het opnieuw "
                "of vraag de beheerder om hulp."
            ),
        )
        raise ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))


class StaffMfaAdapter(DefaultMFAAdapter):
    """The authenticator app shows the product's name and the user name."""

    def get_totp_label(self, user: Any) -> str:
        return str(user.username)
