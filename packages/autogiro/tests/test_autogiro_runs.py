"""Runs: many well-formed lines confirmed by one pattern, read as line by line.

The reader confirms a run of payments in a payment specification with one
regular expression per record type and counts and sums it by columns
(``StructureChecker.run``); these tests hold that path to the line-by-line
path, which is what the reader does with ``StructureChecker.run`` returning
None: the same records, the same errors (line, column, field, rule) and the
same first error, for valid files and for files with one character changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autogiro import (
    AutogiroError,
    AutogiroValidationError,
    CreditPayment,
    DebitPayment,
    Deposit,
    ListOpening,
    OldCreditPayment,
    OldDebitPayment,
    OldPaymentSpecificationClosing,
    PaymentSpecificationClosing,
    Record,
    Refund,
    RefundWithdrawal,
    ReportOpening,
    SectionOpening,
    Withdrawal,
    iter_records,
    validate,
)
from autogiro import reader as reader_module
from autogiro.fields import Codec, Date8, FieldError
from autogiro.lines import column_total, decode_line, encode_record, run_decoder, run_pattern
from autogiro.structure import StructureChecker

BANKGIRO = "9912346"
CUSTOMER = "471117"
DAY = dt.date(2026, 2, 2)
BLOCK = 2048  # lines per block read by the reader
# Printable ISO-8859-1 characters a damaged file is likeliest to hold.
CHARACTERS = "0123456789 0 9AZaz&-.é\x1a"


# -- the two paths ---------------------------------------------------------------------


@contextmanager
def line_by_line() -> Iterator[None]:
    """The reader with every run refused: each line read on its own."""
    with mock.patch.object(StructureChecker, "run", return_value=None):
        yield


class Outcome(NamedTuple):
    errors: list[AutogiroError]  # validate
    records: list[Record]  # iter_records, up to its first error
    lines: list[int]  # the records' line numbers
    first: list[AutogiroError]  # the errors iter_records raised with


def _outcome(data: bytes, options: Mapping[str, bool]) -> Outcome:
    strict, check_digits = options.get("strict", True), options.get("check_digits", True)
    records: list[Record] = []
    first: list[AutogiroError] = []
    try:
        for record in iter_records(io.BytesIO(data), strict=strict, check_digits=check_digits):
            records.append(record)
    except AutogiroValidationError as error:
        first = list(error.errors)
    errors = validate(io.BytesIO(data), strict=strict, check_digits=check_digits)
    return Outcome(errors, records, [record.line for record in records], first)


def assert_same_as_line_by_line(data: bytes, options: Mapping[str, bool] | None = None) -> Outcome:
    fast = _outcome(data, options or {})
    with line_by_line():
        slow = _outcome(data, options or {})
    assert fast == slow
    assert [e.message("sv") for e in fast.errors] == [e.message("sv") for e in slow.errors]
    return fast


# -- files -----------------------------------------------------------------------------


def _line(record: Record) -> bytes:
    text, errors = encode_record(record, 1)
    assert text is not None, errors
    return text.encode("latin-1") + b"\r\n"


def _payment(
    cls: type[DebitPayment | CreditPayment | Refund], number: int, ore: int, status: str
) -> Record:
    amount, repeats = Decimal(ore).scaleb(-2), None if number % 3 else number % 1000
    reference = f"PREMIE {number}"[:16]
    if issubclass(cls, Refund):
        return Refund(BANKGIRO, str(number), amount, DAY, number % 9, repeats, reference, DAY, "01")
    return cls(BANKGIRO, str(number), amount, DAY, number % 9, repeats, reference, status)


SECTIONS: dict[str, tuple[type[SectionOpening], type[DebitPayment | CreditPayment | Refund]]] = {
    "15": (Deposit, DebitPayment),
    "16": (Withdrawal, CreditPayment),
    "17": (RefundWithdrawal, Refund),
}


def payment_specification(sections: list[tuple[str, list[tuple[int, str]]]]) -> bytes:
    """A valid payment specification: per section its TK and (öre, status) per payment."""
    out = [_line(ReportOpening(DAY, "BET. SPEC & STOPP TK", CUSTOMER, BANKGIRO))]
    counts = dict.fromkeys(("15", "16", "17", "82", "32", "77"), 0)
    number = 0
    for serial, (tk, payments) in enumerate(sections, start=1):
        opening, cls = SECTIONS[tk]
        approved = [ore for ore, status in payments if status == "0" or cls is Refund]
        out.append(
            _line(
                opening(
                    payee_account="89010032323232",
                    payment_date=DAY,
                    serial_number=serial,
                    approved_amount=Decimal(sum(approved)).scaleb(-2),
                    approved_count=len(approved),
                )
            )
        )
        counts[tk] += 1
        counts[cls.TK] += len(approved)
        for ore, status in payments:
            number += 1
            out.append(_line(_payment(cls, number, ore, status)))
    out.append(
        _line(
            PaymentSpecificationClosing(
                DAY,
                deposit_count=counts["15"],
                debit_count=counts["82"],
                withdrawal_count=counts["16"],
                credit_count=counts["32"],
                refund_withdrawal_count=counts["17"],
                refund_count=counts["77"],
            )
        )
    )
    return b"".join(out)


def old_payment_specification(payments: list[tuple[str, int, str]]) -> bytes:
    """A valid payment specification in the old layout: (TK, öre, status) per payment."""
    out = [_line(ListOpening(DAY, "", CUSTOMER, BANKGIRO))]
    totals = {"82": [0, 0], "32": [0, 0]}
    for number, (tk, ore, status) in enumerate(payments, start=1):
        cls = OldDebitPayment if tk == "82" else OldCreditPayment
        out.append(_line(_payment(cls, number, ore, status)))
        totals[tk][0] += 1
        totals[tk][1] += ore
    out.append(
        _line(
            OldPaymentSpecificationClosing(
                DAY,
                credit_total=Decimal(totals["32"][1]).scaleb(-2),
                credit_count=totals["32"][0],
                debit_count=totals["82"][0],
                debit_total=Decimal(totals["82"][1]).scaleb(-2),
            )
        )
    )
    return b"".join(out)


AMOUNTS = st.one_of(st.just(30000), st.integers(0, 10**12 - 1), st.integers(1, 999))
STATUSES = st.sampled_from(["0", "0", "0", "1", "2", "9"])
PAYMENTS = st.lists(st.tuples(AMOUNTS, STATUSES), max_size=12)
SPECIFICATIONS = st.lists(st.tuples(st.sampled_from(["15", "16", "17"]), PAYMENTS), max_size=4)
OPTIONS = st.fixed_dictionaries({"strict": st.booleans(), "check_digits": st.booleans()})


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one character changed, or as it is."""
    if draw(st.booleans()):
        return data
    spoilt = bytearray(data)
    position = draw(st.integers(0, len(spoilt) - 1))
    spoilt[position] = ord(draw(st.sampled_from(CHARACTERS)).encode("latin-1"))
    return bytes(spoilt)


