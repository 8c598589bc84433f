"""Swedish bank account numbers by Bankgirot's rules (pure; no database).

The valid numbers are built here with check digits computed by this file's own helpers, written
apart from the module's checks (they compute a check digit; the module verifies one).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autogiro.accountnumbers import (
    RULES,
    RULES_VERSION,
    AccountNumber,
    AccountNumberError,
    ExtraBank,
    parse_account,
)

# --- independent check-digit helpers -------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The digit that makes body + digit pass the Luhn test."""
    total = 0
    double = True  # the rightmost digit of body is doubled once the check digit is appended
    for char in body[::-1]:
        product = int(char) * (2 if double else 1)
        total += product // 10 + product % 10
        double = not double
    return str((10 - total % 10) % 10)


def mod11_digit(body: str) -> str | None:
    """The digit d making body + d divisible by 11 with weights 1,2..10,1.. from the right."""
    weights = [((i + 1) % 10) + 1 for i in range(len(body))]  # the check digit has weight 1
    total = sum(int(c) * w for c, w in zip(body[::-1], weights, strict=True))
    digit = (11 - total % 11) % 11
    return None if digit == 10 else str(digit)


def type1(clearing: str, body6: str, comment: int) -> str:
    """A 7-digit type 1 account for the clearing number, or '' when no check digit exists."""
    prefix = clearing[1:] if comment == 1 else clearing
    digit = mod11_digit(prefix + body6)
    return "" if digit is None else body6 + digit


def handelsbanken(body8: str) -> str:
    digit = mod11_digit(body8)
    return "" if digit is None else body8 + digit


def mod10_account(body9: str) -> str:
    return body9 + luhn_digit(body9)


def swedbank_clearing(four: str) -> str:
    return four + luhn_digit(four)


# --- the table -------------------------------------------------------------------------------


def test_version_and_table_are_sane() -> None:
    assert RULES_VERSION == "2023-11-07"
    ranges = sorted((r.first, r.last) for r in RULES)
    for (a_first, a_last), (b_first, _) in itertools.pairwise(ranges):
        assert a_first <= a_last < b_first  # no overlaps
    for rule in RULES:
        assert 1000 <= rule.first <= rule.last <= 9999
        assert (rule.account_type, rule.comment) in {(1, 1), (1, 2), (2, 1), (2, 2), (2, 3)}


# --- hand-made examples per rule ----------------------------------------------------------

EXAMPLES = [
    # (clearing, account body, bank, kind)
    ("5000", "123456", "SEB", "t1c1"),
    ("1200", "765432", "Danske Bank", "t1c1"),
    ("7000", "112233", "Swedbank", "t1c1"),
    ("3410", "000111", "Nordea", "t1c1"),
    ("9270", "555555", "ICA Banken", "t1c1"),
    ("4000", "123456", "Nordea", "t1c2"),
    ("9550", "246800", "Avanza Bank", "t1c2"),
    ("2310", "101011", "Ålandsbanken", "t1c2"),
    ("6000", "12345678", "Handelsbanken", "t2c2"),
    ("6789", "00001234", "Handelsbanken", "t2c2"),
    ("8327", "123456789", "Swedbank", "t2c3"),
    ("9960", "001234567", "Nordea/Plusgirot", "t2c3"),
    ("9180", "123456789", "Danske Bank", "t2c1"),
    ("9300", "987654321", "Swedbank", "t2c1"),
    ("9570", "000012345", "Sparbanken Syd", "t2c1"),
]


def build(clearing: str, body: str, kind: str) -> str:
    if kind == "t1c1":
        return type1(clearing, body, 1)
    if kind == "t1c2":
        return type1(clearing, body, 2)
    if kind == "t2c2":
        return handelsbanken(body)
    return mod10_account(body)


