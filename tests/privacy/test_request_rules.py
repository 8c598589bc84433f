"""The pure rules of data subject requests: the state table, the one month of Art. 12(3) and its
extension, due and overdue, and the free copy once a year (seed 001)."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.privacy import rules
from trygg.privacy.rules import RequestState as S

D = dt.date
SE_HOLIDAYS = {
    D(2026, 12, 24),
    D(2026, 12, 25),
    D(2026, 12, 26),
    D(2026, 12, 31),
    D(2027, 1, 1),
    D(2027, 1, 6),
}


def holiday(day: dt.date) -> bool:
    return day in SE_HOLIDAYS


@pytest.mark.parametrize(
    ("received", "extended", "deadline"),
    [
        (D(2026, 11, 2), False, D(2026, 12, 2)),  # a Wednesday: the same day a month later
        (D(2026, 3, 31), False, D(2026, 4, 30)),  # no 31 April: the month's last day
        (D(2026, 11, 24), False, D(2026, 12, 28)),  # 24 Dec: eve, holidays, weekend -> Monday
        (D(2026, 12, 1), False, D(2027, 1, 4)),  # 1 Jan a holiday, 2-3 a weekend
        (D(2026, 11, 2), True, D(2027, 2, 2)),  # extended: three months from receipt
        (D(2026, 11, 30), True, D(2027, 3, 1)),  # 28 Feb 2027 is a Sunday -> Monday 1 March
    ],
)
def test_answer_by(received: dt.date, extended: bool, deadline: dt.date) -> None:
    assert rules.answer_by(received, extended=extended, is_holiday=holiday) == deadline


def test_a_month_ending_on_a_saturday_moves_forward_not_back() -> None:
    # 31 January + one month = 28 February 2026 (clamped), a Saturday: Monday 2 March.
    assert rules.answer_by(D(2026, 1, 31), extended=False, is_holiday=holiday) == D(2026, 3, 2)


@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        (D(2026, 12, 2), D(2026, 12, 3), rules.Urgency.OVERDUE),
        (D(2026, 12, 2), D(2026, 12, 2), rules.Urgency.DUE_SOON),  # the last day: still on time
        (D(2026, 12, 2), D(2026, 11, 25), rules.Urgency.DUE_SOON),  # 7 days ahead
        (D(2026, 12, 2), D(2026, 11, 24), rules.Urgency.ON_TIME),  # 8 days ahead
    ],
)
def test_urgency(deadline: dt.date, today: dt.date, expected: rules.Urgency) -> None:
    assert rules.urgency(deadline, today) is expected


@pytest.mark.parametrize(
    ("received", "last_free", "free"),
    [
        (D(2026, 11, 22), None, True),
        (D(2026, 11, 22), D(2025, 11, 22), True),  # twelve months to the day: a new year
        (D(2026, 11, 22), D(2025, 11, 23), False),  # one day short of twelve months
        (D(2026, 11, 22), D(2026, 6, 1), False),
    ],
)
def test_one_free_copy_a_year(received: dt.date, last_free: dt.date | None, free: bool) -> None:
    assert rules.copy_is_free(received, last_free) is free


TABLE = {
    (S.RECEIVED, S.VERIFIED),
    (S.RECEIVED, S.REFUSED),
    (S.RECEIVED, S.WITHDRAWN),
    (S.VERIFIED, S.EXTENDED),
    (S.VERIFIED, S.COMPLETED),
    (S.VERIFIED, S.REFUSED),
    (S.VERIFIED, S.WITHDRAWN),
    (S.EXTENDED, S.COMPLETED),
    (S.EXTENDED, S.REFUSED),
    (S.EXTENDED, S.WITHDRAWN),
}


@pytest.mark.parametrize("now", list(S))
@pytest.mark.parametrize("to", list(S))
def test_every_move_of_the_state_table(now: S, to: S) -> None:
    if (now, to) in TABLE:
        rules.check_request_move(now, to)
    else:
        with pytest.raises(rules.RuleError) as caught:
            rules.check_request_move(now, to)
        assert caught.value.code == "request.transition"


def test_an_extension_needs_reasons_and_comes_within_the_first_month() -> None:
    rules.check_extension(D(2026, 11, 2), D(2026, 12, 2), "Many records in archives.")
    with pytest.raises(rules.RuleError, match="reasons"):
        rules.check_extension(D(2026, 11, 2), D(2026, 11, 3), "  ")
    with pytest.raises(rules.RuleError, match="within one month"):
        rules.check_extension(D(2026, 11, 2), D(2026, 12, 3), "Late.")
