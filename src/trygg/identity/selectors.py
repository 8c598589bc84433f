"""Reads of identity data for views and APIs (audited where personal)."""

from __future__ import annotations

from django.db.models import QuerySet

from trygg.identity.models import LoginEvent
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party


def login_history(*, ctx: AuditContext, party: Party, limit: int = 20) -> list[LoginEvent]:
    """The newest log-ins and failed attempts of ``party`` (an audited read)."""
    events: QuerySet[LoginEvent] = LoginEvent.objects.filter(party=party).order_by(
        "-occurred_at", "-id"
    )
    rows = list(events[:limit])
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="login_history",
        object_id=party.pk,
    )
    return rows
