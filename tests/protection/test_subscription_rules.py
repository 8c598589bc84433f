"""The subscription rules at their edges: terms, notice, the bank days a payment may be under way,
due date moves, KID check digits and the entity of a date."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.kernel.bankdays import calendar_for
from trygg.protection import rules
from trygg.protection.rules import PaymentPlan, RuleError

D = dt.date


def add_no(day: dt.date, n: int) -> dt.date:
    return calendar_for("NO").add_bank_days(day, n)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 5), 3, D(2026, 4, 4)),
        (D(2026, 1, 31), 1, D(2026, 2, 27)),  # to 28 Feb, ending the day before
        (D(2026, 11, 30), 3, D(2027, 2, 27)),
        (D(2024, 2, 29), 12, D(2025, 2, 27)),
        (D(2026, 1, 1), 12, D(2026, 12, 31)),
    ],
)
def test_term_end(start: dt.date, months: int, end: dt.date) -> None:
    assert rules.term_end(start, months) == end


@pytest.mark.parametrize(
    ("plan", "notice_on", "end"),
    [
        # Monthly, first (binding) term 5 Jan - 4 Apr: a notice inside it ends at its end.
        (PaymentPlan.MONTHLY, D(2026, 1, 6), D(2026, 4, 4)),
        (PaymentPlan.MONTHLY, D(2026, 4, 4), D(2026, 4, 4)),
        # After the first term: one month's notice.
        (PaymentPlan.MONTHLY, D(2026, 4, 5), D(2026, 5, 4)),
        (PaymentPlan.MONTHLY, D(2026, 5, 10), D(2026, 6, 9)),
        # Prepaid and insurance: the end of the period paid for.
        (PaymentPlan.PREPAID, D(2026, 5, 10), D(2026, 7, 4)),
        (PaymentPlan.ANNUAL, D(2026, 5, 10), D(2026, 7, 4)),
    ],
)
def test_earliest_end(plan: PaymentPlan, notice_on: dt.date, end: dt.date) -> None:
    assert (
        rules.earliest_end(
            plan=plan,
            notice_on=notice_on,
            first_term_end=D(2026, 4, 4),
            current_term_end=D(2026, 7, 4),
        )
        == end
    )


def test_cancellation_before_the_notice_allows_is_refused() -> None:
    kwargs = {
        "plan": PaymentPlan.MONTHLY,
        "notice_on": D(2026, 5, 10),
        "first_term_end": D(2026, 4, 4),
        "current_term_end": D(2026, 7, 4),
    }
    assert rules.check_cancellation(**kwargs, end_on=D(2026, 6, 9)) == D(2026, 6, 9)
    assert rules.check_cancellation(**kwargs, end_on=D(2026, 6, 20)) == D(2026, 6, 20)
    with pytest.raises(RuleError) as refused:
        rules.check_cancellation(**kwargs, end_on=D(2026, 6, 8))
    assert (refused.value.code, refused.value.field) == ("cancellation.notice", "end_on")
    with pytest.raises(RuleError) as period:
        rules.check_cancellation(**{**kwargs, "plan": PaymentPlan.ANNUAL}, end_on=D(2026, 12, 1))
    assert period.value.code == "cancellation.period_end"


@pytest.mark.parametrize(
    ("deadline", "first_action"),
    [
        (D(2026, 2, 5), D(2026, 2, 12)),  # Thu: Fri, Mon, Tue, Wed are the 4 bank days
        (D(2026, 2, 6), D(2026, 2, 13)),  # Fri
        (D(2026, 2, 7), D(2026, 2, 13)),  # Sat: Mon-Thu
        # Easter 2026 in Norway: 2, 3 and 6 April are holidays, so 4 bank days after
        # Tuesday 31 March run to Thursday 9 April.
        (D(2026, 3, 31), D(2026, 4, 10)),
        # 17 May (Constitution Day) 2027 is a Monday.
        (D(2027, 5, 14), D(2027, 5, 22)),
    ],
)
def test_no_reminder_while_a_payment_may_be_under_way(
    deadline: dt.date, first_action: dt.date
) -> None:
    assert rules.action_after(deadline, add_no) == first_action


def _move(**changes: object) -> None:
    kwargs: dict[str, object] = {
        "rule": rules.DueMoveRule(moves=1, max_days=30),
        "moves_used": 0,
        "original_due": D(2026, 2, 5),
        "current_due": D(2026, 2, 5),
        "new_due": D(2026, 3, 7),
        "reminders": 0,
        "today": D(2026, 2, 1),
    }
    kwargs.update(changes)
    rules.check_due_move(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, None),
        ({"new_due": D(2026, 3, 8)}, "due_on.too_late"),
        ({"moves_used": 1}, "due_on.moves_used"),
        ({"new_due": D(2026, 2, 5)}, "due_on.not_later"),
        ({"reminders": 1}, "due_on.reminded"),
        ({"rule": rules.DueMoveRule(moves=2, max_days=30), "moves_used": 1}, None),
    ],
)
def test_due_date_moves(changes: dict[str, object], code: str | None) -> None:
    if code is None:
        _move(**changes)
        return
    with pytest.raises(RuleError) as refused:
        _move(**changes)
    assert (refused.value.code, refused.value.field) == (code, "due_on")


@pytest.mark.parametrize(
    ("kid", "valid"),
    [
        ("1234567897", True),  # MOD10
        ("1234567898", False),  # the check digit changed
        ("12345678903", True),  # MOD10
        ("12345678901", False),
        ("0000000000000000000000000", True),
        ("12345678", False),
        ("1234567-", False),
        ("12345674", True),  # MOD11: 1234567 -> 4
        ("0000000018", True),  # MOD10 of 000000001 is 8
        ("12a45", False),
        ("5", False),
    ],
)
def test_kid_check_digits(kid: str, valid: bool) -> None:
    if valid:
        assert rules.kid_check(kid) == kid
    else:
        with pytest.raises(RuleError) as refused:
            rules.kid_check(kid)
        assert refused.value.field == "kid"


def test_kid_made_passes_its_own_check_and_one_wrong_digit_fails() -> None:
    for number in (1, 42, 10_000_001, 99_999_999_999):
        kid = rules.kid_make(str(number))
        assert rules.kid_check(kid) == kid
        wrong = kid[:-1] + str((int(kid[-1]) + 1) % 10)
        if wrong[-1] != rules.kid_mod11(kid[:-1]):
            with pytest.raises(RuleError):
                rules.kid_check(wrong)


def test_entity_of_a_date() -> None:
    old = rules.EntityTerms("as", D(2000, 1, 1))
    new = rules.EntityTerms("ab", D(2019, 10, 1))
    assert rules.entity_on([old, new], D(2019, 9, 30)) == old
    assert rules.entity_on([old, new], D(2019, 10, 1)) == new
    with pytest.raises(RuleError):
        rules.entity_on([new], D(2019, 9, 30))


def test_every_agreement_state_is_in_the_table() -> None:
    assert set(rules.AGREEMENT_TRANSITIONS) == set(rules.AgreementState)
    assert set(rules.INVOICE_TRANSITIONS) == set(rules.InvoiceState)
    for state in (rules.AgreementState.ENDED, rules.AgreementState.LAPSED):
        assert rules.AGREEMENT_TRANSITIONS[state] == frozenset()
