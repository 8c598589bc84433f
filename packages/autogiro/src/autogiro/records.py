"""Typed records of Bankgirot's Autogiro files: the new layout (2016 and later), the
old layout's files from Bankgirot, and the extract of the watch register.

Every record is a frozen dataclass. Its class attributes describe it:

* ``TK`` - the transaction code in positions 1-2;
* ``NAME`` - a stable snake_case name (used in JSON);
* ``LAYOUT`` - every field of the 80 positions, in position order;
* ``LENIENT`` - fields that Bankgirot echoes back unchecked in answers: when
  such a field cannot be read and the record's comment code says that very
  field was wrong, its value is ``None`` instead of an error.

``line`` is the 1-based line the record was read from (0 when built in
code); it does not take part in equality.

Positions in ``LAYOUT`` are 1-based, as in Bankgirot's manual. LAYOUT.md in
this package lists them with their sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar

from . import codes
from .fields import (
    Account,
    Amount,
    BankAccount,
    Code,
    Date6,
    Date8,
    Field,
    Filler,
    Fixed,
    Integer,
    Numeric,
    OldStatus,
    PaymentDate,
    PaymentDateCodec,
    Text,
    Timestamp,
)

__all__ = [
    "ALL_RECORD_TYPES",
    "AllPaymentsCancelled",
    "AllPaymentsMoved",
    "AllPaymentsOnDateCancelled",
    "AmendmentAnswer",
    "AmendmentsClosing",
    "CancelPayerPayments",
    "CancelPayerPaymentsOnDate",
    "CancelPayment",
    "CreditOrder",
    "CreditPayment",
    "DebitOrder",
    "DebitPayment",
    "Deposit",
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
    "SectionOpening",
    "TotalsClosing",
    "Withdrawal",
]

_NO_LENIENCY: Mapping[str, frozenset[str]] = MappingProxyType({})


def _tk(code: str) -> Field:
    return Field("tk", 1, Fixed(code), attribute=False)


def _reserved(start: int, length: int, *, checked: bool = True, fill: str = " ") -> Field:
    return Field("reserved", start, Filler(length, checked=checked, fill=fill), attribute=False)


def _blank(name: str, start: int, length: int, tk: str) -> Field:
    """Positions of a field that this transaction code leaves blank."""
    return Field(name, start, Filler(length, rule=f"must be blank in TK{tk}"), attribute=False)


@dataclass(frozen=True, slots=True)
class Record:
    """Base of all records."""

    TK: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    LAYOUT: ClassVar[tuple[Field, ...]] = ()
    LENIENT: ClassVar[Mapping[str, frozenset[str]]] = _NO_LENIENCY

    line: int = field(default=0, compare=False, repr=False, kw_only=True)

    @property
    def title(self) -> str:
        """The Swedish name of the record type."""
        return codes.RECORD_TITLES[self.NAME]


# ---------------------------------------------------------------------------
# Files to Bankgirot: mandates (TK01, TK03-TK05)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opening(Record):
    """TK01, opening record of a file (section) to Bankgirot."""

    TK: ClassVar[str] = "01"
    NAME: ClassVar[str] = "opening"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("01"),
        Field("file_date", 3, Date8()),
        Field("layout_name", 11, Fixed("AUTOGIRO"), attribute=False),
        _reserved(19, 44),
        Field("customer_number", 63, Numeric(6)),
        Field("bankgiro", 69, Numeric(10)),
        _reserved(79, 2),
    )

    file_date: date
    customer_number: str
    bankgiro: str


@dataclass(frozen=True, slots=True)
class MandateDeletion(Record):
    """TK03, delete (cancel) a mandate."""

    TK: ClassVar[str] = "03"
    NAME: ClassVar[str] = "delete_mandate"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("03"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        _reserved(29, 52),
    )

    bankgiro: str
    payer_number: str


def _identity() -> Numeric:
    return Numeric(12, optional=True, zeros_are_empty=True, keep_zeros=True)


@dataclass(frozen=True, slots=True)
class NewMandate(Record):
    """TK04, register a new mandate, or approve one the payer created in the
    Internet bank (then account and personal number may be left out)."""

    TK: ClassVar[str] = "04"
    NAME: ClassVar[str] = "new_mandate"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("04"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        Field("account", 29, Account()),
        Field("identity", 45, _identity()),
        _reserved(57, 20),
        Field(
            "rejection",
            77,
            Filler(2, rule="must be blank (new mandate) or 'AV' (rejection)"),
            attribute=False,
        ),
        _reserved(79, 2),
    )

    bankgiro: str
    payer_number: str
    account: BankAccount | None = None
    identity: str | None = None
    """Personal number ``YYYYMMDDNNNC`` or ``00`` + organisation number."""


@dataclass(frozen=True, slots=True)
class RejectMandate(Record):
    """TK04 with ``AV`` in positions 77-78: reject a mandate the payer created
    in the Internet bank."""

    TK: ClassVar[str] = "04"
    NAME: ClassVar[str] = "reject_mandate"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("04"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        Field("account", 29, Account()),
        Field("identity", 45, _identity()),
        _reserved(57, 20),
        Field("rejection", 77, Fixed("AV"), attribute=False),
        _reserved(79, 2),
    )

    bankgiro: str
    payer_number: str
    account: BankAccount | None = None
    identity: str | None = None


@dataclass(frozen=True, slots=True)
class PayerNumberChange(Record):
    """TK05, change the payer number (and possibly the payee bankgiro)."""

    TK: ClassVar[str] = "05"
    NAME: ClassVar[str] = "change_payer_number"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("05"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        Field("new_bankgiro", 29, Numeric(10)),
        Field("new_payer_number", 39, Numeric(16)),
        _reserved(55, 26),
    )

    bankgiro: str
    payer_number: str
    new_bankgiro: str
    new_payer_number: str


# ---------------------------------------------------------------------------
# Files to Bankgirot: payment orders (TK82, TK32)
# ---------------------------------------------------------------------------


def _payment_order_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payment_date", 3, PaymentDateCodec()),
        Field("period", 11, Integer(1, maximum=8)),
        Field("repeats", 12, Integer(3, optional=True, minimum=1)),
        _reserved(15, 1),
        Field("payer_number", 16, Numeric(16)),
        Field("amount", 32, Amount(12)),
        Field("bankgiro", 44, Numeric(10)),
        Field("reference", 54, Text(16)),
        _reserved(70, 11),
    )


@dataclass(frozen=True, slots=True)
class PaymentOrder(Record):
    """Payment order to Bankgirot (base of TK82 and TK32).

    ``period`` is a period code (see :data:`codes.PERIOD_CODES`), 0 for a
    single payment. ``repeats`` is the number of self-renewing payments
    (1-999), ``None`` for "until further notice" or a single payment.
    ``payment_date`` may be :data:`~autogiro.fields.GENAST`, only with
    period 0.
    """

    bankgiro: str
    payer_number: str
    amount: Decimal
    payment_date: PaymentDate
    period: int = 0
    repeats: int | None = None
    reference: str = ""


@dataclass(frozen=True, slots=True)
class DebitOrder(PaymentOrder):
    """TK82, debit the payer's account (inbetalning)."""

    TK: ClassVar[str] = "82"
    NAME: ClassVar[str] = "debit_order"
    LAYOUT: ClassVar[tuple[Field, ...]] = _payment_order_layout("82")


