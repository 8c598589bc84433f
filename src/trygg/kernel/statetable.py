"""The one check of every state machine: a table of allowed transitions, pure Python.

Each domain writes its tables in its ``rules.py`` (``{state: frozenset(next states)}``) and
changes a state column only through its transition functions, which call :func:`check_move`
for one row and take the from-states of a set-based update from :func:`sources`, so a row in a
state the table does not allow to move is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

StateTable = Mapping[Any, frozenset[Any]]


class RuleError(Exception):
    """A broken rule, named by a stable ``code`` and the ``field`` it concerns."""

    def __init__(self, code: str, field: str | None, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.params = params


def allowed(table: StateTable, now: str, to: str) -> bool:
    return str(to) in {str(state) for state in table.get(now, frozenset())}


def check_move(table: StateTable, now: str, to: str, what: str) -> None:
    """Refuse a state change the table does not allow (``<what>.transition``)."""
    if not allowed(table, now, to):
        raise RuleError(
            f"{what}.transition",
            "state",
            f"A {what} cannot go from {now} to {to}.",
            state_from=str(now),
            state_to=str(to),
        )


def sources(table: StateTable, to: str) -> frozenset[str]:
    """The states from which the table allows ``to``: the from-states of a set-based update."""
    return frozenset(str(now) for now, nexts in table.items() if str(to) in {str(s) for s in nexts})


def check_table(table: StateTable) -> None:
    """A table names every state it leads to as a state of its own (a terminal one maps to an
    empty set), so a typo cannot open a path to nowhere."""
    known = {str(state) for state in table}
    for now, nexts in table.items():
        unknown = {str(s) for s in nexts} - known
        if unknown:
            raise ValueError(f"{now} leads to states the table does not list: {sorted(unknown)}")
