"""Streaming reader of Autogiro files.

The reader takes a binary stream and reads it line by line: memory use does
not grow with the size of the file. Each line must be an 80-character record
of printable ISO-8859-1 characters ending in CR LF.

* :func:`iter_records` yields typed records and raises
  :class:`~autogiro.errors.AutogiroValidationError` at the first line
  with problems (records before it have been yielded);
* :func:`validate` reads the whole file and returns every problem;
* :func:`read_file` and :func:`read_bytes` return all records, or raise
  with every problem of the file.

``strict=False`` (the lenient mode) reads what file transfers and editors
make of a file: LF line ends, records right-trimmed of their blanks (padded
back to 80 characters; Bankgirot's published example files are trimmed) or
carrying blanks after position 80, blank lines at the end of the file, a final
end-of-file character (Ctrl-Z, 0x1A), and text saved as UTF-8 (with or without
a byte order mark). Everything else is checked the same way; the default,
strict mode refuses each of these with its own error.

``check_digits=True`` (the default) verifies the check digits of bankgiro and
identity numbers and bank accounts (:mod:`autogiro.checkdigits`); Bankgirot's
published example files use numbers that fail them, ``check_digits=False``
skips the check. ``extra_banks`` adds clearing ranges that Bankgirot's table of
banks does not describe (:class:`~autogiro.accountnumbers.ExtraBank`).
Every record's bankgiro number must equal its section's opening record's, and
every opening record's BGC customer number the file's first, in both cases.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Final

from .accountnumbers import ExtraBank
from .errors import AutogiroError, AutogiroValidationError
from .fields import utf8_offset
from .lines import RECORD_LENGTH, decode_line, run_decoder
from .records import (
    InternetMandateOpening,
    ListOpening,
    OldMandateNoticeOpening,
    Opening,
    Record,
    ReportOpening,
)
from .structure import Family, StructureChecker, detect_family

__all__ = ["iter_records", "read_bytes", "read_file", "validate"]

_MAX_LINE: Final = 4096
_FULL: Final = RECORD_LENGTH + 2  # a record and CR LF
_BLOCK_LINES: Final = 2048
_RUN_RECORDS: Final = 256  # records of a run built at once
_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))
_CONTROL = re.compile(rb"[\x00-\x1f\x7f-\x9f]")

BinaryStream = IO[bytes]


def _opening_class(family: Family) -> type[Record]:
    if family is Family.REQUEST:
        return Opening
    if family is Family.INTERNET_MANDATES:
        return InternetMandateOpening
    if family is Family.OLD_MANDATE_NOTICES:
        return OldMandateNoticeOpening
    if family in _LIST_FAMILIES:
        return ListOpening
    return ReportOpening


_LIST_FAMILIES: Final = frozenset(
    {
        Family.OLD_PAYMENT_SPECIFICATION,
        Family.OLD_REJECTED_PAYMENTS,
        Family.OLD_AMENDMENTS,
        Family.REGISTER_EXTRACT,
    }
)


def _encoding_error(body: bytes, line: int) -> AutogiroError | None:
    """Report bytes that are not printable ISO-8859-1 text."""
    offset = utf8_offset(body)
    if offset is not None:
        return AutogiroError(
            "looks UTF-8 encoded; Autogiro files must be ISO-8859-1",
            line=line,
            column=offset + 1,
            field="record",
            got=body.decode("utf-8", errors="replace")[:RECORD_LENGTH],
        )
    match = _CONTROL.search(body)
    if match is not None and body[match.start() :] == _EOF:
        return AutogiroError(
            "end-of-file character (Ctrl-Z, 0x1A) after the last record; "
            "the lenient mode (strict=False) drops it",
            line=line,
            column=match.start() + 1,
            field="record",
            got=body.decode("latin-1"),
        )
    if match is not None:
        return AutogiroError(
            f"byte 0x{body[match.start()]:02X} is not a printable ISO-8859-1 character",
            line=line,
            column=match.start() + 1,
            field="record",
            got=body.decode("latin-1"),
        )
    return None


def _utf8_text(body: bytes, line: int, errors: list[AutogiroError]) -> str | None:
    """The text of a line saved as UTF-8 (lenient mode), if ISO-8859-1 can hold it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(
            AutogiroError(
                "is neither ISO-8859-1 nor UTF-8 text",
                line=line,
                column=error.start + 1,
                field="record",
                got=body.decode("latin-1"),
            )
        )
        return None
    for column, char in enumerate(text, start=1):
        if ord(char) > 0xFF or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            errors.append(
                AutogiroError(
                    f"character U+{ord(char):04X} cannot be written in an ISO-8859-1 file",
                    line=line,
                    column=column,
                    field="record",
                    got=text,
                )
            )
            return None
    return text


