"""Annual renewal of the portfolio, set-based.

Every policy in force whose renewal date has come gets a new term: the price base amount of the
new term's year (amounts follow the index), the tariff valid on its first day and that tariff's
premium for the policy's level and payment period. One ``INSERT ... SELECT`` per renewal date
writes the terms of every policy renewing that day; one ``UPDATE`` moves their renewal date a year
on. The per-date work is one transaction: a run that stops half-way leaves each date either fully
renewed or untouched, and running again for the same day renews nothing twice (the renewal date
has moved, and a term per policy and start date is unique in the database).

The prices per level and period are computed by ``rules.price`` (the one rounding rule) and
joined in as a small ``VALUES`` list, so no premium is computed in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from trygg.insurance import rules
from trygg.insurance.models import Policy, PolicyState, PolicyTerm
from trygg.insurance.tariffs import pbb_for, tariff_on
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction


@dataclass(frozen=True)
class RenewalDay:
    renewal_date: dt.date
    policies: int
    tariff_version: str
    pbb_year: int


def _sql(levels: int) -> str:
    term = PolicyTerm._meta.db_table
    policy = Policy._meta.db_table
    row = (
        "(CAST(%s AS integer), CAST(%s AS varchar(12)), "
        "CAST(%s AS numeric(10,2)), CAST(%s AS numeric(10,2)))"
    )
    values = ", ".join([row] * levels)
    # Table names come from the models; every value is a query parameter.
    return (
        f"INSERT INTO {term} "  # noqa: S608
        "(policy_id, starts_on, ends_on, tariff_id, pbb_year, pbb, base_amount, annual_price, "
        "year_total, period) "
        "SELECT p.id, %s, %s, %s, %s, %s, p.level * %s, v.column3, v.column4, p.period "
        f"FROM {policy} p JOIN (VALUES {values}) v "
        "ON v.column1 = p.level AND v.column2 = p.period "
        "WHERE p.renewal_date = %s AND p.state = %s"
    )


def _renew_day(ctx: AuditContext, day: dt.date) -> RenewalDay:
    row, tariff = tariff_on(day, field="date")
    pbb = pbb_for(day.year, field="date")
    ends = rules.add_months(day, 12)
    prices: list[int | str | Decimal] = []
    for level in sorted(tariff.prices):
        for period in rules.Period:
            annual, total, _parts = rules.price(tariff, level, period)
            prices += [level, period.value, annual, total]
    ops = connection.ops
    start_value, end_value = ops.adapt_datefield_value(day), ops.adapt_datefield_value(ends)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _sql(len(tariff.prices) * len(rules.Period)),
            [
                start_value,
                end_value,
                row.pk,
                day.year,
                ops.adapt_decimalfield_value(pbb, 10, 2),
                ops.adapt_decimalfield_value(pbb, 10, 2),
                *prices,
                start_value,
                PolicyState.ACTIVE.value,
            ],
        )
        renewed = cursor.rowcount
        moved = Policy.objects.filter(renewal_date=day, state=PolicyState.ACTIVE).update(
            renewal_date=ends
        )
        if moved != renewed:
            raise ValidationFailed(
                code="renewal.mismatch",
                field="date",
                message=_(
                    "The renewal of %(date)s wrote %(terms)s terms for %(policies)s policies."
                )
                % {"date": day.isoformat(), "terms": renewed, "policies": moved},
            )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            object_type="renewal",
            object_id=day.isoformat(),
            detail={"policies": renewed, "tariff": row.version, "pbb_year": day.year},
        )
    return RenewalDay(day, renewed, row.version, day.year)


def renewal_run(*, ctx: AuditContext, on: dt.date) -> list[RenewalDay]:
    """Renew every policy in force whose renewal date is ``on`` or earlier (a missed day is
    caught up, oldest first). Idempotent: a second run for the same day renews nothing."""
    days = sorted(
        Policy.objects.filter(state=PolicyState.ACTIVE, renewal_date__lte=on)
        .order_by()
        .values_list("renewal_date", flat=True)
        .distinct()
    )
    result: list[RenewalDay] = []
    for day in days:
        result.append(_renew_day(ctx, day))
    # A policy renewed for a missed year is due again: renew until all are current.
    if days and Policy.objects.filter(state=PolicyState.ACTIVE, renewal_date__lte=on).exists():
        result += renewal_run(ctx=ctx, on=on)
    return result
