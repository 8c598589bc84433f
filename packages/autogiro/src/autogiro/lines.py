"""One record <-> one 80-character line.

:func:`decode_line` reads a line into a record of a given type and
:func:`encode_record` writes a record as a line; both report every broken
rule as an :class:`~autogiro.errors.AutogiroError`. Decoding has a fast
path (a decoder compiled once per record type: fixed slices, the codecs' fast
decoders, the record's slots set directly) and falls back to a field-by-field
pass only when something is wrong.

:func:`run_pattern` compiles, per record type, one regular expression for a
run of consecutive well-formed lines of that type: the reader lets it confirm
thousands of lines in one call, and builds no record for the lines it matched
or builds them all at once, field by field, with :func:`run_decoder`. The
pattern matches exactly the lines that :func:`decode_line` reads without an
error, or fewer, never more: the first line it does not match takes the
line-by-line path, which explains what is wrong.
"""

from __future__ import annotations

import dataclasses
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import Any, Final

from .errors import AutogiroError
from .fields import (
    GENAST,
    Code,
    Codec,
    Field,
    FieldError,
    Filler,
    Fixed,
    Numeric,
    Text,
    utf8_offset,
)
from .records import PaymentOrder, Record

__all__ = [
    "RECORD_LENGTH",
    "column_total",
    "decode_line",
    "encode_record",
    "record_rules",
    "run_decoder",
    "run_pattern",
]

RECORD_LENGTH: Final = 80

_NO_ERRORS: Final[list[AutogiroError]] = []


def _getter(slices: Sequence[slice]) -> Callable[[str], tuple[str, ...]]:
    if len(slices) == 1:
        only = slices[0]
        return lambda text: (text[only],)
    getter: Callable[[str], tuple[str, ...]] = itemgetter(*slices)
    return getter


class _Plan:
    """Precomputed slicing and decoding of one record type."""

    __slots__ = (
        "attributes",
        "check_expected",
        "check_getter",
        "cls",
        "decode",
        "has_rules",
        "make",
        "run_decoder",
    )

    def __init__(self, cls: type[Record]) -> None:
        self.cls = cls
        self.make: Callable[..., Record] = cls
        by_name = {item.name: item for item in cls.LAYOUT if item.attribute}
        names = [f.name for f in dataclasses.fields(cls) if f.name != "line"]
        self.attributes: tuple[Field, ...] = tuple(by_name[name] for name in names)
        self.decode = _compile_decoder(cls, self.attributes)
        self.run_decoder: Callable[[Sequence[str], int], list[Record]] | None = None
        checks = [
            item
            for item in cls.LAYOUT[1:]
            if not item.attribute
            and (
                isinstance(item.codec, Fixed)
                or (isinstance(item.codec, Filler) and item.codec.checked)
            )
        ]
        if checks:
            self.check_getter: Callable[[str], tuple[str, ...]] | None = _getter(
                [slice(f.start - 1, f.end) for f in checks]
            )
            self.check_expected: tuple[str, ...] = tuple(
                item.codec.value if isinstance(item.codec, Fixed) else " " * item.length
                for item in checks
            )
        else:
            self.check_getter = None
            self.check_expected = ()
        self.has_rules = cls in _RULES or any(issubclass(cls, base) for base in _RULES)


def _compile_decoder(
    cls: type[Record], attributes: Sequence[Field]
) -> Callable[[str, int], Record]:
    """A function ``(text, line) -> record`` for well-formed lines of ``cls``.

    It slices each field at its fixed position, decodes it with the codec's
    ``fast`` decoder and sets the record's slot directly: the frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` call per field)
    costs about as much as all the decoding. Any exception means the line
    is not well-formed; the caller then takes the slow, explaining pass.
    """
    env: dict[str, Any] = {"new": object.__new__, "cls": cls}
    body = ["def decode(text, line):", "    record = new(cls)"]
    for index, item in enumerate(attributes):
        env[f"set_{index}"] = getattr(cls, item.name).__set__
        codec = item.codec
        part = f"text[{item.start - 1}:{item.end}]"
        if isinstance(codec, Numeric) and not codec.optional:
            # The most common field, written out here rather than called.
            value = "value" if codec.keep_zeros else "value.lstrip('0') or '0'"
            body += [
                f"    value = {part}",
                "    if not (value.isdigit() and value.isascii()):",
                "        raise ValueError",
                f"    set_{index}(record, {value})",
            ]
        else:
            env[f"decode_{index}"] = codec.fast
            body.append(f"    set_{index}(record, decode_{index}({part}))")
    env["set_line"] = Record.__dict__["line"].__set__
    body += ["    set_line(record, line)", "    return record"]
    exec("\n".join(body), env)  # noqa: S102 - source built above from the layout only
    decoder: Callable[[str, int], Record] = env["decode"]
    return decoder


