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


def test_terminations() -> None:
    assert rules.holder_termination_end(D(2026, 1, 31)) == D(2026, 2, 28)
    assert rules.insurer_termination_end(D(2026, 1, 10), at_once=False) == D(2026, 2, 9)
    assert rules.insurer_termination_end(D(2026, 1, 10), at_once=True) == D(2026, 1, 10)


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