@dataclass(frozen=True, slots=True)
class CreditOrder(PaymentOrder):
    """TK32, credit the payer's account (utbetalning)."""

    TK: ClassVar[str] = "32"
    NAME: ClassVar[str] = "credit_order"
    LAYOUT: ClassVar[tuple[Field, ...]] = _payment_order_layout("32")


# ---------------------------------------------------------------------------
# Files to Bankgirot: cancellations and date changes (TK23-TK29)
# ---------------------------------------------------------------------------

_AMENDMENT_REQUEST_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("bankgiro", 3, 10),
    ("payer_number", 13, 16),
    ("payment_date", 29, 8),
    ("amount", 37, 12),
    ("payment_type", 49, 2),
    ("new_date", 51, 8),
    ("reference", 59, 16),
)


def _amendment_request_layout(tk: str, present: frozenset[str]) -> tuple[Field, ...]:
    codecs = {
        "bankgiro": Numeric(10),
        "payer_number": Numeric(16),
        "payment_date": Date8(),
        "amount": Amount(12),
        "payment_type": Code(2, codes.PAYMENT_TYPES, "payment type (82 or 32)"),
        "new_date": Date8(),
        "reference": Text(16),
    }
    layout = [_tk(tk)]
    for name, start, length in _AMENDMENT_REQUEST_FIELDS:
        if name in present:
            layout.append(Field(name, start, codecs[name]))
        else:
            layout.append(_blank(name, start, length, tk))
    layout.append(_reserved(75, 6))
    return tuple(layout)


@dataclass(frozen=True, slots=True)
class CancelPayerPayments(Record):
    """TK23, cancel all payments of a payer."""

    TK: ClassVar[str] = "23"
    NAME: ClassVar[str] = "cancel_payer_payments"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "23", frozenset({"bankgiro", "payer_number"})
    )

    bankgiro: str
    payer_number: str


@dataclass(frozen=True, slots=True)
class CancelPayerPaymentsOnDate(Record):
    """TK24, cancel all payments of a payer on one payment date."""

    TK: ClassVar[str] = "24"
    NAME: ClassVar[str] = "cancel_payer_payments_on_date"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "24", frozenset({"bankgiro", "payer_number", "payment_date"})
    )

    bankgiro: str
    payer_number: str
    payment_date: date


