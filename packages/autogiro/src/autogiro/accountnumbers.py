"""Swedish bank account numbers checked by Bankgirot's "Bankernas kontonummeruppbyggnad".

The clearing-number table is kept as data (``RULES``) with the date of the Bankgirot document it
follows (``RULES_VERSION``). The document (bankgirot.se, "bankernaskontonummeruppbyggnad_
anvandarmanual_sv.pdf") was read as revised 2023-11-07; that revision removed the old remark that
some Swedbank 8xxx accounts cannot be checked, so those are checked like the rest.

Rules (weights run from the rightmost digit):

* Type 1: 4-digit clearing + 7-digit account, the last digit a mod-11 check digit with weights
  1, 2, ..., 10 from the right.  Comment 1: over the last 3 clearing digits + the account
  (10 digits).  Comment 2: over the whole clearing number + the account (11 digits).
* Type 2, the clearing number is not part of the check:
  comment 1: mod 10 (Luhn) over a 10-digit account (Nordea personkonto 3300/3782: the account
  is the holder's personal identity number, YYMMDDNNNC);
  comment 2 (Handelsbanken): mod 11 over a 9-digit account, weights 1..9 from the right;
  comment 3: mod 10 over a 10-digit account (Swedbank 8xxx, Plusgirot).  Swedbank shows its
  8xxx clearing numbers with a fifth digit, a mod-10 check digit over the four; it is checked
  when given and then dropped: payments carry the four-digit clearing number only.

Accounts shorter than the rule's length are zero-padded on the left for type 2 (the check is
unchanged by leading zeros); type 1 accounts must have exactly 7 digits.  Extra leading zeros
(e.g. the 16-digit form of payment files) are removed.

Unknown clearing numbers (1000-9999 but in no range of the table): all new banks get type 1
accounts, so a 7-digit account that passes the mod-11 check of comment 1 or 2 is accepted with
``certain=False`` and ``bank=""`` (the caller warns; the table may be older than the bank).
Anything else with an unknown clearing number is refused with ``account.clearing_unknown``.

Banks the table does not describe (an insurer's own bank, a bank newer than the table) are given
by the caller as ``extra_banks``: :class:`ExtraBank` ranges whose accounts have ``length`` digits,
the last a Luhn check digit over the clearing number and the account. An account of exactly that
length on such a clearing number is that bank's, checked by its rule (even inside another bank's
range, whose accounts have another length); any other account there is checked by the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

RULES_VERSION: Final = "2023-11-07"
RULES_SOURCE: Final = (
    "Bankgirot, Bankernas kontonummeruppbyggnad (bankernaskontonummeruppbyggnad_"
    "anvandarmanual_sv.pdf), revision 2023-11-07"
)


@dataclass(frozen=True)
class BankRule:
    first: int
    last: int
    bank: str
    account_type: int
    comment: int

    def covers(self, clearing: int) -> bool:
        return self.first <= clearing <= self.last


_NORDEA_PERSONKONTO: Final = "Nordea personkonto"

# Non-overlapping ranges; Nordea's 3000-3399/3410-3999 are split around the personkonto numbers.
RULES: Final[tuple[BankRule, ...]] = (
    # Type 1, comment 1
    BankRule(1100, 1199, "Nordea", 1, 1),
    BankRule(1200, 1399, "Danske Bank", 1, 1),
    BankRule(1400, 2099, "Nordea", 1, 1),
    BankRule(2400, 2499, "Danske Bank", 1, 1),
    BankRule(3000, 3299, "Nordea", 1, 1),
    BankRule(3301, 3399, "Nordea", 1, 1),
    BankRule(3400, 3409, "Länsförsäkringar Bank", 1, 1),
    BankRule(3410, 3781, "Nordea", 1, 1),
    BankRule(3783, 3999, "Nordea", 1, 1),
    BankRule(5000, 5999, "SEB", 1, 1),
    BankRule(7000, 7999, "Swedbank", 1, 1),
    BankRule(9060, 9069, "Länsförsäkringar Bank", 1, 1),
    BankRule(9070, 9079, "Multitude Bank", 1, 1),
    BankRule(9120, 9124, "SEB", 1, 1),
    BankRule(9130, 9149, "SEB", 1, 1),
    BankRule(9170, 9179, "IKANO Bank", 1, 1),
    BankRule(9230, 9239, "Marginalen Bank", 1, 1),
    BankRule(9250, 9259, "SBAB", 1, 1),
    BankRule(9270, 9279, "ICA Banken", 1, 1),
    BankRule(9280, 9289, "Resurs Bank", 1, 1),
    BankRule(9460, 9469, "Santander Consumer Bank", 1, 1),
    BankRule(9580, 9589, "Aion Bank", 1, 1),
    BankRule(9630, 9639, "Lån & Spar Bank Sverige", 1, 1),
    BankRule(9680, 9689, "BlueStep Finans", 1, 1),
    # Type 1, comment 2
    BankRule(2300, 2399, "Ålandsbanken", 1, 2),
    BankRule(4000, 4999, "Nordea", 1, 2),
    BankRule(9020, 9029, "Länsförsäkringar Bank", 1, 2),
    BankRule(9040, 9049, "Citibank", 1, 2),
    BankRule(9100, 9109, "Nordnet Bank", 1, 2),
    BankRule(9150, 9169, "Skandiabanken", 1, 2),
    BankRule(9190, 9199, "DNB Bank", 1, 2),
    BankRule(9260, 9269, "DNB Bank", 1, 2),
    BankRule(9390, 9399, "Landshypotek", 1, 2),
    BankRule(9470, 9479, "BNP Paribas", 1, 2),
    BankRule(9550, 9569, "Avanza Bank", 1, 2),
    BankRule(9590, 9599, "Erik Penser", 1, 2),
    BankRule(9640, 9649, "NOBA Bank Group", 1, 2),
    BankRule(9660, 9669, "Svea Bank", 1, 2),
    BankRule(9670, 9679, "JAK Medlemsbank", 1, 2),
    BankRule(9700, 9709, "Ekobanken", 1, 2),
    BankRule(9710, 9719, "Lunar Bank", 1, 2),
    BankRule(9750, 9759, "Northmill Bank", 1, 2),
    BankRule(9780, 9789, "Klarna Bank", 1, 2),
    BankRule(9880, 9889, "Riksgälden", 1, 2),
    # Type 2, comment 1
    BankRule(3300, 3300, _NORDEA_PERSONKONTO, 2, 1),
    BankRule(3782, 3782, _NORDEA_PERSONKONTO, 2, 1),
    BankRule(9180, 9189, "Danske Bank", 2, 1),
    BankRule(9300, 9349, "Swedbank", 2, 1),
    BankRule(9570, 9579, "Sparbanken Syd", 2, 1),
    BankRule(9890, 9899, "Riksgälden", 2, 1),
    # Type 2, comment 2
    BankRule(6000, 6999, "Handelsbanken", 2, 2),
    # Type 2, comment 3
    BankRule(8000, 8999, "Swedbank", 2, 3),
    BankRule(9500, 9549, "Nordea/Plusgirot", 2, 3),
    BankRule(9960, 9969, "Nordea/Plusgirot", 2, 3),
)


@dataclass(frozen=True)
class ExtraBank:
    """A clearing range given by the caller: ``length``-digit accounts, the last digit a Luhn
    check digit over the clearing number and the account (e.g. the caller's own bank)."""

    first: int
    last: int
    bank: str
    length: int

    def covers(self, clearing: int) -> bool:
        return self.first <= clearing <= self.last


# Account-number length per (type, comment).
_LENGTH: Final[dict[tuple[int, int], int]] = {
    (1, 1): 7,
    (1, 2): 7,
    (2, 1): 10,
    (2, 2): 9,
    (2, 3): 10,
}


@dataclass(frozen=True)
class AccountNumber:
    clearing: str  # always four digits (Swedbank's fifth digit dropped)
    account: str  # digits, at the rule's length
    bank: str  # "" when the clearing number is not in the table
    certain: bool  # False: only partly checked; the caller warns instead of refusing

    def display(self) -> str:
        return f"{self.clearing}-{self.account}"


class AccountNumberError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _format_error(message: str) -> AccountNumberError:
    return AccountNumberError("account.format", message)


def rule_for(clearing: int) -> BankRule | None:
    """The rule of a four-digit clearing number, or None when the table has none."""
    for rule in RULES:
        if rule.covers(clearing):
            return rule
    return None


def _mod10_ok(digits: str) -> bool:
    """Luhn: from the right, every second digit doubled (digit sum); total divisible by 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mod11_ok(digits: str) -> bool:
    """Weights 1, 2, ..., 10, 1, 2, ... from the right; total divisible by 11."""
    total = sum(int(char) * (position % 10 + 1) for position, char in enumerate(reversed(digits)))
    return total % 11 == 0


def _check_account(rule: BankRule, clearing: str, account: str) -> bool:
    key = (rule.account_type, rule.comment)
    if key == (1, 1):
        return _mod11_ok(clearing[1:] + account)
    if key == (1, 2):
        return _mod11_ok(clearing + account)
    if key == (2, 2):
        return _mod11_ok(account)
    return _mod10_ok(account)


def _fit(rule: BankRule, account: str) -> str:
    """The account at the rule's length, or an account.format error."""
    length = _LENGTH[(rule.account_type, rule.comment)]
    if len(account) > length:
        extra = len(account) - length
        if rule.bank == _NORDEA_PERSONKONTO and len(account) == 12 and account[:2] in ("19", "20"):
            account = account[2:]  # personnummer written with the century
        elif set(account[:extra]) == {"0"}:
            account = account[extra:]
        else:
            raise _format_error(f"{rule.bank}: the account number has at most {length} digits.")
    if rule.account_type == 1 and len(account) != length:
        raise _format_error(f"{rule.bank}: the account number has {length} digits.")
    if rule.bank == _NORDEA_PERSONKONTO:
        if len(account) != length:
            raise _format_error("A Nordea personkonto is the 10-digit personal identity number.")
        month, day = int(account[2:4]), int(account[4:6])
        if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
            raise _format_error("A Nordea personkonto is the 10-digit personal identity number.")
    if len(account) < 2 or set(account) == {"0"}:
        raise _format_error("The account number is too short.")
    return account.zfill(length)


def _clearing_check_digit_ok(five: str) -> bool:
    return _mod10_ok(five)


_ALLOWED = re.compile(r"[0-9\s,.\-]+")


def _split(text: str) -> tuple[str | None, str]:
    """(clearing digits if the layout shows them, all digits after them / all digits)."""
    if "," in text:
        left, _, right = text.partition(",")
        if "," in right:
            raise _format_error("Write the clearing number, a comma and the account number.")
        return re.sub(r"\D", "", left), re.sub(r"\D", "", right)
    tokens = text.split()
    if len(tokens) > 1:
        return re.sub(r"\D", "", tokens[0]), re.sub(r"\D", "", "".join(tokens[1:]))
    return None, re.sub(r"\D", "", text)


def _resolve(clearing5: str, account: str, extra_banks: Sequence[ExtraBank]) -> AccountNumber:
    """A clearing number of four digits, or five for Swedbank 8xxx with its check digit."""
    if len(clearing5) not in (4, 5) or clearing5[0] == "0":
        raise _format_error("The clearing number has four digits (1000-9999).")
    clearing = clearing5[:4]
    rule = rule_for(int(clearing))
    if len(clearing5) == 5:
        if rule is None or not (rule.bank == "Swedbank" and clearing.startswith("8")):
            raise _format_error("Only Swedbank's 8xxx clearing numbers have a fifth digit.")
        if not _clearing_check_digit_ok(clearing5):
            raise AccountNumberError(
                "account.clearing_checksum",
                f"The fifth digit of clearing number {clearing5} is not its check digit.",
            )
    if not account:
        raise _format_error("The account number is missing.")
    own = _extra_bank(clearing, account, extra_banks)
    if own is not None:
        return own
    if rule is None:
        return _unknown(clearing, account)
    fitted = _fit(rule, account)
    if not _check_account(rule, clearing, fitted):
        raise AccountNumberError(
            "account.checksum", f"{clearing}-{fitted} is not a valid {rule.bank} account number."
        )
    return AccountNumber(clearing=clearing, account=fitted, bank=rule.bank, certain=True)


def _extra_bank(
    clearing: str, account: str, extra_banks: Sequence[ExtraBank]
) -> AccountNumber | None:
    """The account of one of the caller's extra banks, or None when the number is not one (the
    general table decides)."""
    for own in extra_banks:
        if own.covers(int(clearing)) and len(account) == own.length and account[0] != "0":
            if not _mod10_ok(clearing + account):
                raise AccountNumberError(
                    "account.checksum",
                    f"{clearing}-{account} is not a valid {own.bank} account number.",
                )
            return AccountNumber(clearing=clearing, account=account, bank=own.bank, certain=True)
    return None


def _unknown(clearing: str, account: str) -> AccountNumber:
    stripped = account.lstrip("0").zfill(7)
    if (
        len(stripped) == 7
        and stripped != "0000000"
        and (_mod11_ok(clearing[1:] + stripped) or _mod11_ok(clearing + stripped))
    ):
        return AccountNumber(clearing=clearing, account=stripped, bank="", certain=False)
    raise AccountNumberError(
        "account.clearing_unknown", f"Clearing number {clearing} belongs to no known bank."
    )


def parse_account(text: str, *, extra_banks: Sequence[ExtraBank] = ()) -> AccountNumber:
    """Parse and check a Swedish bank account number ("clearing account", separators allowed).

    Spaces, hyphens, dots and one comma may separate the digits.  A comma or the first space
    ends the clearing number (four digits, or five for Swedbank 8xxx-C).  Without them the first
    four digits are the clearing number; for Swedbank 8xxx a fifth digit is taken as the
    clearing check digit when only that reading is valid (both valid: the four-digit reading,
    the form of payment files, with ``certain=False``). ``extra_banks`` adds clearing ranges
    the table does not describe (see :class:`ExtraBank`).
    """
    text = text.strip()
    if not text or not _ALLOWED.fullmatch(text):
        raise _format_error("Use digits, spaces, hyphens and a comma only.")
    clearing, account = _split(text)
    if clearing is not None:
        return _resolve(clearing, account, extra_banks)
    digits = account
    if len(digits) < 6:
        raise _format_error("Too few digits for a clearing number and an account number.")
    rule = rule_for(int(digits[:4])) if digits[0] != "0" else None
    if rule is None or not (rule.bank == "Swedbank" and digits[0] == "8"):
        return _resolve(digits[:4], digits[4:], extra_banks)
    four: AccountNumber | AccountNumberError
    five: AccountNumber | AccountNumberError
    try:
        four = _resolve(digits[:4], digits[4:], extra_banks)
    except AccountNumberError as error:
        four = error
    try:
        five = _resolve(digits[:5], digits[5:], extra_banks)
    except AccountNumberError as error:
        five = error
    if isinstance(four, AccountNumber):
        if isinstance(five, AccountNumber) and five.account != four.account:
            return AccountNumber(four.clearing, four.account, four.bank, certain=False)
        return four
    if isinstance(five, AccountNumber):
        return five
    raise five if four.code == "account.format" else four
