"""``trygg blocklist FILE``: check a vendor's list of reported addresses and put it in force.

The running guard picks the new list up within TRYGG_BLOCKLIST_CHECK_SECONDS, without a restart.
A file that does not parse is refused, naming its first bad line; the list in force stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.privacy.blocklist import BlocklistError
from trygg.privacy.guard import blocklist_install


class Command(BaseCommand):
    help = "Check a vendor's blocklist file and install it as TRYGG_BLOCKLIST_FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the vendor's list: one IP address or CIDR network a line")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.TRYGG_BLOCKLIST_FILE:
            raise CommandError("TRYGG_BLOCKLIST_FILE: no blocklist file is configured.")
        source, target = Path(options["file"]), Path(settings.TRYGG_BLOCKLIST_FILE)
        try:
            installed = blocklist_install(source, target)
        except FileNotFoundError:
            raise CommandError(
                f"file: there is no file {source}; the list in force stays."
            ) from None
        except BlocklistError as error:
            raise CommandError(f"file: {error.message}") from error
        self.stdout.write(f"Blocklist in force: {installed.size} entries ({target}).")
