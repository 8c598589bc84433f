"""Background work of the bank: once a day the scheduled payments due are booked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trygg.kernel.daily import daily


@daily("banking.scheduled_payments")
def scheduled_payments_daily(on: dt.date) -> dict[str, Any]:
    from trygg.banking.services import SCHEDULER, payments_scheduled_book

    booked, failed = payments_scheduled_book(ctx=SCHEDULER, on=on)
    return {"date": on.isoformat(), "booked": booked, "failed": failed}
