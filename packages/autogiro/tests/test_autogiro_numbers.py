"""Check digits and the same payee throughout a file, as Bankgirot checks them.

Bankgiro numbers (modulus 10), personal and organisation numbers (date, modulus 10) are verified
by default; ``check_digits=False`` skips them (Bankgirot's own example files fail them). Every
record's bankgiro number must be its section's, and every section the same BGC customer's.
"""

from __future__ import annotations

import io

import pytest

from autogiro import (
    AutogiroValidationError,
    BankAccount,
    NewMandate,
    Opening,
    read_bytes,
    validate,
    write_bytes,
)
from autogiro.checkdigits import bankgiro_problem, identity_problem, luhn_valid
from autogiro_testkit import (
    BANKGIRO,
    CUSTOMER,
    alpha,
    file_bytes,
    num,
    rec,
    report_opening,
    request_opening,
)

BG10 = num(BANKGIRO, 10)


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("9912346", None),
        ("0009912346", None),
        ("55555551", None),
        ("9912345", "wrong check digit"),
        ("55555552", "wrong check digit"),
        ("123456", "7 or 8 digits"),
        ("123456789", "7 or 8 digits"),
        ("99123A6", "digits"),
    ],
)
def test_bankgiro_numbers(number: str, problem: str | None) -> None:
    found = bankgiro_problem(number)
    assert (found is None) if problem is None else (problem in (found or "")), found


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("191212121212", None),
        ("198112289874", None),
        ("196803950001", "date that exists"),  # day 95: no co-ordination number (35th)...
        ("191212721219", None),  # ... day 72: co-ordination number for 12 December
        ("191212121213", "wrong check digit"),
        ("191302291212", "date that exists"),  # 29 February 1913
        ("005560160680", None),
        ("005556000528", None),
        ("005556000521", "wrong check digit"),
        ("001012121212", "third digit"),
        ("19121212121", "12 digits"),
    ],
)
def test_identity_numbers(number: str, problem: str | None) -> None:
    found = identity_problem(number)
    assert (found is None) if problem is None else (problem in (found or "")), found


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def _mandate(identity: str, account: str = "3300" + num("8112289874", 12)) -> str:
    return rec("04", {3: BG10, 13: num(101, 16), 29: account, 45: identity})


def _errors(data: bytes, **options: bool) -> list[tuple[int | None, int | None, str | None]]:
    return [(e.line, e.column, e.field) for e in validate(io.BytesIO(data), **options)]


# (case, lines of a file, the errors: line, column, field)
CASES = [
    (
        "opening with a wrong bankgiro check digit",
        [request_opening(bankgiro="9912345"), _mandate("198112289874")],
        [(1, 69, "bankgiro"), (2, 3, "bankgiro")],
    ),
    (
        "new mandate with a wrong personal number check digit",
        [request_opening(), _mandate("198112289875")],
        [(2, 45, "identity")],
    ),
    (
        "new mandate with a personal number whose date does not exist",
        [request_opening(), _mandate("198102299874")],
        [(2, 45, "identity")],
    ),
    (
        "new mandate with an account that fails its bank's rule (SEB, modulus 11)",
        [request_opening(), _mandate("198112289874", "5001" + num(1000020, 12))],
        [(2, 29, "account")],
    ),
    (
        "new mandate with a Nordea personal account that is not the personal number",
        [request_opening(), _mandate("198112289874", "3300" + num("8112289875", 12))],
        [(2, 29, "account")],
    ),
    (
        "new mandate with an account of a bank newer than the table (checked partly: accepted)",
        [request_opening(), _mandate("198112289874", "1099" + num(1000004, 12))],
        [],
    ),
    (
        "payer number change to a bankgiro number with a wrong check digit",
        [
            request_opening(),
            rec("05", {3: BG10, 13: num(101, 16), 29: num("9912345", 10), 39: num(202, 16)}),
        ],
        [(2, 29, "new_bankgiro")],
    ),
    (
        "mandate notice with a wrong organisation number check digit",
        [
            report_opening("AG-MEDAVI", "20260211"),
            rec(
                "73",
                {3: BG10, 13: num(1, 16), 45: "005556000521", 62: "04", 64: "32", 66: "20260211"},
            ),
            rec("09", {3: "20260211", 11: "9900", 15: num(1, 7)}),
        ],
        [(2, 45, "identity")],
    ),
]


@pytest.mark.parametrize(("case", "lines", "errors"), CASES, ids=[c[0] for c in CASES])
def test_check_digits_are_verified_unless_skipped(
    case: str, lines: list[str], errors: list[tuple[int, int, str]]
) -> None:
    data = file_bytes(lines)
    found = validate(io.BytesIO(data))
    assert [(e.line, e.column, e.field) for e in found] == errors, found
    assert all("check_digits=False" in e.rule or "must equal" in e.rule for e in found)
    # the records after a wrong opening still must repeat its number
    skipped = [error for error in errors if error[1] != 3]
    assert _errors(data, check_digits=False) == [e for e in errors if e not in skipped]


def test_the_writer_verifies_check_digits_too() -> None:
    records = [
        Opening(
            file_date=__import__("datetime").date(2026, 1, 20),
            customer_number=CUSTOMER,
            bankgiro=BANKGIRO,
        ),
        NewMandate(
            bankgiro=BANKGIRO,
            payer_number="101",
            account=BankAccount("3300", "8112289874"),
            identity="198112289875",
        ),
    ]
    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes(records)
    assert (caught.value.line, caught.value.field) == (2, "identity")
    assert read_bytes(write_bytes(records, check_digits=False), check_digits=False) == records


def _payment_specification(payment_bankgiro: str) -> list[str]:
    return [
        report_opening("BET. SPEC & STOPP TK", "20260202"),
        rec(
            "15",
            {
                3: num("89010032323232", 35),
                38: "20260202",
                46: num(1, 5),
                51: num(30000, 18),
                72: num(1, 8),
            },
        ),
        rec(
            "82",
            {
                3: "20260202",
                11: "0",
                16: num(101, 16),
                32: num(30000, 12),
                44: num(payment_bankgiro, 10),
                54: alpha("PREMIE", 16),
                80: "0",
            },
        ),
        rec(
            "09",
            {3: "20260202", 11: "9900", 15: num(1, 6), 21: num(1, 12), 33: num(0, 6)}
            | {39: num(0, 12), 51: num(0, 6), 57: num(0, 12)},
        ),
    ]


def test_a_payment_of_another_bankgiro_number_is_refused_in_a_file_from_bankgirot() -> None:
    assert read_bytes(file_bytes(_payment_specification(BANKGIRO)))
    data = file_bytes(_payment_specification("55555551"))
    found = validate(io.BytesIO(data), check_digits=False)
    assert [(e.line, e.column, e.field) for e in found] == [(3, 44, "bankgiro")]
    assert "bankgiro number of the opening record on line 1" in found[0].rule


def test_every_section_of_a_file_is_the_same_bgc_customer_s() -> None:
    other = request_opening().replace(num(CUSTOMER, 6), num(471118, 6))
    assert other != request_opening()
    data = file_bytes([request_opening(), _mandate("198112289874"), other])
    found = validate(io.BytesIO(data))
    assert [(e.line, e.column, e.field) for e in found] == [(3, 63, "customer_number")]
    assert "first opening record on line 1" in found[0].rule
    assert not validate(io.BytesIO(file_bytes([request_opening(), request_opening()])))
