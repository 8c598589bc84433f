"""Check digits of the numbers an Autogiro file carries, as Bankgirot verifies them.

* Bankgiro numbers (7 or 8 digits) end in a modulus-10 (Luhn) check digit over
  the whole number.
* Personal identity numbers are given as ``YYYYMMDDNNNC``: a date that exists
  (a co-ordination number adds 60 to the day), and a modulus-10 check digit
  over the ten digits ``YYMMDDNNNC``. Organisation numbers are given as ``00``
  and ten digits ``NNNNNNNNNC`` with a modulus-10 check digit over the ten
  and a third digit of at least 2.

* Bank accounts (clearing and account number) follow each bank's rule in
  Bankgirot's "Bankernas kontonummeruppbyggnad" (:mod:`autogiro.accountnumbers`);
  an account under a clearing number newer than that table, which can only be
  checked partly, is accepted.

Each function returns the rule that is broken, or ``None``. Bankgirot's own
published example files use numbers that fail these checks; the reader and
writer therefore take ``check_digits=False`` to skip them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .accountnumbers import AccountNumberError, ExtraBank, parse_account
from .fields import BankAccount

__all__ = ["account_problem", "bankgiro_problem", "identity_problem", "luhn_valid"]


def luhn_valid(digits: str) -> bool:
    """True when the last digit of ``digits`` is their modulus-10 (Luhn) check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def bankgiro_problem(number: str) -> str | None:
    """What is wrong with a bankgiro number (leading zeros already removed), or None."""
    if not (number.isdigit() and number.isascii()):
        return "must be a bankgiro number of digits"
    significant = number.lstrip("0")
    if not 7 <= len(significant) <= 8:
        return "must be a bankgiro number of 7 or 8 digits"
    if not luhn_valid(significant):
        return "bankgiro number has a wrong check digit (modulus 10)"
    return None


def identity_problem(number: str) -> str | None:
    """What is wrong with a personal (``YYYYMMDDNNNC``) or organisation (``00`` + 10) number."""
    if len(number) != 12 or not (number.isdigit() and number.isascii()):
        return "must be 12 digits: YYYYMMDDNNNC, or 00 and an organisation number"
    if number.startswith("00"):
        if int(number[4]) < 2:
            return "organisation number must have a third digit of at least 2"
        if not luhn_valid(number[2:]):
            return "organisation number has a wrong check digit (modulus 10)"
        return None
    year, month, day = int(number[:4]), int(number[4:6]), int(number[6:8])
    if day > 60:  # co-ordination number
        day -= 60
    try:
        date(year, month, day)
    except ValueError:
        return "personal identity number must begin with a date that exists (YYYYMMDD)"
    if not luhn_valid(number[2:]):
        return "personal identity number has a wrong check digit (modulus 10)"
    return None


def account_problem(account: BankAccount, extra_banks: Sequence[ExtraBank] = ()) -> str | None:
    """What is wrong with a bank account by its bank's rule, or None (``extra_banks``: clearing
    ranges the table does not describe, see :class:`~autogiro.accountnumbers.ExtraBank`)."""
    try:
        parse_account(f"{account.clearing} {account.number}", extra_banks=extra_banks)
    except AccountNumberError as error:
        if error.code != "account.format":
            return f"bank account: {error.message}"
        # ``BankAccount`` keeps the number without its leading zeros, as the zero-filled field
        # does not tell them apart; a fixed-length number may begin with one (a Nordea
        # personkonto of a person born 2000-2009): read again as the field holds it.
        try:
            parse_account(f"{account.clearing} {account.number.zfill(12)}", extra_banks=extra_banks)
        except AccountNumberError:
            return f"bank account: {error.message}"
    return None
