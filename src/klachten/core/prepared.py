"""Queries compiled once per connection (#17 item 2).

Django builds a query and compiles its SQL anew on every call. For the handful of rows of one
complaint that is about 0.2 ms of Python per query, more than the database takes to answer it,
and a complaint page reads a dozen such lists. A :class:`Prepared` query builds its queryset
once per database connection, with stand-in values for its parameters, keeps the SQL and the
columns' converters, and afterwards runs that SQL with the real values and makes the model
instances as Django's own iterator does (the fields' converters, ``Model.from_db`` or, for a
plain model nobody listens to, what it does, and the related objects of ``select_related`` by
Django's own populators). :class:`PreparedValues` does the same for a ``values_list()`` and
:class:`PreparedCounts` for several counts in one ``SELECT``.

Only what that can do exactly qualifies, and compiling refuses anything else: model rows (or a
``values_list()`` of fields), every selected column a field (``only()``, ``defer()`` and
``select_related`` are fine), no annotations or extra columns, and parameters that reach the
SQL as the driver gets them: ids (``int``), exact text (``texts``) and aware datetimes
(``moments``, as the column takes them). A test holds each prepared query's rows to the same
queryset's, field by field.

On PostgreSQL the server parses and plans each statement anew too: for the short reads of a
complaint page that is about as long as running them. There a prepared query is also a
prepared statement of the session (``PREPARE``, once per database connection, with its
constant values written into it and the ids and text as ``$1``, ``$2`` …), and each call is an
``EXECUTE`` of it. Django's query log shows that ``EXECUTE``; ``statement_sql`` gives the SQL
behind it. A statement PostgreSQL will not prepare runs as plain SQL instead, and so does one
with a moment among its parameters (a range's bound, which a generic plan cannot weigh).
"""

from __future__ import annotations

import inspect
import itertools
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

_M = TypeVar("_M", bound=Model)
_R = TypeVar("_R")

_STAND_INS = itertools.count(-7_300_000_000_000_000_001, -1)
"""Values no id has: each parameter of each prepared query gets its own while compiling."""

_MOMENTS = itertools.count(1)
"""Moments no row holds (``moments``): in the year 1111, a second and a microsecond apart."""


def _moment_stand_in() -> datetime:
    n = next(_MOMENTS)
    return datetime(1111, 11, 11, tzinfo=UTC) + timedelta(seconds=n, microseconds=n % 997 + 1)


_Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
"""Per column with converters: its index, the converters, the expression they are given."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: tuple[tuple[int, str], ...]  # (index in params, parameter name)
    shape: Any  # what makes the driver's rows into the answer (per kind of statement)
    execute: str = ""  # PostgreSQL: EXECUTE of the session's statement, %s per name in ``order``
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class _ModelShape:
    model: type[Model]
    start: int  # the model's own columns: row[start:end]
    end: int
    attnames: tuple[str, ...]
    converters: _Converters
    populators: tuple[Any, ...]  # Django's RelatedPopulator per select_related object
    # Each column's attribute and place in row[start:end], in the model's field order; empty
    # when the model needs Django's own from_db (``_plain``).
    plain: tuple[tuple[str, int], ...] = ()


def _plain(model: type[Model], attnames: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The columns in the model's field order, when an instance can be made by filling its
    ``__dict__`` as ``Model.__init__`` does for rows: no ``__init__``, ``from_db`` or
    ``__setattr__`` of its own, and each column's attribute Django's plain descriptor, which
    keeps the value in the instance's ``__dict__`` as set (signals are checked per call)."""
    if (
        model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__  # type: ignore[attr-defined]
        or model.__setattr__ is not object.__setattr__
        or model.__new__ is not object.__new__
    ):
        return ()
    benign = (DeferredAttribute, ForeignKeyDeferredAttribute)
    if any(type(inspect.getattr_static(model, name, None)) not in benign for name in attnames):
        return ()
    order = {field.attname: n for n, field in enumerate(model._meta.concrete_fields)}
    return tuple(
        sorted(((name, index) for index, name in enumerate(attnames)), key=lambda c: order[c[0]])
    )