def _prepare(
    raw: bytes, line: int, strict: bool, readline: Callable[[int], bytes]
) -> tuple[str | None, list[AutogiroError]]:
    """Check line end, encoding and length of a line that is not plainly right."""
    errors: list[AutogiroError] = []
    if len(raw) == _MAX_LINE and raw[-1:] != b"\n":
        extra = len(raw)
        while True:  # skip the rest of an overlong line without keeping it
            more = readline(_MAX_LINE)
            extra += len(more)
            if not more or more[-1:] == b"\n":
                break
        errors.append(
            AutogiroError(
                f"record must be {RECORD_LENGTH} characters",
                line=line,
                column=RECORD_LENGTH + 1,
                field="record",
                got=f"{extra} bytes",
            )
        )
        return None, errors
    if raw[-2:] == b"\r\n":
        body = raw[:-2]
    elif raw[-1:] == b"\n":
        body = raw[:-1]
        if strict:
            errors.append(
                AutogiroError(
                    "line must end with CR LF",
                    line=line,
                    column=len(body) + 1,
                    field="line_end",
                    got="LF",
                )
            )
    else:
        body = raw  # the last line may lack a line end
    text: str | None = None
    if not strict and not body.isascii() and utf8_offset(body) is not None:
        text = _utf8_text(body, line, errors)
        if text is None:
            return None, errors
    elif not body.isascii() or _CONTROL.search(body) is not None:
        encoding_error = _encoding_error(body, line)
        if encoding_error is not None:
            errors.append(encoding_error)
            return None, errors
    if text is None:
        text = body.decode("latin-1")
    if len(text) != RECORD_LENGTH:
        if strict and not text.strip(" \t"):
            errors.append(
                AutogiroError(
                    "blank line; the lenient mode (strict=False) ignores blank lines at the end",
                    line=line,
                    column=1,
                    field="record",
                    got=text,
                )
            )
            return None, errors
        if not strict and len(text) > RECORD_LENGTH and not text[RECORD_LENGTH:].strip(" "):
            return text[:RECORD_LENGTH], errors
        if len(text) < RECORD_LENGTH and not strict:
            return text.ljust(RECORD_LENGTH), errors
        errors.append(
            AutogiroError(
                f"record must be {RECORD_LENGTH} characters",
                line=line,
                column=min(len(text), RECORD_LENGTH) + 1,
                field="record",
                got=f"{len(text)} characters",
            )
        )
        return None, errors
    return text, errors


class _Rest:
    """``readline`` over bytes already read from a stream, then the stream itself."""

    def __init__(self, data: bytes, stream: BinaryStream) -> None:
        self._buffer: io.BytesIO | None = io.BytesIO(data) if data else None
        self._stream = stream

    def readline(self, limit: int) -> bytes:
        buffer = self._buffer
        if buffer is None:
            return self._stream.readline(limit)
        raw = buffer.readline(limit)
        if raw[-1:] == b"\n" or len(raw) == limit:
            return raw
        self._buffer = None  # the buffer ends within this line: read on from the stream
        return raw + self._stream.readline(limit - len(raw))


_Line = tuple[str | None, list[AutogiroError]]


def _pieces(stream: BinaryStream, strict: bool) -> Iterator[str | _Line]:
    """Yield the lines of ``stream``: blocks of clean lines, or one line at a time.

    The stream is read in blocks of whole records. A block whose every line
    is 80 printable ASCII characters and CR LF is checked at once (line ends
    by position, all other bytes by deleting the printable ones) and yielded
    whole, as text with its line ends. From the first block that is not
    plainly right, lines are read one by one and each is checked and yielded
    on its own as ``(text or None, errors)``.
    """
    read = stream.read
    block_size = _FULL * _BLOCK_LINES
    pending = b""
    done = 0  # lines yielded
    while True:
        chunk = read(block_size)
        if not chunk:
            break
        if not isinstance(chunk, bytes):
            raise TypeError("Autogiro files must be read from a binary stream (open with 'rb')")
        data = pending + chunk if pending else chunk
        whole = len(data) - len(data) % _FULL
        if whole == 0:
            pending = data
            continue
        records = whole // _FULL
        view = data[:whole] if whole != len(data) else data
        if (
            view[RECORD_LENGTH::_FULL] == b"\r" * records
            and view[RECORD_LENGTH + 1 :: _FULL] == b"\n" * records
            and len(view.translate(None, _PRINTABLE_ASCII)) == 2 * records
        ):
            yield view.decode("ascii")
            done += records
            pending = data[whole:]
            continue
        yield from _lines(_Rest(data, stream).readline, strict, done)
        return
    if pending:
        yield from _lines(_Rest(pending, stream).readline, strict, done)


