"""The fast OCR giro reader against the reference reader on ``netsgiro``: on valid files both
read the same payments, and on damaged files both refuse (or, where the damage still leaves a
valid file, both read the same thing). Pure: no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.kernel.errors import ValidationFailed
from trygg.protection import rules
from trygg.protection.payments import OcrTransmission, read_ocr, read_ocr_fast
from trygg.simulators.nets import OcrPayment, ocr_file

D = dt.date
NETS_DATE = D(2027, 3, 1)


def outcome(reader: Callable[[str], OcrTransmission], text: str) -> OcrTransmission | str:
    try:
        return reader(text)
    except ValidationFailed as refused:
        return f"refused: {refused.code} {refused.field}"


def both(text: str) -> OcrTransmission | str:
    reference, fast = outcome(read_ocr, text), outcome(read_ocr_fast, text)
    assert fast == reference
    return fast


kids = st.integers(min_value=10, max_value=10**20).map(lambda n: rules.kid_make(str(n)))
payments = st.builds(
    OcrPayment,
    kid=kids,
    amount=st.integers(min_value=1, max_value=10**9).map(lambda ore: Decimal(ore).scaleb(-2)),
    paid_on=st.dates(min_value=D(2000, 1, 1), max_value=D(2068, 12, 31)),
    payer_account=st.from_regex(r"[0-9]{11}", fullmatch=True),
)
files = st.builds(
    lambda rows, number: ocr_file(rows, transmission=number, nets_date=NETS_DATE),
    st.lists(payments, max_size=6),
    st.integers(min_value=0, max_value=9_999_999),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(payments, max_size=8), number=st.integers(0, 9_999_999))
def test_both_readers_read_a_valid_file_alike(rows: list[OcrPayment], number: int) -> None:
    read = both(ocr_file(rows, transmission=number, nets_date=NETS_DATE))
    assert isinstance(read, OcrTransmission)
    assert (read.transmission, read.nets_date) == (f"{number:07d}", NETS_DATE)
    assert read.payments == [
        (n, p.kid, int(p.amount.scaleb(2)), p.paid_on, p.payer_account)
        for n, p in enumerate(rows, start=1)
    ]


ALPHABET = "0123456789 -NYX\t\r\n9"


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text: str = draw(files)
    lines = text.splitlines(keepends=True)
    how = draw(st.sampled_from(["char", "chars", "drop", "repeat", "swap", "cut"]))
    if how == "char" or how == "chars":
        for _ in range(1 if how == "char" else draw(st.integers(2, 4))):
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + draw(st.sampled_from(ALPHABET)) + text[at + 1 :]
        return text
    at = draw(st.integers(0, len(lines) - 1))
    if how == "drop":
        del lines[at]
    elif how == "repeat":
        lines.insert(at, lines[at])
    elif how == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    else:
        return text[: draw(st.integers(0, len(text)))]
    return "".join(lines)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged())
def test_both_readers_refuse_a_damaged_file_alike(text: str) -> None:
    both(text)


def _file(n: int = 2, **changes: str) -> str:
    rows = [
        OcrPayment(rules.kid_make(str(1000 + i)), Decimal("49.00"), D(2027, 2, 26))
        for i in range(n)
    ]
    text = ocr_file(rows, transmission=7, nets_date=NETS_DATE)
    for old, new in changes.items():
        assert old.replace("_", "") in text
        text = text.replace(old.replace("_", ""), new, 1)
    return text


def _at(text: str, line: int, column: int, value: str) -> str:
    lines = text.splitlines()
    lines[line] = lines[line][:column] + value + lines[line][column + len(value) :]
    return "\n".join(lines) + "\n"


def _replace_line(text: str, number: int, line: str) -> str:
    lines = text.splitlines()
    lines[number] = line
    return "\n".join(lines) + "\n"


def _two_assignments() -> str:
    one = _file(2).splitlines()
    two = _file(3).splitlines()
    body = one[1:-1] + two[1:-1]
    end = f"NY000089{5:08d}{2 * 5 + 6:08d}{5 * 4900:017d}010327{'0' * 33}"
    return "\n".join([one[0], *body, end]) + "\n"


def _with_text_record(kind: str = "21") -> str:
    lines = _file(1).splitlines()
    lines[2] = "NY09" + kind + lines[2][6:]
    lines[3] = "NY09" + kind + lines[3][6:]
    text_line = f"NY09{kind}320000001{'Betaling for sperretjeneste':<40}{'0' * 25}"
    lines.insert(4, text_line)
    lines[-2] = lines[-2][:16] + f"{5:08d}" + lines[-2][24:]
    lines[-1] = lines[-1][:16] + f"{7:08d}" + lines[-1][24:]
    return "\n".join(lines) + "\n"


def test_a_valid_file_with_two_assignments_and_a_text_record() -> None:
    read = both(_two_assignments())
    assert isinstance(read, OcrTransmission) and [p[0] for p in read.payments] == [1, 2, 3, 4, 5]
    with_text = both(_with_text_record("21"))
    assert isinstance(with_text, OcrTransmission) and len(with_text.payments) == 1


@pytest.mark.parametrize(
    "text",
    [
        _file(1).replace("NY091030", "NY091830", 1).replace("NY091031", "NY091831", 1),  # reversal
        _with_text_record("20"),  # a reversal with text
        _file(1)
        .replace("NY091030", "NY090230", 1)
        .replace("NY091031", "NY090231", 1),  # AvtaleGiro
        _file(1).replace("NY091030", "NY092230", 1).replace("NY091031", "NY092231", 1),  # unknown
        _file(1).replace("NY091031", "NY091131", 1),  # item 2 of another type
        _replace_line(_file(2), 2, _file(2).splitlines()[4]),  # numbers 2, 2
        _at(_at(_file(1), 2, 8, "0000000"), 3, 8, "0000000"),  # transaction number 0
        _at(_file(1), 2, 31, "-"),  # a minus in the sign field
        _file(2).replace("NY090088000000020000000", "NY090088000000020000007", 1),  # record count
        _file(2).replace("NY000089000000020000000", "NY000089000000020000009", 1),
        _file(2).replace("NY000089000000020", "NY000089000000030", 1),  # transaction count
        _file(1).replace("NY0900200", "NY2100200", 1),  # not an OCR giro assignment
        _file(1).replace("010327", "320327", 1),  # no such date
        "\n".join(_file(1).splitlines()[:-1]) + "\n",  # no transmission end
        _file(1) + _file(1),  # two transmissions
        _file(1).replace("NY", "NÝ", 1),  # not ASCII
        "",
    ],
)
def test_both_readers_refuse(text: str) -> None:
    assert both(text) == "refused: ocr.unreadable file"
