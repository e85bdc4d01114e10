"""Queries compiled once per connection (#17 item 2).

Django builds a query and compiles its SQL anew on every call. For the handful of rows of one
complaint that is about 0.2 ms of Python per query, more than the database takes to answer it,
and a complaint page reads a dozen such lists. A :class:`Prepared` query builds its queryset
once per database connection, with stand-in values for its parameters, keeps the SQL and the
columns' converters, and afterwards runs that SQL with the real values and makes the model
instances as Django's own iterator does (the fields' converters, then ``Model.from_db``).

Only what that can do exactly qualifies, and compiling refuses anything else: one model, every
selected column one of its fields (``only()`` and ``defer()`` are fine), no ``select_related``,
no annotations, and parameters that are integers the driver gets unchanged (ids). A test holds
each prepared query's rows to the same queryset's, field by field.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

_M = TypeVar("_M", bound=Model)

_STAND_INS = itertools.count(-7_300_000_000_000_000_001, -1)
"""Values no id has: each parameter of each prepared query gets its own while compiling."""


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple[Any, ...]
    positions: tuple[tuple[int, str], ...]  # (index in params, parameter name)
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


class Prepared(Generic[_M]):
    """``build(**ids)`` returns the queryset; ``prepared(**ids)`` returns its rows as a list.

    ``build`` is called once per connection, with stand-in values, never with the real ones.
    """

    def __init__(self, build: Callable[..., QuerySet[_M]], *names: str) -> None:
        self.build = build
        self.names = names
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values: int) -> list[_M]:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(using)
        params = list(compiled.params)
        for index, name in compiled.positions:
            value = values[name]
            if type(value) is not int:
                raise TypeError(f"{name} must be an int, not {type(value).__name__}")
            params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        model = cast(type[_M], compiled.model)
        attnames = compiled.attnames
        if compiled.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for index, functions, expression in compiled.converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
        return [model.from_db(using, attnames, row) for row in rows]

    def _compile(self, using: str) -> _Compiled:
        stand_ins = {name: next(_STAND_INS) for name in self.names}
        queryset = self.build(**stand_ins)
        query = queryset.query
        if (
            queryset._iterable_class is not ModelIterable
            or query.select_related
            or query.annotation_select
            or query.extra_select
        ):
            raise ImproperlyConfigured(
                "A prepared query reads model rows of one model only (no values(), "
                "select_related, annotations or extra)."
            )
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select]
        if compiler.klass_info is None or compiler.klass_info["model"] is not queryset.model:
            raise ImproperlyConfigured("A prepared query reads rows of its own model.")
        fields = [getattr(column, "target", None) for column in columns]
        if any(field is None or field.model is not queryset.model for field in fields):
            raise ImproperlyConfigured("A prepared query selects its model's own columns.")
        positions: list[tuple[int, str]] = []
        for name, stand_in in stand_ins.items():
            found = [index for index, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"The parameter {name} must reach the SQL once and unchanged."
                )
            positions.append((found[0], name))
        converters = compiler.get_converters(columns)
        return _Compiled(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            positions=tuple(positions),
            attnames=tuple(field.attname for field in fields),  # type: ignore[union-attr]
            converters=tuple(
                (index, tuple(functions), expression)
                for index, (functions, expression) in converters.items()
            ),
        )
