"""A builtin ``{% url %}`` that remembers URLs without arguments (``fasttags``)."""

from klachten.core.fasttags import url_register as register

__all__ = ["register"]