@dataclass(frozen=True, slots=True)
class CancelPayment(Record):
    """TK25, cancel one payment (date, amount, type and optional reference)."""

    TK: ClassVar[str] = "25"
    NAME: ClassVar[str] = "cancel_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "25",
        frozenset(
            {"bankgiro", "payer_number", "payment_date", "amount", "payment_type", "reference"}
        ),
    )

    bankgiro: str
    payer_number: str
    payment_date: date
    amount: Decimal
    payment_type: str
    """``82`` (debit) or ``32`` (credit)."""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class MoveAllPayments(Record):
    """TK26, move all payments to a new payment date."""

    TK: ClassVar[str] = "26"
    NAME: ClassVar[str] = "move_all_payments"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "26", frozenset({"bankgiro", "new_date"})
    )

    bankgiro: str
    new_date: date


@dataclass(frozen=True, slots=True)
class MovePaymentsOnDate(Record):
    """TK27, move all payments of one payment date to a new date."""

    TK: ClassVar[str] = "27"
    NAME: ClassVar[str] = "move_payments_on_date"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "27", frozenset({"bankgiro", "payment_date", "new_date"})
    )

    bankgiro: str
    payment_date: date
    new_date: date


@dataclass(frozen=True, slots=True)
class MovePayerPaymentsOnDate(Record):
    """TK28, move a payer's payments of one payment date to a new date."""

    TK: ClassVar[str] = "28"
    NAME: ClassVar[str] = "move_payer_payments_on_date"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "28", frozenset({"bankgiro", "payer_number", "payment_date", "new_date"})
    )

    bankgiro: str
    payer_number: str
    payment_date: date
    new_date: date


@dataclass(frozen=True, slots=True)
class MovePayment(Record):
    """TK29, move one payment to a new payment date."""

    TK: ClassVar[str] = "29"
    NAME: ClassVar[str] = "move_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_request_layout(
        "29",
        frozenset(
            {
                "bankgiro",
                "payer_number",
                "payment_date",
                "amount",
                "payment_type",
                "new_date",
                "reference",
            }
        ),
    )

    bankgiro: str
    payer_number: str
    payment_date: date
    amount: Decimal
    payment_type: str
    new_date: date
    reference: str = ""


# ---------------------------------------------------------------------------
# Files from Bankgirot: common opening record
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportOpening(Record):
    """TK01, opening record of a file from Bankgirot.

    ``content`` names the kind of file (see :data:`codes.CONTENT_NAMES`).
    """

    TK: ClassVar[str] = "01"
    NAME: ClassVar[str] = "report_opening"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("01"),
        Field("layout_name", 3, Fixed("AUTOGIRO"), attribute=False),
        _reserved(11, 14, checked=False),
        Field("file_date", 25, Date8()),
        Field("file_time", 33, Timestamp()),
        Field(
            "content",
            45,
            Text(
                20,
                choices=frozenset(codes.CONTENT_NAMES) - {codes.CONTENT_INTERNET_MANDATES},
                label="content name",
            ),
        ),
        Field("customer_number", 65, Numeric(6)),
        Field("bankgiro", 71, Numeric(10)),
    )

    file_date: date
    content: str
    customer_number: str
    bankgiro: str
    file_time: time | None = None


# ---------------------------------------------------------------------------
# Files from Bankgirot: payment specification (BET. SPEC & STOPP TK)
# ---------------------------------------------------------------------------


def _section_opening_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payee_account", 3, Numeric(35)),
        Field("payment_date", 38, Date8()),
        Field("serial_number", 46, Integer(5)),
        Field("approved_amount", 51, Amount(18)),
        _reserved(69, 3, checked=False),
        Field("approved_count", 72, Integer(8)),
        _reserved(80, 1, checked=False),
    )


@dataclass(frozen=True, slots=True)
class SectionOpening(Record):
    """Opens a section of the payment specification (TK15, TK16, TK17).

    ``approved_amount`` and ``approved_count`` sum up the approved payments
    of the section (status 0; every refund in a refund section).
    """

    payee_account: str
    payment_date: date
    serial_number: int
    approved_amount: Decimal
    approved_count: int


@dataclass(frozen=True, slots=True)
class Deposit(SectionOpening):
    """TK15, deposit to the payee's account; TK82 records follow."""

    TK: ClassVar[str] = "15"
    NAME: ClassVar[str] = "deposit"
    LAYOUT: ClassVar[tuple[Field, ...]] = _section_opening_layout("15")


@dataclass(frozen=True, slots=True)
class Withdrawal(SectionOpening):
    """TK16, withdrawal from the payee's account; TK32 records follow."""

    TK: ClassVar[str] = "16"
    NAME: ClassVar[str] = "withdrawal"
    LAYOUT: ClassVar[tuple[Field, ...]] = _section_opening_layout("16")


@dataclass(frozen=True, slots=True)
class RefundWithdrawal(SectionOpening):
    """TK17, withdrawal for refunds to payers; TK77 records follow."""

    TK: ClassVar[str] = "17"
    NAME: ClassVar[str] = "refund_withdrawal"
    LAYOUT: ClassVar[tuple[Field, ...]] = _section_opening_layout("17")


