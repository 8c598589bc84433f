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
    "agreement.transition": _("The agreement cannot go from %(state_from)s to %(state_to)s."),
    "cancellation.notice": _(
        "The agreement can end on %(earliest)s at the earliest (the notice period)."
    ),
    "cancellation.period_end": _(
        "A prepaid agreement or an insurance ends at the end of its period, %(earliest)s."
    ),
    "due_on.moves_used": _(
        "The due date of this invoice cannot be moved again (the product allows %(moves)s)."
    ),
    "due_on.reminded": _("A reminded invoice's due date cannot be moved."),
    "due_on.not_later": _("The new due date must be later than the current one."),
    "due_on.too_late": _("The due date can be moved at most %(days)s days."),
    "kid.format": _("A KID is 2 to 25 digits."),
    "kid.checksum": _("The KID's check digit is wrong."),
    "entity.none": _("No legal entity was in force on that day."),
    "found_keys.transition": _("The case cannot go from %(state_from)s to %(state_to)s."),
    "serial.format": _("A key tag's number is 9 digits, as printed on the tag."),
    "reward.keys_not_in": _("The finder's reward is paid once the keys are with us or the police."),
    "dispute.transition": _("The claim cannot go from %(state_from)s to %(state_to)s."),
    "account.invalid": _("A Norwegian account number has 11 digits and a valid check digit."),
    "protection_claim.transition": _("The claim cannot go from %(state_from)s to %(state_to)s."),
    "document.type": _("A document must be a PDF, JPEG or PNG file."),
    "document.empty": _("The file is empty."),
    "document.size": _("A document can be at most %(max_mb)s MB."),
    "document.count": _("A claim can have at most %(max)s documents."),
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
