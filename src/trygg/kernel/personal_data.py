"""The kernel's entries in the personal-data map (see ``trygg.kernel.datamap``): the audit log,
jobs, counters and the task queue."""

import datetime as dt

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Expire, model_map
from trygg.kernel.datamap import Processing as P


def _expire_audit(on: dt.date, dry_run: bool) -> int:
    from trygg.kernel.auditexpiry import audit_expire

    return audit_expire(on, dry_run=dry_run).removed


MAP = (
    model_map(
        "kernel.AuditEvent",
        P.ACCESS_LOG,
        {
            "occurred_at": C.ACTIVITY,
            "actor_id": C.ACTIVITY,
            "actor_label": C.ACTIVITY,
            "action": C.ACTIVITY,
            "channel": C.ACTIVITY,
            "subject_id": C.IDENTITY,
            "object_id": C.ACTIVITY,
            "ip": C.ONLINE,
            "detail": C.ACTIVITY,
        },
        other=("seq", "actor_kind", "object_type", "hash", "chain"),
    ),
    model_map("kernel.AuditChainHead", P.ACCESS_LOG, {}, other=("seq", "hash")),
    model_map(
        "kernel.AuditAnchor",
        P.ACCESS_LOG,
        {},
        other=("seq", "gap_from", "previous_chain", "expired_before", "removed", "mac"),
    ),
    model_map("kernel.Counter", P.CUSTOMER, {}, other=("name", "value"), key=None),
    model_map(
        "kernel.Job",
        P.STAFF,
        {"actor_id": C.EMPLOYEE, "actor_label": C.EMPLOYEE, "params": C.ACTIVITY},
        other=(
            "public_id",
            "kind",
            "state",
            "result",
            "error",
            "problems",
            "created_at",
            "started_at",
            "finished_at",
        ),
    ),
    model_map(
        "django_tasks_database.DBTaskResult",
        P.STAFF,
        {},
        other=(
            "status",
            "enqueued_at",
            "started_at",
            "finished_at",
            "args_kwargs",  # ids of rows, never personal data itself
            "priority",
            "task_path",
            "worker_ids",
            "queue_name",
            "backend_name",
            "run_after",
            "return_value",
            "exception_class_path",
            "traceback",
        ),
    ),
)

# The access log: up to 13 months, whole months at a time (seed 002; kernel.auditexpiry).
RETENTION = (Expire("access-log", "kernel.AuditEvent", _expire_audit),)
