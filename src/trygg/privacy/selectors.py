"""Privacy reads for the portal: a person's own requests and the copy they download. Every
read of personal data is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.privacy.models import RequestKind, RequestState, SubjectRequest

SALT = "trygg.privacy.export"


def requests_of(*, ctx: AuditContext, party: Party) -> list[SubjectRequest]:
    """The person's requests, newest first, with the notices of their rectifications to the
    recipients (one audited read)."""
    found = list(
        SubjectRequest.objects.filter(party=party)
        .prefetch_related("notices")
        .order_by("-created_at", "-pk")
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="subject-request",
        object_id=None,
        detail={"view": "list", "count": len(found)},
    )
    return found


def download_token(request: SubjectRequest) -> str:
    """The signed part of a copy's download link: the request and its person."""
    return signing.dumps({"r": request.pk, "p": request.party_id}, salt=SALT)


def _available_until(request: SubjectRequest) -> dt.datetime | None:
    if request.closed_at is None:
        return None
    return request.closed_at + dt.timedelta(days=settings.TRYGG_PRIVACY_EXPORT_DAYS)


def export_for_download(*, ctx: AuditContext, party: Party, token: str) -> dict[str, Any]:
    """The copy a download link names, for its own person only, within its days (audited as an
    export). A link changed by hand, or of another person: not found; an old one: expired."""
    max_age = dt.timedelta(days=settings.TRYGG_PRIVACY_EXPORT_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationFailed(
            code="export.expired",
            field="token",
            message=_("This download link has expired. Ask for a new copy of your data."),
        ) from None
    except signing.BadSignature:
        raise NotFound(_("This download link is not valid."), code="export.tampered") from None
    request = SubjectRequest.objects.filter(
        pk=data.get("r"),
        party=party,
        kind=RequestKind.ACCESS,
        state=RequestState.COMPLETED,
    ).first()
    if request is None or data.get("p") != party.pk or request.export is None:
        raise NotFound(_("This download link is not valid."), code="export.tampered")
    until = _available_until(request)
    if until is not None and clock.now() > until:
        raise ValidationFailed(
            code="export.expired",
            field="token",
            message=_("This download link has expired. Ask for a new copy of your data."),
        )
    audit_record(
        ctx=ctx,
        action=AuditAction.EXPORT,
        subject_id=party.pk,
        object_type="subject-request",
        object_id=request.pk,
        detail={"view": "download"},
    )
    return dict(request.export)
