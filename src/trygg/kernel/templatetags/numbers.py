"""``{{ amount|money }}``, ``{{ number|id_number }}``, ``{{ number|bankgiro }}``,
``{{ account|account:clearing }}``: amounts and
numbers on every page through the one formatter (:mod:`trygg.kernel.numbertext`). Templates
never format an amount with ``floatformat`` or write ``kr`` themselves (a test checks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from trygg.kernel.money import Money
from trygg.kernel.numbertext import account_text, bankgiro_text, id_number_text, money_text

register = template.Library()


@register.filter
def money(value: Any, currency: str = "SEK") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Money | Decimal | int | str):
        return money_text(value, currency=currency)
    return str(value)


@register.filter
def id_number(value: Any) -> str:
    return "" if value in (None, "") else id_number_text(str(value))


@register.filter
def bankgiro(value: Any) -> str:
    return "" if value in (None, "") else bankgiro_text(str(value))


@register.filter
def account(value: Any, clearing: Any = "") -> str:
    return "" if value in (None, "") else account_text(str(clearing or ""), str(value))
