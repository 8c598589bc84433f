"""Sums of money in the database, exact on every database.

PostgreSQL's ``numeric`` is exact. SQLite has no decimal type: it keeps a ``DecimalField`` in
binary floating point (exact for up to 15 significant digits, which every stored amount is), but
its ``SUM`` adds in floating point, and Django reads the result back through a 15-digit float
conversion. :class:`MoneySum` therefore sums on SQLite in whole minor units (integers, exact,
and an error rather than a wrong figure on overflow) and turns the result into a Decimal here.
Use it instead of ``Sum`` for every amount of money.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate
from django.db.models.sql.compiler import SQLCompiler

from trygg.kernel.money import at_scale


class ExactDecimalField(models.DecimalField):  # type: ignore[type-arg]
    """The output of :class:`MoneySum`: a Decimal read without the database backends' float
    conversion (SQLite's converter for ``DecimalField`` passes the value through a float)."""

    def get_internal_type(self) -> str:
        return "ExactDecimalField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        places = self.decimal_places or 0
        if isinstance(value, int):  # SQLite: whole minor units
            return Decimal(value).scaleb(-places)
        return at_scale(Decimal(value), places)


class MoneySum(Aggregate):
    """``SUM`` of a money column (a ``DecimalField``), exact: a Decimal with the column's
    decimal places, or None over no rows."""

    function = "SUM"
    name = "MoneySum"

    def __init__(self, expression: Any, **extra: Any) -> None:
        if "default" in extra or "distinct" in extra:
            raise TypeError("MoneySum takes no default and no distinct")
        super().__init__(expression, **extra)

    def _places(self) -> int:
        source = self.get_source_expressions()[0].output_field
        if not isinstance(source, models.DecimalField) or source.decimal_places is None:
            raise TypeError("MoneySum sums a DecimalField")
        return int(source.decimal_places)

    def _resolve_output_field(self) -> ExactDecimalField:
        source = self.get_source_expressions()[0].output_field
        return ExactDecimalField(max_digits=source.max_digits, decimal_places=self._places())

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        scale = 10 ** self._places()
        return self.as_sql(
            compiler,
            connection,
            template=f"SUM(CAST(ROUND(%(expressions)s * {scale}) AS INTEGER))",
            **extra_context,
        )