@pytest.mark.parametrize(("clearing", "body", "bank", "kind"), EXAMPLES)
def test_valid_examples_parse(clearing: str, body: str, bank: str, kind: str) -> None:
    account = build(clearing, body, kind)
    assert account, "pick a body with a check digit"
    parsed = parse_account(f"{clearing}-{account}")
    assert parsed == AccountNumber(clearing=clearing, account=account, bank=bank, certain=True)
    assert parse_account(f"{clearing} {account}") == parsed
    assert parse_account(f"{clearing}, {account}") == parsed


@pytest.mark.parametrize(("clearing", "body", "bank", "kind"), EXAMPLES)
def test_wrong_check_digit_refused(clearing: str, body: str, bank: str, kind: str) -> None:
    account = build(clearing, body, kind)
    wrong = account[:-1] + str((int(account[-1]) + 1) % 10)
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"{clearing} {wrong}")
    assert info.value.code == "account.checksum"


def test_type1_comment_matters() -> None:
    # A number valid under comment 2 for an SEB (comment 1) clearing number is refused
    # unless it happens to pass both; pick one that passes only comment 2.
    for n in range(100):
        body = f"{n:06d}"
        c2 = type1("5000", body, 2)
        if c2 and c2 != type1("5000", body, 1):
            with pytest.raises(AccountNumberError):
                parse_account(f"5000 {c2}")
            return
    pytest.fail("no example found")


def test_handelsbanken_short_account_is_padded() -> None:
    account = handelsbanken("00001234")
    parsed = parse_account(f"6000 {account.lstrip('0')}")
    assert parsed.account == account
    assert len(parsed.account) == 9


# --- Swedbank five-digit clearing numbers ---------------------------------------------------


def test_swedbank_five_digit_clearing() -> None:
    assert swedbank_clearing("8327") == "83279"
    account = mod10_account("123456789")
    for text in (
        f"8327-9, {account[:3]} {account[3:6]} {account[6:9]}-{account[9]}",
        f"83279 {account}",
        f"83279{account}",
        f"8327 {account}",
        f"8327{account}",
    ):
        parsed = parse_account(text)
        assert parsed.clearing == "8327", text
        assert parsed.account == account, text
        assert parsed.bank == "Swedbank"


def test_swedbank_short_account_with_five_digit_clearing() -> None:
    account = mod10_account("1234567")  # 8 digits
    parsed = parse_account(f"8327-9, {account}")
    assert parsed.account == account.zfill(10)
    assert parsed.certain


def test_swedbank_wrong_clearing_check_digit() -> None:
    account = mod10_account("123456789")
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"8327-4, {account}")
    assert info.value.code == "account.clearing_checksum"


def test_fifth_clearing_digit_only_for_swedbank_8xxx() -> None:
    account = type1("5000", "123456", 1)
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"50001 {account}")
    assert info.value.code == "account.format"


# --- Nordea personkonto ---------------------------------------------------------------------


@pytest.mark.parametrize("clearing", ["3300", "3782"])
def test_nordea_personkonto(clearing: str) -> None:
    pnr = mod10_account("811218987")  # 811218-9876, a commonly used test personnummer
    assert pnr == "8112189876"
    parsed = parse_account(f"{clearing} {pnr}")
    assert parsed == AccountNumber(clearing, pnr, "Nordea personkonto", True)
    assert parse_account(f"{clearing} 19{pnr[:6]}-{pnr[6:]}") == parsed


def test_nordea_personkonto_refuses_bad_number() -> None:
    with pytest.raises(AccountNumberError) as info:
        parse_account("3300 8112189875")
    assert info.value.code == "account.checksum"
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"3300 {mod10_account('811318987')}")  # month 13
    assert info.value.code == "account.format"
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"3300 {mod10_account('1218987')}")  # too short
    assert info.value.code == "account.format"


def test_nordea_other_clearing_near_personkonto_is_type1() -> None:
    account = type1("3301", "123456", 1)
    assert parse_account(f"3301 {account}").bank == "Nordea"


# --- unknown clearing numbers ---------------------------------------------------------------


def test_unknown_clearing_type1_shaped_is_uncertain() -> None:
    account = type1("9990", "123456", 2)
    parsed = parse_account(f"9990 {account}")
    assert parsed == AccountNumber("9990", account, "", False)


