"""Background jobs staff start and watch: submitted in a request, run by the worker
(``trygg worker``), their progress readable while they run, their outcome kept on the row.

A job's kind names a handler that an app registers with :func:`job_handler`. The handler gets
the job's parameters, the audit context of the staff member who started it, and a
:class:`Progress` to report how far it is; it returns the result to keep (JSON) or raises a
``DomainError``, whose message and problems the job keeps. Progress goes to the ``progress``
cache, not to the database: the handler's own transaction would hide it until the end.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import transaction

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import DomainError
from trygg.kernel.models import Job, JobState

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes

# ``progress(done, total, phase)``: how far a long piece of work is (total None: not known).
ProgressFn = Callable[[int, int | None, str], None]


def no_progress(done: int, total: int | None = None, phase: str = "") -> None:
    """The progress of work nobody watches (a command, a test)."""


Handler = Callable[[dict[str, Any], AuditContext, "Progress"], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return register


def _key(job: Job) -> str:
    return f"trygg.job.{job.public_id}"


class Progress:
    """``progress(done, total, phase)``: how far the job is (written at most twice a second,
    and always when ``done`` reaches ``total``)."""

    def __init__(self, job: Job) -> None:
        self.key = _key(job)
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, phase: str = "") -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and (total is None or done < total):
            return
        self.last = now
        caches["progress"].set(
            self.key, {"done": done, "total": total, "phase": phase}, timeout=86400
        )


def job_progress(job: Job) -> dict[str, Any]:
    """``{"done": n, "total": n or None, "phase": str}``, empty before the first report."""
    value = caches["progress"].get(_key(job))
    return value if isinstance(value, dict) else {}


def job_submit(*, kind: str, params: dict[str, Any], ctx: AuditContext) -> Job:
    """Queue a job; the worker starts it once the caller's transaction has committed."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        params={**params, "ctx": dataclasses.asdict(ctx)},
        actor_id=ctx.actor_id,
        actor_label=ctx.actor_label,
        created_at=clock.now(),
    )
    from trygg.kernel.tasks import job_execute

    transaction.on_commit(lambda: job_execute.enqueue(job.pk))
    return job


def job_run(job_id: int) -> Job:
    """Run a queued job to its end (the worker's task calls this). A job already started is
    left alone, so a task delivered twice runs the work once."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=clock.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    params = dict(job.params)
    ctx = AuditContext(**params.pop("ctx"))
    try:
        result = _HANDLERS[job.kind](params, ctx, Progress(job))
    except DomainError as error:
        job.state = JobState.FAILED
        job.error = str(error.message)
        job.problems = [
            {"field": p.field, "code": p.code, "message": str(p.message)} for p in error.problems
        ]
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.state = JobState.FAILED
        job.error = "internal error"
    else:
        job.state = JobState.DONE
        job.result = result
    job.finished_at = clock.now()
    job.save(update_fields=["state", "error", "problems", "result", "finished_at"])
    return job
