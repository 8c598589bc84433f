"""The agreement's deadlines to the bank day, and the state tables (pure rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.billing import rules

D = dt.date


@pytest.mark.parametrize(
    ("period_start", "due"),
    [
        (D(2026, 12, 1), D(2026, 12, 1)),  # a Tuesday
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year's Day, then a weekend
        (D(2026, 8, 1), D(2026, 8, 3)),  # a Saturday
        (D(2026, 6, 19), D(2026, 6, 22)),  # Midsummer Eve (a Friday)
        (D(2026, 12, 24), D(2026, 12, 28)),  # Christmas Eve, Christmas, Boxing Day, Sunday
        (D(2026, 12, 31), D(2027, 1, 4)),  # New Year's Eve
        (D(2026, 4, 3), D(2026, 4, 7)),  # Good Friday, Easter Monday
        (D(2026, 5, 14), D(2026, 5, 15)),  # Ascension Day
        (D(2026, 6, 6), D(2026, 6, 8)),  # National Day on a Saturday
        (D(2025, 6, 6), D(2025, 6, 9)),  # National Day on a Friday
        (D(2026, 5, 1), D(2026, 5, 4)),  # May Day on a Friday
        (D(2028, 5, 1), D(2028, 5, 2)),  # May Day on a Monday
        (D(2027, 7, 1), D(2027, 7, 1)),  # the half-year's first day, a Thursday
    ],
)
def test_due_on_the_first_bank_day_of_the_period(period_start: D, due: D) -> None:
    assert rules.due_date(period_start) == due


@pytest.mark.parametrize(
    ("unpaid_due", "renewed_month", "renewed_due"),
    [
        (D(2027, 1, 4), D(2027, 2, 1), D(2027, 2, 1)),  # a yearly payer's January premium
        (D(2027, 12, 1), D(2028, 1, 1), D(2028, 1, 3)),  # across the year end, 1 January
        (D(2028, 4, 3), D(2028, 5, 1), D(2028, 5, 2)),  # to a May Day on a Monday
        (D(2027, 7, 1), D(2027, 8, 1), D(2027, 8, 2)),  # a half-yearly payer's July premium
    ],
)
def test_rule_b_debits_again_on_the_first_bank_day_of_the_following_month(
    unpaid_due: D, renewed_month: D, renewed_due: D
) -> None:
    assert rules.renewed_debit_month(unpaid_due) == renewed_month
    assert rules.due_date(renewed_month) == renewed_due


@pytest.mark.parametrize(
    ("term_premium", "collected", "invoiced"),
    [
        ("1200.00", "0", "1200.00"),  # nothing paid: the whole year
        ("1200.00", "315.00", "885.00"),  # three monthly premiums of 105 credited
        ("1200.00", "1260.00", "0"),  # paid above the yearly price: nothing, no refund
    ],
)
def test_the_rest_of_the_term_after_autogiro(
    term_premium: str, collected: str, invoiced: str
) -> None:
    assert rules.remainder_after_autogiro(
        term_premium=Decimal(term_premium), collected=Decimal(collected)
    ) == Decimal(invoiced)


def test_references_of_follow_ups_never_collide_with_premiums() -> None:
    premium = rules.charge_reference("40000010", D(2027, 2, 1))
    assert (
        len(
            {
                premium,
                rules.renewed_debit_reference("40000010", D(2027, 2, 1)),
                rules.remainder_reference("40000010", D(2027, 2, 1)),
                rules.stopped_invoice_reference(premium),
            }
        )
        == 4
    )
    assert all(
        len(r) <= 16 for r in (rules.remainder_reference("40000010", D(2027, 2, 1)), premium + "8")
    )


@pytest.mark.parametrize(
    ("due", "last_stop", "last_revoke"),
    [
        # Thursday 3 December: 2 bank days back is Tuesday 1st, 5 back is Thursday 26 November.
        (D(2026, 12, 3), D(2026, 12, 1), D(2026, 11, 26)),
        # Monday 4 January 2027 across New Year's Eve and Christmas.
        (D(2027, 1, 4), D(2026, 12, 29), D(2026, 12, 22)),
        # Monday 22 June after Midsummer Eve.
        (D(2026, 6, 22), D(2026, 6, 17), D(2026, 6, 12)),
    ],
)
def test_stop_and_revoke_deadlines_exactly(due: D, last_stop: D, last_revoke: D) -> None:
    assert rules.stop_deadline(due).last_day == last_stop
    assert rules.revoke_deadline(due).last_day == last_revoke
    rules.check_stop(due=due, today=last_stop)  # exactly 2 bank days before: in time
    with pytest.raises(rules.RuleError) as late:
        rules.check_stop(due=due, today=last_stop + dt.timedelta(days=1))
    assert late.value.code == "stop.too_late" and late.value.params["deadline"] == last_stop
    assert rules.revocation_effect(today=last_revoke, next_dues=[due]) == due
    later = rules.se_calendar().next_bank_day(last_revoke)
    assert rules.revocation_effect(today=later, next_dues=[due]) is None


def test_notice_8_bank_days_before() -> None:
    assert rules.earliest_due(D(2026, 11, 23)) == D(2026, 12, 3)
    assert rules.notice_deadline(D(2026, 12, 3)) == D(2026, 11, 23)


@pytest.mark.parametrize(
    ("now", "earliest"),
    [
        (dt.datetime(2026, 11, 30, 18, 59), D(2026, 12, 1)),  # before 19:00 on a bank day
        (dt.datetime(2026, 11, 30, 19, 0), D(2026, 12, 2)),  # at 19:00: too late for tomorrow
        (dt.datetime(2026, 12, 23, 12, 0), D(2026, 12, 28)),  # before Christmas
        (dt.datetime(2026, 11, 28, 10, 0), D(2026, 12, 1)),  # a Saturday: Monday's file
    ],
)
def test_the_file_reaches_bankgirot_by_19_the_bank_day_before(
    now: dt.datetime, earliest: D
) -> None:
    assert rules.earliest_payment_date(now) == earliest


HOLDER, INSURER = rules.Terminator.HOLDER, rules.Terminator.INSURER


@pytest.mark.parametrize(
    ("today", "by", "earliest", "deadline"),
    [
        # The account holder: one month before the due date on which the agreement ends.
        (D(2026, 12, 4), HOLDER, D(2027, 1, 4), D(2026, 12, 4)),  # 1 January a holiday
        (D(2026, 12, 5), HOLDER, D(2027, 2, 1), D(2027, 1, 1)),
        (D(2026, 3, 31), HOLDER, D(2026, 5, 4), D(2026, 4, 4)),  # 1 May, then a weekend
        (D(2026, 1, 31), HOLDER, D(2026, 3, 2), D(2026, 2, 2)),  # 1 March a Sunday
        # The insurer: three months before it (not the mandate text's thirty days).
        (D(2026, 12, 1), INSURER, D(2027, 3, 1), D(2026, 12, 1)),
        (D(2026, 12, 2), INSURER, D(2027, 4, 1), D(2027, 1, 1)),
        (D(2026, 10, 4), INSURER, D(2027, 1, 4), D(2026, 10, 4)),
        (D(2026, 10, 5), INSURER, D(2027, 2, 1), D(2026, 11, 1)),
    ],
)
def test_termination_ends_on_a_due_date_after_the_notice(
    today: D, by: rules.Terminator, earliest: D, deadline: D
) -> None:
    assert rules.termination_earliest_end(today, by) == earliest
    assert rules.termination_deadline(earliest, by) == deadline
    rules.check_termination(today=today, end=earliest, by=by)
    rules.check_termination(today=deadline, end=earliest, by=by)  # on the last day: in time
    assert rules.last_autogiro_day(earliest) == earliest - dt.timedelta(days=1)


def test_termination_later_than_its_deadline_names_the_date() -> None:
    with pytest.raises(rules.RuleError) as late:
        rules.check_termination(today=D(2026, 12, 2), end=D(2027, 3, 1), by=INSURER)
    assert late.value.code == "termination.too_late"
    assert late.value.params == {"deadline": D(2026, 12, 1), "earliest": D(2027, 4, 1)}
    with pytest.raises(rules.RuleError) as holder:
        rules.check_termination(today=D(2026, 12, 5), end=D(2027, 1, 4), by=HOLDER)
    assert holder.value.params == {"deadline": D(2026, 12, 4), "earliest": D(2027, 2, 1)}


@pytest.mark.parametrize("end", [D(2027, 1, 1), D(2027, 2, 2), D(2026, 5, 1), D(2027, 3, 31)])
def test_termination_ends_only_on_a_due_date(end: D) -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.check_termination(today=D(2026, 1, 1), end=end, by=HOLDER)
    assert error.value.code == "termination.not_due_date"
    assert error.value.params["due"] == rules.month_due_date(end)


@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2034, 12, 31)),
    st.sampled_from(list(rules.Terminator)),
)
def test_the_earliest_end_is_the_first_due_date_the_notice_allows(
    today: D, by: rules.Terminator
) -> None:
    end = rules.termination_earliest_end(today, by)
    assert end == rules.month_due_date(end) and rules.se_calendar().is_bank_day(end)
    rules.check_termination(today=today, end=end, by=by)
    months = 1 if by == HOLDER else 3
    assert (end - today).days >= 28 * months
    # The due date of the month before is too late.
    before = rules.month_due_date(end.replace(day=1) - dt.timedelta(days=1))
    with pytest.raises(rules.RuleError):
        rules.check_termination(today=today, end=before, by=by)


def test_open_mandate_states_are_one_list() -> None:
    assert rules.OPEN_MANDATE_STATES == {"requested", "sent", "active"}
    for state in rules.OPEN_MANDATE_STATES:
        assert rules.MandateState.REVOKED in rules.MANDATE_TRANSITIONS[state]


def test_state_tables_refuse_what_they_do_not_list() -> None:
    rules.check_move(rules.MANDATE_TRANSITIONS, "sent", "active", "mandate")
    with pytest.raises(rules.RuleError):
        rules.check_move(rules.MANDATE_TRANSITIONS, "rejected", "active", "mandate")
    with pytest.raises(rules.RuleError):
        rules.check_move(rules.CHARGE_TRANSITIONS, "paid", "ordered", "charge")
    for state in rules.ChargeState:
        assert state in rules.CHARGE_TRANSITIONS
    for mandate_state in rules.MandateState:
        assert mandate_state in rules.MANDATE_TRANSITIONS


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)))
def test_a_due_date_is_always_a_bank_day_at_most_a_week_on(start: D) -> None:
    due = rules.due_date(start)
    assert rules.se_calendar().is_bank_day(due)
    assert 0 <= (due - start).days <= 6
    # A stop in time is always before the order goes out, before the due date.
    assert rules.stop_deadline(due).last_day < due
    assert rules.revoke_deadline(due).last_day < rules.stop_deadline(due).last_day


def test_references_are_unique_per_policy_and_period() -> None:
    assert rules.charge_reference("40000010", D(2026, 12, 1)) == "40000010261201"
    assert len(rules.charge_reference("4000001012", D(2026, 12, 1))) == 16


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (dt.date(2026, 11, 23), "run.future"),
        (dt.date(2026, 11, 22), None),
        (dt.date(2026, 11, 15), None),
        (dt.date(2026, 11, 14), "run.too_old"),
        (dt.date(2025, 11, 22), "run.too_old"),
    ],
)
def test_a_run_by_hand_catches_up_a_week_and_never_runs_ahead(
    on: dt.date, code: str | None
) -> None:
    today = dt.date(2026, 11, 22)
    if code is None:
        rules.check_run_date(on=on, today=today)
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_run_date(on=on, today=today)
        assert refused.value.code == code and refused.value.field == "on"