# -- agreement -------------------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), sections=SPECIFICATIONS, options=OPTIONS)
def test_payment_specifications_read_as_line_by_line(
    data: st.DataObject, sections: list[tuple[str, list[tuple[int, str]]]], options: dict[str, bool]
) -> None:
    valid = payment_specification(sections)
    if not data.draw(st.booleans()):
        assert assert_same_as_line_by_line(valid, options).errors == []
    assert_same_as_line_by_line(data.draw(damaged(valid)), options)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    payments=st.lists(  # the old closing record's totals have 12 digits of öre
        st.tuples(st.sampled_from(["82", "32"]), st.integers(0, 10**10), STATUSES), max_size=20
    ),
    options=OPTIONS,
)
def test_old_payment_specifications_read_as_line_by_line(
    data: st.DataObject, payments: list[tuple[str, int, str]], options: dict[str, bool]
) -> None:
    valid = old_payment_specification(payments)
    assert validate(io.BytesIO(valid)) == []
    assert_same_as_line_by_line(data.draw(damaged(valid)), options)


def _big() -> bytes:
    # Three blocks and some: runs end at block ends, statuses and sections break them.
    sections = [
        ("15", [(30000 + i % 7, "0" if i % 997 else "1") for i in range(BLOCK + 100)]),
        ("16", [(100 + i, "0") for i in range(40)]),
        ("15", [(30000, "0")] * (BLOCK + 10)),
        ("17", [(i, "0") for i in range(1, 30)]),
    ]
    return payment_specification(sections)


