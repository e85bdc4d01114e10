"""Application errors with a stable code, parameters and a translated message (STYLE.md, 3).

Services raise them; the API turns each into ``{"detail", "code"}`` with its status, and the
web pages show the message next to the field it concerns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import InternalError, OperationalError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A refusal the user can act on. ``message`` is a (lazy) translatable %-format string."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str | Promise,
        params: Mapping[str, Any] | None = None,
        *,
        field: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.params = dict(params or {})
        self.field = field
        super().__init__(code)

    @property
    def detail(self) -> str:
        """The message in the active language, with its parameters filled in."""
        text = str(self.message)
        return text % self.params if self.params else text


class InvalidInput(ApplicationError):
    status = 422


class InvalidInputs(InvalidInput):
    """Several problems with the input, reported in one round (UX.md: every error at once).

    Code and field are the first problem's; ``detail`` says every problem; ``errors`` keeps
    each with its own field, so a form can put each next to the field it concerns.
    """

    def __init__(self, errors: Sequence[InvalidInput]) -> None:
        if not errors:
            raise ValueError("InvalidInputs needs at least one error")
        first = errors[0]
        super().__init__(first.code, first.message, first.params, field=first.field)
        self.errors: tuple[InvalidInput, ...] = tuple(
            nested for error in errors for nested in getattr(error, "errors", (error,))
        )

    @property
    def detail(self) -> str:
        """Every problem in the active language, one after the other."""
        return " ".join(error.detail for error in self.errors)

    @classmethod
    def raise_any(cls, errors: Sequence[InvalidInput]) -> None:
        """Raise the one error, or all of them together; nothing when there are none."""
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise cls(errors)


class Problems:
    """Collects the refusals of several checks, so all of them are reported in one round."""

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    def check(self, check: Callable[[], str], fallback: str = "") -> str:
        """The checked value, or ``fallback`` after noting why it was refused."""
        try:
            return check()
        except InvalidInput as error:
            self.found.append(error)
            return fallback


class NotFound(ApplicationError):
    status = 404


class TooLarge(ApplicationError):
    status = 413


class NotAllowed(ApplicationError):
    status = 409


class RateLimited(ApplicationError):
    status = 429


class Forbidden(ApplicationError):
    status = 403


class ServiceUnavailable(ApplicationError):
    status = 503


# --- A database that refuses writes (issue #10, item 21) ----------------------------------------
#
# A full disk, a lock held too long or a read-only database makes a write fail with
# ``OperationalError`` (PostgreSQL: ``InternalError`` for a read-only transaction). The
# transaction is rolled back, so nothing is half-saved; what is left is to tell the person
# plainly, keep what they typed on the screen, and let monitoring see it (``/gezondheid/``).

WRITE_FAILURES: tuple[type[Exception], ...] = (OperationalError, InternalError)
"""The database errors that mean "the database takes no writes now", not a bug of ours."""

_last_write_failure: datetime | None = None


def database_unavailable(*, form: bool = False) -> ServiceUnavailable:
    """The refusal for a write the database did not take; on a form it adds that what was
    typed is still there (the form is shown again with it)."""
    message: str | Promise = _(
        "Er is niets opgeslagen: de database neemt op dit moment geen wijzigingen aan. Probeer "
        "het over een paar minuten opnieuw."
    )
    if form:
        message = format_lazy("{} {}", message, _("Wat u heeft ingevuld, staat er nog."))
    return ServiceUnavailable("database_unavailable", message)


def write_failure_record(error: object) -> None:
    """Remember when a write last failed (for ``/gezondheid/``) and log it once."""
    global _last_write_failure
    _last_write_failure = timezone.now()
    logger.error("A database write failed: %s", error)


def write_failure_last() -> datetime | None:
    """When a write last failed in this process; ``None`` if none did."""
    return _last_write_failure


def write_failure_forget() -> None:
    """Forget the last failure (after a restore, and between tests)."""
    global _last_write_failure
    _last_write_failure = None


@contextmanager
def database_writes() -> Iterator[None]:
    """Turn a write the database refuses into :func:`database_unavailable`.

    Around one service call in a view: the service's transaction has already rolled back,
    and the view shows its form again with everything typed and this message (status 503)::

        try:
            with database_writes():
                complaint = complaint_register(...)
        except ServiceUnavailable as error:
            ...
    """
    try:
        yield
    except WRITE_FAILURES as error:
        write_failure_record(error)
        raise database_unavailable(form=True) from error
