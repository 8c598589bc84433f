"""Read and write Bankgirot Autogiro files: the new layout (2016 and later), the old
layout's files from Bankgirot and the extract of the watch register.

Pure Python, standard library only. Files are ISO-8859-1 text of
80-character records ending in CR LF.

Files to Bankgirot::

    from datetime import date
    from decimal import Decimal
    from autogiro import GENAST, DebitOrder, Opening, write_file

    write_file("payments.txt", [
        Opening(file_date=date(2026, 1, 20), customer_number="471117", bankgiro="9912346"),
        DebitOrder(bankgiro="9912346", payer_number="101", amount=Decimal("750.00"),
                   payment_date=GENAST),
    ])

Files from Bankgirot::

    from autogiro import read_file, to_json, validate

    for record in read_file("BET_SPEC.txt"):
        print(to_json(record))

Every problem is an :class:`AutogiroError` naming line, column (1-based start
position), field and rule. See ``LAYOUT.md`` for the record layouts and their
sources.
"""

from __future__ import annotations

from . import codes
from .accountnumbers import ExtraBank
from .cli import show
from .errors import AutogiroError, AutogiroValidationError
from .fields import GENAST, BankAccount, PaymentDate, kronor_to_ore, ore_to_kronor
from .reader import iter_records, read_bytes, read_file, validate
from .records import (
    ALL_RECORD_TYPES,
    AllPaymentsCancelled,
    AllPaymentsMoved,
    AllPaymentsOnDateCancelled,
    AmendmentAnswer,
    AmendmentsClosing,
    CancelPayerPayments,
    CancelPayerPaymentsOnDate,
    CancelPayment,
    CreditOrder,
    CreditPayment,
    DebitOrder,
    DebitPayment,
    Deposit,
    InternetMandate,
    InternetMandateAddress,
    InternetMandateClosing,
    InternetMandateInformation,
    InternetMandateName,
    InternetMandateOpening,
    InternetMandatePostalAddress,
    ListOpening,
    MandateDeletion,
    MandateNotice,
    MandateNoticeClosing,
    MoveAllPayments,
    MovePayerPaymentsOnDate,
    MovePayment,
    MovePaymentsOnDate,
    NewMandate,
    OldCreditPayment,
    OldDebitPayment,
    OldMandateNoticeOpening,
    OldPaymentSpecificationClosing,
    Opening,
    PayerNumberChange,
    PayerPaymentsCancelled,
    PayerPaymentsOnDateCancelled,
    PayerPaymentsOnDateMoved,
    PaymentCancelled,
    PaymentCancelledByPayer,
    PaymentCancelledMandateDeleted,
    PaymentMoved,
    PaymentOrder,
    PaymentsOnDateMoved,
    PaymentSpecificationClosing,
    Record,
    Refund,
    RefundWithdrawal,
    RegisteredCredit,
    RegisteredDebit,
    RegisterExtractClosing,
    RejectedCredit,
    RejectedDebit,
    RejectedPayment,
    RejectedPaymentsClosing,
    RejectMandate,
    ReportedPayment,
    ReportOpening,
    SectionOpening,
    TotalsClosing,
    Withdrawal,
)
from .serialize import to_json
from .structure import Family
from .tasks import RequestFile
from .writer import check_records, write_bytes, write_debit_orders, write_file, write_records

__all__ = [
    "ALL_RECORD_TYPES",
    "GENAST",
    "AllPaymentsCancelled",
    "AllPaymentsMoved",
    "AllPaymentsOnDateCancelled",
    "AmendmentAnswer",
    "AmendmentsClosing",
    "AutogiroError",
    "AutogiroValidationError",
    "BankAccount",
    "CancelPayerPayments",
    "CancelPayerPaymentsOnDate",
    "CancelPayment",
    "CreditOrder",
    "CreditPayment",
    "DebitOrder",
    "DebitPayment",
    "Deposit",
    "ExtraBank",
    "Family",
    "InternetMandate",
    "InternetMandateAddress",
    "InternetMandateClosing",
    "InternetMandateInformation",
    "InternetMandateName",
    "InternetMandateOpening",
    "InternetMandatePostalAddress",
    "ListOpening",
    "MandateDeletion",
    "MandateNotice",
    "MandateNoticeClosing",
    "MoveAllPayments",
    "MovePayerPaymentsOnDate",
    "MovePayment",
    "MovePaymentsOnDate",
    "NewMandate",
    "OldCreditPayment",
    "OldDebitPayment",
    "OldMandateNoticeOpening",
    "OldPaymentSpecificationClosing",
    "Opening",
    "PayerNumberChange",
    "PayerPaymentsCancelled",
    "PayerPaymentsOnDateCancelled",
    "PayerPaymentsOnDateMoved",
    "PaymentCancelled",
    "PaymentCancelledByPayer",
    "PaymentCancelledMandateDeleted",
    "PaymentDate",
    "PaymentMoved",
    "PaymentOrder",
    "PaymentSpecificationClosing",
    "PaymentsOnDateMoved",
    "Record",
    "Refund",
    "RefundWithdrawal",
    "RegisterExtractClosing",
    "RegisteredCredit",
    "RegisteredDebit",
    "RejectMandate",
    "RejectedCredit",
    "RejectedDebit",
    "RejectedPayment",
    "RejectedPaymentsClosing",
    "ReportOpening",
    "ReportedPayment",
    "RequestFile",
    "SectionOpening",
    "TotalsClosing",
    "Withdrawal",
    "check_records",
    "codes",
    "iter_records",
    "kronor_to_ore",
    "ore_to_kronor",
    "read_bytes",
    "read_file",
    "show",
    "to_json",
    "validate",
    "write_bytes",
    "write_debit_orders",
    "write_file",
    "write_records",
]
