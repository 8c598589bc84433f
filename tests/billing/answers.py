"""Files from Bankgirot for the billing tests, written with the autogiro library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from autogiro import (
    BankAccount,
    DebitPayment,
    Deposit,
    ListOpening,
    MandateNotice,
    MandateNoticeClosing,
    OldDebitPayment,
    OldPaymentSpecificationClosing,
    PaymentSpecificationClosing,
    Record,
    ReportOpening,
    codes,
    write_file,
)
from trygg.banking.rules import OWN_BANKS
from trygg.billing.models import Mandate

BANKGIRO = "9912346"
CUSTOMER = "471117"


def _opening(content: str, day: dt.date) -> ReportOpening:
    return ReportOpening(
        file_date=day,
        content=content,
        customer_number=CUSTOMER,
        bankgiro=BANKGIRO,
        file_time=dt.time(6, 30),
    )


def mandate_notices(
    folder: Path, day: dt.date, notices: list[tuple[Mandate, str]], name: str = ""
) -> Path:
    records: list[Record] = [_opening("AG-MEDAVI", day)]
    for mandate, comment in notices:
        records.append(
            MandateNotice(
                bankgiro=BANKGIRO,
                payer_number=mandate.payer_number,
                account=BankAccount(mandate.clearing, mandate.account),
                identity=mandate.id_number,
                information_code="04",
                comment_code=comment,
                notice_date=day,
                valid_from=day,
            )
        )
    records.append(MandateNoticeClosing(file_date=day, notice_count=len(notices)))
    path = folder / (name or f"AG-MEDAVI-{day:%Y%m%d}-{len(list(folder.iterdir()))}.txt")
    write_file(path, records, extra_banks=OWN_BANKS)
    return path


def payment_spec(
    folder: Path, day: dt.date, payments: list[tuple[str, str, Decimal, str]], name: str = ""
) -> Path:
    """``payments``: (payer number, reference, amount, status)."""
    approved = [p for p in payments if p[3] == "0"]
    records: list[Record] = [
        _opening("BET. SPEC & STOPP TK", day),
        Deposit(
            payee_account="0" * 35,
            payment_date=day,
            serial_number=1,
            approved_amount=sum((p[2] for p in approved), Decimal(0)),
            approved_count=len(approved),
        ),
    ]
    for payer_number, reference, amount, status in payments:
        records.append(
            DebitPayment(
                bankgiro=BANKGIRO,
                payer_number=payer_number,
                amount=amount,
                payment_date=day,
                period=0,
                repeats=None,
                reference=reference,
                status=status,
            )
        )
    records.append(
        PaymentSpecificationClosing(
            file_date=day,
            deposit_count=1,
            debit_count=len(approved),
            withdrawal_count=0,
            credit_count=0,
            refund_withdrawal_count=0,
            refund_count=0,
        )
    )
    path = folder / (name or f"BET-{day:%Y%m%d}-{len(list(folder.iterdir()))}.txt")
    write_file(path, records, extra_banks=OWN_BANKS)
    return path


def old_payment_spec(
    folder: Path, day: dt.date, payments: list[tuple[str, str, Decimal, str]]
) -> Path:
    """The same answer in the old layout (``AUTOGIRO9900``, blank status when approved, no
    sections, every payment counted in the closing record)."""
    records: list[Record] = [
        ListOpening(
            file_date=day,
            content=codes.CONTENT_OLD_PAYMENT_SPECIFICATION,
            customer_number=CUSTOMER,
            bankgiro=BANKGIRO,
        )
    ]
    for payer_number, reference, amount, status in payments:
        records.append(
            OldDebitPayment(
                bankgiro=BANKGIRO,
                payer_number=payer_number,
                amount=amount,
                payment_date=day,
                period=0,
                repeats=None,
                reference=reference,
                status=status,
            )
        )
    records.append(
        OldPaymentSpecificationClosing(
            file_date=day,
            credit_total=Decimal(0),
            credit_count=0,
            debit_count=len(payments),
            debit_total=sum((p[2] for p in payments), Decimal(0)),
        )
    )
    path = folder / f"OLD-BET-{day:%Y%m%d}-{len(list(folder.iterdir()))}.txt"
    write_file(path, records, extra_banks=OWN_BANKS)
    return path
