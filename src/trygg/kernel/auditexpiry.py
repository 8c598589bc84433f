"""The audit log kept up to 13 months (seed 002: "sparar vi i upp till 13 månader").

On PostgreSQL the log is partitioned by month of ``occurred_at`` (migration 0005): a month goes
whole, by dropping its partition, on the day its first day is 13 months old, so no event is
kept longer than 13 months. Partitions are made three months ahead by the daily work; an event
outside them lands in a default partition, whose expired rows are deleted. On SQLite the same
rows are deleted in one statement. Either way the chain stays provable: before rows go, each
gap they leave in the sequence numbers (joined with the gaps of earlier expiries it reaches)
gets one anchor (``AuditAnchor``) holding the chain value of the gap's last row, sealed with the
audit key; ``audit_verify`` resumes the chain there.

A dropped month's rows are not read: the seal numbers rows without gaps, so the numbers between
the month's lowest and highest are its rows, less those of the range that stay (found through
the ``seq`` index of the partitions that stay) and those earlier expiries removed (see
:func:`_removed`). The cost is a few index probes, whatever the month's size. What that does not
see: a row that someone else removed from inside a dropped month's range before it expired is
taken for expired, unless it ends a gap (the anchor needs its chain value, and the expiry
refuses); every ``trygg audit verify`` before the month expires reports it. Rows deleted (the
default partition's, SQLite's) are read by the delete anyway, and their gaps come from the rows.

Deleting and dropping need the table's owner (the triggers refuse row deletes to everyone
else): the retention run is the one place that does it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from trygg.kernel.audit import _key, audit_seal
from trygg.kernel.dbtriggers import install_append_only, remove_append_only
from trygg.kernel.models import AuditAnchor, AuditChainHead

log = logging.getLogger(__name__)

TABLE = "kernel_auditevent"
KEEP_MONTHS = 13
AHEAD_MONTHS = 3


def anchor_mac(gap_from: int, seq: int, previous_chain: str) -> str:
    message = f"anchor:{gap_from}:{seq}:{previous_chain}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def expire_before(on: dt.date) -> dt.date:
    """The first day of the oldest month kept on business date ``on``: a month goes when its
    first day is 13 months old (January 2026 goes on 1 February 2027), so nothing is kept
    longer than 13 months."""
    return add_months(month_start(on), 1 - KEEP_MONTHS)


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _partitions() -> list[tuple[str, dt.date | None]]:
    """(name, first day of its month; None for the default partition)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found: list[tuple[str, dt.date | None]] = []
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_")
        if suffix == "default":
            found.append((name, None))
        elif len(suffix) == 8 and suffix[0] == "y" and suffix[5] == "m":
            found.append((name, dt.date(int(suffix[1:5]), int(suffix[6:8]), 1)))
    return sorted(found, key=lambda item: item[1] or dt.date.min)


