"""The audit log kept up to 13 months: whole months removed (partitions dropped on PostgreSQL),
and `trygg audit verify` still proving the chain of what remains from the sealed anchor."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.kernel.test_audit import _raw
from trygg.kernel import auditexpiry, clock
from trygg.kernel.audit import AuditContext, audit_record, audit_seal, audit_verify
from trygg.kernel.auditexpiry import (
    Expiry,
    _partitions,
    audit_expire,
    expire_before,
    partitioned,
    partitions_ensure,
)
from trygg.kernel.models import AuditAction, AuditAnchor, AuditEvent

CTX = AuditContext(actor_kind="staff", actor_id="7", actor_label="kundtjanst", channel="web")
D = dt.date


def event_at(instant: dt.datetime, subject: int = 42) -> AuditEvent:
    with clock.frozen_now(instant):
        return audit_record(ctx=CTX, action=AuditAction.READ, subject_id=subject, object_type="x")


def at(day: D) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("on", "kept_from"),
    [
        (D(2027, 1, 31), D(2026, 1, 1)),
        (D(2027, 2, 1), D(2026, 2, 1)),  # January 2026's first day is 13 months old
        (D(2027, 2, 28), D(2026, 2, 1)),
        (D(2028, 3, 1), D(2027, 3, 1)),
    ],
)
def test_a_month_goes_when_its_first_day_is_13_months_old(on: D, kept_from: D) -> None:
    assert expire_before(on) == kept_from


@pytest.fixture
def months(db: Any) -> list[AuditEvent]:
    """Two events in January 2026, two in February, one in March: seq 1-5."""
    days = [D(2026, 1, 10), D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 20), D(2026, 3, 5)]
    events = [event_at(at(day)) for day in days]
    audit_seal()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def _partition_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = %s", [name])
        return bool(cursor.fetchone()[0])


def test_months_expire_whole_and_the_chain_still_verifies(months: list[AuditEvent]) -> None:
    assert audit_expire(D(2027, 1, 31)).removed == 0
    assert audit_verify().ok

    expiry = audit_expire(D(2027, 2, 1))
    assert expiry.removed == 2
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == [3, 4, 5]
    anchor = AuditAnchor.objects.get()
    assert (anchor.gap_from, anchor.seq, anchor.previous_chain) == (1, 3, months[1].chain)
    result = audit_verify()
    assert result.ok, result.breaks
    if partitioned():
        assert expiry.partitions == ("kernel_auditevent_y2026m01",)
        assert not _partition_exists("kernel_auditevent_y2026m01")
        assert _partition_exists("kernel_auditevent_y2026m02")

    # The next month: the anchor moves on, still from the first row.
    assert audit_expire(D(2027, 3, 1)).removed == 2
    anchor = AuditAnchor.objects.get()
    assert (anchor.gap_from, anchor.seq) == (1, 5)
    assert audit_verify().ok
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit chain intact: 1 rows verified" in out.getvalue()


def test_new_events_chain_on_after_everything_expired(months: list[AuditEvent]) -> None:
    assert audit_expire(D(2027, 4, 1)).removed == 5
    assert not AuditEvent.objects.exists()
    assert audit_verify().ok  # the head still records row 5; the anchor says 1-5 expired
    event_at(at(D(2027, 4, 1)))
    audit_seal()
    assert AuditEvent.objects.get().seq == 6
    assert audit_verify().ok


def test_a_row_removed_by_anyone_else_is_still_found(months: list[AuditEvent]) -> None:
    audit_expire(D(2027, 2, 1))
    _raw("DELETE FROM kernel_auditevent WHERE id = %s", [months[3].pk])
    result = audit_verify()
    assert not result.ok
    assert result.breaks[0].seq == 4 and "missing" in result.breaks[0].problem


def test_a_forged_anchor_is_found(months: list[AuditEvent]) -> None:
    audit_expire(D(2027, 2, 1))
    AuditAnchor.objects.update(gap_from=2)
    result = audit_verify()
    assert not result.ok
    assert "anchor" in result.breaks[0].problem
    assert any("missing" in b.problem for b in result.breaks)


def test_rows_removed_without_an_anchor_are_tampering(months: list[AuditEvent]) -> None:
    _raw("DELETE FROM kernel_auditevent WHERE seq IN (1, 2)", [])
    result = audit_verify()
    assert not result.ok and "missing" in result.breaks[0].problem


def test_sealed_out_of_month_order(db: Any) -> None:
    """Events sealed in an order that crosses the month boundary: each run removed gets its
    own anchor."""
    event_at(at(D(2026, 2, 1)))  # seq 1, stays
    event_at(at(D(2026, 1, 31)))  # seq 2, goes
    event_at(at(D(2026, 2, 2)))  # seq 3, stays
    event_at(at(D(2026, 1, 30)))  # seq 4, goes
    audit_seal()
    assert audit_expire(D(2027, 2, 1)).removed == 2
    assert sorted(AuditAnchor.objects.values_list("gap_from", "seq")) == [(2, 3), (4, 5)]
    assert audit_verify().ok


def test_a_dry_run_removes_nothing(months: list[AuditEvent]) -> None:
    assert audit_expire(D(2027, 3, 1), dry_run=True).removed == 4
    assert AuditEvent.objects.count() == 5
    assert not AuditAnchor.objects.exists()


def test_the_retention_run_expires_the_access_log(months: list[AuditEvent]) -> None:
    from trygg.kernel.audit import SYSTEM
    from trygg.privacy.services import retention_run

    with clock.business_date(D(2027, 2, 1)):
        run = retention_run(ctx=SYSTEM, on=D(2027, 2, 1))
    assert run.counts["access-log"]["kernel.AuditEvent"] == 2
    assert audit_verify().ok


def _sealed(*days: D) -> list[AuditEvent]:
    """Events recorded in this order and sealed: the first gets seq 1, the next seq 2, ..."""
    events = [event_at(at(day)) for day in days]
    audit_seal()
    found = [AuditEvent.objects.get(pk=e.pk) for e in events]
    assert [e.seq for e in found] == list(range(1, len(days) + 1))
    return found


def _expire(on: D) -> Expiry:
    """Expire, and check the count reported against the rows that went and the chain after."""
    rows = AuditEvent.objects.count()
    forecast = audit_expire(on, dry_run=True).removed
    expiry = audit_expire(on)
    assert expiry.removed == forecast == rows - AuditEvent.objects.count()
    result = audit_verify()
    assert result.ok, result.breaks
    return expiry


def _gaps() -> list[tuple[int, int, int]]:
    return list(AuditAnchor.objects.order_by("seq").values_list("gap_from", "seq", "removed"))


def _attached() -> set[str]:
    return {name for name, _month in _partitions()}


@pytest.fixture
def months_2026(db: Any) -> None:
    partitions_ensure(D(2026, 1, 1), ahead=3)  # the months exist whatever the day of the run


def test_a_month_sealed_into_the_next_then_both_expire(months_2026: None) -> None:
    """An event of January sealed among February's (its transaction committed late): the
    first expiry leaves two gaps, the second joins them into one."""
    events = _sealed(
        D(2026, 1, 10), D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 2), D(2026, 1, 31),
        D(2026, 2, 3), D(2026, 3, 5),
    )  # fmt: skip
    expiry = _expire(D(2027, 2, 1))
    assert expiry.removed == 3
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == [3, 4, 6, 7]
    assert _gaps() == [(1, 3, 2), (5, 6, 1)]
    if partitioned():
        assert expiry.partitions[-1] == "kernel_auditevent_y2026m01"  # older ones are empty

    expiry = _expire(D(2027, 3, 1))
    assert expiry.removed == 3
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [7]
    assert _gaps() == [(1, 7, 6)]
    assert AuditAnchor.objects.get().previous_chain == events[5].chain


def test_a_month_with_the_next_months_event_inside_then_both_expire(months_2026: None) -> None:
    """An event of February sealed among January's: January's expiry leaves a gap on each side
    of it; when February goes, the three gaps become one, anchored on the last row of January."""
    events = _sealed(D(2026, 1, 10), D(2026, 2, 1), D(2026, 1, 31), D(2026, 3, 5))
    assert _expire(D(2027, 2, 1)).removed == 2
    assert _gaps() == [(1, 2, 1), (3, 4, 1)]

    assert _expire(D(2027, 3, 1)).removed == 1
    assert _gaps() == [(1, 4, 3)]
    assert AuditAnchor.objects.get().previous_chain == events[2].chain
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit chain intact: 1 rows verified" in out.getvalue()

    # The last month goes too: the gap reaches the head, and the next event chains on.
    assert _expire(D(2027, 4, 1)).removed == 1
    assert _gaps() == [(1, 5, 4)]
    event_at(at(D(2027, 4, 1)))
    audit_seal()
    assert AuditEvent.objects.get().seq == 5
    assert audit_verify().ok


def test_the_default_partition_and_a_month_expire_together(db: Any) -> None:
    """Events of a month without a partition (the default partition on PostgreSQL) sealed among
    the events of a month partition, and an event far ahead sealed between them: what goes is
    counted exactly, what stays keeps its place in the chain."""
    partitions_ensure(D(2020, 7, 1), ahead=1)  # July and August 2020; June has none
    _sealed(
        D(2020, 6, 20), D(2020, 7, 1), D(2035, 1, 2), D(2020, 6, 30), D(2020, 7, 31),
        D(2020, 8, 1),
    )  # fmt: skip
    if partitioned():
        assert _in_default() == 3
    expiry = _expire(D(2021, 8, 1))
    assert expiry.removed == 4
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == [3, 6]
    assert _gaps() == [(1, 3, 2), (4, 6, 2)]
    if partitioned():
        assert expiry.partitions == ("kernel_auditevent_y2020m07",)
        assert _in_default() == 1

    assert _expire(D(2021, 9, 1)).removed == 1  # August 2020
    assert _gaps() == [(1, 3, 2), (4, 7, 3)]
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [3]


def _in_default() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM kernel_auditevent_default")
        return int(cursor.fetchone()[0])


def test_an_unsealed_expired_event_stops_the_expiry(
    months_2026: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sealed(D(2026, 1, 10), D(2026, 2, 1))
    event_at(at(D(2026, 1, 20)))  # written, not sealed (the expiry's own seal is left out)
    monkeypatch.setattr(auditexpiry, "audit_seal", lambda: 0)
    with pytest.raises(RuntimeError, match="1 expired audit events are not sealed"):
        audit_expire(D(2027, 2, 1))
    assert AuditEvent.objects.count() == 3
    assert not AuditAnchor.objects.exists()
    if partitioned():  # the month detached for the check is back
        assert "kernel_auditevent_y2026m01" in _attached()

    monkeypatch.undo()
    assert _expire(D(2027, 2, 1)).removed == 2  # sealed now: seq 3 follows February's 2
    assert _gaps() == [(1, 2, 1), (3, 4, 1)]


def test_a_row_removed_inside_an_expiring_month_is_not_covered_up(months_2026: None) -> None:
    """Row 2 removed by someone else before its month expires, at the end of a run of rows that
    go: it is never anchored as expired. On PostgreSQL the expiry refuses (the anchor needs that
    row's chain value), on SQLite (which reads the rows) the gap stays, and verification reports
    it either way."""
    _sealed(D(2026, 1, 10), D(2026, 1, 11), D(2026, 2, 1), D(2026, 1, 12), D(2026, 2, 2))
    _raw("DELETE FROM kernel_auditevent WHERE seq = 2", [])
    if partitioned():
        with pytest.raises(RuntimeError, match="audit row 2 is missing"):
            audit_expire(D(2027, 2, 1))
        assert AuditEvent.objects.count() == 4
    else:
        assert audit_expire(D(2027, 2, 1)).removed == 2
    result = audit_verify()
    assert not result.ok
    assert "missing" in result.breaks[0].problem


def test_a_changed_anchor_stops_the_next_expiry(months: list[AuditEvent]) -> None:
    audit_expire(D(2027, 2, 1))
    AuditAnchor.objects.update(gap_from=2)
    with pytest.raises(RuntimeError, match="anchor at row 3 was changed"):
        audit_expire(D(2027, 3, 1))
    assert AuditEvent.objects.count() == 3
