"""The audit log: append-only, hash-chained, and `trygg audit verify` finds tampering."""

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from trygg.kernel.audit import (
    GENESIS,
    AuditContext,
    audit_record,
    audit_record_each,
    audit_seal,
    audit_verify,
    compute_chain,
)
from trygg.kernel.models import AuditAction, AuditChainHead, AuditEvent

CTX = AuditContext(
    actor_kind="staff", actor_id="7", actor_label="kundtjanst", channel="back-office", ip="10.0.0.1"
)


def _events(n: int, *, sealed: bool = True) -> list[AuditEvent]:
    events = [
        audit_record(
            ctx=CTX, action=AuditAction.READ, subject_id=42, object_type="party", object_id=i
        )
        for i in range(n)
    ]
    if sealed:
        audit_seal()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def _raw(sql: str, params: list[Any]) -> None:
    """Tamper as someone with database access would: around the append-only triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE kernel_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE kernel_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER kernel_auditevent_no_update")
            cursor.execute("DROP TRIGGER kernel_auditevent_no_delete")
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_events_form_a_chain_and_verify_passes(capsys: Any) -> None:
    events = _events(5)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    previous = GENESIS
    for event in events:
        assert event.chain == compute_chain(previous, event.seq or 0, event.hash)
        previous = event.chain
    assert AuditChainHead.objects.get().hash == previous
    assert audit_verify().ok
    call_command("audit", "verify")
    assert "5 rows verified" in capsys.readouterr().out


@pytest.mark.django_db
def test_appending_takes_no_lock_and_sealing_comes_after() -> None:
    events = _events(3, sealed=False)
    assert all(e.seq is None and e.chain == "" and e.hash for e in events)
    assert audit_seal() == 3
    assert audit_seal() == 0
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
def test_event_records_who_what_whom_where() -> None:
    event = _events(1)[0]
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_kind, stored.actor_label, stored.action, stored.channel) == (
        "staff",
        "kundtjanst",
        "read",
        "back-office",
    )
    assert (stored.subject_id, stored.object_type, stored.ip) == ("42", "party", "10.0.0.1")


def _as_stored(event: AuditEvent) -> tuple[Any, ...]:
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    return tuple(getattr(event, name) for name in fields)


@pytest.mark.parametrize("returning", [True, False])
@pytest.mark.django_db
def test_the_recorded_event_is_handed_back_as_it_was_stored(
    returning: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without RETURNING (SQLite before 3.35) the single event is saved through the ORM instead.
    if not returning and connection.vendor != "sqlite":
        pytest.skip("only SQLite before 3.35 inserts without RETURNING")
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", returning)
    with CaptureQueriesContext(connection) as queries:
        event = audit_record(
            ctx=CTX,
            action=AuditAction.UPDATE,
            subject_id=42,
            object_type="policy",
            object_id=3,
            detail={"field": "level"},
        )
    (insert,) = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert ("RETURNING" in insert) == returning
    assert event.pk is not None and not event._state.adding and event._state.db == "default"
    assert _as_stored(AuditEvent.objects.get(pk=event.pk)) == _as_stored(event)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_database_refuses_update_and_delete() -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "kundtjanst"
    unsealed = _events(1, sealed=False)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).update(subject_id="43")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(seq=None)


@pytest.mark.django_db
def test_verify_detects_a_changed_row() -> None:
    events = _events(4)
    _raw("UPDATE kernel_auditevent SET subject_id = %s WHERE id = %s", ["43", events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert result.breaks[0].seq == 2
    assert "changed" in result.breaks[0].problem
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_detects_a_changed_row_before_it_is_sealed() -> None:
    events = _events(2, sealed=False)
    _raw("UPDATE kernel_auditevent SET actor_label = %s WHERE id = %s", ["x", events[0].pk])
    result = audit_verify()
    assert not result.ok
    assert "changed" in result.breaks[0].problem


@pytest.mark.django_db
def test_verify_detects_a_removed_row_in_the_middle() -> None:
    events = _events(4)
    _raw("DELETE FROM kernel_auditevent WHERE id = %s", [events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert result.breaks[0].seq == 3
    assert "missing" in result.breaks[0].problem


@pytest.mark.django_db
def test_verify_detects_the_newest_row_removed() -> None:
    events = _events(3)
    _raw("DELETE FROM kernel_auditevent WHERE id = %s", [events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert "head" in result.breaks[-1].problem


@pytest.mark.django_db
def test_verify_detects_a_recomputed_hash_without_the_key() -> None:
    import hashlib

    events = _events(3)
    forged = hashlib.sha256(b"forged").hexdigest()
    _raw(
        "UPDATE kernel_auditevent SET detail = %s, hash = %s WHERE seq = %s",
        ['{"x": 1}', forged, events[0].seq],
    )
    result = audit_verify()
    problems = [b.problem for b in result.breaks if b.seq == 1]
    assert any("changed" in p for p in problems) and any("chain" in p for p in problems)


@pytest.mark.django_db
def test_failed_transaction_leaves_no_event_and_no_gap() -> None:
    _events(1)

    def failing_service() -> None:
        with transaction.atomic():
            audit_record(ctx=CTX, action=AuditAction.CREATE, object_type="party", object_id=1)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        failing_service()
    _events(1)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    assert AuditEvent.objects.filter(action="create").count() == 0
    assert AuditChainHead.objects.get().seq == 2
    assert audit_verify().ok


@pytest.mark.django_db
def test_read_batch_appends_reads_together_and_never_defers_writes() -> None:
    from trygg.kernel.audit import audit_read_batch

    with audit_read_batch():
        audit_record(ctx=CTX, action=AuditAction.READ, subject_id=1, object_type="a")
        audit_record(ctx=CTX, action=AuditAction.UPDATE, subject_id=1, object_type="b")
        assert list(AuditEvent.objects.values_list("action", flat=True)) == ["update"]
        audit_record(ctx=CTX, action=AuditAction.READ, subject_id=1, object_type="c")
    audit_seal()
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "object_type"))
    assert rows == [(1, "b"), (2, "a"), (3, "c")]
    assert audit_verify().ok


@pytest.mark.django_db
def test_reads_are_recorded_even_when_the_block_fails() -> None:
    from trygg.kernel.audit import audit_read_batch

    def page() -> None:
        with audit_read_batch():
            audit_record(ctx=CTX, action=AuditAction.READ, subject_id=1, object_type="a")
            raise ValueError("rendering failed after the read")

    with pytest.raises(ValueError, match="rendering failed"):
        page()
    assert AuditEvent.objects.filter(action="read").count() == 1


@pytest.mark.django_db
def test_in_a_request_the_seal_waits_until_the_response_has_gone_out(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from trygg.kernel import audit

    # What the signals call (the portal test goes through them): sending request_finished
    # here would also close the test's connection.
    monkeypatch.setattr(audit, "_last_seal", [0.0])  # a seal is due
    audit.request_started()
    with django_capture_on_commit_callbacks(execute=True):
        event = audit_record(ctx=CTX, action=AuditAction.UPDATE, subject_id=1, object_type="a")
    assert AuditEvent.objects.get(pk=event.pk).seq is None  # the page is still being made
    audit.request_finished()
    assert AuditEvent.objects.get(pk=event.pk).seq == 1

    monkeypatch.setattr(audit, "_last_seal", [0.0])
    with django_capture_on_commit_callbacks(execute=True):  # outside a request: at commit
        event = audit_record(ctx=CTX, action=AuditAction.UPDATE, subject_id=1, object_type="b")
    assert AuditEvent.objects.get(pk=event.pk).seq == 2
    assert audit_verify().ok


@pytest.mark.django_db
def test_events_each_with_its_detail_are_one_insert_and_sealed_like_any() -> None:
    with CaptureQueriesContext(connection) as queries:
        audit_record_each(
            ctx=CTX,
            action=AuditAction.UPDATE,
            object_type="block",
            events=[
                (42, 1, {"state": "confirmed"}),
                (43, 2, {"state": "not_found"}),
                (44, 3, None),
            ],
        )
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    stored = list(AuditEvent.objects.filter(object_type="block").order_by("object_id"))
    assert [(e.subject_id, e.object_id, e.detail) for e in stored] == [
        ("42", "1", {"state": "confirmed"}),
        ("43", "2", {"state": "not_found"}),
        ("44", "3", {}),
    ]
    assert audit_verify().ok
