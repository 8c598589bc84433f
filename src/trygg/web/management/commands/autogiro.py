"""``trygg autogiro show FILE``: a Bankgirot Autogiro file as JSON, or its errors."""

from __future__ import annotations

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.autogiro.cli import show


class Command(BaseCommand):
    help = "Autogiro files: 'show FILE' prints the records as JSON or refuses the file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["show"])
        parser.add_argument("file")
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="print what can be read even if the closing totals disagree",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = cast(TextIO, self.stdout)  # an OutputWrapper writes like a text stream
        code = show(options["file"], strict=not options["lenient"], out=out, err=sys.stderr)
        if code:
            raise CommandError("the file was refused")
