"""The own bank's accounts as trygg opens them are valid debit accounts and payment receivers:
its numbering (``banking.services``) and its clearing range, which trygg passes to the
account-number rules of the autogiro library (``banking.rules.OWN_BANKS``), agree."""

from __future__ import annotations

import pytest
from stdnum import luhn

from autogiro.accountnumbers import AccountNumberError, parse_account
from trygg.banking.rules import OWN_BANKS, account_number


def _own(serial: int) -> str:
    from trygg.banking.services import CLEARING_NUMBER

    return f"{CLEARING_NUMBER}-{serial}{luhn.calc_check_digit(CLEARING_NUMBER + str(serial))}"


def test_the_own_range_is_trygg_data() -> None:
    assert [(b.first, b.last, b.bank, b.length) for b in OWN_BANKS] == [(9020, 9020, "trygg", 8)]


def test_every_opened_account_number_parses() -> None:
    """The own bank's numbering (banking.services) and its validation agree."""
    for serial in range(1000001, 1000001 + 500):
        assert account_number(_own(serial)).bank == "trygg"


def test_the_library_alone_does_not_know_the_own_bank() -> None:
    with pytest.raises(AccountNumberError):
        parse_account(_own(1000001))


def test_a_wrong_check_digit_names_the_own_bank() -> None:
    number = _own(1000001)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(AccountNumberError) as error:
        account_number(wrong)
    assert error.value.code == "account.checksum" and "trygg" in error.value.message
