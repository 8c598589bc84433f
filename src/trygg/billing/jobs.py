"""The billing run and the import of a Bankgirot file as background jobs, so staff see their
progress on the dashboard while the worker does them."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from trygg.billing.imports import autogiro_import
from trygg.billing.runs import billing_run, run_date_check, run_message
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.jobs import Progress, job_handler, job_submit
from trygg.kernel.models import Job

RUN = "billing.run"
IMPORT = "billing.import"


def _uploads() -> Path:
    return Path(settings.TRYGG_BANKGIROT_DIR) / "uploads"


def run_submit(*, ctx: AuditContext, on: str) -> Job:
    """Queue the billing run of ``on``; a date outside the catch-up window is refused first."""
    run_date_check(clock.parse_date(on))
    return job_submit(kind=RUN, params={"on": on}, ctx=ctx)


def import_submit(*, ctx: AuditContext, name: str, chunks: Any, by_user_id: int | None) -> Job:
    """Keep the uploaded file (under its own name: the file log shows it) until the worker has
    imported it."""
    folder = _uploads() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / (Path(name).name.strip()[:200] or "bankgirot.txt")
    with target.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return job_submit(kind=IMPORT, params={"path": str(target), "by_user_id": by_user_id}, ctx=ctx)


@job_handler(RUN)
def _run(params: dict[str, Any], ctx: AuditContext, progress: Progress) -> dict[str, Any]:
    result = billing_run(ctx=ctx, on=clock.parse_date(params["on"]), progress=progress)
    return {
        "run_id": result.run.pk,
        "message": str(run_message(result)),
        "file": result.file.name if result.file is not None else "",
    }


@job_handler(IMPORT)
def _import(params: dict[str, Any], ctx: AuditContext, progress: Progress) -> dict[str, Any]:
    path = Path(params["path"])
    try:
        result = autogiro_import(
            ctx=ctx, path=path, by_user_id=params.get("by_user_id"), progress=progress
        )
    finally:
        if path.parent.parent == _uploads():
            shutil.rmtree(path.parent, ignore_errors=True)
    return {"file_id": result.file.pk, "already": result.already}
