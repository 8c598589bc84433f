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
    "review.count": _("Draw at least one recording."),
    "survey.nps": _("Answer with a whole number from %(low)s to %(high)s."),
    "survey.satisfaction": _("Answer with a whole number from %(low)s to %(high)s."),
    "survey.resolved": _("Answer yes or no."),
    "visit.name": _("Give the visitor's name."),
    "visit.phone": _("Give the visitor's phone number."),
    "visit.host": _("Name the host the visitor has come to."),
    "visit.no_parking": _("The site has no visitor parking: no car is kept."),
    "visit.car": _("A registration number is like ABC 123 or ABC 12D."),
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
