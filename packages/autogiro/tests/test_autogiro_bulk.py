"""Files larger than one read block, and the bulk writer of debit orders."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from autogiro import (
    AutogiroValidationError,
    DebitOrder,
    Opening,
    iter_records,
    validate,
    write_bytes,
    write_debit_orders,
)

DAY = dt.date(2027, 1, 4)
OPENING = Opening(file_date=DAY, customer_number="471117", bankgiro="9912346")


def _orders(count: int) -> list[tuple[str, Decimal, dt.date, str]]:
    return [
        (str(40000000 + i), Decimal(119 + i % 5) + Decimal(i % 100) / 100, DAY, f"R{i}")
        for i in range(count)
    ]


def _records(orders: list[tuple[str, Decimal, dt.date, str]]) -> list[DebitOrder | Opening]:
    return [OPENING] + [
        DebitOrder(bankgiro="9912346", payer_number=p, amount=a, payment_date=d, reference=r)
        for p, a, d, r in orders
    ]


def test_bulk_writer_writes_what_the_record_writer_writes() -> None:
    orders = _orders(3000)
    stream = io.BytesIO()
    stream.write(write_bytes([OPENING]))
    written = write_debit_orders(stream, orders, opening=OPENING, first_line=2)
    assert written == 3000
    assert stream.getvalue() == write_bytes(_records(orders))


@pytest.mark.parametrize(
    ("order", "field"),
    [
        (("12A4", Decimal("10.00"), DAY, "R"), "payer_number"),
        (("1234", Decimal("10.001"), DAY, "R"), "amount"),
        (("1234", Decimal("0.00"), DAY, "R"), "amount"),
        (("1234", Decimal("10.00"), DAY, "R" * 17), "reference"),
        (("1234", Decimal("10.00"), DAY, "Ã¥"), "reference"),
    ],
)
def test_bulk_writer_refuses_as_the_record_writer(
    order: tuple[str, Decimal, dt.date, str], field: str
) -> None:
    with pytest.raises(AutogiroValidationError) as refused:
        write_debit_orders(io.BytesIO(), [*_orders(2), order], opening=OPENING, first_line=2)
    assert refused.value.line == 4
    assert refused.value.field == field


def test_an_error_past_the_first_block_names_its_line() -> None:
    data = bytearray(write_bytes(_records(_orders(5000))))
    line = 4321
    start = (line - 1) * 82 + 15  # payer number of that line
    data[start : start + 2] = b"AB"
    with pytest.raises(AutogiroValidationError) as refused:
        list(iter_records(io.BytesIO(bytes(data))))
    assert (refused.value.line, refused.value.column, refused.value.field) == (
        line,
        16,
        "payer_number",
    )
    assert [(e.line, e.field) for e in validate(io.BytesIO(bytes(data)))] == [
        (line, "payer_number")
    ]


def test_a_file_of_whole_blocks_and_a_short_last_line_reads_whole() -> None:
    data = write_bytes(_records(_orders(4095)), final_line_end=False)
    assert len(list(iter_records(io.BytesIO(data)))) == 4096
