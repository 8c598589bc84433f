"""Database ids as clients send them: whole numbers from 1 to 2**63 - 1 (a 64-bit primary key).

A larger number names nothing, but SQLite cannot even bind it (an OverflowError, a 500) and
PostgreSQL refuses it in an insert: it is refused where it comes in, as a rule broken by the
field (API), or as a page that does not exist (URL path).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

MAX_ID: Final = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id: a whole number, 1 or more.")]
"""An id field or path parameter of the API (pydantic refuses it with 422 naming the field)."""


def as_id(value: object) -> int | None:
    """``value`` as an id, or None when it cannot name a row (not an int, out of range)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_ID else None


class IdConverter:
    """The ``<id:...>`` URL path converter: ASCII digits within the 64-bit range; anything else
    is no match (404), never a database error."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
