"""``trygg restore FILE --into TARGET``: a backup restored into an empty database.

TARGET is a SQLite file (new or empty) or a postgresql:// URL of an empty database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError
from trygg.privacy.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by 'trygg backup' into an empty database (file or URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--into",
            required=True,
            help="an empty database: a SQLite file path or a postgresql:// URL",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup_restore(ctx=SYSTEM, path=Path(options["file"]), into=options["into"])
        except DomainError as error:
            raise CommandError(
                f"{error.field or 'restore'}: {error.message} [{error.code}]"
            ) from error
        shown = re.sub(r"//[^@/]*@", "//", options["into"])  # no password in the output
        self.stdout.write(f"Restored {options['file']} into {shown}")
