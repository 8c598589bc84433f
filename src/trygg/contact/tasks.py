"""Background work of the contact app: the outbox sent after the transaction that fills it, and
once a day as a safety net (a message whose task was lost is sent the next day at the latest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from trygg.kernel.daily import daily


@task()
def send_outbox() -> dict[str, int]:
    from trygg.contact.services import outbox_send

    return outbox_send()


@daily("contact.outbox")
def outbox_daily(on: dt.date) -> dict[str, Any]:
    from trygg.contact.services import outbox_send

    return {"date": on.isoformat(), **outbox_send()}