_STATEMENTS = itertools.count(1)
_STATEMENT_SQL: dict[str, str] = {}
"""Each statement name's SQL, for ``statement_sql``."""


def statement_sql(sql: str) -> str:
    """The SQL an ``EXECUTE`` of a prepared query stands for (any other SQL as it is): what
    a test that reads Django's query log looks at."""
    if sql.startswith("EXECUTE klachten_"):
        return _STATEMENT_SQL.get(sql.removeprefix("EXECUTE ").split("(")[0], sql)
    return sql


def _numbered(sql: str, params: tuple[Any, ...], positions: dict[int, int], literal: Any) -> str:
    """Django's SQL with ``%s`` the named values as ``$n`` (``positions``: index → n) and the
    other values as SQL literals, ``%%`` as ``%``."""
    parts = re.split(r"(%%|%s)", sql)
    index, out = 0, []
    for part in parts:
        if part == "%%":
            out.append("%")
        elif part == "%s":
            number = positions.get(index)
            out.append(f"${number}" if number is not None else literal(params[index]))
            index += 1
        else:
            out.append(part)
    return "".join(out)


def _converted(rows: list[Any], converters: _Converters, connection: Any) -> list[Any]:
    """``rows`` with each column's converters applied, as Django's ``apply_converters``."""
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for index, functions, expression in converters:
            value = row[index]
            for function in functions:
                value = function(value, expression, connection)
            row[index] = value
    return rows


def _converters(compiler: Any, columns: list[Any]) -> _Converters:
    return tuple(
        (index, tuple(functions), expression)
        for index, (functions, expression) in compiler.get_converters(columns).items()
    )


def counts_sql(querysets: Iterable[QuerySet[Any]]) -> tuple[str, list[Any]]:
    """One ``SELECT`` of how many rows each queryset selects: a ``COUNT(*)`` of each as a
    subquery, which both databases plan as the count alone (the same index range), in one
    round trip instead of one per count (#17 items 2, 3). A queryset that cannot select
    anything (``pk__in=[]``) counts ``0`` without being asked."""
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        try:
            sql, more = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(parts)})")  # noqa: S608 - Django's compiled SQL; the values go as parameters
        params.extend(more)
    return f"SELECT {', '.join(parts)}", params


def _fields_query(
    queryset: QuerySet[Any], using: str, iterable: type, kind: str
) -> tuple[Any, str, Any, list[Any]]:
    """The compiler, SQL, parameters and selected columns of a queryset that reads its rows
    by ``iterable`` and selects fields only (no annotations, extra columns or expressions)."""
    query = queryset.query
    if queryset._iterable_class is not iterable or query.annotation_select or query.extra_select:
        raise ImproperlyConfigured(f"{kind} (no other iterable, annotations or extra).")
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    if any(getattr(column, "target", None) is None for column in columns):
        raise ImproperlyConfigured(f"{kind} of fields only.")
    return compiler, sql, params, columns