def _lines(
    readline: Callable[[int], bytes], strict: bool, line: int
) -> Iterator[tuple[str | None, list[AutogiroError]]]:
    """Line by line, after ``line`` lines: each line checked and reported on its own.

    Lines are read one ahead, so that the last line is known as such: in the
    lenient mode a final end-of-file character is dropped and blank lines
    count only when a record follows them.
    """
    control = _CONTROL.search
    raw = readline(_MAX_LINE)
    if line == 0 and raw.startswith(_BOM):
        if strict:
            yield (
                None,
                [
                    AutogiroError(
                        "begins with a UTF-8 byte order mark; Autogiro files are ISO-8859-1 text",
                        line=1,
                        column=1,
                        field="record",
                        got="EF BB BF",
                    )
                ],
            )
            line = 1
            raw = readline(_MAX_LINE)
        else:
            raw = raw[len(_BOM) :]
    blanks: list[int] = []  # lenient mode: blank lines not yet known to be trailing
    while raw:
        line += 1
        if len(raw) == _MAX_LINE and raw[-1:] != b"\n":  # overlong: skipped by _prepare
            yield _prepare(raw, line, strict, readline)
            raw = readline(_MAX_LINE)
            continue
        following = readline(_MAX_LINE)
        if (
            len(raw) == _FULL
            and raw.endswith(b"\r\n")
            and raw.isascii()
            and control(raw, 0, RECORD_LENGTH) is None
        ):
            if blanks:
                yield from _blank_lines(blanks)
                blanks = []
            yield raw.decode("latin-1"), []
        elif not strict and not following and raw.rstrip(b"\r\n").endswith(_EOF):
            last = raw.rstrip(b"\r\n")[: -len(_EOF)]
            if last.strip(b" \t"):  # the character ended a record: read it as the last line
                yield from _blank_lines(blanks)
                yield from _lines(io.BytesIO(last).readline, strict, line - 1)
            return
        elif not strict and not raw.strip(b" \t\r\n"):
            blanks.append(line)
        else:
            if blanks:
                yield from _blank_lines(blanks)
                blanks = []
            yield _prepare(raw, line, strict, readline)
        raw = following


_BOM: Final = b"\xef\xbb\xbf"
_EOF: Final = b"\x1a"


def _blank_lines(lines: list[int]) -> Iterator[tuple[str | None, list[AutogiroError]]]:
    for number in lines:
        yield (
            None,
            [
                AutogiroError(
                    "blank line inside the file (blank lines are allowed only at its end)",
                    line=number,
                    column=1,
                    field="record",
                    got="",
                )
            ],
        )


def _scan(
    stream: BinaryStream,
    strict: bool,
    check_digits: bool,
    extra_banks: Sequence[ExtraBank] = (),
    records: bool = True,
) -> Iterator[tuple[Sequence[Record], list[AutogiroError]]]:
    """Yield ``(records, errors)`` for every line (no record or one), then final
    errors.

    In a block of clean lines, a run of lines that the section only counts and
    sums is confirmed by one pattern match (:meth:`StructureChecker.run`); its
    records are built at once, without further checks, and yielded together,
    or (``records=False``, for :func:`validate`) not built at all: such lines
    have no errors to report. The first line the pattern does not take is read
    on its own, as every line of a file that is not clean.
    """
    checker = StructureChecker(check_digits=check_digits, extra_banks=extra_banks)
    line = 0
    for piece in _pieces(stream, strict):
        if not isinstance(piece, str):
            line += 1
            record, errors = _step(checker, piece[0], piece[1], line)
            yield _NO_RECORDS if record is None else (record,), errors
            continue
        start, size = 0, len(piece)
        while start < size:
            run = checker.run(piece[start : start + 2])
            if run is not None:
                matched = run.pattern.match(piece, start)  # a run may be empty
                stop = start if matched is None else matched.end()
                if stop > start:
                    checker.accept_run(run, piece, start, stop, _FULL)
                    if records:
                        decode = run_decoder(run.cls)
                        for first in range(start, stop, _FULL * _RUN_RECORDS):
                            last = min(stop, first + _FULL * _RUN_RECORDS)
                            texts = [
                                piece[at : at + RECORD_LENGTH] for at in range(first, last, _FULL)
                            ]
                            yield decode(texts, line + 1), _NO_ERRORS
                            line += len(texts)
                    else:
                        line += (stop - start) // _FULL
                    start = stop
                    continue
            line += 1
            record, errors = _step(checker, piece[start : start + RECORD_LENGTH], [], line)
            yield _NO_RECORDS if record is None else (record,), errors
            start += _FULL
    final = checker.finish(line + 1)
    if final:
        yield _NO_RECORDS, final


