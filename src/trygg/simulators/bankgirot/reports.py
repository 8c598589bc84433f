"""The records of the files from Bankgirot, built from the simulator's state.

Each function returns a whole section: opening record (:class:`ReportOpening`), the records and
the closing record with its counts and sums, ready for the library's writer (which checks them
again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from typing import Final

from autogiro import (
    GENAST,
    AllPaymentsMoved,
    AmendmentAnswer,
    AmendmentsClosing,
    BankAccount,
    CreditPayment,
    DebitPayment,
    Deposit,
    MandateNotice,
    MandateNoticeClosing,
    PayerPaymentsCancelled,
    PayerPaymentsOnDateCancelled,
    PayerPaymentsOnDateMoved,
    PaymentCancelled,
    PaymentCancelledMandateDeleted,
    PaymentDate,
    PaymentMoved,
    PaymentsOnDateMoved,
    PaymentSpecificationClosing,
    Record,
    Refund,
    RefundWithdrawal,
    RejectedCredit,
    RejectedDebit,
    RejectedPaymentsClosing,
    ReportOpening,
    Withdrawal,
    codes,
)

from .state import AnswerDue, NoticeDue, Payment, RefundDue, RejectionDue

__all__ = [
    "amendment_answers",
    "mandate_notices",
    "payment_specification",
    "rejected_orders",
]

_ANSWER_TYPES: Final[dict[str, type[AmendmentAnswer]]] = {
    cls.TK: cls
    for cls in (
        PaymentCancelledMandateDeleted,
        PayerPaymentsCancelled,
        PayerPaymentsOnDateCancelled,
        PaymentCancelled,
        AllPaymentsMoved,
        PaymentsOnDateMoved,
        PayerPaymentsOnDateMoved,
        PaymentMoved,
    )
}


def _opening(content: str, day: date, stamp: time, customer: str, bankgiro: str) -> ReportOpening:
    return ReportOpening(
        file_date=day,
        file_time=stamp,
        content=content,
        customer_number=customer,
        bankgiro=bankgiro,
    )


def _account(text: str | None) -> BankAccount | None:
    return None if text is None else BankAccount.from_string(text)


def payment_specification(
    *,
    day: date,
    stamp: time,
    customer: str,
    bankgiro: str,
    serials: Sequence[int],
    payments: Sequence[tuple[Payment, str]],
    refunds: Sequence[RefundDue],
) -> list[Record]:
    """``BET. SPEC & STOPP TK``: debits (TK15 + TK82), credits (TK16 + TK32) and refunds
    (TK17 + TK77), each with its status; ``serials`` number the sections."""
    records: list[Record] = [
        _opening(codes.CONTENT_PAYMENT_SPECIFICATION, day, stamp, customer, bankgiro)
    ]
    numbers = iter(serials)
    counts = {"15": 0, "16": 0, "17": 0, "82": 0, "32": 0, "77": 0}
    for tk, section, reported in (
        ("82", Deposit, DebitPayment),
        ("32", Withdrawal, CreditPayment),
    ):
        chosen = [(p, status) for p, status in payments if p.tk == tk]
        if not chosen:
            continue
        approved = [p for p, status in chosen if status == codes.PAYMENT_STATUS_APPROVED]
        records.append(
            section(
                payee_account=bankgiro,
                payment_date=day,
                serial_number=next(numbers),
                approved_amount=sum((p.amount for p in approved), Decimal(0)),
                approved_count=len(approved),
            )
        )
        counts[section.TK] += 1
        counts[tk] += len(approved)
        records.extend(
            reported(
                bankgiro=p.bankgiro,
                payer_number=p.payer_number,
                amount=p.amount,
                payment_date=day,
                period=p.period,
                repeats=p.repeats,
                reference=p.reference,
                status=status,
            )
            for p, status in chosen
        )
    if refunds:
        records.append(
            RefundWithdrawal(
                payee_account=bankgiro,
                payment_date=day,
                serial_number=next(numbers),
                approved_amount=sum((r.amount for r in refunds), Decimal(0)),
                approved_count=len(refunds),
            )
        )
        counts["17"] += 1
        counts["77"] += len(refunds)
        records.extend(
            Refund(
                bankgiro=r.bankgiro,
                payer_number=r.payer_number,
                amount=r.amount,
                payment_date=r.payment_date,
                period=r.period,
                repeats=r.repeats,
                reference=r.reference,
                refund_date=r.day,
                refund_code=r.refund_code,
            )
            for r in refunds
        )
    records.append(
        PaymentSpecificationClosing(
            file_date=day,
            deposit_count=counts["15"],
            debit_count=counts["82"],
            withdrawal_count=counts["16"],
            credit_count=counts["32"],
            refund_withdrawal_count=counts["17"],
            refund_count=counts["77"],
        )
    )
    return records


def mandate_notices(
    *, day: date, stamp: time, customer: str, bankgiro: str, notices: Sequence[NoticeDue]
) -> list[Record]:
    """``AG-MEDAVI``: TK73 notices and the TK09 closing."""
    records: list[Record] = [
        _opening(codes.CONTENT_MANDATE_NOTICES, day, stamp, customer, bankgiro)
    ]
    records.extend(
        MandateNotice(
            bankgiro=n.bankgiro,
            payer_number=n.payer_number,
            account=_account(n.account),
            identity=n.identity,
            information_code=n.information_code,
            comment_code=n.comment_code,
            notice_date=day,
            valid_from=n.valid_from,
        )
        for n in notices
    )
    records.append(MandateNoticeClosing(file_date=day, notice_count=len(notices)))
    return records


def _payment_date(text: str) -> PaymentDate:
    return GENAST if text == GENAST else date.fromisoformat(text)


def rejected_orders(
    *, day: date, stamp: time, customer: str, bankgiro: str, rejections: Sequence[RejectionDue]
) -> list[Record]:
    """``AVVISADE BET UPPDR``: the refused orders as sent, with the reason."""
    records: list[Record] = [
        _opening(codes.CONTENT_REJECTED_PAYMENTS, day, stamp, customer, bankgiro)
    ]
    counts = {"82": 0, "32": 0}
    sums = {"82": Decimal(0), "32": Decimal(0)}
    for r in rejections:
        cls = RejectedDebit if r.tk == "82" else RejectedCredit
        records.append(
            cls(
                payer_number=r.payer_number,
                amount=r.amount,
                payment_date=_payment_date(r.payment_date),
                period=r.period,
                repeats=r.repeats,
                reference=r.reference,
                comment_code=r.comment_code,
            )
        )
        counts[r.tk] += 1
        sums[r.tk] += r.amount
    records.append(
        RejectedPaymentsClosing(
            file_date=day,
            credit_count=counts["32"],
            credit_total=sums["32"],
            debit_count=counts["82"],
            debit_total=sums["82"],
        )
    )
    return records


def amendment_answers(
    *, day: date, stamp: time, customer: str, bankgiro: str, answers: Sequence[AnswerDue]
) -> list[Record]:
    """``MAKULERING/ÄNDRING``: answers to cancellations and date changes, and payments cancelled
    because their mandate was deleted (TK03). The closing counts and sums the successful
    answers (comment codes 12, 14, 18) per payment type."""
    records: list[Record] = [_opening(codes.CONTENT_AMENDMENTS, day, stamp, customer, bankgiro)]
    counts = {"82": 0, "32": 0}
    sums = {"82": Decimal(0), "32": Decimal(0)}
    for a in answers:
        records.append(
            _ANSWER_TYPES[a.tk](
                payment_date=a.payment_date,
                payer_number=a.payer_number,
                payment_type=a.payment_type,
                amount=a.amount,
                reference_marker=a.marker,
                new_date=a.new_date,
                reference=a.reference,
                comment_code=a.comment_code,
            )
        )
        if a.comment_code in codes.AMENDMENT_SUCCESS_CODES and a.payment_type in counts:
            counts[a.payment_type] += 1
            sums[a.payment_type] += a.amount
    records.append(
        AmendmentsClosing(
            file_date=day,
            credit_total=sums["32"],
            credit_count=counts["32"],
            debit_count=counts["82"],
            debit_total=sums["82"],
        )
    )
    return records
