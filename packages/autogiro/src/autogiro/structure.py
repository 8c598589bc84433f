"""File structure: which records may follow which, and closing-record totals.

A file consists of sections. Each section starts with an opening record
whose layout tells the kind of file (the *family*):

* files to Bankgirot: ``01`` + date + ``AUTOGIRO`` in positions 11-18; any
  of the mandate, payment and amendment records may follow, no closing;
* files from Bankgirot: ``01AUTOGIRO`` with a content name in 45-64, and a
  closing ``09`` record;
* mandates via the Internet bank: ``51`` ... ``59``;
* ``01`` + date + ``AUTOGIRO9900`` and a content name in 23-42: the old
  layout's payment specification (blank), rejected payments
  (``FELLISTA REG.KONTRL``) and amendment answers (``MAK/ÄNDRINGSLISTA``),
  and the extract of the watch register (``BEVAKNINGSREG``);
* ``01`` + date + ``9900`` + bankgiro + ``AG-MEDAVI``: the old layout's
  mandate notices.

The :class:`StructureChecker` consumes typed records one by one, in constant
memory, and reports records in the wrong place and closing records whose
counts or sums do not match the file. For the records that a section only
counts and sums (payments in a payment specification, a register extract) it
also hands out a :class:`Run`: a pattern that confirms many such lines at
once, whose count and sum :meth:`StructureChecker.accept_run` then adds as
:meth:`StructureChecker.accept` would have added them line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, getcontext
from enum import Enum
from types import MappingProxyType
from typing import Any, Final, cast

from . import codes
from .accountnumbers import ExtraBank
from .checkdigits import account_problem, bankgiro_problem, identity_problem
from .errors import AutogiroError
from .fields import Amount, FieldError
from .lines import column_total, run_pattern
from .records import (
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
    RejectedPaymentsClosing,
    RejectMandate,
    ReportedPayment,
    ReportOpening,
    SectionOpening,
    TotalsClosing,
    Withdrawal,
)

__all__ = [
    "Family",
    "Run",
    "StructureChecker",
    "column_of",
    "detect_family",
    "family_of_opening",
]


class Family(Enum):
    """The kind of file a section belongs to."""

    REQUEST = "file to Bankgirot"
    PAYMENT_SPECIFICATION = "payment specification (BET. SPEC & STOPP TK)"
    MANDATE_NOTICES = "mandate notice file (AG-MEDAVI)"
    REJECTED_PAYMENTS = "rejected payments file (AVVISADE BET UPPDR)"
    AMENDMENTS = "cancellation/amendment file (MAKULERING/ÄNDRING)"
    INTERNET_MANDATES = "Internet bank mandate file (AG-EMEDGIV)"
    OLD_PAYMENT_SPECIFICATION = "payment specification in the old layout"
    OLD_MANDATE_NOTICES = "mandate notice file in the old layout (AG-MEDAVI)"
    OLD_REJECTED_PAYMENTS = "rejected payments file in the old layout (FELLISTA REG.KONTRL)"
    OLD_AMENDMENTS = "cancellation/amendment file in the old layout (MAK/ÄNDRINGSLISTA)"
    REGISTER_EXTRACT = "extract of the watch register (BEVAKNINGSREG)"


_BY_CONTENT: Final = MappingProxyType(
    {
        codes.CONTENT_PAYMENT_SPECIFICATION: Family.PAYMENT_SPECIFICATION,
        codes.CONTENT_MANDATE_NOTICES: Family.MANDATE_NOTICES,
        codes.CONTENT_REJECTED_PAYMENTS: Family.REJECTED_PAYMENTS,
        codes.CONTENT_AMENDMENTS: Family.AMENDMENTS,
    }
)

_BY_LIST_CONTENT: Final = MappingProxyType(
    {
        codes.CONTENT_OLD_PAYMENT_SPECIFICATION: Family.OLD_PAYMENT_SPECIFICATION,
        codes.CONTENT_OLD_REJECTED_PAYMENTS: Family.OLD_REJECTED_PAYMENTS,
        codes.CONTENT_OLD_AMENDMENTS: Family.OLD_AMENDMENTS,
        codes.CONTENT_REGISTER_EXTRACT: Family.REGISTER_EXTRACT,
    }
)

Selector = Callable[[str], type[Record]]


def _tk04(text: str) -> type[Record]:
    return RejectMandate if text[76:78] == "AV" else NewMandate


_DISPATCH: Final[Mapping[Family, Mapping[str, type[Record] | Selector]]] = MappingProxyType(
    {
        Family.REQUEST: {
            "03": MandateDeletion,
            "04": _tk04,
            "05": PayerNumberChange,
            "82": DebitOrder,
            "32": CreditOrder,
            "23": CancelPayerPayments,
            "24": CancelPayerPaymentsOnDate,
            "25": CancelPayment,
            "26": MoveAllPayments,
            "27": MovePaymentsOnDate,
            "28": MovePayerPaymentsOnDate,
            "29": MovePayment,
        },
        Family.PAYMENT_SPECIFICATION: {
            "15": Deposit,
            "82": DebitPayment,
            "16": Withdrawal,
            "32": CreditPayment,
            "17": RefundWithdrawal,
            "77": Refund,
            "09": PaymentSpecificationClosing,
        },
        Family.MANDATE_NOTICES: {"73": MandateNotice, "09": MandateNoticeClosing},
        Family.REJECTED_PAYMENTS: {
            "82": RejectedDebit,
            "32": RejectedCredit,
            "09": RejectedPaymentsClosing,
        },
        Family.AMENDMENTS: {
            "03": PaymentCancelledMandateDeleted,
            "11": PaymentCancelledByPayer,
            "21": AllPaymentsCancelled,
            "22": AllPaymentsOnDateCancelled,
            "23": PayerPaymentsCancelled,
            "24": PayerPaymentsOnDateCancelled,
            "25": PaymentCancelled,
            "26": AllPaymentsMoved,
            "27": PaymentsOnDateMoved,
            "28": PayerPaymentsOnDateMoved,
            "29": PaymentMoved,
            "09": AmendmentsClosing,
        },
        Family.INTERNET_MANDATES: {
            "52": InternetMandate,
            "53": InternetMandateInformation,
            "54": InternetMandateName,
            "55": InternetMandateAddress,
            "56": InternetMandatePostalAddress,
            "59": InternetMandateClosing,
        },
        Family.OLD_PAYMENT_SPECIFICATION: {
            "82": OldDebitPayment,
            "32": OldCreditPayment,
            "09": OldPaymentSpecificationClosing,
        },
        Family.OLD_MANDATE_NOTICES: {"73": MandateNotice, "09": MandateNoticeClosing},
        Family.OLD_REJECTED_PAYMENTS: {
            "82": RejectedDebit,
            "32": RejectedCredit,
            "09": RejectedPaymentsClosing,
        },
        Family.OLD_AMENDMENTS: {
            "03": PaymentCancelledMandateDeleted,
            "11": PaymentCancelledByPayer,
            "21": AllPaymentsCancelled,
            "22": AllPaymentsOnDateCancelled,
            "23": PayerPaymentsCancelled,
            "24": PayerPaymentsOnDateCancelled,
            "25": PaymentCancelled,
            "26": AllPaymentsMoved,
            "27": PaymentsOnDateMoved,
            "28": PayerPaymentsOnDateMoved,
            "29": PaymentMoved,
            "09": AmendmentsClosing,
        },
        Family.REGISTER_EXTRACT: {
            "82": RegisteredDebit,
            "32": RegisteredCredit,
            "09": RegisterExtractClosing,
        },
    }
)


def _allowed(table: Mapping[str, type[Record] | Selector]) -> frozenset[type[Record]]:
    allowed: set[type[Record]] = set()
    for entry in table.values():
        if isinstance(entry, type):
            allowed.add(entry)
        else:  # the TK04 selector
            allowed.update((NewMandate, RejectMandate))
    return frozenset(allowed)


_ALLOWED: Final[Mapping[Family, frozenset[type[Record]]]] = MappingProxyType(
    {family: _allowed(table) for family, table in _DISPATCH.items()}
)

_CLOSING: Final[Mapping[Family, type[Record]]] = MappingProxyType(
    {
        Family.PAYMENT_SPECIFICATION: PaymentSpecificationClosing,
        Family.MANDATE_NOTICES: MandateNoticeClosing,
        Family.REJECTED_PAYMENTS: RejectedPaymentsClosing,
        Family.AMENDMENTS: AmendmentsClosing,
        Family.INTERNET_MANDATES: InternetMandateClosing,
        Family.OLD_PAYMENT_SPECIFICATION: OldPaymentSpecificationClosing,
        Family.OLD_MANDATE_NOTICES: MandateNoticeClosing,
        Family.OLD_REJECTED_PAYMENTS: RejectedPaymentsClosing,
        Family.OLD_AMENDMENTS: AmendmentsClosing,
        Family.REGISTER_EXTRACT: RegisterExtractClosing,
    }
)

_OPENINGS: Final = (
    Opening,
    ReportOpening,
    InternetMandateOpening,
    ListOpening,
    OldMandateNoticeOpening,
)

_SECTION_OF: Final[Mapping[type[Record], type[SectionOpening]]] = MappingProxyType(
    {DebitPayment: Deposit, CreditPayment: Withdrawal, Refund: RefundWithdrawal}
)

_INTERNET_GROUP_ORDER: Final = MappingProxyType(
    {
        InternetMandateInformation: 1,
        InternetMandateName: 2,
        InternetMandateAddress: 3,
        InternetMandatePostalAddress: 4,
    }
)


def column_of(cls: type[Record], name: str) -> int:
    """The 1-based start position of field ``name`` in ``cls``."""
    for item in cls.LAYOUT:
        if item.name == name:
            return item.start
    raise KeyError(name)


def detect_family(text: str) -> tuple[Family | None, AutogiroError | None]:
    """Tell the family of an opening line (``01`` or ``51``) from its text."""
    if text[:2] == "51":
        return Family.INTERNET_MANDATES, None
    if text[2:10] == "AUTOGIRO":
        content = text[44:64].rstrip(" ")
        family = _BY_CONTENT.get(content)
        if family is None:
            return None, AutogiroError(
                "unknown content name; the section is not read",
                column=45,
                field="content",
                got=text[44:64],
            )
        return family, None
    if text[10:18] == "AUTOGIRO" and text[18:22] == "9900":
        # The old layout's files from Bankgirot and the extract of the watch register.
        content = text[22:42].rstrip(" ")
        family = _BY_LIST_CONTENT.get(content)
        if family is None:
            return None, AutogiroError(
                "unknown content name after AUTOGIRO9900 (positions 23-42); "
                "the section is not read",
                column=23,
                field="content",
                got=text[22:42],
            )
        return family, None
    if text[10:14] == "9900":  # the old layout's mandate notices: 9900, bankgiro, AG-MEDAVI
        if text[24:44].rstrip(" ") == codes.CONTENT_MANDATE_NOTICES:
            return Family.OLD_MANDATE_NOTICES, None
        return None, AutogiroError(
            "unknown content name after clearing number 9900 and the bankgiro number "
            "(positions 25-44); the section is not read",
            column=25,
            field="content",
            got=text[24:44],
        )
    if text[10:18] == "AUTOGIRO":
        return Family.REQUEST, None
    return None, AutogiroError(
        "must be 'AUTOGIRO' (positions 3-10 from Bankgirot, 11-18 to Bankgirot); "
        "the section is not read",
        column=3,
        field="layout_name",
        got=text[2:18],
    )


def family_of_opening(record: Record) -> tuple[Family | None, AutogiroError | None]:
    """The family an opening record starts."""
    if isinstance(record, Opening):
        return Family.REQUEST, None
    if isinstance(record, InternetMandateOpening):
        return Family.INTERNET_MANDATES, None
    if isinstance(record, OldMandateNoticeOpening):
        return Family.OLD_MANDATE_NOTICES, None
    if isinstance(record, ListOpening):
        family = _BY_LIST_CONTENT.get(record.content)
        if family is None:
            return None, AutogiroError(
                "unknown content name after AUTOGIRO9900 (positions 23-42)",
                column=23,
                field="content",
                got=record.content,
            )
        return family, None
    if isinstance(record, ReportOpening):
        family = _BY_CONTENT.get(record.content)
        if family is None:
            return None, AutogiroError(
                "unknown content name", column=45, field="content", got=record.content
            )
        return family, None
    return None, None


RUN_LINE_END: Final = "\r\n"
"""What follows each line of a run: runs are checked in blocks of CR LF lines."""


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive lines of one record type that the current section counts and sums.

    ``pattern`` matches such lines (each with :data:`RUN_LINE_END`) only when
    :meth:`StructureChecker.accept` would accept each without an error, given
    the section as it stands (the payee's bankgiro number, the sub-section).
    """

    cls: type[Record]
    pattern: re.Pattern[str]
    amount: tuple[int, int] | None
    """0-based offset and length of the amount that the section sums, if any."""
    in_sub_section: bool
    """Counted in the payment specification's deposit, withdrawal or refund section
    (else per transaction code, for the closing record)."""


