"""Errors raised and reported by the Autogiro reader and writer.

Every problem is an :class:`AutogiroError` naming the line (1-based record
number in the file), the column (1-based start position of the field in the
80-character record), the field and the rule that was broken, e.g.::

    line 3, column 16, field payer_number: must be numeric (got 'AB12            ')

Several problems are bundled in an :class:`AutogiroValidationError`.

The rule is English; ``error.code`` is its stable code and
``error.message(lang="sv")`` the whole error in Swedish (see
:mod:`autogiro.messages`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .messages import code_of, translate

__all__ = ["AutogiroError", "AutogiroValidationError"]

_WORDS = {
    "en": {"line": "line", "column": "column", "field": "field", "got": "got", "errors": "errors"},
    "sv": {"line": "rad", "column": "kolumn", "field": "fält", "got": "fick", "errors": "fel"},
}


class AutogiroError(ValueError):
    """One problem in an Autogiro file or record."""

    def __init__(
        self,
        rule: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        got: str | None = None,
    ) -> None:
        self.rule = rule
        self.line = line
        self.column = column
        self.field = field
        self.got = got
        super().__init__(self._render())

    @property
    def code(self) -> str:
        """The rule's stable code (``field.numeric``, ``structure.must_equal`` ...), from
        :data:`autogiro.messages.CATALOGUE`."""
        return code_of(self.rule)

    def message(self, lang: str = "en") -> str:
        """The error in ``lang`` (``"en"`` or ``"sv"``): line, column, field, rule and what was
        found, e.g. ``rad 3, kolumn 16, fält payer_number: ska vara numeriskt (fick 'AB12')``."""
        return self._render(lang)

    def _render(self, lang: str = "en") -> str:
        words = _WORDS.get(lang) or _WORDS["en"]
        rule = translate(self.rule, lang)
        where = []
        if self.line is not None:
            where.append(f"{words['line']} {self.line}")
        if self.column is not None:
            where.append(f"{words['column']} {self.column}")
        if self.field is not None:
            where.append(f"{words['field']} {self.field}")
        text = ", ".join(where)
        text = f"{text}: {rule}" if text else rule
        if self.got is not None:
            text += f" ({words['got']} {self.got!r})"
        return text

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.rule!r}, line={self.line!r}, "
            f"column={self.column!r}, field={self.field!r}, got={self.got!r})"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, AutogiroError)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.rule, self.line, self.column, self.field, self.got)

    def located(self, line: int) -> AutogiroError:
        """Return a copy of this error placed on ``line``."""
        return AutogiroError(
            self.rule, line=line, column=self.column, field=self.field, got=self.got
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of the error."""
        return {
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "rule": self.rule,
            "code": self.code,
            "got": self.got,
            "message": str(self),
            "message_sv": self.message("sv"),
        }


class AutogiroValidationError(AutogiroError):
    """Several problems found in one file or one batch of records.

    ``errors`` lists them in line order; the error itself reads as the first.
    """

    def __init__(self, errors: Iterable[AutogiroError]) -> None:
        self.errors: tuple[AutogiroError, ...] = tuple(errors)
        if not self.errors:
            raise ValueError("AutogiroValidationError needs at least one error")
        first = self.errors[0]
        super().__init__(
            first.rule, line=first.line, column=first.column, field=first.field, got=first.got
        )

    def _render(self, lang: str = "en") -> str:
        errors: tuple[AutogiroError, ...] = getattr(self, "errors", ())
        if len(errors) == 1:
            return errors[0].message(lang)
        words = _WORDS.get(lang) or _WORDS["en"]
        lines = [f"{len(errors)} {words['errors']}:"]
        lines.extend(f"  {error.message(lang)}" for error in errors)
        return "\n".join(lines)

    def _key(self) -> tuple[Any, ...]:
        return self.errors
