"""Django's database sessions, read by a query compiled once (#17 item 2).

Every staff request reads its session first. Django's ``SessionStore`` builds that query
anew each time (``session_key`` and ``expire_date__gt=now``); this one reads the row by its
key with a query compiled once per connection (``klachten.core.prepared``) and checks the
expiry in Python: the same session, or none, as before. A session signed in before
``accounts.backends`` names Django's ``ModelBackend``; it is read as one of ``StaffBackend``,
which that backend became, so nobody is signed out. Everything else is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from klachten.accounts.backends import DJANGO_BACKEND, STAFF_BACKEND
from klachten.core.prepared import Prepared

_BY_KEY = Prepared(
    lambda session_key: Session.objects.filter(session_key=session_key).order_by(),
    texts=["session_key"],
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if self.model is not Session or key is None:  # as Django's own read
            return super()._get_session_from_db()  # type: ignore[misc]
        found = _BY_KEY(session_key=key)
        if not found or found[0].expire_date <= timezone.now():
            self._session_key = None
            return None
        return found[0]

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        if data.get(BACKEND_SESSION_KEY) == DJANGO_BACKEND:
            data[BACKEND_SESSION_KEY] = STAFF_BACKEND
        return data
