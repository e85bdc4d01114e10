"""Application errors with a stable code, parameters and a translated message (STYLE.md, 3).

Services raise them; the API turns each into ``{"detail", "code"}`` with its status, and the
web pages show the message next to the field it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class NotFound(ApplicationError):
    status = 404


class TooLarge(ApplicationError):
    status = 413


class NotAllowed(ApplicationError):
    status = 409


class RateLimited(ApplicationError):
    status = 429