def test_unknown_clearing_otherwise_refused() -> None:
    good1, good2 = type1("9990", "123456", 1), type1("9990", "123456", 2)
    bad = [f"9990 123456{d}" for d in "0123456789" if f"123456{d}" not in (good1, good2)]
    assert len(bad) >= 8
    for text in [*bad, "9990 123456789", "2200 1234567890"]:
        with pytest.raises(AccountNumberError) as info:
            parse_account(text)
        assert info.value.code == "account.clearing_unknown", text


# --- malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "5000 12345a7",
        "5000/1234567",
        "12345",
        "0123 1234567",
        "500 1234567",
        "5000,",
        "5000, 123, 456",
        "5000 123456",  # type 1 needs 7 digits
        "5000 12345678",  # and not 8
        "6000 1234567890",  # Handelsbanken at most 9
    ],
)
def test_malformed_refused(text: str) -> None:
    with pytest.raises(AccountNumberError) as info:
        parse_account(text)
    assert info.value.code == "account.format"
    assert isinstance(info.value, ValueError)
    assert info.value.message


def test_leading_zeros_of_payment_files_removed() -> None:
    account = type1("5000", "123456", 1)
    assert parse_account(f"5000 00000{account}").account == account


# --- properties -----------------------------------------------------------------------------

