"""Translated messages for identity-number errors (the pure module speaks English only)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.kernel.idnumbers import IdNumberError


def id_number_message(error: IdNumberError) -> str:
    """The error in the user's language: the precise English sentence in English, the rule's
    translated text in Swedish and Norwegian."""
    if (get_language() or "sv").startswith("en"):
        return error.message
    messages = {
        "id_number.format": _(
            "Enter a personal identity number with 10 or 12 digits (YYYYMMDD-NNNN), or a "
            "Norwegian fødselsnummer with 11 digits."
        ),
        "id_number.checksum": _(
            "The check digit does not match: check the number for typing errors."
        ),
        "id_number.date": _("The number does not contain a valid birth date."),
        "id_number.kind": _("Enter a personal identity number, not an organisation number."),
    }
    return messages.get(error.code, error.message)
