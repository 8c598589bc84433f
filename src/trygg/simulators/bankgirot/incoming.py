"""Applying a file to Bankgirot: mandates, payment orders, cancellations and date changes.

Everything in a file received on day R is registered that evening; the answers (mandate notices,
rejected orders, cancellation/amendment answers) are sent on the next bank day, P.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from autogiro import (
    GENAST,
    CancelPayerPayments,
    CancelPayerPaymentsOnDate,
    CancelPayment,
    MandateDeletion,
    MoveAllPayments,
    MovePayerPaymentsOnDate,
    MovePayment,
    MovePaymentsOnDate,
    NewMandate,
    Opening,
    PayerNumberChange,
    PaymentOrder,
    Record,
    RejectMandate,
)

from . import answercodes as ac
from .orders import Context, Hit, cancel, find, prune, refresh
from .schedule import Schedule
from .state import (
    ACTIVE,
    DELETED,
    REJECTED,
    AnswerDue,
    MandateEntry,
    NoticeDue,
    OrderEntry,
    Payment,
    RejectionDue,
    mandate_key,
)

__all__ = ["MAX_DAYS_AHEAD", "apply_file", "cancel_payer_payments"]

MAX_DAYS_AHEAD: Final = 366
"""A payment date further than this after the receipt date is refused as wrong (12)."""

_REFERENCE_MARKER: Final = "REFERENS"
_NO_MARKER: Final = "0" * 8


def apply_file(ctx: Context, records: Sequence[Record], receipt: date) -> None:
    """Register the records of an accepted file received on ``receipt``."""
    answer_day = ctx.cal.next_bank_day(receipt)
    for record in records:
        if isinstance(record, Opening):
            ctx.state.payees[record.bankgiro] = record.customer_number
        elif isinstance(record, NewMandate):
            _new_mandate(ctx, record, receipt, answer_day)
        elif isinstance(record, RejectMandate):
            ctx.state.note(
                receipt,
                f"TK04 AV for payer {record.payer_number} ignored: the simulator has no mandates "
                "from Internet banks",
            )
        elif isinstance(record, MandateDeletion):
            _delete_mandate(ctx, record, answer_day)
        elif isinstance(record, PayerNumberChange):
            _change_payer_number(ctx, record, answer_day)
        elif isinstance(record, PaymentOrder):
            _order(ctx, record, receipt, answer_day)
        elif isinstance(record, CancelPayerPayments | CancelPayerPaymentsOnDate | CancelPayment):
            _cancel(ctx, record, answer_day)
        elif isinstance(
            record, MoveAllPayments | MovePaymentsOnDate | MovePayerPaymentsOnDate | MovePayment
        ):
            _move(ctx, record, answer_day)
    prune(ctx.state)


# -- mandates ------------------------------------------------------------------------------------


def _notice(
    ctx: Context,
    day: date,
    bankgiro: str,
    payer_number: str,
    *,
    information: str,
    comment: str,
    mandate: MandateEntry | None = None,
    account: str | None = None,
    identity: str | None = None,
    valid_from: date | None = None,
) -> None:
    ctx.state.notices.append(
        NoticeDue(
            day=day,
            bankgiro=bankgiro,
            payer_number=payer_number,
            account=mandate.account if mandate is not None else account,
            identity=mandate.identity if mandate is not None else identity,
            information_code=information,
            comment_code=comment,
            valid_from=valid_from,
        )
    )


def _new_mandate(ctx: Context, record: NewMandate, receipt: date, answer_day: date) -> None:
    bankgiro, payer = record.bankgiro, record.payer_number
    account = None if record.account is None else str(record.account)
    existing = ctx.state.active_mandate(bankgiro, payer)
    comment = ac.MANDATE_EXISTS if existing is not None else ctx.scenario.mandate_comment(payer)
    created = comment == ac.MANDATE_CREATED
    _notice(
        ctx,
        answer_day,
        bankgiro,
        payer,
        information=ac.INFO_NEW,
        comment=comment,
        account=account,
        identity=record.identity,
        valid_from=answer_day if created else None,
    )
    if existing is not None:
        return
    ctx.state.mandates[mandate_key(bankgiro, payer)] = MandateEntry(
        bankgiro=bankgiro,
        payer_number=payer,
        status=ACTIVE if created else REJECTED,
        comment_code=comment,
        account=account,
        identity=record.identity,
        registered=receipt,
        valid_from=answer_day if created else None,
    )


def cancel_payer_payments(ctx: Context, bankgiro: str, payer_number: str, day: date) -> None:
    """The mandate is gone: drop the payer's pending payments and tell the payee (TK03 answers
    in the cancellation/amendment file of ``day``)."""
    for hit in find(ctx, bankgiro, payer_number=payer_number):
        _answer(ctx, day, "03", hit, comment=ac.AMENDMENT_CANCELLED)
        cancel(ctx, hit, whole_order=True)


def _delete_mandate(ctx: Context, record: MandateDeletion, answer_day: date) -> None:
    bankgiro, payer = record.bankgiro, record.payer_number
    mandate = ctx.state.active_mandate(bankgiro, payer)
    if mandate is None:
        _notice(
            ctx,
            answer_day,
            bankgiro,
            payer,
            information=ac.INFO_DELETED_BY_PAYEE,
            comment=ac.MANDATE_NOT_FOUND,
        )
        return
    mandate.status = DELETED
    mandate.comment_code = ac.MANDATE_DELETED
    mandate.ended = answer_day
    _notice(
        ctx,
        answer_day,
        bankgiro,
        payer,
        information=ac.INFO_DELETED_BY_PAYEE,
        comment=ac.MANDATE_DELETED,
        mandate=mandate,
        valid_from=answer_day,
    )
    cancel_payer_payments(ctx, bankgiro, payer, answer_day)


def _change_payer_number(ctx: Context, record: PayerNumberChange, answer_day: date) -> None:
    state = ctx.state
    old = state.active_mandate(record.bankgiro, record.payer_number)
    new_bankgiro, new_payer = record.new_bankgiro, record.new_payer_number
    if old is None:
        _notice(
            ctx,
            answer_day,
            record.bankgiro,
            record.payer_number,
            information=ac.INFO_CHANGE_PAYER_NUMBER,
            comment=ac.MANDATE_NOT_FOUND,
        )
        return
    if state.active_mandate(new_bankgiro, new_payer) is not None:
        _notice(
            ctx,
            answer_day,
            new_bankgiro,
            new_payer,
            information=ac.INFO_CHANGE_PAYER_NUMBER,
            comment=ac.MANDATE_EXISTS,
            mandate=old,
        )
        return
    del state.mandates[mandate_key(record.bankgiro, record.payer_number)]
    old.bankgiro, old.payer_number = new_bankgiro, new_payer
    state.mandates[mandate_key(new_bankgiro, new_payer)] = old
    state.payees.setdefault(new_bankgiro, state.payees.get(record.bankgiro, "0"))
    items: list[OrderEntry | Payment] = [*state.orders, *state.retries]
    for item in items:
        if (item.bankgiro, item.payer_number) == (record.bankgiro, record.payer_number):
            item.bankgiro, item.payer_number = new_bankgiro, new_payer
    _notice(
        ctx,
        answer_day,
        new_bankgiro,
        new_payer,
        information=ac.INFO_CHANGE_PAYER_NUMBER,
        comment=ac.MANDATE_CREATED,
        mandate=old,
        valid_from=answer_day,
    )


# -- payment orders ------------------------------------------------------------------------------


def _rejection_code(
    ctx: Context, record: PaymentOrder, due: date | None, first: date, receipt: date
) -> str | None:
    mandate = ctx.state.mandate(record.bankgiro, record.payer_number)
    if mandate is None or mandate.status != ACTIVE:
        closed = mandate is not None and mandate.account_closed
        return ac.REJECT_ACCOUNT_CLOSED if closed else ac.REJECT_NO_MANDATE
    if due is None or first > receipt + timedelta(days=MAX_DAYS_AHEAD):
        return ac.REJECT_WRONG_DATE
    if due < ctx.cal.next_bank_day(receipt):
        return ac.REJECT_PASSED_DATE
    maximum = ctx.scenario.max_amount
    if maximum is not None and record.amount > maximum:
        return ac.REJECT_OVER_MAXIMUM
    return None


def _order(ctx: Context, record: PaymentOrder, receipt: date, answer_day: date) -> None:
    genast = record.payment_date == GENAST
    first = answer_day if record.payment_date == GENAST else record.payment_date
    assert isinstance(first, date)
    order = OrderEntry(
        id=0,
        tk=record.TK,
        bankgiro=record.bankgiro,
        payer_number=record.payer_number,
        amount=record.amount,
        first_date=first,
        period=record.period,
        repeats=record.repeats,
        reference=record.reference,
        received=receipt,
        genast=genast,
    )
    # Periods 5-8 pay on the last bank day of the month, which may lie before a late first
    # date: start with the first occurrence on or after it.
    earliest = ctx.cal.next_bank_day(first, include_today=True)
    schedule = Schedule(first, record.period, record.repeats)
    while (day := schedule.actual(order.index, ctx.cal)) is not None and day < earliest:
        order.index += 1
    refresh(order, ctx.cal)
    code = _rejection_code(ctx, record, order.due, first, receipt)
    if code is None:
        order.id = ctx.state.new_id()
        ctx.state.orders.append(order)
        return
    ctx.state.rejections.append(
        RejectionDue(
            day=answer_day,
            bankgiro=record.bankgiro,
            tk=record.TK,
            payer_number=record.payer_number,
            amount=record.amount,
            payment_date=GENAST if genast else first.isoformat(),
            period=record.period,
            repeats=record.repeats,
            reference=record.reference,
            comment_code=code,
        )
    )


# -- cancellations and date changes --------------------------------------------------------------


def _answer(
    ctx: Context,
    day: date,
    tk: str,
    hit: Hit | None,
    *,
    comment: str,
    payer_number: str | None = None,
    payment_date: date | None = None,
    payment_type: str | None = None,
    amount: Decimal = Decimal(0),
    reference: str = "",
    new_date: date | None = None,
    bankgiro: str = "",
    marker: str | None = None,
) -> None:
    """An answer about ``hit``, or echoing the request's fields when nothing was found."""
    if hit is not None:
        payment = hit.payment
        bankgiro = payment.bankgiro
        payer_number, payment_date = payment.payer_number, payment.nominal
        payment_type, amount, reference = payment.tk, payment.amount, payment.reference
    if marker is None:
        marker = _REFERENCE_MARKER if reference else _NO_MARKER
    ctx.state.answers.append(
        AnswerDue(
            day=day,
            bankgiro=bankgiro,
            tk=tk,
            payment_date=payment_date,
            payer_number=payer_number,
            payment_type=payment_type,
            amount=amount,
            marker=marker,
            new_date=new_date,
            reference=reference,
            comment_code=comment,
        )
    )