def partitions_ensure(on: dt.date, *, ahead: int = AHEAD_MONTHS) -> list[str]:
    """Make the month partitions from ``on``'s month to ``ahead`` months later; returns the
    names made. A month whose events already sit in the default partition is left there."""
    if not partitioned():
        return []
    existing = {month for _name, month in _partitions() if month}
    made = []
    for offset in range(ahead + 1):
        month = add_months(month_start(on), offset)
        if month in existing:
            continue
        start, end = _instant(month), _instant(add_months(month, 1))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {TABLE}_default "  # noqa: S608 (our names)
                "WHERE occurred_at >= %s AND occurred_at < %s)",
                [start, end],
            )
            if cursor.fetchone()[0]:
                log.warning("audit events of %s are in the default partition", month)
                continue
            cursor.execute(
                f"CREATE TABLE {partition_name(month)} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        made.append(partition_name(month))
    return made


Run = tuple[int, int]  # the first and last sequence number of consecutive rows


@dataclass(frozen=True)
class Expiry:
    before: dt.datetime
    removed: int
    partitions: tuple[str, ...]


@dataclass(frozen=True)
class _Rows:
    """The rows of one table, or those of them on one side of the expiry's instant."""

    table: str
    condition: str = ""
    params: tuple[Any, ...] = ()

    def select(
        self, columns: str, condition: str = "", params: tuple[Any, ...] = ()
    ) -> tuple[str, list[Any]]:
        sql = f"SELECT {columns} FROM {self.table}{self._where(condition)}"  # noqa: S608
        return sql, [*self.params, *params]

    def delete(self, condition: str = "") -> tuple[str, list[Any]]:
        sql = f"DELETE FROM {self.table}{self._where(condition)}"  # noqa: S608 (our names)
        return sql, list(self.params)

    def _where(self, condition: str) -> str:
        conditions = " AND ".join(c for c in (self.condition, condition) if c)
        return f" WHERE {conditions}" if conditions else ""


@dataclass(frozen=True)
class _Plan:
    """What an expiry removes: month partitions dropped whole (``numbered``: their rows are
    known by their sequence numbers, never read), the rows deleted (``deleted``: the default
    partition's expired rows, or on SQLite the table's, read as the delete reads them), and the
    rows that stay (``kept``)."""

    dropped: tuple[str, ...]
    numbered: tuple[_Rows, ...]
    deleted: _Rows | None
    kept: tuple[_Rows, ...]

    @property
    def removing(self) -> tuple[_Rows, ...]:
        return (*self.numbered, *((self.deleted,) if self.deleted else ()))


def _plan(before: dt.datetime) -> _Plan:
    after = _Rows(TABLE, "occurred_at >= %s", (before,))
    if not partitioned():
        return _Plan((), (), _Rows(TABLE, "occurred_at < %s", (before,)), (after,))
    dropped, kept, deleted = [], [], None
    for name, month in _partitions():
        if month is None:
            deleted = _Rows(name, "occurred_at < %s", (before,))
            kept.append(_Rows(name, "occurred_at >= %s", (before,)))
        elif _instant(add_months(month, 1)) <= before:
            dropped.append(name)
        else:  # a month partially before ``before`` (another time zone) stays whole
            kept.append(_Rows(name))
    return _Plan(tuple(dropped), tuple(_Rows(n) for n in dropped), deleted, tuple(kept))


def _one(sql: str, params: list[Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _unsealed(rows: tuple[_Rows, ...]) -> int:
    """The rows without a sequence number (the partial index of unsealed rows finds them)."""
    parts = [r.select("1", "seq IS NULL") for r in rows]
    if not parts:
        return 0
    union = " UNION ALL ".join(sql for sql, _ in parts)
    params = [p for _, ps in parts for p in ps]
    return int(_one(f"SELECT count(*) FROM ({union}) AS unsealed", params)[0])  # noqa: S608


def _span(rows: _Rows) -> Run | None:
    """The lowest and highest sequence number (two probes of the ``seq`` index)."""
    low, high = _one(*rows.select("min(seq), max(seq)"))
    return None if low is None else (int(low), int(high))


def _runs_of(rows: tuple[_Rows, ...], within: Run | None = None) -> list[Run]:
    """The runs of consecutive sequence numbers of the rows, read (within a range, through the
    ``seq`` index)."""
    if within is None:
        parts = [r.select("seq", "seq IS NOT NULL") for r in rows]
    else:
        parts = [r.select("seq", "seq BETWEEN %s AND %s", within) for r in rows]
    if not parts:
        return []
    union = " UNION ALL ".join(sql for sql, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(seq), max(seq) FROM (SELECT seq, seq - row_number() OVER (ORDER BY seq) "  # noqa: S608
            f"AS grp FROM ({union}) AS picked) AS numbered GROUP BY grp ORDER BY 1",
            [p for _, ps in parts for p in ps],
        )
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _merge(runs: list[Run]) -> list[Run]:
    """Sorted, overlapping and adjacent runs joined."""
    merged: list[Run] = []
    for first, last in sorted(runs):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _subtract(runs: list[Run], holes: list[Run]) -> list[Run]:
    """The numbers of ``runs`` not in ``holes`` (both merged), as runs."""
    left: list[Run] = []
    for first, last in runs:
        start = first
        for hole_first, hole_last in holes:
            if hole_last < start:
                continue
            if hole_first > last:
                break
            if hole_first > start:
                left.append((start, hole_first - 1))
            start = hole_last + 1
        if start <= last:
            left.append((start, last))
    return left


def _within(seq: int, runs: list[Run]) -> bool:
    return any(first <= seq <= last for first, last in runs)


def _earlier(touching: list[Run]) -> list[AuditAnchor]:
    """The anchors left by earlier expiries. One whose seal does not hold, next to the rows
    that go now, stops the expiry: joining its gap to the new one would make a forged gap look
    expired (``trygg audit verify`` reports it)."""
    anchors = []
    for anchor in AuditAnchor.objects.order_by("seq"):
        expected = anchor_mac(anchor.gap_from, anchor.seq, anchor.previous_chain)
        if hmac.compare_digest(anchor.mac, expected):
            anchors.append(anchor)
        elif any(anchor.gap_from <= last + 1 and first <= anchor.seq for first, last in touching):
            raise RuntimeError(
                f"the audit anchor at row {anchor.seq} was changed: run `trygg audit verify`"
            )
    return anchors


def _spans(plan: _Plan) -> list[Run]:
    """The dropped partitions' ranges of sequence numbers, joined."""
    return _merge([s for s in (_span(r) for r in plan.numbered) if s is not None])


def _removed(
    plan: _Plan, spans: list[Run], deleted: list[Run], earlier: list[AuditAnchor]
) -> list[Run]:
    """The sequence numbers the expiry removes, as runs: the dropped partitions' ``spans`` less
    the rows of those ranges that stay and the gaps of earlier expiries, and the runs of the
    rows ``deleted``.

    The seal numbers rows 1, 2, 3, ... with no gap: each batch takes the head's number under
    its lock and writes the head back in the same transaction, so a rollback takes the numbers
    back too. Every number up to the head's is therefore a row that is still there, or one an
    earlier expiry removed (its anchor says which). The numbers between a dropped partition's
    lowest and highest are its rows, except the rows of that range that stay (events sealed
    across the month's end, found through the ``seq`` index of the partitions that stay) and
    those an earlier expiry removed: no dropped row is read. The rows deleted are read anyway,
    so their runs are taken from the rows themselves."""
    if spans:
        holes = [run for span in spans for run in _runs_of(plan.kept, span)]
        holes += [(a.gap_from, a.seq - 1) for a in earlier]
        spans = _subtract(spans, _merge(holes))
    return _merge(spans + deleted)


def _chain_at(seq: int, rows: tuple[_Rows, ...]) -> str | None:
    for part in rows:
        found = _one(*part.select("chain", "seq = %s", (seq,)))
        if found is not None:
            return str(found[0])
    return None


def _anchor(
    removed: list[Run], earlier: list[AuditAnchor], plan: _Plan, before: dt.datetime
) -> None:
    """One anchor after each gap the removed rows leave, gaps of earlier expiries included: a
    gap that now reaches an earlier one becomes one gap with one anchor, so that
    ``audit_verify`` resumes at the first row after it whichever month went first."""
    by_seq = {a.seq: a for a in earlier}
    for first, last in _merge(removed + [(a.gap_from, a.seq - 1) for a in earlier]):
        if not any(low <= last and first <= high for low, high in removed):
            continue  # an earlier gap that this expiry does not reach
        if _within(last, removed):
            previous_chain = _chain_at(last, plan.removing)
        else:  # the gap ends where an earlier one did
            previous_chain = by_seq[last + 1].previous_chain
        if previous_chain is None:
            raise RuntimeError(
                f"audit row {last} is missing before its month expired: run `trygg audit verify`"
            )
        joined = [a.pk for a in earlier if first < a.seq <= last + 1]
        AuditAnchor.objects.filter(pk__in=joined).delete()
        AuditAnchor.objects.create(
            seq=last + 1,
            gap_from=first,
            previous_chain=previous_chain,
            expired_before=before,
            removed=last - first + 1,
            mac=anchor_mac(first, last + 1, previous_chain),
        )


def _size(runs: list[Run]) -> int:
    return sum(last - first + 1 for first, last in runs)


def _what_goes(plan: _Plan) -> tuple[list[Run], list[AuditAnchor]]:
    spans = _spans(plan)
    deleted = _runs_of((plan.deleted,)) if plan.deleted else []
    earlier = _earlier(spans + deleted)
    return _removed(plan, spans, deleted, earlier), earlier


def audit_expire(on: dt.date, *, dry_run: bool = False) -> Expiry:
    """Remove the months of the log that are 13 months old on ``on`` (see the module)."""
    before = _instant(expire_before(on))
    audit_seal()
    if dry_run:
        plan = _plan(before)
        removed, _ = _what_goes(plan)
        return Expiry(before, _size(removed) + _unsealed(plan.removing), ())
    partitions_ensure(on)
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().filter(pk=1).first()  # no seal meanwhile
        plan = _plan(before)
        with connection.cursor() as cursor:
            for name in plan.dropped:
                # Detached first: the log's lock keeps every write out of the months until the
                # end, and they are still there to read.
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
        unsealed = _unsealed(plan.removing)
        if unsealed:
            raise RuntimeError(f"{unsealed} expired audit events are not sealed")
        removed, earlier = _what_goes(plan)
        _anchor(removed, earlier, plan, before)
        with connection.cursor() as cursor:
            for name in plan.dropped:
                cursor.execute(f"DROP TABLE {name}")
            if plan.deleted is not None:
                remove_append_only(connection)
                cursor.execute(*plan.deleted.delete("seq IS NOT NULL"))
                install_append_only(connection)
    return Expiry(before, _size(removed), plan.dropped)
