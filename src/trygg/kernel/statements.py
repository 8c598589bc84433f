"""Prepared reads: the reads a page makes on every request, compiled by the ORM once.

Django builds and compiles the SQL of a queryset each time it runs; for the handful of small
reads behind every portal page that costs more than the database does. A :class:`PreparedRead`
is written as an ordinary queryset (the rule stays in the ORM, in the module that owns it). The
first call compiles it with marker keys in place of the real ones; later calls put the keys in
the markers' places, run the statement and build model instances. On PostgreSQL the driver then
also keeps the statement prepared on the server (see ``server_side_binding`` in the settings).

Every statement runs through Django's cursor wrapper (its error translation, execute wrappers,
query log and broken-transaction check), but the driver's cursor under it is made once per
connection and reused (:func:`reused_cursor`): making a new one for each statement was a fifth
of a small read's CPU.

Only plain querysets of one model qualify: no ``select_related``, ``prefetch_related``,
``values`` or ``only``; the keys are integers (primary and foreign keys), strings (natural
keys) or dates. :class:`PreparedRows` does the same for a ``values_list`` queryset, which may
join, annotate and unite, and returns its rows as tuples; a read of thousands of rows with
times in them reads them as :class:`TimeText` and :func:`time_of`.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Func, Model, QuerySet, TextField
from django.db.models.expressions import Col
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.utils.timezone import get_current_timezone_name

M = TypeVar("M", bound=Model)
R = TypeVar("R")

Key = int | str | dt.date

# Marker keys: negative, so never a stored id, and inside 32 bits, so the ORM treats them as
# ordinary integers (it folds out-of-range values into an empty result); strings no one stores.
_MARKER_BASE = -1_987_654_321


def _marker(kind: type, index: int) -> Key:
    if kind is dt.date:  # days of the first year: no stored date
        return dt.date(1, 1, 1) + dt.timedelta(days=index)
    return _MARKER_BASE - index if kind is int else f"\x1fprepared-read-key-{index}\x1f"


# Per Django connection (each thread has its own): the driver connection, the time zone the cursor
# was made for, and the driver cursor.
_driver_cursors: weakref.WeakKeyDictionary[BaseDatabaseWrapper, tuple[Any, Any, Any]] = (
    weakref.WeakKeyDictionary()
)


def reused_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """Django's cursor wrapper around a driver cursor kept for the connection: as
    ``connection.cursor()``, but made once per driver connection, and not to be closed. A new
    driver connection (after a reconnect) or a changed time zone gets a new driver cursor; a
    connection shared between threads (live-server tests) gets a fresh one each time."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    driver = connection.connection
    entry = _driver_cursors.get(connection)
    if entry is None or entry[0] is not driver or entry[1] != connection.timezone:
        with connection.wrap_database_errors:
            entry = (driver, connection.timezone, connection.create_cursor())
        if not connection.allow_thread_sharing:
            _driver_cursors[connection] = entry
    connection.validate_thread_sharing()
    if connection.queries_logged:
        return connection.make_debug_cursor(entry[2])
    return connection.make_cursor(entry[2])


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, index of the key)
    adapters: tuple[Callable[[Any], Any] | None, ...]  # per key: how it is bound (dates)
    converters: dict[int, Any]
    compiler: SQLCompiler
    columns: int  # the selected columns of a row (a statement may select more, to order by)
    attnames: tuple[str, ...] = ()  # a prepared read's: the model's fields, in their order


def _kind(key: object) -> type:
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return dt.date
    return int if isinstance(key, int) else str


