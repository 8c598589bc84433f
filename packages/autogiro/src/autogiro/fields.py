"""Field codecs for Bankgirot's fixed-width Autogiro records.

A record is 80 characters. Every field has a 1-based start position, a
length and a codec that turns the characters into a Python value and back:

* numeric fields are right-aligned and zero-filled (``0000000000000101``);
* alphanumeric fields are left-aligned and space-filled;
* dates are ``YYYYMMDD`` (``YYMMDD`` in one field of the mandate notice);
* amounts are öre, zero-filled, and become :class:`~decimal.Decimal` kronor;
* a payment date may be ``GENAST`` ("as soon as possible").

Decoders raise :class:`FieldError` with the broken rule; the reader adds the
line, column and field name.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from operator import methodcaller
from types import MappingProxyType
from typing import Any, Final, Literal

__all__ = [
    "GENAST",
    "Account",
    "Amount",
    "BankAccount",
    "Code",
    "Codec",
    "Date6",
    "Date8",
    "Field",
    "FieldError",
    "Filler",
    "Fixed",
    "Integer",
    "Numeric",
    "OldStatus",
    "PaymentDate",
    "PaymentDateCodec",
    "Text",
    "Timestamp",
    "is_iso_8859_1_text",
    "kronor_to_ore",
    "ore_to_kronor",
    "utf8_offset",
]

GENAST: Final = "GENAST"
"""Payment date meaning "as soon as possible" (Swedish: genast)."""

PaymentDate = date | Literal["GENAST"]
"""A payment date in a payment order: a calendar date or :data:`GENAST`."""

_NOT_TEXT = re.compile("[^\x20-\x7e\xa0-\xff]")
_TEXT_CHAR: Final = "[\x20-\x7e\xa0-\xff]"
_DIGIT: Final = "[0-9]"

# Regular expressions (as source text) for the day of a year YYYY: MMDD of every
# month but February 29, which only leap years have (divisible by 4, and by 400
# when divisible by 100). Year 0000 does not exist (``datetime.date`` starts at 1).
_MONTH_DAY: Final = (
    "(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)"
    "|02(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_TAIL: Final = "(?:0[48]|[2468][048]|[13579][26])"
_DATE8_PATTERN: Final = (
    f"(?:(?!0000){_DIGIT}{{4}}{_MONTH_DAY}|{_DIGIT}{{2}}{_LEAP_TAIL}0229|{_LEAP_TAIL}000229)"
)
_HUNDRED = Decimal(100)


class FieldError(ValueError):
    """A field value that breaks its rule (without line or column yet)."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def is_iso_8859_1_text(value: str) -> bool:
    """True if every character is a printable ISO-8859-1 character."""
    return _NOT_TEXT.search(value) is None


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def utf8_offset(data: bytes) -> int | None:
    """Offset of the first byte sequence that reads as multi-byte UTF-8.

    In an ISO-8859-1 file such a sequence (``Ã¥`` for ``å``) almost always
    means the text was saved as UTF-8. Reader and writer both refuse it.
    """
    if data.isascii():
        return None
    match = _UTF8_SEQUENCE.search(data)
    return None if match is None else match.start()


def _is_digits(text: str) -> bool:
    return text.isdigit() and text.isascii()


def ore_to_kronor(ore: int) -> Decimal:
    """Öre as an integer to kronor as a Decimal with two decimals."""
    return Decimal(ore).scaleb(-2)


def kronor_to_ore(kronor: Decimal | int) -> int:
    """Kronor (Decimal or int, at most two decimals) to öre as an integer."""
    if isinstance(kronor, bool) or not isinstance(kronor, Decimal | int):
        raise FieldError("must be a Decimal amount in kronor")
    value = Decimal(kronor)
    if not value.is_finite():
        raise FieldError("must be a finite amount")
    ore = value * _HUNDRED
    if ore != ore.to_integral_value():
        raise FieldError("must have at most two decimals")
    return int(ore)


