"""The simulator's persistent state, ``state.json`` in the exchange directory.

Plain dataclasses, stored as JSON (dates ISO, amounts as strings of kronor) and written
atomically: a temporary file in the same directory, flushed, then ``os.replace``. A run that
crashes before saving leaves the previous state, and running again gives the same answers
(output file names and contents are deterministic).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar, Union, get_args, get_origin, get_type_hints

__all__ = [
    "AnswerDue",
    "MandateEntry",
    "Note",
    "NoticeDue",
    "OrderEntry",
    "Payment",
    "ReceivedFile",
    "RefundDue",
    "RejectionDue",
    "State",
    "load_state",
    "save_state",
]

VERSION: Final = 1
MAX_NOTES: Final = 1000

# File statuses.
WAITING: Final = "waiting"  # accepted, applied on its receipt date (not reached yet)
APPLIED: Final = "applied"
REFUSED: Final = "refused"
DUPLICATE: Final = "duplicate"  # same bytes as an earlier file, under another name
VANISHED: Final = "vanished"  # removed or changed before its receipt date was reached

# Mandate statuses.
ACTIVE: Final = "active"
REJECTED: Final = "rejected"
DELETED: Final = "deleted"


@dataclass
class ReceivedFile:
    """A file seen in ``to_bankgirot/``, keyed in the state by the SHA-256 of its bytes (a copy
    under another name by ``<sha256>:<name>``, with status ``duplicate``)."""

    name: str
    status: str
    received: date | None = None
    """Date of its (first) opening record: the receipt date."""


@dataclass
class MandateEntry:
    bankgiro: str
    payer_number: str
    status: str
    comment_code: str
    account: str | None = None
    """``clearing-number``, as :class:`autogiro.BankAccount` prints it."""
    identity: str | None = None
    registered: date | None = None
    valid_from: date | None = None
    ended: date | None = None
    account_closed: bool = False


@dataclass
class OrderEntry:
    """A payment order (TK82/TK32) being carried out, one occurrence at a time."""

    id: int
    tk: str
    bankgiro: str
    payer_number: str
    amount: Decimal
    first_date: date
    """The payment date as ordered (``GENAST`` resolved to the next bank day)."""
    period: int
    repeats: int | None
    reference: str
    received: date
    genast: bool = False
    index: int = 0
    """The next occurrence to debit (0-based)."""
    due: date | None = None
    """The bank day of occurrence ``index``."""
    skipped: list[int] = field(default_factory=list)
    """Occurrences cancelled one by one (TK25)."""


@dataclass
class Payment:
    """One occurrence of an order, as debited (or credited) on a bank day; also a payment
    waiting for its next balance check (``attempt`` > 1)."""

    order_id: int
    tk: str
    bankgiro: str
    payer_number: str
    amount: Decimal
    nominal: date
    """The occurrence's payment date before moving to a bank day."""
    period: int
    repeats: int | None
    reference: str
    due: date
    attempt: int = 1


@dataclass
class NoticeDue:
    """A mandate notice (TK73) to send on ``day``."""

    day: date
    bankgiro: str
    payer_number: str
    account: str | None
    identity: str | None
    information_code: str
    comment_code: str
    valid_from: date | None


@dataclass
class RejectionDue:
    """A rejected payment order to report on ``day``."""

    day: date
    bankgiro: str
    tk: str
    payer_number: str
    amount: Decimal
    payment_date: str
    """ISO date or ``GENAST``, as ordered."""
    period: int
    repeats: int | None
    reference: str
    comment_code: str


@dataclass
class AnswerDue:
    """A cancellation/amendment answer to send on ``day``; ``tk`` is the answer's code."""

    day: date
    bankgiro: str
    tk: str
    payment_date: date | None
    payer_number: str | None
    payment_type: str | None
    amount: Decimal
    marker: str
    new_date: date | None
    reference: str
    comment_code: str


@dataclass
class RefundDue:
    """A refund (TK77) of an approved debit, to report on ``day``."""

    day: date
    bankgiro: str
    payer_number: str
    amount: Decimal
    payment_date: date
    period: int
    repeats: int | None
    reference: str
    refund_code: str


@dataclass
class Note:
    """Something the simulator ignored or could not do, for the person running the demo."""

    day: date | None
    text: str


@dataclass
class State:
    version: int = VERSION
    last_day: date | None = None
    """The last day whose debits and answers were made."""
    next_id: int = 1
    serial: int = 0
    files: dict[str, ReceivedFile] = field(default_factory=dict)
    payees: dict[str, str] = field(default_factory=dict)
    """Customer number by payee bankgiro, from the latest opening record received."""
    mandates: dict[str, MandateEntry] = field(default_factory=dict)
    """Keyed ``bankgiro/payer number``."""
    orders: list[OrderEntry] = field(default_factory=list)
    retries: list[Payment] = field(default_factory=list)
    notices: list[NoticeDue] = field(default_factory=list)
    rejections: list[RejectionDue] = field(default_factory=list)
    answers: list[AnswerDue] = field(default_factory=list)
    refunds: list[RefundDue] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    """Debit attempts per payer number, for the scenario's outcome lists."""
    refunded: list[str] = field(default_factory=list)
    """Payer numbers whose scenario refund has been made."""
    notes: list[Note] = field(default_factory=list)

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def next_serial(self) -> int:
        self.serial = self.serial % 99999 + 1
        return self.serial

    def note(self, day: date | None, text: str) -> None:
        self.notes.append(Note(day, text))
        del self.notes[:-MAX_NOTES]

    def mandate(self, bankgiro: str, payer_number: str) -> MandateEntry | None:
        return self.mandates.get(mandate_key(bankgiro, payer_number))

    def active_mandate(self, bankgiro: str, payer_number: str) -> MandateEntry | None:
        entry = self.mandate(bankgiro, payer_number)
        return entry if entry is not None and entry.status == ACTIVE else None


def mandate_key(bankgiro: str, payer_number: str) -> str:
    return f"{bankgiro}/{payer_number}"


# -- JSON ----------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value


T = TypeVar("T")


def _decode_as(kind: Any, value: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in get_args(kind) if arg is not type(None)]
        return _decode_as(inner, value)
    if origin is list:
        (inner,) = get_args(kind)
        return [_decode_as(inner, item) for item in value]
    if origin is dict:
        _key, inner = get_args(kind)
        return {key: _decode_as(inner, item) for key, item in value.items()}
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _decode(kind, value)
    return value


def _decode(cls: type[T], data: dict[str, Any]) -> T:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {key: _decode_as(hints[key], item) for key, item in data.items() if key in names}
    return cls(**values)


def load_state(path: Path) -> State:
    """The state in ``path``, or a new one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    data = json.loads(text)
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: unknown state version {data.get('version')!r}")
    return _decode(State, data)


def save_state(path: Path, state: State) -> None:
    """Write ``state`` to ``path`` atomically (not at all when nothing changed)."""
    text = json.dumps(_encode(state), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
