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
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from .errors import AutogiroError, AutogiroValidationError
from .lines import encode_record
from .records import Record
from .structure import StructureChecker

__all__ = ["check_records", "write_bytes", "write_file", "write_records"]

LINE_END = b"\r\n"


def _encoded(records: Iterable[Record]) -> Iterator[tuple[str | None, list[AutogiroError]]]:
    checker = StructureChecker()
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


def check_records(records: Iterable[Record]) -> list[AutogiroError]:
    """Every problem that writing ``records`` would meet (empty if none)."""
    found: list[AutogiroError] = []
    for _text, errors in _encoded(records):
        found.extend(errors)
    found.sort(key=lambda error: (error.line or 0, error.column or 0))
    return found


def write_records(
    records: Iterable[Record], stream: IO[bytes], *, final_line_end: bool = True
) -> int:
    """Validate ``records`` and write them to the binary ``stream``.

    Returns the number of records written. With ``final_line_end=False`` the
    last record is not followed by CR LF.
    """
    if isinstance(records, Sequence):
        errors = check_records(records)
        if errors:
            raise AutogiroValidationError(errors)
    return _write(records, stream, final_line_end)


def _write(records: Iterable[Record], stream: IO[bytes], final_line_end: bool) -> int:
    count = 0
    pending: bytes | None = None
    for text, errors in _encoded(records):
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


def write_bytes(records: Iterable[Record], *, final_line_end: bool = True) -> bytes:
    """The file made of ``records``, as bytes."""
    buffer = io.BytesIO()
    write_records(records, buffer, final_line_end=final_line_end)
    return buffer.getvalue()


def write_file(
    path: str | os.PathLike[str], records: Iterable[Record], *, final_line_end: bool = True
) -> int:
    """Validate ``records`` and write them to a new file at ``path``.

    Nothing is left at ``path`` if validation fails.
    """
    records = records if isinstance(records, Sequence) else list(records)
    errors = check_records(records)
    if errors:
        raise AutogiroValidationError(errors)
    with open(path, "wb") as stream:
        return _write(records, stream, final_line_end)
