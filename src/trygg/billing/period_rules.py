"""The payment period the payer chooses on the autogiro mandate (§ 1: "per månad, halvår eller
helår"), pure: on which day a change of period can take effect.

A policy's premium schedule is its terms (insurance years), each paid in instalments of its
period. A new period begins on a boundary of the current schedule (the start of one of its
periods, or the end of an insurance year) that:

- lies after today (a period already begun keeps the period it began with);
- is not inside, or before the end of, a period already collected (debited, ordered, invoiced);
- leaves a whole number of new periods until the end of that insurance year, so that the new
  instalments add up exactly to the rest of the year's premium (a yearly period begins only with
  an insurance year; a half-yearly one at the start of a year or its second half).

A wanted day that is not such a boundary is refused naming the day it needed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


class PeriodRuleError(ValueError):
    def __init__(self, code: str, field: str, message: str, *, needed: dt.date) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.needed = needed


@dataclass(frozen=True)
class Term:
    """One insurance year of the schedule: its first and end day, and its periods' first days."""

    starts_on: dt.date
    ends_on: dt.date
    period_starts: tuple[dt.date, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months(first: dt.date, last: dt.date) -> int | None:
    """The number of months from ``first`` to ``last`` when it is whole, else None."""
    for months in range(0, 13):
        if add_months(first, months) == last:
            return months
    return None


def collected_until(terms: Sequence[Term], collected: Sequence[dt.date]) -> dt.date | None:
    """The end of the last period collected: ``collected`` are the first days of the periods
    collected; each ends where the next period of its term begins (or the term ends)."""
    until: dt.date | None = None
    for start in collected:
        for term in terms:
            if term.starts_on <= start < term.ends_on:
                later = [s for s in term.period_starts if s > start]
                end = min(later) if later else term.ends_on
                until = end if until is None else max(until, end)
    return until


def change_days(
    *, terms: Sequence[Term], months: int, today: dt.date, collected: Sequence[dt.date]
) -> list[dt.date]:
    """Every day on which a new period of ``months`` months can begin, in order."""
    paid_until = collected_until(terms, collected)
    days: set[dt.date] = set()
    for term in terms:
        for day in (*term.period_starts, term.ends_on):
            if day <= today or (paid_until is not None and day < paid_until):
                continue
            rest = whole_months(day, term.ends_on)
            if rest is not None and rest % months == 0:
                days.add(day)
    return sorted(days)


def change_day(
    *,
    terms: Sequence[Term],
    months: int,
    today: dt.date,
    collected: Sequence[dt.date],
    wanted: dt.date | None = None,
) -> dt.date:
    """The day the new period begins: ``wanted`` when the rules allow it, else the earliest
    allowed day when none is wanted. A wanted day inside a period already collected, or not at
    the start of a period the new one fits, is refused naming the day it needed."""
    days = change_days(terms=terms, months=months, today=today, collected=collected)
    last = max((t.ends_on for t in terms), default=today)
    earliest = days[0] if days else last
    if wanted is None or wanted in days:
        return wanted or earliest
    paid_until = collected_until(terms, collected)
    if paid_until is not None and wanted < paid_until:
        raise PeriodRuleError(
            "period.collected",
            "period_from",
            "The premium is already collected for the period this day lies in; the new payment "
            "period can begin at the earliest on the needed day.",
            needed=earliest,
        )
    following = [d for d in days if d > wanted]
    raise PeriodRuleError(
        "period.not_a_period_start",
        "period_from",
        "A new payment period begins at the start of a period, with a whole number of new "
        "periods left in the insurance year; the needed day is the next such day.",
        needed=following[0] if following else earliest,
    )
