"""The audit log: append events, seal them into a chain, verify the chain.

Every event carries ``hash``: HMAC-SHA256 (keyed by ``TRYGG_AUDIT_KEY``) over its canonical
content, computed when it is written, so a changed row shows at once. Appending is a plain insert:
no lock, nothing shared between requests. Events are then *sealed* in batches: under the lock of a
single head row each gets the next sequence number and ``chain`` = HMAC(previous chain, seq,
hash), so removing, inserting or reordering rows breaks the chain too, and the head's record of
the last sealed row shows removal of the newest. Sealing runs at most once a second per process
after an append (skipping when another process holds the head; in a web request after the
response has been sent), in the worker, and before every verification; without the key nobody
can forge a consistent replacement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field

from trygg.kernel import clock
from trygg.kernel.models import (
    AuditAction,
    AuditAnchor,
    AuditChainHead,
    AuditChannel,
    AuditEvent,
)
from trygg.kernel.statements import reused_cursor

GENESIS = "0" * 64
SEAL_INTERVAL_SECONDS = 1.0
SEAL_BATCH = 5000


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


def _key() -> bytes:
    return str(settings.TRYGG_AUDIT_KEY).encode()


def _canonical(event: AuditEvent) -> bytes:
    payload = {
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
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    """The HMAC of an event's content."""
    return hmac.new(_key(), _canonical(event), hashlib.sha256).hexdigest()


def compute_chain(previous: str, seq: int, content_hash: str) -> str:
    """The chain value of the event sealed as ``seq`` after one whose chain is ``previous``."""
    return hmac.new(_key(), f"{previous}:{seq}:{content_hash}".encode(), hashlib.sha256).hexdigest()


