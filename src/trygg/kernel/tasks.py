"""Background tasks of the kernel, run by ``trygg worker`` (django-tasks, database backend)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django_tasks import task

from trygg.kernel import clock
from trygg.kernel.audit import audit_verify


@task()
def verify_audit_chain() -> dict[str, Any]:
    """Verify the whole audit chain; the result (rows checked, breaks) is kept with the task."""
    result = audit_verify()
    return {
        "checked": result.checked,
        "ok": result.ok,
        "breaks": [{"seq": b.seq, "problem": b.problem} for b in result.breaks],
    }


@task()
def purge_expired_sessions() -> int:
    """Delete server-side sessions past their expiry; returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted
