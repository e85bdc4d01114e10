"""``{% url %}`` and ``{% translate %}`` that remember what does not change (#17 item 2).

A staff page holds dozens of each. ``{% translate "Opslaan" %}`` looks up the active language
and its catalogue on every render, and ``{% url 'home' %}`` walks the URLconf's patterns: on
the complaint page that was 1.4 ms of its 10. Both answer the same on every request as long as
the language, the URLconf and the script prefix are the same, so:

- ``translate``/``trans`` of a literal message without filters or message context is
  remembered per language and autoescape (``i18n``: this module's ``translate_register``;
  every other tag of Django's ``i18n`` library is Django's own);
- ``url`` of a view without arguments is remembered per URLconf, script prefix, language
  and current app (``url_register``, a builtin). A URL with positional arguments (a complaint's
  reference) is never remembered: that would only pay off for a page opened again. Instead the
  view's patterns are looked up once (namespaces walked, the candidate patterns and their
  checks compiled; ``_routes``), and each URL is built from them by the steps of Django's own
  ``URLResolver._reverse_with_prefix``: the converters' ``to_url``, the pattern's check of the
  result, and the same quoting.

Anything else goes to Django's own nodes, unchanged. The cache is bounded and emptied when a
test changes the settings.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django import template
from django.core.signals import setting_changed
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode, url
from django.templatetags import i18n
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import get_ns_resolver
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS, escape_leading_slashes
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


@dataclass(frozen=True)
class _Route:
    """One way to build a view's URL with so many arguments (Django's reverse_dict entry)."""

    pattern: str  # the prefix and the route, with %(name)s per argument
    params: tuple[str, ...]
    converters: dict[str, Any]
    check: re.Pattern[str]


@lru_cache(maxsize=512)
def _routes(
    view_name: str, count: int, prefix: str, urlconf: Any, language: str | None
) -> tuple[_Route, ...] | None:
    """The routes of ``view_name`` taking ``count`` positional arguments, in Django's order;
    ``None`` where the current app could choose between instances of a namespace (left to
    Django). ``prefix``, ``urlconf`` and ``language`` are the cache key: the patterns depend on
    them."""
    resolver = get_resolver(urlconf)
    *path, view = view_name.split(":")
    ns_pattern, ns_converters = "", {}
    for ns in path:
        if resolver.app_dict.get(ns, [ns]) != [ns]:
            return None  # an application namespace with instances: reverse() picks one
        try:
            extra, resolver = resolver.namespace_dict[ns]
        except KeyError:
            return None  # Django's reverse says what is missing
        ns_pattern += extra
        ns_converters.update(resolver.pattern.converters)
    if ns_pattern:
        resolver = get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))
    return tuple(
        _Route(
            prefix.replace("%", "%%") + result,
            tuple(params),
            converters,
            re.compile("^%s%s" % (re.escape(prefix), pattern)),  # noqa: UP031 - as Django's
        )
        for possibility, pattern, _defaults, converters in resolver.reverse_dict.getlist(view)
        for result, params in possibility
        if len(params) == count
    )


def _built(routes: tuple[_Route, ...], args: list[Any]) -> str | None:
    """The URL of the first route the arguments fit, as ``_reverse_with_prefix`` builds it."""
    for route in routes:
        subs: dict[str, str] = {}
        for name, value in zip(route.params, args, strict=True):
            converter = route.converters.get(name)
            if converter is None:
                subs[name] = str(value)
                continue
            try:
                subs[name] = converter.to_url(value)
            except ValueError:
                break
        else:
            candidate = route.pattern % subs
            if route.check.search(candidate):
                return escape_leading_slashes(quote(candidate, safe=RFC3986_SUBDELIMS + "/~:@"))
    return None


def _from_routes(view_name: str, args: list[Any]) -> str | None:
    routes = _routes(view_name, len(args), get_script_prefix(), get_urlconf(), get_language())
    return _built(routes, args) if routes is not None else None


def reverse_args(view_name: str, *args: Any) -> str:
    """``reverse(view_name, args=args)``, built from the view's routes looked up once: for tags
    that build a URL per message or per row."""
    found = _from_routes(view_name, list(args))
    return found if found is not None else reverse(view_name, args=args)


class RememberedURLNode(URLNode):
    """``{% url 'name' %}`` without arguments: reversed once per URLconf and prefix; with
    positional arguments: built from the view's routes, looked up once."""

    def render(self, context: Context) -> str:
        if self.kwargs:
            return str(super().render(context))
        if self.args:
            return self._render_with_args(context)
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

    def _render_with_args(self, context: Context) -> str:
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str):
            return str(super().render(context))
        found = _from_routes(view_name, [arg.resolve(context) for arg in self.args])
        if found is None:  # Django's own node raises, or gives "" with ``as``
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
    _routes.cache_clear()
    for node in _REMEMBERED:
        node.memory.clear()


setting_changed.connect(_forget, dispatch_uid="klachten-fasttags-forget")