BIG = _big()
BIG_LINES = len(BIG) // 82


def test_a_file_of_several_blocks_reads_as_line_by_line() -> None:
    errors, _records, lines, first = assert_same_as_line_by_line(BIG)
    assert errors == [] and first == []
    assert lines == list(range(1, BIG_LINES + 1))


@pytest.mark.parametrize(
    "line",
    [3, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 1, BIG_LINES - 5],
)
@pytest.mark.parametrize(
    ("column", "character"),
    [(1, "3"), (2, "1"), (9, "3"), (11, "9"), (13, "A"), (16, "A"), (32, " "), (44, "1"),
     (60, "\x1a"), (70, "Z"), (80, "1"), (80, "7")],
)  # fmt: skip
def test_a_character_changed_anywhere_gives_the_same_errors(
    line: int, column: int, character: str
) -> None:
    spoilt = bytearray(BIG)
    spoilt[(line - 1) * 82 + column - 1] = ord(character)
    errors, _records, lines, first = assert_same_as_line_by_line(bytes(spoilt))
    assert isinstance(errors, list) and isinstance(lines, list)
    if errors:
        assert first and all(error in errors for error in first)


def test_runs_are_taken() -> None:
    """Most lines of a clean payment specification never reach the line-by-line step."""
    with mock.patch.object(reader_module, "_step", wraps=reader_module._step) as step:
        assert validate(io.BytesIO(BIG)) == []
    assert 4 < step.call_count < 40  # openings, statuses 1, closing; not 4,000 payments
    old = old_payment_specification([("82", 100 + i, "0") for i in range(50)] + [("32", 5, "1")])
    with mock.patch.object(reader_module, "_step", wraps=reader_module._step) as step:
        assert validate(io.BytesIO(old)) == []
    assert step.call_count == 2  # the opening and closing records


def test_a_wrong_total_is_found_after_a_run() -> None:
    spoilt = bytearray(BIG)
    line = BLOCK + 50  # an amount in the first deposit section, in the second block
    spoilt[(line - 1) * 82 + 41] = ord("9")
    errors = assert_same_as_line_by_line(bytes(spoilt)).errors
    assert [(e.line, e.field) for e in errors] == [(2, "approved_amount")]


def test_another_payees_bankgiro_number_breaks_the_run() -> None:
    spoilt = bytearray(BIG)
    spoilt[(BLOCK + 5 - 1) * 82 + 43 : (BLOCK + 5 - 1) * 82 + 53] = b"0005050505"
    errors = assert_same_as_line_by_line(bytes(spoilt)).errors
    assert [(e.line, e.field) for e in errors] == [(BLOCK + 5, "bankgiro")]


# -- the patterns match what the codecs read -------------------------------------------


def _codecs() -> dict[int, Codec]:
    found: dict[int, Codec] = {}
    classes = [Record]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        for item in cls.LAYOUT:
            found[id(item.codec)] = item.codec
    return found


CODECS = sorted(_codecs().values(), key=lambda codec: (type(codec).__name__, codec.length))


def _reads(codec: Codec, text: str) -> bool:
    try:
        codec.decode(text)
    except FieldError:
        return False
    return True


def _agrees(codec: Codec, text: str) -> None:
    assert codec.pattern is not None
    matched = re.fullmatch(codec.pattern, text) is not None
    assert matched == _reads(codec, text), (type(codec).__name__, codec.describe(), text)


