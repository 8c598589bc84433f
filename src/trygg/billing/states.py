"""The one way a charge's or a mandate's state changes: along the transition tables of
``billing.rules`` (``CHARGE_TRANSITIONS``, ``MANDATE_TRANSITIONS``).

One row is checked against the table and written with a conditional update on the state it was
read in (a row changed meanwhile is refused, never overwritten); a set-based update of many rows
takes its from-states from the same table (``rules.sources``), so a row in a state the table
does not let move is left as it is. ``tests/test_state_columns.py`` fails when another module
writes either column.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trygg.billing import rules
from trygg.billing.models import Charge, Mandate


def _refused(what: str, now: str, to: str) -> rules.RuleError:
    return rules.RuleError(
        f"{what}.transition",
        "state",
        f"The {what} changed meanwhile: it is no longer {now}, so it cannot become {to}.",
        state_from=now,
        state_to=to,
    )


def charge_move(charge: Charge, to: str, **fields: Any) -> None:
    """Move one charge (and write ``fields`` with it); refused when the table does not allow it
    or the row is no longer in the state it was read in."""
    now = str(charge.state)
    rules.check_move(rules.CHARGE_TRANSITIONS, now, to, "charge")
    if not Charge.objects.filter(pk=charge.pk, state=now).update(state=to, **fields):
        raise _refused("charge", now, to)
    charge.state = to
    for name, value in fields.items():
        setattr(charge, name, value)


def charges_move(rows: QuerySet[Charge], to: str, **fields: Any) -> int:
    """Move every charge of ``rows`` that the table lets become ``to``, in one statement; the
    number moved."""
    allowed = rules.sources(rules.CHARGE_TRANSITIONS, to)
    return rows.filter(state__in=sorted(allowed)).update(state=to, **fields)


def charges_settled_from(*targets: str) -> list[str]:
    """The states a charge may be in to become any of ``targets``: what a set-based statement
    that sets one of them per row (Bankgirot's answers to debits) may match."""
    allowed = set.intersection(*(set(rules.sources(rules.CHARGE_TRANSITIONS, t)) for t in targets))
    return sorted(allowed)


def mandate_move(mandate: Mandate, to: str, **fields: Any) -> None:
    """Move one mandate (the caller records its event and audit); refused like ``charge_move``."""
    now = str(mandate.state)
    rules.check_move(rules.MANDATE_TRANSITIONS, now, to, "mandate")
    if not Mandate.objects.filter(pk=mandate.pk, state=now).update(state=to, **fields):
        raise _refused("mandate", now, to)
    mandate.state = to
    for name, value in fields.items():
        setattr(mandate, name, value)


def mandates_move(rows: QuerySet[Mandate], to: str, **fields: Any) -> int:
    """Move every mandate of ``rows`` that the table lets become ``to``; the number moved."""
    allowed = rules.sources(rules.MANDATE_TRANSITIONS, to)
    return rows.filter(state__in=sorted(allowed)).update(state=to, **fields)
