"""Who acts in a request: the audit context for a customer, a member of staff or nobody."""

from __future__ import annotations

from django.http import HttpRequest

from trygg.identity.sessions import customer_session
from trygg.kernel.audit import AuditContext
from trygg.kernel.models import AuditChannel


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def audit_context(request: HttpRequest, channel: str) -> AuditContext:
    ip = client_ip(request)
    user = getattr(request, "user", None)
    if channel == AuditChannel.BACK_OFFICE and user is not None and user.is_authenticated:
        return AuditContext(
            actor_kind="staff",
            actor_id=str(user.pk),
            actor_label=user.get_username(),
            channel=channel,
            ip=ip,
        )
    session = customer_session(request) if hasattr(request, "session") else None
    if session is not None:
        return AuditContext(
            actor_kind="customer",
            actor_id=str(session.party_id),
            actor_label=f"party:{session.party_id}",
            channel=channel,
            ip=ip,
        )
    return AuditContext(actor_kind="anonymous", channel=channel, ip=ip)
