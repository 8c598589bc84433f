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
``values`` or ``only``; the keys are integers (primary and foreign keys) or strings (natural
keys), compared for equality.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

Key = int | str

# Marker keys: negative, so never a stored id, and inside 32 bits, so the ORM treats them as
# ordinary integers (it folds out-of-range values into an empty result); strings no one stores.
_MARKER_BASE = -1_987_654_321


def _marker(kind: type, index: int) -> Key:
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
    attnames: tuple[str, ...]
    converters: dict[int, Any]
    compiler: SQLCompiler


class PreparedRead(Generic[M]):
    """``read = PreparedRead(lambda party_id: Model.objects.filter(party_id=party_id))``, then
    ``read(42)`` returns the model instances. Keyword options (a limit, say) are passed to the
    builder as they are and compiled once per distinct value."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, tuple[type, ...], Hashable], _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *keys: Key, using: str = DEFAULT_DB_ALIAS, **options: Hashable) -> list[M]:
        connection = connections[using]
        kinds = tuple(int if isinstance(key, int) else str for key in keys)
        # One compilation per database alias, shared by the threads' connections to it: the
        # SQL is the same, and the converters only read the alias's settings.
        cache_key = (using, kinds, tuple(sorted(options.items())))
        compiled = self._compiled.get(cache_key)
        if compiled is None:
            compiled = self._compile(using, kinds, options)
            with self._lock:
                self._compiled[cache_key] = compiled
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = keys[index]
        cursor = reused_cursor(connection)
        cursor.execute(compiled.sql, params)
        rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        model = compiled.compiler.query.model
        assert model is not None
        return [model.from_db(using, compiled.attnames, row) for row in rows]  # type: ignore[misc]

    def _compile(
        self, using: str, kinds: tuple[type, ...], options: dict[str, Hashable]
    ) -> _Compiled:
        markers = [_marker(kind, i) for i, kind in enumerate(kinds)]
        queryset = self._build(*markers, **options)
        query = queryset.query
        prefetch = getattr(queryset, "_prefetch_related_lookups", ())
        if query.select_related or prefetch or query.values_select:
            raise TypeError("a prepared read is a plain queryset of one model")
        if query.deferred_loading[0] or query.annotations or query.extra:
            raise TypeError("a prepared read loads the model's fields and nothing else")
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = tuple(
            (position, markers.index(value))
            for position, value in enumerate(params)
            if isinstance(value, int | str) and not isinstance(value, bool) and value in markers
        )
        if {index for _, index in slots} != set(range(len(kinds))):
            raise TypeError("every key of a prepared read must reach the statement unchanged")
        columns = [column for column, _, _ in compiler.select]
        if not all(isinstance(column, Col) for column in columns):
            raise TypeError("a prepared read selects the model's columns only")
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            attnames=tuple(column.target.attname for column in columns),
            converters=compiler.get_converters(columns),
            compiler=compiler,
        )
