"""What file transfers and editors do to a file: read in the lenient mode, refused in the strict.

Each case is a file as it arrives after a text-mode transfer or an editor: the lenient mode
(``strict=False``) reads the same records as from the pristine file; the strict mode refuses it
with an error that names what happened.
"""

from __future__ import annotations

import io

import pytest

from autogiro import AutogiroValidationError, read_bytes, validate
from autogiro_testkit import BANKGIRO, alpha, num, rec, request_opening

REFERENCE = "PREMIE ÅÄÖ"


def _debit(payer: int) -> str:
    fields = {
        3: "20260201",
        11: "0",
        16: num(payer, 16),
        32: num(75000, 12),
        44: num(BANKGIRO, 10),
        54: alpha(REFERENCE, 16),
    }
    return rec("82", fields)


LINES = [request_opening(), _debit(101), _debit(102)]
PRISTINE = b"".join(line.encode("latin-1") + b"\r\n" for line in LINES)


def _join(lines: list[str], end: str = "\r\n", encoding: str = "latin-1") -> bytes:
    return "".join(line + end for line in lines).encode(encoding)


TRIMMED = [line.rstrip(" ") for line in LINES]

# (case, bytes, the strict mode's first error: line, field, words of the rule)
CASES = [
    ("right-trimmed records, LF", _join(TRIMMED, "\n"), (1, "line_end", "CR LF")),
    ("right-trimmed records, CR LF", _join(TRIMMED), (1, "record", "80 characters")),
    ("trailing blank lines", PRISTINE + b"\r\n\r\n  \r\n", (4, "record", "blank line")),
    ("end-of-file character", PRISTINE + b"\x1a", (4, "record", "end-of-file character")),
    (
        "end-of-file character after a trimmed last record",
        _join(TRIMMED)[:-2] + b"\x1a",
        (1, "record", "80 characters"),
    ),
    (
        "blank lines, then the end-of-file character",
        PRISTINE + b"\r\n\r\n\x1a",
        (4, "record", "blank line"),
    ),
    ("saved as UTF-8", _join(LINES, encoding="utf-8"), (2, "record", "UTF-8")),
    (
        "saved as UTF-8 with a byte order mark, LF, trimmed",
        b"\xef\xbb\xbf" + _join(TRIMMED, "\n", "utf-8"),
        (1, "record", "byte order mark"),
    ),
    ("blanks after position 80", _join([line + "   " for line in LINES]), (1, "record", "80")),
]


@pytest.mark.parametrize(("case", "data", "strict_error"), CASES, ids=[c[0] for c in CASES])
def test_lenient_mode_reads_what_transfers_make_of_a_file(
    case: str, data: bytes, strict_error: tuple[int, str, str]
) -> None:
    assert read_bytes(data, strict=False) == read_bytes(PRISTINE)

    errors = validate(io.BytesIO(data))
    line, field, words = strict_error
    assert errors, case
    assert (errors[0].line, errors[0].field) == (line, field), errors
    assert words in errors[0].rule, errors[0]
    with pytest.raises(AutogiroValidationError):
        read_bytes(data)


def test_the_pristine_file_reads_in_both_modes() -> None:
    records = read_bytes(PRISTINE)
    assert [record.TK for record in records] == ["01", "82", "82"]
    assert records[1].reference == REFERENCE  # type: ignore[attr-defined]
    assert read_bytes(PRISTINE, strict=False) == records


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (PRISTINE[:82] + b"\r\n" + PRISTINE[82:], 2, "blank line inside the file"),
        (PRISTINE[:82] + b"   \n" + PRISTINE[82:], 2, "blank line inside the file"),
        (PRISTINE + b"\x1a" + PRISTINE, 4, "0x1A"),
        (_join(LINES).replace("ÅÄÖ".encode("latin-1"), "€ÄÖ".encode()), 2, "U+20AC"),
        (_join(LINES).replace("ÅÄÖ".encode("latin-1"), b"\xc3\xa5\xff "), 2, "neither"),
    ],
    ids=[
        "blank line between records",
        "line of blanks between records",
        "end-of-file character inside the file",
        "UTF-8 character that ISO-8859-1 cannot hold",
        "neither ISO-8859-1 nor UTF-8",
    ],
)
def test_lenient_mode_still_refuses_damage_inside_the_file(
    data: bytes, line: int, words: str
) -> None:
    errors = validate(io.BytesIO(data), strict=False)
    assert errors
    assert errors[0].line == line, errors
    assert words in errors[0].rule, errors[0]
