"""Background tasks of the kernel, run by ``trygg worker`` (django-tasks, database backend)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django_tasks import task

from trygg.kernel import clock
from trygg.kernel.audit import audit_seal, audit_verify


@task()
def verify_audit_chain() -> dict[str, Any]:
    """Seal and verify the whole audit chain; the result (rows checked, breaks) is kept."""
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


@task()
def seal_audit_chain() -> int:
    """Give waiting audit events their place in the chain; returns how many were sealed."""
    return audit_seal()


@task()
def job_execute(job_id: int) -> str:
    """Run a job staff started (a billing run, a file import); returns its final state."""
    from trygg.kernel.jobs import job_run

    return str(job_run(job_id).state)


@task()
def daily_run(name: str) -> dict[str, Any]:
    """Run one daily work (``kernel.daily``) for the business date, then queue tomorrow's.
    The next run is queued even when this one fails, so one bad day does not stop the rest."""
    from trygg.kernel.daily import daily_queue, registered

    try:
        return registered()[name](clock.today())
    finally:
        daily_queue(name)
