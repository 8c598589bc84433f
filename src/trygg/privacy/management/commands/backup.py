"""``trygg backup``: one backup of the database into the backup folder, then the rotation.

trygg backup [--folder DIR]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError
from trygg.privacy.backup import backup_take


class Command(BaseCommand):
    help = (
        "Back the database up (SQLite online backup, or pg_dump in custom format) into "
        "TRYGG_BACKUP_DIR, then delete the versions older than 13 months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", help="backup folder (default: TRYGG_BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]) if options["folder"] else None
        try:
            taken, deleted = backup_take(ctx=SYSTEM, folder=folder)
        except DomainError as error:
            raise CommandError(
                f"{error.field or 'backup'}: {error.message} [{error.code}]"
            ) from error
        self.stdout.write(f"Backup written to {taken.path}")
        for backup in deleted:
            self.stdout.write(
                f"Deleted {backup.path.name} (taken {backup.taken_on}, past 13 months)"
            )