_PLANS: dict[type[Record], _Plan] = {}


def _plan(cls: type[Record]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


def decode_line(
    cls: type[Record], text: str, line: int
) -> tuple[Record | None, list[AutogiroError]]:
    """Read an 80-character line as a record of type ``cls``."""
    plan = _PLANS.get(cls) or _plan(cls)
    if plan.check_getter is not None and plan.check_getter(text) != plan.check_expected:
        return _decode_slowly(plan, text, line)
    try:
        record = plan.decode(text, line)
    except (FieldError, KeyError, ValueError):  # the slow pass tells what is wrong
        return _decode_slowly(plan, text, line)
    if plan.has_rules:
        errors = record_rules(record)
        if errors:
            return None, errors
    return record, _NO_ERRORS


_Values = Callable[[Iterable[str]], Iterable[Any]]


def _strip_zeros(parts: Iterable[str]) -> list[str]:
    values = list(map(str.lstrip, parts, repeat("0")))
    if "" in values:  # all zeros
        values = [value or "0" for value in values]
    return values


def _strip_blanks(parts: Iterable[str]) -> Iterator[str]:
    return map(str.rstrip, parts, repeat(" "))


def _field_values(codec: Codec) -> _Values:
    """How a run decoder turns the texts of one field into values: digits, texts
    and codes as they stand (the pattern checked them; a code's value is its
    text), every other field by its codec's ``fast`` decoder."""
    if isinstance(codec, Numeric) and not codec.optional:
        return (lambda parts: parts) if codec.keep_zeros else _strip_zeros
    if isinstance(codec, Text) and codec.choices is None:
        return _strip_blanks
    if isinstance(codec, Code) and not codec.optional:
        return lambda parts: parts
    fast = codec.fast
    return lambda parts: map(fast, parts)


def run_decoder(cls: type[Record]) -> Callable[[Sequence[str], int], list[Record]]:
    """The decoder of ``cls`` for lines that :func:`run_pattern` matched:
    ``(texts, first line) -> records``, checking nothing (other lines may give
    anything). It works field by field over all the lines (``map`` of the
    slot setters), so that no Python code runs per line and field."""
    plan = _PLANS.get(cls) or _plan(cls)
    if plan.run_decoder is None:
        plan.run_decoder = _compile_run_decoder(cls, plan.attributes)
    return plan.run_decoder


def _compile_run_decoder(
    cls: type[Record], attributes: Sequence[Field]
) -> Callable[[Sequence[str], int], list[Record]]:
    steps: list[tuple[Callable[[Record, Any], None], Callable[[str], str], _Values]] = [
        (
            getattr(cls, item.name).__set__,
            itemgetter(slice(item.start - 1, item.end)),
            _field_values(item.codec),
        )
        for item in attributes
    ]
    set_line = Record.__dict__["line"].__set__
    new = object.__new__

    def decode(texts: Sequence[str], first: int) -> list[Record]:
        records: list[Record] = list(map(new, repeat(cls, len(texts))))
        for set_field, part, values in steps:
            deque(map(set_field, records, values(map(part, texts))), maxlen=0)
        deque(map(set_line, records, range(first, first + len(texts))), maxlen=0)
        return records

    return decode


def run_pattern(
    cls: type[Record], line_end: str, fixed: Mapping[str, str] | None = None
) -> re.Pattern[str] | None:
    """A pattern matching a run of lines of ``cls``, each followed by ``line_end``.

    A line matches only if :func:`decode_line` reads it without an error.
    ``fixed`` narrows fields to one text each (the payee's bankgiro number of
    the section, an approved status). None when a field's codec has no
    pattern, the layout does not cover the line, a fixed text is not a
    value of its field, or the type has rules across fields.
    """
    plan = _PLANS.get(cls) or _plan(cls)
    if plan.has_rules:
        return None
    fixed = fixed or {}
    parts: list[str] = []
    position = 1
    for item in cls.LAYOUT:
        pattern = item.codec.pattern
        if item.start != position or pattern is None:
            return None
        text = fixed.get(item.name)
        if text is not None:
            if len(text) != item.length or re.fullmatch(pattern, text) is None:
                return None
            pattern = re.escape(text)
        parts.append(pattern)
        position = item.end + 1
    if position != RECORD_LENGTH + 1 or not set(fixed) <= {item.name for item in cls.LAYOUT}:
        return None
    # Possessive: a run never gives back a line, so no backtracking state is kept.
    return re.compile("(?:" + "".join(parts) + re.escape(line_end) + ")*+")


def column_total(block: str, start: int, stop: int, stride: int, offset: int, length: int) -> int:
    """The sum of the digit field at ``offset`` (``length`` digits) of every line
    of ``block[start:stop]``, lines ``stride`` characters apart; the lines must
    have been matched as digits there. Column by column: ``sum`` of a column's
    bytes is its digits' sum plus 48 (``"0"``) per line."""
    count = (stop - start) // stride
    total = 0
    for column in range(start + offset, start + offset + length):
        total = total * 10 + sum(block[column:stop:stride].encode("ascii")) - 48 * count
    return total


def _decode_slowly(plan: _Plan, text: str, line: int) -> tuple[Record | None, list[AutogiroError]]:
    cls = plan.cls
    values: dict[str, Any] = {}
    failed: list[tuple[Field, FieldError]] = []
    for item in cls.LAYOUT[1:]:
        raw = text[item.start - 1 : item.end]
        try:
            value = item.codec.decode(raw)
        except FieldError as error:
            failed.append((item, error))
            continue
        if item.attribute:
            values[item.name] = value
    errors: list[AutogiroError] = []
    comment = values.get("comment_code")
    for item, problem in failed:
        if item.attribute and comment in cls.LENIENT.get(item.name, ()):
            values[item.name] = None
            continue
        errors.append(
            AutogiroError(
                problem.rule,
                line=line,
                column=item.start,
                field=item.name,
                got=text[item.start - 1 : item.end],
            )
        )
    if errors:
        return None, errors
    record = plan.make(*(values[f.name] for f in plan.attributes), line=line)
    errors = record_rules(record)
    if errors:
        return None, errors
    return record, _NO_ERRORS


def encode_record(record: Record, line: int) -> tuple[str | None, list[AutogiroError]]:
    """Write ``record`` as an 80-character line (``line`` is for errors)."""
    cls = type(record)
    if not isinstance(record, Record) or not cls.LAYOUT:
        return None, [
            AutogiroError(
                "is not an Autogiro record", line=line, column=1, field="record", got=repr(record)
            )
        ]
    parts: list[str] = []
    errors: list[AutogiroError] = []
    comment = getattr(record, "comment_code", None)
    for item in cls.LAYOUT:
        value = getattr(record, item.name) if item.attribute else None
        try:
            parts.append(item.codec.encode(value))
        except FieldError as error:
            if value is None and comment in cls.LENIENT.get(item.name, ()):
                parts.append(" " * item.length)
                continue
            errors.append(
                AutogiroError(
                    error.rule, line=line, column=item.start, field=item.name, got=repr(value)
                )
            )
    if not errors:
        errors = record_rules(record, line)
    if errors:
        return None, errors
    text = "".join(parts)
    offset = utf8_offset(text.encode("latin-1"))
    if offset is not None:
        name = next(item.name for item in cls.LAYOUT if item.start <= offset + 1 <= item.end)
        return None, [
            AutogiroError(
                "reads as UTF-8 in an ISO-8859-1 file (is the text already encoded?)",
                line=line,
                column=offset + 1,
                field=name,
                got=text[offset : offset + 4],
            )
        ]
    return text, _NO_ERRORS


# ---------------------------------------------------------------------------
# Rules that span several fields of one record
# ---------------------------------------------------------------------------


def _column(cls: type[Record], name: str) -> int:
    for item in cls.LAYOUT:
        if item.name == name:
            return item.start
    raise KeyError(name)


def _payment_order_rules(record: Record) -> list[tuple[str, str, object]]:
    assert isinstance(record, PaymentOrder)
    problems: list[tuple[str, str, object]] = []
    if record.payment_date == GENAST and record.period != 0:
        problems.append(("period", "must be 0 when the payment date is GENAST", record.period))
    if record.period == 0 and record.repeats is not None:
        problems.append(("repeats", "must be blank when the period code is 0", record.repeats))
    if isinstance(record.amount, Decimal | int) and record.amount <= 0:
        problems.append(("amount", "must be greater than zero", record.amount))
    return problems


_RULES: Final[dict[type[Record], Callable[[Record], list[tuple[str, str, object]]]]] = {
    PaymentOrder: _payment_order_rules,
}


def record_rules(record: Record, line: int | None = None) -> list[AutogiroError]:
    """Check the rules that involve several fields of ``record``."""
    cls = type(record)
    for base, rule in _RULES.items():
        if issubclass(cls, base):
            return [
                AutogiroError(
                    message,
                    line=record.line if line is None else line,
                    column=_column(cls, name),
                    field=name,
                    got=str(value),
                )
                for name, message, value in rule(record)
            ]
    return []
