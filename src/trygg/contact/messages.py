"""The rules' errors in the user's language (the rules themselves speak English)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.contact.rules import RuleError

MESSAGES: dict[str, Promise] = {
    "site.no_controller": _("The site has no controller on %(day)s."),
    "site.controller_name": _("Name the controller."),
    "site.controller_backdated": _(
        "A change of controller applies from today or a later date, not from the past."
    ),
    "site.controller_same_day": _("The site already changes controller on that date."),
    "interaction.purpose_missing": _(
        "A recording needs its purpose: a perceived threat, or quality and training."
    ),
    "interaction.purpose_unknown": _(
        "A recording is made at a perceived threat or for quality and training only."
    ),
    "interaction.declined_needs_quality": _(
        "Only a recording for quality and training can be declined; a threat is recorded."
    ),
    "interaction.reported_needs_threat": _("Only a recorded threat is reported to the police."),
    "interaction.file_expired": _(
        "The recording's file comes too late: a file is taken up to %(hours)s hours after the "
        "interaction started."
    ),
    "interaction.declined_to_stored": _(
        "The person said no to this recording: its file is refused and not kept."
    ),
    "interaction.stored_to_stored": _("The recording's file is already stored."),
    "interaction.reported_to_stored": _("The recording's file is already stored."),
    "interaction.started_future": _("The interaction's start is in the future."),
    "interaction.started_late": _(
        "An interaction is reported within %(hours)s hours of its start."
    ),
    "passage.too_old": _("The passage is older than any visit that is kept (%(days)s days)."),
    "passage.card": _("Give the card's number."),
    "passage.door": _("Name the door the card passed."),
    "passage.direction": _("A card passes a door in or out."),
    "passage.future": _("The passage's time is in the future."),
    "passage.card_unknown": _("No visitor held that card at that time."),
    "passage.signed_out": _("The visitor who held that card had signed out before the passage."),
    "review.count": _("Draw at least one recording."),
    "survey.nps": _("Answer with a whole number from %(low)s to %(high)s."),
    "survey.satisfaction": _("Answer with a whole number from %(low)s to %(high)s."),
    "survey.resolved": _("Answer yes or no."),
    "visit.name": _("Give the visitor's name."),
    "visit.phone": _("Give the visitor's phone number."),
    "visit.host": _("Name the host the visitor has come to."),
    "visit.no_parking": _("The site has no visitor parking: no car is kept."),
    "visit.car": _("A registration number is like ABC 123 or ABC 12D."),
    "ticket.country": _("Give the country as two letters (SE, IN)."),
    "ticket.safeguard": _(
        "A processor's staff outside the EU/EEA handle data only under a safeguard: name it."
    ),
    "ticket.state_unknown": _("A ticket is closed or reopened."),
    "ticket.open_to_open": _("The ticket is already open."),
    "ticket.closed_to_closed": _("The ticket is already closed."),
    "custody.unknown": _("A copy is handed over or received."),
    "custody.exported_to_received": _("The copy must be handed over before it is received."),
    "custody.received_to_handed-over": _("The copy is already received: the chain is complete."),
    "custody.received_to_received": _("The copy is already received: the chain is complete."),
}

TRANSITION = _("The recording cannot go from %(state_from)s to %(state_to)s.")


def rule_message(error: RuleError) -> str:
    message = MESSAGES.get(error.code)
    if message is None and "state_from" in error.params:
        message = TRANSITION
    if message is None:
        return error.message
    try:
        return str(message) % error.params if "%(" in str(message) else str(message)
    except (KeyError, TypeError):
        return str(message)
