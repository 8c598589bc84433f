"""Reads of insurance for pages, the API and the back office (reads of personal data audited
where they are made, see ``policies_of`` and ``applications_of``)."""

from __future__ import annotations

from collections.abc import Callable

from trygg.insurance.models import PeriodChoice, Policy
from trygg.parties.models import Party

# Whether a payer has an autogiro mandate in force that a new insurance can be paid with
# ("betala med befintligt autogiro"). Mandates are premium billing's, a layer above insurance:
# billing answers through this hook, filled in when its app is ready.
_AUTOGIRO_IN_FORCE: list[Callable[[Party], bool]] = []


def autogiro_in_force_register(check: Callable[[Party], bool]) -> None:
    if check not in _AUTOGIRO_IN_FORCE:
        _AUTOGIRO_IN_FORCE.append(check)


def autogiro_in_force(payer: Party) -> bool:
    """Whether ``payer`` has an autogiro mandate in force (none when billing is not installed)."""
    return any(check(payer) for check in _AUTOGIRO_IN_FORCE)


def held_policy_id(*, holder: Party, number: str) -> int | None:
    """The id of the policy with ``number`` that ``holder`` holds (not one they are only
    insured by), or None: what a policyholder's own change is addressed to."""
    rows = Policy.objects.filter(number=number, policyholder=holder)
    return rows.values_list("pk", flat=True).first()


# The payment periods a quote or an application offers, with their labels.
PERIOD_CHOICES = PeriodChoice.choices


def period_label(value: str) -> str:
    return str(PeriodChoice(value).label)
