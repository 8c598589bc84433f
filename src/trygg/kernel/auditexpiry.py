"""The audit log kept up to 13 months (seed 002: "sparar vi i upp till 13 månader").

On PostgreSQL the log is partitioned by month of ``occurred_at`` (migration 0005): a month goes
whole, by dropping its partition, on the day its first day is 13 months old, so no event is
kept longer than 13 months. Partitions are made three months ahead by the daily work; an event
outside them lands in a default partition, whose expired rows are deleted. On SQLite the same
rows are deleted in one statement. Either way the chain stays provable: before rows go, each
run of removed sequence numbers gets an anchor (``AuditAnchor``) holding the chain value of its
last row, sealed with the audit key; ``audit_verify`` resumes the chain there.

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

from django.conf import settings
from django.db import connection, transaction

from trygg.kernel.audit import _key, audit_seal
from trygg.kernel.dbtriggers import install_append_only, remove_append_only
from trygg.kernel.models import AuditAnchor, AuditChainHead, AuditEvent

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


@dataclass(frozen=True)
class Expiry:
    before: dt.datetime
    removed: int
    partitions: tuple[str, ...]


def _runs(before: dt.datetime) -> list[tuple[int, int]]:
    """The runs of consecutive sequence numbers among the sealed events before ``before``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(seq), min(seq), max(seq) FROM {TABLE} "  # noqa: S608
            "WHERE occurred_at < %s AND seq IS NOT NULL",
            [before],
        )
        count, low, high = cursor.fetchone()
        if not count:
            return []
        if high - low + 1 == count:
            return [(int(low), int(high))]
        cursor.execute(
            "SELECT min(seq), max(seq) FROM (SELECT seq, seq - row_number() OVER (ORDER BY seq) "  # noqa: S608
            f"AS grp FROM {TABLE} WHERE occurred_at < %s AND seq IS NOT NULL) AS runs "
            "GROUP BY grp ORDER BY 1",
            [before],
        )
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _anchor(runs: list[tuple[int, int]], before: dt.datetime) -> None:
    """Anchor the chain after each run of rows about to go (an anchor at a run's first row,
    left by an earlier expiry, is carried over to the new one)."""
    for first, last in runs:
        previous_chain = AuditEvent.objects.filter(seq=last).values_list("chain", flat=True).get()
        gap_from = first
        earlier = AuditAnchor.objects.filter(seq=first).first()
        if earlier is not None:
            gap_from = earlier.gap_from
            earlier.delete()
        AuditAnchor.objects.create(
            seq=last + 1,
            gap_from=gap_from,
            previous_chain=previous_chain,
            expired_before=before,
            removed=last - first + 1,
            mac=anchor_mac(gap_from, last + 1, previous_chain),
        )


def audit_expire(on: dt.date, *, dry_run: bool = False) -> Expiry:
    """Remove the months of the log that are 13 months old on ``on`` (see the module)."""
    before = _instant(expire_before(on))
    audit_seal()
    if not dry_run:
        partitions_ensure(on)
    if dry_run:
        count = AuditEvent.objects.filter(occurred_at__lt=before).count()
        return Expiry(before, count, ())
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().filter(pk=1).first()  # no seal meanwhile
        unsealed = AuditEvent.objects.filter(occurred_at__lt=before, seq__isnull=True).count()
        if unsealed:
            raise RuntimeError(f"{unsealed} expired audit events are not sealed")
        _anchor(_runs(before), before)
        dropped: list[str] = []
        removed = 0
        with connection.cursor() as cursor:
            if partitioned():
                for name, month in _partitions():
                    if month is not None and _instant(add_months(month, 1)) <= before:
                        cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608
                        removed += int(cursor.fetchone()[0])
                        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
                        cursor.execute(f"DROP TABLE {name}")
                        dropped.append(name)
                target = f"{TABLE}_default"
            else:
                target = TABLE
            remove_append_only(connection)
            cursor.execute(
                f"DELETE FROM {target} WHERE occurred_at < %s",  # noqa: S608
                [before],
            )
            removed += cursor.rowcount
            install_append_only(connection)
    return Expiry(before, removed, tuple(dropped))
