"""Conformance: the extract of the watch register (BEVAKNINGSREG), record type by record type.

The current manual describes it (TK01, TK82, TK32, TK09) with the opening record
``01`` + date + ``AUTOGIRO9900BEVAKNINGSREG`` + customer number + bankgiro number; until now the
reader refused it as the old layout.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autogiro import (
    GENAST,
    AutogiroValidationError,
    ListOpening,
    PaymentOrder,
    RegisteredCredit,
    RegisteredDebit,
    RegisterExtractClosing,
    read_bytes,
)
from autogiro_testkit import BANKGIRO, CUSTOMER, file_bytes, num, rec

BG10 = num(BANKGIRO, 10)
OPENING = rec(
    "01", {3: "20260101", 11: "AUTOGIRO", 19: "9900", 23: "BEVAKNINGSREG", 63: CUSTOMER, 69: BG10}
)


def order(tk: str, payer: int, ore: int, day: str = "20260201", period: str = "1") -> str:
    fields = {3: day, 11: period, 16: num(payer, 16), 32: num(ore, 12), 44: BG10, 54: "PREMIE"}
    if period != "0":
        fields[12] = "012"
    return rec(tk, fields)


def closing(credits: tuple[int, int], debits: tuple[int, int]) -> str:
    return rec(
        "09",
        {
            3: "20260101",
            11: "9900",
            29: num(credits[1], 12),
            41: num(credits[0], 6),
            47: num(debits[0], 6),
            53: "0000",
            57: num(debits[1], 12),
        },
    )


def test_the_register_extract_is_read_not_refused_as_the_old_layout() -> None:
    lines = [
        OPENING,
        order("82", 101, 50000),
        order("82", 102, 25000, day="GENAST  ", period="0"),
        order("32", 103, 10000, period="0"),
        closing((1, 10000), (2, 75000)),
    ]
    records = read_bytes(file_bytes(lines), check_digits=False)
    opening, debit, at_once, credit, end = records
    assert opening == ListOpening(
        file_date=date(2026, 1, 1),
        content="BEVAKNINGSREG",
        customer_number=CUSTOMER,
        bankgiro=BANKGIRO,
    )
    assert debit == RegisteredDebit(
        bankgiro=BANKGIRO,
        payer_number="101",
        amount=Decimal("500.00"),
        payment_date=date(2026, 2, 1),
        period=1,
        repeats=12,
        reference="PREMIE",
    )
    assert isinstance(debit, PaymentOrder)
    assert isinstance(at_once, RegisteredDebit) and at_once.payment_date == GENAST
    assert isinstance(credit, RegisteredCredit) and credit.repeats is None
    assert end == RegisterExtractClosing(
        file_date=date(2026, 1, 1),
        credit_total=Decimal("100.00"),
        credit_count=1,
        debit_count=2,
        debit_total=Decimal("750.00"),
    )


def test_the_closing_totals_are_checked() -> None:
    lines = [OPENING, order("82", 101, 50000), closing((0, 0), (1, 40000))]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes(lines), check_digits=False)
    assert (error.value.line, error.value.field) == (3, "debit_total")
    assert "the sum of TK82 records" in error.value.rule
    assert "summan av TK82-posterna" in error.value.message("sv")


def test_the_order_rules_apply() -> None:
    lines = [OPENING, order("82", 101, 50000, day="GENAST  "), closing((0, 0), (1, 50000))]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes(lines), check_digits=False)
    assert (error.value.line, error.value.field) == (2, "period")


def test_a_missing_closing_record_is_reported() -> None:
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes([OPENING, order("82", 101, 50000)]), check_digits=False)
    assert "no closing record (TK09)" in error.value.rule