def _reported_payment_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payment_date", 3, Date8()),
        Field("period", 11, Integer(1, maximum=8)),
        Field("repeats", 12, Integer(3, optional=True)),
        _reserved(15, 1, checked=False),
        Field("payer_number", 16, Numeric(16)),
        Field("amount", 32, Amount(12)),
        Field("bankgiro", 44, Numeric(10)),
        Field("reference", 54, Text(16)),
        _reserved(70, 10, checked=False),
        Field("status", 80, Code(1, codes.PAYMENT_STATUS_CODES, "payment status code")),
    )


@dataclass(frozen=True, slots=True)
class ReportedPayment(Record):
    """A payment in the payment specification (base of TK82 and TK32)."""

    bankgiro: str
    payer_number: str
    amount: Decimal
    payment_date: date
    period: int
    repeats: int | None
    reference: str
    status: str
    """See :data:`codes.PAYMENT_STATUS_CODES`; ``0`` is approved."""

    @property
    def approved(self) -> bool:
        return self.status == codes.PAYMENT_STATUS_APPROVED


@dataclass(frozen=True, slots=True)
class DebitPayment(ReportedPayment):
    """TK82 in the payment specification: a debit and its status."""

    TK: ClassVar[str] = "82"
    NAME: ClassVar[str] = "debit_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _reported_payment_layout("82")


@dataclass(frozen=True, slots=True)
class CreditPayment(ReportedPayment):
    """TK32 in the payment specification: a credit and its status."""

    TK: ClassVar[str] = "32"
    NAME: ClassVar[str] = "credit_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _reported_payment_layout("32")


@dataclass(frozen=True, slots=True)
class Refund(Record):
    """TK77, a debit refunded to the payer (after a claim)."""

    TK: ClassVar[str] = "77"
    NAME: ClassVar[str] = "refund"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("77"),
        Field("payment_date", 3, Date8()),
        Field("period", 11, Integer(1, maximum=8)),
        Field("repeats", 12, Integer(3, optional=True)),
        _reserved(15, 1, checked=False),
        Field("payer_number", 16, Numeric(16)),
        Field("amount", 32, Amount(12)),
        Field("bankgiro", 44, Numeric(10)),
        Field("reference", 54, Text(16)),
        Field("refund_date", 70, Date8()),
        Field("refund_code", 78, Code(2, codes.REFUND_CODES, "refund code")),
        _reserved(80, 1, checked=False),
    )

    bankgiro: str
    payer_number: str
    amount: Decimal
    payment_date: date
    period: int
    repeats: int | None
    reference: str
    refund_date: date
    refund_code: str


@dataclass(frozen=True, slots=True)
class PaymentSpecificationClosing(Record):
    """TK09 of the payment specification: numbers of records."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "payment_specification_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("09"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("deposit_count", 15, Integer(6)),
        Field("debit_count", 21, Integer(12)),
        Field("withdrawal_count", 33, Integer(6)),
        Field("credit_count", 39, Integer(12)),
        Field("refund_withdrawal_count", 51, Integer(6)),
        Field("refund_count", 57, Integer(12)),
        _reserved(69, 12, checked=False),
    )

    file_date: date
    deposit_count: int
    """Number of TK15 records."""
    debit_count: int
    """Number of approved TK82 records."""
    withdrawal_count: int
    """Number of TK16 records."""
    credit_count: int
    """Number of approved TK32 records."""
    refund_withdrawal_count: int
    """Number of TK17 records."""
    refund_count: int
    """Number of TK77 records."""


# ---------------------------------------------------------------------------
# Files from Bankgirot: mandate notices (AG-MEDAVI)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MandateNotice(Record):
    """TK73, a mandate was created, changed, deleted or refused."""

    TK: ClassVar[str] = "73"
    NAME: ClassVar[str] = "mandate_notice"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("73"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        Field("account", 29, Account()),
        Field("identity", 45, _identity()),
        _reserved(57, 5, checked=False),
        Field(
            "information_code",
            62,
            Code(2, codes.MANDATE_INFORMATION_CODES, "mandate information code"),
        ),
        Field("comment_code", 64, Code(2, codes.MANDATE_COMMENT_CODES, "mandate comment code")),
        Field("notice_date", 66, Date8()),
        Field("valid_from", 74, Date6()),
        _reserved(80, 1, checked=False),
    )

    bankgiro: str
    payer_number: str
    account: BankAccount | None
    identity: str | None
    information_code: str
    comment_code: str
    notice_date: date
    valid_from: date | None = None


@dataclass(frozen=True, slots=True)
class MandateNoticeClosing(Record):
    """TK09 of a mandate notice file."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "mandate_notice_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("09"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("notice_count", 15, Integer(7)),
        _reserved(22, 59, checked=False),
    )

    file_date: date
    notice_count: int
    """Number of TK73 records."""