RULE_OF_KIND = {
    (1, 1): "t1c1",
    (1, 2): "t1c2",
    (2, 2): "t2c2",
    (2, 3): "t2c3",
}


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(clearing, account, bank) for any rule of the table, personkonto excluded."""
    rule = draw(st.sampled_from([r for r in RULES if r.bank != "Nordea personkonto"]))
    clearing = str(draw(st.integers(rule.first, rule.last)))
    key = (rule.account_type, rule.comment)
    if key in {(1, 1), (1, 2)}:
        body = draw(st.text("0123456789", min_size=6, max_size=6))
        account = type1(clearing, body, rule.comment)
    elif key == (2, 2):
        account = handelsbanken(draw(st.text("0123456789", min_size=8, max_size=8)))
    else:
        account = mod10_account(draw(st.text("0123456789", min_size=9, max_size=9)))
    assume(account and set(account) != {"0"} and len(account.lstrip("0")) >= 2)
    return clearing, account, rule.bank


@given(valid_numbers())
def test_property_valid_numbers_parse(number: tuple[str, str, str]) -> None:
    clearing, account, bank = number
    parsed = parse_account(f"{clearing} {account}")
    assert (parsed.clearing, parsed.account, parsed.bank, parsed.certain) == (
        clearing,
        account,
        bank,
        True,
    )
    if clearing.startswith("8"):
        again = parse_account(f"{swedbank_clearing(clearing)}, {account}")
        assert again == parsed


@given(valid_numbers(), st.data())
def test_property_one_changed_digit_refused(
    number: tuple[str, str, str], data: st.DataObject
) -> None:
    clearing, account, _ = number
    index = data.draw(st.integers(0, len(account) - 1))
    delta = data.draw(st.integers(1, 9))
    digit = (int(account[index]) + delta) % 10
    changed = account[:index] + str(digit) + account[index + 1 :]
    # Both checks catch every single-digit change: the mod-11 weights (1..10) are prime to 11,
    # and Luhn maps each digit, doubled or not, to a distinct value mod 10.
    with pytest.raises(AccountNumberError) as info:
        parse_account(f"{clearing} {changed}")
    assert info.value.code in {"account.checksum", "account.format"}


@given(st.integers(0, 99), st.integers(1, 12), st.integers(0, 99), st.integers(0, 999))
def test_property_personkonto(year: int, month: int, day: int, serial: int) -> None:
    pnr = mod10_account(f"{year:02d}{month:02d}{day:02d}{serial:03d}")
    if 1 <= day <= 31 or 61 <= day <= 91:
        assert parse_account(f"3300 {pnr}").account == pnr
    else:
        with pytest.raises(AccountNumberError):
            parse_account(f"3300 {pnr}")


@given(st.text(st.characters(codec="utf-8"), max_size=30))
def test_property_never_crashes(text: str) -> None:
    code = "account.ok"
    try:
        parse_account(text)
    except AccountNumberError as error:
        code = error.code
    assert code.startswith("account.")


# --- banks the caller adds (e.g. its own bank) --------------------------------------------

OWN = (ExtraBank(9020, 9020, "Own Bank", 8),)


def own_account(serial: str) -> str:
    """An account as an own bank could open it: 9020, the serial and a Luhn digit over both."""
    return serial + luhn_digit("9020" + serial)


def test_the_library_knows_no_extra_bank_of_its_own() -> None:
    import autogiro.accountnumbers as module

    assert not [name for name in vars(module) if name.upper().startswith("OWN")]
    assert "trygg" not in Path(module.__file__).read_text(encoding="utf-8")
    account = own_account("1000001")
    with pytest.raises(AccountNumberError) as error:
        parse_account(f"9020-{account}")
    assert error.value.code == "account.format"  # Länsförsäkringar's 7 digits


@pytest.mark.parametrize("serial", ["1000001", "1000002", "1234567", "9999999"])
def test_extra_bank_account_is_valid(serial: str) -> None:
    account = own_account(serial)
    parsed = parse_account(f"9020-{account}", extra_banks=OWN)
    assert parsed == AccountNumber("9020", account, "Own Bank", certain=True)
    assert parse_account(f"9020 {account}", extra_banks=OWN) == parsed
    assert parse_account(f"9020{account}", extra_banks=OWN) == parsed


def test_extra_bank_wrong_check_digit_names_the_bank() -> None:
    account = own_account("1000001")
    wrong = account[:-1] + str((int(account[-1]) + 1) % 10)
    with pytest.raises(AccountNumberError) as error:
        parse_account(f"9020-{wrong}", extra_banks=OWN)
    assert error.value.code == "account.checksum"
    assert "Own Bank" in error.value.message


def test_seven_digit_accounts_on_an_extra_clearing_stay_with_the_table() -> None:
    body = type1("9020", "123456", 2) or type1("9020", "123457", 2)
    assert parse_account(f"9020-{body}", extra_banks=OWN).bank == "Länsförsäkringar Bank"
    # The 16-digit form of payment files (zero-padded) is not an extra bank's number either.
    assert parse_account(f"9020{body.zfill(12)}", extra_banks=OWN).bank == "Länsförsäkringar Bank"


def test_reader_and_writer_take_the_extra_banks() -> None:
    from datetime import date

    from autogiro import AutogiroValidationError, BankAccount, RequestFile, read_bytes

    account = BankAccount("9020", own_account("1000001"))
    file = RequestFile(
        customer_number="471117", bankgiro="9912346", file_date=date(2026, 1, 20), extra_banks=OWN
    )
    file.create_mandate("101", account=account, identity="198112289874")
    data = file.to_bytes()
    assert read_bytes(data, extra_banks=OWN)[1].account == account  # type: ignore[attr-defined]
    with pytest.raises(AutogiroValidationError) as error:
        read_bytes(data)
    assert error.value.field == "account" and error.value.line == 2
    with pytest.raises(AutogiroValidationError):
        RequestFile(
            customer_number="471117", bankgiro="9912346", file_date=date(2026, 1, 20)
        ).create_mandate("101", account=account, identity="198112289874")


def test_a_nordea_personkonto_born_in_the_2000s_passes_as_its_file_field_holds_it() -> None:
    # The personkonto is the 10-digit personal identity number: born 2005, it begins with a
    # zero, which ``BankAccount`` (as the 16-position field) does not keep.
    from autogiro.checkdigits import account_problem
    from autogiro.fields import Account, BankAccount

    account = BankAccount("3300", "0501011233")
    assert account.number == "501011233"
    assert account_problem(account) is None
    assert Account().encode(account) == "3300000501011233"
    assert account_problem(BankAccount("3300", "0501011234")) is not None  # its check digit
