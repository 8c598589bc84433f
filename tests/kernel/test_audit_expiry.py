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
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record, audit_seal, audit_verify
from trygg.kernel.auditexpiry import audit_expire, expire_before, partitioned
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
