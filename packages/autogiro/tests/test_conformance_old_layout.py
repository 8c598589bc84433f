"""Conformance: the old layout's files from Bankgirot (before 2016), record type by record type.

Written from the layout as LAYOUT.md states it (sources S8, S9): the openings with
``AUTOGIRO9900`` and a content name in 23-42 or with ``9900``, the bankgiro number and
``AG-MEDAVI``; the records that keep the new layout's positions are read as the same types.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autogiro import (
    AmendmentsClosing,
    AutogiroValidationError,
    CreditPayment,
    DebitPayment,
    ListOpening,
    MandateNotice,
    MandateNoticeClosing,
    OldCreditPayment,
    OldDebitPayment,
    OldMandateNoticeOpening,
    OldPaymentSpecificationClosing,
    PaymentCancelled,
    PaymentMoved,
    RejectedDebit,
    RejectedPaymentsClosing,
    codes,
    read_bytes,
    write_bytes,
)
from autogiro.fields import BankAccount
from autogiro.structure import Family, detect_family
from autogiro_testkit import BANKGIRO, CUSTOMER, file_bytes, num, rec

BG10 = num(BANKGIRO, 10)


def list_opening(content: str, day: str = "20041027") -> str:
    return rec("01", {3: day, 11: "AUTOGIRO", 19: "9900", 23: content, 63: CUSTOMER, 69: BG10})


def notice_opening(day: str = "20041018") -> str:
    return rec("01", {3: day, 11: "9900", 15: BG10, 25: "AG-MEDAVI"})


def payment(tk: str, payer: int, ore: int, status: str = " ", ref: str = "PREMIE") -> str:
    fields = {3: "20041028", 11: "0", 16: num(payer, 16), 32: num(ore, 12), 44: BG10, 54: ref}
    if status != " ":
        fields[80] = status
    return rec(tk, fields)


def totals(day: str, credits: tuple[int, int], debits: tuple[int, int]) -> str:
    return rec(
        "09",
        {
            3: day,
            11: "9900",
            29: num(credits[1], 12),
            41: num(credits[0], 6),
            47: num(debits[0], 6),
            53: "0000",
            57: num(debits[1], 12),
        },
    )


def read(lines: list[str]) -> list[object]:
    return list(read_bytes(file_bytes(lines), check_digits=False))


# -- the openings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "family"),
    [
        ("", Family.OLD_PAYMENT_SPECIFICATION),
        ("FELLISTA REG.KONTRL", Family.OLD_REJECTED_PAYMENTS),
        ("MAK/ÄNDRINGSLISTA", Family.OLD_AMENDMENTS),
        ("BEVAKNINGSREG", Family.REGISTER_EXTRACT),
    ],
)
def test_list_opening_tells_the_kind_by_its_content_name(content: str, family: Family) -> None:
    line = list_opening(content)
    assert detect_family(line) == (family, None)
    assert content in codes.LIST_CONTENT_NAMES
    assert codes.LIST_CONTENT_NAMES[content]  # a Swedish text for every content name


def test_list_opening_fields() -> None:
    lines = [list_opening(""), totals("20041027", (0, 0), (0, 0))]
    opening = read(lines)[0]
    assert opening == ListOpening(
        file_date=date(2004, 10, 27), content="", customer_number=CUSTOMER, bankgiro=BANKGIRO
    )


def test_old_mandate_notice_opening_fields() -> None:
    opening = read([notice_opening(), rec("09", {3: "20041018", 11: "9900", 15: num(0, 7)})])[0]
    assert opening == OldMandateNoticeOpening(file_date=date(2004, 10, 18), bankgiro=BANKGIRO)


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        (list_opening("LISTA X"), 23, "positions 23-42"),
        (rec("01", {3: "20041018", 11: "9900", 15: BG10, 25: "AG-MEDREG"}), 25, "positions 25-44"),
    ],
)
def test_an_unknown_content_name_is_refused_without_naming_a_layout(
    line: str, column: int, text: str
) -> None:
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes([line]))
    assert (error.value.line, error.value.column, error.value.field) == (1, column, "content")
    assert text in error.value.rule
    assert "layout" not in error.value.rule
    assert "layout" not in error.value.message("sv")


# -- the payment specification ------------------------------------------------------------


def test_old_payment_specification_reads_payments_as_debit_and_credit_payments() -> None:
    lines = [
        list_opening(""),
        payment("82", 1001, 24300),
        payment("82", 1002, 10000, status="1"),
        payment("82", 1003, 5000, status="9"),
        payment("32", 1004, 16874),
        totals("20041027", (1, 16874), (3, 39300)),
    ]
    records = read(lines)
    debit, refused, retried, credit, closing = records[1:]
    assert isinstance(debit, OldDebitPayment) and isinstance(debit, DebitPayment)
    assert debit.status == "0" and debit.approved and debit.amount == Decimal("243.00")
    assert isinstance(refused, DebitPayment) and refused.status == "1" and not refused.approved
    assert isinstance(retried, DebitPayment) and retried.status == "9"
    assert isinstance(credit, OldCreditPayment) and isinstance(credit, CreditPayment)
    assert closing == OldPaymentSpecificationClosing(
        file_date=date(2004, 10, 27),
        credit_total=Decimal("168.74"),
        credit_count=1,
        debit_count=3,
        debit_total=Decimal("393.00"),
    )


def test_old_payment_status_zero_or_unknown_is_refused() -> None:
    for status in ("0", "3"):
        lines = [list_opening(""), payment("82", 1, 100, status=status)]
        with pytest.raises(AutogiroValidationError) as error:
            read_bytes(file_bytes(lines), check_digits=False)
        assert (error.value.column, error.value.field) == (80, "status")


def test_old_payment_specification_totals_count_every_status() -> None:
    lines = [
        list_opening(""),
        payment("82", 1, 100),
        payment("82", 2, 200, status="2"),
        totals("20041027", (0, 0), (1, 100)),  # the refused payment left out: wrong
    ]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes(lines), check_digits=False)
    fields = {e.field for e in error.value.errors}
    assert fields == {"debit_count", "debit_total"}


def test_old_payment_specification_has_no_sections() -> None:
    lines = [list_opening(""), rec("15", {3: num(1, 35)}), totals("20041027", (0, 0), (0, 0))]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes(lines), check_digits=False)
    assert error.value.line == 2 and "unknown transaction code" in error.value.rule
    assert "old layout" in error.value.rule  # the section is of the old layout: named right


def test_old_payment_written_back_has_a_blank_status() -> None:
    records = read([list_opening(""), payment("82", 7, 100), totals("20041027", (0, 0), (1, 100))])
    data = write_bytes(records, check_digits=False)  # type: ignore[arg-type]
    assert data.split(b"\r\n")[1][79:80] == b" "
    assert read_bytes(data, check_digits=False) == records


# -- mandate notices -------------------------------------------------------------------------


def test_old_mandate_notices_are_mandate_notices_blank_account_and_identity_allowed() -> None:
    lines = [
        notice_opening(),
        rec(
            "73",
            {
                3: BG10,
                13: num(1001, 16),
                29: "3300" + num("1212121212", 12),
                45: "191212121212",
                57: "00000",
                62: "04",
                64: "32",
                66: "20041018",
                74: "041026",
            },
        ),
        rec("73", {3: BG10, 13: num(1002, 16), 62: "03", 64: "33", 66: "20041018", 74: "000000"}),
        rec("09", {3: "20041018", 11: "9900", 15: num(2, 7)}),
    ]
    _opening, created, deleted, closing = read(lines)
    assert created == MandateNotice(
        bankgiro=BANKGIRO,
        payer_number="1001",
        account=BankAccount("3300", "1212121212"),
        identity="191212121212",
        information_code="04",
        comment_code="32",
        notice_date=date(2004, 10, 18),
        valid_from=date(2004, 10, 26),
    )
    assert isinstance(deleted, MandateNotice)
    assert (deleted.account, deleted.identity, deleted.valid_from) == (None, None, None)
    assert closing == MandateNoticeClosing(file_date=date(2004, 10, 18), notice_count=2)


def test_old_mandate_notice_of_another_payee_is_refused() -> None:
    lines = [
        notice_opening(),
        rec("73", {3: num(5050, 10), 13: num(1, 16), 62: "03", 64: "33", 66: "20041018"}),
        rec("09", {3: "20041018", 11: "9900", 15: num(1, 7)}),
    ]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(file_bytes(lines), check_digits=False)
    assert (error.value.line, error.value.field) == (2, "bankgiro")


# -- rejected payments (FELLISTA REG.KONTRL) ----------------------------------------------------


def test_old_rejected_payments_are_rejected_debits() -> None:
    lines = [
        list_opening("FELLISTA REG.KONTRL", day="20041022"),
        rec("82", {3: "20041023", 11: "0", 15: num(101, 16), 31: num(50000, 12), 59: "01"}),
        rec("82", {3: "20041023", 11: "0", 15: num(102, 16), 31: num(20000, 12), 59: "03"}),
        rec(
            "09",
            {
                3: "20041022",
                11: "9900",
                15: num(0, 6),
                21: num(0, 12),
                33: num(2, 6),
                39: num(70000, 12),
            },
        ),
    ]
    records = read(lines)
    assert [type(r) for r in records[1:]] == [RejectedDebit, RejectedDebit, RejectedPaymentsClosing]
    first = records[1]
    assert isinstance(first, RejectedDebit)
    assert (first.payer_number, first.amount, first.comment_code) == (
        "101",
        Decimal("500.00"),
        "01",
    )


# -- amendment answers (MAK/ÄNDRINGSLISTA) ------------------------------------------------------


def test_old_amendment_answers_are_amendment_answers() -> None:
    lines = [
        list_opening("MAK/ÄNDRINGSLISTA", day="20041015"),
        rec(
            "25",
            {
                3: "20041020",
                11: num(101, 16),
                27: "82",
                29: num(30000, 12),
                41: "REFERENS",
                49: "00000000",
                57: "PREMIE",
                73: "12",
            },
        ),
        rec(
            "29",
            {
                3: "20041020",
                11: num(102, 16),
                27: "82",
                29: num(10000, 12),
                41: "00000000",
                49: "20041027",
                73: "14",
            },
        ),
        totals("20041015", (0, 0), (2, 40000)),
    ]
    records = read(lines)
    cancelled, moved, closing = records[1:]
    assert isinstance(cancelled, PaymentCancelled) and cancelled.successful
    assert cancelled.reference == "PREMIE"
    assert isinstance(moved, PaymentMoved) and moved.new_date == date(2004, 10, 27)
    assert isinstance(closing, AmendmentsClosing) and closing.debit_count == 2
