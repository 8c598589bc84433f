"""The own bank's accounts as trygg opens them are valid debit accounts and payment receivers:
its numbering (``banking.services``) and the account-number rules of the autogiro library agree."""

from __future__ import annotations

from autogiro.accountnumbers import parse_account


def test_every_opened_account_number_parses() -> None:
    """The own bank's numbering (banking.services) and its validation agree."""
    from stdnum import luhn

    from trygg.banking.services import CLEARING_NUMBER

    for serial in range(1000001, 1000001 + 500):
        number = f"{CLEARING_NUMBER}-{serial}{luhn.calc_check_digit(CLEARING_NUMBER + str(serial))}"
        assert parse_account(number).bank == "trygg"
