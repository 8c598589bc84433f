"""Reads of identity data for views and APIs (audited where personal)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from trygg.identity.models import LoginEvent, SecurityToken, SigningOrder, TokenState
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import PreparedRead, PreparedRows
from trygg.parties.models import Party

_LOGINS = PreparedRead(
    lambda party_id, limit: LoginEvent.objects.filter(party_id=party_id).order_by(
        "-occurred_at", "-id"
    )[:limit]
)
_LOGIN_ROWS = PreparedRows(
    lambda party_id, limit: (
        LoginEvent.objects.filter(party_id=party_id)
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", "method", "channel", "success")[:limit]
    )
)
_TOKENS_SENT = PreparedRead(
    lambda party_id: SecurityToken.objects.filter(party_id=party_id, state=TokenState.SENT)[:1]
)


def login_history(*, ctx: AuditContext, party: Party, limit: int = 20) -> list[LoginEvent]:
    """The newest log-ins and failed attempts of ``party`` (an audited read)."""
    rows = _LOGINS(party.pk, limit=limit)
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="login_history",
        object_id=party.pk,
    )
    return rows


class LoginLine(NamedTuple):
    """A log-in or failed attempt as the overview shows it: a row, not a model instance (the
    labels are the choices' of :class:`LoginEvent`'s method and channel)."""

    occurred_at: dt.datetime
    method: str
    channel: str
    success: bool


def login_lines(*, ctx: AuditContext, party: Party, limit: int = 20) -> list[LoginLine]:
    """:func:`login_history` as rows: the same read, the same audited event."""
    rows = [LoginLine._make(row) for row in _LOGIN_ROWS(party.pk, limit=limit)]
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="login_history",
        object_id=party.pk,
    )
    return rows


def token_to_activate(party: Party) -> bool:
    """Whether a security token has been sent to ``party`` and waits for activation."""
    return bool(_TOKENS_SENT(party.pk))


def active_token_kind(party: Party) -> str | None:
    """The kind of the party's active security token (``ocra`` answers a challenge, ``totp``
    shows a time code), or None without one."""
    return (
        SecurityToken.objects.filter(party=party, state=TokenState.ACTIVE)
        .values_list("kind", flat=True)
        .first()
    )


def signing_order_of(*, ctx: AuditContext, person: Party, public_id: str) -> SigningOrder | None:
    """The person's own signing order (what it signs: amount, payee, account), or None: an
    audited read when found."""
    order = SigningOrder.objects.filter(public_id=public_id, party=person).first()
    if order is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="signing_order",
            object_id=order.pk,
        )
    return order


def signing_order_to_collect(*, person: Party, public_id: str) -> SigningOrder | None:
    """The person's own order whose BankID signature is being collected: polled every few
    seconds and never shown (the sign page's read is the audited one)."""
    return SigningOrder.objects.filter(public_id=public_id, party=person).first()
