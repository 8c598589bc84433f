"""Helpers that build Autogiro test files straight from the layout positions.

They do not use the library: a record is written by placing texts at 1-based
positions of an 80-character line, as Bankgirot's manual describes them, so
the table tests check the library against hand-written positions.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator, Mapping

CRLF = b"\r\n"


def rec(tk: str, fields: Mapping[int, str] | None = None) -> str:
    """An 80-character record: ``tk`` in 1-2, each text at its start position."""
    assert len(tk) == 2
    chars = [" "] * 80
    chars[0:2] = tk
    for start, text in (fields or {}).items():
        assert start >= 3, start
        end = start - 1 + len(text)
        assert end <= 80, (start, text)
        assert all(c == " " for c in chars[start - 1 : end]), f"overlap at {start}"
        chars[start - 1 : end] = text
    line = "".join(chars)
    assert len(line) == 80
    return line


def num(value: int | str, width: int) -> str:
    """Right-aligned, zero-filled number."""
    text = str(value)
    assert len(text) <= width
    return text.zfill(width)


def alpha(text: str, width: int) -> str:
    """Left-aligned, space-filled text."""
    assert len(text) <= width
    return text.ljust(width)


def file_bytes(lines: Iterable[str], end: bytes = CRLF) -> bytes:
    """ISO-8859-1 bytes of the lines, each followed by ``end``."""
    return b"".join(line.encode("latin-1") + end for line in lines)


def stream(lines: Iterable[str]) -> io.BytesIO:
    return io.BytesIO(file_bytes(lines))


# -- common records --------------------------------------------------------

BANKGIRO = "9912346"
CUSTOMER = "471117"


def request_opening(day: str = "20260115", bankgiro: str = BANKGIRO) -> str:
    """TK01 of a file to Bankgirot."""
    return rec("01", {3: day, 11: "AUTOGIRO", 63: num(CUSTOMER, 6), 69: num(bankgiro, 10)})


def report_opening(content: str, day: str = "20260115", time: str = "") -> str:
    """TK01 of a file from Bankgirot."""
    fields = {3: "AUTOGIRO", 25: day, 45: alpha(content, 20), 65: num(CUSTOMER, 6)}
    fields[71] = num(BANKGIRO, 10)
    if time:
        fields[33] = time
    return rec("01", fields)


# -- a generated payment specification -------------------------------------


def _payment_spec_lines(count: int) -> Iterator[bytes]:
    """A payment specification with ``count`` approved TK82 records of 300 kr."""
    yield file_bytes([report_opening("BET. SPEC & STOPP TK", "20260202", "063015000000")])
    deposit = rec(
        "15",
        {
            3: num("89010032323232", 35),
            38: "20260202",
            46: num(1, 5),
            51: num(count * 30000, 18),
            72: num(count, 8),
        },
    )
    yield file_bytes([deposit])
    head = b"8220260202" + b"0" + b"   " + b" "
    tail = b"000000030000" + num(BANKGIRO, 10).encode() + b"PREMIUM JANUARY " + b" " * 10 + b"0"
    for number in range(count):
        yield head + b"%016d" % number + tail + CRLF
    closing = rec(
        "09",
        {
            3: "20260202",
            11: "9900",
            15: num(1, 6),
            21: num(count, 12),
            33: num(0, 6),
            39: num(0, 12),
            51: num(0, 6),
            57: num(0, 12),
        },
    )
    yield file_bytes([closing])


class GeneratedFile(io.RawIOBase):
    """A read-only binary stream producing a big payment specification on
    the fly, so the test file never exists in memory or on disk."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self._chunks = _payment_spec_lines(count)
        self._buffer = b""
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._buffer) < len(target):
            chunk = b"".join(itertools.islice(self._chunks, 512))
            if not chunk:
                break
            self._buffer += chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        self.size += size
        return size


def generated_stream(count: int) -> io.BufferedReader:
    return io.BufferedReader(GeneratedFile(count), buffer_size=64 * 1024)
