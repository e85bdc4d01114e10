"""Application errors with a stable code, parameters and a translated message (STYLE.md, 3).

Services raise them; the API turns each into ``{"detail", "code"}`` with its status, and the
web pages show the message next to the field it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise


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


class NotFound(ApplicationError):
    status = 404


class TooLarge(ApplicationError):
    status = 413


class NotAllowed(ApplicationError):
    status = 409


class RateLimited(ApplicationError):
    status = 429
