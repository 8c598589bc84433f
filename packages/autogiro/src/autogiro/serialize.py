"""JSON-ready dictionaries of records.

``to_json(record)`` gives ``{"tk": "82", "record": "debit_order", "line": 3,
...fields}`` with amounts as strings of kronor with two decimals, dates and
times in ISO format, bank accounts as ``{"clearing", "number"}`` and, next to
every code, its Swedish text under ``<field>_text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from . import codes
from .fields import BankAccount, Code
from .records import Record

__all__ = ["to_json"]


def _value(value: object) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, BankAccount):
        return {"clearing": value.clearing, "number": value.number}
    return value


def _table(record: Record, name: str, codec: object) -> Mapping[str, str] | None:
    if isinstance(codec, Code) and isinstance(codec.table, Mapping):
        return codec.table
    if name == "period":
        return codes.PERIOD_CODES
    if name == "content":
        return codes.CONTENT_NAMES
    return None


def to_json(record: Record) -> dict[str, Any]:
    """A JSON-ready dictionary of ``record``."""
    result: dict[str, Any] = {"tk": record.TK, "record": record.NAME, "line": record.line or None}
    for item in record.LAYOUT:
        if not item.attribute:
            continue
        value = getattr(record, item.name)
        result[item.name] = _value(value)
        table = _table(record, item.name, item.codec)
        if table is not None:
            result[f"{item.name}_text"] = None if value is None else table.get(str(value))
    return result
