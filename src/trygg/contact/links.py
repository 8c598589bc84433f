"""The signed links in every survey (``django.core.signing``, salted per use, expiring): one to
answer (``TRYGG_SURVEY_ANSWER_DAYS``) and one to object to direct marketing
(``TRYGG_OBJECTION_LINK_DAYS``). A link names the survey by its response id only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from trygg.kernel.errors import ValidationFailed

SALT = "trygg.contact.objection-link"
ANSWER_SALT = "trygg.contact.survey-answer"


def objection_token(*, response_id: uuid.UUID) -> str:
    """The link's token names the survey (its response id), never the person or an address."""
    return signing.dumps({"s": response_id.hex}, salt=SALT)


def answer_token(*, response_id: uuid.UUID) -> str:
    return signing.dumps({"s": response_id.hex}, salt=ANSWER_SALT)


def answer_target(token: str) -> uuid.UUID:
    """The survey a link to answer is for; tampered or expired refused clearly."""
    return _survey_of(
        token,
        ANSWER_SALT,
        settings.TRYGG_SURVEY_ANSWER_DAYS,
        code="survey.link",
        expired=_("The link has expired: the survey can no longer be answered. Thank you anyway."),
        invalid=_(
            "The link is not valid: it may have been cut or changed. Copy the whole link from "
            "the message."
        ),
    )


def objection_target(token: str) -> uuid.UUID:
    """The survey whose link was followed; a tampered or expired link is refused clearly."""
    return _survey_of(
        token,
        SALT,
        settings.TRYGG_OBJECTION_LINK_DAYS,
        code="objection.link",
        expired=_(
            "The link has expired. You can still object on My pages or by calling customer service."
        ),
        invalid=_(
            "The link is not valid: it may have been cut or changed. Copy the whole link from "
            "the message, or object on My pages or by calling customer service."
        ),
    )


def _survey_of(
    token: str, salt: str, days: int, *, code: str, expired: str, invalid: str
) -> uuid.UUID:
    try:
        data = signing.loads(token or "", salt=salt, max_age=days * 86400)
        return uuid.UUID(hex=str(data.get("s")))
    except signing.SignatureExpired:
        raise ValidationFailed(code=f"{code}_expired", field="t", message=expired) from None
    except (signing.BadSignature, ValueError, AttributeError):
        raise ValidationFailed(code=f"{code}_invalid", field="t", message=invalid) from None
