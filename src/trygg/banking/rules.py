"""Pure rules of banking: payment destinations (bankgiro, plusgiro, bank account) and amounts.

Bankgiro and plusgiro numbers carry a Luhn check digit. A Swedish bank account is checked by
Bankgirot's per-bank rules (``autogiro.accountnumbers``); a number that can only be checked partly
(a clearing number newer than the table) is accepted with ``certain=False`` so that the caller
warns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from stdnum import luhn

from autogiro.accountnumbers import AccountNumber, AccountNumberError, ExtraBank, parse_account
from trygg.kernel.bankdays import BankCalendar
from trygg.kernel.money import MoneyError, parse_amount_text, round_amount

MAX_PAYMENT: Final = Decimal("10000000.00")

# The own bank's clearing range, as data: its accounts (opened by ``banking.services``) have
# clearing number 9020 and eight digits, the last a Luhn check digit over the clearing number and
# the account. 9020 lies in Länsförsäkringar Bank's range, whose accounts have seven digits, so
# Bankgirot's table in the autogiro library does not describe them: every reading and writing of
# an account number in trygg (destinations, mandates, Autogiro files) passes this range in.
OWN_BANKS: Final[tuple[ExtraBank, ...]] = (ExtraBank(9020, 9020, "trygg", 8),)


def account_number(text: str) -> AccountNumber:
    """A Swedish bank account number checked by its bank's rule, the own bank's included."""
    return parse_account(text, extra_banks=OWN_BANKS)


class DestinationKind(enum.StrEnum):
    BANKGIRO = "bankgiro"
    PLUSGIRO = "plusgiro"
    ACCOUNT = "account"


class RuleError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Destination:
    kind: DestinationKind
    number: str  # digits only; for an account "clearing:account"
    certain: bool = True  # False: an account number that could only be checked partly

    def display(self) -> str:
        if self.kind is DestinationKind.BANKGIRO:
            n = self.number
            return f"{n[:-4]}-{n[-4:]}"
        if self.kind is DestinationKind.PLUSGIRO:
            n = self.number
            return f"{n[:-1]}-{n[-1]}"
        clearing, account = self.number.split(":")
        return f"{clearing}-{account}"

    def canonical(self) -> str:
        """One text per destination, as signed and hashed."""
        return f"{self.kind.value}:{self.number}"


_DIGITS = re.compile(r"[\s-]")


def parse_destination(kind: str, text: str) -> Destination:
    if not isinstance(text, str):
        raise RuleError("destination.format", "The number must be text.")
    raw = _DIGITS.sub("", text)
    if kind == DestinationKind.BANKGIRO:
        if not (raw.isascii() and raw.isdigit()) or not 7 <= len(raw) <= 8:
            raise RuleError("bankgiro.format", "A bankgiro number has 7 or 8 digits.")
        if not luhn.is_valid(raw):
            raise RuleError("bankgiro.checksum", "The bankgiro number's check digit is wrong.")
        return Destination(DestinationKind.BANKGIRO, raw)
    if kind == DestinationKind.PLUSGIRO:
        if not (raw.isascii() and raw.isdigit()) or not 2 <= len(raw) <= 8:
            raise RuleError("plusgiro.format", "A plusgiro number has 2 to 8 digits.")
        if not luhn.is_valid(raw):
            raise RuleError("plusgiro.checksum", "The plusgiro number's check digit is wrong.")
        return Destination(DestinationKind.PLUSGIRO, raw)
    if kind == DestinationKind.ACCOUNT:
        try:
            account = account_number(text)
        except AccountNumberError as error:
            raise RuleError(error.code, error.message) from error
        return Destination(
            DestinationKind.ACCOUNT,
            f"{account.clearing}:{account.account}",
            certain=account.certain,
        )
    raise RuleError("destination.kind", "Choose bankgiro, plusgiro or bank account.")


def parse_amount(value: object, *, maximum: Decimal = MAX_PAYMENT) -> Decimal:
    """A positive amount in kronor with at most two decimals."""
    try:
        amount = parse_amount_text(value)
    except MoneyError as exc:
        raise RuleError(exc.code, exc.message) from exc
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RuleError("amount.format", "An amount has at most two decimals.")
    if amount <= 0:
        raise RuleError("amount.positive", "The amount must be more than zero.")
    if amount > maximum:
        raise RuleError("amount.maximum", f"At most {maximum} kr per payment.")
    return round_amount(amount)  # exact: at most two decimals were given


# -- payments: execution date, reference, state --------------------------------------------

# How far ahead a payment may be dated: thirteen months, counted in calendar months (a yearly
# bill paid a little early still fits).
MAX_MONTHS_AHEAD: Final = 13


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def latest_execution_date(today: dt.date) -> dt.date:
    return _months_later(today, MAX_MONTHS_AHEAD)


def check_execution_date(day: dt.date, *, today: dt.date, bank_days: BankCalendar) -> dt.date:
    """A payment is carried out today, or on a later bank day at most 13 months ahead."""
    if day < today:
        raise RuleError("payment_date.past", "The payment date has passed.")
    if day == today:
        return day
    if day > latest_execution_date(today):
        raise RuleError("payment_date.too_far", "A payment can be dated at most 13 months ahead.")
    if not bank_days.is_bank_day(day):
        raise RuleError("payment_date.not_bank_day", "The payment date must be a bank day.")
    return day


_OCR_DIGITS = re.compile(r"\d{2,25}")


def parse_ocr(text: str) -> str:
    """An OCR reference: 2 to 25 digits, the last a check digit by the Luhn rule (mod 10)."""
    raw = _DIGITS.sub("", text)
    if not (raw.isascii() and _OCR_DIGITS.fullmatch(raw)):
        raise RuleError("ocr.format", "An OCR number has 2 to 25 digits.")
    if not luhn.is_valid(raw):
        raise RuleError("ocr.checksum", "The OCR number's check digit is wrong.")
    return raw


def check_reference(ocr: str, message: str) -> None:
    """An OCR number or a message, not both (Bankgirot carries one or the other)."""
    if ocr and message:
        raise RuleError("payment.ocr_and_message", "Give an OCR number or a message, not both.")


class PaymentState(enum.StrEnum):
    SCHEDULED = "scheduled"  # dated ahead: booked on its date
    BOOKED = "booked"  # out of the account, in the ledger
    FAILED = "failed"  # not booked on its date (no cover)
    CANCELLED = "cancelled"  # cancelled by the customer before its date


PAYMENT_TRANSITIONS: Final[Mapping[PaymentState, frozenset[PaymentState]]] = {
    PaymentState.SCHEDULED: frozenset(
        {PaymentState.BOOKED, PaymentState.FAILED, PaymentState.CANCELLED}
    ),
    PaymentState.BOOKED: frozenset(),
    PaymentState.FAILED: frozenset(),
    PaymentState.CANCELLED: frozenset(),
}


# -- trading: the cover check ---------------------------------------------------------------

# The bank charges no commission on a stock order (decision 0094): what a buy must find in the
# account is the order's amount at its limit price.
TRADE_FEE: Final = Decimal("0.00")


def buy_cover(*, quantity: int, limit: Decimal) -> Decimal:
    """What a buy reserves: quantity at the limit price, plus the fee."""
    return round_amount(limit * quantity) + TRADE_FEE


def check_buy_cover(*, available: Decimal, quantity: int, limit: Decimal) -> None:
    if available < buy_cover(quantity=quantity, limit=limit):
        raise RuleError(
            "trade.no_cover", "The account's available balance does not cover the order."
        )


def check_sell_cover(*, held: Decimal, open_sells: int, quantity: int) -> None:
    """A sell may not exceed the units held less those already in open sell orders."""
    if held - open_sells < quantity:
        raise RuleError(
            "trade.no_holding", "You do not hold that many units (open sell orders counted)."
        )
