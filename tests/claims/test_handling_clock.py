"""The claims' handling time: one month from the report, a pause while information is awaited
moving the due date by the days it stood still, and where a claim stands on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.claims import rules
from trygg.claims.rules import Handling

D = dt.date


@pytest.mark.parametrize(
    ("reported", "due"),
    [
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: its last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # a leap year
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),  # across the year
        (D(2026, 2, 28), D(2026, 3, 28)),
    ],
)
def test_one_month_from_the_report(reported: dt.date, due: dt.date) -> None:
    assert rules.handling_due(reported) == due


def test_the_days_waiting_move_the_due_date() -> None:
    # Asked on 10 March, the answer on 24 March: 14 days, so 15 April becomes 29 April.
    paused = rules.pause_days(D(2026, 3, 10), D(2026, 3, 24))
    assert paused == 14
    assert rules.handling_due(D(2026, 3, 15), paused) == D(2026, 4, 29)
    # An answer the same day stops nothing.
    assert rules.pause_days(D(2026, 3, 10), D(2026, 3, 10)) == 0


def test_an_answer_cannot_come_before_the_question() -> None:
    with pytest.raises(rules.BenefitError) as wrong:
        rules.pause_days(D(2026, 3, 10), D(2026, 3, 9))
    assert (wrong.value.code, wrong.value.field) == ("claim.pause", "until")
    with pytest.raises(rules.BenefitError):
        rules.handling_due(D(2026, 3, 10), -1)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 4, 7), Handling.ON_TIME),  # 8 days before
        (D(2026, 4, 8), Handling.DUE),  # 7 days before
        (D(2026, 4, 15), Handling.DUE),  # the due date itself
        (D(2026, 4, 16), Handling.OVERDUE),  # the day after
    ],
)
def test_due_and_overdue_across_their_boundaries(today: dt.date, status: Handling) -> None:
    assert rules.handling_status(D(2026, 4, 15), None, today) is status


def test_waiting_is_neither_due_nor_overdue() -> None:
    assert rules.handling_status(D(2026, 4, 15), D(2026, 4, 1), D(2026, 5, 30)) is Handling.WAITING


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_due_is_one_calendar_month_later_plus_the_pause(reported: dt.date, paused: int) -> None:
    due = rules.handling_due(reported, paused)
    base = due - dt.timedelta(days=paused)
    assert (base.year * 12 + base.month) - (reported.year * 12 + reported.month) == 1
    month_end = (base + dt.timedelta(days=1)).day == 1
    assert base.day == reported.day or (base.day < reported.day and month_end)
