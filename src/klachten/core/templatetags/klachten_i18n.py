"""Django's ``i18n`` template tags, with a ``{% translate %}`` that remembers
(``klachten.core.fasttags``, #17 item 2). The project's templates load ``klachten_i18n``
instead of ``i18n``."""

from klachten.core.fasttags import translate_register as register

__all__ = ["register"]
