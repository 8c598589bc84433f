"""Files to Bankgirot built task by task: each task gives the exact record, by positions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from autogiro import (
    GENAST,
    AutogiroValidationError,
    BankAccount,
    RequestFile,
    read_bytes,
)
from autogiro_testkit import BANKGIRO, CUSTOMER, alpha, num, rec, request_opening

BG10 = num(BANKGIRO, 10)
DAY = "20260202"
PAYER = num(101, 16)
PERSON = "198112289874"


def _file() -> RequestFile:
    return RequestFile(customer_number=CUSTOMER, bankgiro=BANKGIRO, file_date=date(2026, 1, 15))


# (task, the call, the record by its positions in the manual)
TASKS: list[tuple[str, Callable[[RequestFile], object], str]] = [
    (
        "create a mandate",
        lambda f: f.create_mandate(
            "101", account=BankAccount("3300", "8112289874"), identity=PERSON
        ),
        rec("04", {3: BG10, 13: PAYER, 29: "3300" + num("8112289874", 12), 45: PERSON}),
    ),
    (
        "approve an Internet bank mandate",
        lambda f: f.approve_internet_mandate("101"),
        rec("04", {3: BG10, 13: PAYER}),
    ),
    (
        "reject an Internet bank mandate",
        lambda f: f.reject_internet_mandate("101"),
        rec("04", {3: BG10, 13: PAYER, 77: "AV"}),
    ),
    ("delete a mandate", lambda f: f.delete_mandate("101"), rec("03", {3: BG10, 13: PAYER})),
    (
        "change a payer number",
        lambda f: f.change_payer_number("101", "202"),
        rec("05", {3: BG10, 13: PAYER, 29: BG10, 39: num(202, 16)}),
    ),
    (
        "a single debit",
        lambda f: f.add_payment("101", Decimal("572.00"), date(2026, 2, 2), reference="PREMIE"),
        rec(
            "82",
            {3: DAY, 11: "0", 16: PAYER, 32: num(57200, 12), 44: BG10, 54: alpha("PREMIE", 16)},
        ),
    ),
    (
        "a debit as soon as possible",
        lambda f: f.add_payment("101", Decimal("10.50"), GENAST),
        rec("82", {3: "GENAST", 11: "0", 16: PAYER, 32: num(1050, 12), 44: BG10}),
    ),
    (
        "a monthly debit, twelve times",
        lambda f: f.add_payment("101", Decimal("99"), date(2026, 2, 2), period=1, repeats=12),
        rec("82", {3: DAY, 11: "1", 12: "012", 16: PAYER, 32: num(9900, 12), 44: BG10}),
    ),
    (
        "a yearly debit until further notice",
        lambda f: f.add_payment("101", Decimal("1200"), date(2026, 2, 2), period=4),
        rec("82", {3: DAY, 11: "4", 16: PAYER, 32: num(120000, 12), 44: BG10}),
    ),
    (
        "a single credit",
        lambda f: f.add_payment("101", Decimal("250"), date(2026, 2, 2), credit=True),
        rec("32", {3: DAY, 11: "0", 16: PAYER, 32: num(25000, 12), 44: BG10}),
    ),
    (
        "cancel one payment",
        lambda f: f.cancel_payment("101", Decimal("572.00"), date(2026, 2, 2), reference="PREMIE"),
        rec(
            "25",
            {3: BG10, 13: PAYER, 29: DAY, 37: num(57200, 12), 49: "82", 59: alpha("PREMIE", 16)},
        ),
    ),
    (
        "cancel every payment of a payer",
        lambda f: f.cancel_payer_payments("101"),
        rec("23", {3: BG10, 13: PAYER}),
    ),
    (
        "cancel a payer's payments of one date",
        lambda f: f.cancel_payer_payments("101", payment_date=date(2026, 2, 2)),
        rec("24", {3: BG10, 13: PAYER, 29: DAY}),
    ),
    (
        "move one credit",
        lambda f: f.move_payment(
            "101", Decimal("250"), date(2026, 2, 2), date(2026, 2, 9), credit=True
        ),
        rec("29", {3: BG10, 13: PAYER, 29: DAY, 37: num(25000, 12), 49: "32", 51: "20260209"}),
    ),
    (
        "move every payment",
        lambda f: f.move_payments(date(2026, 2, 9)),
        rec("26", {3: BG10, 51: "20260209"}),
    ),
    (
        "move the payments of one date",
        lambda f: f.move_payments(date(2026, 2, 9), payment_date=date(2026, 2, 2)),
        rec("27", {3: BG10, 29: DAY, 51: "20260209"}),
    ),
    (
        "move a payer's payments of one date",
        lambda f: f.move_payments(
            date(2026, 2, 9), payment_date=date(2026, 2, 2), payer_number="101"
        ),
        rec("28", {3: BG10, 13: PAYER, 29: DAY, 51: "20260209"}),
    ),
]


@pytest.mark.parametrize(("task", "call", "line"), TASKS, ids=[t[0] for t in TASKS])
def test_each_task_gives_its_record_after_the_opening(
    task: str, call: Callable[[RequestFile], object], line: str
) -> None:
    file = _file()
    call(file)
    expected = (request_opening() + "\r\n" + line + "\r\n").encode("latin-1")
    assert file.to_bytes() == expected, task
    assert read_bytes(expected) == file.records


def test_a_file_of_every_task_is_written_and_read_back(tmp_path: Path) -> None:
    file = _file()
    for _task, call, _line in TASKS:
        call(file)
    path = tmp_path / "to_bgc.txt"
    assert file.write(path) == len(TASKS) + 1
    assert read_bytes(path.read_bytes()) == file.records
    assert path.read_bytes().decode("latin-1").split("\r\n")[1:-1] == [t[2] for t in TASKS]


@pytest.mark.parametrize(
    ("call", "field", "words"),
    [
        (
            lambda f: f.create_mandate(
                "101", account=BankAccount("3300", "8112289874"), identity="198112289875"
            ),
            "identity",
            "check digit",
        ),
        (lambda f: f.add_payment("101", Decimal("0"), date(2026, 2, 2)), "amount", "greater"),
        (lambda f: f.add_payment("101", Decimal("1.005"), date(2026, 2, 2)), "amount", "decimal"),
        (lambda f: f.add_payment("101", Decimal(1), GENAST, period=1), "period", "GENAST"),
        (lambda f: f.add_payment("10A", Decimal(1), GENAST), "payer_number", "digits"),
        (
            lambda f: f.change_payer_number("101", "202", new_bankgiro="9912345"),
            "new_bankgiro",
            "check digit",
        ),
        (lambda f: f.move_payments(date(2026, 2, 9), payer_number="101"), "payment_date", "TK28"),
    ],
)
def test_a_wrong_task_is_refused_and_not_added(
    call: Callable[[RequestFile], object], field: str, words: str
) -> None:
    file = _file()
    file.delete_mandate("100")
    with pytest.raises(AutogiroValidationError) as caught:
        call(file)
    assert (caught.value.line, caught.value.field) == (3, field), caught.value
    assert words in caught.value.rule, caught.value
    assert len(file.records) == 2


def test_a_payee_with_a_wrong_bankgiro_number_is_refused_at_once() -> None:
    with pytest.raises(AutogiroValidationError) as caught:
        RequestFile(customer_number=CUSTOMER, bankgiro="9912345", file_date=date(2026, 1, 15))
    assert (caught.value.line, caught.value.field) == (1, "bankgiro")
    lenient = RequestFile(
        customer_number=CUSTOMER,
        bankgiro="9912345",
        file_date=date(2026, 1, 15),
        check_digits=False,
    )
    lenient.delete_mandate("101")
    assert len(read_bytes(lenient.to_bytes(), check_digits=False)) == 2