def _cancel(
    ctx: Context,
    record: CancelPayerPayments | CancelPayerPaymentsOnDate | CancelPayment,
    answer_day: date,
) -> None:
    on = None if isinstance(record, CancelPayerPayments) else record.payment_date
    if isinstance(record, CancelPayment):
        hits = find(
            ctx,
            record.bankgiro,
            payer_number=record.payer_number,
            on=on,
            tk=record.payment_type,
            amount=record.amount,
            reference=record.reference,
        )[:1]
    else:
        hits = find(ctx, record.bankgiro, payer_number=record.payer_number, on=on)
    for hit in hits:
        _answer(ctx, answer_day, record.TK, hit, comment=ac.AMENDMENT_CANCELLED)
        cancel(ctx, hit, whole_order=on is None)
    if hits:
        return
    ctx.state.note(answer_day, f"TK{record.TK} for payer {record.payer_number}: no such payment")
    _answer(
        ctx,
        answer_day,
        record.TK,
        None,
        comment=ac.AMENDMENT_NOT_FOUND,
        bankgiro=record.bankgiro,
        payer_number=record.payer_number,
        payment_date=on,
        payment_type=getattr(record, "payment_type", None),
        amount=getattr(record, "amount", Decimal(0)),
        reference=getattr(record, "reference", ""),
    )


