"""The privacy work the worker does every day: the retention run for the business date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trygg.kernel.audit import SYSTEM
from trygg.kernel.daily import daily
from trygg.privacy.services import retention_run


@daily("privacy.retention")
def retention_daily(on: dt.date) -> dict[str, Any]:
    run = retention_run(ctx=SYSTEM, on=on)
    return {"run": run.pk, "date": on.isoformat(), "total": run.total}
