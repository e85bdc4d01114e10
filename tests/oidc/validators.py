"""The claims of the test OpenID Connect provider (#15 item 1).

Besides ``sub`` the provider gives what the product maps a staff member by: ``email`` and
``email_verified`` (scope ``email``), ``name``, ``given_name`` and ``family_name`` (scope
``profile``). ``email_verified`` is false for a user in the group :data:`UNVERIFIED_GROUP`, so
the tests can offer an address the product must refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# Users in this group have an e-mail address the provider has not verified.
UNVERIFIED_GROUP = "email-unverified"


def _email_verified(request: Any) -> bool:
    return not request.user.groups.filter(name=UNVERIFIED_GROUP).exists()


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self) -> dict[str, Callable[[Any], object]]:
        """The claims as functions of the request; in this form (no request argument)
        django-oauth-toolkit also lists them as ``claims_supported`` in discovery."""
        return {
            "email": lambda request: request.user.email,
            "email_verified": _email_verified,
            "name": lambda request: request.user.get_full_name(),
            "given_name": lambda request: request.user.first_name,
            "family_name": lambda request: request.user.last_name,
        }