def _bound(kind: type, connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """How a key of ``kind`` is bound, as the ORM binds a value of a date field (a string on
    SQLite, the date itself on PostgreSQL); None: as it is."""
    return connection.ops.adapt_datefield_value if kind is dt.date else None


def _compile(queryset: QuerySet[Any], using: str, kinds: tuple[type, ...]) -> _Compiled:
    """The statement of ``queryset`` (built with the markers of ``kinds``) and where each key
    goes into its parameters."""
    connection = connections[using]
    adapters = tuple(_bound(kind, connection) for kind in kinds)
    markers = [
        adapt(_marker(kind, i)) if adapt else _marker(kind, i)
        for i, (kind, adapt) in enumerate(zip(kinds, adapters, strict=True))
    ]
    compiler = queryset.query.get_compiler(using)
    sql, params = compiler.as_sql()
    slots = tuple(
        (position, markers.index(value))
        for position, value in enumerate(params)
        if isinstance(value, int | str | dt.date)
        and not isinstance(value, bool | dt.datetime)
        and value in markers
    )
    if {index for _, index in slots} != set(range(len(kinds))):
        raise TypeError("every key of a prepared read must reach the statement unchanged")
    fields = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
    return _Compiled(
        sql=sql,
        params=tuple(params),
        slots=slots,
        adapters=adapters,
        converters=compiler.get_converters(fields),
        compiler=compiler,
        columns=compiler.col_count,
    )


class _Prepared(ABC, Generic[R]):
    """A statement compiled once per database alias, kinds of keys and options (and, since a
    statement may convert times to dates in it, per current time zone)."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, tuple[type, ...], Hashable, str], _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *keys: Key, using: str = DEFAULT_DB_ALIAS, **options: Hashable) -> list[R]:
        connection = connections[using]
        kinds = tuple(_kind(key) for key in keys)
        # One compilation per database alias, shared by the threads' connections to it: the
        # SQL is the same, and the converters only read the alias's settings.
        cache_key = (using, kinds, tuple(sorted(options.items())), get_current_timezone_name())
        compiled = self._compiled.get(cache_key)
        if compiled is None:
            markers = [_marker(kind, i) for i, kind in enumerate(kinds)]
            queryset = self._build(*markers, **options)
            self._check(queryset)
            compiled = self._ready(_compile(queryset, using, kinds))
            with self._lock:
                self._compiled[cache_key] = compiled
        params = list(compiled.params)
        for position, index in compiled.slots:
            adapt = compiled.adapters[index]
            params[position] = adapt(keys[index]) if adapt else keys[index]
        cursor = reused_cursor(connection)
        cursor.execute(compiled.sql, params)
        rows: Any = cursor.fetchall()
        if rows and len(rows[0]) > compiled.columns:
            rows = [row[: compiled.columns] for row in rows]
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return self._result(compiled, using, rows)

    def _check(self, queryset: QuerySet[Any]) -> None:
        """Refuse a queryset this kind of statement cannot answer for (TypeError)."""

    def _ready(self, compiled: _Compiled) -> _Compiled:
        """Check the compiled statement and add what the results are built from."""
        return compiled

    @abstractmethod
    def _result(self, compiled: _Compiled, using: str, rows: Any) -> list[R]:
        """The rows as the kind of statement returns them (model instances, tuples)."""


class PreparedRead(_Prepared[M]):
    """``read = PreparedRead(lambda party_id: Model.objects.filter(party_id=party_id))``, then
    ``read(42)`` returns the model instances. Keyword options (a limit, say) are passed to the
    builder as they are and compiled once per distinct value."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        super().__init__(build)

    def _check(self, queryset: QuerySet[Any]) -> None:
        query = queryset.query
        prefetch = getattr(queryset, "_prefetch_related_lookups", ())
        if query.select_related or prefetch or query.values_select:
            raise TypeError("a prepared read is a plain queryset of one model")
        if query.deferred_loading[0] or query.annotations or query.extra:
            raise TypeError("a prepared read loads the model's fields and nothing else")

    def _ready(self, compiled: _Compiled) -> _Compiled:
        columns = [column for column, _, _ in compiled.compiler.select[: compiled.columns]]
        if not all(isinstance(column, Col) for column in columns):
            raise TypeError("a prepared read selects the model's columns only")
        return replace(compiled, attnames=tuple(column.target.attname for column in columns))

    def _result(self, compiled: _Compiled, using: str, rows: Any) -> list[M]:
        model = compiled.compiler.query.model
        assert model is not None
        attnames = compiled.attnames
        return [model.from_db(using, attnames, row) for row in rows]  # type: ignore[misc]


class PreparedRows(_Prepared[tuple[Any, ...]]):
    """``rows = PreparedRows(lambda party_id: Model.objects.filter(party_id=party_id)
    .values_list("name", "policy__number"))``, then ``rows(42)`` returns the rows as tuples of
    the ``values_list`` columns, converted as the ORM converts them. Unlike a
    :class:`PreparedRead` it builds no model instances, so the queryset may join, annotate and
    unite such querysets; it must be a ``values_list``. Keys may also be dates."""

    def _check(self, queryset: QuerySet[Any]) -> None:
        prefetch = getattr(queryset, "_prefetch_related_lookups", ())
        if prefetch or queryset._iterable_class is not ValuesListIterable:
            raise TypeError("prepared rows are the rows of a values_list queryset")

    def _result(self, compiled: _Compiled, using: str, rows: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in rows]


class TimeText(Func):
    """A time column read as ISO 8601 text in UTC (``2026-12-08 09:30:00.5+00:00``), which
    :func:`time_of` turns back into the aware time Django reads from the column. For reads of
    thousands of rows: on PostgreSQL Django loads every ``timestamptz`` in Python, some
    microseconds a value and most of the CPU of such a read; the text and
    ``datetime.fromisoformat`` cost a tenth of that. (SQLite keeps the UTC time as this text.)"""

    template = "(%(expressions)s || '+00:00')"

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=TextField())

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "((%(expressions)s AT TIME ZONE 'UTC')::text || '+00:00')"
        return self.as_sql(compiler, connection, template=template, **extra)


def time_of(text: str | None) -> dt.datetime | None:
    """The aware time of a :class:`TimeText` (None for none)."""
    return None if text is None else dt.datetime.fromisoformat(text)


def prefetched(instance: Model, name: str, related: list[Any]) -> None:
    """Leave ``related`` on ``instance`` as ``prefetch_related_objects([instance], name)``
    leaves the objects of the reverse foreign key ``name``, for objects a prepared read has
    read: ``instance.<name>.all()`` answers from them, a further filter on it queries as it
    would after a prefetch, and each object knows ``instance``."""
    manager = getattr(instance, name)
    field = manager.field
    for obj in related:
        field.set_cached_value(obj, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = related
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[field.remote_field.cache_name] = queryset
