"""``trygg autogiro show FILE``: a Bankgirot Autogiro file as JSON, or its errors.
``trygg autogiro import FILE``: book a file from Bankgirot (once; a malformed file books nothing).
``trygg autogiro inbox``: import every new file Bankgirot delivered to the exchange folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from autogiro.cli import show
from trygg.banking.rules import OWN_BANKS
from trygg.billing.imports import autogiro_import
from trygg.billing.inbox import inbox_import
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError


class Command(BaseCommand):
    help = (
        "Autogiro files: 'show FILE' prints the records as JSON or refuses the file; 'import "
        "FILE' books a file from Bankgirot; 'inbox' imports every new file in the exchange folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["show", "import", "inbox"])
        parser.add_argument("file", nargs="?")
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="print what can be read even if the closing totals disagree",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "inbox":
            self._inbox()
            return
        if not options["file"]:
            raise CommandError(f"file: '{options['action']}' needs the file to read")
        if options["action"] == "import":
            self._import(Path(options["file"]))
            return
        out = cast(TextIO, self.stdout)  # an OutputWrapper writes like a text stream
        code = show(
            options["file"],
            strict=not options["lenient"],
            out=out,
            err=sys.stderr,
            extra_banks=OWN_BANKS,
        )
        if code:
            raise CommandError("the file was refused")

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"file: {path} does not exist")
        try:
            result = autogiro_import(ctx=SYSTEM, path=path)
        except DomainError as error:
            for problem in error.problems:
                self.stderr.write(f"{problem.field}: {problem.message}")
            raise CommandError(error.message) from error
        if result.already:
            self.stdout.write(
                f"{path.name} was imported on {result.file.at:%Y-%m-%d %H:%M}; "
                "nothing booked again."
            )
            return
        self.stdout.write(
            f"Imported {path.name}: {result.file.content}, {result.file.records} records"
        )
        self.stdout.write(json.dumps(result.file.summary, indent=2, ensure_ascii=False))

    def _inbox(self) -> None:
        root = Path(settings.TRYGG_BANKGIROT_DIR)
        result = inbox_import(ctx=SYSTEM, root=root)
        for name in result.imported:
            self.stdout.write(f"Imported {name}")
        for name, message in result.refused.items():
            self.stderr.write(f"Refused {name}: {message}")
        if not result.imported and not result.refused:
            self.stdout.write(f"Nothing new in {root / 'from_bankgirot'}.")
        if result.refused:
            raise CommandError(f"{len(result.refused)} file(s) refused")
