"""Work the worker does once a day (the retention run, ...): an app registers a function of the
business date under a name (``@daily("privacy.retention")``, in its ``AppConfig.ready``); the
task ``kernel.tasks.daily_run`` runs it for the business date and queues its next run for the
next day at ``TRYGG_DAILY_AT`` (local time). ``trygg worker`` queues every registered one that
has no run waiting before it starts working, so a new deployment or a lost row heals itself.
Each function must be idempotent per business date (a second run that day changes nothing)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings

from trygg.kernel import clock

DailyFn = Callable[[dt.date], dict[str, Any]]
_DAILY: dict[str, DailyFn] = {}


def daily(name: str) -> Callable[[DailyFn], DailyFn]:
    def register(fn: DailyFn) -> DailyFn:
        _DAILY[name] = fn
        return fn

    return register


def registered() -> dict[str, DailyFn]:
    return dict(_DAILY)


def next_run_at(now: dt.datetime | None = None) -> dt.datetime:
    """The next ``TRYGG_DAILY_AT`` (HH:MM, business time zone) after ``now``."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = (now or clock.now()).astimezone(tz)
    at = dt.time.fromisoformat(settings.TRYGG_DAILY_AT)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=tz)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=tz)
    return candidate


def _waiting(name: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path="trygg.kernel.tasks.daily_run", args_kwargs__args=[name]
    ).exists()


def daily_queue(name: str, *, at: dt.datetime | None = None) -> bool:
    """Queue the next run of ``name`` unless one is waiting; True if one was queued."""
    from trygg.kernel.tasks import daily_run

    if name not in _DAILY:
        raise ValueError(f"no daily work named {name!r}")
    if _waiting(name):
        return False
    daily_run.using(run_after=at or next_run_at()).enqueue(name)
    return True


def daily_schedule() -> list[str]:
    """Queue every registered daily work without a run waiting; returns the names queued."""
    return [name for name in sorted(_DAILY) if daily_queue(name)]
