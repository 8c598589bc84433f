"""Writer of Autogiro files: ISO-8859-1, 80-character records, CR LF.

Records are validated before anything is written, field by field and as a
file (record order, bankgiro numbers matching the opening record, closing
totals), with the same rules as the reader.

* Given a sequence (list, tuple), :func:`write_records` checks all records
  first and raises :class:`AutogiroValidationError` with every problem
  without writing anything.
* Given any other iterable (a generator of millions of payment orders), it
  checks each record before writing it and raises at the first problem;
  the output is then incomplete and must be discarded.

:func:`write_debit_orders` appends the bulk of a premium run, TK82 debit
orders of single payments, from plain values: the same field rules, checked
without building and encoding a record object for each order.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Final

from .accountnumbers import ExtraBank
from .errors import AutogiroError, AutogiroValidationError
from .lines import encode_record
from .records import DebitOrder, Opening, Record
from .structure import StructureChecker

__all__ = [
    "check_records",
    "write_bytes",
    "write_debit_orders",
    "write_file",
    "write_records",
]

LINE_END = b"\r\n"


def _encoded(
    records: Iterable[Record], check_digits: bool = True, extra_banks: Sequence[ExtraBank] = ()
) -> Iterator[tuple[str | None, list[AutogiroError]]]:
    checker = StructureChecker(check_digits=check_digits, extra_banks=extra_banks)
    line = 0
    for record in records:
        line += 1
        text, errors = encode_record(record, line)
        if text is None:
            if isinstance(record, Record):
                checker.damage()
            yield None, errors
            continue
        yield text, checker.accept(record, line)
    final = checker.finish(line + 1)
    if final:
        yield None, final


def check_records(
    records: Iterable[Record],
    *,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> list[AutogiroError]:
    """Every problem that writing ``records`` would meet (empty if none)."""
    found: list[AutogiroError] = []
    for _text, errors in _encoded(records, check_digits, extra_banks):
        found.extend(errors)
    found.sort(key=lambda error: (error.line or 0, error.column or 0))
    return found


def write_records(
    records: Iterable[Record],
    stream: IO[bytes],
    *,
    final_line_end: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> int:
    """Validate ``records`` and write them to the binary ``stream``.

    Returns the number of records written. With ``final_line_end=False`` the
    last record is not followed by CR LF.
    """
    if isinstance(records, Sequence):
        errors = check_records(records, check_digits=check_digits, extra_banks=extra_banks)
        if errors:
            raise AutogiroValidationError(errors)
    return _write(records, stream, final_line_end, check_digits, extra_banks)


def _write(
    records: Iterable[Record],
    stream: IO[bytes],
    final_line_end: bool,
    check_digits: bool,
    extra_banks: Sequence[ExtraBank] = (),
) -> int:
    count = 0
    pending: bytes | None = None
    for text, errors in _encoded(records, check_digits, extra_banks):
        if errors:
            raise AutogiroValidationError(errors)
        assert text is not None
        if pending is not None:
            stream.write(pending + LINE_END)
        pending = text.encode("latin-1")
        count += 1
    if pending is not None:
        stream.write(pending + LINE_END if final_line_end else pending)
    return count


def write_bytes(
    records: Iterable[Record],
    *,
    final_line_end: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> bytes:
    """The file made of ``records``, as bytes."""
    buffer = io.BytesIO()
    write_records(
        records,
        buffer,
        final_line_end=final_line_end,
        check_digits=check_digits,
        extra_banks=extra_banks,
    )
    return buffer.getvalue()


def write_file(
    path: str | os.PathLike[str],
    records: Iterable[Record],
    *,
    final_line_end: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> int:
    """Validate ``records`` and write them to a new file at ``path``.

    Nothing is left at ``path`` if validation fails.
    """
    records = records if isinstance(records, Sequence) else list(records)
    errors = check_records(records, check_digits=check_digits, extra_banks=extra_banks)
    if errors:
        raise AutogiroValidationError(errors)
    with open(path, "wb") as stream:
        return _write(records, stream, final_line_end, check_digits, extra_banks)


_BLOCK: Final = 10000


def write_debit_orders(
    stream: IO[bytes],
    orders: Iterable[tuple[str, Decimal, date, str]],
    *,
    opening: Opening,
    first_line: int,
) -> int:
    """Append TK82 debit orders to a file to Bankgirot and return how many were written.

    ``orders`` are ``(payer number, amount in kronor, payment date, reference)``
    of single payments (period 0) to the bankgiro of ``opening``, the file's
    opening record; ``first_line`` is the line number of the first order (for
    errors). Each value is checked against its field's rule as
    :func:`write_records` checks it; at the first problem this raises
    :class:`AutogiroValidationError` with the same message, and the output is
    incomplete and must be discarded. Amounts and dates repeat in a premium
    run, so each distinct one is encoded (and checked) once.
    """
    bankgiro = opening.bankgiro
    if not (bankgiro.isdigit() and bankgiro.isascii() and len(bankgiro) <= 10):
        _refuse(DebitOrder, bankgiro, "0", Decimal(1), opening.file_date, "", first_line)
    head = "82"
    middle = bankgiro.zfill(10)
    amounts: dict[Decimal, str] = {}
    dates: dict[date, str] = {}
    count = 0
    lines: list[str] = []
    for payer_number, amount, payment_date, reference in orders:
        line = first_line + count
        encoded_amount = (
            amounts.get(amount) if type(amount) is Decimal and amount.is_finite() else None
        )
        if encoded_amount is None:
            encoded_amount = _encode_one(
                "amount", payer_number, amount, payment_date, reference, bankgiro, line
            )
            amounts[amount] = encoded_amount
        encoded_date = dates.get(payment_date) if type(payment_date) is date else None
        if encoded_date is None:
            encoded_date = _encode_one(
                "payment_date", payer_number, amount, payment_date, reference, bankgiro, line
            )
            dates[payment_date] = encoded_date
        if not (
            type(payer_number) is str
            and payer_number.isdigit()
            and payer_number.isascii()
            and len(payer_number) <= 16
        ):
            _refuse(DebitOrder, bankgiro, payer_number, amount, payment_date, reference, line)
        if type(reference) is not str:
            _refuse(DebitOrder, bankgiro, payer_number, amount, payment_date, reference, line)
        reference = reference.rstrip(" ")
        if len(reference) > 16 or not (reference.isascii() and reference.isprintable()):
            # Letters beyond ASCII: every check of the writer, UTF-8 look-alikes included.
            text, errors = encode_record(
                _order(bankgiro, payer_number, amount, payment_date, reference, line), line
            )
            if text is None:
                raise AutogiroValidationError(errors)
        lines.append(
            f"{head}{encoded_date}0    {payer_number:0>16}{encoded_amount}{middle}"
            f"{reference:<16}           \r\n"
        )
        count += 1
        if len(lines) == _BLOCK:
            stream.write("".join(lines).encode("latin-1"))
            lines.clear()
    if lines:
        stream.write("".join(lines).encode("latin-1"))
    return count


def _encode_one(
    name: str,
    payer_number: str,
    amount: Decimal,
    payment_date: date,
    reference: str,
    bankgiro: str,
    line: int,
) -> str:
    """One field of a debit order, encoded by its codec; raises as the writer would."""
    record = _order(bankgiro, payer_number, amount, payment_date, reference, line)
    text, errors = encode_record(record, line)
    if text is None:
        raise AutogiroValidationError(errors)
    field = next(item for item in DebitOrder.LAYOUT if item.name == name)
    return text[field.start - 1 : field.end]


def _order(
    bankgiro: str, payer_number: str, amount: Decimal, payment_date: date, reference: str, line: int
) -> DebitOrder:
    return DebitOrder(
        bankgiro=bankgiro,
        payer_number=payer_number,
        amount=amount,
        payment_date=payment_date,
        reference=reference,
        line=line,
    )


def _refuse(
    cls: type[DebitOrder],
    bankgiro: str,
    payer_number: str,
    amount: Decimal,
    payment_date: date,
    reference: str,
    line: int,
) -> None:
    """Raise the writer's error for a debit order that breaks a rule."""
    _text, errors = encode_record(
        cls(
            bankgiro=bankgiro,
            payer_number=payer_number,
            amount=amount,
            payment_date=payment_date,
            reference=reference,
            line=line,
        ),
        line,
    )
    raise AutogiroValidationError(
        errors or [AutogiroError("is not a valid debit order", line=line, field="record")]
    )
