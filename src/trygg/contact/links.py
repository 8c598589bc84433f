"""The signed one-click link in every survey to object to direct marketing
(``django.core.signing``, salted for this use, expiring after ``TRYGG_OBJECTION_LINK_DAYS``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from trygg.kernel.errors import ValidationFailed

SALT = "trygg.contact.objection-link"


@dataclass(frozen=True)
class LinkTarget:
    party_id: int | None
    contact: str


def objection_token(*, party_id: int | None, contact: str) -> str:
    return signing.dumps({"p": party_id, "c": contact}, salt=SALT, compress=True)


def objection_target(token: str) -> LinkTarget:
    """Who the link is for; a tampered or expired link is refused with a clear error."""
    max_age = settings.TRYGG_OBJECTION_LINK_DAYS * 86400
    try:
        data = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationFailed(
            code="objection.link_expired",
            field="t",
            message=_(
                "The link has expired. You can still object on My pages or by calling customer "
                "service."
            ),
        ) from None
    except signing.BadSignature:
        raise ValidationFailed(
            code="objection.link_invalid",
            field="t",
            message=_(
                "The link is not valid: it may have been cut or changed. Copy the whole link from "
                "the message, or object on My pages or by calling customer service."
            ),
        ) from None
    party_id = data.get("p")
    return LinkTarget(party_id if isinstance(party_id, int) else None, str(data.get("c") or ""))