def _event(
    ctx: AuditContext,
    action: AuditAction | str,
    subject_id: str | int | None,
    object_type: str,
    object_id: str | int | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    event = AuditEvent(
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
    event.hash = compute_hash(event)
    return event


_last_seal = [0.0]


def _seal_soon() -> None:
    """Seal what is waiting, at most once a second per process, never waiting for the lock."""
    now = time.monotonic()
    if now - _last_seal[0] < SEAL_INTERVAL_SECONDS:
        return
    _last_seal[0] = now
    audit_seal(wait=False)


# Inside a request the seal waits until the response has gone out (``request_finished``), so that
# no customer waits for it; elsewhere (commands, the worker) it follows the commit.
_request_appended: ContextVar[list[bool] | None] = ContextVar("audit_request", default=None)


def request_started(**_: Any) -> None:
    _request_appended.set([False])


def request_finished(**_: Any) -> None:
    appended = _request_appended.get()
    _request_appended.set(None)
    if appended and appended[0]:
        _seal_soon()


def _append(events: list[AuditEvent]) -> None:
    """Store events (inside the caller's transaction, if any): one insert, no lock."""
    if not events:
        return
    _insert(events)
    appended = _request_appended.get()
    if appended is not None:
        appended[0] = True
    else:
        transaction.on_commit(_seal_soon)


def _insert(events: list[AuditEvent]) -> None:
    """One INSERT of all the events and nothing around it: outside a transaction it commits
    alone (a page's reads cost one round trip, not a transaction's three). A single event, the
    one :func:`audit_record` hands back, comes back with its id as if saved (through the ORM's
    save, an event cost half as many instructions again)."""
    db = connections[DEFAULT_DB_ALIAS]
    single = len(events) == 1
    if single and not db.features.can_return_columns_from_insert:
        events[0].save(force_insert=True)  # SQLite before 3.35 returns nothing from an insert
        return
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    quote = db.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    if not single and db.vendor == "postgresql":
        _insert_as_json(db, fields, columns, events)
        return
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "  # noqa: S608 (names from the model)
        f"({columns}) VALUES {', '.join([row] * len(events))}"
    )
    if single:
        sql += f" RETURNING {quote(str(AuditEvent._meta.pk.column))}"
    params = [
        f.get_db_prep_save(f.pre_save(event, add=True), db) for event in events for f in fields
    ]
    cursor = reused_cursor(db)
    cursor.execute(sql, params)
    if single:
        (event,) = events
        event.pk = cursor.fetchone()[0]
        event._state.adding, event._state.db = False, DEFAULT_DB_ALIAS


def _insert_as_json(
    db: BaseDatabaseWrapper, fields: list[Field[Any, Any]], columns: str, events: list[AuditEvent]
) -> None:
    """Several events on PostgreSQL: one INSERT of the rows of one JSON parameter. A VALUES
    list binds every field of every event (a page's seven reads: 91 parameters), and past 50
    the driver parses and converts the statement anew each time; one parameter it converts
    once. The values are the fields' as the ORM prepares them; the database reads each column
    from its JSON text with the column's own type (a time with its offset, the address as an
    address, the detail as the JSON it is)."""
    rows = [
        {str(f.column): f.get_prep_value(f.pre_save(event, add=True)) for f in fields}
        for event in events
    ]
    table = db.ops.quote_name(AuditEvent._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (names from the model)
        f"SELECT {columns} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)"
    )
    reused_cursor(db).execute(sql, [json.dumps(rows, default=_json_time)])


def _json_time(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in an audit event")


def audit_seal(*, wait: bool = True, limit: int = SEAL_BATCH) -> int:
    """Give the waiting events their place in the chain; returns how many were sealed. With
    ``wait=False`` it returns 0 at once if another process is sealing."""
    sealed = 0
    while True:
        with transaction.atomic():
            heads = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1)
            head = heads.first()
            if head is None:
                if wait and not AuditChainHead.objects.filter(pk=1).exists():
                    AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
                    continue
                return sealed
            batch = list(
                AuditEvent.objects.filter(seq__isnull=True)
                .order_by("id")
                .only("id", "hash")[:limit]
            )
            if not batch:
                return sealed
            seq, chain = head.seq, head.hash
            for event in batch:
                seq += 1
                chain = compute_chain(chain, seq, event.hash)
                event.seq, event.chain = seq, chain
            _store_seals(batch)
            head.seq, head.hash = seq, chain
            head.save(update_fields=["seq", "hash"])
            sealed += len(batch)
        if len(batch) < limit:
            return sealed


def _store_seals(batch: list[AuditEvent]) -> None:
    """Write the sequence numbers and chain values: on PostgreSQL one statement for the batch
    (a request that seals is held up by one round trip, not one per event)."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint, %s::bigint, %s::text)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS e SET seq = v.seq, chain = v.chain "  # noqa: S608
                f"FROM (VALUES {rows}) AS v(id, seq, chain) WHERE e.id = v.id",
                [value for e in batch for value in (e.pk, e.seq, e.chain)],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, chain = %s WHERE id = %s",  # noqa: S608
                [(e.seq, e.chain, e.pk) for e in batch],
            )


_read_batch: ContextVar[list[AuditEvent] | None] = ContextVar("audit_read_batch", default=None)


@contextmanager
def audit_read_batch() -> Iterator[None]:
    """Collect the read events of a block and append them together when it ends (one insert):
    a page that shows several kinds of personal data. Writes are never deferred."""
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
    """Append one event (inside the caller's transaction, if any). Reads inside
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


def _anchors(breaks: list[ChainBreak]) -> dict[int, AuditAnchor]:
    """The anchors where the chain resumes after expired rows, by the row they lead to; one
    whose seal does not match is reported and not used."""
    from trygg.kernel.auditexpiry import anchor_mac

    found = {}
    for anchor in AuditAnchor.objects.all():
        if hmac.compare_digest(
            anchor.mac, anchor_mac(anchor.gap_from, anchor.seq, anchor.previous_chain)
        ):
            found[anchor.seq] = anchor
        else:
            breaks.append(ChainBreak(anchor.seq, "the anchor after expired rows was changed"))
    return found


def audit_verify(*, limit_breaks: int = 100) -> VerifyResult:
    """Seal what waits, then walk the whole log: report changed rows, rows missing from the
    chain, rows inserted into it, and a head that does not match the end of the log. Rows
    removed by expiry are told apart by their sealed anchor: the chain resumes there."""
    audit_seal()
    breaks: list[ChainBreak] = []
    anchors = _anchors(breaks)
    expected_seq = 1
    chain = GENESIS
    checked = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)
    for event in events:
        checked += 1
        if event.seq is None:  # written after sealing began (a transaction committing now)
            if compute_hash(event) != event.hash:
                breaks.append(ChainBreak(0, f"unsealed row {event.pk}: content was changed"))
            continue
        anchor = anchors.get(event.seq)
        if event.seq > expected_seq and anchor is not None and anchor.gap_from == expected_seq:
            expected_seq, chain = event.seq, anchor.previous_chain  # expired, sealed start
        if event.seq != expected_seq:
            breaks.append(
                ChainBreak(
                    expected_seq,
                    f"rows {expected_seq}..{event.seq - 1} are missing"
                    if event.seq > expected_seq
                    else f"sequence {event.seq} is out of order",
                )
            )
        if compute_hash(event) != event.hash:
            breaks.append(ChainBreak(event.seq, "content does not match its hash (changed)"))
        if compute_chain(chain, event.seq, event.hash) != event.chain:
            breaks.append(ChainBreak(event.seq, "does not link to the previous row (chain)"))
        chain = event.chain
        expected_seq = event.seq + 1
        if len(breaks) >= limit_breaks:
            break
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=GENESIS)
    tail = next((a for a in anchors.values() if a.gap_from == expected_seq), None)
    if tail is not None and tail.seq == head.seq + 1:  # the newest rows expired too
        expected_seq, chain = tail.seq, tail.previous_chain
    if len(breaks) < limit_breaks and (head.seq != expected_seq - 1 or head.hash != chain):
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
    """Append one event per (subject_id, object_id) pair in one insert (list views)."""
    _append([_event(ctx, action, subject, object_type, obj, detail) for subject, obj in items])
    return len(items)


def audit_record_each(
    *,
    ctx: AuditContext,
    action: AuditAction | str,
    object_type: str,
    events: Sequence[tuple[str | int | None, str | int | None, dict[str, Any] | None]],
) -> int:
    """Append one event per (subject_id, object_id, detail) in one insert (a batch of writes
    each with its own detail, e.g. the answers of several blocks recorded together)."""
    _append(
        [_event(ctx, action, subject, object_type, obj, detail) for subject, obj, detail in events]
    )
    return len(events)


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