class _Statement(Generic[_R]):
    """A query built once per connection with stand-in values, run with the real ones.

    ``build(**values)`` returns what the subclass compiles; ``names`` are ids (``int``),
    ``texts`` exact text (``str``), ``moments`` aware datetimes, passed as the field's
    column takes them. ``build`` is called once per connection, with stand-in values, never
    with the real ones.
    """

    def __init__(
        self,
        build: Callable[..., Any],
        *names: str,
        texts: Iterable[str] = (),
        moments: Iterable[str] = (),
    ) -> None:
        self.build = build
        self.kinds: dict[str, type] = (
            dict.fromkeys(names, int) | dict.fromkeys(texts, str) | dict.fromkeys(moments, datetime)
        )
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()
        # PostgreSQL: the driver's connections whose session holds the statement (True), or
        # would not prepare it (False). Django opens a new one after a failed health check.
        self._sessions: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
        self.statement = f"klachten_{next(_STATEMENTS)}"
        # Rows read ahead (``read_ahead``) per connection, by values, each taken once.
        self._ahead: weakref.WeakKeyDictionary[Any, dict[Any, _R]] = weakref.WeakKeyDictionary()

    def ask(self, **values: Any) -> Call:
        """This query with these values, for :func:`read_ahead`."""
        return self, values

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> _R:
        connection = connections[using]
        compiled = self._compiled_for(connection, using)
        self._check(values, connection)
        if not compiled.sql:
            return self._made(compiled, [], connection, using)
        ahead = self._ahead.get(connection)
        if ahead is not None and (found := ahead.pop(_key(values), None)) is not None:
            return found
        with connection.cursor() as cursor:
            if compiled.execute and self._session_holds(connection.connection):
                cursor.execute(compiled.execute, [values[name] for name in compiled.order])
            else:
                params = list(compiled.params)
                for index, name in compiled.positions:
                    params[index] = values[name]
                cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._made(compiled, rows, connection, using)

    def _compiled_for(self, connection: Any, using: str) -> _Compiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(using)
        return compiled

    def _check(self, values: dict[str, Any], connection: Any) -> None:
        """Each value of its kind; a moment as the database takes it, text choices as text."""
        for name, kind in self.kinds.items():
            value = values[name]
            if kind is datetime:
                if not isinstance(value, datetime) or value.utcoffset() is None:
                    raise TypeError(f"{name} must be an aware datetime, not {value!r}")
                values[name] = connection.ops.adapt_datetimefield_value(value)
            elif kind is str and isinstance(value, str) and type(value) is not str:
                values[name] = str.__str__(value)  # a text choice (an enum) as its text
            elif type(value) is not kind:  # bool is an int, but never an id
                raise TypeError(f"{name} must be {kind.__name__}, not {type(value).__name__}")

    def _query(self, built: Any, using: str) -> tuple[str, tuple[Any, ...], Any]:
        """The SQL, its parameters and the shape of its rows; EmptyResultSet for no query."""
        raise NotImplementedError

    def _made(self, compiled: _Compiled, rows: list[Any], connection: Any, using: str) -> _R:
        raise NotImplementedError

    def _session_holds(self, session: Any) -> bool:
        """Whether the driver's connection has the statement, preparing it on first use.

        ``PREPARE`` outlives a transaction that is rolled back, so it is done once per
        session. Inside a transaction it runs in a savepoint, so that a statement PostgreSQL
        refuses leaves the transaction as it was; in a transaction that already failed it is
        not tried (the plain SQL fails as it would have)."""
        held = self._sessions.get(session)
        if held is not None:
            return held
        import psycopg
        from psycopg import pq

        status = session.info.transaction_status
        if status == pq.TransactionStatus.INERROR:
            return False
        inside = status != pq.TransactionStatus.IDLE
        sql = _STATEMENT_SQL[self.statement]
        try:
            if inside:
                session.execute("SAVEPOINT klachten_prepare")
            session.execute(f"PREPARE {self.statement} AS {sql}")
            if inside:
                session.execute("RELEASE SAVEPOINT klachten_prepare")
            held = True
        except psycopg.Error:
            if inside:
                session.execute("ROLLBACK TO SAVEPOINT klachten_prepare")
                session.execute("RELEASE SAVEPOINT klachten_prepare")
            held = False
        self._sessions[session] = held
        return held

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        stand_ins: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            if kind is int:
                stand_ins[name] = next(_STAND_INS)
            elif kind is str:
                stand_ins[name] = f"⟪prepared {next(_STAND_INS)}⟫"
            else:
                stand_ins[name] = _moment_stand_in()
        try:
            sql, params, shape = self._query(self.build(**stand_ins), using)
        except EmptyResultSet:  # a filter such as pk__in=[]: no rows, and no query, as Django
            return _Compiled("", (), (), None)
        passed = dict(stand_ins)
        self._check(passed, connection)  # each stand-in as the driver gets it
        positions: list[tuple[int, str]] = []
        for name, stand_in in passed.items():
            found = [index for index, param in enumerate(params) if param == stand_in]
            if not found:
                raise ImproperlyConfigured(f"The parameter {name} must reach the SQL unchanged.")
            positions += [(index, name) for index in found]
        execute, order = "", cast(tuple[str, ...], ())
        # A moment stays a parameter of plain SQL: a prepared statement may switch to a
        # generic plan, which cannot know how much of a range "before $1" selects.
        if connection.vendor == "postgresql" and datetime not in self.kinds.values():
            numbers = {name: n for n, name in enumerate(dict.fromkeys(stand_ins), 1)}
            _STATEMENT_SQL[self.statement] = _numbered(
                sql,
                tuple(params),
                {index: numbers[name] for index, name in positions},
                lambda value: connection.ops.compose_sql("%s", [value]),  # type: ignore[attr-defined]
            )
            order = tuple(numbers)
            execute = f"EXECUTE {self.statement}" + (
                f"({', '.join(['%s'] * len(order))})" if order else ""
            )
        return _Compiled(
            sql=sql,
            params=tuple(params),
            positions=tuple(positions),
            shape=shape,
            execute=execute,
            order=order,
        )


