"""The protection service's daily work: renewals, invoices, reminders and lapses of the day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trygg.kernel.audit import SYSTEM
from trygg.kernel.daily import daily
from trygg.protection.subscriptions import subscriptions_run


@daily("protection.subscriptions")
def subscriptions_daily(on: dt.date) -> dict[str, Any]:
    result = subscriptions_run(ctx=SYSTEM, day=on)
    return {"date": on.isoformat(), **result.counts}