# ---------------------------------------------------------------------------
# Files from Bankgirot: rejected payment orders (AVVISADE BET UPPDR)
# ---------------------------------------------------------------------------

_REJECTED_LENIENT: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "period": frozenset({"06"}),
        "repeats": frozenset({"07"}),
        "amount": frozenset({"08"}),
        "payment_date": frozenset({"12"}),
    }
)


def _rejected_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payment_date", 3, PaymentDateCodec()),
        Field("period", 11, Integer(1)),
        Field("repeats", 12, Integer(3, optional=True)),
        Field("payer_number", 15, Numeric(16)),
        Field("amount", 31, Amount(12)),
        Field("reference", 43, Text(16)),
        Field("comment_code", 59, Code(2, codes.REJECTION_COMMENT_CODES, "rejection comment code")),
        _reserved(61, 20, checked=False),
    )


@dataclass(frozen=True, slots=True)
class RejectedPayment(Record):
    """A payment order that Bankgirot refused (base of TK82 and TK32).

    Fields echo the order as sent; a field that the comment code names as
    wrong (period 06, repeats 07, amount 08, payment date 12) is ``None``
    when it cannot be read.
    """

    LENIENT: ClassVar[Mapping[str, frozenset[str]]] = _REJECTED_LENIENT

    payer_number: str
    amount: Decimal | None
    payment_date: PaymentDate | None
    period: int | None
    repeats: int | None
    reference: str
    comment_code: str


@dataclass(frozen=True, slots=True)
class RejectedDebit(RejectedPayment):
    """TK82 in the rejected payment orders."""

    TK: ClassVar[str] = "82"
    NAME: ClassVar[str] = "rejected_debit"
    LAYOUT: ClassVar[tuple[Field, ...]] = _rejected_layout("82")


@dataclass(frozen=True, slots=True)
class RejectedCredit(RejectedPayment):
    """TK32 in the rejected payment orders."""

    TK: ClassVar[str] = "32"
    NAME: ClassVar[str] = "rejected_credit"
    LAYOUT: ClassVar[tuple[Field, ...]] = _rejected_layout("32")


@dataclass(frozen=True, slots=True)
class RejectedPaymentsClosing(Record):
    """TK09 of the rejected payment orders: numbers and sums."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "rejected_payments_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("09"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("credit_count", 15, Integer(6)),
        Field("credit_total", 21, Amount(12)),
        Field("debit_count", 33, Integer(6)),
        Field("debit_total", 39, Amount(12)),
        _reserved(51, 30, checked=False),
    )

    file_date: date
    credit_count: int
    credit_total: Decimal
    debit_count: int
    debit_total: Decimal


# ---------------------------------------------------------------------------
# Files from Bankgirot: cancellations and amendments (MAKULERING/ÄNDRING)
# ---------------------------------------------------------------------------

_AMENDMENT_LENIENT: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "payment_date": frozenset({"01"}),
        "payer_number": frozenset({"02"}),
        "payment_type": frozenset({"04"}),
        "amount": frozenset({"05"}),
        "new_date": frozenset({"06"}),
    }
)


def _amendment_answer_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payment_date", 3, Date8(optional=True, zeros_are_empty=True, empty="0")),
        Field("payer_number", 11, Numeric(16, optional=True)),
        Field(
            "payment_type",
            27,
            Code(2, codes.PAYMENT_TYPES, "payment type (82, 32 or 00)", optional=True, empty="00"),
        ),
        Field("amount", 29, Amount(12)),
        Field("reference_marker", 41, Text(8)),
        Field("new_date", 49, Date8(optional=True, zeros_are_empty=True, empty="0")),
        Field("reference", 57, Text(16)),
        Field("comment_code", 73, Code(2, codes.AMENDMENT_COMMENT_CODES, "amendment comment code")),
        _reserved(75, 6, checked=False),
    )


@dataclass(frozen=True, slots=True)
class AmendmentAnswer(Record):
    """Bankgirot's answer to a cancellation or date change (base class).

    ``reference_marker`` (positions 41-48) reads ``REFERENS`` when
    ``reference`` holds the payee's reference; in answers that cover many
    payments (TK21, TK22, TK26, TK27) Bankgirot's example files show a
    number there, see :attr:`payment_count`.
    """

    LENIENT: ClassVar[Mapping[str, frozenset[str]]] = _AMENDMENT_LENIENT

    payment_date: date | None
    payer_number: str | None
    payment_type: str | None
    amount: Decimal | None
    reference_marker: str
    new_date: date | None
    reference: str
    comment_code: str

    @property
    def successful(self) -> bool:
        """True when the comment code says the change was made."""
        return self.comment_code in codes.AMENDMENT_SUCCESS_CODES

    @property
    def payment_count(self) -> int | None:
        """The number in ``reference_marker``, when it holds digits."""
        marker = self.reference_marker
        if marker.isdigit() and marker.isascii():
            return int(marker)
        return None


@dataclass(frozen=True, slots=True)
class PaymentCancelledMandateDeleted(AmendmentAnswer):
    """TK03 in an amendment file: payment cancelled because the mandate was deleted."""

    TK: ClassVar[str] = "03"
    NAME: ClassVar[str] = "payment_cancelled_mandate_deleted"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("03")


@dataclass(frozen=True, slots=True)
class PaymentCancelledByPayer(AmendmentAnswer):
    """TK11: payment cancelled (stopped) by the payer."""

    TK: ClassVar[str] = "11"
    NAME: ClassVar[str] = "payment_cancelled_by_payer"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("11")


@dataclass(frozen=True, slots=True)
class AllPaymentsCancelled(AmendmentAnswer):
    """TK21: all payments cancelled."""

    TK: ClassVar[str] = "21"
    NAME: ClassVar[str] = "all_payments_cancelled"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("21")


@dataclass(frozen=True, slots=True)
class AllPaymentsOnDateCancelled(AmendmentAnswer):
    """TK22: all payments of one payment date cancelled."""

    TK: ClassVar[str] = "22"
    NAME: ClassVar[str] = "all_payments_on_date_cancelled"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("22")


@dataclass(frozen=True, slots=True)
class PayerPaymentsCancelled(AmendmentAnswer):
    """TK23: answer to cancelling all payments of a payer."""

    TK: ClassVar[str] = "23"
    NAME: ClassVar[str] = "payer_payments_cancelled"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("23")


@dataclass(frozen=True, slots=True)
class PayerPaymentsOnDateCancelled(AmendmentAnswer):
    """TK24: answer to cancelling a payer's payments of one date."""

    TK: ClassVar[str] = "24"
    NAME: ClassVar[str] = "payer_payments_on_date_cancelled"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("24")