class Prepared(_Statement[list[_M]]):
    """``build(**values)`` returns the queryset; ``prepared(**values)`` returns its rows as a
    list of model instances."""

    def __init__(
        self,
        build: Callable[..., QuerySet[_M]],
        *names: str,
        texts: Iterable[str] = (),
        moments: Iterable[str] = (),
    ) -> None:
        super().__init__(build, *names, texts=texts, moments=moments)
        self._joined: dict[tuple[str, ...], Prepared[_M]] = {}

    def joined(self, *fields: str) -> Prepared[_M]:
        """The same query with ``select_related(*fields)``, compiled once too."""
        found = self._joined.get(fields)
        if found is None:
            build = self.build
            found = self._joined[fields] = Prepared(
                lambda **values: build(**values).select_related(*fields),
                *(name for name, kind in self.kinds.items() if kind is int),
                texts=[name for name, kind in self.kinds.items() if kind is str],
                moments=[name for name, kind in self.kinds.items() if kind is datetime],
            )
        return found

    def _query(self, built: Any, using: str) -> tuple[str, tuple[Any, ...], Any]:
        queryset = cast(QuerySet[_M], built)
        compiler, sql, params, columns = _fields_query(
            queryset, using, ModelIterable, "A prepared query reads model rows"
        )
        klass_info = compiler.klass_info
        if klass_info is None or klass_info["model"] is not queryset.model:
            raise ImproperlyConfigured("A prepared query reads rows of its own model.")
        own = klass_info["select_fields"]
        start, end = own[0], own[-1] + 1
        if any(column.target.model is not queryset.model for column in columns[start:end]):
            raise ImproperlyConfigured("A prepared query selects its model's own columns.")
        attnames = tuple(column.target.attname for column in columns[start:end])
        shape = _ModelShape(
            model=queryset.model,
            start=start,
            end=end,
            attnames=attnames,
            converters=_converters(compiler, columns),
            populators=tuple(get_related_populators(klass_info, compiler.select, using)),
            plain=_plain(queryset.model, attnames),
        )
        return sql, tuple(params), shape

    def _made(self, compiled: _Compiled, rows: list[Any], connection: Any, using: str) -> list[_M]:
        """The model instances of ``rows``, as Django's iterator makes them."""
        shape = cast(_ModelShape | None, compiled.shape)
        if shape is None:
            return []
        rows = _converted(rows, shape.converters, connection)
        model = cast(type[_M], shape.model)
        attnames, start, end = shape.attnames, shape.start, shape.end
        if shape.plain and not (pre_init.has_listeners(model) or post_init.has_listeners(model)):
            # What from_db does, without its per-field loop and signals nobody hears: a fifth
            # of the time for the fifty members of staff every complaint page reads (#17).
            found = []
            new, plain = object.__new__, shape.plain
            for row in rows:
                instance = new(model)
                state = ModelState()
                state.adding, state.db = False, using
                values = instance.__dict__
                values["_state"] = state
                for name, index in plain:
                    values[name] = row[start + index]
                found.append(instance)
        else:
            found = [model.from_db(using, attnames, row[start:end]) for row in rows]
        for populator in shape.populators:
            for row, instance in zip(rows, found, strict=True):
                populator.populate(row, instance)
        return found


