"""Configurable outcomes: ``scenario.json`` in the exchange directory.

The file is read again on every run, so outcomes can be changed while the simulator is running.
A missing file means every mandate is created and every payment approved. See the package
docstring for the format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from autogiro import codes

__all__ = [
    "APPROVED",
    "CLOSED_ACCOUNT",
    "INSUFFICIENT_FUNDS",
    "MANDATE_CREATED",
    "OUTCOMES",
    "RENEWED_BALANCE_CHECK",
    "Scenario",
    "ScenarioError",
    "normalise_payer",
]

APPROVED: Final = "approved"
INSUFFICIENT_FUNDS: Final = "insufficient_funds"
CLOSED_ACCOUNT: Final = "closed_account"
RENEWED_BALANCE_CHECK: Final = "renewed_balance_check"

OUTCOMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        APPROVED: "0",
        INSUFFICIENT_FUNDS: "1",
        CLOSED_ACCOUNT: "2",
        RENEWED_BALANCE_CHECK: "9",
    }
)
"""Outcome names of a payment attempt and the payment status code each gives."""

MANDATE_CREATED: Final = "32"

_KNOWN_KEYS: Final = frozenset(
    {"payments", "mandates", "closed_accounts", "refunds", "fail_suffixes", "max_amount"}
)


class ScenarioError(ValueError):
    """``scenario.json`` cannot be used; the message names the entry."""


def normalise_payer(value: object) -> str:
    """A payer number as the autogiro library reads it: digits without leading zeros."""
    text = str(value).strip()
    if not text.isdigit() or not text.isascii() or len(text) > 16:
        raise ScenarioError(f"payer number must be 1-16 digits (got {value!r})")
    return text.lstrip("0") or "0"


def _outcomes(where: str, value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise ScenarioError(f"{where}: must be an outcome name or a non-empty list of them")
    for item in items:
        if item not in OUTCOMES:
            raise ScenarioError(f"{where}: unknown outcome {item!r}; known: " + ", ".join(OUTCOMES))
    return tuple(items)


def _code(where: str, value: object, table: Mapping[str, str]) -> str:
    text = str(value).strip().zfill(2) if isinstance(value, str | int) else ""
    if text not in table:
        raise ScenarioError(f"{where}: unknown code {value!r}; known: " + ", ".join(table))
    return text


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{key}: must be an object")
    return value


@dataclass(frozen=True)
class Scenario:
    """What the payers' banks answer. Payer numbers are normalised (no leading zeros)."""

    payments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    mandates: Mapping[str, str] = field(default_factory=dict)
    closed_accounts: frozenset[str] = frozenset()
    refunds: Mapping[str, str] = field(default_factory=dict)
    fail_suffixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_amount: Decimal | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        if not isinstance(data, dict):
            raise ScenarioError("the scenario must be a JSON object")
        unknown = set(data) - _KNOWN_KEYS
        if unknown:
            raise ScenarioError("unknown keys: " + ", ".join(sorted(unknown)))
        payments = {
            normalise_payer(payer): _outcomes(f"payments.{payer}", value)
            for payer, value in _mapping(data, "payments").items()
        }
        mandates = {
            normalise_payer(payer): _code(f"mandates.{payer}", value, codes.MANDATE_COMMENT_CODES)
            for payer, value in _mapping(data, "mandates").items()
        }
        refunds = {
            normalise_payer(payer): _code(f"refunds.{payer}", value, codes.REFUND_CODES)
            for payer, value in _mapping(data, "refunds").items()
        }
        suffixes: dict[str, tuple[str, ...]] = {}
        for suffix, value in _mapping(data, "fail_suffixes").items():
            if not suffix.isdigit() or not suffix.isascii():
                raise ScenarioError(f"fail_suffixes: {suffix!r} must be digits")
            suffixes[suffix] = _outcomes(f"fail_suffixes.{suffix}", value)
        closed = data.get("closed_accounts", [])
        if not isinstance(closed, list):
            raise ScenarioError("closed_accounts: must be a list of payer numbers")
        maximum = data.get("max_amount")
        max_amount: Decimal | None = None
        if maximum is not None:
            try:
                max_amount = Decimal(str(maximum))
            except InvalidOperation:
                raise ScenarioError(f"max_amount: not an amount ({maximum!r})") from None
            if not max_amount.is_finite() or max_amount <= 0:
                raise ScenarioError(f"max_amount: must be above zero ({maximum!r})")
        return cls(
            payments=MappingProxyType(payments),
            mandates=MappingProxyType(mandates),
            closed_accounts=frozenset(normalise_payer(p) for p in closed),
            refunds=MappingProxyType(refunds),
            fail_suffixes=MappingProxyType(suffixes),
            max_amount=max_amount,
        )

    @classmethod
    def load(cls, path: Path) -> Scenario:
        """The scenario in ``path``; the default scenario when the file does not exist."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScenarioError(f"{path.name}: not valid JSON ({error})") from None
        return cls.from_dict(data)

    def outcome(self, payer_number: str, attempt: int) -> str:
        """The outcome of the payer's ``attempt``-th debit attempt (0-based, counted over all
        the payer's debits): a closed account always fails; else the payer's own list, else
        the longest matching ``fail_suffixes`` entry; the last outcome of a list repeats."""
        if payer_number in self.closed_accounts:
            return CLOSED_ACCOUNT
        listed = self.payments.get(payer_number)
        if listed is None:
            matches = [s for s in self.fail_suffixes if payer_number.endswith(s)]
            if matches:
                listed = self.fail_suffixes[max(matches, key=len)]
        if not listed:
            return APPROVED
        return listed[min(attempt, len(listed) - 1)]

    def mandate_comment(self, payer_number: str) -> str:
        """Comment code of the notice answering a new mandate (32 = created)."""
        return self.mandates.get(payer_number, MANDATE_CREATED)

    def refund_code(self, payer_number: str) -> str | None:
        """Reason code of a refund the payer claims after an approved debit, if any."""
        return self.refunds.get(payer_number)