@lru_cache(maxsize=4096)
def _date8(text: str) -> date:
    if len(text) != 8 or not _is_digits(text):
        raise FieldError("must be a date YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise FieldError("must be a date that exists (YYYYMMDD)") from None


@lru_cache(maxsize=1024)
def _amount(text: str) -> Decimal:
    # Amounts repeat (premiums), so a small cache saves work and memory.
    if text.isdigit() and text.isascii():
        return Decimal(text).scaleb(-2)
    raise FieldError("must be numeric (amount in öre)")


def _digits(text: str) -> str:
    """A required numeric field without its leading zeros (the fast decoder)."""
    if text.isdigit() and text.isascii():
        return text.lstrip("0") or "0"
    raise FieldError("must be numeric")


def _full_digits(text: str) -> str:
    """A required numeric field with its leading zeros (the fast decoder)."""
    if text.isdigit() and text.isascii():
        return text
    raise FieldError("must be numeric")


@lru_cache(maxsize=4096)
def _payment_date8(text: str) -> PaymentDate:
    if text == "GENAST  ":
        return GENAST
    return _date8(text)


@dataclass(frozen=True, slots=True)
class BankAccount:
    """A Swedish bank account: 4-digit clearing number and account number.

    In the 16-position account field the clearing number fills positions 1-4
    and the account number is right-aligned and zero-filled in 5-16. The
    fifth digit of Swedbank's 8xxx-x clearing numbers is not part of it.
    """

    clearing: str
    number: str

    def __post_init__(self) -> None:
        if not (len(self.clearing) == 4 and _is_digits(self.clearing)):
            raise ValueError(f"clearing number must be 4 digits (got {self.clearing!r})")
        if not (1 <= len(self.number) <= 12 and _is_digits(self.number)):
            raise ValueError(f"account number must be 1-12 digits (got {self.number!r})")
        object.__setattr__(self, "number", self.number.lstrip("0") or "0")

    @classmethod
    def from_string(cls, text: str) -> BankAccount:
        """Parse ``"3300-1212121212"`` or the 16 digits of the file field."""
        cleaned = text.replace(" ", "")
        if "-" in cleaned:
            clearing, _, number = cleaned.partition("-")
            return cls(clearing, number.replace("-", ""))
        return cls(cleaned[:4], cleaned[4:])

    def __str__(self) -> str:
        return f"{self.clearing}-{self.number}"


def _one_of(texts: Iterable[str], *patterns: str) -> str:
    """A pattern matching any of ``texts`` literally, or any of ``patterns``."""
    choices = [re.escape(text) for text in sorted(texts)] + list(patterns)
    return "(?:" + "|".join(choices) + ")" if choices else "(?!)"


def _optional(pattern: str, blank: str | None) -> str:
    return pattern if blank is None else _one_of([blank], pattern)


class Codec(ABC):
    """Turns the characters of one field into a value and back.

    ``fast`` is a quicker decoder (often C-level: a cached function or a
    dictionary lookup) for the reader's fast path. It accepts exactly what
    :meth:`decode` accepts but may raise any exception on bad input; the
    reader then calls :meth:`decode` for the precise error.
    """

    kind: str = "A"
    """``N`` numeric, ``A`` alphanumeric, ``D`` date, as in Bankgirot's tables."""

    pattern: str | None = None
    """A regular expression (source text) that matches, of the texts of
    printable ISO-8859-1 characters (the reader refuses any other character
    before a field is read), exactly those :meth:`decode` accepts; None when a
    codec cannot say. The reader checks runs of well-formed records with it
    (see :func:`autogiro.lines.run_pattern`)."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.fast: Callable[[str], Any] = self.decode

    @abstractmethod
    def decode(self, text: str) -> Any:
        """The field's value from its characters; AutogiroError-worthy input raises."""

    @abstractmethod
    def encode(self, value: Any) -> str:
        """The field's characters, exactly ``length`` of them."""

    def describe(self) -> str:
        """Short description of the format, for documentation."""
        return f"{self.kind}{self.length}"


class Numeric(Codec):
    """Digits, right-aligned and zero-filled; the value is a digit string.

    By default the value has no leading zeros (``"101"`` for
    ``0000000000000101``). With ``keep_zeros`` it is the full-width string
    (personal numbers, postcodes). ``optional`` fields are ``None`` when
    blank, and also when all zeros if ``zeros_are_empty``.
    """

    kind = "N"

    def __init__(
        self,
        length: int,
        *,
        optional: bool = False,
        zeros_are_empty: bool = False,
        keep_zeros: bool = False,
    ) -> None:
        super().__init__(length)
        self.optional = optional
        self.zeros_are_empty = optional and zeros_are_empty
        self.keep_zeros = keep_zeros
        self._blank = " " * length
        self._zeros = "0" * length
        if not optional:
            self.fast = _full_digits if keep_zeros else _digits
        self.pattern = _optional(f"{_DIGIT}{{{length}}}", self._blank if optional else None)

    def decode(self, text: str) -> str | None:
        if text.isdigit() and text.isascii():
            if self.zeros_are_empty and text == self._zeros:
                return None
            if self.keep_zeros:
                return text
            return text.lstrip("0") or "0"
        if self.optional and text == self._blank:
            return None
        raise FieldError("must be numeric")

    def encode(self, value: Any) -> str:
        if value is None:
            if self.optional:
                return self._blank
            raise FieldError("is required")
        if not isinstance(value, str) or not _is_digits(value):
            raise FieldError("must be a string of digits")
        if self.keep_zeros:
            if len(value) != self.length:
                raise FieldError(f"must be exactly {self.length} digits")
            return value
        if len(value) > self.length:
            raise FieldError(f"must be at most {self.length} digits")
        return value.zfill(self.length)

    def describe(self) -> str:
        text = f"N{self.length}"
        if self.keep_zeros:
            text += " (leading zeros kept)"
        if self.zeros_are_empty:
            text += ", blank or zeros if absent"
        elif self.optional:
            text += ", blank if absent"
        return text


class Integer(Codec):
    """A count or serial number: digits, zero-filled; the value is an int."""

    kind = "N"

    def __init__(
        self,
        length: int,
        *,
        optional: bool = False,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> None:
        super().__init__(length)
        self.optional = optional
        self.minimum = minimum
        self.maximum = 10**length - 1 if maximum is None else maximum
        self._blank = " " * length
        if length <= 3:
            table: dict[str, int | None] = {
                str(value).zfill(length): value for value in range(minimum, self.maximum + 1)
            }
            if optional:
                table[self._blank] = None
            self.fast = table.__getitem__
            self.pattern = _one_of([text for text in table if len(text) == length])
        elif minimum == 0 and self.maximum == 10**length - 1:
            self.pattern = _optional(f"{_DIGIT}{{{length}}}", self._blank if optional else None)

    def decode(self, text: str) -> int | None:
        if text.isdigit() and text.isascii():
            value = int(text)
            if self.minimum <= value <= self.maximum:
                return value
            raise FieldError(f"must be between {self.minimum} and {self.maximum}")
        if self.optional and text == self._blank:
            return None
        raise FieldError("must be numeric")

    def encode(self, value: Any) -> str:
        if value is None:
            if self.optional:
                return self._blank
            raise FieldError("is required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError("must be an integer")
        if not self.minimum <= value <= self.maximum:
            raise FieldError(f"must be between {self.minimum} and {self.maximum}")
        return str(value).zfill(self.length)

    def describe(self) -> str:
        text = f"N{self.length}"
        if self.minimum != 0 or self.maximum != 10**self.length - 1:
            text += f" ({self.minimum}-{self.maximum})"
        if self.optional:
            text += ", blank if absent"
        return text


class Amount(Codec):
    """An amount in öre, zero-filled; the value is Decimal kronor."""

    kind = "N"

    def __init__(self, length: int) -> None:
        super().__init__(length)
        self._max = 10**length
        self.fast = _amount
        self.pattern = f"{_DIGIT}{{{length}}}"

    def decode(self, text: str) -> Decimal:
        return _amount(text)

    def encode(self, value: Any) -> str:
        if value is None:
            raise FieldError("is required")
        ore = kronor_to_ore(value)
        if ore < 0:
            raise FieldError("must not be negative")
        if ore >= self._max:
            raise FieldError(f"must fit in {self.length} digits of öre")
        return str(ore).zfill(self.length)

    def describe(self) -> str:
        return f"N{self.length} öre"


class Date8(Codec):
    """A date ``YYYYMMDD``. ``optional`` dates are ``None`` when blank or
    (with ``zeros_are_empty``) all zeros; ``None`` is written as ``empty``."""

    kind = "D"

    def __init__(
        self, *, optional: bool = False, zeros_are_empty: bool = False, empty: str = " "
    ) -> None:
        super().__init__(8)
        self.optional = optional
        self.zeros_are_empty = zeros_are_empty
        self._empty = empty * 8
        if not optional:
            self.fast = _date8
            self.pattern = _DATE8_PATTERN
        else:
            self.pattern = _one_of(
                ["        ", "00000000"] if zeros_are_empty else ["        "], _DATE8_PATTERN
            )

    def decode(self, text: str) -> date | None:
        if self.optional and (text == "        " or (self.zeros_are_empty and text == "00000000")):
            return None
        return _date8(text)

    def encode(self, value: Any) -> str:
        if value is None:
            if self.optional:
                return self._empty
            raise FieldError("is required")
        if not isinstance(value, date):
            raise FieldError("must be a date")
        if not 1 <= value.year <= 9999:
            raise FieldError("must be a date YYYYMMDD")
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"

    def describe(self) -> str:
        if not self.optional:
            return "YYYYMMDD"
        written = "zeros" if self._empty == "00000000" else "blank"
        read = "blank or zeros" if self.zeros_are_empty else "blank"
        return f"YYYYMMDD; {read} if absent (written {written})"


class Date6(Codec):
    """An optional date ``YYMMDD`` (century 20); blank or zeros when absent (the old
    layout's mandate notices write zeros)."""

    kind = "D"

    def __init__(self) -> None:
        super().__init__(6)
        # Years 2000-2099: those whose two digits divide by 4 are leap years.
        self.pattern = _one_of(
            ["      ", "000000"],
            f"{_DIGIT}{{2}}{_MONTH_DAY}",
            "(?:[02468][048]|[13579][26])0229",
        )

    def decode(self, text: str) -> date | None:
        if text == "      " or text == "000000":
            return None
        if not _is_digits(text):
            raise FieldError("must be a date YYMMDD")
        try:
            return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
        except ValueError:
            raise FieldError("must be a date that exists (YYMMDD)") from None

    def encode(self, value: Any) -> str:
        if value is None:
            return "      "
        if not isinstance(value, date) or not 2000 <= value.year <= 2099:
            raise FieldError("must be a date between 2000 and 2099")
        return f"{value.year - 2000:02d}{value.month:02d}{value.day:02d}"

    def describe(self) -> str:
        return "YYMMDD, blank or zeros if absent (written blank)"


class PaymentDateCodec(Codec):
    """A payment date ``YYYYMMDD`` or ``GENAST`` followed by two blanks."""

    kind = "A"

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__(8)
        self.optional = optional
        if not optional:
            self.fast = _payment_date8
        self.pattern = _one_of(
            ["GENAST  ", "        "] if optional else ["GENAST  "], _DATE8_PATTERN
        )

    def decode(self, text: str) -> PaymentDate | None:
        if text == "GENAST  ":
            return GENAST
        if self.optional and text == "        ":
            return None
        return _date8(text)

    def encode(self, value: Any) -> str:
        if value == GENAST:
            return "GENAST  "
        if value is None:
            if self.optional:
                return "        "
            raise FieldError("is required")
        if not isinstance(value, date):
            raise FieldError("must be a date or GENAST")
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"

    def describe(self) -> str:
        return "YYYYMMDD or GENAST"


class Timestamp(Codec):
    """Time of day ``HHMMSS`` plus six digits of microseconds, or blank."""

    kind = "N"

    def __init__(self) -> None:
        super().__init__(12)
        self.pattern = _one_of(
            ["            "], f"(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]{_DIGIT}{{6}}"
        )

    def decode(self, text: str) -> time | None:
        if text == "            ":
            return None
        if not _is_digits(text):
            raise FieldError("must be a time HHMMSSffffff or blank")
        try:
            return time(int(text[:2]), int(text[2:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise FieldError("must be a time that exists (HHMMSSffffff)") from None

    def encode(self, value: Any) -> str:
        if value is None:
            return "            "
        if not isinstance(value, time):
            raise FieldError("must be a time")
        return f"{value.hour:02d}{value.minute:02d}{value.second:02d}{value.microsecond:06d}"

    def describe(self) -> str:
        return "HHMMSSffffff, blank if absent"


class Text(Codec):
    """Alphanumeric text, left-aligned and space-filled.

    The value has trailing blanks removed; on writing, trailing blanks are
    insignificant. Characters must be printable ISO-8859-1.
    """

    kind = "A"

    def __init__(
        self, length: int, *, choices: frozenset[str] | None = None, label: str = "value"
    ) -> None:
        super().__init__(length)
        self.choices = choices
        self.label = label
        if choices is None:
            self.fast = methodcaller("rstrip", " ")
            self.pattern = f"{_TEXT_CHAR}{{{length}}}"
        else:
            self.pattern = _one_of(
                [
                    choice.ljust(length)
                    for choice in choices
                    if len(choice) <= length and choice == choice.rstrip(" ")
                ]
            )

    def decode(self, text: str) -> str:
        if self.choices is None:
            return text.rstrip(" ")
        value = text.rstrip(" ")
        if value not in self.choices:
            raise FieldError(f"unknown {self.label}")
        return value

    def encode(self, value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise FieldError("must be a string")
        text: str = value.rstrip(" ")
        if len(text) > self.length:
            raise FieldError(f"must be at most {self.length} characters")
        if not is_iso_8859_1_text(text):
            raise FieldError("must contain printable ISO-8859-1 characters only")
        if self.choices is not None and text not in self.choices:
            raise FieldError(f"unknown {self.label}")
        return text.ljust(self.length)

    def describe(self) -> str:
        if self.choices is not None:
            return f"A{self.length}, one of " + ", ".join(sorted(self.choices))
        return f"A{self.length}"


class Code(Codec):
    """A code from a table (status, comment, information code ...).

    ``optional`` codes are ``None`` when the field holds ``empty`` (blanks by
    default) and ``None`` is written as ``empty``.
    """

    kind = "N"

    def __init__(
        self,
        length: int,
        table: Mapping[str, str] | frozenset[str],
        label: str,
        *,
        optional: bool = False,
        empty: str | None = None,
    ) -> None:
        super().__init__(length)
        self.table = table
        self.label = label
        self.optional = optional
        self.empty = " " * length if empty is None else empty
        lookup: dict[str, str | None] = {code: code for code in table}
        if optional:
            lookup[self.empty] = None
        self.fast = lookup.__getitem__
        self.pattern = _one_of([code for code in lookup if len(code) == length])

    def decode(self, text: str) -> str | None:
        if text in self.table:
            return text
        if self.optional and text == self.empty:
            return None
        raise FieldError(f"unknown {self.label}")

    def encode(self, value: Any) -> str:
        if value is None:
            if self.optional:
                return self.empty
            raise FieldError("is required")
        if not isinstance(value, str) or value not in self.table:
            raise FieldError(f"unknown {self.label}")
        return value

    def describe(self) -> str:
        text = f"N{self.length} code"
        if self.optional:
            text += f", {self.empty!r} if none"
        return text


class OldStatus(Codec):
    """Status of a payment in the old layout's payment specification (position 80):
    blank for an approved payment, read and written as ``0``, as in the new layout;
    otherwise ``1``, ``2`` or ``9`` as there."""

    kind = "A"

    _TABLE: Final = MappingProxyType({" ": "0", "1": "1", "2": "2", "9": "9"})

    def __init__(self) -> None:
        super().__init__(1)
        self.table = frozenset(self._TABLE.values())
        self.fast = self._TABLE.__getitem__
        self.pattern = _one_of(self._TABLE)

    def decode(self, text: str) -> str:
        value = self._TABLE.get(text)
        if value is None:
            raise FieldError("unknown payment status code (blank, 1, 2 or 9)")
        return value

    def encode(self, value: Any) -> str:
        if value == "0":
            return " "
        if value not in ("1", "2", "9"):
            raise FieldError("unknown payment status code (blank, 1, 2 or 9)")
        return str(value)

    def describe(self) -> str:
        return "A1 status: blank approved (read as 0), 1, 2 or 9"


class Account(Codec):
    """16 positions: clearing number (4) and account number (12, zero-filled).

    The value is a :class:`BankAccount`, or ``None`` when the field is blank
    or all zeros.
    """

    kind = "N"

    def __init__(self) -> None:
        super().__init__(16)
        self.pattern = _one_of([" " * 16], f"{_DIGIT}{{16}}")

    def decode(self, text: str) -> BankAccount | None:
        if text == "                " or text == "0000000000000000":
            return None
        if not _is_digits(text):
            raise FieldError("must be numeric (clearing and account number)")
        return BankAccount(text[:4], text[4:])

    def encode(self, value: Any) -> str:
        if value is None:
            return "                "
        if not isinstance(value, BankAccount):
            raise FieldError("must be a BankAccount")
        return value.clearing + value.number.zfill(12)

    def describe(self) -> str:
        return "N16 (clearing 4 + account 12), blank or zeros if absent"


class Fixed(Codec):
    """A constant text such as ``AUTOGIRO`` or the clearing number ``9900``."""

    def __init__(self, value: str) -> None:
        super().__init__(len(value))
        self.value = value
        self.pattern = re.escape(value)

    def decode(self, text: str) -> str:
        if text != self.value:
            raise FieldError(f"must be {self.value!r}")
        return text

    def encode(self, value: Any) -> str:
        return self.value

    def describe(self) -> str:
        return f"constant {self.value!r}"


class Filler(Codec):
    """Reserved positions. Written as blanks; ``checked`` fillers must be
    blank when read (files to Bankgirot), others are ignored (Bankgirot fills
    some reserved positions with zeros)."""

    def __init__(
        self,
        length: int,
        *,
        checked: bool = True,
        fill: str = " ",
        rule: str = "reserved, must be blank",
    ) -> None:
        super().__init__(length)
        self.checked = checked
        self.rule = rule
        self.fill = fill
        self._blank = " " * length
        self._fill = fill * length
        self.pattern = re.escape(self._blank) if checked else f"{_TEXT_CHAR}{{{length}}}"

    def decode(self, text: str) -> None:
        if self.checked and text != self._blank:
            raise FieldError(self.rule)
        return None

    def encode(self, value: Any) -> str:
        return self._fill

    def describe(self) -> str:
        if self.checked:
            return "blank"
        written = "zeros" if self.fill == "0" else "blank"
        return f"reserved, not checked (written {written})"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record layout: attribute name, 1-based start, codec.

    Fixed texts and reserved positions have no attribute (``name`` is the
    label used in error messages, ``attribute`` is False).
    """

    name: str
    start: int
    codec: Codec
    attribute: bool = True

    @property
    def length(self) -> int:
        return self.codec.length

    @property
    def end(self) -> int:
        """1-based inclusive end position."""
        return self.start + self.codec.length - 1
