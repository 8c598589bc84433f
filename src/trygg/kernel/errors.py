"""Domain errors with stable codes.

A ``DomainError`` names the rule it enforces (``code``, stable across releases), the field that
broke it (``field``, a dotted path as the API and forms name it, or ``None`` for the whole
request) and a message for people. The API turns it into RFC 9457 problem+json; the portal shows
the message beside the field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str | None
    code: str
    message: str


@dataclass
class DomainError(Exception):
    code: str
    message: str
    field: str | None = None
    status: int = 422
    problems: list[FieldProblem] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if not self.problems:
            self.problems = [FieldProblem(self.field, self.code, self.message)]

    def __str__(self) -> str:
        return self.message


class ValidationFailed(DomainError):
    """Input that breaks one or more rules (HTTP 422)."""


class NotFound(DomainError):
    """Something that does not exist, or that the caller may not see (HTTP 404)."""

    def __init__(self, message: str = "Not found.", code: str = "not_found") -> None:
        super().__init__(code=code, message=message, status=404)


class PermissionDenied(DomainError):
    def __init__(self, message: str = "Not allowed.", code: str = "forbidden") -> None:
        super().__init__(code=code, message=message, status=403)


class AuthenticationFailed(DomainError):
    def __init__(self, message: str, code: str = "authentication_failed") -> None:
        super().__init__(code=code, message=message, status=401)


class Conflict(DomainError):
    def __init__(self, message: str, code: str = "conflict", field: str | None = None) -> None:
        super().__init__(code=code, message=message, field=field, status=409)
