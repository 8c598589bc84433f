"""The premium schedule, table-driven (pure rules): payment periods begin on the first of a month,
a policy that starts inside a month pays the broken part with its first instalment, and a term
is the broken part and twelve whole months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.insurance import rules

D = dt.date
M, H, Y = rules.Period.MONTHLY, rules.Period.HALF_YEARLY, rules.Period.YEARLY


@pytest.mark.parametrize(
    ("starts_on", "first", "end"),
    [
        (D(2027, 1, 1), D(2027, 1, 1), D(2028, 1, 1)),  # on the first: no broken part
        (D(2027, 3, 15), D(2027, 4, 1), D(2028, 4, 1)),
        (D(2027, 12, 31), D(2028, 1, 1), D(2029, 1, 1)),  # the year end
        (D(2028, 2, 29), D(2028, 3, 1), D(2029, 3, 1)),  # leap day
        (D(2027, 6, 2), D(2027, 7, 1), D(2028, 7, 1)),  # the half-year end
    ],
)
def test_the_first_whole_period_and_the_term_end(starts_on: D, first: D, end: D) -> None:
    assert rules.first_period_start(starts_on) == first
    assert rules.term_end(starts_on) == end


@pytest.mark.parametrize(
    ("period", "starts_on", "due_froms", "broken"),
    [
        # 1 200 kr a year from 15 March 2027: 17 days of the 366 from 1 April 2027 (2028 leaps).
        (
            M,
            D(2027, 3, 15),
            [D(2027, 4, 1)]
            + [D(2027, m, 1) for m in range(5, 13)]
            + [D(2028, m, 1) for m in range(1, 4)],
            Decimal("55.74"),
        ),
        (H, D(2027, 3, 15), [D(2027, 4, 1), D(2027, 10, 1)], Decimal("55.74")),
        (Y, D(2027, 3, 15), [D(2027, 4, 1)], Decimal("55.74")),
        (M, D(2027, 1, 1), [D(2027, m, 1) for m in range(1, 13)], Decimal(0)),
        (H, D(2027, 1, 1), [D(2027, 1, 1), D(2027, 7, 1)], Decimal(0)),
        (Y, D(2027, 12, 31), [D(2028, 1, 1)], Decimal("3.28")),  # one day of 2028's 366
    ],
)
def test_instalments_fall_on_the_first_of_each_period_the_broken_part_with_the_first(
    period: rules.Period, starts_on: D, due_froms: list[D], broken: Decimal
) -> None:
    year_total = Decimal("1200.00")
    plan = rules.schedule(
        starts_on=starts_on, ends_on=rules.term_end(starts_on), period=period, year_total=year_total
    )
    assert [i.due_from for i in plan] == due_froms
    assert all(i.due_from.day == 1 for i in plan)
    assert plan[0].period_start == starts_on and plan[0].broken == broken
    assert all(i.broken == 0 for i in plan[1:])
    assert sum(i.amount for i in plan) == year_total + broken


def test_a_term_cut_inside_its_broken_month_pays_the_broken_days_only() -> None:
    plan = rules.schedule(
        starts_on=D(2027, 3, 15), ends_on=D(2027, 3, 25), period=M, year_total=Decimal("1200")
    )
    assert [(i.period_start, i.due_from) for i in plan] == [(D(2027, 3, 15), D(2027, 4, 1))]
    assert plan[0].amount == plan[0].broken == Decimal("32.79")  # 10 of 366 days


def test_a_term_cut_short_keeps_the_periods_begun() -> None:
    plan = rules.schedule(
        starts_on=D(2027, 3, 15), ends_on=D(2027, 6, 10), period=M, year_total=Decimal("1200")
    )
    assert [i.due_from for i in plan] == [D(2027, 4, 1), D(2027, 5, 1), D(2027, 6, 1)]


@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31)),
    st.sampled_from(list(rules.Period)),
    st.integers(min_value=100, max_value=10_000_000),
)
def test_every_instalment_falls_on_a_first_and_the_term_adds_up(
    starts_on: D, period: rules.Period, ore: int
) -> None:
    year_total = Decimal(ore) / 100
    end = rules.term_end(starts_on)
    plan = rules.schedule(starts_on=starts_on, ends_on=end, period=period, year_total=year_total)
    assert len(plan) == period.instalments
    assert all(i.due_from.day == 1 and i.due_from >= starts_on for i in plan)
    assert rules.add_months(plan[-1].due_from, period.months) == end
    assert sum(i.amount for i in plan) - plan[0].broken == year_total
    assert 0 <= plan[0].broken < year_total * 31 / 365