@dataclass(frozen=True, slots=True)
class PaymentCancelled(AmendmentAnswer):
    """TK25: answer to cancelling one payment."""

    TK: ClassVar[str] = "25"
    NAME: ClassVar[str] = "payment_cancelled"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("25")


@dataclass(frozen=True, slots=True)
class AllPaymentsMoved(AmendmentAnswer):
    """TK26: answer to moving all payments to a new date."""

    TK: ClassVar[str] = "26"
    NAME: ClassVar[str] = "all_payments_moved"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("26")


@dataclass(frozen=True, slots=True)
class PaymentsOnDateMoved(AmendmentAnswer):
    """TK27: answer to moving all payments of one date."""

    TK: ClassVar[str] = "27"
    NAME: ClassVar[str] = "payments_on_date_moved"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("27")


@dataclass(frozen=True, slots=True)
class PayerPaymentsOnDateMoved(AmendmentAnswer):
    """TK28: answer to moving a payer's payments of one date."""

    TK: ClassVar[str] = "28"
    NAME: ClassVar[str] = "payer_payments_on_date_moved"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("28")


@dataclass(frozen=True, slots=True)
class PaymentMoved(AmendmentAnswer):
    """TK29: answer to moving one payment."""

    TK: ClassVar[str] = "29"
    NAME: ClassVar[str] = "payment_moved"
    LAYOUT: ClassVar[tuple[Field, ...]] = _amendment_answer_layout("29")


@dataclass(frozen=True, slots=True)
class AmendmentsClosing(Record):
    """TK09 of the amendment answers: numbers and sums of the successful
    answers (comment code 12, 14 or 18) per payment type."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "amendments_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("09"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        _reserved(15, 14, checked=False),
        Field("credit_total", 29, Amount(12)),
        Field("credit_count", 41, Integer(6)),
        Field("debit_count", 47, Integer(6)),
        _reserved(53, 4, checked=False, fill="0"),
        Field("debit_total", 57, Amount(12)),
        _reserved(69, 12, checked=False),
    )

    file_date: date
    credit_total: Decimal
    credit_count: int
    debit_count: int
    debit_total: Decimal


# ---------------------------------------------------------------------------
# Files from Bankgirot: mandates via the Internet bank (AG-EMEDGIV)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InternetMandateOpening(Record):
    """TK51, opening record of the Internet bank mandates file."""

    TK: ClassVar[str] = "51"
    NAME: ClassVar[str] = "internet_mandate_opening"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("51"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("bankgiro", 15, Numeric(10)),
        Field("content", 25, Fixed(codes.CONTENT_INTERNET_MANDATES.ljust(20)), attribute=False),
        _reserved(45, 36, checked=False),
    )

    file_date: date
    bankgiro: str


@dataclass(frozen=True, slots=True)
class InternetMandate(Record):
    """TK52, a mandate the payer created in the Internet bank."""

    TK: ClassVar[str] = "52"
    NAME: ClassVar[str] = "internet_mandate"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("52"),
        Field("bankgiro", 3, Numeric(10)),
        Field("payer_number", 13, Numeric(16)),
        Field("account", 29, Account()),
        Field("identity", 45, _identity()),
        _reserved(57, 5, checked=False),
        Field(
            "message_type",
            62,
            Code(1, codes.INTERNET_MANDATE_MESSAGE_TYPES, "message type (0, 1 or 2)"),
        ),
        _reserved(63, 18, checked=False),
    )

    bankgiro: str
    payer_number: str
    account: BankAccount | None
    identity: str | None
    message_type: str


@dataclass(frozen=True, slots=True)
class InternetMandateInformation(Record):
    """TK53, the payer's message to the payee."""

    TK: ClassVar[str] = "53"
    NAME: ClassVar[str] = "internet_mandate_information"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("53"),
        Field("information", 3, Text(36)),
        _reserved(39, 42, checked=False),
    )

    information: str


