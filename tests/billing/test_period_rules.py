"""The payer's period on the mandate: the day a new period can begin (pure rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.billing import period_rules as pr

D = dt.date
MONTHLY, HALF_YEARLY, YEARLY = 1, 6, 12


def term(start: D, months: int, end: D | None = None) -> pr.Term:
    ends = end or pr.add_months(start, 12)
    starts = tuple(
        s for s in (pr.add_months(start, i * months) for i in range(12 // months)) if s < ends
    )
    return pr.Term(start, ends, starts)


YEAR_2027 = D(2027, 1, 1)


@pytest.mark.parametrize(
    ("old", "new", "today", "collected", "days"),
    [
        # Before the insurance year starts, any period can begin with it.
        (MONTHLY, YEARLY, D(2026, 12, 10), [], [YEAR_2027, D(2028, 1, 1)]),
        # A yearly premium collected: the new period begins with the next insurance year.
        (YEARLY, MONTHLY, D(2027, 1, 10), [YEAR_2027], [D(2028, 1, 1)]),
        # The first half-year collected: monthly from its second half.
        (HALF_YEARLY, MONTHLY, D(2027, 2, 10), [YEAR_2027], [D(2027, 7, 1), D(2028, 1, 1)]),
        # Monthly to half-yearly: only where whole half-years are left.
        (
            MONTHLY,
            HALF_YEARLY,
            D(2027, 3, 10),
            [YEAR_2027, D(2027, 2, 1), D(2027, 3, 1)],
            [D(2027, 7, 1), D(2028, 1, 1)],
        ),
        # Monthly to yearly inside the year: only at its end.
        (MONTHLY, YEARLY, D(2027, 3, 10), [YEAR_2027], [D(2028, 1, 1)]),
        # Yearly to half-yearly before anything is collected: from the start.
        (YEARLY, HALF_YEARLY, D(2026, 12, 31), [], [YEAR_2027, D(2028, 1, 1)]),
    ],
)
def test_change_days(old: int, new: int, today: D, collected: list[D], days: list[D]) -> None:
    terms = [term(YEAR_2027, old)]
    assert pr.change_days(terms=terms, months=new, today=today, collected=collected) == days
    assert pr.change_day(terms=terms, months=new, today=today, collected=collected) == days[0]


def test_a_day_inside_a_collected_period_is_refused_with_the_day_needed() -> None:
    terms = [term(YEAR_2027, HALF_YEARLY)]
    with pytest.raises(pr.PeriodRuleError) as error:
        pr.change_day(
            terms=terms,
            months=MONTHLY,
            today=D(2027, 2, 10),
            collected=[YEAR_2027],
            wanted=D(2027, 3, 1),
        )
    assert error.value.code == "period.collected" and error.value.field == "period_from"
    assert error.value.needed == D(2027, 7, 1)


def test_a_day_that_is_no_period_start_names_the_next_one() -> None:
    terms = [term(YEAR_2027, MONTHLY)]
    with pytest.raises(pr.PeriodRuleError) as error:
        pr.change_day(
            terms=terms,
            months=HALF_YEARLY,
            today=D(2027, 3, 10),
            collected=[YEAR_2027, D(2027, 2, 1), D(2027, 3, 1)],
            wanted=D(2027, 4, 1),
        )
    assert error.value.code == "period.not_a_period_start"
    assert error.value.needed == D(2027, 7, 1)
    # The allowed day itself is taken.
    assert pr.change_day(
        terms=terms,
        months=HALF_YEARLY,
        today=D(2027, 3, 10),
        collected=[YEAR_2027],
        wanted=D(2027, 7, 1),
    ) == D(2027, 7, 1)


def test_a_renewal_already_written_counts_as_the_next_year() -> None:
    terms = [term(YEAR_2027, YEARLY), term(D(2028, 1, 1), YEARLY)]
    # The renewal's yearly premium is already collected as well: the year after.
    days = pr.change_days(
        terms=terms, months=MONTHLY, today=D(2027, 12, 30), collected=[YEAR_2027, D(2028, 1, 1)]
    )
    assert days == [D(2029, 1, 1)]


def test_collected_until_is_the_end_of_the_last_collected_period() -> None:
    terms = [term(YEAR_2027, HALF_YEARLY)]
    assert pr.collected_until(terms, []) is None
    assert pr.collected_until(terms, [YEAR_2027]) == D(2027, 7, 1)
    assert pr.collected_until(terms, [YEAR_2027, D(2027, 7, 1)]) == D(2028, 1, 1)


@given(
    st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31)),
    st.sampled_from([MONTHLY, HALF_YEARLY, YEARLY]),
    st.sampled_from([MONTHLY, HALF_YEARLY, YEARLY]),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=-40, max_value=400),
)
def test_every_allowed_day_starts_a_period_after_today_and_the_collected_ones(
    start: D, old: int, new: int, paid: int, offset: int
) -> None:
    t = term(start, old)
    collected = [s for s in t.period_starts if s < pr.add_months(start, paid)]
    today = start + dt.timedelta(days=offset)
    days = pr.change_days(terms=[t], months=new, today=today, collected=collected)
    assert t.ends_on in days or t.ends_on <= today
    until = pr.collected_until([t], collected)
    for day in days:
        assert day > today
        assert until is None or day >= until
        assert day in (*t.period_starts, t.ends_on)
        rest = pr.whole_months(day, t.ends_on)
        assert rest is not None and rest % new == 0
