"""Payment dates of an order: period code, repeats and bank days.

* Period 0: one payment on the payment date.
* Periods 1-4: monthly, quarterly, half-yearly, yearly on the calendar day of the payment date
  (the 31st becomes the last day of shorter months).
* Periods 5-8: the same intervals, on the last bank day of the month of the payment date and of
  every 1, 3, 6 or 12 months after it.

A date that is not a bank day moves to the next bank day. ``repeats`` is the total number of
payments; ``None`` means until further notice, capped here at :data:`HORIZON_YEARS` after the
first payment date.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date
from typing import Final

from trygg.kernel.bankdays import BankCalendar

__all__ = ["HORIZON_YEARS", "Schedule"]

HORIZON_YEARS: Final = 10

_MONTHS: Final = {1: 1, 2: 3, 3: 6, 4: 12, 5: 1, 6: 3, 7: 6, 8: 12}


def _month_shift(day: date, months: int) -> tuple[int, int]:
    year, month = divmod(day.month - 1 + months, 12)
    return day.year + year, month + 1


@dataclass(frozen=True)
class Schedule:
    first: date
    period: int
    repeats: int | None

    def _horizon(self) -> date:
        year = self.first.year + HORIZON_YEARS
        last = _calendar.monthrange(year, self.first.month)[1]
        return self.first.replace(year=year, day=min(self.first.day, last))

    def nominal(self, index: int, cal: BankCalendar) -> date | None:
        """The payment date of occurrence ``index`` (0-based) before moving to a bank day, or
        ``None`` when the order has no such occurrence."""
        if index < 0:
            return None
        if self.period == 0:
            return self.first if index == 0 else None
        if self.repeats is not None and index >= self.repeats:
            return None
        year, month = _month_shift(self.first, _MONTHS[self.period] * index)
        last = _calendar.monthrange(year, month)[1]
        if self.period <= 4:
            day = date(year, month, min(self.first.day, last))
        else:
            day = cal.previous_bank_day(date(year, month, last), include_today=True)
        if self.repeats is None and day > self._horizon():
            return None
        return day

    def actual(self, index: int, cal: BankCalendar) -> date | None:
        """The bank day occurrence ``index`` is paid on, or ``None``."""
        nominal = self.nominal(index, cal)
        return None if nominal is None else cal.next_bank_day(nominal, include_today=True)