@dataclass(frozen=True, slots=True)
class InternetMandateName(Record):
    """TK54, name and address, part 1 (two lines)."""

    TK: ClassVar[str] = "54"
    NAME: ClassVar[str] = "internet_mandate_name"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("54"),
        Field("line1", 3, Text(36)),
        Field("line2", 39, Text(36)),
        _reserved(75, 6, checked=False),
    )

    line1: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class InternetMandateAddress(Record):
    """TK55, name and address, part 2 (two lines)."""

    TK: ClassVar[str] = "55"
    NAME: ClassVar[str] = "internet_mandate_address"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("55"),
        Field("line3", 3, Text(36)),
        Field("line4", 39, Text(36)),
        _reserved(75, 6, checked=False),
    )

    line3: str
    line4: str = ""


@dataclass(frozen=True, slots=True)
class InternetMandatePostalAddress(Record):
    """TK56, postcode and town."""

    TK: ClassVar[str] = "56"
    NAME: ClassVar[str] = "internet_mandate_postal_address"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("56"),
        Field("postcode", 3, Numeric(5, keep_zeros=True)),
        Field("town", 8, Text(31)),
        _reserved(39, 42, checked=False),
    )

    postcode: str
    town: str


@dataclass(frozen=True, slots=True)
class InternetMandateClosing(Record):
    """TK59, closing record of the Internet bank mandates file."""

    TK: ClassVar[str] = "59"
    NAME: ClassVar[str] = "internet_mandate_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("59"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("record_count", 15, Integer(7)),
        _reserved(22, 59, checked=False),
    )

    file_date: date
    record_count: int
    """Number of TK52-TK56 records."""


# ---------------------------------------------------------------------------
# Files from Bankgirot with clearing number 9900 in the opening record: the
# old layout (before 2016) and the extract of the watch register
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListOpening(Record):
    """TK01 with ``AUTOGIRO`` in 11-18 and clearing number 9900 in 19-22.

    It opens the old layout's payment specification (blank content name),
    rejected payments (``FELLISTA REG.KONTRL``) and amendment answers
    (``MAK/ÄNDRINGSLISTA``), and the extract of the watch register
    (``BEVAKNINGSREG``), which the current manual still describes so.
    ``content`` names the kind of file (see :data:`codes.LIST_CONTENT_NAMES`).
    """

    TK: ClassVar[str] = "01"
    NAME: ClassVar[str] = "list_opening"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("01"),
        Field("file_date", 3, Date8()),
        Field("layout_name", 11, Fixed("AUTOGIRO"), attribute=False),
        Field("clearing", 19, Fixed("9900"), attribute=False),
        Field(
            "content",
            23,
            Text(20, choices=frozenset(codes.LIST_CONTENT_NAMES), label="content name"),
        ),
        _reserved(43, 20, checked=False),
        Field("customer_number", 63, Numeric(6)),
        Field("bankgiro", 69, Numeric(10)),
        _reserved(79, 2, checked=False),
    )

    file_date: date
    content: str
    customer_number: str
    bankgiro: str


