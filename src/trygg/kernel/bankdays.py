"""Bank-day calendars for Sweden and Norway, built on the ``holidays`` package.

A bank day is a weekday (Monday to Friday) that is not a bank holiday.

Sweden (``"SE"``), per the autogiro terms ("Med bankdag avses alla dagar utom lördag, söndag,
midsommarafton, julafton eller nyårsafton eller annan allmän helgdag"): the public holidays of
law 1989:253 (``holidays`` category ``PUBLIC``) plus Midsummer Eve, Christmas Eve and New Year's
Eve, which the package files under ``DE_FACTO``. The package's ``BANK`` category is *not* used:
it also lists half-days ("from 2pm") that are still bank days.

Norway (``"NO"``): the public holidays (the only category the package has for Norway), plus
Christmas Eve (24 December) and New Year's Eve (31 December). These two are not public holidays
in Norway, but Norwegian banks are closed and Norges Bank's settlement system does not settle on
them, so a payment due on either moves to the next bank day. Treating them as bank days would
schedule debits on days when no money moves.

Both calendars are built with ``include_sundays=False``: with ``True`` the package lists every
Sunday as a holiday ("Söndag"/"Søndag"), which would hide the holiday names behind Sundays and
make the per-year tables needlessly large; weekends are excluded here by weekday anyway. Names
come in English (``language="en_US"``), independent of the process locale (the package would
otherwise guess the language from ``LANG``/``LC_*``).

Holiday tables are built lazily, once per country and year, and cached; ``calendar_for``
returns one shared calendar per country. Dates far outside the Gregorian range the package
covers are not supported (``next_bank_day`` of ``date.max`` overflows).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import holidays
from holidays.constants import DE_FACTO, PUBLIC

__all__ = ["SUPPORTED_COUNTRIES", "WEEKDAY_NAMES", "BankCalendar", "calendar_for"]

SUPPORTED_COUNTRIES: tuple[str, ...] = ("NO", "SE")

WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

_ONE_DAY = dt.timedelta(days=1)
_LANGUAGE = "en_US"

# Days that are not public holidays in Norway but on which Norwegian banks are closed.
_NO_EXTRA_CLOSED: tuple[tuple[int, int, str], ...] = (
    (12, 24, "Christmas Eve"),
    (12, 31, "New Year's Eve"),
)


def _normalise_country(country: str) -> str:
    code = country.strip().upper() if isinstance(country, str) else ""
    if code not in SUPPORTED_COUNTRIES:
        raise ValueError(
            f"no bank-day calendar for country {country!r}; supported: "
            + ", ".join(SUPPORTED_COUNTRIES)
        )
    return code


def _check_date(d: dt.date) -> None:
    # datetime is a subclass of date but hashes and compares differently: refuse it rather than
    # give silently wrong answers.
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")


def _build_year(country: str, year: int) -> Mapping[dt.date, str]:
    """The bank holidays of one year (weekend ones included), by date, with their names."""
    if country == "SE":
        table = holidays.country_holidays(
            "SE",
            years=year,
            categories=(PUBLIC, DE_FACTO),
            include_sundays=False,
            language=_LANGUAGE,
        )
        closed = {day: str(name) for day, name in table.items()}
    else:
        table = holidays.country_holidays(
            "NO",
            years=year,
            categories=(PUBLIC,),
            include_sundays=False,
            language=_LANGUAGE,
        )
        closed = {day: str(name) for day, name in table.items()}
        for month, day_of_month, name in _NO_EXTRA_CLOSED:
            closed.setdefault(dt.date(year, month, day_of_month), name)
    return MappingProxyType(closed)


class BankCalendar:
    """The bank days of one country. Instances are cheap; prefer ``calendar_for`` to share the
    per-year holiday cache."""

    __slots__ = ("_country", "_lock", "_years")

    def __init__(self, country: str) -> None:
        self._country = _normalise_country(country)
        self._years: dict[int, Mapping[dt.date, str]] = {}
        self._lock = threading.Lock()

    @property
    def country(self) -> str:
        """ISO 3166-1 alpha-2 code, upper case: ``"SE"`` or ``"NO"``."""
        return self._country

    def __repr__(self) -> str:
        return f"BankCalendar({self._country!r})"

    # -- holiday tables ------------------------------------------------------------------------

    def holidays_of_year(self, year: int) -> Mapping[dt.date, str]:
        """The year's bank holidays (weekend ones included) and their names; read-only, cached."""
        table = self._years.get(year)
        if table is None:
            with self._lock:
                table = self._years.get(year)
                if table is None:
                    table = _build_year(self._country, year)
                    self._years[year] = table
        return table

    # -- single days ---------------------------------------------------------------------------

    def is_bank_day(self, d: dt.date) -> bool:
        _check_date(d)
        return d.weekday() < 5 and d not in self.holidays_of_year(d.year)

    def non_bank_day_reason(self, d: dt.date) -> str | None:
        """``None`` for a bank day; else the holiday's name, or ``"Saturday"``/``"Sunday"``.

        A holiday that falls on a weekend is reported by its name (6 June 2026 → "National Day").
        """
        _check_date(d)
        name = self.holidays_of_year(d.year).get(d)
        if name is not None:
            return name
        if d.weekday() >= 5:
            return WEEKDAY_NAMES[d.weekday()]
        return None

    def next_bank_day(self, d: dt.date, *, include_today: bool = False) -> dt.date:
        """The first bank day after ``d`` (or ``d`` itself if ``include_today`` and it is one)."""
        _check_date(d)
        day = d if include_today else d + _ONE_DAY
        while not self.is_bank_day(day):
            day += _ONE_DAY
        return day

    def previous_bank_day(self, d: dt.date, *, include_today: bool = False) -> dt.date:
        """The last bank day before ``d`` (or ``d`` itself if ``include_today`` and it is one)."""
        _check_date(d)
        day = d if include_today else d - _ONE_DAY
        while not self.is_bank_day(day):
            day -= _ONE_DAY
        return day

    # -- arithmetic ----------------------------------------------------------------------------

    def add_bank_days(self, d: dt.date, n: int) -> dt.date:
        """Move ``n`` bank days from ``d``: forward for ``n > 0``, backward for ``n < 0``.

        ``d`` itself need not be a bank day: ``add_bank_days(sat, 1)`` is the next bank day.
        ``n == 0`` returns ``d`` if it is a bank day and otherwise rolls *forward* to the next
        bank day, the rule for due dates that fall on non-bank days; it never raises.
        """
        _check_date(d)
        if n == 0:
            return self.next_bank_day(d, include_today=True)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        day = d
        while remaining:
            day += step
            if self.is_bank_day(day):
                remaining -= 1
        return day

    def bank_days_between(self, a: dt.date, b: dt.date) -> int:
        """Bank days in the half-open range ``[a, b)``; negative (``-[b, a)``) when ``b < a``.

        So for a bank day ``a``, ``bank_days_between(a, add_bank_days(a, n)) == n``.
        """
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.bank_days_between(b, a)
        total_days = (b - a).days
        full_weeks, rest = divmod(total_days, 7)
        start = a.weekday()
        weekdays = full_weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)
        holidays_on_weekdays = sum(
            1
            for year in range(a.year, b.year + 1)
            for day in self.holidays_of_year(year)
            if a <= day < b and day.weekday() < 5
        )
        return weekdays - holidays_on_weekdays

    # -- months --------------------------------------------------------------------------------

    def bank_days_in_month(self, year: int, month: int) -> list[dt.date]:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        closed = self.holidays_of_year(year)
        days = (first + dt.timedelta(days=i) for i in range((following - first).days))
        return [day for day in days if day.weekday() < 5 and day not in closed]

    def first_bank_day_of_month(self, year: int, month: int) -> dt.date:
        return self.next_bank_day(dt.date(year, month, 1), include_today=True)

    def last_bank_day_of_month(self, year: int, month: int) -> dt.date:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return self.previous_bank_day(following - _ONE_DAY, include_today=True)


@cache
def _calendar(code: str) -> BankCalendar:
    return BankCalendar(code)


def calendar_for(country: str) -> BankCalendar:
    """The shared calendar of ``country`` (``"SE"`` or ``"NO"``, any case).

    Raises ``ValueError`` for any other country.
    """
    return _calendar(_normalise_country(country))