class StructureChecker:
    """Checks record order and closing totals, one record at a time."""

    def __init__(self, *, check_digits: bool = True, extra_banks: Sequence[ExtraBank] = ()) -> None:
        self.check_digits = check_digits
        self.extra_banks = tuple(extra_banks)
        self._file_opening: Record | None = None  # the first opening record of the file
        self._file_opening_line = 0
        self._bankgiro: str | None = None  # of the current section's opening record
        self.family: Family | None = None
        self._started = False
        self._skipping = False
        self._opening: Record | None = None
        self._opening_line = 0
        self._closed_at = 0
        self._damaged = False
        self._dispatch: Mapping[str, type[Record] | Selector] = {}
        self._allowed: frozenset[type[Record]] = frozenset()
        self._handler: Callable[[StructureChecker, Record, int], list[AutogiroError]] = (
            StructureChecker._request
        )
        self._ready = False
        self._runs: dict[tuple[str, type[Record] | None], Run | None] = {}
        self._reset_counters()

    # -- counters ---------------------------------------------------------

    def _reset_counters(self) -> None:
        self._counts: dict[str, int] = dict.fromkeys(("82", "32", "77", "73", "52", "5x"), 0)
        self._sums: dict[str, Decimal] = {}
        self._uncertain_sums = False
        self._sub: SectionOpening | None = None
        self._sub_line = 0
        self._sub_count = 0
        self._sub_sum = Decimal(0)
        self._sub_damaged = False
        self._group_position = 99  # no TK52 yet

    def _add(self, key: str, amount: Decimal | None = None) -> None:
        self._counts[key] = self._counts.get(key, 0) + 1
        if amount is not None:
            self._sums[key] = self._sums.get(key, Decimal(0)) + amount

    def _count(self, key: str) -> int:
        return self._counts.get(key, 0)

    def _sum(self, key: str) -> Decimal:
        return self._sums.get(key, Decimal(0))

    # -- public API -------------------------------------------------------

    @property
    def skipping(self) -> bool:
        """True while lines are ignored after an unreadable opening record."""
        return self._skipping

    def record_class(self, tk: str, text: str) -> type[Record] | None:
        """The record type of a non-opening line in the current section."""
        entry = self._dispatch.get(tk)
        if entry is None or isinstance(entry, type):
            return entry
        return entry(text)

    def damage(self) -> None:
        """A line of the current section could not be read."""
        self._damaged = True
        self._sub_damaged = True

    def open(self, family: Family | None, opening: Record | None, line: int) -> list[AutogiroError]:
        """Start a section at ``line``; ``family`` None means unreadable."""
        errors = self._unclosed(line)
        self._started = True
        self.family = family
        self._skipping = family is None
        self._opening = opening
        self._opening_line = line
        self._closed_at = 0
        self._damaged = opening is None
        if family is None:
            self._dispatch = {}
            self._allowed = frozenset()
            self._ready = False
        else:
            self._dispatch = _DISPATCH[family]
            self._allowed = _ALLOWED[family]
            self._handler = _HANDLERS[family]
            self._ready = True
        self._reset_counters()
        self._runs = {}
        self._bankgiro = None
        if opening is not None:
            errors.extend(self._opening_numbers(opening, line))
        return errors

    def accept(self, record: Record, line: int) -> list[AutogiroError]:
        """Check a record read from (or written to) ``line``."""
        if self._ready and type(record) in self._allowed:
            errors = self._handler(self, record, line)
            bankgiro = getattr(record, "bankgiro", None)
            if bankgiro is not None and bankgiro != self._bankgiro and self._bankgiro is not None:
                errors = [*errors, self._bankgiro_mismatch(record, line)]
            if self.check_digits and type(record) in _NUMBERS_CHECKED:
                return errors + self._record_numbers(record, line)
            return errors
        return self._accept_slowly(record, line)

    # -- runs: many lines of one record type at once ----------------------

    def run(self, tk: str) -> Run | None:
        """The run of records with transaction code ``tk`` that may come next, if
        the section only counts and sums them (None: check line by line)."""
        if not self._ready:
            return None
        key = (tk, None if self._sub is None else type(self._sub))
        try:
            return self._runs[key]
        except KeyError:
            run = self._runs[key] = self._make_run(tk)
            return run

    def accept_run(self, run: Run, block: str, start: int, stop: int, stride: int) -> None:
        """Count (and sum) the lines of ``block[start:stop]`` that ``run.pattern``
        matched, ``stride`` characters apart, as :meth:`accept` counts them."""
        count = (stop - start) // stride
        total: Decimal | None = None
        if run.amount is not None:
            offset, length = run.amount
            total = Decimal(column_total(block, start, stop, stride, offset, length)).scaleb(-2)
        if run.in_sub_section:
            assert total is not None
            self._sub_count += count
            self._sub_sum += total
            return
        tk = run.cls.TK
        self._counts[tk] = self._counts.get(tk, 0) + count
        if total is not None:
            self._sums[tk] = self._sums.get(tk, Decimal(0)) + total

    def _make_run(self, tk: str) -> Run | None:
        entry = self._dispatch.get(tk)
        if not isinstance(entry, type) or entry not in self._allowed:
            return None
        cls: type[Record] = entry
        if (self.check_digits and cls in _NUMBERS_CHECKED) or getcontext().prec < 28:
            return None  # numbers checked one by one; sums that a context would round
        fields = {item.name: item for item in cls.LAYOUT if item.attribute}
        fixed: dict[str, str] = {}
        bankgiro = fields.get("bankgiro")
        if bankgiro is not None and self._bankgiro is not None:
            try:
                text = bankgiro.codec.encode(self._bankgiro)
            except FieldError:
                return None
            if bankgiro.codec.decode(text) != self._bankgiro:
                return None
            fixed["bankgiro"] = text  # the one text that reads as the section's number
        amount = fields.get("amount")
        position = None
        if amount is not None and isinstance(amount.codec, Amount):
            position = (amount.start - 1, amount.length)
        if self.family is Family.PAYMENT_SPECIFICATION:
            section = _SECTION_OF.get(cls)
            if section is None or type(self._sub) is not section or position is None:
                return None
            if cls is not Refund:  # the payments: only approved ones are counted
                fixed["status"] = codes.PAYMENT_STATUS_APPROVED
            in_sub_section = True
        elif self._handler is StructureChecker._totals and not issubclass(cls, TotalsClosing):
            if amount is not None and position is None:
                return None
            in_sub_section = False
        else:
            return None
        pattern = run_pattern(cls, RUN_LINE_END, fixed)
        if pattern is None:
            return None
        return Run(cls, pattern, position, in_sub_section)

    # -- numbers: check digits, and the same payee throughout the file ----

    def _opening_numbers(self, opening: Record, line: int) -> list[AutogiroError]:
        errors: list[AutogiroError] = []
        self._bankgiro = getattr(opening, "bankgiro", None)
        if self.check_digits and self._bankgiro is not None:
            problem = bankgiro_problem(self._bankgiro)
            if problem is not None:
                errors.append(self._problem(opening, line, "bankgiro", problem))
        first = self._file_opening
        if first is None:
            self._file_opening = opening
            self._file_opening_line = line
            return errors
        customer = getattr(opening, "customer_number", None)
        expected = getattr(first, "customer_number", None)
        if customer is not None and expected is not None and customer != expected:
            errors.append(
                self._mismatch(
                    opening,
                    line,
                    "customer_number",
                    expected,
                    "the BGC customer number of the file's first opening record on line "
                    f"{self._file_opening_line}",
                )
            )
        return errors

    def _bankgiro_mismatch(self, record: Record, line: int) -> AutogiroError:
        return self._mismatch(
            record,
            line,
            "bankgiro",
            self._bankgiro,
            f"the bankgiro number of the opening record on line {self._opening_line}",
        )

    def _record_numbers(self, record: Record, line: int) -> list[AutogiroError]:
        errors: list[AutogiroError] = []
        for name, problem_of in _NUMBERS_CHECKED[type(record)]:
            value = getattr(record, name)
            if value is None:
                continue
            if problem_of is account_problem:
                problem = account_problem(value, self.extra_banks)
            else:
                problem = problem_of(value)
            if problem is not None:
                errors.append(self._problem(record, line, name, problem))
        return errors

    def _problem(self, record: Record, line: int, name: str, rule: str) -> AutogiroError:
        return AutogiroError(
            rule + " (check_digits=False skips this check)",
            line=line,
            column=column_of(type(record), name),
            field=name,
            got=str(getattr(record, name)),
        )

    def _accept_slowly(self, record: Record, line: int) -> list[AutogiroError]:
        if isinstance(record, _OPENINGS):
            family, error = family_of_opening(record)
            errors = self.open(family, record, line)
            if error is not None:
                errors.append(error.located(line))
            return errors
        if self._skipping:
            return []
        if not self._started:
            self._started = True
            self._skipping = True
            self._ready = False
            return [
                AutogiroError(
                    "a file must begin with an opening record (TK01 or TK51)",
                    line=line,
                    column=1,
                    field="tk",
                    got=record.TK,
                )
            ]
        family = self.family
        assert family is not None
        if self._closed_at:
            self._skipping = True
            self._ready = False
            return [
                AutogiroError(
                    f"record after the closing record of line {self._closed_at}; "
                    "a new section must begin with an opening record",
                    line=line,
                    column=1,
                    field="tk",
                    got=record.TK,
                )
            ]
        if type(record) not in _ALLOWED[family]:
            self.damage()
            return [
                AutogiroError(
                    f"record {record.NAME} (TK{record.TK}) is not allowed in a {family.value}",
                    line=line,
                    column=1,
                    field="tk",
                    got=record.TK,
                )
            ]
        handler = _HANDLERS[family]
        errors = handler(self, record, line)
        bankgiro = getattr(record, "bankgiro", None)
        if bankgiro is not None and self._bankgiro is not None and bankgiro != self._bankgiro:
            errors.append(self._bankgiro_mismatch(record, line))
        if self.check_digits and type(record) in _NUMBERS_CHECKED:
            errors.extend(self._record_numbers(record, line))
        return errors

    def finish(self, line: int) -> list[AutogiroError]:
        """End of file after ``line - 1`` lines."""
        if not self._started:
            if line > 1:  # only unreadable lines, already reported
                return []
            return [
                AutogiroError(
                    "the file is empty; it must begin with an opening record",
                    line=line,
                    column=1,
                    field="tk",
                )
            ]
        return self._unclosed(line)

    # -- helpers ----------------------------------------------------------

    def _unclosed(self, line: int) -> list[AutogiroError]:
        family = self.family
        if family is None or family is Family.REQUEST or self._closed_at or self._skipping:
            return []
        closing = _CLOSING[family]
        return [
            AutogiroError(
                f"the section opened on line {self._opening_line} has no closing record "
                f"(TK{closing.TK})",
                line=line,
                column=1,
                field="tk",
            )
        ]

    def _mismatch(
        self, record: Record, line: int, name: str, expected: object, what: str
    ) -> AutogiroError:
        return AutogiroError(
            f"must equal {what} ({expected})",
            line=line,
            column=column_of(type(record), name),
            field=name,
            got=str(getattr(record, name)),
        )

    def _close(self, record: Record, line: int) -> list[AutogiroError]:
        """Common checks of a closing record; returns errors."""
        errors: list[AutogiroError] = []
        self._closed_at = line
        self._ready = False
        opening = self._opening
        opening_date = getattr(opening, "file_date", None)
        if opening_date is not None and getattr(record, "file_date", None) != opening_date:
            errors.append(
                self._mismatch(
                    record,
                    line,
                    "file_date",
                    opening_date.isoformat(),
                    f"the file date of the opening record on line {self._opening_line}",
                )
            )
        return errors

    def _check(
        self,
        errors: list[AutogiroError],
        record: Record,
        line: int,
        name: str,
        actual: object,
        what: str,
    ) -> None:
        if getattr(record, name) != actual:
            errors.append(self._mismatch(record, line, name, actual, what))

    # -- families ---------------------------------------------------------

    def _request(self, record: Record, line: int) -> list[AutogiroError]:
        return []  # the bankgiro number is checked for every family in accept()

    def _end_sub_section(self) -> list[AutogiroError]:
        sub = self._sub
        if sub is None:
            return []
        payments = {Deposit: "82", Withdrawal: "32", RefundWithdrawal: "77"}[type(sub)]
        self._counts[payments] += self._sub_count
        if self._sub_damaged:
            return []
        errors: list[AutogiroError] = []
        what = "refund records" if isinstance(sub, RefundWithdrawal) else "approved payments"
        self._check(
            errors,
            sub,
            self._sub_line,
            "approved_count",
            self._sub_count,
            f"the number of {what} in the section",
        )
        self._check(
            errors,
            sub,
            self._sub_line,
            "approved_amount",
            self._sub_sum,
            f"the sum of {what} in the section",
        )
        return errors

    def _payment_specification(self, record: Record, line: int) -> list[AutogiroError]:
        cls = type(record)
        if cls is DebitPayment or cls is CreditPayment:
            if type(self._sub) is not _SECTION_OF[cls]:
                return self._misplaced(record, line)
            payment = cast(ReportedPayment, record)
            if payment.status == "0":
                self._sub_count += 1
                self._sub_sum += payment.amount
            return []
        if isinstance(record, SectionOpening):
            errors = self._end_sub_section()
            self._add(record.TK)
            self._sub = record
            self._sub_line = line
            self._sub_count = 0
            self._sub_sum = Decimal(0)
            self._sub_damaged = False
            return errors
        if isinstance(record, Refund):
            if not isinstance(self._sub, RefundWithdrawal):
                return self._misplaced(record, line)
            self._sub_count += 1
            self._sub_sum += record.amount
            return []
        assert isinstance(record, PaymentSpecificationClosing)
        errors = self._end_sub_section()
        errors += self._close(record, line)
        if not self._damaged:
            for name, tk, what in (
                ("deposit_count", "15", "the number of TK15 records"),
                ("debit_count", "82", "the number of approved TK82 records"),
                ("withdrawal_count", "16", "the number of TK16 records"),
                ("credit_count", "32", "the number of approved TK32 records"),
                ("refund_withdrawal_count", "17", "the number of TK17 records"),
                ("refund_count", "77", "the number of TK77 records"),
            ):
                self._check(errors, record, line, name, self._count(tk), what)
        return errors

    def _misplaced(self, record: Record, line: int) -> list[AutogiroError]:
        section = _SECTION_OF[type(record)]
        self.damage()
        return [
            AutogiroError(
                f"TK{record.TK} must follow a TK{section.TK} record "
                f"({section.NAME}) in a payment specification",
                line=line,
                column=1,
                field="tk",
                got=record.TK,
            )
        ]

    def _mandate_notices(self, record: Record, line: int) -> list[AutogiroError]:
        if isinstance(record, MandateNotice):
            self._add("73")
            return []
        errors = self._close(record, line)
        if not self._damaged:
            self._check(
                errors,
                record,
                line,
                "notice_count",
                self._count("73"),
                "the number of TK73 records",
            )
        return errors

    def _rejected_payments(self, record: Record, line: int) -> list[AutogiroError]:
        if isinstance(record, RejectedDebit | RejectedCredit):
            if record.amount is None:
                self._uncertain_sums = True
            self._add(record.TK, record.amount)
            return []
        errors = self._close(record, line)
        if not self._damaged:
            for tk, count_name, total_name in (
                ("32", "credit_count", "credit_total"),
                ("82", "debit_count", "debit_total"),
            ):
                self._check(
                    errors,
                    record,
                    line,
                    count_name,
                    self._count(tk),
                    f"the number of TK{tk} records",
                )
                if not self._uncertain_sums:
                    self._check(
                        errors,
                        record,
                        line,
                        total_name,
                        self._sum(tk),
                        f"the sum of TK{tk} records",
                    )
        return errors

    def _amendments(self, record: Record, line: int) -> list[AutogiroError]:
        if isinstance(record, AmendmentAnswer):
            if record.successful and record.payment_type is not None:
                if record.amount is None:
                    self._uncertain_sums = True
                self._add(record.payment_type, record.amount)
            return []
        errors = self._close(record, line)
        if not self._damaged:
            for tk, count_name, total_name in (
                ("32", "credit_count", "credit_total"),
                ("82", "debit_count", "debit_total"),
            ):
                self._check(
                    errors,
                    record,
                    line,
                    count_name,
                    self._count(tk),
                    f"the number of successful answers for TK{tk} payments",
                )
                if not self._uncertain_sums:
                    self._check(
                        errors,
                        record,
                        line,
                        total_name,
                        self._sum(tk),
                        f"the sum of successful answers for TK{tk} payments",
                    )
        return errors

    def _internet_mandates(self, record: Record, line: int) -> list[AutogiroError]:
        if isinstance(record, InternetMandate):
            self._add("52")
            self._group_position = 0
            return []
        position = _INTERNET_GROUP_ORDER.get(type(record))
        if position is not None:
            self._add("5x")
            if position <= self._group_position:
                return [
                    AutogiroError(
                        "must follow a TK52 record, in the order TK53, TK54, TK55, TK56, "
                        "each at most once",
                        line=line,
                        column=1,
                        field="tk",
                        got=record.TK,
                    )
                ]
            self._group_position = position
            return []
        errors = self._close(record, line)
        if not self._damaged:
            self._check(
                errors,
                record,
                line,
                "record_count",
                self._count("52") + self._count("5x"),
                "the number of TK52-TK56 records",
            )
        return errors

    def _totals(self, record: Record, line: int) -> list[AutogiroError]:
        """Every TK82 and TK32 record counted and summed; the closing record's totals."""
        if isinstance(record, TotalsClosing):
            errors = self._close(record, line)
            if not self._damaged:
                for tk, count_name, total_name in (
                    ("32", "credit_count", "credit_total"),
                    ("82", "debit_count", "debit_total"),
                ):
                    self._check(
                        errors,
                        record,
                        line,
                        count_name,
                        self._count(tk),
                        f"the number of TK{tk} records",
                    )
                    self._check(
                        errors,
                        record,
                        line,
                        total_name,
                        self._sum(tk),
                        f"the sum of TK{tk} records",
                    )
            return errors
        amount = getattr(record, "amount", None)
        self._add(record.TK, amount)
        return []


