"""The business clock: what "today" and "now" are for business rules and batch runs.

Batch runs and tests set the business date; everything else asks the clock instead of the
system. The wall-clock instant is still real time (sessions and audit use it); the business date
decides deadlines, due dates and validity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

_BUSINESS_TZ = ZoneInfo("Europe/Stockholm")
_fixed_date: dt.date | None = None


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_now_source: Callable[[], dt.datetime] = _system_now


def configure(*, business_date: dt.date | None, time_zone: str = "Europe/Stockholm") -> None:
    """Set (or clear, with ``None``) a fixed business date and the business time zone."""
    global _fixed_date, _BUSINESS_TZ
    _fixed_date = business_date
    _BUSINESS_TZ = ZoneInfo(time_zone)


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return _now_source()


def today() -> dt.date:
    """The business date: the fixed one if set, else today's date in the business time zone."""
    if _fixed_date is not None:
        return _fixed_date
    return date_of(now())


def date_of(instant: dt.datetime) -> dt.date:
    """The business time zone's date of an instant (a UTC instant near midnight is the next or
    the previous day there)."""
    return instant.astimezone(_BUSINESS_TZ).date()


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); ValueError with a clear message otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD.") from exc


@contextmanager
def business_date(day: dt.date) -> Iterator[None]:
    """Run a block with a fixed business date, restoring the previous one afterwards."""
    global _fixed_date
    previous = _fixed_date
    _fixed_date = day
    try:
        yield
    finally:
        _fixed_date = previous


@contextmanager
def frozen_now(instant: dt.datetime) -> Iterator[Callable[[dt.timedelta], None]]:
    """Freeze the instant (tests); the yielded function moves it forward."""
    global _now_source
    if instant.tzinfo is None:
        raise ValueError("A frozen instant must be timezone-aware.")
    current = [instant]
    previous = _now_source

    def advance(delta: dt.timedelta) -> None:
        current[0] = current[0] + delta

    def frozen() -> dt.datetime:
        return current[0]

    _now_source = frozen
    try:
        yield advance
    finally:
        _now_source = previous
