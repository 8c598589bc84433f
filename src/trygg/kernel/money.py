"""Money: an amount in a currency, as Decimal, with one rounding rule.

Every amount is held in the currency's minor unit precision (two decimals for SEK, NOK, EUR).
Rounding is ROUND_HALF_UP ("avrundning" as Swedish insurers and banks present amounts) and is
written in exactly one place, :func:`round_amount` (used by :meth:`Money.rounded` and by every
service that rounds a Decimal amount); arithmetic keeps full precision until then. Never
``Decimal.quantize`` an amount elsewhere: without a rounding argument it rounds half-even.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

CURRENCIES: Final[dict[str, int]] = {"SEK": 2, "NOK": 2, "EUR": 2, "DKK": 2}
ROUNDING: Final = ROUND_HALF_UP


class MoneyError(ValueError):
    """A money value or operation that breaks a rule; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def round_amount(amount: Decimal, currency: str = "SEK") -> Decimal:
    """``amount`` rounded to the currency's minor unit (öre, øre, cent), half up: the one
    rounding rule. ``round_amount(Decimal("0.125"))`` is ``Decimal("0.13")``."""
    if currency not in CURRENCIES:
        raise MoneyError("money.currency", f"Unknown currency {currency!r}.")
    return amount.quantize(Decimal(1).scaleb(-CURRENCIES[currency]), rounding=ROUNDING)


def at_scale(amount: Decimal, places: int) -> Decimal:
    """``amount`` written with ``places`` decimals (a database column's scale), half up where
    it has more: the same rule as :func:`round_amount`."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def _to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):  # pragma: no cover - guarded by the type checker too
        raise MoneyError("money.float", "Amounts are never floats; give a Decimal, int or str.")
    if isinstance(value, bool):
        raise MoneyError("money.type", "An amount must be a number.")
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise MoneyError("money.format", f"{value!r} is not an amount.") from exc
    if not result.is_finite():
        raise MoneyError("money.format", f"{value!r} is not a finite amount.")
    return result


# An amount as people type it: ASCII digits, groups of thousands split by spaces, a decimal comma
# or point. Python's Decimal() would also take "1_000", "1e3", "Infinity" and digits of other
# scripts ("١٠٠"): none of those is an amount a customer meant.
_AMOUNT_TEXT: Final = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_GROUP_SPACES: Final = re.compile(r"(?<=[0-9])[ \u00a0\u202f](?=[0-9]{3}(?![0-9]))")


def parse_amount_text(value: object) -> Decimal:
    """An amount typed or sent as text (or an int or a Decimal): ``1500``, ``1 500,50``,
    ``99.5``, ``-20``. Refused with ``amount.format``: floats, booleans, exponents, underscores,
    digits other than 0-9, more than one sign or separator. The sign and the number of decimals
    are the caller's rules."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise MoneyError("amount.format", "Give the amount as a number, e.g. 1500 or 99,50.")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError("amount.format", "Give the amount as a number, e.g. 1500 or 99,50.")
        return value
    text = _GROUP_SPACES.sub("", str(value).strip())
    if not _AMOUNT_TEXT.fullmatch(text):
        raise MoneyError("amount.format", "Give the amount as a number, e.g. 1500 or 99,50.")
    return Decimal(text.replace(",", "."))


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "SEK"

    def __post_init__(self) -> None:
        if self.currency not in CURRENCIES:
            raise MoneyError("money.currency", f"Unknown currency {self.currency!r}.")
        object.__setattr__(self, "amount", _to_decimal(self.amount))

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str = "SEK") -> Money:
        return cls(_to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str = "SEK") -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor_units: int, currency: str = "SEK") -> Money:
        exponent = CURRENCIES[currency]
        return cls(Decimal(minor_units).scaleb(-exponent), currency)

    @property
    def exponent(self) -> int:
        return CURRENCIES[self.currency]

    def rounded(self) -> Money:
        """The amount rounded to the currency's minor unit, half up: the one rounding rule."""
        return Money(round_amount(self.amount, self.currency), self.currency)

    def to_minor(self) -> int:
        """Whole minor units (öre, øre, cent) after rounding."""
        return int(self.rounded().amount.scaleb(self.exponent))

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise MoneyError("money.type", "Money can only be combined with money.")
        if other.currency != self.currency:
            raise MoneyError(
                "money.currency_mismatch",
                f"Cannot combine {self.currency} with {other.currency}.",
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, (float, Money, bool)):
            raise MoneyError("money.type", "Money is multiplied by a Decimal or an int only.")
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def allocate(self, ratios: list[int]) -> list[Money]:
        """Split into parts proportional to ``ratios`` that add up exactly to the rounded whole.

        Remainders of minor units go to the first parts, so nothing is lost or created.
        """
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise MoneyError("money.allocation", "Ratios must be non-negative and not all zero.")
        total = self.to_minor()
        total_ratio = sum(ratios)
        parts = [total * r // total_ratio for r in ratios]
        remainder = total - sum(parts)
        step = 1 if remainder >= 0 else -1
        index = 0
        while remainder != 0:
            if ratios[index % len(ratios)] > 0:
                parts[index % len(ratios)] += step
                remainder -= step
            index += 1
        return [Money.from_minor(p, self.currency) for p in parts]

    def format(self, locale: str = "sv") -> str:
        """Human form: ``12 345,50 kr`` (sv, nb), ``SEK 12,345.50`` (en); groups of three digits
        with a no-break space."""
        value = self.rounded().amount
        sign = "-" if value < 0 else ""
        whole, _, fraction = f"{abs(value):.{self.exponent}f}".partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        symbol = {"SEK": "kr", "NOK": "kr", "DKK": "kr", "EUR": "€"}[self.currency]
        if locale == "en":
            return f"{sign}{self.currency} {','.join(groups)}.{fraction}"
        number = "\u00a0".join(groups) + "," + fraction
        return f"{sign}{number}\u00a0{symbol}"

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"
