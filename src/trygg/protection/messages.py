"""The rules' errors in the user's language (the rules themselves speak English)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.protection.rules import RuleError

MESSAGES: dict[str, Promise] = {
    "card_number.refused": _(
        "A card number must never be given: register the card by issuer and card type (and the "
        "last 4 digits where asked)."
    ),
    "ks.format": _("KS is the last 4 digits of the card number."),
    "imei.format": _("An IMEI has 15 digits (dial *#06# on the phone to see it)."),
    "imei.checksum": _("The IMEI's check digit is wrong: please read it again."),
    "issuer.kind": _("This issuer does not issue that kind of item."),
    "document_kind.required": _("Choose the kind of document."),
    "lift.card": _(
        "A card block cannot be lifted through us, for your security: contact the card's issuer."
    ),
    "call.transition": _("The call cannot go from %(state_from)s to %(state_to)s."),
    "block.transition": _("The block cannot go from %(state_from)s to %(state_to)s."),
}


def rule_message(error: RuleError) -> str:
    message = MESSAGES.get(error.code)
    if message is None:
        return error.message
    try:
        return (
            str(message) % error.params if error.params and "%(" in str(message) else str(message)
        )
    except (KeyError, TypeError):
        return str(message)
