"""A bank day's payments: debit or credit what is due, by the scenario's outcomes.

* Status 0 approved, 1 insufficient funds, 2 no mandate or account closed.
* Status 9, renewed balance check: Bankgirot tries again on each of the next
  :data:`MAX_RETRIES` bank days; the last attempt ends approved (0) or unfunded (1).
* A closed account fails the payment (2); the payer's bank then deletes the mandate (notice on
  the same day, information code 46 and comment code 02) and Bankgirot cancels the payer's other
  pending payments (TK03 in the cancellation/amendment file).
* Credits (TK32) are made unless the payer is in ``closed_accounts``; they do not use the
  payers' outcome lists.
* A payer listed under ``refunds`` claims back the first approved debit: a TK77 refund on the
  next bank day.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Final

from . import answercodes as ac
from .incoming import cancel_payer_payments
from .orders import Context, advance, current_payment, prune
from .scenario import APPROVED, CLOSED_ACCOUNT, INSUFFICIENT_FUNDS, OUTCOMES, RENEWED_BALANCE_CHECK
from .state import DELETED, NoticeDue, Payment, RefundDue

__all__ = ["MAX_RETRIES", "settle_day"]

MAX_RETRIES: Final = 3
"""Renewed balance checks after the first attempt."""

_NO_MANDATE_STATUS: Final = OUTCOMES[CLOSED_ACCOUNT]


def _due_today(ctx: Context, day: date) -> list[Payment]:
    state = ctx.state
    payments: list[Payment] = []
    for order in state.orders:
        if order.due is not None and order.due <= day:
            payments.append(current_payment(order, ctx.cal))
            advance(order, ctx.cal)
    prune(state)
    retries = [p for p in state.retries if p.due <= day]
    state.retries = [p for p in state.retries if p.due > day]
    payments.extend(retries)
    payments.sort(key=lambda p: (p.bankgiro, p.tk, p.payer_number, p.order_id))
    return payments


def _refund_later(ctx: Context, payment: Payment, day: date) -> None:
    code = ctx.scenario.refund_code(payment.payer_number)
    if code is None or payment.payer_number in ctx.state.refunded:
        return
    ctx.state.refunded.append(payment.payer_number)
    ctx.state.refunds.append(
        RefundDue(
            day=ctx.cal.next_bank_day(day),
            bankgiro=payment.bankgiro,
            payer_number=payment.payer_number,
            amount=payment.amount,
            payment_date=day,
            period=payment.period,
            repeats=payment.repeats,
            reference=payment.reference,
            refund_code=code,
        )
    )


def _attempt(ctx: Context, payment: Payment, day: date, closed: set[tuple[str, str]]) -> str:
    """The status of one attempt."""
    state, scenario = ctx.state, ctx.scenario
    key = (payment.bankgiro, payment.payer_number)
    if key in closed or state.active_mandate(*key) is None:
        return _NO_MANDATE_STATUS
    if payment.tk == "32":
        if payment.payer_number in scenario.closed_accounts:
            closed.add(key)
            return _NO_MANDATE_STATUS
        return OUTCOMES[APPROVED]
    used = state.attempts.get(payment.payer_number, 0)
    state.attempts[payment.payer_number] = used + 1
    outcome = scenario.outcome(payment.payer_number, used)
    if outcome == RENEWED_BALANCE_CHECK:
        if payment.attempt <= MAX_RETRIES:
            retry = dataclasses.replace(
                payment, due=ctx.cal.next_bank_day(day), attempt=payment.attempt + 1
            )
            state.retries.append(retry)
            return OUTCOMES[RENEWED_BALANCE_CHECK]
        outcome = INSUFFICIENT_FUNDS
    if outcome == CLOSED_ACCOUNT:
        closed.add(key)
    elif outcome == APPROVED:
        _refund_later(ctx, payment, day)
    return OUTCOMES[outcome]


def _bank_deletes_mandate(ctx: Context, bankgiro: str, payer_number: str, day: date) -> None:
    mandate = ctx.state.active_mandate(bankgiro, payer_number)
    if mandate is None:
        return
    mandate.status = DELETED
    mandate.account_closed = True
    mandate.comment_code = ac.MANDATE_BANK_DELETED
    mandate.ended = day
    ctx.state.notices.append(
        NoticeDue(
            day=day,
            bankgiro=bankgiro,
            payer_number=payer_number,
            account=mandate.account,
            identity=mandate.identity,
            information_code=ac.INFO_DELETED_BY_PAYER_OR_BANK,
            comment_code=ac.MANDATE_BANK_DELETED,
            valid_from=day,
        )
    )
    cancel_payer_payments(ctx, bankgiro, payer_number, day)


def settle_day(ctx: Context, day: date) -> tuple[list[tuple[Payment, str]], list[RefundDue]]:
    """Make the payments due on the bank day ``day``; returns them with their status, and the
    refunds to report."""
    closed: set[tuple[str, str]] = set()
    results = [(payment, _attempt(ctx, payment, day, closed)) for payment in _due_today(ctx, day)]
    for bankgiro, payer_number in sorted(closed):
        _bank_deletes_mandate(ctx, bankgiro, payer_number, day)
    refunds = [r for r in ctx.state.refunds if r.day <= day]
    ctx.state.refunds = [r for r in ctx.state.refunds if r.day > day]
    return results, refunds
