"""The signed-in staff member, read by a query compiled once (#17 item 2).

Every staff request reads the staff member of its session. Django's ``ModelBackend`` builds
``Staff.objects.get(pk=…)`` anew each time; this backend reads the row with a query compiled
once per connection (``klachten.core.prepared``). Signing in, permissions and what a staff
member who may not sign in gets (``None``) are ``ModelBackend``'s own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from klachten.accounts.models import Staff
from klachten.core.prepared import Prepared

STAFF_BACKEND = "klachten.accounts.backends.StaffBackend"
"""This backend's path, as a session names it."""

DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"
"""The path sessions signed in before this backend name (``accounts.sessions`` maps it)."""

_BY_PK = Prepared(lambda pk: Staff.objects.filter(pk=pk).order_by(), "pk")


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Staff | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return super().get_user(user_id)  # as Django's own read
        found = _BY_PK(pk=pk)
        if not found:
            return None
        staff = found[0]
        return staff if self.user_can_authenticate(staff) else None