def _echo(
    ctx: Context,
    day: date,
    record: MoveAllPayments | MovePaymentsOnDate | MovePayerPaymentsOnDate | MovePayment,
    comment: str,
    *,
    amount: Decimal | None = None,
    marker: str | None = None,
) -> None:
    """An answer repeating the request's own fields."""
    _answer(
        ctx,
        day,
        record.TK,
        None,
        comment=comment,
        bankgiro=record.bankgiro,
        payer_number=getattr(record, "payer_number", None),
        payment_date=getattr(record, "payment_date", None),
        payment_type=getattr(record, "payment_type", None),
        amount=getattr(record, "amount", Decimal(0)) if amount is None else amount,
        reference=getattr(record, "reference", ""),
        new_date=record.new_date,
        marker=marker,
    )


def _move(
    ctx: Context,
    record: MoveAllPayments | MovePaymentsOnDate | MovePayerPaymentsOnDate | MovePayment,
    answer_day: date,
) -> None:
    new_due = ctx.cal.next_bank_day(record.new_date, include_today=True)
    if new_due < answer_day:
        _echo(ctx, answer_day, record, ac.AMENDMENT_WRONG_NEW_DATE)
        return
    if isinstance(record, MovePayment):
        hits = find(
            ctx,
            record.bankgiro,
            payer_number=record.payer_number,
            on=record.payment_date,
            tk=record.payment_type,
            amount=record.amount,
            reference=record.reference,
        )[:1]
    elif isinstance(record, MoveAllPayments):
        hits = find(ctx, record.bankgiro)
    elif isinstance(record, MovePaymentsOnDate):
        hits = find(ctx, record.bankgiro, on=record.payment_date)
    else:
        hits = find(ctx, record.bankgiro, payer_number=record.payer_number, on=record.payment_date)
    if not hits:
        ctx.state.note(answer_day, f"TK{record.TK} of bankgiro {record.bankgiro}: no payments")
        _echo(ctx, answer_day, record, ac.AMENDMENT_NOT_FOUND)
        return
    moved: list[Hit] = []
    for hit in hits:
        if hit.recurring:
            _answer(
                ctx,
                answer_day,
                record.TK,
                hit,
                comment=ac.AMENDMENT_RECURRING,
                new_date=record.new_date,
            )
            continue
        if hit.retry is not None:
            hit.retry.due = new_due
        else:
            assert hit.order is not None
            hit.order.first_date = record.new_date
            refresh(hit.order, ctx.cal)
        moved.append(hit)
    if isinstance(record, MoveAllPayments | MovePaymentsOnDate):
        # One answer for the whole change, with the number of payments in positions 41-48.
        if moved:
            total = sum((hit.payment.amount for hit in moved), Decimal(0))
            _echo(
                ctx,
                answer_day,
                record,
                ac.AMENDMENT_MOVED,
                amount=total,
                marker=f"{len(moved):08d}",
            )
        return
    for hit in moved:
        _answer(
            ctx, answer_day, record.TK, hit, comment=ac.AMENDMENT_MOVED, new_date=record.new_date
        )
