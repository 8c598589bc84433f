"""Bank-day calendars (Sweden, Norway) and the ``bankdays`` command. No database needed."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from trygg.kernel.bankdays import BankCalendar, calendar_for

D = dt.date
SE = calendar_for("SE")
NO = calendar_for("NO")

# -- single days: Sweden 2026 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 1, 6), "Epiphany"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 5), "Easter Sunday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 1), "May Day"),
        (D(2026, 5, 14), "Ascension Day"),
        (D(2026, 6, 6), "National Day"),  # a Saturday in 2026: named after the holiday
        (D(2026, 6, 19), "Midsummer Eve"),  # DE_FACTO in the package, not a bank day
        (D(2026, 6, 20), "Midsummer Day"),
        (D(2026, 12, 24), "Christmas Eve"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 26), "Second Day of Christmas"),
        (D(2026, 12, 31), "New Year's Eve"),
        (D(2026, 3, 7), "Saturday"),
        (D(2026, 3, 8), "Sunday"),
    ],
)
def test_swedish_non_bank_days_2026(day: dt.date, reason: str) -> None:
    assert not SE.is_bank_day(day)
    assert SE.non_bank_day_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 2),  # Friday after New Year's Day
        D(2026, 1, 5),  # Twelfth Night: a half-day in the package's BANK category, a bank day
        D(2026, 4, 2),  # Maundy Thursday is a bank day in Sweden
        D(2026, 4, 30),  # Walpurgis Night
        D(2026, 5, 13),
        D(2026, 6, 18),  # day before Midsummer Eve
        D(2026, 12, 23),
        D(2026, 12, 28),
        D(2026, 12, 30),
    ],
)
def test_swedish_bank_days_2026(day: dt.date) -> None:
    assert SE.is_bank_day(day)
    assert SE.non_bank_day_reason(day) is None


# -- single days: Norway 2026 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 4, 2), "Maundy Thursday"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 1), "Labor Day"),
        (D(2026, 5, 14), "Ascension Day"),
        (D(2026, 5, 17), "Constitution Day"),  # a Sunday in 2026
        (D(2026, 5, 25), "Pentecost Monday"),
        (D(2026, 12, 24), "Christmas Eve"),  # banks closed (our decision, see module docs)
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 31), "New Year's Eve"),  # banks closed (our decision)
    ],
)
def test_norwegian_non_bank_days_2026(day: dt.date, reason: str) -> None:
    assert not NO.is_bank_day(day)
    assert NO.non_bank_day_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 6),  # Epiphany is not a holiday in Norway
        D(2026, 6, 5),
        D(2026, 6, 19),  # no Midsummer Eve in Norway
        D(2026, 5, 18),
        D(2026, 12, 23),
        D(2026, 12, 30),
    ],
)
def test_norwegian_bank_days_2026(day: dt.date) -> None:
    assert NO.is_bank_day(day)


def test_two_norwegian_holidays_on_one_day_keep_both_names() -> None:
    # 17 May 2027 is both Constitution Day and Whit Monday.
    reason = NO.non_bank_day_reason(D(2027, 5, 17))
    assert reason is not None
    assert "Constitution Day" in reason
    assert "Pentecost Monday" in reason


def test_no_sunday_rows_in_the_holiday_tables() -> None:
    # include_sundays=False: only named Sundays (Easter, Pentecost, ...) appear.
    for calendar in (SE, NO):
        sundays = [d for d in calendar.holidays_of_year(2026) if d.weekday() == 6]
        assert len(sundays) <= 4


# -- months ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "year", "month", "first", "last"),
    [
        (SE, 2027, 1, D(2027, 1, 4), D(2027, 1, 29)),  # 1 Jan Fri holiday, 2-3 weekend
        (SE, 2026, 2, D(2026, 2, 2), D(2026, 2, 27)),  # month starts on a Sunday
        (SE, 2026, 8, D(2026, 8, 3), D(2026, 8, 31)),  # month starts on a Saturday
        (SE, 2026, 12, D(2026, 12, 1), D(2026, 12, 30)),  # 31 Dec New Year's Eve
        (SE, 2026, 1, D(2026, 1, 2), D(2026, 1, 30)),
        (SE, 2026, 5, D(2026, 5, 4), D(2026, 5, 29)),  # 1 May Friday, then weekend
        (NO, 2026, 12, D(2026, 12, 1), D(2026, 12, 30)),
        (NO, 2027, 1, D(2027, 1, 4), D(2027, 1, 29)),
        (NO, 2026, 5, D(2026, 5, 4), D(2026, 5, 29)),
    ],
)
def test_first_and_last_bank_day_of_month(
    calendar: BankCalendar, year: int, month: int, first: dt.date, last: dt.date
) -> None:
    assert calendar.first_bank_day_of_month(year, month) == first
    assert calendar.last_bank_day_of_month(year, month) == last
    days = calendar.bank_days_in_month(year, month)
    assert days[0] == first
    assert days[-1] == last


def test_bank_days_in_month() -> None:
    december = SE.bank_days_in_month(2026, 12)
    assert len(december) == 20
    assert D(2026, 12, 24) not in december
    assert D(2026, 12, 23) in december
    assert all(SE.is_bank_day(d) and d.month == 12 for d in december)
    assert len(SE.bank_days_in_month(2026, 4)) == 20  # 22 weekdays less Good Friday, Easter Mon
    assert len(NO.bank_days_in_month(2026, 4)) == 19  # and Maundy Thursday


# -- moving and counting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        (SE, D(2026, 4, 2), 1, D(2026, 4, 7)),  # over Good Friday, weekend, Easter Monday
        (SE, D(2026, 4, 7), -1, D(2026, 4, 2)),
        (NO, D(2026, 4, 1), 1, D(2026, 4, 7)),  # also over Maundy Thursday
        (NO, D(2026, 4, 7), -1, D(2026, 4, 1)),
        (SE, D(2026, 12, 23), 1, D(2026, 12, 28)),
        (SE, D(2026, 12, 23), 3, D(2026, 12, 30)),
        (SE, D(2026, 12, 23), 4, D(2027, 1, 4)),  # 31 Dec, 1 Jan, weekend
        (SE, D(2027, 1, 4), -4, D(2026, 12, 23)),
        (SE, D(2026, 12, 1), -8, D(2026, 11, 19)),  # eight bank days' notice
        (SE, D(2026, 6, 6), 1, D(2026, 6, 8)),  # from a non-bank day
        (SE, D(2026, 6, 6), -1, D(2026, 6, 5)),
    ],
)
def test_add_bank_days(calendar: BankCalendar, start: dt.date, n: int, expected: dt.date) -> None:
    assert calendar.add_bank_days(start, n) == expected


def test_add_zero_bank_days_keeps_a_bank_day_and_rolls_a_non_bank_day_forward() -> None:
    assert SE.add_bank_days(D(2026, 12, 23), 0) == D(2026, 12, 23)
    assert SE.add_bank_days(D(2026, 12, 24), 0) == D(2026, 12, 28)
    assert SE.add_bank_days(D(2026, 6, 6), 0) == D(2026, 6, 8)


def test_next_and_previous_bank_day() -> None:
    assert SE.next_bank_day(D(2026, 6, 18)) == D(2026, 6, 22)
    assert SE.next_bank_day(D(2026, 6, 18), include_today=True) == D(2026, 6, 18)
    assert SE.next_bank_day(D(2026, 6, 19), include_today=True) == D(2026, 6, 22)
    assert SE.previous_bank_day(D(2026, 6, 22)) == D(2026, 6, 18)
    assert SE.previous_bank_day(D(2026, 6, 22), include_today=True) == D(2026, 6, 22)
    assert SE.previous_bank_day(D(2026, 6, 21), include_today=True) == D(2026, 6, 18)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (D(2026, 12, 1), D(2027, 1, 1), 20),
        (D(2026, 12, 23), D(2026, 12, 28), 1),  # half-open: only the 23rd
        (D(2026, 12, 23), D(2026, 12, 23), 0),
        (D(2027, 1, 1), D(2026, 12, 1), -20),
        # 261 weekdays less 10 weekday holidays:
        # 1/1, 6/1, 3/4, 6/4, 1/5, 14/5, 19/6, 24/12, 25/12, 31/12
        (D(2026, 1, 1), D(2027, 1, 1), 251),
    ],
)
def test_bank_days_between(a: dt.date, b: dt.date, count: int) -> None:
    assert SE.bank_days_between(a, b) == count


# -- properties --------------------------------------------------------------------------------

calendars = st.sampled_from([SE, NO])
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))
steps = st.integers(min_value=-400, max_value=400)


@given(calendar=calendars, d=days, n=steps)
def test_add_then_subtract_returns_the_same_bank_day(
    calendar: BankCalendar, d: dt.date, n: int
) -> None:
    start = calendar.next_bank_day(d, include_today=True)
    moved = calendar.add_bank_days(start, n)
    assert calendar.is_bank_day(moved)
    assert calendar.add_bank_days(moved, -n) == start


@given(calendar=calendars, d=days)
def test_next_bank_day_is_a_later_bank_day_with_none_between(
    calendar: BankCalendar, d: dt.date
) -> None:
    following = calendar.next_bank_day(d)
    assert following > d
    assert calendar.is_bank_day(following)
    assert calendar.bank_days_between(d + dt.timedelta(days=1), following) == 0
    previous = calendar.previous_bank_day(d)
    assert previous < d
    assert calendar.is_bank_day(previous)


@given(calendar=calendars, d=days, n=steps)
def test_bank_days_between_counts_add_bank_days(calendar: BankCalendar, d: dt.date, n: int) -> None:
    start = calendar.next_bank_day(d, include_today=True)
    assert calendar.bank_days_between(start, calendar.add_bank_days(start, n)) == n


@given(calendar=calendars, a=days, b=days)
def test_bank_days_between_matches_a_day_by_day_count(
    calendar: BankCalendar, a: dt.date, b: dt.date
) -> None:
    low, high = min(a, b), min(max(a, b), min(a, b) + dt.timedelta(days=800))
    slow = sum(calendar.is_bank_day(low + dt.timedelta(days=i)) for i in range((high - low).days))
    assert calendar.bank_days_between(low, high) == slow
    assert calendar.bank_days_between(high, low) == -slow


# -- calendars and errors ----------------------------------------------------------------------


def test_calendar_for_is_shared_and_case_insensitive() -> None:
    assert calendar_for("se") is SE
    assert calendar_for(" NO ") is NO
    assert SE.country == "SE"
    assert NO.country == "NO"
    assert SE.holidays_of_year(2026) is SE.holidays_of_year(2026)


@pytest.mark.parametrize("country", ["DK", "", "Sweden", "FI"])
def test_unknown_country_is_refused(country: str) -> None:
    with pytest.raises(ValueError, match="supported: NO, SE"):
        calendar_for(country)
    with pytest.raises(ValueError, match="supported"):
        BankCalendar(country)


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError):
        SE.is_bank_day(dt.datetime(2026, 12, 24, 12, 0))


# -- the management command --------------------------------------------------------------------


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("bankdays", *args, stdout=out)
    return out.getvalue().splitlines()


def test_command_lists_december_2026_in_sweden() -> None:
    lines = _run("2026-12")
    assert lines[0] == "Bank days in 2026-12 (SE): 20"
    bank_lines = lines[1:21]
    assert bank_lines[0] == "2026-12-01 Tuesday"
    assert bank_lines[-1] == "2026-12-30 Wednesday"
    assert "2026-12-23 Wednesday" in bank_lines
    assert "2026-12-28 Monday" in bank_lines
    assert not any(line.startswith(("2026-12-05", "2026-12-24")) for line in bank_lines)
    assert lines[21:] == [
        "Non-bank weekdays: 3",
        "2026-12-24 Thursday: Christmas Eve",
        "2026-12-25 Friday: Christmas Day",
        "2026-12-31 Thursday: New Year's Eve",
    ]


def test_command_norway_option() -> None:
    lines = _run("2026-05", "--country", "NO")
    assert lines[0] == "Bank days in 2026-05 (NO): 18"
    assert "2026-05-25 Monday: Pentecost Monday" in lines
    assert "2026-05-14 Thursday: Ascension Day" in lines
    assert not any(line.startswith("2026-05-17") for line in lines)  # a Sunday: not listed


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "12-2026", "2026/12", "x", "2026-00"])
def test_command_refuses_a_malformed_month(month: str) -> None:
    with pytest.raises(CommandError, match="YYYY-MM"):
        _run(month)


def test_command_refuses_an_unknown_country() -> None:
    with pytest.raises(CommandError, match="supported"):
        _run("2026-12", "--country", "DK")
