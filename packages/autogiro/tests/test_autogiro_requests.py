"""Table tests: files to Bankgirot, each record type built from its positions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autogiro import (
    GENAST,
    BankAccount,
    CancelPayerPayments,
    CancelPayerPaymentsOnDate,
    CancelPayment,
    CreditOrder,
    DebitOrder,
    MandateDeletion,
    MoveAllPayments,
    MovePayerPaymentsOnDate,
    MovePayment,
    MovePaymentsOnDate,
    NewMandate,
    Opening,
    PayerNumberChange,
    Record,
    RejectMandate,
    read_bytes,
    write_bytes,
)
from autogiro_testkit import BANKGIRO, CUSTOMER, alpha, file_bytes, num, rec, request_opening

BG10 = num(BANKGIRO, 10)

CASES: list[tuple[str, str, Record]] = [
    (
        "delete mandate",
        rec("03", {3: BG10, 13: num(101, 16)}),
        MandateDeletion(bankgiro=BANKGIRO, payer_number="101"),
    ),
    (
        "new mandate with account and personal number",
        rec(
            "04",
            {
                3: BG10,
                13: num("196803050001", 16),
                29: "3300" + num(6803050001, 12),
                45: "196803050001",
            },
        ),
        NewMandate(
            bankgiro=BANKGIRO,
            payer_number="196803050001",
            account=BankAccount("3300", "6803050001"),
            identity="196803050001",
        ),
    ),
    (
        "new mandate for an organisation (00 + organisation number)",
        rec(
            "04",
            {3: BG10, 13: num(5561234567, 16), 29: "8327" + num(99421232, 12), 45: "005561234567"},
        ),
        NewMandate(
            bankgiro=BANKGIRO,
            payer_number="5561234567",
            account=BankAccount("8327", "99421232"),
            identity="005561234567",
        ),
    ),
    (
        "approve an Internet bank mandate (payer number only)",
        rec("04", {3: BG10, 13: num(2222101, 16)}),
        NewMandate(bankgiro=BANKGIRO, payer_number="2222101"),
    ),
    (
        "reject an Internet bank mandate (AV in 77-78)",
        rec(
            "04",
            {
                3: BG10,
                13: num(106, 16),
                29: "5001" + num(1000023, 12),
                45: "194512121213",
                77: "AV",
            },
        ),
        RejectMandate(
            bankgiro=BANKGIRO,
            payer_number="106",
            account=BankAccount("5001", "1000023"),
            identity="194512121213",
        ),
    ),
    (
        "change payer number",
        rec("05", {3: BG10, 13: num(111, 16), 29: BG10, 39: num(191212121212, 16)}),
        PayerNumberChange(
            bankgiro=BANKGIRO,
            payer_number="111",
            new_bankgiro=BANKGIRO,
            new_payer_number="191212121212",
        ),
    ),
    (
        "single debit",
        rec(
            "82",
            {
                3: "20260201",
                11: "0",
                16: num(101, 16),
                32: num(75000, 12),
                44: BG10,
                54: alpha("PREMIE 2026", 16),
            },
        ),
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="101",
            amount=Decimal("750.00"),
            payment_date=date(2026, 2, 1),
            period=0,
            repeats=None,
            reference="PREMIE 2026",
        ),
    ),
    (
        "monthly debit on the last bank day, 12 times",
        rec(
            "82",
            {
                3: "20260227",
                11: "5",
                12: "012",
                16: num(102, 16),
                32: num(12345, 12),
                44: BG10,
                54: "MÅNADSPREMIE",
            },
        ),
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="102",
            amount=Decimal("123.45"),
            payment_date=date(2026, 2, 27),
            period=5,
            repeats=12,
            reference="MÅNADSPREMIE",
        ),
    ),
    (
        "yearly debit until further notice",
        rec("82", {3: "20260301", 11: "4", 16: num(103, 16), 32: num(57200, 12), 44: BG10}),
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="103",
            amount=Decimal("572.00"),
            payment_date=date(2026, 3, 1),
            period=4,
            repeats=None,
        ),
    ),
    (
        "debit as soon as possible (GENAST)",
        rec(
            "82",
            {
                3: "GENAST",
                11: "0",
                16: num(3331022, 16),
                32: num(35000, 12),
                44: BG10,
                54: "KUNDNR5",
            },
        ),
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="3331022",
            amount=Decimal("350.00"),
            payment_date=GENAST,
            reference="KUNDNR5",
        ),
    ),
    (
        "credit (refund of premium)",
        rec(
            "32",
            {
                3: "20260212",
                11: "0",
                16: num(7771014, 16),
                32: num(125000, 12),
                44: BG10,
                54: "ÅTERBETALNING",
            },
        ),
        CreditOrder(
            bankgiro=BANKGIRO,
            payer_number="7771014",
            amount=Decimal("1250.00"),
            payment_date=date(2026, 2, 12),
            reference="ÅTERBETALNING",
        ),
    ),
    (
        "cancel all payments of a payer (TK23)",
        rec("23", {3: BG10, 13: num(101, 16)}),
        CancelPayerPayments(bankgiro=BANKGIRO, payer_number="101"),
    ),
    (
        "cancel a payer's payments on a date (TK24)",
        rec("24", {3: BG10, 13: num(2222101, 16), 29: "20260212"}),
        CancelPayerPaymentsOnDate(
            bankgiro=BANKGIRO, payer_number="2222101", payment_date=date(2026, 2, 12)
        ),
    ),
    (
        "cancel one payment with reference (TK25)",
        rec(
            "25",
            {
                3: BG10,
                13: num(105, 16),
                29: "20260216",
                37: num(27500, 12),
                49: "82",
                59: "UTBETALN1",
            },
        ),
        CancelPayment(
            bankgiro=BANKGIRO,
            payer_number="105",
            payment_date=date(2026, 2, 16),
            amount=Decimal("275.00"),
            payment_type="82",
            reference="UTBETALN1",
        ),
    ),
    (
        "cancel one credit without reference (TK25)",
        rec("25", {3: BG10, 13: num(106, 16), 29: "20260219", 37: num(82500, 12), 49: "32"}),
        CancelPayment(
            bankgiro=BANKGIRO,
            payer_number="106",
            payment_date=date(2026, 2, 19),
            amount=Decimal("825.00"),
            payment_type="32",
        ),
    ),
    (
        "move all payments (TK26)",
        rec("26", {3: BG10, 51: "20260630"}),
        MoveAllPayments(bankgiro=BANKGIRO, new_date=date(2026, 6, 30)),
    ),
    (
        "move the payments of a date (TK27)",
        rec("27", {3: BG10, 29: "20260613", 51: "20260630"}),
        MovePaymentsOnDate(
            bankgiro=BANKGIRO, payment_date=date(2026, 6, 13), new_date=date(2026, 6, 30)
        ),
    ),
    (
        "move a payer's payments of a date (TK28)",
        rec("28", {3: BG10, 13: num(107, 16), 29: "20260612", 51: "20260623"}),
        MovePayerPaymentsOnDate(
            bankgiro=BANKGIRO,
            payer_number="107",
            payment_date=date(2026, 6, 12),
            new_date=date(2026, 6, 23),
        ),
    ),
    (
        "move one payment (TK29)",
        rec(
            "29",
            {
                3: BG10,
                13: num(110, 16),
                29: "20260613",
                37: num(40000, 12),
                49: "32",
                51: "20260624",
                59: "UTBETALN3",
            },
        ),
        MovePayment(
            bankgiro=BANKGIRO,
            payer_number="110",
            payment_date=date(2026, 6, 13),
            amount=Decimal("400.00"),
            payment_type="32",
            new_date=date(2026, 6, 24),
            reference="UTBETALN3",
        ),
    ),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_request_record_is_read(line: str, expected: Record) -> None:
    records = read_bytes(file_bytes([request_opening(), line]))
    assert records[0] == Opening(
        file_date=date(2026, 1, 15), customer_number=CUSTOMER, bankgiro=BANKGIRO
    )
    assert records[1] == expected
    assert records[1].line == 2
    assert type(records[1]) is type(expected)


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_request_record_is_written_at_its_positions(line: str, expected: Record) -> None:
    opening = Opening(file_date=date(2026, 1, 15), customer_number=CUSTOMER, bankgiro=BANKGIRO)
    assert write_bytes([opening, expected]) == file_bytes([request_opening(), line])


def test_opening_record_positions() -> None:
    line = request_opening("20260115")
    assert line[:2] == "01"
    assert line[2:10] == "20260115"
    assert line[10:18] == "AUTOGIRO"
    assert line[18:62] == " " * 44
    assert line[62:68] == "471117"
    assert line[68:78] == "0009912346"
    assert line[78:80] == "  "
    (opening,) = read_bytes(file_bytes([line]))
    assert opening == Opening(
        file_date=date(2026, 1, 15), customer_number="471117", bankgiro="9912346"
    )


def test_one_file_may_hold_mandate_payment_and_amendment_sections() -> None:
    lines = [
        request_opening(),
        CASES[0][1],
        request_opening(),
        CASES[6][1],
        request_opening(),
        CASES[11][1],
    ]
    records = read_bytes(file_bytes(lines))
    assert [r.NAME for r in records] == [
        "opening",
        "delete_mandate",
        "opening",
        "debit_order",
        "opening",
        "cancel_payer_payments",
    ]


def test_file_without_final_line_end_is_read() -> None:
    data = file_bytes([request_opening(), CASES[0][1]])[:-2]
    assert len(read_bytes(data)) == 2


def test_writer_can_leave_out_the_final_line_end() -> None:
    opening = Opening(file_date=date(2026, 1, 15), customer_number=CUSTOMER, bankgiro=BANKGIRO)
    data = write_bytes([opening], final_line_end=False)
    assert data == request_opening().encode("latin-1")
