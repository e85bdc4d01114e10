"""``oidc_provision``: create or update the test provider's users and clients (#15 item 1).

Reads one JSON document from stdin (secrets stay off the command line)::

    {"users": [{"username": …, "password": …, "email": …, "email_verified": true,
                "first_name": …, "last_name": …}],
     "clients": [{"client_id": …, "client_secret": …, "redirect_uris": [...]}]}

A user or client that exists already (same username, same client_id) is updated, so the
tests can change a redirect URI or a user's ``email_verified`` while the provider runs.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from oauth2_provider.models import Application

from tests.oidc.validators import UNVERIFIED_GROUP


class Command(BaseCommand):
    help = "Create or update users and clients of the test OpenID Connect provider (JSON on stdin)."

    def handle(self, *args: Any, **options: Any) -> None:
        document = json.load(sys.stdin)
        with transaction.atomic():
            for user in document.get("users", []):
                _user_provision(user)
            for client in document.get("clients", []):
                _client_provision(client)


def _user_provision(spec: dict[str, Any]) -> None:
    user, _ = User.objects.get_or_create(username=spec["username"])
    user.email = spec.get("email", "")
    user.first_name = spec.get("first_name", "")
    user.last_name = spec.get("last_name", "")
    user.set_password(spec["password"])
    user.save()
    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED_GROUP)
    if spec.get("email_verified", True):
        user.groups.remove(unverified)
    else:
        user.groups.add(unverified)


def _client_provision(spec: dict[str, Any]) -> None:
    application = Application.objects.filter(client_id=spec["client_id"]).first()
    if application is None:
        application = Application(client_id=spec["client_id"])
    application.name = spec.get("name", spec["client_id"])
    application.client_type = Application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.client_secret = spec["client_secret"]  # hashed on save
    application.redirect_uris = " ".join(spec.get("redirect_uris", []))
    application.algorithm = Application.RS256_ALGORITHM
    application.skip_authorization = True  # no consent screen
    application.full_clean(exclude=["user"])
    application.save()
