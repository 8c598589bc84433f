"""Money and numbers as the customer reads them, in the active language: the one formatter for
every page, letter, signed text and error text.

==========  =====================  ==================================================
kind        sv / nb                en
==========  =====================  ==================================================
money       ``25 000,00 kr``       ``SEK 25,000.00`` (groups with a no-break space)
id number   ``19580509-7747``      the same (:meth:`IdNumber.display`)
bankgiro    ``5050-1055``          ``505-1055`` with seven digits
account     ``3300-8112182228``    clearing number, a dash, the account's digits
==========  =====================  ==================================================
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

from trygg.kernel import idnumbers
from trygg.kernel.money import Money

__all__ = ["account_text", "bankgiro_text", "id_number_text", "money_text"]

_FORMAT_LANGUAGES = ("sv", "nb", "en")


def _language(language: str | None) -> str:
    code = (language or get_language() or "sv").split("-")[0].lower()
    return code if code in _FORMAT_LANGUAGES else "sv"


def money_text(
    amount: Decimal | int | str | Money, *, currency: str = "SEK", language: str | None = None
) -> str:
    """``25 000,00 kr`` (sv, nb), ``SEK 25,000.00`` (en); the active language by default."""
    money = amount if isinstance(amount, Money) else Money.of(amount, currency)
    return money.format(_language(language))


def id_number_text(value: str) -> str:
    """A stored identity number as people write it (``19580509-7747``, ``556036-0793``); a
    value that is not one is shown as it is."""
    try:
        return idnumbers.parse(value).display()
    except idnumbers.IdNumberError:
        return value


def bankgiro_text(value: str) -> str:
    """A bankgiro number as it is printed: ``5050-1055``, ``505-1055``."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) not in (7, 8):
        return value
    return f"{digits[:-4]}-{digits[-4:]}"


def account_text(clearing: str, account: str) -> str:
    """A bank account as it is written: the clearing number, a dash, the account number's
    digits (``3300-8112182228``). Banks group the account number each their own way (a Nordea
    personkonto is a personnummer, Handelsbanken writes 9 digits as 3+3+3), so no grouping is
    added that the bank's own statements would not show."""
    digits = "".join(c for c in account if c.isdigit())
    return f"{clearing}-{digits}" if clearing else digits