class PreparedValues(_Statement[list[tuple[Any, ...]]]):
    """A ``values_list()`` queryset (of fields, not flat) compiled once: its rows as tuples,
    each column converted as Django converts it (on SQLite a datetime is text until then).
    A slice is part of the query: build one per page size and offset."""

    def _query(self, built: Any, using: str) -> tuple[str, tuple[Any, ...], Any]:
        compiler, sql, params, columns = _fields_query(
            cast(QuerySet[Any], built),
            using,
            ValuesListIterable,
            "Prepared values are a values_list()",
        )
        return sql, tuple(params), _converters(compiler, columns)

    def _made(
        self, compiled: _Compiled, rows: list[Any], connection: Any, using: str
    ) -> list[tuple[Any, ...]]:
        if compiled.shape is None:
            return []
        return [tuple(row) for row in _converted(rows, compiled.shape, connection)]


class PreparedCounts(_Statement[list[int]]):
    """How many rows each of the querysets ``build(**values)`` returns selects, in one query
    compiled once (``counts_sql``)."""

    def _query(self, built: Any, using: str) -> tuple[str, tuple[Any, ...], Any]:
        querysets = list(built)
        sql, params = counts_sql(querysets)
        return sql, tuple(params), len(querysets)

    def _made(self, compiled: _Compiled, rows: list[Any], connection: Any, using: str) -> list[int]:
        return [int(count or 0) for count in rows[0]]


Call = tuple[_Statement[Any], dict[str, Any]]
"""A prepared query and its values (``Prepared.ask``)."""


def _key(values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(values.items()))


@contextmanager
def read_ahead(calls: Iterable[Call], using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block, each of ``calls`` is answered from one round trip at its start.

    On PostgreSQL a page's short reads wait for the server one after the other, each about a
    tenth of a millisecond. Here the ``EXECUTE`` of each call's statement goes in one message
    (PostgreSQL runs them in one implicit transaction, so they also read one snapshot); each
    result is made into its rows at once and kept for the call with the same values, which
    takes it once. Anything not taken is forgotten when the block ends. On SQLite, which has no
    round trips, and for a statement the session did not prepare, every call reads as usual.
    Only reads belong here, asked after the request's last write.
    """
    connection = connections[using]
    batch: list[tuple[_Statement[Any], _Compiled, dict[str, Any]]] = []
    try:  # whatever happens, nothing read ahead outlives the block
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                session = connection.connection
                for prepared, asked in calls:
                    values = dict(asked)
                    compiled = prepared._compiled_for(connection, using)
                    prepared._check(values, connection)
                    if compiled.execute and prepared._session_holds(session):
                        batch.append((prepared, compiled, values))
                if batch:
                    cursor.execute(
                        "; ".join(compiled.execute for _, compiled, _ in batch),
                        [values[name] for _, compiled, values in batch for name in compiled.order],
                    )
                    for number, (prepared, compiled, values) in enumerate(batch):
                        if number:
                            cursor.nextset()
                        rows = prepared._made(compiled, cursor.fetchall(), connection, using)
                        prepared._ahead.setdefault(connection, {})[_key(values)] = rows
        yield
    finally:
        for prepared, _, _ in batch:
            prepared._ahead.pop(connection, None)
