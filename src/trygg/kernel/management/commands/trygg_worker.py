"""``trygg worker``: queue the daily work (``kernel.daily``) that has no run waiting, then run
background tasks (django-tasks' database worker, with its options)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from trygg.kernel.daily import daily_schedule


class Command(DbWorker):
    help = "Queue the daily work, then run background tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = daily_schedule()
        if queued and options.get("verbosity", 1):
            self.stdout.write(f"Daily work queued: {', '.join(queued)}")
        super().handle(*args, **options)
