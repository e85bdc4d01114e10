"""``{% url %}`` and ``{% translate %}`` that remember what does not change (#17 item 2).

A staff page holds dozens of each. ``{% translate "Opslaan" %}`` looks up the active language
and its catalogue on every render, and ``{% url 'home' %}`` walks the URLconf's patterns: on
the complaint page that was 1.4 ms of its 10. Both answer the same on every request as long as
the language, the URLconf and the script prefix are the same, so:

- ``translate``/``trans`` of a literal message without filters or message context is
  remembered per language and autoescape (``i18n``: this module's ``translate_register``;
  every other tag of Django's ``i18n`` library is Django's own);
- ``url`` of a view without arguments is remembered per URLconf, script prefix, language
  and current app (``url_register``, a builtin). A URL with arguments (a complaint's reference) is
  reversed as before: remembering those would only pay off for a page opened again.

Anything else goes to Django's own nodes, unchanged. The cache is bounded and emptied when a
test changes the settings.
"""

from __future__ import annotations

import weakref
from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode, url
from django.templatetags import i18n
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

translate_register = template.Library()
translate_register.tags.update(i18n.register.tags)
translate_register.filters.update(i18n.register.filters)

url_register = template.Library()


class RememberedTranslateNode(i18n.TranslateNode):
    """``{% translate "literal" %}``: the rendered text per language, once."""

    def __init__(self, node: i18n.TranslateNode) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        expression = node.filter_expression
        self.literal: str | None = (
            expression.var.literal
            if not expression.filters
            and isinstance(expression.var, template.Variable)
            and expression.var.lookups is None
            and isinstance(expression.var.literal, str)
            and node.message_context is None
            else None
        )
        self.memory: dict[tuple[Any, ...], str] = {}

    def render(self, context: Context) -> str:
        if self.literal is None:
            return super().render(context)
        key = (get_language(), context.autoescape)
        value = self.memory.get(key)
        if value is None:
            asvar, self.asvar = self.asvar, None
            try:
                value = super().render(context)
            finally:
                self.asvar = asvar
            if len(self.memory) < 16:  # a handful of languages × autoescape
                self.memory[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


_REMEMBERED: weakref.WeakSet[RememberedTranslateNode] = weakref.WeakSet()


def _remembered(node: template.Node) -> template.Node:
    if type(node) is i18n.TranslateNode:
        remembered = RememberedTranslateNode(node)
        _REMEMBERED.add(remembered)
        return remembered
    return node


@translate_register.tag("translate")
@translate_register.tag("trans")
def do_translate(parser: Parser, token: Token) -> template.Node:
    return _remembered(i18n.do_translate(parser, token))


@lru_cache(maxsize=512)
def _reverse(
    view_name: str, current_app: str | None, prefix: str, urlconf: Any, language: str | None
) -> str:
    # ``prefix``, ``urlconf`` and ``language`` are the cache key: reverse() reads them.
    return reverse(view_name, current_app=current_app)


class RememberedURLNode(URLNode):
    """``{% url 'name' %}`` without arguments: reversed once per URLconf and prefix."""

    def render(self, context: Context) -> str:
        if self.args or self.kwargs:
            return str(super().render(context))
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        if not isinstance(view_name, str) or not (
            current_app is None or isinstance(current_app, str)
        ):
            return str(super().render(context))
        try:
            found = _reverse(
                view_name, current_app, get_script_prefix(), get_urlconf(), get_language()
            )
        except NoReverseMatch:  # raised, or "" with ``as``, by Django's own node
            return str(super().render(context))
        if self.asvar:
            context[self.asvar] = found
            return ""
        return str(conditional_escape(found)) if context.autoescape else found


@url_register.tag("url")
def do_url(parser: Parser, token: Token) -> template.Node:
    node = url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


def _forget(**kwargs: Any) -> None:
    _reverse.cache_clear()
    for node in _REMEMBERED:
        node.memory.clear()


setting_changed.connect(_forget, dispatch_uid="klachten-fasttags-forget")
