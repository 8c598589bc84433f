"""Field codecs: numeric, alphanumeric, dates, amounts, GENAST, accounts."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autogiro import (
    GENAST,
    AutogiroValidationError,
    BankAccount,
    DebitOrder,
    Opening,
    kronor_to_ore,
    ore_to_kronor,
    read_bytes,
    write_bytes,
)
from autogiro.fields import (
    Account,
    Amount,
    Code,
    Date6,
    Date8,
    FieldError,
    Filler,
    Fixed,
    Integer,
    Numeric,
    PaymentDateCodec,
    Text,
    Timestamp,
    utf8_offset,
)
from autogiro_testkit import BANKGIRO, file_bytes, num, rec, request_opening


def test_numeric_is_right_aligned_and_zero_filled() -> None:
    codec = Numeric(16)
    assert codec.encode("101") == "0000000000000101"
    assert codec.decode("0000000000000101") == "101"
    assert codec.decode("0000000000000000") == "0"
    with pytest.raises(FieldError, match="must be numeric"):
        codec.decode("00000000000001A1")
    with pytest.raises(FieldError, match="must be numeric"):
        codec.decode("²" + "0" * 15)  # a digit to str.isdigit, not to Bankgirot
    with pytest.raises(FieldError, match="at most 16 digits"):
        codec.encode("1" * 17)
    with pytest.raises(FieldError, match="string of digits"):
        codec.encode(101)
    with pytest.raises(FieldError, match="is required"):
        codec.encode(None)


def test_optional_numeric_and_identity_numbers() -> None:
    identity = Numeric(12, optional=True, zeros_are_empty=True, keep_zeros=True)
    assert identity.decode("005556000528") == "005556000528"
    assert identity.decode(" " * 12) is None
    assert identity.decode("0" * 12) is None
    assert identity.encode(None) == " " * 12
    with pytest.raises(FieldError, match="exactly 12 digits"):
        identity.encode("5556000521")


def test_text_is_left_aligned_and_blank_filled() -> None:
    codec = Text(16)
    assert codec.encode("PREMIE 2026") == "PREMIE 2026     "
    assert codec.encode("PREMIE  ") == "PREMIE          "
    assert codec.decode("  INDRAG         ") == "  INDRAG"
    assert codec.encode(None) == " " * 16
    with pytest.raises(FieldError, match="at most 16"):
        codec.encode("X" * 17)
    with pytest.raises(FieldError, match="ISO-8859-1"):
        codec.encode("PREMIE €")
    with pytest.raises(FieldError, match="ISO-8859-1"):
        codec.encode("RAD\tTVÅ")


def test_dates() -> None:
    codec = Date8()
    assert codec.decode("20260201") == date(2026, 2, 1)
    assert codec.encode(date(2026, 2, 1)) == "20260201"
    for bad in ("20260229", "20261301", "20260100", "2026020 ", "        "):
        with pytest.raises(FieldError, match="date"):
            codec.decode(bad)
    assert Date8().decode("20240229") == date(2024, 2, 29)
    optional = Date8(optional=True, zeros_are_empty=True, empty="0")
    assert optional.decode("00000000") is None
    assert optional.encode(None) == "00000000"
    short = Date6()
    assert short.decode("260215") == date(2026, 2, 15)
    assert short.decode("      ") is None
    assert short.encode(date(2026, 2, 15)) == "260215"
    with pytest.raises(FieldError, match="exists"):
        short.decode("260230")


def test_payment_date_genast() -> None:
    codec = PaymentDateCodec()
    assert codec.decode("GENAST  ") == GENAST
    assert codec.encode(GENAST) == "GENAST  "
    assert codec.decode("20260201") == date(2026, 2, 1)
    with pytest.raises(FieldError):
        codec.decode("GENAST XX")
    with pytest.raises(FieldError):
        codec.decode("  GENAST")


def test_amounts_are_ore_as_decimal_kronor() -> None:
    codec = Amount(12)
    assert codec.decode("000000075000") == Decimal("750.00")
    assert str(codec.decode("000000000005")) == "0.05"
    assert codec.encode(Decimal("750")) == "000000075000"
    assert codec.encode(Decimal("0.05")) == "000000000005"
    assert codec.encode(12) == "000000001200"
    assert codec.encode(Decimal("9999999999.99")) == "999999999999"
    with pytest.raises(FieldError, match="12 digits"):
        codec.encode(Decimal("10000000000.00"))
    with pytest.raises(FieldError, match="two decimals"):
        codec.encode(Decimal("1.005"))
    with pytest.raises(FieldError, match="negative"):
        codec.encode(Decimal("-1"))
    with pytest.raises(FieldError, match="Decimal"):
        codec.encode(1.5)
    with pytest.raises(FieldError, match="numeric"):
        codec.decode("00000007500 ")


@given(st.integers(0, 10**18 - 1))
def test_ore_and_kronor_convert_both_ways(ore: int) -> None:
    kronor = ore_to_kronor(ore)
    assert kronor_to_ore(kronor) == ore
    assert kronor == Decimal(ore) / 100
    assert kronor.as_tuple().exponent == -2


def test_integers_codes_constants_and_fillers() -> None:
    repeats = Integer(3, optional=True, minimum=1)
    assert repeats.decode("012") == 12
    assert repeats.decode("   ") is None
    assert repeats.encode(None) == "   "
    assert repeats.encode(999) == "999"
    with pytest.raises(FieldError, match="between 1 and 999"):
        repeats.decode("000")
    with pytest.raises(FieldError, match="integer"):
        repeats.encode(True)
    code = Code(2, {"01": "Ett"}, "test code", optional=True, empty="00")
    assert code.decode("01") == "01"
    assert code.decode("00") is None
    assert code.encode(None) == "00"
    with pytest.raises(FieldError, match="unknown test code"):
        code.decode("02")
    assert Fixed("9900").decode("9900") == "9900"
    with pytest.raises(FieldError, match="must be '9900'"):
        Fixed("9900").decode("9901")
    assert Filler(3).encode(None) == "   "
    assert Filler(4, checked=False, fill="0").encode(None) == "0000"
    Filler(2, checked=False).decode("00")
    with pytest.raises(FieldError, match="must be blank"):
        Filler(2).decode("00")
    assert Timestamp().decode("193055123456") == time(19, 30, 55, 123456)
    assert Timestamp().encode(time(6, 5, 4)) == "060504000000"
    with pytest.raises(FieldError, match="exists"):
        Timestamp().decode("256100000000")


def test_bank_accounts() -> None:
    codec = Account()
    assert codec.decode("3300001212121212") == BankAccount("3300", "1212121212")
    assert codec.decode(" " * 16) is None
    assert codec.decode("0" * 16) is None
    assert codec.encode(BankAccount("8327", "99421234")) == "8327000099421234"
    assert BankAccount.from_string("8327-99421234") == BankAccount("8327", "99421234")
    assert BankAccount.from_string("3300001212121212") == BankAccount("3300", "1212121212")
    assert str(BankAccount("3300", "0001212")) == "3300-1212"
    with pytest.raises(ValueError, match="clearing"):
        BankAccount("83279", "1")
    with pytest.raises(ValueError, match="account number"):
        BankAccount("8327", "1234567890123")


def test_utf8_sequences_are_found_in_bytes() -> None:
    assert utf8_offset(b"PLAIN ASCII") is None
    assert utf8_offset("MÅNAD".encode("latin-1")) is None
    assert utf8_offset("månad".encode("latin-1")) is None
    assert utf8_offset("månad".encode()) == 1
    assert utf8_offset("§ 12 ½".encode("latin-1")) is None


OPENING = Opening(file_date=date(2026, 1, 15), customer_number="471117", bankgiro=BANKGIRO)


def _order(reference: str) -> DebitOrder:
    return DebitOrder(
        bankgiro=BANKGIRO,
        payer_number="101",
        amount=Decimal("1.00"),
        payment_date=date(2026, 2, 1),
        reference=reference,
    )


def test_latin1_symbols_round_trip() -> None:
    records = [OPENING, _order("§ 12 ½ ÅR ©")]
    assert read_bytes(write_bytes(records)) == records


def test_writer_refuses_text_that_reads_as_utf8() -> None:
    # "Ã¥" is what "å" looks like after a UTF-8 file was read as ISO-8859-1.
    with pytest.raises(AutogiroValidationError) as caught:
        write_bytes([OPENING, _order("BETALNING Ã¥R")])
    assert (caught.value.line, caught.value.column, caught.value.field) == (2, 64, "reference")
    assert "UTF-8" in caught.value.rule


def test_reader_refuses_a_utf8_file() -> None:
    line = rec("82", {3: "20260201", 11: "0", 16: num(101, 16), 32: num(100, 12)})
    data = file_bytes([request_opening()]) + line[:53].encode() + "årspremie".encode()
    data += b" " * (80 - 53 - len("årspremie".encode())) + b"\r\n"
    with pytest.raises(AutogiroValidationError) as caught:
        read_bytes(data)
    assert (caught.value.line, caught.value.column, caught.value.field) == (2, 54, "record")