_NO_ERRORS: Final[list[AutogiroError]] = []
_NO_RECORDS: Final[tuple[Record, ...]] = ()


def _step(
    checker: StructureChecker, text: str | None, errors: list[AutogiroError], line: int
) -> tuple[Record | None, list[AutogiroError]]:
    """Read one line (``text`` None: unreadable, with ``errors``) at ``line``."""
    if text is None:
        checker.damage()
        return None, errors
    tk = text[:2]
    if tk == "01" or tk == "51":
        family, family_error = detect_family(text)
        if family_error is not None:
            errors.append(family_error.located(line))
        record = None
        if family is not None:
            record, field_errors = decode_line(_opening_class(family), text, line)
            errors.extend(field_errors)
        errors.extend(checker.open(family, record, line))
        return record, errors
    if checker.skipping:
        return None, errors
    cls = checker.record_class(tk, text)
    if cls is None:
        if checker.family is None:
            errors.append(
                AutogiroError(
                    "a file must begin with an opening record (TK01 or TK51)",
                    line=line,
                    column=1,
                    field="tk",
                    got=tk,
                )
            )
            checker.open(None, None, line)
        else:
            errors.append(
                AutogiroError(
                    f"unknown transaction code in a {checker.family.value}",
                    line=line,
                    column=1,
                    field="tk",
                    got=tk,
                )
            )
            checker.damage()
        return None, errors
    record, field_errors = decode_line(cls, text, line)
    if record is None:
        checker.damage()
        errors.extend(field_errors)
        return None, errors
    problems = checker.accept(record, line)
    if errors:
        errors.extend(problems)
        return record, errors
    return record, problems


def iter_records(
    stream: BinaryStream,
    *,
    strict: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> Iterator[Record]:
    """Yield the records of ``stream`` one by one.

    Raises :class:`AutogiroValidationError` with the problems of the first
    line that has any (or of a closing record whose totals are wrong).
    """
    for records, errors in _scan(stream, strict, check_digits, extra_banks):
        if errors:
            raise AutogiroValidationError(errors)
        yield from records


def validate(
    stream: BinaryStream,
    *,
    strict: bool = True,
    check_digits: bool = True,
    max_errors: int | None = None,
    extra_banks: Sequence[ExtraBank] = (),
) -> list[AutogiroError]:
    """Every problem of the file in ``stream``, in line order (empty if none).

    Reading stops after ``max_errors`` problems when given.
    """
    found: list[AutogiroError] = []
    for _records, errors in _scan(stream, strict, check_digits, extra_banks, records=False):
        if errors:
            found.extend(errors)
            if max_errors is not None and len(found) >= max_errors:
                del found[max_errors:]
                break
    found.sort(key=lambda error: (error.line or 0, error.column or 0))
    return found


def _read_all(
    stream: BinaryStream, strict: bool, check_digits: bool, extra_banks: Sequence[ExtraBank]
) -> list[Record]:
    records: list[Record] = []
    found: list[AutogiroError] = []
    for read, errors in _scan(stream, strict, check_digits, extra_banks):
        if errors:
            found.extend(errors)
        else:
            records.extend(read)
    if found:
        found.sort(key=lambda error: (error.line or 0, error.column or 0))
        raise AutogiroValidationError(found)
    return records


def read_file(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> list[Record]:
    """All records of the file at ``path``; raises with every problem."""
    with open(path, "rb") as stream:
        return _read_all(stream, strict, check_digits, extra_banks)


def read_bytes(
    data: bytes,
    *,
    strict: bool = True,
    check_digits: bool = True,
    extra_banks: Sequence[ExtraBank] = (),
) -> list[Record]:
    """All records of a file held in memory; raises with every problem."""
    return _read_all(io.BytesIO(data), strict, check_digits, extra_banks)
