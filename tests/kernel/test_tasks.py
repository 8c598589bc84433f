"""Background tasks run through django-tasks' database backend and the worker command."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from trygg.kernel.audit import SYSTEM, audit_record
from trygg.kernel.models import AuditAction
from trygg.kernel.tasks import verify_audit_chain


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_audit_verification_task() -> None:
    audit_record(ctx=SYSTEM, action=AuditAction.READ, subject_id=1, object_type="party")
    result = verify_audit_chain.enqueue()
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL", row.traceback if hasattr(row, "traceback") else row
    stored: Any = row.return_value
    assert stored == {"checked": 1, "ok": True, "breaks": []}
