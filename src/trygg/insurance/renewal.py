"""Annual renewal of the portfolio, set-based.

Every policy in force whose renewal date has come gets a new term: the price base amount of the
new term's year (amounts follow the index), the tariff valid on its first day and that tariff's
premium for the policy's level and payment period; its renewal date moves a year on.

The due renewal dates are renewed together, not one by one: one ``INSERT ... SELECT`` writes the
terms of every policy renewing on any of them and one ``UPDATE ... FROM`` moves their renewal
dates, each joining the policies to a small ``VALUES`` list of the dates with their end date,
tariff and price base amount. The prices per tariff, level and period are computed by
``rules.price`` (the one rounding rule) and joined in as a second ``VALUES`` list, so no premium
is computed in SQL. The policy table has no index on the renewal date and leaves room in its
pages (see the migration ``0005``): the update is written next to the old row version without
touching any index (a HOT update on PostgreSQL), and the statements read the table once.

A batch of dates is one transaction: a run that stops half-way leaves each date either fully
renewed or untouched, and running again for the same day renews nothing twice (the renewal date
has moved, and a term per policy and start date is unique in the database). When a date cannot
be renewed (no price base amount for its year, no tariff), the dates before it are renewed and
the error is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from trygg.insurance import rules
from trygg.insurance.models import Policy, PolicyState, PolicyTerm, Tariff
from trygg.insurance.tariffs import pbb_for, tariff_on
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction

# Renewal dates per statement (a year and a day: a spread portfolio is read once). SQLite's
# limit on query parameters lowers it there (see ``_dates_per_batch``).
DATES_PER_BATCH = 366
_PARAMS_PER_DATE = 5
_PARAMS_PER_PRICE = 5


@dataclass(frozen=True)
class RenewalDay:
    renewal_date: dt.date
    policies: int
    tariff_version: str
    pbb_year: int


@dataclass(frozen=True)
class _Date:
    """One renewal date and what its terms get."""

    day: dt.date
    policies: int
    ends: dt.date
    tariff: Tariff
    prices: rules.Tariff
    pbb: Decimal


def renewal_due(on: dt.date) -> list[tuple[dt.date, int]]:
    """The renewal dates due on ``on`` (``on`` or earlier), oldest first, with the number of
    policies in force renewing on each."""
    rows = (
        Policy.objects.filter(state=PolicyState.ACTIVE, renewal_date__lte=on)
        .values("renewal_date")
        .annotate(policies=Count("id"))
        .order_by("renewal_date")
    )
    return [(row["renewal_date"], row["policies"]) for row in rows]


def _date_sql() -> str:
    # PostgreSQL types a VALUES column by its first row; SQLite stores dates as text and would
    # turn a CAST to date into a number.
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _insert_sql(dates: int, prices: int) -> str:
    term = PolicyTerm._meta.db_table
    policy = Policy._meta.db_table
    day = _date_sql()
    date_row = f"({day}, {day}, CAST(%s AS bigint), CAST(%s AS integer), CAST(%s AS numeric(10,2)))"
    price_row = (
        "(CAST(%s AS bigint), CAST(%s AS integer), CAST(%s AS varchar(12)), "
        "CAST(%s AS numeric(10,2)), CAST(%s AS numeric(10,2)))"
    )
    # Table names come from the models; every value is a query parameter.
    return (
        f"INSERT INTO {term} "  # noqa: S608
        "(policy_id, starts_on, ends_on, tariff_id, pbb_year, pbb, base_amount, annual_price, "
        "year_total, period) "
        "SELECT p.id, d.column1, d.column2, d.column3, d.column4, d.column5, "
        "p.level * d.column5, v.column4, v.column5, p.period "
        f"FROM {policy} p "
        f"JOIN (VALUES {', '.join([date_row] * dates)}) d ON d.column1 = p.renewal_date "
        f"JOIN (VALUES {', '.join([price_row] * prices)}) v "
        "ON v.column1 = d.column3 AND v.column2 = p.level AND v.column3 = p.period "
        "WHERE p.state = %s"
    )


def _update_sql(dates: int) -> str:
    policy = Policy._meta.db_table
    day = _date_sql()
    rows = ", ".join([f"({day}, {day})"] * dates)
    return (
        f"UPDATE {policy} AS p SET renewal_date = d.column2 "  # noqa: S608
        f"FROM (VALUES {rows}) d WHERE p.renewal_date = d.column1 AND p.state = %s"
    )


def _prices(dates: Iterable[_Date]) -> list[Any]:
    """The ``VALUES`` rows of prices: tariff, level, period, annual price, year total."""
    params: list[Any] = []
    for d in {d.tariff.pk: d for d in dates}.values():
        for level in sorted(d.prices.prices):
            for period in rules.Period:
                annual, total, _parts = rules.price(d.prices, level, period)
                params += [d.tariff.pk, level, period.value, annual, total]
    return params


def _batches(dates: list[_Date]) -> Iterable[list[_Date]]:
    """``dates`` in batches of ``DATES_PER_BATCH``, fewer where the database limits the number
    of query parameters."""
    size = DATES_PER_BATCH
    limit = connection.features.max_query_params
    if limit is not None:
        prices = len(_prices(dates))
        size = max(1, min(size, (limit - prices - 1) // _PARAMS_PER_DATE))
    for start in range(0, len(dates), size):
        yield dates[start : start + size]


def _renew(ctx: AuditContext, dates: Sequence[_Date]) -> list[RenewalDay]:
    """Renew the policies of ``dates`` in one transaction."""
    ops = connection.ops
    prices = _prices(dates)
    date_params: list[Any] = []
    moves: list[Any] = []
    for d in dates:
        start, end = ops.adapt_datefield_value(d.day), ops.adapt_datefield_value(d.ends)
        pbb = ops.adapt_decimalfield_value(d.pbb, 10, 2)
        date_params += [start, end, d.tariff.pk, d.day.year, pbb]
        moves += [start, end]
    expected = sum(d.policies for d in dates)
    active = PolicyState.ACTIVE.value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(len(dates), len(prices) // _PARAMS_PER_PRICE),
            [*date_params, *prices, active],
        )
        renewed = cursor.rowcount
        cursor.execute(_update_sql(len(dates)), [*moves, active])
        moved = cursor.rowcount
        if not renewed == moved == expected:
            # A policy changed (cancelled, amended) since the dates were counted: nothing of this
            # batch is kept; the next run renews it.
            raise ValidationFailed(
                code="renewal.mismatch",
                field="date",
                message=_(
                    "The renewal of %(date)s wrote %(terms)s terms for %(policies)s policies."
                )
                % {
                    "date": ", ".join(d.day.isoformat() for d in dates),
                    "terms": renewed,
                    "policies": moved,
                },
            )
        for d in dates:
            audit_record(
                ctx=ctx,
                action=AuditAction.UPDATE,
                object_type="renewal",
                object_id=d.day.isoformat(),
                detail={"policies": d.policies, "tariff": d.tariff.version, "pbb_year": d.day.year},
            )
    return [RenewalDay(d.day, d.policies, d.tariff.version, d.day.year) for d in dates]


def renewal_run(*, ctx: AuditContext, on: dt.date) -> list[RenewalDay]:
    """Renew every policy in force whose renewal date is ``on`` or earlier (a missed day is
    caught up, oldest first). Idempotent: a second run for the same day renews nothing."""
    result: list[RenewalDay] = []
    # A policy renewed for a missed year is due again: renew until all are current.
    while due := renewal_due(on):
        dates: list[_Date] = []
        refused: ValidationFailed | None = None
        for day, policies in due:
            try:
                row, tariff = tariff_on(day, field="date")
                pbb = pbb_for(day.year, field="date")
            except ValidationFailed as error:
                refused = error  # the dates before it are renewed
                break
            dates.append(_Date(day, policies, rules.term_end(day), row, tariff, pbb))
        for batch in _batches(dates):
            result += _renew(ctx, batch)
        if refused is not None:
            raise refused
    return result
