"""Existing schedules move to the first bank day of the payment period (decision 0023).

- A premium planned (not yet ordered, not on an invoice) for a period that begins inside a month
  falls due on the first bank day of the next month: the first first-of-month on or after the
  period's start, never earlier than the payer was told. The payer gets a new payment plan.
- A term not yet planned (no premium of it exists) that runs a year from a day inside a month
  runs instead to the end of the twelfth whole month (``insurance.rules.term_end``); the policy's
  renewal date follows. Terms already planned keep their end: the renewal after them begins the
  aligned terms, its broken month paid with its first premium.

Self-contained: it depends only on the billing and insurance tables and the pure rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import migrations

BATCH = 2000


def _first_of_month_on_or_after(day: dt.date) -> dt.date:
    if day.day == 1:
        return day
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def forwards(apps: Any, schema_editor: Any) -> None:
    from trygg.insurance.rules import add_months, term_end
    from trygg.kernel.bankdays import calendar_for

    cal = calendar_for("SE")
    Charge = apps.get_model("billing", "Charge")
    Notice = apps.get_model("billing", "Notice")
    PolicyTerm = apps.get_model("insurance", "PolicyTerm")
    Policy = apps.get_model("insurance", "Policy")
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)

    moved: dict[int, list[Any]] = defaultdict(list)
    rows = (
        Charge.objects.filter(state="planned", carried=0)
        .exclude(notice__kind="invoice")
        .order_by("pk")
    )
    batch: list[Any] = []
    for charge in rows.iterator(chunk_size=BATCH):
        if charge.period_start.day == 1:
            continue
        due = cal.next_bank_day(
            _first_of_month_on_or_after(charge.period_start), include_today=True
        )
        if due <= charge.due_date:
            continue  # never earlier than told
        charge.due_date = due
        batch.append(charge)
        if charge.method == "autogiro":
            moved[charge.payer_id].append(charge)
        if len(batch) >= BATCH:
            Charge.objects.bulk_update(batch, ["due_date"])
            batch = []
    if batch:
        Charge.objects.bulk_update(batch, ["due_date"])
    for payer_id, charges in moved.items():
        notice = Notice.objects.create(
            payer_id=payer_id,
            mandate_id=charges[0].mandate_id,
            kind="plan",
            sent_on=today,
            total=sum((c.amount for c in charges), Decimal(0)),
            text=(
                "Vi drar premien första bankdagen i varje betalningsperiod. "
                "Dina förfallodagar har flyttats enligt planen nedan."
            ),
            created_at=now,
        )
        Charge.objects.filter(pk__in=[c.pk for c in charges]).update(notice=notice)

    planned_terms = Charge.objects.filter(term__isnull=False).values("term_id")
    for term in (
        PolicyTerm.objects.exclude(pk__in=planned_terms).order_by("pk").iterator(chunk_size=BATCH)
    ):
        if term.starts_on.day == 1 or term.ends_on != add_months(term.starts_on, 12):
            continue  # aligned already, or cut short
        if PolicyTerm.objects.filter(
            policy_id=term.policy_id, starts_on__gt=term.starts_on
        ).exists():
            continue  # a later term follows it already
        end = term_end(term.starts_on)
        Policy.objects.filter(pk=term.policy_id, renewal_date=term.ends_on).update(renewal_date=end)
        PolicyTerm.objects.filter(pk=term.pk).update(ends_on=end)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0005_paid_rows_stay_small"),
        ("insurance", "0005_renewal_in_place"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