_HANDLERS: Final[
    Mapping[Family, Callable[[StructureChecker, Record, int], list[AutogiroError]]]
] = MappingProxyType(
    {
        Family.REQUEST: StructureChecker._request,
        Family.PAYMENT_SPECIFICATION: StructureChecker._payment_specification,
        Family.MANDATE_NOTICES: StructureChecker._mandate_notices,
        Family.REJECTED_PAYMENTS: StructureChecker._rejected_payments,
        Family.AMENDMENTS: StructureChecker._amendments,
        Family.INTERNET_MANDATES: StructureChecker._internet_mandates,
        Family.OLD_PAYMENT_SPECIFICATION: StructureChecker._totals,
        Family.OLD_MANDATE_NOTICES: StructureChecker._mandate_notices,
        Family.OLD_REJECTED_PAYMENTS: StructureChecker._rejected_payments,
        Family.OLD_AMENDMENTS: StructureChecker._amendments,
        Family.REGISTER_EXTRACT: StructureChecker._totals,
    }
)


_Check = Callable[[Any], str | None]


def _numbers_checked() -> Mapping[type[Record], tuple[tuple[str, _Check], ...]]:
    """Per record type, its numbers with a check digit (the payee's bankgiro number is
    checked once, on the opening record, and every other record must repeat it)."""
    table: dict[type[Record], tuple[tuple[str, _Check], ...]] = {}
    for allowed in _ALLOWED.values():
        for cls in allowed:
            names = {item.name for item in cls.LAYOUT if item.attribute}
            checks: list[tuple[str, _Check]] = []
            if "new_bankgiro" in names:
                checks.append(("new_bankgiro", bankgiro_problem))
            if "account" in names:
                checks.append(("account", account_problem))
            if "identity" in names:
                checks.append(("identity", identity_problem))
            if checks:
                table[cls] = tuple(checks)
    return MappingProxyType(table)


_NUMBERS_CHECKED: Final = _numbers_checked()