@dataclass(frozen=True, slots=True)
class OldMandateNoticeOpening(Record):
    """TK01 of the old layout's mandate notices: date, clearing number 9900,
    the payee's bankgiro number and ``AG-MEDAVI`` (no BGC customer number)."""

    TK: ClassVar[str] = "01"
    NAME: ClassVar[str] = "old_mandate_notice_opening"
    LAYOUT: ClassVar[tuple[Field, ...]] = (
        _tk("01"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        Field("bankgiro", 15, Numeric(10)),
        Field("content", 25, Fixed(codes.CONTENT_MANDATE_NOTICES.ljust(20)), attribute=False),
        _reserved(45, 36, checked=False),
    )

    file_date: date
    bankgiro: str


def _old_reported_payment_layout(tk: str) -> tuple[Field, ...]:
    return (
        *_reported_payment_layout(tk)[:-1],
        Field("status", 80, OldStatus()),
    )


@dataclass(frozen=True, slots=True)
class OldDebitPayment(DebitPayment):
    """TK82 in the old layout's payment specification: a debit whose status
    is blank when approved (read as ``0``) and otherwise 1, 2 or 9."""

    NAME: ClassVar[str] = "old_debit_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _old_reported_payment_layout("82")


@dataclass(frozen=True, slots=True)
class OldCreditPayment(CreditPayment):
    """TK32 in the old layout's payment specification (status as in TK82)."""

    NAME: ClassVar[str] = "old_credit_payment"
    LAYOUT: ClassVar[tuple[Field, ...]] = _old_reported_payment_layout("32")


def _totals_closing_layout() -> tuple[Field, ...]:
    return (
        _tk("09"),
        Field("file_date", 3, Date8()),
        Field("clearing", 11, Fixed("9900"), attribute=False),
        _reserved(15, 14, checked=False),
        Field("credit_total", 29, Amount(12)),
        Field("credit_count", 41, Integer(6)),
        Field("debit_count", 47, Integer(6)),
        _reserved(53, 4, checked=False, fill="0"),
        Field("debit_total", 57, Amount(12)),
        _reserved(69, 12, checked=False),
    )


@dataclass(frozen=True, slots=True)
class TotalsClosing(Record):
    """TK09 with the number and sum of every TK82 and TK32 record of the
    section (base of the old payment specification's and the register
    extract's closing records)."""

    file_date: date
    credit_total: Decimal
    credit_count: int
    debit_count: int
    debit_total: Decimal


@dataclass(frozen=True, slots=True)
class OldPaymentSpecificationClosing(TotalsClosing):
    """TK09 of the old layout's payment specification: every TK82 and TK32,
    whatever its status, counted and summed."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "old_payment_specification_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = _totals_closing_layout()


def _registered_payment_layout(tk: str) -> tuple[Field, ...]:
    return (
        _tk(tk),
        Field("payment_date", 3, PaymentDateCodec()),
        Field("period", 11, Integer(1, maximum=8)),
        Field("repeats", 12, Integer(3, optional=True, minimum=1)),
        _reserved(15, 1, checked=False),
        Field("payer_number", 16, Numeric(16)),
        Field("amount", 32, Amount(12)),
        Field("bankgiro", 44, Numeric(10)),
        Field("reference", 54, Text(16)),
        _reserved(70, 11, checked=False),
    )


@dataclass(frozen=True, slots=True)
class RegisteredDebit(PaymentOrder):
    """TK82 in the extract of the watch register (BEVAKNINGSREG): a debit
    order Bankgirot holds for a coming payment date."""

    TK: ClassVar[str] = "82"
    NAME: ClassVar[str] = "registered_debit"
    LAYOUT: ClassVar[tuple[Field, ...]] = _registered_payment_layout("82")


@dataclass(frozen=True, slots=True)
class RegisteredCredit(PaymentOrder):
    """TK32 in the extract of the watch register: a credit order held."""

    TK: ClassVar[str] = "32"
    NAME: ClassVar[str] = "registered_credit"
    LAYOUT: ClassVar[tuple[Field, ...]] = _registered_payment_layout("32")


@dataclass(frozen=True, slots=True)
class RegisterExtractClosing(TotalsClosing):
    """TK09 of the extract of the watch register: numbers and sums of its
    TK82 and TK32 records."""

    TK: ClassVar[str] = "09"
    NAME: ClassVar[str] = "register_extract_closing"
    LAYOUT: ClassVar[tuple[Field, ...]] = _totals_closing_layout()


ALL_RECORD_TYPES: tuple[type[Record], ...] = (
    Opening,
    MandateDeletion,
    NewMandate,
    RejectMandate,
    PayerNumberChange,
    DebitOrder,
    CreditOrder,
    CancelPayerPayments,
    CancelPayerPaymentsOnDate,
    CancelPayment,
    MoveAllPayments,
    MovePaymentsOnDate,
    MovePayerPaymentsOnDate,
    MovePayment,
    ReportOpening,
    Deposit,
    Withdrawal,
    RefundWithdrawal,
    DebitPayment,
    CreditPayment,
    Refund,
    PaymentSpecificationClosing,
    MandateNotice,
    MandateNoticeClosing,
    RejectedDebit,
    RejectedCredit,
    RejectedPaymentsClosing,
    PaymentCancelledMandateDeleted,
    PaymentCancelledByPayer,
    AllPaymentsCancelled,
    AllPaymentsOnDateCancelled,
    PayerPaymentsCancelled,
    PayerPaymentsOnDateCancelled,
    PaymentCancelled,
    AllPaymentsMoved,
    PaymentsOnDateMoved,
    PayerPaymentsOnDateMoved,
    PaymentMoved,
    AmendmentsClosing,
    InternetMandateOpening,
    InternetMandate,
    InternetMandateInformation,
    InternetMandateName,
    InternetMandateAddress,
    InternetMandatePostalAddress,
    InternetMandateClosing,
    ListOpening,
    OldMandateNoticeOpening,
    OldDebitPayment,
    OldCreditPayment,
    OldPaymentSpecificationClosing,
    RegisteredDebit,
    RegisteredCredit,
    RegisterExtractClosing,
)
"""Every concrete record type."""
