"""Translated messages for the PIN rules (the pure ``rules.pin_problems`` speaks English only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from trygg.identity.rules import PinProblem

_MESSAGES = {
    "pin.digits_only": gettext_lazy("A PIN consists of digits only."),
    "pin.length": gettext_lazy("A PIN has 4, 5 or 6 digits."),
    "pin.repeated_digit": gettext_lazy("A PIN must not repeat one digit."),
    "pin.sequence": gettext_lazy("A PIN must not be a run of digits such as 1234."),
    "pin.pattern": gettext_lazy("A PIN must not repeat a pattern such as 1212."),
    "pin.common": gettext_lazy("This PIN is among the most common; choose another."),
    "pin.birth_date": gettext_lazy("A PIN must not be your birth date or year."),
    "pin.id_number": gettext_lazy("A PIN must not be the end of your identity number."),
}


def pin_message(problem: PinProblem) -> str:
    """The rule's text in the user's language; a rule without a translation keeps its own."""
    return str(_MESSAGES.get(problem.code, problem.message))