def test_every_codec_of_every_layout_has_a_pattern() -> None:
    assert len(CODECS) > 50
    assert [codec for codec in CODECS if codec.pattern is None] == []


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_a_pattern_matches_exactly_what_its_codec_reads(data: st.DataObject) -> None:
    codec = data.draw(st.sampled_from(CODECS))
    alphabet = st.sampled_from("0123456789 0 AGENST1299-é~")
    text = data.draw(st.text(alphabet, min_size=codec.length, max_size=codec.length))
    _agrees(codec, text)
    _agrees(codec, codec.encode(None) if _encodes_none(codec) else text)
    for known in getattr(codec, "table", None) or ():
        if isinstance(known, str) and len(known) <= codec.length:
            _agrees(codec, known.ljust(codec.length))


def _encodes_none(codec: Codec) -> bool:
    try:
        codec.encode(None)
    except FieldError:
        return False
    return True


YEARS = [0, 1, 4, 99, 100, 104, 400, 1600, 1700, 1900, 2000, 2023, 2024, 2100, 2400, 9996, 9999]


@pytest.mark.parametrize("year", YEARS)
def test_the_date_pattern_knows_every_day_of_the_calendar(year: int) -> None:
    codec = Date8()
    for month in range(14):
        for day in range(33):
            _agrees(codec, f"{year:04d}{month:02d}{day:02d}")


# -- sums by columns -------------------------------------------------------------------


@given(amounts=st.lists(st.integers(0, 10**12 - 1), min_size=1, max_size=40))
def test_column_totals_are_the_sum_of_the_amounts(amounts: list[int]) -> None:
    block = "".join("82" + "x" * 29 + f"{ore:012d}" + "y" * 37 + "\r\n" for ore in amounts)
    assert column_total(block, 0, len(block), 82, 31, 12) == sum(amounts)


def test_a_run_needs_every_field_described() -> None:
    assert run_pattern(DebitPayment, "\r\n") is not None
    assert run_pattern(DebitPayment, "\r\n", {"status": "7"}) is None  # not a status code
    assert run_pattern(DebitPayment, "\r\n", {"nothing": "0"}) is None


PAYMENT_TYPES = [DebitPayment, CreditPayment, OldDebitPayment, OldCreditPayment, Refund]


@settings(max_examples=200, deadline=None)
@given(
    cls=st.sampled_from(PAYMENT_TYPES),
    numbers=st.lists(
        st.tuples(
            st.sampled_from(["0", "1", "9912346", "1234567890"]),  # bankgiro, "0" all zeros
            st.integers(0, 10**16 - 1).map(str),
            st.integers(0, 10**12 - 1),
            st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
            st.integers(0, 8),
            st.none() | st.integers(0, 999),
            st.text(st.sampled_from("AZ 09-åÖ"), max_size=16),
            st.sampled_from(["0", "1", "2", "9"]),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_a_run_builds_the_records_that_line_by_line_reading_builds(
    cls: type[DebitPayment | CreditPayment | Refund],
    numbers: list[tuple[str, str, int, dt.date, int, int | None, str, str]],
) -> None:
    texts = []
    for bankgiro, payer, ore, day, period, repeats, reference, status in numbers:
        amount = Decimal(ore).scaleb(-2)
        if issubclass(cls, Refund):
            record: Record = Refund(
                bankgiro, payer, amount, day, period, repeats, reference, day, "01"
            )
        else:
            record = cls(bankgiro, payer, amount, day, period, repeats, reference, status)
        text, errors = encode_record(record, 1)
        assert text is not None, errors
        texts.append(text)
    pattern = run_pattern(cls, "\r\n")
    assert pattern is not None
    assert pattern.fullmatch("".join(text + "\r\n" for text in texts))
    one_by_one = [decode_line(cls, text, line) for line, text in enumerate(texts, start=7)]
    assert [errors for _record, errors in one_by_one] == [[]] * len(texts)
    built = run_decoder(cls)(texts, 7)
    assert built == [record for record, _errors in one_by_one]
    assert [record.line for record in built] == list(range(7, 7 + len(texts)))
