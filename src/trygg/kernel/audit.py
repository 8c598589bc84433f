"""The audit log: append an event, verify the chain.

Every event's hash is HMAC-SHA256 (keyed by ``TRYGG_AUDIT_KEY``) over its canonical content and
the previous event's hash, so changing, inserting or removing a row breaks the chain, and nobody
without the key can forge a consistent replacement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from trygg.kernel import clock
from trygg.kernel.models import AuditAction, AuditChainHead, AuditChannel, AuditEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    """Who acts, through which channel, from where. Built once per request or batch run."""

    actor_kind: str  # customer, staff, system, anonymous
    actor_id: str = ""
    actor_label: str = ""
    channel: str = AuditChannel.SYSTEM
    ip: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


SYSTEM = AuditContext(actor_kind="system", actor_label="trygg", channel=AuditChannel.SYSTEM)


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_kind": event.actor_kind,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "channel": event.channel,
        "subject_id": event.subject_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip or "",
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    key = settings.TRYGG_AUDIT_KEY.encode()
    return hmac.new(key, _canonical(event), hashlib.sha256).hexdigest()


def _locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction. Created on first use in an empty log (the
    migration creates it too); a log with rows but no head has been tampered with."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if AuditEvent.objects.exists():
            raise RuntimeError("The audit chain head is missing: run `trygg audit verify`.")
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _event(
    ctx: AuditContext,
    action: AuditAction | str,
    subject_id: str | int | None,
    object_type: str,
    object_id: str | int | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        occurred_at=clock.now(),
        actor_kind=ctx.actor_kind,
        actor_id=str(ctx.actor_id or ""),
        actor_label=ctx.actor_label[:200],
        action=str(action),
        channel=str(ctx.channel),
        subject_id="" if subject_id is None else str(subject_id),
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        ip=ctx.ip,
        detail={**ctx.extra, **(detail or {})},
    )


def _append(events: list[AuditEvent]) -> None:
    """Chain and store events under one lock of the head (inside the caller's transaction)."""
    if not events:
        return
    reads_alone = not connection.in_atomic_block and all(
        e.action == AuditAction.READ for e in events
    )
    with transaction.atomic():
        if reads_alone and connection.vendor == "postgresql":
            # A transaction holding only read events commits without waiting for the WAL
            # flush: the head lock is then held for microseconds, not a disk sync, so pages
            # that read personal data do not queue behind each other's fsync. A database crash
            # can lose the last fraction of a second of read events (with their head update:
            # the chain stays consistent); never a change, which commits with its own data.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        head = _locked_head()
        seq, prev = head.seq, head.hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = compute_hash(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])


_read_batch: ContextVar[list[AuditEvent] | None] = ContextVar("audit_read_batch", default=None)


@contextmanager
def audit_read_batch() -> Iterator[None]:
    """Collect the read events of a block and append them together when it ends (one lock,
    one insert): a page that shows several kinds of personal data. Writes are never deferred."""
    if _read_batch.get() is not None:  # already batching: the outer block appends
        yield
        return
    pending: list[AuditEvent] = []
    token = _read_batch.set(pending)
    try:
        yield
    finally:
        _read_batch.reset(token)
        _append(pending)


def audit_record(
    *,
    ctx: AuditContext,
    action: AuditAction | str,
    subject_id: str | int | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction, if any). Reads inside
    :func:`audit_read_batch` are appended when the batch ends."""
    event = _event(ctx, action, subject_id, object_type, object_id, detail)
    pending = _read_batch.get()
    if pending is not None and event.action == AuditAction.READ:
        pending.append(event)
    else:
        _append([event])
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)


def audit_verify(*, limit_breaks: int = 100) -> VerifyResult:
    """Walk the whole chain in order; report changed, inserted or removed rows."""
    breaks: list[ChainBreak] = []
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for event in _events():
        checked += 1
        if event.seq != expected_seq:
            breaks.append(
                ChainBreak(
                    expected_seq,
                    f"rows {expected_seq}..{event.seq - 1} are missing"
                    if event.seq > expected_seq
                    else f"sequence {event.seq} is out of order",
                )
            )
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.seq, "does not link to the previous row's hash"))
        if compute_hash(event) != event.hash:
            breaks.append(ChainBreak(event.seq, "content does not match its hash (changed)"))
        prev = event.hash
        expected_seq = event.seq + 1
        if len(breaks) >= limit_breaks:
            break
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=GENESIS)
    if len(breaks) < limit_breaks and (head.seq != expected_seq - 1 or head.hash != prev):
        breaks.append(
            ChainBreak(
                expected_seq,
                f"the chain head records row {head.seq}, the log ends at row {expected_seq - 1} "
                "(newest rows removed or head changed)",
            )
        )
    return VerifyResult(checked=checked, breaks=breaks)


def audit_record_many(
    *,
    ctx: AuditContext,
    action: AuditAction | str,
    object_type: str,
    items: list[tuple[str | int | None, str | int | None]],
    detail: dict[str, Any] | None = None,
) -> int:
    """Append one event per (subject_id, object_id) pair under a single lock (list views)."""
    _append([_event(ctx, action, subject, object_type, obj, detail) for subject, obj in items])
    return len(items)


def staff_context(request: Any, channel: str = AuditChannel.BACK_OFFICE) -> AuditContext:
    """The audit context of a member of staff acting through the back office."""
    user = request.user
    return AuditContext(
        actor_kind="staff",
        actor_id=str(user.pk),
        actor_label=user.get_username(),
        channel=channel,
        ip=request.META.get("REMOTE_ADDR") or None,
    )
