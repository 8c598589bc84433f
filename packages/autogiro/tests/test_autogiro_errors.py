"""Malformed input: each rule gives an error with the right line, column and field."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from autogiro import (
    GENAST,
    AutogiroError,
    AutogiroValidationError,
    DebitOrder,
    MandateDeletion,
    Opening,
    iter_records,
    read_bytes,
    read_file,
    validate,
    write_bytes,
    write_records,
)
from autogiro_testkit import (
    BANKGIRO,
    alpha,
    file_bytes,
    num,
    rec,
    report_opening,
    request_opening,
)

BG10 = num(BANKGIRO, 10)


def debit(payer: str = num(101, 16), day: str = "20260201", **extra: str) -> str:
    fields = {3: day, 11: "0", 16: payer, 32: num(75000, 12), 44: BG10, 54: alpha("PREMIE", 16)}
    fields.update({int(k[1:]): v for k, v in extra.items()})
    return rec("82", fields)


def errors_of(data: bytes, *, strict: bool = True) -> list[AutogiroError]:
    return validate(io.BytesIO(data), strict=strict)


def only_error(data: bytes) -> AutogiroError:
    errors = errors_of(data)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def spec(*lines: str) -> list[str]:
    return [report_opening("BET. SPEC & STOPP TK", "20260202"), *lines]


def deposit(count: int, ore: int) -> str:
    return rec(
        "15",
        {3: num(1, 35), 38: "20260202", 46: num(1, 5), 51: num(ore, 18), 72: num(count, 8)},
    )


def paid(payer: int, ore: int, status: str = "0", tk: str = "82") -> str:
    return rec(
        tk,
        {3: "20260202", 11: "0", 16: num(payer, 16), 32: num(ore, 12), 44: BG10, 80: status},
    )


def spec_closing(debits: int, deposits: int = 1, **counts: int) -> str:
    return rec(
        "09",
        {
            3: "20260202",
            11: "9900",
            15: num(deposits, 6),
            21: num(debits, 12),
            33: num(counts.get("withdrawals", 0), 6),
            39: num(counts.get("credits", 0), 12),
            51: num(counts.get("refund_sections", 0), 6),
            57: num(counts.get("refunds", 0), 12),
        },
    )


# (case, file, line, column, field, words of the rule)
CASES: list[tuple[str, bytes, int, int, str, str]] = [
    (
        "non-numeric payer number",
        file_bytes([request_opening(), debit(payer="AB12".ljust(16))]),
        2,
        16,
        "payer_number",
        "must be numeric",
    ),
    (
        "date that does not exist",
        file_bytes([request_opening(), debit(day="20260230")]),
        2,
        3,
        "payment_date",
        "must be a date that exists",
    ),
    (
        "date that is not a date",
        file_bytes([request_opening(), debit(day="2026-2-1")]),
        2,
        3,
        "payment_date",
        "must be a date YYYYMMDD",
    ),
    (
        "period code out of range",
        file_bytes([request_opening(), debit(p11="9")]),
        2,
        11,
        "period",
        "must be between 0 and 8",
    ),
    (
        "GENAST with a period code",
        file_bytes([request_opening(), debit(day="GENAST", p11="1")]),
        2,
        11,
        "period",
        "must be 0 when the payment date is GENAST",
    ),
    (
        "repeats with a single payment",
        file_bytes([request_opening(), debit(p12="003")]),
        2,
        12,
        "repeats",
        "must be blank when the period code is 0",
    ),
    (
        "zero amount in a payment order",
        file_bytes([request_opening(), debit(p32=num(0, 12))]),
        2,
        32,
        "amount",
        "must be greater than zero",
    ),
    (
        "reserved position not blank in a file to Bankgirot",
        file_bytes([request_opening(), debit(p15="X")]),
        2,
        15,
        "reserved",
        "reserved, must be blank",
    ),
    (
        "field that the transaction code leaves blank",
        file_bytes([request_opening(), rec("23", {3: BG10, 13: num(1, 16), 29: "20260201"})]),
        2,
        29,
        "payment_date",
        "must be blank in TK23",
    ),
    (
        "neither blank nor AV in positions 77-78 of TK04",
        file_bytes([request_opening(), rec("04", {3: BG10, 13: num(1, 16), 77: "XX"})]),
        2,
        77,
        "rejection",
        "or 'AV'",
    ),
    (
        "bankgiro number differs from the opening record",
        file_bytes([request_opening(), rec("03", {3: num(5050, 10), 13: num(1, 16)})]),
        2,
        3,
        "bankgiro",
        "bankgiro number of the opening record on line 1",
    ),
    (
        "unknown transaction code",
        file_bytes([request_opening(), rec("99", {3: BG10})]),
        2,
        1,
        "tk",
        "unknown transaction code",
    ),
    (
        "closing record in a file to Bankgirot",
        file_bytes([request_opening(), rec("09", {3: "20260201", 11: "9900"})]),
        2,
        1,
        "tk",
        "unknown transaction code in a file to Bankgirot",
    ),
    (
        "record too short",
        file_bytes([request_opening(), debit()[:79]]),
        2,
        80,
        "record",
        "must be 80 characters",
    ),
    (
        "record too long",
        file_bytes([request_opening(), debit() + "X"]),
        2,
        81,
        "record",
        "must be 80 characters",
    ),
    (
        "line end without CR",
        file_bytes([request_opening()]) + debit().encode("latin-1") + b"\n",
        2,
        81,
        "line_end",
        "must end with CR LF",
    ),
    (
        "control character",
        file_bytes([request_opening()]) + debit()[:60].encode() + b"\x1a" + b" " * 19 + b"\r\n",
        2,
        61,
        "record",
        "byte 0x1A is not a printable ISO-8859-1 character",
    ),
    (
        "UTF-8 instead of ISO-8859-1",
        file_bytes([request_opening()]) + debit()[:53].encode() + "ÅR".encode() + b"\r\n",
        2,
        54,
        "record",
        "looks UTF-8 encoded",
    ),
    (
        "file that does not begin with an opening record",
        file_bytes([debit(), debit()]),
        1,
        1,
        "tk",
        "must begin with an opening record",
    ),
    (
        "empty file",
        b"",
        1,
        1,
        "tk",
        "the file is empty",
    ),
    (
        "unknown content name",
        file_bytes([report_opening("BEVAKNINGSREG"), rec("82", {3: "20260202"})]),
        1,
        45,
        "content",
        "unknown content name",
    ),
    (
        "unknown content name after AUTOGIRO9900",
        file_bytes(["0120041015AUTOGIRO9900" + "LISTA X".ljust(40) + "471117" + "0009912346  "]),
        1,
        23,
        "content",
        "unknown content name after AUTOGIRO9900 (positions 23-42)",
    ),
    (
        "unknown content name after 9900 and the bankgiro number",
        file_bytes(["0120260202" + "9900" + "0009912346" + "AG-MEDREG".ljust(20) + " " * 36]),
        1,
        25,
        "content",
        "unknown content name after clearing number 9900",
    ),
    (
        "opening that is no Autogiro opening",
        file_bytes(["01" + "X" * 78]),
        1,
        3,
        "layout_name",
        "must be 'AUTOGIRO'",
    ),
    (
        "closing count does not match (mandate notices)",
        file_bytes(
            [
                report_opening("AG-MEDAVI", "20260211"),
                rec("73", {3: BG10, 13: num(1, 16), 62: "04", 64: "32", 66: "20260211"}),
                rec("09", {3: "20260211", 11: "9900", 15: num(2, 7)}),
            ]
        ),
        3,
        15,
        "notice_count",
        "must equal the number of TK73 records (1)",
    ),
    (
        "closing date differs from the opening date",
        file_bytes(
            [
                report_opening("AG-MEDAVI", "20260211"),
                rec("09", {3: "20260212", 11: "9900", 15: num(0, 7)}),
            ]
        ),
        2,
        3,
        "file_date",
        "must equal the file date of the opening record on line 1",
    ),
    (
        "closing without clearing number 9900",
        file_bytes(
            [
                report_opening("AG-MEDAVI", "20260211"),
                rec("09", {3: "20260211", 11: "9901", 15: num(0, 7)}),
            ]
        ),
        2,
        11,
        "clearing",
        "must be '9900'",
    ),
    (
        "closing count of approved debits does not match",
        file_bytes(spec(deposit(1, 30000), paid(1, 30000), paid(2, 30000, "1"), spec_closing(2))),
        5,
        21,
        "debit_count",
        "must equal the number of approved TK82 records (1)",
    ),
    (
        "section opening count does not match",
        file_bytes(spec(deposit(2, 30000), paid(1, 30000), paid(2, 30000, "2"), spec_closing(1))),
        2,
        72,
        "approved_count",
        "must equal the number of approved payments in the section (1)",
    ),
    (
        "section opening sum does not match",
        file_bytes(spec(deposit(1, 30001), paid(1, 30000), spec_closing(1))),
        2,
        51,
        "approved_amount",
        "must equal the sum of approved payments in the section (300.00)",
    ),
    (
        "TK82 outside a deposit section",
        file_bytes(spec(paid(1, 30000), spec_closing(0, deposits=0))),
        2,
        1,
        "tk",
        "TK82 must follow a TK15 record",
    ),
    (
        "unknown payment status",
        file_bytes(spec(deposit(1, 30000), paid(1, 30000, "5"), spec_closing(1))),
        3,
        80,
        "status",
        "unknown payment status code",
    ),
    (
        "missing closing record",
        file_bytes(spec(deposit(1, 30000), paid(1, 30000))),
        4,
        1,
        "tk",
        "has no closing record (TK09)",
    ),
    (
        "record after the closing record",
        file_bytes(spec(deposit(0, 0), spec_closing(0), paid(1, 30000))),
        4,
        1,
        "tk",
        "record after the closing record of line 3",
    ),
    (
        "rejected payments: closing sum does not match",
        file_bytes(
            [
                report_opening("AVVISADE BET UPPDR", "20260611"),
                rec("82", {3: "20260611", 11: "0", 15: num(1, 16), 31: num(7500, 12), 59: "01"}),
                rec(
                    "09",
                    {
                        3: "20260611",
                        11: "9900",
                        15: num(0, 6),
                        21: num(0, 12),
                        33: num(1, 6),
                        39: num(7600, 12),
                    },
                ),
            ]
        ),
        3,
        39,
        "debit_total",
        "must equal the sum of TK82 records (75.00)",
    ),
    (
        "rejected payments: bad amount without comment code 08",
        file_bytes(
            [
                report_opening("AVVISADE BET UPPDR", "20260611"),
                rec("82", {3: "20260611", 11: "0", 15: num(1, 16), 31: "ABC", 59: "01"}),
                rec("09", {3: "20260611", 11: "9900", 15: num(0, 6), 33: num(1, 6)}),
            ]
        ),
        2,
        31,
        "amount",
        "must be numeric",
    ),
    (
        "Internet bank mandate records out of order",
        file_bytes(
            [
                rec("51", {3: "20260611", 11: "9900", 15: BG10, 25: "AG-EMEDGIV"}),
                rec("52", {3: BG10, 13: num(1, 16), 62: "0"}),
                rec("55", {3: "GATAN 1"}),
                rec("54", {3: "NAMN"}),
                rec("59", {3: "20260611", 11: "9900", 15: num(3, 7)}),
            ]
        ),
        4,
        1,
        "tk",
        "must follow a TK52 record",
    ),
]


@pytest.mark.parametrize(
    ("data", "line", "column", "field", "rule"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_malformed_input_is_reported_where_it_is(
    data: bytes, line: int, column: int, field: str, rule: str
) -> None:
    errors = errors_of(data)
    assert errors, "no error reported"
    first = errors[0]
    assert (first.line, first.column, first.field) == (line, column, field), str(first)
    assert rule in first.rule
    assert str(first).startswith(f"line {line}, column {column}, field {field}: ")


@pytest.mark.parametrize("data", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_iter_records_raises_and_read_bytes_refuses(data: bytes) -> None:
    with pytest.raises(AutogiroValidationError):
        list(iter_records(io.BytesIO(data)))
    with pytest.raises(AutogiroValidationError):
        read_bytes(data)


def test_message_names_line_column_field_and_rule() -> None:
    error = only_error(file_bytes([request_opening(), debit(payer="AB12".ljust(16))]))
    assert str(error) == (
        "line 2, column 16, field payer_number: must be numeric (got 'AB12            ')"
    )
    assert error.to_dict() == {
        "line": 2,
        "column": 16,
        "field": "payer_number",
        "rule": "must be numeric",
        "code": "field.numeric",
        "got": "AB12            ",
        "message": str(error),
        "message_sv": (
            "rad 2, kolumn 16, fält payer_number: ska vara numeriskt (fick 'AB12            ')"
        ),
    }


def test_all_errors_of_a_file_are_reported_in_line_order() -> None:
    data = file_bytes(
        [
            request_opening(),
            debit(payer="AB12".ljust(16), day="20260230"),
            debit(),
            debit(p11="X"),
            rec("99", {}),
        ]
    )
    errors = errors_of(data)
    assert [(e.line, e.column, e.field) for e in errors] == [
        (2, 3, "payment_date"),
        (2, 16, "payer_number"),
        (4, 11, "period"),
        (5, 1, "tk"),
    ]
    with pytest.raises(AutogiroValidationError) as caught:
        read_bytes(data)
    assert caught.value.errors == tuple(errors)
    assert str(caught.value).startswith("4 errors:\n  line 2, column 3, field payment_date")


def test_max_errors_stops_early() -> None:
    data = file_bytes([request_opening(), *[debit(day="20261301")] * 50])
    assert len(errors_of(data)) == 50
    assert len(validate(io.BytesIO(data), max_errors=3)) == 3


def test_iter_records_yields_the_good_records_before_the_first_error() -> None:
    data = file_bytes([request_opening(), debit(), debit(day="20260230"), debit()])
    seen: list[object] = []

    def consume() -> None:
        for record in iter_records(io.BytesIO(data)):
            seen.append(record)

    with pytest.raises(AutogiroValidationError) as caught:
        consume()
    assert len(seen) == 2
    assert caught.value.line == 3


def test_a_broken_opening_does_not_flood_the_report() -> None:
    data = file_bytes([report_opening("UNKNOWN"), *[rec("82", {})] * 100])
    errors = errors_of(data)
    assert len(errors) == 1
    assert errors[0].field == "content"


def test_totals_are_not_checked_when_a_record_of_the_section_is_unreadable() -> None:
    data = file_bytes(spec(deposit(2, 60000), paid(1, 30000), paid(2, 30000, "X"), spec_closing(2)))
    errors = errors_of(data)
    assert [(e.line, e.field) for e in errors] == [(4, "status")]


def test_overlong_line_is_skipped_in_constant_memory() -> None:
    data = file_bytes([request_opening()]) + b"8" * 100_000 + b"\r\n" + file_bytes([debit()])
    errors = errors_of(data)
    assert [(e.line, e.column, e.field) for e in errors] == [(2, 81, "record")]
    assert errors[0].got == "100002 bytes"


def test_lenient_mode_accepts_lf_and_short_records() -> None:
    data = (request_opening().rstrip() + "\n" + debit().rstrip() + "\n").encode("latin-1")
    assert [(e.line, e.field) for e in errors_of(data)] == [
        (1, "line_end"),
        (1, "record"),
        (2, "line_end"),
        (2, "record"),
    ]
    records = read_bytes(data, strict=False)
    assert records[1] == DebitOrder(
        bankgiro=BANKGIRO,
        payer_number="101",
        amount=Decimal("750.00"),
        payment_date=date(2026, 2, 1),
        reference="PREMIE",
    )


def test_text_stream_is_refused() -> None:
    with pytest.raises(TypeError, match="binary"):
        list(iter_records(io.StringIO(request_opening() + "\r\n")))  # type: ignore[arg-type]


def test_read_file(tmp_path: object) -> None:
    import pathlib

    assert isinstance(tmp_path, pathlib.Path)
    path = tmp_path / "bad.txt"
    path.write_bytes(file_bytes([request_opening(), debit(day="20260230")]))
    with pytest.raises(AutogiroValidationError) as caught:
        read_file(path)
    assert caught.value.line == 2


# -- the writer validates before writing ------------------------------------

OPENING = Opening(file_date=date(2026, 1, 15), customer_number="471117", bankgiro=BANKGIRO)


def test_writer_reports_every_problem_and_writes_nothing() -> None:
    records = [
        OPENING,
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="12A",
            amount=Decimal("10.005"),
            payment_date=GENAST,
            period=3,
        ),
        MandateDeletion(bankgiro="5050", payer_number="1"),
    ]
    stream = io.BytesIO()
    with pytest.raises(AutogiroValidationError) as caught:
        write_records(records, stream)
    assert stream.getvalue() == b""
    assert [(e.line, e.column, e.field, e.rule) for e in caught.value.errors] == [
        (2, 16, "payer_number", "must be a string of digits"),
        (2, 32, "amount", "must have at most two decimals"),
        (
            3,
            3,
            "bankgiro",
            "must equal the bankgiro number of the opening record on line 1 (9912346)",
        ),
    ]


def test_writer_checks_rules_between_fields() -> None:
    record = DebitOrder(
        bankgiro=BANKGIRO,
        payer_number="1",
        amount=Decimal("10"),
        payment_date=GENAST,
        period=3,
    )
    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes([OPENING, record])
    assert (caught.value.line, caught.value.column, caught.value.field) == (2, 11, "period")


def test_writer_refuses_records_of_another_file_kind() -> None:
    from autogiro import MandateNoticeClosing

    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes([OPENING, MandateNoticeClosing(file_date=date(2026, 1, 15), notice_count=0)])
    assert caught.value.field == "tk"
    assert "not allowed in a file to Bankgirot" in caught.value.rule


def test_writer_refuses_what_is_not_a_record() -> None:
    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes([OPENING, "82..."])  # type: ignore[list-item]
    assert (caught.value.line, caught.value.field) == (2, "record")


def test_writer_in_stream_mode_stops_at_the_first_problem() -> None:
    def records() -> object:
        yield OPENING
        yield MandateDeletion(bankgiro=BANKGIRO, payer_number="1")
        yield MandateDeletion(bankgiro=BANKGIRO, payer_number="X")

    stream = io.BytesIO()
    with pytest.raises(AutogiroValidationError) as caught:
        write_records(records(), stream)  # type: ignore[arg-type]
    assert caught.value.line == 3
    assert stream.getvalue().count(b"\r\n") == 1


def test_writer_refuses_text_that_is_not_iso_8859_1() -> None:
    record = DebitOrder(
        bankgiro=BANKGIRO,
        payer_number="1",
        amount=Decimal("10"),
        payment_date=date(2026, 2, 1),
        reference="PREMIE €",
    )
    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes([OPENING, record])
    assert (caught.value.column, caught.value.field) == (54, "reference")
